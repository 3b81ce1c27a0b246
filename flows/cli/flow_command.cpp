// analects flow [recipe.yaml]: search -> design -> RTL -> simulation and Yosys -> report.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "analects/flows/flow.h"
#include "commands.h"

namespace analects::cli {

namespace {

// Per synthesized design: Yosys counts and how the model compares (the numbers are in fpga.json).
nlohmann::json fpgaSummaryJson(const flows::FlowFpga& f) {
  nlohmann::json designs = nlohmann::json::array();
  for (const auto& d : f.designs) {
    nlohmann::json j = {{"design", d.top}, {"layers", d.layers}};
    if (!d.error.empty()) {
      j["error"] = d.error;
    } else {
      const auto& r = d.report;
      const flows::FpgaModelCheck c = flows::checkModel(r);
      j["yosys"] = {{"dsp", r.yosys.dsp},
                    {"bram18", r.yosys.bram18},
                    {"bram36", r.yosys.bram36},
                    {"lut", r.yosys.lut},
                    {"ff", r.yosys.ff}};
      j["model"] = {{"dsp", r.model.dsp},
                    {"bram18", r.model.bram18},
                    {"bram36", r.model.bram36},
                    {"lut", r.model.lut},
                    {"ff", r.model.ff}};
      j["within_target"] = c.withinTarget();
      j["fits"] = r.fits;
    }
    designs.push_back(std::move(j));
  }
  return {{"part", f.part.name},
          {"source", f.synthesized() > 0 ? "yosys" : "cost model"},
          {"designs", designs}};
}

void printFpga(const flows::FlowFpga& f) {
  for (const auto& d : f.designs) {
    if (!d.error.empty()) continue;
    const auto& r = d.report;
    std::string line = fmt::format("FPGA {} ({}): yosys DSP {} BRAM18 {} BRAM36 {} LUT {} FF {}",
                                   d.top, f.part.name, r.yosys.dsp, r.yosys.bram18, r.yosys.bram36,
                                   r.yosys.lut, r.yosys.ff);
    if (!f.part.isIce40()) {
      const flows::FpgaModelCheck c = flows::checkModel(r);
      line +=
          fmt::format("; model: DSP {}, BRAM {}, LUT {:+.1f}%", c.dspExact ? "exact" : "DIFFERS",
                      c.bramExact ? "exact" : "DIFFERS", c.lutDiffPct);
    }
    fmt::print("{}; {}\n", line, r.fits ? "fits" : "does NOT fit");
  }
  const FpgaResources& m = f.modelTotal;
  const std::string what =
      f.arrays == 1 ? "the accelerator" : fmt::format("all {} sub-accelerators", f.arrays);
  std::string bram = f.part.isIce40() ? std::string()
                                      : fmt::format(" BRAM36 tiles {}/{}",
                                                    f.modelTotalBram36Tiles(), f.part.bram36);
  const bool fits = m.dsp <= f.part.dsp && m.lut <= f.part.lut && m.ff <= f.part.ff &&
                    (f.part.isIce40() || f.modelTotalBram36Tiles() <= f.part.bram36);
  fmt::print("FPGA {}: cost model, {}: DSP {}/{}{} LUT {}/{} FF {}/{}; {}\n", f.part.name, what,
             m.dsp, f.part.dsp, bram, m.lut, f.part.lut, m.ff, f.part.ff,
             fits ? "fits" : "does NOT fit");
}

}  // namespace

Action addFlowCommand(CLI::App& app) {
  auto recipePath = std::make_shared<std::string>();
  auto outDir = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* cmd =
      app.add_subcommand("flow", "Run a whole flow from a YAML recipe (no recipe: the quickstart)");
  cmd->footer(
      "Examples:\n  analects flow                                  # built-in quickstart\n"
      "  analects flow flows/recipes/resnet50_lp.yaml -o out/r50\n"
      "Recipe keys: name, workload, style, deployment, objective, constraint, budget,\n"
      "algorithms, samples, seed, dram{bytes_per_cycle,latency}, simulate{layers,scale},\n"
      "fpga{part,synthesize}, output (README.md, \"Recipes\").");
  cmd->add_option("recipe", *recipePath, "Recipe YAML file");
  cmd->add_option("-o,--output", *outDir, "Output directory (overrides the recipe's)");
  auto jobs = std::make_shared<int>(2);
  cmd->add_option("-j,--jobs", *jobs,
                  "Tool processes at a time: 2 runs Yosys beside the simulation (default 2)")
      ->check(CLI::Range(1, 2));
  cmd->add_flag("--json", *json, "Print a JSON summary");
  return [=]() -> int {
    flows::Recipe recipe =
        recipePath->empty() ? flows::quickstartRecipe() : flows::Recipe::parseFile(*recipePath);
    if (!outDir->empty()) recipe.output = *outDir;
    flows::FlowOptions options;
    options.quiet = *json;
    options.jobs = *jobs;
    flows::FlowSummary s = flows::runFlow(recipe, options);
    if (*json) {
      nlohmann::json j = {{"output", s.outputDir},
                          {"design", s.design},
                          {"objective", s.objective},
                          {"unit", s.objectiveUnit},
                          {"files", s.written}};
      j["optimum"] = s.optimum >= 0 ? nlohmann::json(s.optimum) : nlohmann::json();
      j["gap_pct"] = s.gapPct >= 0 ? nlohmann::json(s.gapPct) : nlohmann::json();
      j["simulated_layers"] = s.simulated;
      j["not_runnable"] = s.notRunnable;
      j["sim_ok"] = s.simOk;
      j["fpga"] = fpgaSummaryJson(s.fpga);
      fmt::print("{}\n", j.dump(1));
      return s.simOk && s.fpgaErrors().empty() ? 0 : 1;
    }
    fmt::print("\n{}: design {}, objective {:.6g} {}", recipe.name, s.design, s.objective,
               s.objectiveUnit);
    if (s.optimum >= 0) fmt::print(" (proven optimum {:.6g}, gap {:.3f}%)", s.optimum, s.gapPct);
    fmt::print("\n");
    for (const auto& n : s.notRunnable) fmt::print("not runnable on the generated design: {}\n", n);
    if (s.simulated)
      fmt::print("RTL simulation: {} layers, {}\n", s.simulated,
                 s.simOk ? "every one bit-exact and cycle-exact against the model"
                         : "NOT all bit-exact and cycle-exact (see sim.csv)");
    printFpga(s.fpga);
    for (const auto& e : s.fpgaErrors()) fmt::print("FPGA estimate failed: {}\n", e);
    for (const auto& f : s.written) fmt::print("  wrote {}\n", f);
    return s.simOk && s.fpgaErrors().empty() ? 0 : 1;
  };
}

}  // namespace analects::cli
