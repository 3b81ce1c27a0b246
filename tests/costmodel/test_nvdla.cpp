#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/nvdla_schedule.h"

namespace analects {
std::unique_ptr<CostModel> makeNvdlaModel();
}

using namespace analects;

namespace {

ArrayConfig nvdla(int64_t atomK, int64_t atomC, int64_t buffer, int64_t bw = 8, int64_t lat = 10) {
  ArrayConfig c;
  c.style = Style::Nvdla;
  c.atomK = atomK;
  c.atomC = atomC;
  c.bufferBytes = buffer;
  c.dramBytesPerCycle = bw;
  c.dramLatencyCycles = lat;
  c.pipelineDepth = 4;
  c.outputBytes = 1;
  return c;
}

Layer randomLayer(std::mt19937_64& rng) {
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  int kind = int(pick(0, 5));
  if (kind == 0) return Layer::fc("fc", pick(1, 300), pick(1, 300), pick(1, 3));
  if (kind == 1) return Layer::gemm("g", pick(1, 200), pick(1, 200), pick(1, 200));
  int64_t R = pick(1, 3) * 2 - 1;
  int64_t stride = pick(1, 2);
  int64_t H = pick(R, 40);
  int64_t pad = pick(0, R / 2);
  if (kind == 2) {  // depthwise
    int64_t C = pick(1, 64);
    return Layer::conv("dw", C, C, H, pick(R, 40), R, R, stride, pad, C);
  }
  if (kind == 3) {  // grouped
    int64_t g = pick(1, 8);
    return Layer::conv("gc", g * pick(1, 8), g * pick(1, 8), H, pick(R, 40), R, R, stride, pad, g);
  }
  Layer l = Layer::conv("c", pick(1, 200), pick(1, 200), H, pick(R, 40), R, R, stride, pad);
  l.N = pick(1, 2);
  return l;
}

}  // namespace

TEST(NvdlaModel, HandComputedSmallConv) {
  // K=C=4, 4x4 input, 3x3, pad 1 on a 4x4 array, ample buffer, 8 B/cycle, 10-cycle latency.
  // One step: load (input 4 rows x 4 x 4 ch = 64 B, weights 4 x 9 x 4 = 144 B) = 10 + 26;
  // compute 1 cb x 9 x 16 px = 144; store 4 (pipeline) + 16 px x 4 B / 8 = 12; + 10 latency.
  auto model = makeNvdlaModel();
  Cost c = model->evaluate(Layer::conv("c", 4, 4, 4, 4, 3, 3, 1, 1), nvdla(4, 4, 1 << 16));
  ASSERT_TRUE(c.feasible) << c.reason;
  EXPECT_EQ(c.cycles, 36 + 144 + 12 + 10);
  EXPECT_EQ(c.computeCycles, 144);
  EXPECT_EQ(c.dramReadBytes, 64 + 144);
  EXPECT_EQ(c.dramWriteBytes, 64);
}

TEST(NvdlaModel, HandComputedFc) {
  // FC 32 -> 8 on atomK=4, atomC=8: 2 kernel groups, 4 channel blocks.
  // step0: load in 32 + w 128 = 10 + 20; term max(4, load1 = 10 + 16, 0) = 26;
  // step1: max(4, 0, store0 = 4 + 1) = 5; store1 = 5; latency 10.
  auto model = makeNvdlaModel();
  Cost c = model->evaluate(Layer::fc("fc", 8, 32), nvdla(4, 8, 1 << 16));
  ASSERT_TRUE(c.feasible) << c.reason;
  EXPECT_EQ(c.cycles, 30 + 26 + 5 + 5 + 10);
  EXPECT_EQ(c.computeCycles, 8);
}

TEST(NvdlaModel, ComputeBoundLimitIsCeilMacsPlusFixedLatency) {
  // ResNet-50 3x3, K=C=64, 56x56, pad 1 on 16x16 PEs with unlimited bandwidth, no latency:
  // ceil(64/16) * ceil(64/16) * 9 * 56 * 56 = 451,584 cycles + pipeline depth + 2
  // (first load and last store each take one beat).
  auto model = makeNvdlaModel();
  ArrayConfig cfg = nvdla(16, 16, 1 << 20, int64_t(1) << 30, 0);
  Cost c = model->evaluate(Layer::conv("c", 64, 64, 56, 56, 3, 3, 1, 1), cfg);
  ASSERT_TRUE(c.feasible) << c.reason;
  EXPECT_EQ(c.cycles, 451584 + cfg.pipelineDepth + 2);
  // Edge tiles: K=40, C=24 on 16x16 -> ceil(40/16) = 3 kernel groups, ceil(24/16) = 2 blocks.
  Cost e = model->evaluate(Layer::conv("e", 40, 24, 10, 10, 3, 3, 2, 1), cfg);
  ASSERT_TRUE(e.feasible);
  EXPECT_EQ(e.cycles, 3 * 2 * 9 * 5 * 5 + cfg.pipelineDepth + 2);
  // 1x1 and depthwise: depthwise packs min(atomK, atomC) = 16 channels per pass.
  Cost p = model->evaluate(Layer::conv("pw", 96, 32, 14, 14, 1, 1), cfg);
  EXPECT_EQ(p.cycles, 6 * 2 * 196 + cfg.pipelineDepth + 2);
  Cost d = model->evaluate(Layer::conv("dw", 40, 40, 14, 14, 3, 3, 1, 1, 40), cfg);
  EXPECT_EQ(d.cycles, 3 * 9 * 196 + cfg.pipelineDepth + 2);
}

TEST(NvdlaModel, ClosedFormEqualsStepReplay) {
  std::mt19937_64 rng(7);
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  int checked = 0, tiled = 0;
  for (int i = 0; i < 400; ++i) {
    Layer l = randomLayer(rng);
    ArrayConfig cfg = nvdla(pick(1, 20), pick(1, 20), pick(64, 1 << 16), pick(1, 32), pick(0, 50));
    NvdlaSchedule s;
    std::string why;
    if (!planNvdla(l, cfg, s, &why)) continue;
    ++checked;
    tiled += s.colTiles > 1 || s.channelTiles > 1;
    auto model = makeNvdlaModel();
    Cost c = model->evaluate(l, cfg);
    ASSERT_TRUE(c.feasible);
    EXPECT_EQ(c.cycles, replayNvdlaCycles(s)) << "layer " << i;
    int64_t read = 0, write = 0;
    for (const auto& st : s.expandSteps()) {
      read += st.inputBytes + st.weightBytes;
      if (st.storeCycles > 0)
        write += s.atomK * s.bandOutputRows(st.band) * s.colOutputCols(st.colTile) * s.outputBytes;
    }
    EXPECT_EQ(c.dramReadBytes, read) << "layer " << i;
    EXPECT_EQ(c.dramWriteBytes, write) << "layer " << i;
    EXPECT_LE(c.bufferNeedBytes, cfg.bufferBytes);
  }
  EXPECT_GT(checked, 200);
  EXPECT_GT(tiled, 20);  // small buffers exercise column and channel tiling
}

TEST(NvdlaModel, MonotonicInBandwidthAndBuffer) {
  std::mt19937_64 rng(11);
  auto model = makeNvdlaModel();
  for (int i = 0; i < 600; ++i) {
    Layer l = randomLayer(rng);
    int64_t k = 1 + int64_t(rng() % 16), c = 1 + int64_t(rng() % 16);
    int64_t prevCycles = -1;
    for (int64_t bw : {1, 2, 4, 8, 16, 64}) {
      Cost cost = model->evaluate(l, nvdla(k, c, 1 << 15, bw, 20));
      if (!cost.feasible) break;
      if (prevCycles >= 0) {
        EXPECT_LE(cost.cycles, prevCycles) << l.name << " bw " << bw;
      }
      prevCycles = cost.cycles;
    }
    int64_t prevTraffic = -1;
    for (int64_t buf : {256, 1024, 4096, 16384, 65536, 1 << 18}) {
      Cost cost = model->evaluate(l, nvdla(k, c, buf, 8, 20));
      if (!cost.feasible) continue;
      int64_t traffic = cost.dramReadBytes + cost.dramWriteBytes;
      if (prevTraffic >= 0) {
        EXPECT_LE(traffic, prevTraffic) << l.name << " K" << l.K << " C" << l.C << " H" << l.H
                                        << " W" << l.W << " R" << l.R << " s" << l.strideH << " p"
                                        << l.padH << " g" << l.groups << " N" << l.N << " k" << k
                                        << " c" << c << " buf " << buf;
      }
      prevTraffic = traffic;
    }
  }
}

TEST(NvdlaModel, InfeasiblePointsHaveReasonsAndNoNan) {
  auto model = makeNvdlaModel();
  Cost tiny = model->evaluate(Layer::conv("c", 64, 64, 56, 56, 3, 3, 1, 1), nvdla(16, 16, 100));
  EXPECT_FALSE(tiny.feasible);
  EXPECT_NE(tiny.reason.find("buffer"), std::string::npos) << tiny.reason;
  ArrayConfig bad = nvdla(0, 16, 4096);
  Cost zero = model->evaluate(Layer::conv("c", 8, 8, 8, 8, 3, 3), bad);
  EXPECT_FALSE(zero.feasible);
  EXPECT_NE(zero.reason.find("atomK"), std::string::npos) << zero.reason;
  Cost none = model->cost(Layer::conv("c", 8, 8, 8, 8, 3, 3), Allocation{0, 4096}, HardwareParams{});
  EXPECT_FALSE(none.feasible);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 300; ++i) {
    Layer l = randomLayer(rng);
    Cost c = model->cost(l, Allocation{int64_t(1 + rng() % 300), int64_t(1 + rng() % 20000)},
                         HardwareParams{});
    for (double v : {c.energyPj(), c.areaUm2, c.powerMw, c.utilization}) {
      EXPECT_TRUE(std::isfinite(v));
      EXPECT_GE(v, 0.0);
    }
    if (c.feasible) {
      EXPECT_GT(c.cycles, 0);
      EXPECT_LE(c.utilization, 1.0);
      EXPECT_GE(c.cycles, c.computeCycles);
    } else {
      EXPECT_FALSE(c.reason.empty());
    }
  }
}

TEST(NvdlaModel, ConfigForUsesExactlyThePes) {
  auto model = makeNvdlaModel();
  Layer l = Layer::conv("c", 64, 32, 28, 28, 3, 3, 1, 1);
  for (int64_t pes : {1, 2, 12, 24, 48, 96, 128, 256}) {
    ArrayConfig c = model->configFor(l, Allocation{pes, 1 << 16}, HardwareParams{});
    EXPECT_EQ(c.pes(), pes);
    EXPECT_TRUE(model->evaluate(l, c).feasible);
  }
  // More PEs never slower for this compute-heavy layer.
  double prev = 1e300;
  for (int64_t pes : {1, 2, 4, 8, 16, 32, 64, 128}) {
    Cost c = model->cost(l, Allocation{pes, 1 << 16}, HardwareParams{64, 10});
    EXPECT_LE(double(c.cycles), prev);
    prev = double(c.cycles);
  }
}

TEST(CostModels, AreaBreakdownSumsToArea) {
  for (const auto& info : costModels()) {
    auto model = info.make();
    ArrayConfig c;
    c.style = model->style();
    double sum = 0;
    auto parts = model->areaBreakdownUm2(c);
    EXPECT_GE(parts.size(), 3u) << info.name;
    for (const auto& [name, um2] : parts) {
      EXPECT_GT(um2, 0) << info.name << " " << name;
      sum += um2;
    }
    EXPECT_DOUBLE_EQ(sum, model->areaUm2(c)) << info.name;
  }
}
