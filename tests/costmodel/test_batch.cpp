// Batched evaluation (batch.h) against the scalar path: every field of every point, doubles
// compared bit for bit, on random layers and designs, whole zoo cost tables, infeasible points
// and edge cases, for both styles.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>

#include "analects/costmodel/batch.h"
#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/cost_table.h"
#include "analects/costmodel/eyeriss_schedule.h"
#include "analects/costmodel/nvdla_schedule.h"
#include "analects/costmodel/workload.h"
#include "batch_internal.h"
#include "eyeriss_planner.h"
#include "nvdla_planner.h"
#include "nvdla_timing.h"

using namespace analects;

namespace {

int64_t pick(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

// Conv (plain, strided, padded, dilated, asymmetric), grouped, depthwise, GEMM and FC layers.
Layer randomLayer(std::mt19937_64& rng) {
  const int kind = int(pick(rng, 0, 7));
  if (kind == 0) return Layer::fc("fc", pick(rng, 1, 300), pick(rng, 1, 300), pick(rng, 1, 3));
  if (kind == 1) return Layer::gemm("g", pick(rng, 1, 200), pick(rng, 1, 200), pick(rng, 1, 200));
  const int64_t R = pick(rng, 1, 3) * 2 - 1, stride = pick(rng, 1, 3);
  const int64_t H = pick(rng, R, 40), W = pick(rng, R, 40), pad = pick(rng, 0, R / 2 + 1);
  if (kind == 2) {
    const int64_t C = pick(rng, 1, 96);
    return Layer::conv("dw", C, C, H, W, R, R, stride, pad, C);
  }
  if (kind == 3) {
    const int64_t g = pick(rng, 1, 8);
    return Layer::conv("gc", g * pick(rng, 1, 12), g * pick(rng, 1, 12), H, W, R, R, stride, pad,
                       g);
  }
  Layer l = Layer::conv("c", pick(rng, 1, 256), pick(rng, 1, 256), H, W, R, R, stride, pad);
  l.N = pick(rng, 1, 2);
  if (kind == 5) {
    l.S = pick(rng, 1, 3) * 2 - 1;
    l.padHEnd = pick(rng, 0, 2), l.padWEnd = pick(rng, 0, 2);
    l.strideW = pick(rng, 1, 3);
    l.dilationH = pick(rng, 1, 2), l.dilationW = pick(rng, 1, 2);
    if (l.effectiveR() > l.H + l.padH + l.padHEnd) l.dilationH = 1;
    if (l.effectiveS() > l.W + l.padW + l.padWEnd) l.dilationW = 1, l.S = 1;
  }
  if (kind == 6) l.H = pick(rng, 1, 3), l.W = pick(rng, 100, 300);  // wide, short
  if (kind == 7 && pick(rng, 0, 3) == 0) l.name.clear();            // invalid: no name
  return l;
}

ArrayConfig randomConfig(std::mt19937_64& rng, Style style) {
  ArrayConfig c;
  c.style = style;
  c.atomK = pick(rng, 1, 32), c.atomC = pick(rng, 1, 32);
  c.rows = pick(rng, 1, 16), c.cols = pick(rng, 1, 16);
  if (pick(rng, 0, 3) == 0)
    c.filterSpad = pick(rng, 8, 256), c.ifmapSpad = pick(rng, 3, 16), c.psumSpad = pick(rng, 1, 32);
  c.bufferBytes = pick(rng, 0, 1) ? int64_t(1) << pick(rng, 6, 20) : pick(rng, 64, 300000);
  c.dramBytesPerCycle = pick(rng, 1, 64), c.dramLatencyCycles = pick(rng, 0, 50);
  c.outputBytes = pick(rng, 0, 1) ? 1 : 4;
  c.pipelineDepth = pick(rng, 1, 8);
  if (pick(rng, 0, 3) == 0) c.accDepthPixels = pick(rng, 16, 1024);
  const int64_t broken = pick(rng, 0, 40);  // a few invalid designs
  if (broken == 0) c.atomK = 0, c.rows = 0;
  if (broken == 1) c.bufferBytes = 0;
  if (broken == 2) c.outputBytes = 2;
  if (broken == 3) c.style = style == Style::Nvdla ? Style::Eyeriss : Style::Nvdla;
  return c;
}

// A random layer and a random design of `style`, both valid; false when either is not (the
// caller draws again). Draws as randomLayer() then randomConfig() do.
bool randomValidPair(std::mt19937_64& rng, Style style, Layer& l, ArrayConfig& c) {
  l = randomLayer(rng);
  c = randomConfig(rng, style);
  c.style = style;
  try {
    l.validate();
    c.validate();
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

uint64_t bits(double v) {
  uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

// Every field, doubles bit for bit.
::testing::AssertionResult same(const Cost& scalar, const Cost& batch) {
  auto fail = [&](const char* field, auto a, auto b) {
    return ::testing::AssertionFailure()
           << field << ": scalar " << a << ", batch " << b << " (reason '" << scalar.reason << "')";
  };
  if (scalar.feasible != batch.feasible) return fail("feasible", scalar.feasible, batch.feasible);
  if (scalar.reason != batch.reason) return fail("reason", scalar.reason, batch.reason);
  const std::pair<const char*, std::pair<int64_t, int64_t>> ints[] = {
      {"cycles", {scalar.cycles, batch.cycles}},
      {"computeCycles", {scalar.computeCycles, batch.computeCycles}},
      {"dmaStallCycles", {scalar.dmaStallCycles, batch.dmaStallCycles}},
      {"fillDrainCycles", {scalar.fillDrainCycles, batch.fillDrainCycles}},
      {"macs", {scalar.macs, batch.macs}},
      {"dramReadBytes", {scalar.dramReadBytes, batch.dramReadBytes}},
      {"dramWriteBytes", {scalar.dramWriteBytes, batch.dramWriteBytes}},
      {"bufferNeedBytes", {scalar.bufferNeedBytes, batch.bufferNeedBytes}}};
  for (const auto& [name, v] : ints)
    if (v.first != v.second) return fail(name, v.first, v.second);
  const std::pair<const char*, std::pair<double, double>> reals[] = {
      {"utilization", {scalar.utilization, batch.utilization}},
      {"macPj", {scalar.energy.macPj, batch.energy.macPj}},
      {"spadPj", {scalar.energy.spadPj, batch.energy.spadPj}},
      {"bufferPj", {scalar.energy.bufferPj, batch.energy.bufferPj}},
      {"dramPj", {scalar.energy.dramPj, batch.energy.dramPj}},
      {"leakagePj", {scalar.energy.leakagePj, batch.energy.leakagePj}},
      {"areaUm2", {scalar.areaUm2, batch.areaUm2}},
      {"powerMw", {scalar.powerMw, batch.powerMw}}};
  for (const auto& [name, v] : reals)
    if (bits(v.first) != bits(v.second)) return fail(name, v.first, v.second);
  return ::testing::AssertionSuccess();
}

bool sameConfig(const ArrayConfig& a, const ArrayConfig& b) {
  return a.style == b.style && a.atomK == b.atomK && a.atomC == b.atomC && a.rows == b.rows &&
         a.cols == b.cols && a.filterSpad == b.filterSpad && a.ifmapSpad == b.ifmapSpad &&
         a.psumSpad == b.psumSpad && a.bufferBytes == b.bufferBytes && a.dataBits == b.dataBits &&
         a.accBits == b.accBits && a.outputBytes == b.outputBytes &&
         a.accDepthPixels == b.accDepthPixels && a.pipelineDepth == b.pipelineDepth &&
         a.dramBytesPerCycle == b.dramBytesPerCycle && a.dramLatencyCycles == b.dramLatencyCycles;
}

std::string describe(const Layer& l) {
  return l.name + " " + opName(l.op) + " N" + std::to_string(l.N) + " K" + std::to_string(l.K) +
         " C" + std::to_string(l.C) + " H" + std::to_string(l.H) + " W" + std::to_string(l.W) +
         " R" + std::to_string(l.R) + " S" + std::to_string(l.S) + " s" +
         std::to_string(l.strideH) + " p" + std::to_string(l.padH) + " g" +
         std::to_string(l.groups);
}

// evaluateBatch == evaluate on every point.
void checkEvaluate(const CostModel& model, const std::vector<Layer>& layers,
                   const std::vector<EvalPoint>& points, unsigned threads = 1) {
  const CostBatch batch = evaluateBatch(model, layers, points, threads);
  ASSERT_EQ(batch.size(), points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    const Layer& l = layers[points[i].layer];
    ASSERT_TRUE(same(model.evaluate(l, points[i].config), batch.at(i)))
        << "point " << i << ": " << describe(l) << " on " << points[i].config.name();
  }
}

// costBatch == cost (and configFor) on every point.
void checkCost(const CostModel& model, const std::vector<Layer>& layers,
               const std::vector<AllocPoint>& points, const HardwareParams& hw,
               unsigned threads = 1) {
  const CostBatch batch = costBatch(model, layers, points, hw, threads);
  ASSERT_EQ(batch.size(), points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    const Layer& l = layers[points[i].layer];
    const Allocation& a = points[i].alloc;
    ASSERT_TRUE(same(model.cost(l, a, hw), batch.at(i)))
        << "point " << i << ": " << describe(l) << " pes " << a.pes << " buffer " << a.bufferBytes;
    ASSERT_TRUE(sameConfig(model.configFor(l, a, hw), batch.configs[i]))
        << "point " << i << ": " << describe(l) << " pes " << a.pes << " buffer " << a.bufferBytes
        << ": scalar " << model.configFor(l, a, hw).name() << ", batch " << batch.configs[i].name();
  }
}

const std::vector<int64_t> kPeLevels = {1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128};
const std::vector<int64_t> kBufferLevels = {512,   1024,  2048,   4096,   8192,   16384,
                                            32768, 65536, 131072, 262144, 524288, 1048576};

class Batch : public ::testing::TestWithParam<const char*> {
 protected:
  std::unique_ptr<CostModel> model = makeCostModel(GetParam());
  Style style = parseStyle(GetParam());
};

}  // namespace

// Independent random points: every layer kind on random (possibly invalid) designs.
TEST_P(Batch, EvaluateEqualsScalarOnRandomPoints) {
  std::mt19937_64 rng(101);
  std::vector<Layer> layers;
  std::vector<EvalPoint> points;
  for (int i = 0; i < 3000; ++i) {
    layers.push_back(randomLayer(rng));
    points.push_back({layers.size() - 1, randomConfig(rng, style)});
  }
  checkEvaluate(*model, layers, points);
}

// Many buffer sizes per (layer, array shape), in shuffled order with duplicates: the batch
// groups them and shares the buffer-independent work of the mapper.
TEST_P(Batch, EvaluateEqualsScalarOnBufferSweeps) {
  std::mt19937_64 rng(202);
  std::vector<Layer> layers;
  std::vector<EvalPoint> points;
  for (int i = 0; i < 150; ++i) {
    layers.push_back(randomLayer(rng));
    ArrayConfig c = randomConfig(rng, style);
    for (int b = 0; b < 16; ++b) {
      c.bufferBytes = pick(rng, 0, 2) ? int64_t(1) << pick(rng, 7, 20) : pick(rng, 100, 200000);
      points.push_back({layers.size() - 1, c});
    }
  }
  std::shuffle(points.begin(), points.end(), rng);
  checkEvaluate(*model, layers, points);
}

// One CostBatch reused by batches of other sizes and kinds: every result is the fresh one.
// Layers repeat (equal points copy their first one's results, failures included).
TEST_P(Batch, ReusedOutputEqualsScalar) {
  std::mt19937_64 rng(505);
  CostBatch out;
  for (int round = 0; round < 6; ++round) {
    std::vector<Layer> layers;
    for (int i = 0; i < 40; ++i) layers.push_back(randomLayer(rng));
    for (int i = 0; i < 20; ++i) {  // the same shapes again, under other names
      Layer again = layers[size_t(pick(rng, 0, 39))];
      again.name += "_again";
      layers.push_back(again);
    }
    const int n = round % 2 ? 300 : 2500;  // larger, then smaller than the last
    if (round % 3 == 2) {
      std::vector<AllocPoint> points;
      for (int i = 0; i < n; ++i)
        points.push_back({size_t(pick(rng, 0, int64_t(layers.size()) - 1)),
                          {pick(rng, 1, 64), pick(rng, 0, 6) ? pick(rng, 64, 1 << 17) : 0}});
      const HardwareParams hw;
      costBatch(*model, layers, points, hw, out);
      ASSERT_EQ(out.size(), points.size());
      ASSERT_EQ(out.configs.size(), points.size());
      for (size_t i = 0; i < points.size(); ++i)
        ASSERT_TRUE(same(model->cost(layers[points[i].layer], points[i].alloc, hw), out.at(i)))
            << "round " << round << ", point " << i;
      continue;
    }
    std::vector<EvalPoint> points;
    ArrayConfig c = randomConfig(rng, style);
    for (int i = 0; i < n; ++i) {
      if (i % 8 == 0) c = randomConfig(rng, style);
      c.bufferBytes = pick(rng, 0, 5) ? int64_t(1) << pick(rng, 6, 18) : pick(rng, 1, 4096);
      points.push_back({size_t(pick(rng, 0, int64_t(layers.size()) - 1)), c});
    }
    evaluateBatch(*model, layers, points, out);
    ASSERT_EQ(out.size(), points.size());
    EXPECT_TRUE(out.configs.empty());
    for (size_t i = 0; i < points.size(); ++i)
      ASSERT_TRUE(same(model->evaluate(layers[points[i].layer], points[i].config), out.at(i)))
          << "round " << round << ", point " << i;
  }
}

TEST_P(Batch, CostEqualsScalarOnRandomAllocations) {
  std::mt19937_64 rng(303);
  std::vector<Layer> layers;
  std::vector<AllocPoint> points;
  for (int i = 0; i < 600; ++i) layers.push_back(randomLayer(rng));
  for (int i = 0; i < 2000; ++i) {
    const int64_t pes = pick(rng, 0, 20) == 0 ? pick(rng, -2, 0) : pick(rng, 1, 300);
    const int64_t buffer = pick(rng, 0, 30) == 0 ? 0 : pick(rng, 64, 1 << 18);
    points.push_back({size_t(pick(rng, 0, int64_t(layers.size()) - 1)), {pes, buffer}});
  }
  checkCost(*model, layers, points, HardwareParams{int64_t(pick(rng, 1, 32)), pick(rng, 0, 40)});
}

// The search's grid (ConfuciuX's levels) on random layers: many buffers per (layer, PEs).
TEST_P(Batch, CostEqualsScalarOnLevelGrids) {
  std::mt19937_64 rng(404);
  std::vector<Layer> layers;
  std::vector<AllocPoint> points;
  for (int i = 0; i < 40; ++i) {
    layers.push_back(randomLayer(rng));
    for (int64_t pes : kPeLevels)
      for (int64_t buffer : kBufferLevels) points.push_back({layers.size() - 1, {pes, buffer}});
  }
  checkCost(*model, layers, points, HardwareParams{8, 20});
  checkCost(*model, layers, points, HardwareParams{64, 0});
}

// Whole networks: the cost table the search consumes, cell by cell against cost().
TEST_P(Batch, ZooCostTablesEqualScalar) {
  for (const char* net : {"mobilenet_v2", "resnet50", "shufflenet_v2", "bert_base", "alexnet"}) {
    const Workload w = loadZoo(net);
    const HardwareParams hw;
    const CostTable t = CostTable::build(w, *model, kPeLevels, kBufferLevels, hw, 2);
    for (size_t l = 0; l < t.layers; ++l)
      for (size_t p = 0; p < kPeLevels.size(); ++p)
        for (size_t b = 0; b < kBufferLevels.size(); ++b) {
          const size_t i = t.index(l, p, b);
          const Cost c = model->cost(w.layers[l], {kPeLevels[p], kBufferLevels[b]}, hw);
          ASSERT_EQ(t.feasible[i], c.feasible ? 1 : 0) << net << " layer " << l;
          if (!c.feasible) {
            ASSERT_EQ(t.reasons[i], c.reason) << net << " layer " << l;
            continue;
          }
          ASSERT_EQ(bits(t.cycles[i]), bits(double(c.cycles))) << net << " layer " << l;
          ASSERT_EQ(bits(t.energyPj[i]), bits(c.energyPj())) << net << " layer " << l;
          ASSERT_EQ(bits(t.areaUm2[i]), bits(c.areaUm2)) << net << " layer " << l;
          ASSERT_EQ(bits(t.powerMw[i]), bits(c.powerMw)) << net << " layer " << l;
          ASSERT_EQ(bits(t.dramBytes[i]), bits(double(c.dramReadBytes + c.dramWriteBytes)))
              << net << " layer " << l;
        }
  }
}

// A fixed design over a whole network, every field.
TEST_P(Batch, ZooFixedDesignEqualsScalar) {
  for (const char* net : {"resnet50", "mobilenet_v2", "vgg16", "gnmt"}) {
    const Workload w = loadZoo(net);
    std::vector<EvalPoint> points;
    for (int64_t buffer : {4096, 65536, 1 << 20}) {
      ArrayConfig c;
      c.style = style;
      c.bufferBytes = buffer;
      for (size_t l = 0; l < w.layers.size(); ++l) points.push_back({l, c});
    }
    checkEvaluate(*model, w.layers, points);
  }
}

TEST_P(Batch, EdgeCases) {
  const std::vector<Layer> layers = {
      Layer::fc("fc", 1000, 2048),
      Layer::fc("fc_batch", 10, 7, 3),
      Layer::gemm("gemm", 128, 768, 3072),
      Layer::gemm("gemm_tall", 4096, 1, 1),
      Layer::conv("dw", 96, 96, 56, 56, 3, 3, 2, 1, 96),
      Layer::conv("dw_5x5", 40, 40, 28, 28, 5, 5, 1, 2, 40),
      Layer::conv("stride2", 64, 3, 224, 224, 7, 7, 2, 3),
      Layer::conv("pw_stride2", 128, 64, 56, 56, 1, 1, 2, 0),
      Layer::conv("pad_only_rows", 8, 8, 1, 1, 3, 3, 1, 1),
      Layer::conv("grouped", 64, 64, 28, 28, 3, 3, 1, 1, 4),
      Layer::conv("", 8, 8, 8, 8, 3, 3),           // invalid: no name
      Layer::conv("too_small", 8, 8, 2, 2, 5, 5),  // invalid: kernel larger than the input
  };
  std::vector<EvalPoint> eval;
  std::vector<AllocPoint> alloc;
  for (size_t l = 0; l < layers.size(); ++l) {
    for (int64_t buffer : std::vector<int64_t>{0, 1, 64, 100, 4096, 1 << 16, int64_t(1) << 35}) {
      ArrayConfig c;
      c.style = style;
      c.bufferBytes = buffer;
      eval.push_back({l, c});
    }
    ArrayConfig other;
    other.style = style == Style::Nvdla ? Style::Eyeriss : Style::Nvdla;
    eval.push_back({l, other});  // the other style's config
    for (int64_t pes : {-1, 0, 1, 7, 97, 1024, 1031, 2048, 4096})
      for (int64_t buffer : std::vector<int64_t>{0, 64, 512, 65536, int64_t(1) << 35})
        alloc.push_back({l, {pes, buffer}});
  }
  checkEvaluate(*model, layers, eval);
  checkCost(*model, layers, alloc, HardwareParams{});
  checkCost(*model, layers, alloc, HardwareParams{1, 100});
  checkCost(*model, layers, alloc, HardwareParams{0, 20});  // no DRAM port: reported, no crash
}

// Infeasible points keep the scalar path's reason, word for word.
TEST_P(Batch, InfeasibleReasonsAreTheScalarOnes) {
  const std::vector<Layer> layers = {Layer::conv("big", 512, 512, 14, 14, 3, 3, 1, 1),
                                     Layer::conv("wide", 64, 64, 3, 2000, 3, 7, 1, 1)};
  std::vector<EvalPoint> points;
  for (size_t l = 0; l < layers.size(); ++l)
    for (int64_t buffer : {16, 64, 100, 256, 1000}) {
      ArrayConfig c;
      c.style = style;
      c.bufferBytes = buffer;
      c.filterSpad = 4;  // Eyeriss: S = 7 does not fit
      points.push_back({l, c});
    }
  const CostBatch batch = evaluateBatch(*model, layers, points);
  int infeasible = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    const Cost c = model->evaluate(layers[points[i].layer], points[i].config);
    EXPECT_TRUE(same(c, batch.at(i))) << i;
    infeasible += !c.feasible;
    if (!c.feasible) {
      EXPECT_FALSE(batch.reason[i].empty());
    }
  }
  EXPECT_GE(infeasible, 5);
}

// Layers of one shape share their plans, but a reason that names the layer names its own.
TEST_P(Batch, SameShapeKeepsItsOwnNameInReasons) {
  Layer huge = Layer::conv("first", 1, 4096, 4096, 4096, 1, 1);
  huge.N = 2;  // over 2^36 input elements: the Eyeriss-style model declines it by name
  Layer other = huge;
  other.name = "second";
  const std::vector<Layer> layers = {huge, other, Layer::conv("a", 64, 64, 28, 28, 3, 3, 1, 1),
                                     Layer::conv("b", 64, 64, 28, 28, 3, 3, 1, 1)};
  std::vector<EvalPoint> eval;
  std::vector<AllocPoint> alloc;
  for (size_t l = 0; l < layers.size(); ++l)
    for (int64_t buffer : {32, 256, 1 << 20}) {
      ArrayConfig c;
      c.style = style;
      c.bufferBytes = buffer;
      eval.push_back({l, c});
      alloc.push_back({l, {16, buffer}});
    }
  checkEvaluate(*model, layers, eval);
  if (style == Style::Eyeriss) checkCost(*model, layers, alloc, HardwareParams{});
}

// Results do not depend on the worker count or on the order of the points.
TEST_P(Batch, ThreadsAndOrderDoNotMatter) {
  std::mt19937_64 rng(505);
  const Workload w = loadZoo("mobilenet_v2");
  std::vector<AllocPoint> points;
  for (size_t l = 0; l < w.layers.size(); ++l)
    for (int64_t pes : {8, 48, 128})
      for (int64_t buffer : {2048, 65536}) points.push_back({l, {pes, buffer}});
  const CostBatch one = costBatch(*model, w.layers, points, HardwareParams{}, 1);
  const CostBatch three = costBatch(*model, w.layers, points, HardwareParams{}, 3);
  std::vector<size_t> perm(points.size());
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), rng);
  std::vector<AllocPoint> shuffled;
  for (size_t i : perm) shuffled.push_back(points[i]);
  const CostBatch mixed = costBatch(*model, w.layers, shuffled, HardwareParams{}, 2);
  for (size_t i = 0; i < points.size(); ++i) {
    EXPECT_TRUE(same(one.at(i), three.at(i))) << i;
    EXPECT_TRUE(same(one.at(perm[i]), mixed.at(i))) << i;
  }
}

// A model with its own tech table: the batch prices with the model's table.
TEST_P(Batch, UsesTheModelsTechTable) {
  TechTable t;
  t.mac8Pj = 0.5, t.dramPjPerByte = 100, t.sramPjPerByteMedium = 3, t.clockMhz = 1000;
  model->setTech(t);
  std::mt19937_64 rng(606);
  std::vector<Layer> layers;
  std::vector<EvalPoint> points;
  for (int i = 0; i < 200; ++i) {
    layers.push_back(randomLayer(rng));
    points.push_back({layers.size() - 1, randomConfig(rng, style)});
  }
  checkEvaluate(*model, layers, points);
}

INSTANTIATE_TEST_SUITE_P(Styles, Batch, ::testing::Values("nvdla", "eyeriss"),
                         [](const auto& info) { return std::string(info.param); });

// Another CostModel (not one the batch reproduces) is batched point by point.
TEST(BatchFallback, OtherModelsArePricedPointByPoint) {
  struct Fixed final : CostModel {
    Style style() const override { return Style::Nvdla; }
    Cost evaluate(const Layer& l, const ArrayConfig& c) const override {
      Cost x;
      x.feasible = c.bufferBytes > 100;
      x.cycles = l.macs() / c.pes();
      if (!x.feasible) x.reason = "small";
      return x;
    }
    ArrayConfig configFor(const Layer&, const Allocation& a, const HardwareParams&) const override {
      ArrayConfig c;
      c.atomK = a.pes, c.atomC = 1, c.bufferBytes = a.bufferBytes;
      return c;
    }
    std::vector<std::pair<std::string, double>> areaBreakdownUm2(
        const ArrayConfig&) const override {
      return {};
    }
    FpgaResources fpgaResources(const ArrayConfig&) const override { return {}; }
  } model;
  const std::vector<Layer> layers = {Layer::conv("c", 16, 16, 8, 8, 3, 3, 1, 1)};
  checkCost(model, layers, {{0, {4, 50}}, {0, {8, 4096}}}, HardwareParams{});
  checkEvaluate(model, layers, {{0, ArrayConfig{}}});
}

// The bound that lets costBatch skip array shapes is a bound: never above the closed form.
TEST(NvdlaLowerBound, NeverAboveTheCycles) {
  std::mt19937_64 rng(707);
  int checked = 0;
  for (int i = 0; i < 3000; ++i) {
    Layer l;
    ArrayConfig c;
    if (!randomValidPair(rng, Style::Nvdla, l, c)) continue;
    NvdlaPlanner planner(l, c);
    NvdlaSchedule s;
    NvdlaTiming t;
    if (!planner.plan(c.bufferBytes, s, t, nullptr)) continue;
    ++checked;
    ASSERT_LE(nvdlaCyclesLowerBound(planner.base()), t.cycles) << describe(l) << " " << c.name();
    ASSERT_EQ(t.cycles, nvdlaTiming(s).cycles);
  }
  EXPECT_GT(checked, 1500);
}

// The per-tiling bound the batched configFor uses to skip timing, on every tiling the mapper
// can build (whole-row variants, column and channel tiles), against the step replay; and a
// plan with a cutoff at or above its cycles is the plan without one.
TEST(NvdlaLowerBound, TilingBoundNeverAboveTheCycles) {
  std::mt19937_64 rng(709);
  int checked = 0, tight = 0, computeBound = 0, channelTiled = 0, tightTraffic = 0;
  for (int i = 0; i < 3000; ++i) {
    Layer l;
    ArrayConfig c;
    if (!randomValidPair(rng, Style::Nvdla, l, c)) continue;
    NvdlaPlanner planner(l, c);
    NvdlaSchedule s = planner.base();
    const int kind = int(pick(rng, 0, 5));
    s.order = kind < 2 || kind == 5 ? NvdlaOrder::BandOuter : NvdlaOrder::KgOuter;
    s.weightsResident = kind == 0 || kind == 4;
    s.inputResident = kind == 2 || kind == 4;
    s.bandRows = pick(rng, 1, s.P), s.bands = (s.P + s.bandRows - 1) / s.bandRows;
    if (kind == 5) {  // the small-buffer search: column and channel tiles
      s.colTile = pick(rng, 1, s.Q), s.colTiles = (s.Q + s.colTile - 1) / s.colTile;
      s.channelTile = pick(rng, 1, s.channelBlocks);
      s.channelTiles = (s.channelBlocks + s.channelTile - 1) / s.channelTile;
    }
    if (s.stepCount() > 20000) continue;
    const NvdlaTiming t = nvdlaTiming(s);
    ++checked;
    // Both the O(1) compute-bound form and the lockstep sum over runs equal the replay.
    computeBound += nvdlaComputeBound(s);
    ASSERT_EQ(t.cycles, replayNvdlaCycles(s))
        << describe(l) << " " << c.name() << " kind " << kind << " compute-bound "
        << nvdlaComputeBound(s);
    const int64_t bound = nvdlaTilingCyclesLowerBound(s, nvdlaTraffic(s));
    ASSERT_LE(bound, t.cycles) << describe(l) << " " << c.name() << " kind " << kind;
    ASSERT_GE(bound, nvdlaCyclesLowerBound(s)) << describe(l) << " " << c.name();
    tight += bound == t.cycles;
    // The mapper skips a family whose floor is above a proposal's traffic.
    const int64_t minRows = nvdlaMinInputRows(s);
    ASSERT_GE(t.dramReadBytes, nvdlaReadBytesLowerBound(s, minRows, nvdlaMinInputCols(s)))
        << describe(l) << " " << c.name();
    if (s.colTiles == 1) {
      ASSERT_GE(t.dramReadBytes, nvdlaReadBytesLowerBound(s, minRows, s.W))
          << describe(l) << " " << c.name() << " kind " << kind;
      tightTraffic += t.dramReadBytes == nvdlaReadBytesLowerBound(s, minRows, s.W);
    }
    channelTiled += s.channelTiles > 1;

    NvdlaSchedule plain, cut;
    NvdlaTiming plainTiming, cutTiming;
    if (!planner.plan(c.bufferBytes, plain, plainTiming, nullptr)) continue;
    for (int64_t cutoff : {plainTiming.cycles, plainTiming.cycles + pick(rng, 0, 100)}) {
      ASSERT_TRUE(planner.plan(c.bufferBytes, cut, cutTiming, nullptr, cutoff));
      ASSERT_EQ(cutTiming.cycles, plainTiming.cycles);
      ASSERT_EQ(cutTiming.dramReadBytes, plainTiming.dramReadBytes);
      ASSERT_EQ(cut.bandRows, plain.bandRows);
      ASSERT_EQ(cut.colTile, plain.colTile);
      ASSERT_EQ(cut.channelTile, plain.channelTile);
      ASSERT_EQ(cut.order, plain.order);
      ASSERT_EQ(cut.weightsResident, plain.weightsResident);
      ASSERT_EQ(cut.inputResident, plain.inputResident);
      ASSERT_EQ(cut.bufferNeedBytes, plain.bufferNeedBytes);
    }
    ASSERT_TRUE(planner.plan(c.bufferBytes, cut, cutTiming, nullptr, plainTiming.cycles - 1));
    ASSERT_GT(cutTiming.cycles, plainTiming.cycles - 1);  // it never looks better than it is
  }
  EXPECT_GT(checked, 1500);
  EXPECT_GT(tight, 50);  // compute-bound tilings: the bound is their cycles
  EXPECT_GT(computeBound, 200);
  EXPECT_GT(checked - computeBound, 200);
  EXPECT_GT(channelTiled, 100);
  EXPECT_GT(tightTraffic, 300);  // one band: the floor is the traffic
}

// The same bound for the Eyeriss-style closed form.
TEST(EyerissLowerBound, NeverAboveTheCycles) {
  std::mt19937_64 rng(708);
  int checked = 0, tight = 0;
  for (int i = 0; i < 3000; ++i) {
    Layer l;
    ArrayConfig c;
    if (!randomValidPair(rng, Style::Eyeriss, l, c)) continue;
    EyerissPlanner planner(l, c);
    EyerissSchedule s;
    EyerissTiming t;
    if (!planner.plan(c.bufferBytes, s, &t, nullptr)) continue;
    ++checked;
    ASSERT_LE(planner.cyclesLowerBound(), t.cycles) << describe(l) << " " << c.name();
    ASSERT_EQ(t.cycles, eyerissTiming(s).cycles);
    // The per-schedule bound the batched configFor uses to skip timing, and a plan with a
    // cutoff: the same schedule, timed when its cycles are within the cutoff.
    const int64_t bound = eyerissCyclesLowerBound(s);
    ASSERT_LE(bound, t.cycles) << describe(l) << " " << c.name();
    tight += bound * 10 >= t.cycles * 9;
    if (s.stepCount() <= 20000) {
      ASSERT_EQ(replayEyeriss(s).cycles, t.cycles);
    }
    for (int64_t cutoff : {t.cycles, t.cycles + pick(rng, 0, 100), t.cycles - 1}) {
      EyerissSchedule cut;
      EyerissTiming cutTiming;
      ASSERT_TRUE(planner.plan(c.bufferBytes, cut, &cutTiming, nullptr, cutoff));
      if (cutoff >= t.cycles) {
        ASSERT_EQ(cutTiming.cycles, t.cycles);
      } else {
        ASSERT_GT(cutTiming.cycles, cutoff);
      }
      ASSERT_EQ(cut.tileGroups, s.tileGroups);
      ASSERT_EQ(cut.tileKernels, s.tileKernels);
      ASSERT_EQ(cut.tileChannels, s.tileChannels);
      ASSERT_EQ(cut.tileRows, s.tileRows);
      ASSERT_EQ(cut.kernelsPerPe, s.kernelsPerPe);
      ASSERT_EQ(cut.channelsPerPe, s.channelsPerPe);
      ASSERT_EQ(cut.chain, s.chain);
      ASSERT_EQ(cut.bufferNeedBytes, s.bufferNeedBytes);
    }
  }
  EXPECT_GT(checked, 1500);
  EXPECT_GT(tight, 300);  // within 10 % of the cycles
}

namespace {

// A random valid NVDLA-style layer and design, its candidate lists and a planner sharing them
// (memo on when asked), redrawn in place as a batch reuses its planner.
struct ListedCase {
  Layer l;
  ArrayConfig c;
  NvdlaTileCandidates tiles;
  NvdlaPlanner planner;
  // False when the pair drawn is not valid (draw again).
  bool draw(std::mt19937_64& rng, bool memo) {
    if (!randomValidPair(rng, Style::Nvdla, l, c)) return false;
    tiles.build(l, c);
    planner.reset(l, c, &tiles);
    if (memo) planner.enableMemo();
    return true;
  }
};

}  // namespace

// A single plan scans down from the top of the candidate lists without building them; with the
// lists (shared by a batch, or built for the memo) it bisects. Both pick the same schedule, for
// buffers from below the smallest tile to above saturation.
TEST(NvdlaPlanner, SinglePlanChoosesAsWithTheLists) {
  std::mt19937_64 rng(719);
  int checked = 0;
  ListedCase k;
  for (int i = 0; i < 1500; ++i) {
    if (!k.draw(rng, false)) continue;
    const Layer& l = k.l;
    const ArrayConfig& c = k.c;
    NvdlaPlanner& listed = k.planner;
    for (int b = 0; b < 6; ++b) {
      const int64_t buffer = b == 0 ? c.bufferBytes : int64_t(1) << pick(rng, 5, 22);
      NvdlaSchedule a, e;
      NvdlaTiming at, et;
      std::string whyA, whyE;
      const bool okA = NvdlaPlanner(l, c).plan(buffer, a, at, &whyA);
      ASSERT_EQ(okA, listed.plan(buffer, e, et, &whyE)) << describe(l) << " " << buffer;
      if (!okA) {
        ASSERT_EQ(whyA, whyE);
        continue;
      }
      ++checked;
      ASSERT_EQ(at.cycles, et.cycles) << describe(l) << " " << c.name() << " " << buffer;
      ASSERT_EQ(at.dramReadBytes, et.dramReadBytes);
      ASSERT_EQ(a.order, e.order);
      ASSERT_EQ(a.weightsResident, e.weightsResident);
      ASSERT_EQ(a.inputResident, e.inputResident);
      ASSERT_EQ(a.bandRows, e.bandRows);
      ASSERT_EQ(a.colTile, e.colTile);
      ASSERT_EQ(a.channelTile, e.channelTile);
      ASSERT_EQ(a.bufferNeedBytes, e.bufferNeedBytes);
    }
  }
  EXPECT_GT(checked, 3000);
}

namespace {

// One plan of a memoizing planner against a fresh one, with a random cycle cutoff: the same
// plan when the fresh plan is at most the cutoff, above the cutoff when it is (the contract of
// plan()). `exact` counts the first kind; `cycles` gets the memo's cycles (-1 if no plan).
void expectMemoPlanAsFresh(std::mt19937_64& rng, const Layer& l, const ArrayConfig& c,
                           NvdlaPlanner& memo, int64_t buffer, int& exact, int64_t& cycles) {
  NvdlaSchedule fresh, got;
  NvdlaTiming freshT, gotT;
  const bool ok = NvdlaPlanner(l, c).plan(buffer, fresh, freshT, nullptr);
  const int64_t cutoff =
      !ok || pick(rng, 0, 2) == 0 ? NvdlaPlanner::kAboveCutoff : freshT.cycles + pick(rng, -3, 3);
  cycles = -1;
  ASSERT_EQ(ok, memo.plan(buffer, got, gotT, nullptr, cutoff)) << describe(l) << " " << buffer;
  if (!ok) return;
  cycles = gotT.cycles;
  if (freshT.cycles > cutoff) {
    ASSERT_GT(gotT.cycles, cutoff) << describe(l) << " " << c.name() << " " << buffer;
    return;
  }
  ++exact;
  ASSERT_EQ(gotT.cycles, freshT.cycles) << describe(l) << " " << c.name() << " " << buffer;
  ASSERT_EQ(gotT.dramReadBytes, freshT.dramReadBytes);
  ASSERT_TRUE(got.order == fresh.order && got.weightsResident == fresh.weightsResident &&
              got.inputResident == fresh.inputResident && got.bandRows == fresh.bandRows &&
              got.colTile == fresh.colTile && got.channelTile == fresh.channelTile &&
              got.bufferNeedBytes == fresh.bufferNeedBytes)
      << describe(l) << " " << c.name() << " at " << buffer;
}

}  // namespace

// With the memo a planner reuses its last plan for larger buffers until one of its families'
// picks would change. Dense ascending sweeps (steps of a few bytes across the need thresholds,
// then doubling) with random cycle cutoffs: the result is the fresh plan's whenever that is at
// most the cutoff, and above the cutoff whenever the fresh plan is (the contract of plan()).
TEST(NvdlaPlanner, MemoReuseMatchesFreshPlansOnDenseSweeps) {
  std::mt19937_64 rng(733);
  int exact = 0, reusedRuns = 0;
  ListedCase k;
  for (int i = 0; i < 400; ++i) {
    if (!k.draw(rng, true)) continue;
    const Layer& l = k.l;
    const ArrayConfig& c = k.c;
    NvdlaPlanner& memo = k.planner;
    int64_t buffer = pick(rng, 16, 600), previousCycles = -1;
    while (buffer < 4 * memo.saturationBytes() + 1024 && buffer < (int64_t(1) << 26)) {
      const int before = exact;
      int64_t cycles = -1;
      expectMemoPlanAsFresh(rng, l, c, memo, buffer, exact, cycles);
      if (HasFatalFailure()) return;
      reusedRuns += exact > before && cycles == previousCycles;
      previousCycles = cycles;
      buffer += buffer < 4096 ? pick(rng, 1, 40) : buffer / int64_t(pick(rng, 3, 12));
    }
  }
  EXPECT_GT(exact, 5000);
  EXPECT_GT(reusedRuns, 1000);
}

// With the memo each family keeps its pick with the buffers it holds for, from the buffer it
// was made at up to its next change. Buffers in random order (smaller after larger, repeats,
// values right at and around the need thresholds of the list entries) and random cutoffs: the
// memo planner answers as fresh planners do (exactly when the fresh plan is at most the cutoff).
TEST(NvdlaPlanner, MemoFamiliesMatchFreshPlansInAnyBufferOrder) {
  std::mt19937_64 rng(757);
  int exact = 0;
  ListedCase k;
  for (int i = 0; i < 300; ++i) {
    if (!k.draw(rng, true)) continue;
    const Layer& l = k.l;
    const ArrayConfig& c = k.c;
    NvdlaPlanner& memo = k.planner;
    // Needs of whole-row and tiled candidates are near multiples of these: thresholds and
    // their neighbours get hit.
    std::vector<int64_t> buffers;
    for (int k = 0; k < 40; ++k) {
      const int64_t around = int64_t(1) << pick(rng, 6, 22);
      buffers.push_back(std::max<int64_t>(1, around + pick(rng, -64, 64)));
    }
    for (int k = 0; k < 10; ++k) buffers.push_back(buffers[size_t(pick(rng, 0, 39))]);
    for (int64_t buffer : buffers) {
      int64_t cycles = -1;
      expectMemoPlanAsFresh(rng, l, c, memo, buffer, exact, cycles);
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_GT(exact, 5000);
}

// Above the saturation buffer the mappers choose one schedule whatever the buffer (what lets
// the memoizing planners plan it once): fresh planners at three such sizes agree.
TEST(Saturation, NvdlaScheduleNoLongerDependsOnTheBuffer) {
  std::mt19937_64 rng(709);
  int checked = 0;
  for (int i = 0; i < 1500; ++i) {
    Layer l;
    ArrayConfig c;
    if (!randomValidPair(rng, Style::Nvdla, l, c)) continue;
    const int64_t sat = NvdlaPlanner(l, c).saturationBytes();
    if (sat > (int64_t(1) << 32)) continue;
    NvdlaSchedule ref;
    NvdlaTiming refTiming;
    ASSERT_TRUE(NvdlaPlanner(l, c).plan(sat, ref, refTiming, nullptr)) << describe(l);
    for (int64_t b : {sat + pick(rng, 1, 999), 3 * sat + 17}) {
      NvdlaSchedule s;
      NvdlaTiming t;
      ASSERT_TRUE(NvdlaPlanner(l, c).plan(b, s, t, nullptr));
      ASSERT_TRUE(s.order == ref.order && s.weightsResident == ref.weightsResident &&
                  s.inputResident == ref.inputResident && s.bandRows == ref.bandRows &&
                  s.colTile == ref.colTile && s.channelTile == ref.channelTile &&
                  s.bufferNeedBytes == ref.bufferNeedBytes)
          << describe(l) << " " << c.name() << " at " << b << " vs " << sat;
      ASSERT_EQ(t.cycles, refTiming.cycles);
      ASSERT_EQ(t.dramReadBytes, refTiming.dramReadBytes);
    }
    ++checked;
  }
  EXPECT_GT(checked, 700);
}

TEST(Saturation, EyerissScheduleNoLongerDependsOnTheBuffer) {
  std::mt19937_64 rng(710);
  int checked = 0;
  for (int i = 0; i < 1500; ++i) {
    Layer l;
    ArrayConfig c;
    if (!randomValidPair(rng, Style::Eyeriss, l, c)) continue;
    const int64_t sat = EyerissPlanner(l, c).saturationBytes();
    if (sat > (int64_t(1) << 32)) continue;
    EyerissSchedule ref;
    EyerissTiming refTiming;
    if (!EyerissPlanner(l, c).plan(sat, ref, &refTiming, nullptr)) continue;  // spads too small
    for (int64_t b : {sat + pick(rng, 1, 999), 3 * sat + 17}) {
      EyerissSchedule s;
      EyerissTiming t;
      ASSERT_TRUE(EyerissPlanner(l, c).plan(b, s, &t, nullptr));
      ASSERT_TRUE(s.tileGroups == ref.tileGroups && s.tileKernels == ref.tileKernels &&
                  s.tileChannels == ref.tileChannels && s.tileRows == ref.tileRows &&
                  s.kernelsPerPe == ref.kernelsPerPe && s.channelsPerPe == ref.channelsPerPe &&
                  s.chain == ref.chain && s.bufferNeedBytes == ref.bufferNeedBytes)
          << describe(l) << " " << c.name() << " at " << b << " vs " << sat;
      ASSERT_EQ(t.cycles, refTiming.cycles);
      ASSERT_EQ(t.dramReadBytes, refTiming.dramReadBytes);
    }
    ++checked;
  }
  EXPECT_GT(checked, 700);
}

// Pricing given schedules (no mapper) equals the full cost() of the points they were planned for.
TEST(PriceSchedules, EqualsCostOfTheMappersSchedules) {
  auto model = makeCostModel("nvdla");
  const Workload w = loadZoo("mobilenet_v2");
  std::vector<AllocPoint> points;
  for (size_t l = 0; l < w.layers.size(); ++l)
    for (int64_t pes : {1, 12, 64, 96})
      for (int64_t buffer : {512, 4096, 65536, 1 << 20}) points.push_back({l, Allocation{pes, buffer}});
  const CostBatch c = costBatch(*model, w.layers, points, HardwareParams{});
  std::vector<ScheduledPoint> scheduled;
  std::vector<size_t> from;
  for (size_t i = 0; i < points.size(); ++i) {
    if (!c.feasible[i]) continue;
    ScheduledPoint p{points[i].layer, c.configs[i], {}};
    ASSERT_TRUE(planNvdla(w.layers[p.layer], p.config, p.schedule, nullptr));
    scheduled.push_back(p);
    from.push_back(i);
  }
  ASSERT_GT(scheduled.size(), points.size() / 2);
  const CostBatch priced = priceNvdlaSchedules(*model, w.layers, scheduled);
  for (size_t k = 0; k < scheduled.size(); ++k)
    EXPECT_TRUE(same(c.at(from[k]), priced.at(k))) << "schedule " << k;
  EXPECT_THROW(priceNvdlaSchedules(*makeCostModel("eyeriss"), w.layers, scheduled),
               std::invalid_argument);
}

// sortGroups() orders a batch for the planners: each (class, shape) group's points together,
// a class's groups together, buffers ascending (then point order) inside a group. Results do
// not depend on the order, so the batch tests cannot see a wrong one: checked here directly,
// on grids whose classes recur (copies of one run, interleaved by the fast path), shuffled
// batches (sorted) and runs that are not copies.
TEST(SortGroups, GroupsTogetherBuffersAscending) {
  std::mt19937_64 rng(811);
  for (int trial = 0; trial < 60; ++trial) {
    const uint32_t classes = uint32_t(pick(rng, 1, 6));
    std::vector<GroupKey> keys;
    const int layers = int(pick(rng, 1, 20)), shapes = int(pick(rng, 1, 30));
    const int64_t buffers = pick(rng, 1, 14);
    for (int l = 0; l < layers; ++l) {
      const uint32_t cls = uint32_t(pick(rng, 0, classes - 1));
      for (int sh = 0; sh < shapes; ++sh)
        for (int64_t b = 0; b < buffers; ++b) {
          // trial % 3: a grid; 1: some buffers differ between a class's layers; 2: shuffled.
          const int64_t buffer =
              trial % 3 == 1 && pick(rng, 0, 4) == 0 ? pick(rng, 1, 99) : 512 << b;
          keys.push_back({cls, uint32_t(sh), buffer, uint32_t(keys.size())});
        }
    }
    if (trial % 3 == 2) std::shuffle(keys.begin(), keys.end(), rng);
    std::vector<GroupKey> sorted = keys;
    sortGroups(sorted, classes);
    ASSERT_EQ(sorted.size(), keys.size());
    std::vector<char> seen(keys.size(), 0);
    std::vector<std::pair<uint32_t, uint32_t>> groupsMet;
    std::vector<uint32_t> classesMet;
    for (size_t k = 0; k < sorted.size(); ++k) {
      const GroupKey& x = sorted[k];
      ASSERT_LT(x.point, keys.size());
      ASSERT_FALSE(seen[x.point]) << "point " << x.point << " twice";
      seen[x.point] = 1;
      const GroupKey& in =
          keys[std::find_if(keys.begin(), keys.end(),
                            [&](const GroupKey& y) { return y.point == x.point; }) -
               keys.begin()];
      ASSERT_TRUE(in.cls == x.cls && in.shape == x.shape && in.buffer == x.buffer);
      const bool newGroup = k == 0 || x.cls != sorted[k - 1].cls || x.shape != sorted[k - 1].shape;
      if (newGroup) {
        ASSERT_EQ(std::count(groupsMet.begin(), groupsMet.end(), std::make_pair(x.cls, x.shape)), 0)
            << "group split, trial " << trial;
        groupsMet.push_back({x.cls, x.shape});
        if (k == 0 || x.cls != sorted[k - 1].cls) {
          ASSERT_EQ(std::count(classesMet.begin(), classesMet.end(), x.cls), 0)
              << "class split, trial " << trial;
          classesMet.push_back(x.cls);
        }
      } else {
        const GroupKey& prev = sorted[k - 1];
        ASSERT_TRUE(prev.buffer < x.buffer || (prev.buffer == x.buffer && prev.point < x.point))
            << "trial " << trial << " at " << k;
      }
    }
  }
}
