// analects zoo list | show | import
#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "analects/costmodel/workload.h"
#include "commands.h"

namespace analects::cli {

namespace {

nlohmann::json layerJson(const Layer& l) {
  return {{"name", l.name},          {"op", opName(l.op)},      {"N", l.N},
          {"K", l.K},                {"C", l.C},                {"H", l.H},
          {"W", l.W},                {"R", l.R},                {"S", l.S},
          {"stride_h", l.strideH},   {"stride_w", l.strideW},   {"pad_h", l.padH},
          {"pad_w", l.padW},         {"dilation_h", l.dilationH}, {"dilation_w", l.dilationW},
          {"groups", l.groups},      {"P", l.P()},              {"Q", l.Q()},
          {"macs", l.macs()}};
}

void printWarnings(const Workload& w) {
  for (const auto& warning : w.warnings) fmt::print(stderr, "warning: {}\n", warning);
}

void showTable(const Workload& w, bool listSkipped) {
  fmt::print("model {} ({}), {} layers\n", w.name, w.source, w.layers.size());
  fmt::print("{:>4} {:<28} {:<4} {:>5} {:>5} {:>5} {:>4}x{:<4} {:>2}x{:<2} {:>6} {:>6} {:>5} {:>4}x{:<4} {:>14}\n",
             "#", "name", "op", "N", "K", "C", "H", "W", "R", "S", "stride", "pad", "group", "P",
             "Q", "MACs");
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const auto& l = w.layers[i];
    fmt::print("{:>4} {:<28} {:<4} {:>5} {:>5} {:>5} {:>4}x{:<4} {:>2}x{:<2} {:>6} {:>6} {:>5} {:>4}x{:<4} {:>14}\n",
               i, l.name.size() > 28 ? l.name.substr(0, 27) + "~" : l.name, opName(l.op), l.N, l.K,
               l.C, l.H, l.W, l.R, l.S, fmt::format("{},{}", l.strideH, l.strideW),
               fmt::format("{},{}", l.padH, l.padW), l.groups, l.P(), l.Q(), l.macs());
  }
  fmt::print("total MACs: {} ({:.3f} G)\n", w.totalMacs(), double(w.totalMacs()) / 1e9);
  if (listSkipped) {
    fmt::print("skipped ops: {}\n", w.skippedOps.empty() ? std::string("none") : "");
    for (const auto& s : w.skippedOps) fmt::print("  {}\n", s);
  }
}

}  // namespace

Action addZooCommand(CLI::App& app) {
  auto* zoo = app.add_subcommand("zoo", "List, show and import workloads (the model zoo)");
  zoo->require_subcommand(1);
  zoo->footer("Examples:\n  analects zoo list\n  analects zoo show mobilenet_v2 --json\n"
              "  analects zoo import model.onnx -o model.csv");

  auto* list = zoo->add_subcommand("list", "List the built-in models");
  list->footer("Example:\n  analects zoo list --json");
  auto listJson = std::make_shared<bool>(false);
  list->add_flag("--json", *listJson, "Print JSON");

  auto* show = zoo->add_subcommand("show", "Show the layers of a zoo model or a workload file");
  show->footer("Example:\n  analects zoo show resnet18\n  analects zoo show net.onnx --json --skipped");
  auto showWhat = std::make_shared<std::string>();
  auto showJson = std::make_shared<bool>(false);
  auto showSkipped = std::make_shared<bool>(false);
  show->add_option("model", *showWhat, "Zoo name, layer-table CSV, ConfuciuX CSV or ONNX file")
      ->required();
  show->add_flag("--json", *showJson, "Print JSON");
  show->add_flag("--skipped", *showSkipped, "Also list the ONNX ops that are not layers");

  auto* import = zoo->add_subcommand("import", "Convert a workload file to an Analects layer table");
  import->footer("Example:\n  analects zoo import resnet18.onnx -o resnet18.csv");
  auto importWhat = std::make_shared<std::string>();
  auto importOut = std::make_shared<std::string>();
  import->add_option("file", *importWhat, "ONNX, ConfuciuX CSV or layer-table file (or zoo name)")
      ->required();
  import->add_option("-o,--output", *importOut, "Output layer-table CSV")->required();

  return [=]() -> int {
    if (list->parsed()) {
      if (*listJson) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& n : zooNames()) {
          Workload w = loadZoo(n);
          j.push_back({{"name", n}, {"layers", w.layers.size()}, {"total_macs", w.totalMacs()}});
        }
        fmt::print("{}\n", j.dump(2));
      } else {
        fmt::print("{:<28} {:>7} {:>16}\n", "model", "layers", "MACs");
        for (const auto& n : zooNames()) {
          Workload w = loadZoo(n);
          fmt::print("{:<28} {:>7} {:>16}\n", n, w.layers.size(), w.totalMacs());
        }
      }
      return 0;
    }
    if (show->parsed()) {
      Workload w = loadWorkload(*showWhat);
      printWarnings(w);
      if (*showJson) {
        nlohmann::json j;
        j["model"] = w.name;
        j["layers"] = nlohmann::json::array();
        for (const auto& l : w.layers) j["layers"].push_back(layerJson(l));
        j["total_macs"] = w.totalMacs();
        if (*showSkipped) j["skipped_ops"] = w.skippedOps;
        fmt::print("{}\n", j.dump(1));
      } else {
        showTable(w, *showSkipped);
      }
      return 0;
    }
    Workload w = loadWorkload(*importWhat);
    printWarnings(w);
    std::string text = writeLayerTable(w);
    // Write to a temporary then rename, so a failure never leaves a half-written table.
    std::string tmp = *importOut + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary);
      if (!out) throw std::runtime_error(fmt::format("{}: cannot open for writing", *importOut));
      out << text;
      if (!out) throw std::runtime_error(fmt::format("{}: write failed", *importOut));
    }
    if (std::rename(tmp.c_str(), importOut->c_str()) != 0)
      throw std::runtime_error(fmt::format("{}: cannot write", *importOut));
    fmt::print("wrote {} layers ({} MACs) to {}\n", w.layers.size(), w.totalMacs(), *importOut);
    return 0;
  };
}

}  // namespace analects::cli
