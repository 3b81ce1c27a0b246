#include "analects/flows/recipe.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analects/costmodel/array_config.h"
#include "analects/costmodel/workload.h"
#include "analects/flows/fpga.h"
#include "analects/search/problem.h"
#include "quickstart_recipe.h"  // generated from flows/recipes/quickstart.yaml

namespace analects::flows {

namespace {

std::string where(const std::string& source, const YAML::Node& node) {
  return fmt::format("{}: line {}", source, node.Mark().line + 1);
}

template <typename T>
T scalar(const std::string& source, const std::string& key, const YAML::Node& node,
         const char* what) {
  if (!node.IsScalar())
    throw RecipeError(fmt::format("{}: key '{}' must be {}", where(source, node), key, what));
  try {
    return node.as<T>();
  } catch (const YAML::Exception&) {
    throw RecipeError(fmt::format("{}: key '{}' must be {} (got '{}')", where(source, node), key,
                                  what, node.Scalar()));
  }
}

// The string value of a node that may be a scalar number or word.
std::string text(const std::string& source, const std::string& key, const YAML::Node& node) {
  return scalar<std::string>(source, key, node, "a string");
}

}  // namespace

Recipe Recipe::parse(const std::string& yamlText, const std::string& source,
                     const std::string& baseDir) {
  YAML::Node root;
  try {
    root = YAML::Load(yamlText);
  } catch (const YAML::ParserException& e) {
    throw RecipeError(
        fmt::format("{}: line {}: not valid YAML: {}", source, e.mark.line + 1, e.msg));
  }
  if (!root.IsMap())
    throw RecipeError(fmt::format("{}: a recipe must be a mapping of keys", source));
  Recipe r;
  r.source = source;
  // A value out of range is an error at its own line.
  auto require = [&](bool ok, const YAML::Node& node, const std::string& what) {
    if (!ok) throw RecipeError(fmt::format("{}: {}", where(source, node), what));
  };
  // A word the flow would reject later (unknown style, deployment, ...) is an error at its line.
  auto checkValue = [&](const YAML::Node& node, const std::string& key, auto&& parse) {
    try {
      parse();
    } catch (const std::exception& e) {
      throw RecipeError(fmt::format("{}: key '{}': {}", where(source, node), key, e.what()));
    }
  };
  bool haveWorkload = false;
  std::string workloadMark, latencyMark;
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (key == "name")
      r.name = text(source, key, v);
    else if (key == "workload") {
      r.workload = text(source, key, v);
      haveWorkload = true;
      workloadMark = where(source, v);
    } else if (key == "style") {
      r.style = text(source, key, v);
      checkValue(v, key, [&] { parseStyle(r.style); });
    } else if (key == "deployment") {
      r.deployment = text(source, key, v);
      checkValue(v, key, [&] { search::parseDeployment(r.deployment); });
    } else if (key == "objective") {
      r.objective = text(source, key, v);
      checkValue(v, key, [&] { search::parseObjective(r.objective); });
    } else if (key == "constraint") {
      r.constraint = text(source, key, v);
      checkValue(v, key, [&] { search::Constraint::parse(r.constraint); });
    } else if (key == "budget")
      r.budget = text(source, key, v);
    else if (key == "algorithms") {
      if (!v.IsSequence() || v.size() == 0)
        throw RecipeError(
            fmt::format("{}: key 'algorithms' must be a non-empty list", where(source, v)));
      r.algorithms.clear();
      for (const auto& a : v) r.algorithms.push_back(text(source, "algorithms", a));
    } else if (key == "samples") {
      r.samples = scalar<int64_t>(source, key, v, "a whole number");
      require(r.samples > 0, v, "key 'samples' must be positive");
    } else if (key == "seed")
      r.seed = scalar<uint64_t>(source, key, v, "a non-negative whole number");
    else if (key == "dram") {
      if (!v.IsMap())
        throw RecipeError(fmt::format("{}: key 'dram' must be a mapping", where(source, v)));
      for (const auto& d : v) {
        const std::string k = d.first.as<std::string>();
        if (k == "bytes_per_cycle") {
          r.dramBytesPerCycle =
              scalar<int64_t>(source, "dram.bytes_per_cycle", d.second, "a whole number");
          require(r.dramBytesPerCycle > 0, d.second, "key 'dram.bytes_per_cycle' must be positive");
        } else if (k == "latency") {
          r.dramLatencyCycles = scalar<int64_t>(source, "dram.latency", d.second, "a whole number");
          require(r.dramLatencyCycles >= 0, d.second, "key 'dram.latency' must not be negative");
          latencyMark = where(source, d.second);
        } else
          throw RecipeError(
              fmt::format("{}: unknown key 'dram.{}' (known: bytes_per_cycle, latency)",
                          where(source, d.first), k));
      }
    } else if (key == "simulate") {
      if (!v.IsMap())
        throw RecipeError(fmt::format("{}: key 'simulate' must be a mapping", where(source, v)));
      for (const auto& d : v) {
        const std::string k = d.first.as<std::string>();
        if (k == "layers") {
          if (!d.second.IsSequence())
            throw RecipeError(
                fmt::format("{}: key 'simulate.layers' must be a list of layer indices",
                            where(source, d.second)));
          for (const auto& i : d.second) {
            r.simulateLayers.push_back(
                scalar<int64_t>(source, "simulate.layers", i, "a layer index"));
            require(r.simulateLayers.back() >= 0, i,
                    fmt::format("key 'simulate.layers': {} is not a layer index",
                                r.simulateLayers.back()));
          }
        } else if (k == "scale") {
          r.simulateScale = scalar<double>(source, "simulate.scale", d.second, "a number");
          require(r.simulateScale > 0 && r.simulateScale <= 1, d.second,
                  "key 'simulate.scale' must be in (0, 1]");
        } else {
          throw RecipeError(fmt::format("{}: unknown key 'simulate.{}' (known: layers, scale)",
                                        where(source, d.first), k));
        }
      }
    } else if (key == "fpga") {
      if (!v.IsMap())
        throw RecipeError(fmt::format("{}: key 'fpga' must be a mapping", where(source, v)));
      for (const auto& d : v) {
        const std::string k = d.first.as<std::string>();
        if (k == "part") {
          r.fpgaPart = text(source, "fpga.part", d.second);
          try {
            flows::fpgaPart(r.fpgaPart);
          } catch (const ConfigError& e) {
            throw RecipeError(
                fmt::format("{}: key 'fpga.part': {}", where(source, d.second), e.what()));
          }
        } else if (k == "synthesize") {
          r.fpgaSynthesize = scalar<bool>(source, "fpga.synthesize", d.second, "true or false");
        } else {
          throw RecipeError(fmt::format("{}: unknown key 'fpga.{}' (known: part, synthesize)",
                                        where(source, d.first), k));
        }
      }
    } else if (key == "output")
      r.output = text(source, key, v);
    else
      throw RecipeError(fmt::format(
          "{}: unknown key '{}' (known: name, workload, style, deployment, objective, constraint, "
          "budget, algorithms, samples, seed, dram, simulate, fpga, output)",
          where(source, kv.first), key));
  }
  if (!haveWorkload) throw RecipeError(fmt::format("{}: missing key 'workload'", source));
  // The generated DMA answers a read one cycle after it at the soonest: a recipe that asks for
  // simulation cannot model a zero-latency DRAM.
  if (r.dramLatencyCycles == 0 && !r.simulateLayers.empty())
    throw RecipeError(fmt::format(
        "{}: key 'dram.latency' is 0, but the generated RTL needs a DRAM latency of at least 1 "
        "cycle to simulate (key 'simulate'; drop it or set a latency)",
        latencyMark));
  // Files named in a recipe are relative to the recipe.
  namespace fs = std::filesystem;
  if (!isZooName(r.workload)) {
    fs::path w(r.workload);
    std::error_code ec;
    if (w.is_relative() && !baseDir.empty() && fs::exists(fs::path(baseDir) / w, ec))
      r.workload = (fs::path(baseDir) / w).string();
    if (!fs::exists(r.workload, ec))
      throw RecipeError(
          fmt::format("{}: key 'workload': '{}' is neither a zoo model nor an existing file",
                      workloadMark, r.workload));
  }
  return r;
}

Recipe Recipe::parseFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw RecipeError(fmt::format("{}: no such recipe file", path));
  if (fs::is_directory(path, ec))
    throw RecipeError(fmt::format("{}: is a directory, expected a recipe", path));
  std::ifstream in(path);
  if (!in) throw RecipeError(fmt::format("{}: cannot open", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path, fs::path(path).parent_path().string());
}

Recipe quickstartRecipe() {
  return Recipe::parse(kQuickstartRecipe, "built-in quickstart", "");
}

}  // namespace analects::flows
