// Cost-model throughput: layer evaluations per second on one core.
//   build/bench/bench_costmodel
#include <benchmark/benchmark.h>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/cost_table.h"
#include "analects/costmodel/workload.h"

using namespace analects;

namespace {

const std::vector<int64_t> kPeLevels = {1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128};
const std::vector<int64_t> kBufferLevels = {512,  1024,  2048,  4096,  8192,   16384,
                                            32768, 65536, 131072, 262144, 524288, 1048576};

// evaluate(): fixed design, every layer of the network in turn.
void evaluateFixedDesign(benchmark::State& state, const char* style, const char* net) {
  auto model = makeCostModel(style);
  Workload w = loadZoo(net);
  ArrayConfig c;
  c.style = parseStyle(style);
  c.atomK = 16, c.atomC = 16, c.rows = 12, c.cols = 14;
  c.bufferBytes = 65536;
  int64_t evaluations = 0;
  for (auto _ : state) {
    for (const auto& l : w.layers) benchmark::DoNotOptimize(model->evaluate(l, c).cycles);
    evaluations += int64_t(w.layers.size());
  }
  state.counters["evals/s"] = benchmark::Counter(double(evaluations), benchmark::Counter::kIsRate);
}

// cost(layer, PEs, buffer): includes the mapper's choice of array factorization.
void costTableOneThread(benchmark::State& state, const char* style, const char* net) {
  auto model = makeCostModel(style);
  Workload w = loadZoo(net);
  int64_t evaluations = 0;
  for (auto _ : state) {
    CostTable t = CostTable::build(w, *model, kPeLevels, kBufferLevels, HardwareParams{}, 1);
    benchmark::DoNotOptimize(t.cycles.data());
    evaluations += int64_t(t.cycles.size());
  }
  state.counters["evals/s"] = benchmark::Counter(double(evaluations), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK_CAPTURE(evaluateFixedDesign, nvdla_resnet50, "nvdla", "resnet50");
BENCHMARK_CAPTURE(evaluateFixedDesign, nvdla_mobilenet_v2, "nvdla", "mobilenet_v2");
BENCHMARK_CAPTURE(evaluateFixedDesign, eyeriss_resnet50, "eyeriss", "resnet50");
BENCHMARK_CAPTURE(costTableOneThread, nvdla_mobilenet_v2, "nvdla", "mobilenet_v2")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(costTableOneThread, eyeriss_mobilenet_v2, "eyeriss", "mobilenet_v2")->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
