// analects flow [recipe.yaml]: search -> design -> FPGA estimate -> report.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "analects/flows/flow.h"
#include "commands.h"

namespace analects::cli {

Action addFlowCommand(CLI::App& app) {
  auto recipePath = std::make_shared<std::string>();
  auto outDir = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("flow", "Run a whole flow from a YAML recipe (no recipe: the quickstart)");
  cmd->footer("Examples:\n  analects flow                                  # built-in quickstart\n"
              "  analects flow flows/recipes/resnet50_lp.yaml -o out/r50\n"
              "Recipe keys: name, workload, style, deployment, objective, constraint, budget,\n"
              "algorithms, samples, seed, dram{bytes_per_cycle,latency}, simulate{layers,scale},\n"
              "fpga{part}, output (README.md, \"Recipes\").");
  cmd->add_option("recipe", *recipePath, "Recipe YAML file");
  cmd->add_option("-o,--output", *outDir, "Output directory (overrides the recipe's)");
  cmd->add_flag("--json", *json, "Print a JSON summary");
  return [=]() -> int {
    flows::Recipe recipe = recipePath->empty() ? flows::quickstartRecipe()
                                               : flows::Recipe::parseFile(*recipePath);
    if (!outDir->empty()) recipe.output = *outDir;
    flows::FlowOptions options;
    options.quiet = *json;
    flows::FlowSummary s = flows::runFlow(recipe, options);
    if (*json) {
      nlohmann::json j = {{"output", s.outputDir}, {"design", s.design}, {"objective", s.objective},
                          {"unit", s.objectiveUnit}, {"files", s.written}};
      j["optimum"] = s.optimum >= 0 ? nlohmann::json(s.optimum) : nlohmann::json();
      j["gap_pct"] = s.gapPct >= 0 ? nlohmann::json(s.gapPct) : nlohmann::json();
      j["simulated_layers"] = s.simulated;
      j["not_runnable"] = s.notRunnable;
      j["sim_ok"] = s.simOk;
      fmt::print("{}\n", j.dump(1));
      return s.simOk ? 0 : 1;
    }
    fmt::print("\n{}: design {}, objective {:.6g} {}", recipe.name, s.design, s.objective, s.objectiveUnit);
    if (s.optimum >= 0) fmt::print(" (proven optimum {:.6g}, gap {:.3f}%)", s.optimum, s.gapPct);
    fmt::print("\n");
    for (const auto& n : s.notRunnable) fmt::print("not runnable on the generated design: {}\n", n);
    if (s.simulated)
      fmt::print("RTL simulation: {} layers, {}\n", s.simulated,
                 s.simOk ? "every one bit-exact and cycle-exact against the model"
                         : "NOT all bit-exact and cycle-exact (see sim.csv)");
    for (const auto& f : s.written) fmt::print("  wrote {}\n", f);
    return s.simOk ? 0 : 1;
  };
}

}  // namespace analects::cli
