// Search timing: ConfuciuX at 500 epochs and the exact solver, on a synthetic 52-layer table
// and on the real MobileNetV2 table (NVDLA-style model). Counters report the result's
// objective relative to the proven optimum (`vs_optimum`, 1.0 = optimal) next to the time.
//
// "500 epochs" two ways: 500 samples (our currency: every algorithm gets the same number of
// full design evaluations; RL 333 episodes, GA the other 167 evaluations), and ConfuciuX's own
// count (333 RL episodes + 167 GA generations of 19 new designs each = 3506 evaluations).
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <memory>

#include "analects/costmodel/cost_model.h"
#include "analects/search/exact.h"
#include "analects/search/search.h"
#include "analects/search/synthetic.h"

using namespace analects;
using namespace analects::search;

namespace {

struct Case {
  std::unique_ptr<Problem> problem;
  double optimum = 0;
  std::string error;
};

ProblemSpec lpAreaSpec() {
  ProblemSpec s;
  s.deployment = Deployment::LayerPipelined;
  s.objective = Objective::Latency;
  s.constraint = Constraint::parse("area");
  s.budget = Budget::ratio(0.5);  // ConfuciuX's "cloud" ratio
  return s;
}

Case makeCase(const Workload& w, const ProblemSpec& s, CostTable table) {
  Case c;
  c.problem = std::make_unique<Problem>(w, std::move(table), s);
  SearchResult ex = solveExact(*c.problem);
  c.optimum = ex.status == SearchStatus::Found ? ex.bestEval.objective : 0;
  return c;
}

const Case& synthetic52() {
  static Case c = [] {
    Workload w = syntheticWorkload(52, 7);
    ProblemSpec s = lpAreaSpec();
    return makeCase(w, s, syntheticCostTable(w, defaultActionLevels(s)));
  }();
  return c;
}

const Case& mobilenetV2(Deployment deployment) {
  auto build = [](Deployment d) {
    Case c;
    try {
      Workload w = loadZoo("mobilenet_v2");
      ProblemSpec s = lpAreaSpec();
      if (d == Deployment::LayerSequential) {
        s.deployment = d;
        s.budget = Budget::named("edge");
      }
      auto model = makeCostModel("nvdla");
      ActionLevels lv = defaultActionLevels(s);
      CostTable t = CostTable::build(w, *model, lv.pes, lv.bufferBytes, HardwareParams{});
      c = makeCase(w, s, std::move(t));
    } catch (const std::exception& e) {
      c.error = e.what();
    }
    return c;
  };
  static Case lp = build(Deployment::LayerPipelined);
  static Case ls = build(Deployment::LayerSequential);
  return deployment == Deployment::LayerPipelined ? lp : ls;
}

void runConfuciux(benchmark::State& state, const Case& c, int64_t samples, double rlShare) {
  if (!c.problem) {
    state.SkipWithError(c.error.c_str());
    return;
  }
  SearchOptions o;
  o.samples = samples;
  o.seed = 1;
  o.params["rl_share"] = fmt::format("{:.17g}", rlShare);
  SearchResult r;
  for (auto _ : state) {
    r = runSearch("confuciux", *c.problem, o);
    benchmark::DoNotOptimize(
        r);  // not the double member: "+m,r" on a double corrupts it (benchmark 1.7, GCC 12)
  }
  int64_t rlSteps = r.stages.empty() ? 0 : r.stages[0].samples * int64_t(c.problem->layers());
  state.counters["samples"] = double(r.samplesUsed);
  if (rlSteps) state.counters["rl_us_per_step"] = r.stages[0].seconds / double(rlSteps) * 1e6;
  if (c.optimum > 0 && r.status == SearchStatus::Found) {
    state.counters["vs_optimum"] = r.bestEval.objective / c.optimum;
    if (r.stages.size() == 2 && r.stages[0].found)
      state.counters["rl_vs_optimum"] = r.stages[0].bestObjective / c.optimum;
  }
}

void runExact(benchmark::State& state, const Case& c) {
  if (!c.problem) {
    state.SkipWithError(c.error.c_str());
    return;
  }
  SearchResult r;
  for (auto _ : state) {
    r = solveExact(*c.problem);
    benchmark::DoNotOptimize(
        r);  // not the double member: "+m,r" on a double corrupts it (benchmark 1.7, GCC 12)
  }
  state.counters["tradeoff_points"] = double(r.tradeoff.size());
}

constexpr int64_t kRlEpisodes = 500 * 2 / 3;                  // 333
constexpr int64_t kGaEvaluations = (500 - kRlEpisodes) * 19;  // 167 generations x 19
constexpr int64_t kEpochSamples = kRlEpisodes + kGaEvaluations;
const double kEpochRlShare = (double(kRlEpisodes) + 0.5) / double(kEpochSamples);

void BM_Confuciux_Synthetic52_500Samples(benchmark::State& s) {
  runConfuciux(s, synthetic52(), 500, 2.0 / 3.0);
}
void BM_Confuciux_Synthetic52_500Epochs(benchmark::State& s) {
  runConfuciux(s, synthetic52(), kEpochSamples, kEpochRlShare);
}
void BM_Confuciux_MobileNetV2_500Samples(benchmark::State& s) {
  runConfuciux(s, mobilenetV2(Deployment::LayerPipelined), 500, 2.0 / 3.0);
}
void BM_Confuciux_MobileNetV2_500Epochs(benchmark::State& s) {
  runConfuciux(s, mobilenetV2(Deployment::LayerPipelined), kEpochSamples, kEpochRlShare);
}
void BM_Exact_Synthetic52_LP(benchmark::State& s) {
  runExact(s, synthetic52());
}
void BM_Exact_MobileNetV2_LP(benchmark::State& s) {
  runExact(s, mobilenetV2(Deployment::LayerPipelined));
}
void BM_Exact_MobileNetV2_LS_Edge(benchmark::State& s) {
  runExact(s, mobilenetV2(Deployment::LayerSequential));
}

}  // namespace

BENCHMARK(BM_Confuciux_Synthetic52_500Samples)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Confuciux_Synthetic52_500Epochs)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Confuciux_MobileNetV2_500Samples)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Confuciux_MobileNetV2_500Epochs)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Exact_Synthetic52_LP)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Exact_MobileNetV2_LP)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Exact_MobileNetV2_LS_Edge)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
