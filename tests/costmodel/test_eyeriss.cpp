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
    }
    for (const auto& st : s.expandSteps()) {
      int64_t mac = 0, load = 0, drain = 0, n = 0;
      for (const auto& ps : s.expandPasses(st)) {
        mac += ps.macCycles, load += ps.spadLoadCycles, drain += ps.drainCycles, ++n;
      }
      ASSERT_EQ(st.work.macCycles, mac) << i;
      ASSERT_EQ(st.work.spadLoadCycles, load) << i;
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
