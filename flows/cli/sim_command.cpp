// analects sim: the generated RTL on a workload, outputs checked bit-exactly, cycles vs model.
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

#include "analects/costmodel/workload.h"
#include "analects/sim/sim.h"
#include "commands.h"

namespace analects::cli {

Action addSimCommand(CLI::App& app) {
  struct Options {
    std::string design, model, layers, trace, cache;
    double scale = 1;
    int64_t watchdog = 0, dramBw = 0;
    uint64_t seed = 1;
    bool relu = false, json = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("sim", "Simulate a generated design on a workload (Verilator + SystemC)");
  cmd->footer("Examples:\n  analects sim --design out/rtl/design.json --model resnet18 --layers 0,3 --scale 0.25\n"
              "  analects sim --design out/rtl/design.json --model net.onnx --json\n"
              "Every output is compared with a golden convolution; the RTL's cycle counter with the\n"
              "cost model. Exit status 1 when any layer mismatches or its cycles differ.");
  cmd->add_option("--design", o->design, "design.json written by 'analects gen'")->required();
  cmd->add_option("--model", o->model, "Zoo name or workload file")->required();
  cmd->add_option("--layers", o->layers, "Comma-separated layer indices or names (default: all)");
  cmd->add_option("--scale", o->scale, "Spatial scale in (0, 1]: H and W are multiplied by it (default 1)");
  CLI::Option* dramBw = cmd->add_option("--dram-bw", o->dramBw, "Override the design's DRAM bytes per cycle (regenerate instead)");
  cmd->add_option("--watchdog", o->watchdog, "Cycle limit per layer (default 2 x model + 10000)");
  cmd->add_option("--seed", o->seed, "Random data seed");
  cmd->add_flag("--relu", o->relu, "Apply ReLU to int8 outputs");
  cmd->add_option("--trace", o->trace, "Write an FST waveform to this file");
  cmd->add_option("--cache", o->cache, "Verilated-model cache directory");
  cmd->add_flag("--json", o->json, "Print JSON");
  return [o, dramBw]() -> int {
    if (!(o->scale > 0 && o->scale <= 1))
      throw sim::SimError(fmt::format("--scale {} must be in (0, 1]", o->scale));
    if (o->watchdog < 0)
      throw sim::SimError(fmt::format("--watchdog {} must be a positive cycle count", o->watchdog));
    if (dramBw->count() > 0)
      throw sim::SimError("--dram-bw is part of the generated design: regenerate it with 'analects gen --dram-bw'");
    Workload w = loadWorkload(o->model);
    sim::SimOptions so;
    if (!o->layers.empty()) {
      size_t start = 0;
      while (start <= o->layers.size()) {
        size_t comma = o->layers.find(',', start);
        if (comma == std::string::npos) comma = o->layers.size();
        if (comma > start) so.layers.push_back(o->layers.substr(start, comma - start));
        start = comma + 1;
      }
    }
    so.spatialScale = std::max<int64_t>(1, std::llround(1.0 / o->scale));
    // The simulator divides H and W by an integer: say so when that is not what was asked.
    if (std::fabs(1.0 / double(so.spatialScale) - o->scale) > 1e-6)
      fmt::print(stderr,
                 "warning: --scale {} runs at scale 1/{} (H and W are divided by an integer)\n",
                 o->scale, so.spatialScale);
    so.tracePath = o->trace;
    so.watchdogCycles = o->watchdog;
    so.cacheDir = o->cache;
    so.seed = o->seed;
    so.relu = o->relu;
    if (!o->json) so.log = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };
    sim::SimResult r = sim::simulate(o->design, w, so);
    double maxErr = 0;
    for (const auto& l : r.layers) maxErr = std::max(maxErr, std::fabs(l.errorPct));
    if (o->json) {
      nlohmann::json layers = nlohmann::json::array();
      for (const auto& l : r.layers)
        layers.push_back({{"name", l.name}, {"macs", l.macs}, {"model_cycles", l.modelCycles},
                          {"rtl_cycles", l.rtlCycles}, {"error_pct", l.errorPct},
                          {"outputs_match", l.outputsMatch}, {"utilization", l.utilization},
                          {"error", l.error}});
      fmt::print("{}\n", nlohmann::json{{"design", r.top}, {"layers", layers},
                                        {"max_abs_error_pct", maxErr}}.dump(1));
    } else {
      fmt::print("{} on {} ({}, {:.1f} s build, {:.1f} s simulation)\n", w.name, r.top,
                 r.modelCached ? "cached model" : "model built", r.buildSeconds, r.simSeconds);
      fmt::print("{:<28} {:>12} {:>12} {:>12} {:>8} {:>7} {:>6}\n", "layer", "MACs", "model", "RTL",
                 "error", "match", "util");
      for (const auto& l : r.layers) {
        if (!l.error.empty()) {
          fmt::print("{:<28} not run: {}\n", l.name.substr(0, 28), l.error);
          continue;
        }
        fmt::print("{:<28} {:>12} {:>12} {:>12} {:>7.3f}% {:>7} {:>5.1f}%\n", l.name.substr(0, 28),
                   l.macs, l.modelCycles, l.rtlCycles, l.errorPct, l.outputsMatch ? "yes" : "NO",
                   100 * l.utilization);
      }
      fmt::print("max |model - RTL| = {:.3f}%; {}\n", maxErr,
                 r.allOk() ? "every layer bit-exact and cycle-exact" : "NOT all layers passed");
    }
    return r.allOk() ? 0 : 1;
  };
}

}  // namespace analects::cli
