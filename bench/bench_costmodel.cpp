// Cost-model throughput: layer evaluations per second on one core, scalar and batched.
//   build/bench/bench_costmodel
// evaluate*: a fixed design (16x16 NVDLA-style / 12x14 Eyeriss-style, 64 KiB buffer), every
//   layer of the network in turn; one evaluation = one layer.
// costTable*: cost(layer, PEs, buffer) over ConfuciuX's 12 x 12 PE and buffer levels, which
//   includes the mapper's choice of array factorization; one evaluation = one table cell.
// designGrid*: a design-space sweep, every (layer, array shape, buffer) with every exact
//   factorization of ConfuciuX's 12 PE levels (72 shapes) and the 12 buffer levels: 45,792
//   points for MobileNetV2, each a whole evaluate() (mapper included, no point skipped).
// priceSchedules*: given NVDLA-style schedules priced without the mapper (see below).
// Scalar: CostModel::evaluate() / cost() per point. Batched: evaluateBatch() / costBatch()
//   (batch.h) on one thread, bit-identical results (tests/costmodel/test_batch.cpp).
#include <benchmark/benchmark.h>

#include "analects/costmodel/batch.h"
#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/cost_table.h"
#include "analects/costmodel/workload.h"

using namespace analects;

namespace {

const std::vector<int64_t> kPeLevels = {1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128};
const std::vector<int64_t> kBufferLevels = {512,   1024,  2048,   4096,   8192,   16384,
                                            32768, 65536, 131072, 262144, 524288, 1048576};

ArrayConfig fixedDesign(const char* style) {
  ArrayConfig c;
  c.style = parseStyle(style);
  c.atomK = 16, c.atomC = 16, c.rows = 12, c.cols = 14;
  c.bufferBytes = 65536;
  return c;
}

void evalsPerSecond(benchmark::State& state, int64_t evaluations) {
  state.counters["evals/s"] = benchmark::Counter(double(evaluations), benchmark::Counter::kIsRate);
}

// The design-space sweep's points: every layer x every factorization of every PE level x every
// buffer level.
std::vector<EvalPoint> designGrid(const char* style, const Workload& w) {
  std::vector<EvalPoint> points;
  for (size_t l = 0; l < w.layers.size(); ++l)
    for (int64_t pes : kPeLevels)
      for (int64_t a = 1; a <= pes; ++a) {
        if (pes % a != 0) continue;
        for (int64_t buffer : kBufferLevels) {
          ArrayConfig c = fixedDesign(style);
          c.atomK = pes / a, c.atomC = a;  // NVDLA-style
          c.rows = a, c.cols = pes / a;    // Eyeriss-style
          c.bufferBytes = buffer;
          points.push_back({l, c});
        }
      }
  return points;
}

// The fixed design's points: every layer of the network in turn.
std::vector<EvalPoint> fixedDesignPoints(const char* style, const Workload& w) {
  std::vector<EvalPoint> points;
  for (size_t l = 0; l < w.layers.size(); ++l) points.push_back({l, fixedDesign(style)});
  return points;
}

using PointsOf = std::vector<EvalPoint> (*)(const char* style, const Workload& w);

// evaluate() point by point.
void scalarRate(benchmark::State& state, const char* style, const char* net, PointsOf pointsOf) {
  auto model = makeCostModel(style);
  Workload w = loadZoo(net);
  const std::vector<EvalPoint> points = pointsOf(style, w);
  int64_t evaluations = 0;
  for (auto _ : state) {
    for (const EvalPoint& p : points)
      benchmark::DoNotOptimize(model->evaluate(w.layers[p.layer], p.config).cycles);
    evaluations += int64_t(points.size());
  }
  evalsPerSecond(state, evaluations);
}

// evaluateBatch(): the same points in one batch, into one CostBatch reused by every iteration
// (as a design-space loop would: its memory is not faulted in again on every pass).
void batchedRate(benchmark::State& state, const char* style, const char* net, PointsOf pointsOf) {
  auto model = makeCostModel(style);
  Workload w = loadZoo(net);
  const std::vector<EvalPoint> points = pointsOf(style, w);
  int64_t evaluations = 0;
  CostBatch b;
  for (auto _ : state) {
    evaluateBatch(*model, w.layers, points, b, 1);
    benchmark::DoNotOptimize(b.cycles.data());
    evaluations += int64_t(points.size());
  }
  evalsPerSecond(state, evaluations);
}

void evaluateScalar(benchmark::State& state, const char* style, const char* net) {
  scalarRate(state, style, net, fixedDesignPoints);
}
void evaluateBatched(benchmark::State& state, const char* style, const char* net) {
  batchedRate(state, style, net, fixedDesignPoints);
}
void designGridScalar(benchmark::State& state, const char* style, const char* net) {
  scalarRate(state, style, net, designGrid);
}
void designGridBatched(benchmark::State& state, const char* style, const char* net) {
  batchedRate(state, style, net, designGrid);
}

// cost(layer, PEs, buffer) point by point: what CostTable::build did before batching.
void costTableScalar(benchmark::State& state, const char* style, const char* net) {
  auto model = makeCostModel(style);
  Workload w = loadZoo(net);
  int64_t evaluations = 0;
  for (auto _ : state) {
    for (const auto& l : w.layers)
      for (int64_t pes : kPeLevels)
        for (int64_t buffer : kBufferLevels)
          benchmark::DoNotOptimize(
              model->cost(l, Allocation{pes, buffer}, HardwareParams{}).cycles);
    evaluations += int64_t(w.layers.size() * kPeLevels.size() * kBufferLevels.size());
  }
  evalsPerSecond(state, evaluations);
}

// CostTable::build on one thread (costBatch over the whole table).
void costTableBatched(benchmark::State& state, const char* style, const char* net) {
  auto model = makeCostModel(style);
  Workload w = loadZoo(net);
  int64_t evaluations = 0;
  for (auto _ : state) {
    CostTable t = CostTable::build(w, *model, kPeLevels, kBufferLevels, HardwareParams{}, 1);
    benchmark::DoNotOptimize(t.cycles.data());
    evaluations += int64_t(t.cycles.size());
  }
  evalsPerSecond(state, evaluations);
}

// priceNvdlaSchedules(): the closed form alone (cycles from a given schedule, then energy /
// area / power over all points at once), no mapper and no configFor: the schedules are the
// MobileNetV2 cost table's chosen ones, planned before timing. What MAESTRO-style tools price
// (a given mapping); a different figure from costTableBatched, which includes the mapper.
void priceSchedulesBatched(benchmark::State& state, const char* net) {
  auto model = makeCostModel("nvdla");
  Workload w = loadZoo(net);
  std::vector<AllocPoint> cells;
  for (size_t l = 0; l < w.layers.size(); ++l)
    for (int64_t pes : kPeLevels)
      for (int64_t buffer : kBufferLevels) cells.push_back({l, Allocation{pes, buffer}});
  const CostBatch chosen = costBatch(*model, w.layers, cells, HardwareParams{});
  std::vector<ScheduledPoint> points;
  for (size_t i = 0; i < cells.size(); ++i) {
    ScheduledPoint p{cells[i].layer, chosen.configs[i], {}};
    if (chosen.feasible[i] && planNvdla(w.layers[p.layer], p.config, p.schedule, nullptr))
      points.push_back(p);
  }
  int64_t evaluations = 0;
  for (auto _ : state) {
    CostBatch b = priceNvdlaSchedules(*model, w.layers, points);
    benchmark::DoNotOptimize(b.cycles.data());
    evaluations += int64_t(points.size());
  }
  evalsPerSecond(state, evaluations);
}

}  // namespace

BENCHMARK_CAPTURE(evaluateScalar, nvdla_resnet50, "nvdla", "resnet50");
BENCHMARK_CAPTURE(evaluateBatched, nvdla_resnet50, "nvdla", "resnet50");
BENCHMARK_CAPTURE(evaluateScalar, nvdla_mobilenet_v2, "nvdla", "mobilenet_v2");
BENCHMARK_CAPTURE(evaluateBatched, nvdla_mobilenet_v2, "nvdla", "mobilenet_v2");
BENCHMARK_CAPTURE(evaluateScalar, eyeriss_resnet50, "eyeriss", "resnet50");
BENCHMARK_CAPTURE(evaluateBatched, eyeriss_resnet50, "eyeriss", "resnet50");
BENCHMARK_CAPTURE(evaluateScalar, eyeriss_mobilenet_v2, "eyeriss", "mobilenet_v2");
BENCHMARK_CAPTURE(evaluateBatched, eyeriss_mobilenet_v2, "eyeriss", "mobilenet_v2");
BENCHMARK_CAPTURE(designGridScalar, nvdla_mobilenet_v2, "nvdla", "mobilenet_v2")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(designGridBatched, nvdla_mobilenet_v2, "nvdla", "mobilenet_v2")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(designGridScalar, eyeriss_mobilenet_v2, "eyeriss", "mobilenet_v2")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(designGridBatched, eyeriss_mobilenet_v2, "eyeriss", "mobilenet_v2")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(costTableScalar, nvdla_mobilenet_v2, "nvdla", "mobilenet_v2")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(costTableBatched, nvdla_mobilenet_v2, "nvdla", "mobilenet_v2")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(priceSchedulesBatched, nvdla_mobilenet_v2, "mobilenet_v2")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(costTableScalar, eyeriss_mobilenet_v2, "eyeriss", "mobilenet_v2")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(costTableBatched, eyeriss_mobilenet_v2, "eyeriss", "mobilenet_v2")
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
