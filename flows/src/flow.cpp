#include "analects/flows/flow.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/cost_table.h"
#include "analects/costmodel/workload.h"
#include "analects/flows/progress_bar.h"
#include "analects/flows/report.h"
#include "analects/rtlgen/rtlgen.h"
#include "analects/sim/sim.h"
#include "analects/search/exact.h"
#include "analects/search/output.h"
#include "analects/search/search.h"

namespace analects::flows {

namespace fs = std::filesystem;

void writeFileAtomic(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw std::runtime_error(fmt::format("{}: cannot open for writing", path));
    out << text;
    if (!out) throw std::runtime_error(fmt::format("{}: write failed", path));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw std::runtime_error(fmt::format("{}: cannot write: {}", path, ec.message()));
}

namespace {

// "0.5" is a ratio, "abs:V" or a number above 1 absolute, else a platform/keyword.
search::Budget budgetFrom(const std::string& text) {
  if (text.rfind("abs:", 0) == 0) return search::Budget::absolute(std::stod(text.substr(4)));
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end && *end == '\0' && !text.empty()) {
    if (!(v > 0)) throw search::SearchError(fmt::format("budget {} must be positive", text));
    return v <= 1 ? search::Budget::ratio(v) : search::Budget::absolute(v);
  }
  return search::Budget::parse(text);
}

class Progress {
 public:
  explicit Progress(bool quiet) : quiet_(quiet), t0_(std::chrono::steady_clock::now()) {}
  void step(const std::string& what) {
    if (quiet_) return;
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    fmt::print(stderr, "[{:7.2f}s] {}\n", s, what);
  }

 private:
  bool quiet_;
  std::chrono::steady_clock::time_point t0_;
};

}  // namespace

FlowSummary runFlow(const Recipe& recipe, const FlowOptions& options) {
  Progress progress(options.quiet);
  FlowSummary summary;
  summary.outputDir = recipe.output;

  // Everything that can fail on bad input fails before any output is written.
  Workload workload = loadWorkload(recipe.workload);
  auto model = makeCostModel(recipe.style);
  search::ProblemSpec spec;
  spec.deployment = search::parseDeployment(recipe.deployment);
  spec.objective = search::parseObjective(recipe.objective);
  spec.constraint = search::Constraint::parse(recipe.constraint);
  spec.budget = budgetFrom(recipe.budget);
  for (const auto& a : recipe.algorithms) {
    bool known = false;
    for (const auto& info : search::searchAlgorithms()) known = known || info.name == a;
    if (!known) throw search::SearchError(fmt::format("{}: unknown algorithm '{}'", recipe.source, a));
  }
  for (auto i : recipe.simulateLayers)
    if (i >= int64_t(workload.layers.size()))
      throw std::runtime_error(fmt::format("{}: simulate.layers: layer {} does not exist ({} has {} layers)",
                                           recipe.source, i, workload.name, workload.layers.size()));
  fs::create_directories(recipe.output);
  auto out = [&](const std::string& file) { return (fs::path(recipe.output) / file).string(); };
  for (const auto& w : workload.warnings) fmt::print(stderr, "warning: {}\n", w);

  // 1. Cost table and search.
  search::ActionLevels levels = search::defaultActionLevels(spec);
  HardwareParams hw{recipe.dramBytesPerCycle, recipe.dramLatencyCycles};
  progress.step(fmt::format("cost table: {} layers x {} PE x {} buffer levels ({})", workload.layers.size(),
                            levels.pes.size(), levels.bufferBytes.size(), recipe.style));
  CostTable table = CostTable::build(workload, *model, levels.pes, levels.bufferBytes, hw);
  search::Problem problem(workload, std::move(table), spec);
  if (problem.impossibleReason())
    throw search::SearchError(fmt::format("impossible budget: {}", *problem.impossibleReason()));

  std::vector<search::SearchResult> results;
  search::SearchOptions so;
  so.samples = recipe.samples;
  so.seed = recipe.seed;
  for (const auto& a : recipe.algorithms) {
    progress.step(fmt::format("search: {} ({} samples)", a, recipe.samples));
    ProgressBar bar(a);
    if (!options.quiet)
      so.progress = [&](int64_t used, int64_t budget, double best) {
        bar.update(used, budget, std::isnan(best) ? "no feasible design yet" : fmt::format("best {:.6g}", best));
      };
    results.push_back(search::runSearch(a, problem, so));
    bar.finish();
  }
  std::optional<double> optimum;
  for (const auto& r : results)
    if (r.provenOptimal && r.status == search::SearchStatus::Found) optimum = r.bestEval.objective;
  if (!optimum && search::exactSupported(problem)) {
    search::SearchResult ex = search::solveExact(problem);
    if (ex.status == search::SearchStatus::Found) optimum = ex.bestEval.objective;
  }
  {
    std::string csv = "algorithm,samples,best_objective,seconds\n";
    for (const auto& r : results)
      for (const auto& p : r.trace)
        csv += fmt::format("{},{},{:.17g},{:.6f}\n", r.algorithm, p.samples, p.bestObjective, p.seconds);
    writeFileAtomic(out("trace.csv"), csv);
    summary.written.push_back(out("trace.csv"));
  }
  // The generated design is the best feasible one any algorithm found (ties: listed first).
  const search::SearchResult* best = nullptr;
  for (const auto& r : results)
    if (r.status == search::SearchStatus::Found &&
        (!best || r.bestEval.objective < best->bestEval.objective))
      best = &r;
  if (!best)
    throw search::SearchError(fmt::format("no algorithm found a design within the budget ({})",
                                          results.front().message));
  const search::SearchResult& chosen = *best;

  // 2. The chosen design: one accelerator (LS) or one per layer (LP).
  auto allocations = search::allocationsOf(problem, chosen.best);
  std::vector<ArrayConfig> arrays;
  std::vector<Cost> layerCosts;
  if (spec.deployment == search::Deployment::LayerSequential) {
    int64_t pes = 0, buffer = 0;
    for (const auto& a : allocations) pes = std::max(pes, a.pes), buffer = std::max(buffer, a.bufferBytes);
    ArrayConfig c = model->configFor(workload.layers.front(), Allocation{pes, buffer}, hw);
    chooseArrayShape(*model, workload, pes, c);
    arrays.push_back(c);
    for (size_t i = 0; i < workload.layers.size(); ++i)
      layerCosts.push_back(model->cost(workload.layers[i], allocations[i], hw));
  } else {
    for (size_t i = 0; i < workload.layers.size(); ++i) {
      arrays.push_back(model->configFor(workload.layers[i], allocations[i], hw));
      layerCosts.push_back(model->evaluate(workload.layers[i], arrays.back()));
    }
  }
  nlohmann::json design = search::designJson(problem, chosen);
  design["arrays"] = nlohmann::json::array();
  for (const auto& c : arrays)
    design["arrays"].push_back({{"name", c.name()}, {"style", styleName(c.style)}, {"atomK", c.atomK},
                                {"atomC", c.atomC}, {"rows", c.rows}, {"cols", c.cols},
                                {"filter_spad", c.filterSpad}, {"ifmap_spad", c.ifmapSpad},
                                {"psum_spad", c.psumSpad}, {"buffer_bytes", c.bufferBytes},
                                {"acc_depth_pixels", c.accDepthPixels},
                                {"pipeline_depth", c.pipelineDepth}, {"output_bytes", c.outputBytes},
                                {"dram_bytes_per_cycle", c.dramBytesPerCycle},
                                {"dram_latency_cycles", c.dramLatencyCycles}});
  writeFileAtomic(out("design.json"), design.dump(1) + "\n");
  summary.written.push_back(out("design.json"));
  summary.design = arrays.size() == 1 ? arrays.front().name() : fmt::format("{} sub-accelerators", arrays.size());
  summary.objective = chosen.bestEval.objective;
  summary.objectiveUnit = search::objectiveUnit(spec.objective);
  if (optimum) {
    summary.optimum = *optimum;
    summary.gapPct = *optimum > 0 ? 100 * (chosen.bestEval.objective - *optimum) / *optimum : 0;
  }

  // 3. RTL of the chosen design and simulation of the recipe's layers: outputs bit-exact,
  //    RTL cycles against the model. LS: one accelerator; LP: each simulated layer's own.
  std::vector<SimRow> simRows;
  if (!recipe.simulateLayers.empty()) {
    if (model->style() != Style::Nvdla)
      throw std::runtime_error(fmt::format("{}: simulate: RTL exists for the nvdla style only",
                                           recipe.source));
    const fs::path rtlDir = fs::path(recipe.output) / "rtl";
    sim::SimOptions so;
    so.spatialScale = std::max<int64_t>(1, std::llround(1.0 / recipe.simulateScale));
    so.seed = recipe.seed;
    so.log = [&](const std::string& line) { progress.step("  " + line); };
    // Which array runs which simulated layers.
    std::vector<std::pair<size_t, std::vector<std::string>>> runs;  // array index, layers
    for (int64_t i : recipe.simulateLayers) {
      size_t a = arrays.size() == 1 ? 0 : size_t(i);
      auto it = std::find_if(runs.begin(), runs.end(), [&](const auto& r) { return r.first == a; });
      if (it == runs.end()) runs.push_back({a, {}}), it = runs.end() - 1;
      it->second.push_back(std::to_string(i));
    }
    for (const auto& [a, layers] : runs) {
      const ArrayConfig& c = arrays[a];
      fs::path dir = arrays.size() == 1 ? rtlDir : rtlDir / rtlgen::topName(c);
      progress.step(fmt::format("rtl: {} -> {}", rtlgen::topName(c), dir.string()));
      rtlgen::GeneratedDesign g = rtlgen::generate(c, dir.string());
      so.layers = layers;
      progress.step(fmt::format("simulate: layers {} at scale 1/{}", fmt::join(layers, ","), so.spatialScale));
      sim::SimResult r = sim::simulate(g.designJson, workload, so);
      for (const auto& l : r.layers) simRows.push_back({r.top, l});
    }
    std::string csv = "design,layer,shape,macs,model_cycles,rtl_cycles,error_pct,outputs_match,utilization,error\n";
    for (const auto& row : simRows) {
      const auto& l = row.layer;
      csv += fmt::format("{},{},\"{}\",{},{},{},{:.6f},{},{:.6f},\"{}\"\n", row.design, l.name, l.shape,
                         l.macs, l.modelCycles, l.rtlCycles, l.errorPct, l.outputsMatch ? 1 : 0,
                         l.utilization, l.error);
    }
    writeFileAtomic(out("sim.csv"), csv);
    summary.written.push_back(out("sim.csv"));
    // A layer the design cannot run (its tiles do not fit) is reported, not a failure; every
    // layer that ran must be bit-exact and cycle-exact.
    for (const auto& row : simRows) {
      if (!row.layer.error.empty()) {
        summary.notRunnable.push_back(fmt::format("{}: {}", row.layer.name, row.layer.error));
        continue;
      }
      ++summary.simulated;
      summary.simOk = summary.simOk && row.layer.ok();
    }
  }

  // 4. FPGA estimate of the chosen design(s) from the cost model's resource model.
  progress.step("FPGA estimate");
  FpgaResources total;
  for (const auto& c : arrays) {
    FpgaResources r = model->fpgaResources(c);
    total.dsp += r.dsp, total.bram18 += r.bram18, total.bram36 += r.bram36, total.lut += r.lut, total.ff += r.ff;
  }
  nlohmann::json fpga = {{"part", recipe.fpgaPart}, {"source", "cost model"},
                         {"dsp", total.dsp}, {"bram18", total.bram18}, {"bram36", total.bram36},
                         {"lut", total.lut}, {"ff", total.ff}};
  writeFileAtomic(out("fpga.json"), fpga.dump(1) + "\n");
  summary.written.push_back(out("fpga.json"));

  // 5. Report.
  progress.step("report");
  ReportInput in{recipe, problem, results, chosen, optimum, arrays, layerCosts, *model, total, simRows};
  writeFileAtomic(out("report.html"), renderReport(in));
  summary.written.push_back(out("report.html"));
  return summary;
}

}  // namespace analects::flows
