#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/eyeriss_schedule.h"

namespace analects {
std::unique_ptr<CostModel> makeEyerissModel();
}

using namespace analects;

namespace {

ArrayConfig eyeriss(int64_t rows, int64_t cols, int64_t buffer, int64_t bw = 8, int64_t lat = 10) {
  ArrayConfig c;
  c.style = Style::Eyeriss;
  c.rows = rows;
  c.cols = cols;
  c.filterSpad = 224, c.ifmapSpad = 12, c.psumSpad = 24;
  c.bufferBytes = buffer;
  c.dramBytesPerCycle = bw;
  c.dramLatencyCycles = lat;
  c.pipelineDepth = 4;
  c.outputBytes = 1;
  return c;
}

int64_t pick(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

Layer randomLayer(std::mt19937_64& rng) {
  int kind = int(pick(rng, 0, 6));
  if (kind == 0) return Layer::fc("fc", pick(rng, 1, 300), pick(rng, 1, 300), pick(rng, 1, 3));
  if (kind == 1) return Layer::gemm("g", pick(rng, 1, 200), pick(rng, 1, 200), pick(rng, 1, 200));
  int64_t R = pick(rng, 1, 3) * 2 - 1;
  int64_t stride = pick(rng, 1, 3);
  int64_t H = pick(rng, R, 40);
  int64_t pad = pick(rng, 0, R / 2 + 1);
  Layer l;
  if (kind == 2) {  // depthwise
    int64_t C = pick(rng, 1, 64);
    l = Layer::conv("dw", C, C, H, pick(rng, R, 40), R, R, stride, pad, C);
  } else if (kind == 3) {  // grouped
    int64_t g = pick(rng, 1, 8);
    l = Layer::conv("gc", g * pick(rng, 1, 8), g * pick(rng, 1, 8), H, pick(rng, R, 40), R, R,
                    stride, pad, g);
  } else {
    l = Layer::conv("c", pick(rng, 1, 200), pick(rng, 1, 200), H, pick(rng, R, 40), R,
                    pick(rng, 1, 3) * 2 - 1, stride, pad);
    l.N = pick(rng, 1, 2);
    if (kind == 5) {  // asymmetric padding, dilation
      l.padHEnd = pick(rng, 0, 2);
      l.dilationH = pick(rng, 1, 2);
      l.dilationW = pick(rng, 1, 2);
      if (l.effectiveR() > l.H + l.padH + l.padHEnd) l.dilationH = 1;
      if (l.effectiveS() > l.W + l.padW + l.padWEnd) l.dilationW = 1;
    }
  }
  return l;
}

ArrayConfig randomConfig(std::mt19937_64& rng) {
  ArrayConfig c = eyeriss(pick(rng, 1, 16), pick(rng, 1, 16), int64_t(1) << pick(rng, 9, 18),
                          pick(rng, 1, 64), pick(rng, 0, 50));
  if (pick(rng, 0, 3) == 0) {
    c.filterSpad = pick(rng, 8, 256), c.ifmapSpad = pick(rng, 5, 16), c.psumSpad = pick(rng, 1, 32);
  }
  c.outputBytes = pick(rng, 0, 1) ? 1 : 4;
  return c;
}

}  // namespace

TEST(EyerissSchedule, ClosedFormEqualsStepReplay) {
  std::mt19937_64 rng(7);
  int checked = 0;
  for (int i = 0; i < 3000; ++i) {
    Layer l = randomLayer(rng);
    ArrayConfig c = randomConfig(rng);
    EyerissSchedule s;
    std::string why;
    if (!planEyeriss(l, c, s, &why)) continue;
    if (s.stepCount() > 20000) continue;
    EyerissTiming closed = eyerissTiming(s), replay = replayEyeriss(s);
    ASSERT_EQ(closed.cycles, replay.cycles) << l.name << " i=" << i;
    ASSERT_EQ(closed.macCycles, replay.macCycles) << i;
    ASSERT_EQ(closed.passOverheadCycles, replay.passOverheadCycles) << i;
    ASSERT_EQ(closed.passes, replay.passes) << i;
    ASSERT_EQ(closed.dramReadBytes, replay.dramReadBytes) << i;
    ASSERT_EQ(closed.dramWriteBytes, replay.dramWriteBytes) << i;
    ASSERT_EQ(closed.steps, replay.steps) << i;
    ++checked;
  }
  EXPECT_GT(checked, 1500);
}

TEST(EyerissSchedule, TileWorkEqualsPassExpansion) {
  std::mt19937_64 rng(11);
  int checked = 0;
  for (int i = 0; i < 1500; ++i) {
    Layer l = randomLayer(rng);
    ArrayConfig c = randomConfig(rng);
    EyerissSchedule s;
    if (!planEyeriss(l, c, s, nullptr) || s.stepCount() > 2000) continue;
    // Vary the PE blocking too, so edge blocks and partial pass groups show up.
    if (i % 2) {
      s.kernelsPerPe = pick(rng, 1, 7), s.channelsPerPe = pick(rng, 1, 5);
      s.chain = pick(rng, 1, 4), s.stacks = pick(rng, 1, 6);
      s.tileKernels = std::max<int64_t>(1, s.tileKernels);
    }
    for (const auto& st : s.expandSteps()) {
      int64_t mac = 0, load = 0, feed = 0, drain = 0, n = 0;
      const auto passes = s.expandPasses(st);
      for (const auto& ps : passes) {
        mac += ps.macCycles, load += ps.spadLoadCycles, feed += ps.feedCycles;
        drain += ps.drainCycles, ++n;
        ASSERT_EQ(ps.spadLoadCycles + ps.feedCycles + ps.macCycles + ps.drainCycles,
                  s.passCycles());
        ASSERT_GE(ps.kernels, 1);
        ASSERT_GE(ps.channels, 1);
        ASSERT_GE(ps.outRows, 1);
      }
      // Every (kernel, channel, output row) of the step is covered exactly once per fold.
      int64_t covered = 0;
      for (const auto& ps : passes) covered += ps.kernels * ps.channels * ps.outRows;
      ASSERT_EQ(covered, s.rFolds * st.groups * st.kernels * st.channels * st.outRows) << i;
      ASSERT_EQ(st.work.macCycles, mac) << i;
      ASSERT_EQ(st.work.spadLoadCycles, load) << i;
      ASSERT_EQ(st.work.feedCycles, feed) << i;
      ASSERT_EQ(st.work.drainCycles, drain) << i;
      ASSERT_EQ(st.work.passes, n) << i;
    }
    ++checked;
  }
  EXPECT_GT(checked, 700);
}

TEST(EyerissSchedule, InputRowsTotalMatchesTiles) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 20000; ++i) {
    EyerissSchedule s;
    s.R = pick(rng, 1, 7), s.dilationH = pick(rng, 1, 3), s.strideH = pick(rng, 1, 4);
    s.padTop = pick(rng, 0, 6);
    s.H = pick(rng, 1, 60);
    int64_t padEnd = pick(rng, 0, 6);
    if (s.effR() > s.H + s.padTop + padEnd) continue;
    s.P = (s.H + s.padTop + padEnd - s.effR()) / s.strideH + 1;
    s.tileRows = pick(rng, 1, s.P);
    s.rowTiles = (s.P + s.tileRows - 1) / s.tileRows;
    int64_t sum = 0;
    for (int64_t et = 0; et < s.rowTiles; ++et) sum += s.inRowsAt(et);
    ASSERT_EQ(s.inRowsTotal(), sum) << i;
  }
}

// ---- Hand-computed layers (costmodel/docs/eyeriss.md, "Passes" and "Timing") ---------------
//
// A pass takes pqS + Q*(pqS + p) + q*chain*(S + (Q-1)*m) cycles (pqS = p*q*S; m taps are new
// per column after the first); a store takes pipelineDepth + ceil(bytes / B); cycles =
// load_0 + sum_i max(compute_i, load_{i+1}, store_{i-1}) + store_last + L.

TEST(EyerissModel, HandComputedStride2Padded) {
  // K=2, C=1, 5x5 input, 3x3, stride 2, pad 1 -> P = Q = 3, on 3x3 PEs, 64 KiB, NB = 16.
  // One set of 3 filter rows x 3 output rows; p = 2, q = 1, chain 1; m = 2 (stride 2 < S).
  // One pass: 6 + 3*(6 + 2) + 1*(3 + 2*2) = 37 cycles (MACs 18, load 6, drains 6, feeds 7).
  // DRAM: filter words 6 x 3 rows = 18 B, ifmap rows 0..4 of 5 = 25 B -> load_0 = 10 + 6;
  // outputs 2 kernels x 1 strip group x 3 columns x 3 lanes = 18 B -> store 4 + 3 = 7.
  // total = 16 + 37 + 7 + 10 = 70.
  auto model = makeEyerissModel();
  Layer l = Layer::conv("s2", 2, 1, 5, 5, 3, 3, 2, 1);
  ArrayConfig c = eyeriss(3, 3, 1 << 16);
  EyerissSchedule s;
  ASSERT_TRUE(planEyeriss(l, c, s, nullptr));
  EXPECT_EQ(s.kernelsPerPe, 2);
  EXPECT_EQ(s.channelsPerPe, 1);
  EXPECT_EQ(s.shiftTaps(), 2);
  EXPECT_EQ(s.passCycles(), 37);
  EXPECT_EQ(s.stepCount(), 1);
  Cost k = model->evaluate(l, c);
  ASSERT_TRUE(k.feasible) << k.reason;
  EXPECT_EQ(k.cycles, 70);
  EXPECT_EQ(k.computeCycles, 18);
  EXPECT_EQ(k.fillDrainCycles, 6 + 7 + 6 + 7 + 10);
  EXPECT_EQ(k.dmaStallCycles, 16);
  EXPECT_EQ(k.dramReadBytes, 43);
  EXPECT_EQ(k.dramWriteBytes, 18);
  EXPECT_EQ(k.macs, 162);
  EXPECT_DOUBLE_EQ(k.utilization, 162.0 / (9 * 70));
}

TEST(EyerissModel, HandComputedEdgeStrip1x1) {
  // 1x1 conv, K=5, C=1, 3x3 -> P = Q = 3 on 2x2 PEs (NB = 8). Sets of 1 filter row x 2 output
  // rows: strips of 2 + 1 rows (edge), one strip per pass (cols / w = 1); one channel, so one
  // copy (chain 1), p = 5. Passes: 2 strip groups x (5 + 3*(5 + 5) + 1*(1 + 2*1)) = 2 x 38.
  // DRAM: filter words 5 x 2 rows = 10 B + ifmap 9 B -> load_0 = 10 + 3; outputs
  // 5 kernels x 2 strip groups x 3 columns x 2 lanes = 60 B -> store 4 + 8 = 12.
  // total = 13 + 76 + 12 + 10 = 111.
  auto model = makeEyerissModel();
  Layer l = Layer::conv("pw", 5, 1, 3, 3, 1, 1);
  ArrayConfig c = eyeriss(2, 2, 1 << 16);
  EyerissSchedule s;
  ASSERT_TRUE(planEyeriss(l, c, s, nullptr));
  EXPECT_EQ(s.stacks, 1);
  EXPECT_EQ(s.chain, 1);
  EXPECT_EQ(s.kernelsPerPe, 5);
  EXPECT_EQ(s.stripRows, 2);
  auto steps = s.expandSteps();
  ASSERT_EQ(steps.size(), 1u);
  auto passes = s.expandPasses(steps[0]);
  ASSERT_EQ(passes.size(), 2u);
  EXPECT_EQ(passes[1].outRows, 1);  // the edge strip
  EXPECT_EQ(passes[1].kernels, 5);
  Cost k = model->evaluate(l, c);
  ASSERT_TRUE(k.feasible) << k.reason;
  EXPECT_EQ(k.cycles, 111);
  EXPECT_EQ(k.computeCycles, 30);
  EXPECT_EQ(k.dramWriteBytes, 60);
  EXPECT_EQ(k.macs, 45);
}

TEST(EyerissModel, HandComputedDepthwise) {
  // Depthwise 3x3, C = K = groups = 4, 4x4, pad 1 on 3x4 PEs (one 3x4 set, NB = 16). The
  // mapper splits the 4 groups into 4 steps (one group each). Per step one pass:
  // 3 + 4*(3 + 1) + 1*(3 + 3*1) = 25; loads 9 filter words of 3 B... i.e. 3 x 3 = 9 B + 16 B
  // ifmap = 25 B -> 10 + 4 = 14; store 4 columns x 4 lanes = 16 B -> 4 + 2 = 6.
  //   total = 14 + (max(25,14,0) + max(25,14,6) + max(25,14,6) + max(25,0,6)) + 6 + 10 = 130
  // With 1 B/cycle every step waits for the DMA: loads 35, stores 20:
  //   35 + (35 + 35 + 35 + 25) + 20 + 10 = 195.
  auto model = makeEyerissModel();
  Layer l = Layer::conv("dw", 4, 4, 4, 4, 3, 3, 1, 1, 4);
  Cost k = model->evaluate(l, eyeriss(3, 4, 1 << 16));
  ASSERT_TRUE(k.feasible) << k.reason;
  EXPECT_EQ(k.cycles, 130);
  EXPECT_EQ(k.computeCycles, 48);
  EXPECT_EQ(k.dramReadBytes, 4 * 25);
  Cost slow = model->evaluate(l, eyeriss(3, 4, 1 << 16, 1));
  ASSERT_TRUE(slow.feasible);
  EXPECT_EQ(slow.cycles, 195);
}

TEST(EyerissModel, HandComputedFc) {
  // FC 32 -> 8 (batch 1) on 2x2 PEs: 1x1 sets of one output row; the mapper's estimate
  // kernel blocks x channel groups x pass cycles is least for chain 2, q = 8, p = 8:
  // 1 x 2 x (64 + 1*(64 + 8) + 8*2*1) = 2 x 152 = 304 (chain 1, q = 8: 4 x 144 = 576).
  // DRAM: 2 channel groups x 64 filter words x 2 rows = 256 B + 32 B ifmap -> 10 + 36 = 46;
  // outputs 8 kernels x 1 column x 2 lanes = 16 B -> 4 + 2 = 6. total = 46 + 304 + 6 + 10.
  auto model = makeEyerissModel();
  Layer l = Layer::fc("fc", 8, 32);
  ArrayConfig c = eyeriss(2, 2, 1 << 16);
  EyerissSchedule s;
  ASSERT_TRUE(planEyeriss(l, c, s, nullptr));
  EXPECT_EQ(s.chain, 2);
  EXPECT_EQ(s.kernelsPerPe, 8);
  EXPECT_EQ(s.channelsPerPe, 8);
  Cost k = model->evaluate(l, c);
  ASSERT_TRUE(k.feasible) << k.reason;
  EXPECT_EQ(k.cycles, 366);
  EXPECT_EQ(k.computeCycles, 128);
  EXPECT_EQ(k.dramReadBytes, 288);
}

TEST(EyerissSchedule, HandBuiltChannelTilesAndLockstep) {
  // Two kernel tiles x two channel tiles (2 + 1 channels) on a 1 x 2 array: psums stay in the
  // GLB across the channel tiles, outputs are stored after the second; 4 B/cycle, latency 3,
  // pipeline 2. p = 1, q = 2, S = Q = 2 rows... (1x1 filter, 2x2 image): every step is one
  // pass of 2 + 2*(2 + 1) + 2*(1 + 1*1) = 12 cycles (the edge tile's filter words are padded).
  EyerissSchedule s;
  s.rows = 1, s.cols = 2;
  s.groups = 1, s.groupChannels = 3, s.groupKernels = 2;
  s.H = s.W = s.P = s.Q = 2;
  s.setRows = 1, s.rFolds = 1, s.stripRows = 2, s.vSlots = s.hSlots = 1;
  s.chain = 1, s.stacks = 1, s.kernelsPerPe = 1, s.channelsPerPe = 2;
  s.tileKernels = 1, s.kernelTiles = 2, s.tileChannels = 2, s.channelTiles = 2;
  s.tileRows = 2, s.rowTiles = 1;
  s.dramBytesPerCycle = 4, s.dramLatency = 3, s.pipelineDepth = 2, s.outputBytes = 1;
  // Loads: 2 filter bytes + 8 ifmap -> 3 + 3 = 6, then 2 + 4 -> 5, 10 -> 6, 6 -> 5.
  // Stores 1 kernel x 2 columns x 2 lanes = 4 B -> 2 + 1 = 3 after steps 1 and 3.
  //   6 + max(12,5,0) + max(12,6,0) + max(12,5,3) + max(12,0,0) + 3 + 3 = 60
  EXPECT_EQ(s.passCycles(), 12);
  auto steps = s.expandSteps();
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[1].filterBytes, 2);
  EXPECT_EQ(steps[1].ifmapBytes, 4);
  EXPECT_EQ(steps[0].storeBytes, 0);
  EXPECT_EQ(steps[1].storeBytes, 4);
  EXPECT_EQ(steps[0].work.cycles(), 12);
  EXPECT_EQ(steps[1].work.cycles(), 12);
  EyerissTiming closed = eyerissTiming(s), replay = replayEyeriss(s);
  EXPECT_EQ(closed.cycles, 60);
  EXPECT_EQ(replay.cycles, 60);
  EXPECT_EQ(closed.dramReadBytes, 32);
  EXPECT_EQ(closed.dramWriteBytes, 8);

  // Whole channels in one tile: the ifmap is fetched once and stays (kernel tiles reuse it);
  // 3 channels are 2 channel blocks, so 2 passes and 2 x 2 filter words per kernel tile.
  s.tileChannels = 3, s.channelTiles = 1;
  steps = s.expandSteps();
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].ifmapBytes, 12);
  EXPECT_EQ(steps[1].ifmapBytes, 0);
  EXPECT_EQ(steps[1].filterBytes, 4);
  EXPECT_EQ(steps[1].work.passes, 2);
  EXPECT_EQ(eyerissTiming(s).cycles, replayEyeriss(s).cycles);
}

TEST(EyerissModel, ComputeBoundLimitIsPassCountPlusFixedLatency) {
  // K=16, C=8, 16x16, 3x3 pad 1 on 3x16 PEs: one 3x16 set, p = 16, q = 4, one step.
  // Passes: 2 channel blocks x (MACs 16*192 = 3072, load 192, drains 16*16 = 256, feeds
  // 4*(3 + 15*1) = 72). MACs/PEs = 294912 / 48 = 6144 exactly. With B = 4096 B/cycle and no
  // latency the DMA adds one beat before (1152 + 2048 B) and the store 4 + 1 after (16
  // kernels x 16 columns x 16 lanes = 4096 B): cycles = 1 + 6144 + 384 + 512 + 144 + 5.
  auto model = makeEyerissModel();
  Layer l = Layer::conv("cb", 16, 8, 16, 16, 3, 3, 1, 1);
  Cost k = model->evaluate(l, eyeriss(3, 16, 1 << 20, 4096, 0));
  ASSERT_TRUE(k.feasible) << k.reason;
  EXPECT_EQ(k.computeCycles, 6144);
  EXPECT_EQ(k.cycles, 1 + 6144 + 384 + 512 + 144 + 5);

  // Property: with unbounded bandwidth and ample buffer every step's DMA hides under compute,
  // so cycles = MAC cycles + pass overheads + pipeline + first load + last store.
  std::mt19937_64 rng(3);
  int checked = 0;
  for (int i = 0; i < 400; ++i) {
    Layer r = randomLayer(rng);
    if (r.op != OpType::Conv || r.R < 3) continue;
    ArrayConfig c = eyeriss(pick(rng, 3, 12), pick(rng, 1, 14), 1 << 22, 4096, 0);
    EyerissSchedule s;
    if (!planEyeriss(r, c, s, nullptr)) continue;
    EyerissTiming t = eyerissTiming(s);
    Cost kc = model->evaluate(r, c);
    ASSERT_TRUE(kc.feasible);
    EXPECT_EQ(kc.cycles, t.macCycles + t.passOverheadCycles + t.firstLoadCycles + t.lastStoreCycles)
        << i;
    EXPECT_EQ(kc.dmaStallCycles, t.firstLoadCycles) << i;
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

// ---- Properties over random layers ------------------------------------------------------------

TEST(EyerissModel, MoreBandwidthIsNeverSlower) {
  auto model = makeEyerissModel();
  std::mt19937_64 rng(21);
  int checked = 0;
  for (int i = 0; i < 5000; ++i) {
    Layer l = randomLayer(rng);
    ArrayConfig c = randomConfig(rng);
    Cost slow = model->evaluate(l, c);
    c.dramBytesPerCycle += pick(rng, 1, 64);
    Cost fast = model->evaluate(l, c);
    ASSERT_EQ(slow.feasible, fast.feasible) << i;
    if (!slow.feasible) continue;
    EXPECT_LE(fast.cycles, slow.cycles) << i;
    EXPECT_EQ(fast.dramReadBytes, slow.dramReadBytes) << i;  // the schedule ignores the port
    ++checked;
  }
  EXPECT_GT(checked, 3500);
}

TEST(EyerissModel, MoreBufferNeverMoreDramTraffic) {
  auto model = makeEyerissModel();
  std::mt19937_64 rng(22);
  int checked = 0;
  for (int i = 0; i < 5000; ++i) {
    Layer l = randomLayer(rng);
    ArrayConfig c = randomConfig(rng);
    Cost small = model->evaluate(l, c);
    c.bufferBytes += pick(rng, 1, c.bufferBytes);
    Cost large = model->evaluate(l, c);
    if (!small.feasible) continue;
    ASSERT_TRUE(large.feasible) << i << " " << large.reason;
    EXPECT_LE(large.dramReadBytes + large.dramWriteBytes,
              small.dramReadBytes + small.dramWriteBytes)
        << i;
    EXPECT_LE(large.bufferNeedBytes, c.bufferBytes) << i;
    ++checked;
  }
  EXPECT_GT(checked, 3500);
}

TEST(EyerissModel, FeasiblePointsAreConsistent) {
  auto model = makeEyerissModel();
  std::mt19937_64 rng(23);
  for (int i = 0; i < 1500; ++i) {
    Layer l = randomLayer(rng);
    ArrayConfig c = randomConfig(rng);
    Cost k = model->evaluate(l, c);
    for (double v : {k.utilization, k.energyPj(), k.areaUm2, k.powerMw})
      ASSERT_TRUE(std::isfinite(v));
    if (!k.feasible) {
      EXPECT_FALSE(k.reason.empty());
      continue;
    }
    EXPECT_EQ(k.cycles, k.computeCycles + k.dmaStallCycles + k.fillDrainCycles) << i;
    EXPECT_GE(k.dmaStallCycles, 0);
    EXPECT_EQ(k.macs, l.macs());
    EXPECT_GE(k.computeCycles * c.rows * c.cols, k.macs) << i;  // one MAC per PE per cycle
    EXPECT_GT(k.utilization, 0);
    EXPECT_LE(k.utilization, 1);
    EXPECT_LE(k.bufferNeedBytes, c.bufferBytes);
    EXPECT_GT(k.energy.macPj, 0);
    EXPECT_GT(k.energy.dramPj, 0);
    EXPECT_GT(k.powerMw, 0);
    // Every input element that feeds an output, every weight and every output crosses DRAM.
    EXPECT_GE(k.dramReadBytes, l.weightElems()) << i;
    // Outputs leave as whole psum words: every output, plus the idle lanes of a word.
    EXPECT_GE(k.dramWriteBytes, l.outputElems() * c.outputBytes) << i;
    EXPECT_LE(k.dramWriteBytes, l.outputElems() * c.outputBytes * c.cols) << i;
  }
}

// ---- Infeasible points ------------------------------------------------------------------------

TEST(EyerissModel, InfeasiblePointsCarryAReasonAndNoNaN) {
  auto model = makeEyerissModel();
  auto expectInfeasible = [](const Cost& k, const std::string& words) {
    EXPECT_FALSE(k.feasible);
    EXPECT_NE(k.reason.find(words), std::string::npos) << k.reason;
    for (double v : {k.utilization, k.energyPj(), k.areaUm2, k.powerMw}) {
      EXPECT_TRUE(std::isfinite(v));
      EXPECT_EQ(v, 0);
    }
    EXPECT_EQ(k.cycles, 0);
  };
  Layer conv1 = Layer::conv("conv1", 64, 3, 224, 224, 11, 11, 4, 2);
  ArrayConfig c = eyeriss(12, 14, 110592);
  c.ifmapSpad = 10;
  expectInfeasible(model->evaluate(conv1, c), "ifmap scratchpad");
  c = eyeriss(12, 14, 110592);
  c.filterSpad = 8;
  expectInfeasible(model->evaluate(conv1, c), "filter scratchpad");
  expectInfeasible(model->evaluate(conv1, eyeriss(12, 14, 64)), "below the smallest tile");
  expectInfeasible(model->cost(conv1, Allocation{0, 4096}, HardwareParams{}), "no PEs");
  expectInfeasible(model->cost(conv1, Allocation{168, 0}, HardwareParams{}), "no global buffer");
  Layer bad = conv1;
  bad.strideH = 0;
  expectInfeasible(model->evaluate(bad, eyeriss(12, 14, 110592)), "stride_h");
  ArrayConfig nv = eyeriss(12, 14, 110592);
  nv.style = Style::Nvdla;
  expectInfeasible(model->evaluate(conv1, nv), "Eyeriss-style");
  // 1023 is 3 x 11 x 31: a valid factorization exists; a prime above 1024 has none.
  Cost k = model->cost(conv1, Allocation{1031, 1 << 20}, HardwareParams{});
  EXPECT_FALSE(k.feasible);
  EXPECT_FALSE(k.reason.empty());
}

// ---- configFor, area, FPGA --------------------------------------------------------------------

TEST(EyerissModel, ConfigForUsesAllPesAndTheFastestShape) {
  auto model = makeEyerissModel();
  std::mt19937_64 rng(31);
  HardwareParams hw;
  for (int i = 0; i < 60; ++i) {
    Layer l = randomLayer(rng);
    int64_t pes = std::vector<int64_t>{1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128}[i % 12];
    int64_t buffer = int64_t(1) << pick(rng, 10, 17);
    ArrayConfig c = model->configFor(l, Allocation{pes, buffer}, hw);
    EXPECT_EQ(c.rows * c.cols, pes);
    EXPECT_EQ(c.bufferBytes, buffer);
    EXPECT_EQ(c.filterSpad, 224);
    EXPECT_EQ(c.ifmapSpad, 12);
    EXPECT_EQ(c.psumSpad, 24);
    Cost chosen = model->evaluate(l, c);
    for (int64_t r = 1; r <= pes; ++r) {
      if (pes % r) continue;
      ArrayConfig other = c;
      other.rows = r, other.cols = pes / r;
      Cost k = model->evaluate(l, other);
      if (k.feasible) {
        ASSERT_TRUE(chosen.feasible) << i;
        EXPECT_LE(chosen.cycles, k.cycles) << i;
      }
    }
  }
}

TEST(EyerissModel, AreaAndFpgaOfTheEyerissChip) {
  auto model = makeEyerissModel();
  ArrayConfig chip = eyeriss(12, 14, 108 * 1024);
  const TechTable& t = model->tech();
  double pe = t.mac8AreaUm2 + t.add32AreaUm2 + (8 * 224 + 8 * 12 + 32 * 24) * t.regAreaUm2PerBit;
  EXPECT_DOUBLE_EQ(model->areaUm2(chip),
                   168 * pe + 108 * 1024 * 8 * t.sramAreaUm2PerBit + t.controlAreaUm2);
  FpgaResources r = model->fpgaResources(chip);
  // 168 MACs, the sequencer's multiply on a 17-bit ifmap address (two), and the store's
  // multiplies by 14 bytes a pixel (not a power of 2, one psum bank: two). Yosys: 172.
  EXPECT_EQ(r.dsp, 168 + 2 + 2);
  EXPECT_GT(r.bram36, 3 * 27 - 10);  // three GLB regions of 108 KiB each
  EXPECT_GT(r.lut, 0);
  EXPECT_GT(r.ff, 0);
}

// Yosys 0.23 (synth_xilinx -flatten) on generated designs: DSP and block RAM exact, LUT and FF
// within 5 % (analects fpga --design ... --json).
TEST(EyerissModel, FpgaMatchesYosysOnGeneratedDesigns) {
  auto model = makeEyerissModel();
  struct Point {
    int64_t rows, cols, buffer, bw, outBytes, fsp, isp, psp, dsp, bram18, bram36, lut, ff;
  };
  const Point points[] = {{3, 4, 8192, 8, 1, 224, 12, 24, 13, 0, 16, 16755, 6357},
                          {4, 4, 16384, 8, 1, 224, 12, 24, 17, 0, 16, 17808, 6763},
                          {2, 8, 4096, 8, 1, 224, 12, 24, 17, 4, 8, 19681, 7400},
                          {5, 3, 6000, 3, 4, 17, 5, 7, 18, 6, 6, 12274, 5711},
                          // The Eyeriss chip's array (synth_xilinx, 12 min).
                          {12, 14, 110592, 8, 1, 224, 12, 24, 172, 58, 75, 116292, 22926}};
  for (const Point& p : points) {
    ArrayConfig c = eyeriss(p.rows, p.cols, p.buffer, p.bw);
    c.outputBytes = p.outBytes;
    c.filterSpad = p.fsp, c.ifmapSpad = p.isp, c.psumSpad = p.psp;
    const FpgaResources r = model->fpgaResources(c);
    EXPECT_EQ(r.dsp, p.dsp) << p.rows << "x" << p.cols;
    EXPECT_EQ(r.bram18, p.bram18) << p.rows << "x" << p.cols;
    EXPECT_EQ(r.bram36, p.bram36) << p.rows << "x" << p.cols;
    EXPECT_NEAR(double(r.lut), double(p.lut), 0.05 * double(p.lut)) << p.rows << "x" << p.cols;
    EXPECT_NEAR(double(r.ff), double(p.ff), 0.05 * double(p.ff)) << p.rows << "x" << p.cols;
  }
  // DSP48E1 counts of more Yosys runs (synth_xilinx -flatten): the store's third DSP with
  // banked psum words and a non-power-of-two pixel, and the sequencer's second from a 17-bit
  // ifmap address.
  struct DspPoint {
    int64_t rows, cols, buffer, dsp;
  };
  const DspPoint dsps[] = {{1, 5, 3000, 9},     {1, 6, 3000, 10},    {1, 7, 3000, 11},
                           {1, 9, 3000, 12},    {1, 10, 3000, 13},   {1, 11, 3000, 14},
                           {1, 12, 3000, 15},   {1, 13, 3000, 16},   {1, 14, 3000, 17},
                           {2, 3, 3000, 10},    {3, 7, 3000, 25},    {2, 7, 3000, 18},
                           {3, 4, 3000, 13},    {1, 9, 8192, 12},    {1, 9, 32768, 12},
                           {1, 9, 65536, 12},   {1, 9, 110592, 13}};
  for (const DspPoint& p : dsps)
    EXPECT_EQ(model->fpgaResources(eyeriss(p.rows, p.cols, p.buffer)).dsp, p.dsp)
        << p.rows << "x" << p.cols << " " << p.buffer << " B";
}

// ---- The Eyeriss chip on AlexNet --------------------------------------------------------------

TEST(EyerissModel, EyerissChipOnAlexNetConvLayers) {
  // 12 x 14 PEs, spads 224 / 12 / 24, 108 KB global buffer (JSSC 2017). The chip reports
  // AlexNet's conv layers at 35 fps at 200 MHz (16-bit, with its own DRAM): about 69 % of the
  // array's peak. Our int8 model with an 8 B/cycle port should land in the same range.
  auto model = makeEyerissModel();
  ArrayConfig chip = eyeriss(12, 14, 108 * 1024, 8, 20);
  const Layer convs[] = {Layer::conv("features.0", 64, 3, 224, 224, 11, 11, 4, 2),
                         Layer::conv("features.3", 192, 64, 27, 27, 5, 5, 1, 2),
                         Layer::conv("features.6", 384, 192, 13, 13, 3, 3, 1, 1),
                         Layer::conv("features.8", 256, 384, 13, 13, 3, 3, 1, 1),
                         Layer::conv("features.10", 256, 256, 13, 13, 3, 3, 1, 1)};
  int64_t cycles = 0, macs = 0;
  for (const Layer& l : convs) {
    Cost k = model->evaluate(l, chip);
    ASSERT_TRUE(k.feasible) << l.name << ": " << k.reason;
    EXPECT_GT(k.utilization, 0.6) << l.name;
    EXPECT_LT(k.utilization, 0.95) << l.name;
    EXPECT_LT(k.dmaStallCycles, k.cycles / 20) << l.name;  // compute-bound on the chip
    cycles += k.cycles, macs += k.macs;
  }
  double fps = 200e6 / double(cycles);
  EXPECT_GT(fps, 25);
  EXPECT_LT(fps, 60);
  EXPECT_GT(double(macs) / (168.0 * double(cycles)), 0.65);
}
