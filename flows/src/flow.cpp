#include "analects/flows/flow.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/cost_table.h"
#include "analects/costmodel/workload.h"
#include "analects/flows/fpga.h"
#include "analects/flows/progress_bar.h"
#include "analects/flows/report.h"
#include "analects/rtlgen/rtlgen.h"
#include "analects/search/exact.h"
#include "analects/search/output.h"
#include "analects/search/search.h"
#include "analects/sim/sim.h"

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

class Progress {
 public:
  explicit Progress(bool quiet) : quiet_(quiet), t0_(std::chrono::steady_clock::now()) {}
  // Thread-safe: the background Yosys runs report here too.
  void step(const std::string& what) {
    if (quiet_) return;
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    std::lock_guard<std::mutex> lock(mutex_);
    fmt::print(stderr, "[{:7.2f}s] {}\n", s, what);
  }

 private:
  std::mutex mutex_;
  bool quiet_;
  std::chrono::steady_clock::time_point t0_;
};

// A generated design: the array, the workload layers it stands for, the layers to simulate
// on it (names for sim::SimOptions), and its RTL directory.
struct RtlRun {
  size_t array = 0;
  std::vector<int64_t> layers;
  fs::path dir;
  std::vector<std::string> simulated;
};

// The recipe's simulated layers grouped by the array that runs them (LS: all on the one
// accelerator; LP: each on its own, identical sub-accelerators sharing one directory).
std::vector<RtlRun> rtlRuns(const Recipe& recipe, const std::vector<ArrayConfig>& arrays,
                            const fs::path& rtlDir) {
  std::vector<RtlRun> runs;
  for (int64_t i : recipe.simulateLayers) {
    const size_t a = arrays.size() == 1 ? 0 : size_t(i);
    const fs::path dir = arrays.size() == 1 ? rtlDir : rtlDir / rtlgen::topName(arrays[a]);
    auto it = std::find_if(runs.begin(), runs.end(), [&](const RtlRun& r) { return r.dir == dir; });
    if (it == runs.end()) {
      runs.push_back({a, {}, dir, {}});
      it = runs.end() - 1;
    }
    it->layers.push_back(i);
    it->simulated.push_back(std::to_string(i));
  }
  return runs;
}

// fpga.json: per synthesized design the `analects fpga --json` report (Yosys vs model vs
// capacity) with the layers it runs, then the cost model's total over every array.
std::string flowFpgaJson(const FlowFpga& f) {
  using json = nlohmann::json;
  json part = {{"name", f.part.name}, {"board", f.part.board}, {"family", f.part.family},
               {"dsp", f.part.dsp},   {"lut", f.part.lut},     {"ff", f.part.ff}};
  if (f.part.isIce40())
    part["ebr"] = f.part.ebr, part["spram"] = f.part.spram;
  else
    part["bram36"] = f.part.bram36;
  json designs = json::array();
  std::vector<std::string> errors;
  for (const auto& d : f.designs) {
    json j;
    if (d.error.empty()) {
      j = json::parse(fpgaReportJson(d.report));
      j.erase("part");  // the same for every design: top level
    } else {
      j = {{"design", d.top}, {"error", d.error}};
      errors.push_back(fmt::format("{}: {}", d.top, d.error));
    }
    j["array"] = d.array;
    j["layers"] = d.layers;
    j["design_json"] = d.designJson;
    designs.push_back(std::move(j));
  }
  const FpgaResources& m = f.modelTotal;
  const int64_t tiles = f.modelTotalBram36Tiles();
  json overflows = json::array();
  auto check = [&](const char* what, int64_t need, int64_t have) {
    if (have >= 0 && need > have) overflows.push_back(fmt::format("{} {} > {}", what, need, have));
  };
  check("DSP", m.dsp, f.part.dsp);
  if (!f.part.isIce40()) check("BRAM (36 Kb tiles)", tiles, f.part.bram36);
  check("LUT", m.lut, f.part.lut);
  check("FF", m.ff, f.part.ff);
  json total = {
      {"arrays", f.arrays},    {"dsp", m.dsp}, {"bram18", m.bram18}, {"bram36", m.bram36},
      {"bram36_tiles", tiles}, {"lut", m.lut}, {"ff", m.ff},         {"fits", overflows.empty()},
      {"overflows", overflows}};
  const bool yosys = f.synthesized() > 0;
  return json{{"part", part},
              {"synthesize", f.synthesize},
              {"source", yosys ? "yosys" : "cost model"},
              {"selection", f.selection},
              {"designs", designs},
              {"model_total", total},
              {"notes", f.notes},
              {"errors", errors}}
      .dump(1);
}

// Runs fpgaEstimate on every design of a FlowFpga, one Yosys at a time: on a background thread
// from construction (when `background`), and on the caller's thread in finish(), which returns
// when every design has its numbers or its error. Destruction without finish() (an exception
// in the flow) starts no new Yosys run and waits for the running one.
class YosysJobs {
 public:
  // `effort`: a relative Yosys run time per design; the longest start first so the two lanes
  // end together.
  YosysJobs(FlowFpga& fpga, Progress& progress, bool background, const std::vector<double>& effort)
      : fpga_(fpga), progress_(progress) {
    if (fpga_.designs.empty()) return;
    for (size_t i = 0; i < fpga_.designs.size(); ++i) order_.push_back(i);
    std::stable_sort(order_.begin(), order_.end(),
                     [&](size_t a, size_t b) { return effort[a] > effort[b]; });
    progress_.step(fmt::format("yosys: {} for the {} on {} design(s){}",
                               fpgaSynthCommand(fpga_.part), fpga_.part.name, fpga_.designs.size(),
                               background ? ", in the background" : ""));
    if (background) thread_ = std::thread([this] { work(); });
  }
  ~YosysJobs() {
    next_ = fpga_.designs.size();
    if (thread_.joinable()) thread_.join();
  }
  void finish() {
    work();
    if (thread_.joinable()) {
      if (done_ < fpga_.designs.size()) progress_.step("yosys: waiting for the last synthesis");
      thread_.join();
    }
  }

 private:
  void work() {
    const size_t n = fpga_.designs.size();
    for (size_t k; (k = next_++) < n;) {
      const size_t i = order_[k];
      FlowFpga::Design& d = fpga_.designs[i];
      progress_.step(fmt::format("yosys {}/{}: synthesizing {}", i + 1, n, d.top));
      try {
        FpgaOptions o;
        o.placeAndRoute = true;
        d.report = fpgaEstimate(d.designJson, fpga_.part, o);
        progress_.step(fmt::format("yosys {}/{}: {}", i + 1, n, yosysLine(d.report)));
      } catch (const std::exception& e) {
        d.error = e.what();
        progress_.step(fmt::format("yosys {}/{}: {} failed: {}", i + 1, n, d.top, d.error));
      }
      ++done_;
    }
  }
  static std::string yosysLine(const FpgaReport& r) {
    std::string s = fmt::format("{}: DSP {} (model {})", r.top, r.yosys.dsp, r.model.dsp);
    if (!r.part.isIce40()) {
      const FpgaModelCheck c = checkModel(r);
      s += fmt::format(", BRAM18/36 {}/{} (model {}/{}), LUT {} (model {:+.1f}%)", r.yosys.bram18,
                       r.yosys.bram36, r.model.bram18, r.model.bram36, r.yosys.lut, c.lutDiffPct);
    } else {
      s += fmt::format(", LUT4 {}", r.yosys.lut);
    }
    s += r.cached ? ", cached" : fmt::format(", {:.0f} s", r.yosysSeconds);
    return s;
  }

  FlowFpga& fpga_;
  Progress& progress_;
  std::vector<size_t> order_;  // indices into fpga_.designs, longest run first
  std::atomic<size_t> next_{0}, done_{0};
  std::thread thread_;
};

}  // namespace

std::vector<std::string> FlowSummary::fpgaErrors() const {
  std::vector<std::string> errors;
  for (const auto& d : fpga.designs)
    if (!d.error.empty()) errors.push_back(fmt::format("{}: {}", d.top, d.error));
  return errors;
}

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
  spec.budget = search::Budget::fromUser(recipe.budget);
  for (const auto& a : recipe.algorithms) {
    bool known = false;
    for (const auto& info : search::searchAlgorithms()) known = known || info.name == a;
    if (!known)
      throw search::SearchError(fmt::format("{}: unknown algorithm '{}'", recipe.source, a));
  }
  for (auto i : recipe.simulateLayers)
    if (i >= int64_t(workload.layers.size()))
      throw std::runtime_error(
          fmt::format("{}: simulate.layers: layer {} does not exist ({} has {} layers)",
                      recipe.source, i, workload.name, workload.layers.size()));
  const FpgaPart& part = fpgaPart(recipe.fpgaPart);
  fs::create_directories(recipe.output);
  auto out = [&](const std::string& file) { return (fs::path(recipe.output) / file).string(); };
  for (const auto& w : workload.warnings) fmt::print(stderr, "warning: {}\n", w);

  // 1. Cost table and search.
  search::ActionLevels levels = search::defaultActionLevels(spec);
  HardwareParams hw{recipe.dramBytesPerCycle, recipe.dramLatencyCycles};
  progress.step(fmt::format("cost table: {} layers x {} PE x {} buffer levels ({})",
                            workload.layers.size(), levels.pes.size(), levels.bufferBytes.size(),
                            recipe.style));
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
        bar.update(used, budget,
                   std::isnan(best) ? "no feasible design yet" : fmt::format("best {:.6g}", best));
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
        csv += fmt::format("{},{},{:.17g},{:.6f}\n", r.algorithm, p.samples, p.bestObjective,
                           p.seconds);
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
    throw search::SearchError(
        fmt::format("no algorithm found a design within the budget ({})", results.front().message));
  const search::SearchResult& chosen = *best;

  // 2. The chosen design: one accelerator (LS) or one per layer (LP).
  auto allocations = search::allocationsOf(problem, chosen.best);
  std::vector<ArrayConfig> arrays;
  std::vector<Cost> layerCosts;
  if (spec.deployment == search::Deployment::LayerSequential) {
    int64_t pes = 0, buffer = 0;
    for (const auto& a : allocations)
      pes = std::max(pes, a.pes), buffer = std::max(buffer, a.bufferBytes);
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
    design["arrays"].push_back({{"name", c.name()},
                                {"style", styleName(c.style)},
                                {"atomK", c.atomK},
                                {"atomC", c.atomC},
                                {"rows", c.rows},
                                {"cols", c.cols},
                                {"filter_spad", c.filterSpad},
                                {"ifmap_spad", c.ifmapSpad},
                                {"psum_spad", c.psumSpad},
                                {"buffer_bytes", c.bufferBytes},
                                {"acc_depth_pixels", c.accDepthPixels},
                                {"pipeline_depth", c.pipelineDepth},
                                {"output_bytes", c.outputBytes},
                                {"dram_bytes_per_cycle", c.dramBytesPerCycle},
                                {"dram_latency_cycles", c.dramLatencyCycles}});
  writeFileAtomic(out("design.json"), design.dump(1) + "\n");
  summary.written.push_back(out("design.json"));
  summary.design = arrays.size() == 1 ? arrays.front().name()
                                      : fmt::format("{} sub-accelerators", arrays.size());
  summary.objective = chosen.bestEval.objective;
  summary.objectiveUnit = search::objectiveUnit(spec.objective);
  if (optimum) {
    summary.optimum = *optimum;
    summary.gapPct = *optimum > 0 ? 100 * (chosen.bestEval.objective - *optimum) / *optimum : 0;
  }

  // 3. RTL of the chosen design: the arrays of the simulated layers (LS: the one accelerator;
  //    LP: each simulated layer's own) and, when the recipe synthesizes but simulates nothing,
  //    the design (LS) or its largest sub-accelerator (LP) for Yosys.
  std::vector<RtlRun> rtl = rtlRuns(recipe, arrays, fs::path(recipe.output) / "rtl");
  FlowFpga fpga;
  fpga.part = part;
  fpga.synthesize = recipe.fpgaSynthesize;
  fpga.arrays = arrays.size();
  for (const auto& c : arrays) {
    FpgaResources r = model->fpgaResources(c);
    fpga.modelTotal.dsp += r.dsp, fpga.modelTotal.bram18 += r.bram18;
    fpga.modelTotal.bram36 += r.bram36, fpga.modelTotal.lut += r.lut, fpga.modelTotal.ff += r.ff;
  }
  if (recipe.fpgaSynthesize && rtl.empty()) {
    size_t pick = 0;  // LS: the accelerator; LP: the most PEs, then the biggest buffer
    for (size_t i = 1; i < arrays.size(); ++i)
      if (arrays[i].pes() > arrays[pick].pes() ||
          (arrays[i].pes() == arrays[pick].pes() &&
           arrays[i].bufferBytes > arrays[pick].bufferBytes))
        pick = i;
    const fs::path rtlDir = fs::path(recipe.output) / "rtl";
    RtlRun run{pick, {}, arrays.size() == 1 ? rtlDir : rtlDir / rtlgen::topName(arrays[pick]), {}};
    if (arrays.size() == 1) {
      fpga.selection = "Nothing was simulated; the accelerator's RTL was generated for Yosys.";
    } else {
      run.layers.push_back(int64_t(pick));
      fpga.selection = fmt::format(
          "Nothing was simulated, so the RTL of the largest of the {} sub-accelerators (layer {}, "
          "{}: {} PEs, {} B buffer) was generated for Yosys; the others have the cost model's "
          "figures only (the total below).",
          arrays.size(), pick, arrays[pick].name(), arrays[pick].pes(), arrays[pick].bufferBytes);
    }
    rtl.push_back(std::move(run));
  } else if (recipe.fpgaSynthesize) {
    if (arrays.size() == 1)
      fpga.selection = "Yosys synthesized the simulated accelerator.";
    else
      fpga.selection = fmt::format(
          "Yosys synthesized the {} simulated sub-accelerator(s) of {}; the others have the cost "
          "model's figures only (the total below).",
          rtl.size(), arrays.size());
  } else {
    fpga.selection = "Synthesis is off in the recipe (fpga: {synthesize: false}): cost model only.";
  }
  std::vector<rtlgen::GeneratedDesign> generated;
  for (auto run = rtl.begin(); run != rtl.end();) {
    progress.step(
        fmt::format("rtl: {} -> {}", rtlgen::topName(arrays[run->array]), run->dir.string()));
    try {
      generated.push_back(rtlgen::generate(arrays[run->array], run->dir.string()));
      ++run;
    } catch (const ConfigError& e) {
      if (!run->simulated.empty()) throw;  // the recipe asked to simulate it: an input error
      // Only wanted for Yosys: a design rtlgen cannot build (e.g. a DRAM port above 8 bytes)
      // keeps the cost model's figures.
      fpga.notes.push_back(fmt::format("{}; the FPGA figures are the cost model's only", e.what()));
      fpga.selection = fmt::format("Nothing was simulated, and rtlgen cannot build {} for Yosys.",
                                   arrays[run->array].name());
      run = rtl.erase(run);
    }
  }

  // 4. Yosys on the generated designs, in the background while the layers simulate (one
  //    Verilator build beside one Yosys), then on two lanes: two cores of a small machine.
  if (recipe.fpgaSynthesize)
    for (size_t i = 0; i < rtl.size(); ++i) {
      FlowFpga::Design d;
      d.array = rtl[i].array;
      d.layers = arrays.size() == 1 ? std::vector<int64_t>{} : rtl[i].layers;
      if (arrays.size() == 1)  // LS: the accelerator runs every layer
        for (size_t l = 0; l < workload.layers.size(); ++l) d.layers.push_back(int64_t(l));
      d.designJson = generated[i].designJson;
      d.top = generated[i].top;
      fpga.designs.push_back(std::move(d));
    }
  std::vector<double> effort;  // Yosys time grows with the netlist: the model's LUT + FF
  for (const auto& d : fpga.designs) {
    const FpgaResources r = model->fpgaResources(arrays[d.array]);
    effort.push_back(double(r.lut + r.ff));
  }
  YosysJobs yosys(fpga, progress, options.jobs > 1, effort);

  // 5. Simulation of the recipe's layers: outputs bit-exact, RTL cycles against the model.
  std::vector<SimRow> simRows;
  if (!recipe.simulateLayers.empty()) {
    sim::SimOptions so;
    so.spatialScale = std::max<int64_t>(1, std::llround(1.0 / recipe.simulateScale));
    so.seed = recipe.seed;
    so.log = [&](const std::string& line) { progress.step("  " + line); };
    for (size_t i = 0; i < rtl.size(); ++i) {
      if (rtl[i].simulated.empty()) continue;
      so.layers = rtl[i].simulated;
      progress.step(fmt::format("simulate: {} layers {} at scale 1/{}", generated[i].top,
                                fmt::join(so.layers, ","), so.spatialScale));
      sim::SimResult r = sim::simulate(generated[i].designJson, workload, so);
      for (const auto& l : r.layers) simRows.push_back({r.top, l});
    }
    std::string csv =
        "design,layer,shape,macs,model_cycles,rtl_cycles,error_pct,outputs_match,utilization,"
        "error\n";
    for (const auto& row : simRows) {
      const auto& l = row.layer;
      csv += fmt::format("{},{},\"{}\",{},{},{},{:.6f},{},{:.6f},\"{}\"\n", row.design, l.name,
                         l.shape, l.macs, l.modelCycles, l.rtlCycles, l.errorPct,
                         l.outputsMatch ? 1 : 0, l.utilization, l.error);
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
  yosys.finish();
  writeFileAtomic(out("fpga.json"), flowFpgaJson(fpga) + "\n");
  summary.written.push_back(out("fpga.json"));

  // 6. Report.
  progress.step("report");
  ReportInput in{recipe, problem,    results, chosen, optimum,
                 arrays, layerCosts, *model,  fpga,   simRows};
  writeFileAtomic(out("report.html"), renderReport(in));
  summary.written.push_back(out("report.html"));
  summary.fpga = std::move(fpga);
  return summary;
}

}  // namespace analects::flows
