// RTL limits (rtl_limits.cpp): the cost model never plans what the generated RTL cannot run.
// Points past a limit of the RTL (16-bit registers, counters and DMA counts, 4 DRAM requests a
// step, 32-bit DRAM addresses) are infeasible with the limit as the reason, identically in the
// scalar and the batched paths; the mapper keeps within the limits that depend on the tiling.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "analects/costmodel/batch.h"
#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/eyeriss_schedule.h"
#include "analects/costmodel/nvdla_schedule.h"

using namespace analects;

namespace {

ArrayConfig nvdla(int64_t k, int64_t c, int64_t buffer, int64_t acc = 512) {
  ArrayConfig cfg;
  cfg.atomK = k, cfg.atomC = c, cfg.bufferBytes = buffer, cfg.accDepthPixels = acc;
  return cfg;
}

ArrayConfig eyeriss(int64_t rows, int64_t cols, int64_t buffer) {
  ArrayConfig cfg;
  cfg.style = Style::Eyeriss;
  cfg.rows = rows, cfg.cols = cols, cfg.bufferBytes = buffer;
  return cfg;
}

// A conv with a row stride and dilation of its own (columns plain).
Layer rowDilated(const std::string& name, int64_t H, int64_t R, int64_t stride, int64_t dilation,
                 int64_t pad = 0) {
  Layer l = Layer::conv(name, 4, 4, H, 6, R, 1);
  l.strideH = stride, l.dilationH = dilation, l.padH = l.padHEnd = pad;
  return l;
}

// stride 5 >= the dilated extent 3 and != R * dilation: every tap row is its own DMA request.
Layer unevenTaps() {
  return rowDilated("uneven", 16, 2, 5, 2);
}
// Four such taps in every output row: 5 requests with the weights.
Layer tooManyTaps() {
  return rowDilated("taps4", 16, 4, 9, 2);
}

uint64_t bits(double v) {
  uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

::testing::AssertionResult same(const Cost& a, const Cost& b) {
  if (a.feasible != b.feasible || a.reason != b.reason)
    return ::testing::AssertionFailure()
           << "scalar '" << a.reason << "', batch '" << b.reason << "'";
  if (a.cycles != b.cycles || a.dramReadBytes != b.dramReadBytes ||
      a.dramWriteBytes != b.dramWriteBytes || a.bufferNeedBytes != b.bufferNeedBytes ||
      bits(a.energyPj()) != bits(b.energyPj()) || bits(a.areaUm2) != bits(b.areaUm2) ||
      bits(a.powerMw) != bits(b.powerMw))
    return ::testing::AssertionFailure()
           << "numbers differ (cycles " << a.cycles << " vs " << b.cycles << ")";
  return ::testing::AssertionSuccess();
}

}  // namespace

TEST(RtlLimits, WideOutputIsInfeasibleWithTheLimit) {
  const Layer wide = Layer::conv("wide", 4, 4, 1, 70000, 1, 1);  // Q = 70000
  ASSERT_EQ(wide.Q(), 70000);
  for (const ArrayConfig& c : {nvdla(4, 4, 65536), eyeriss(4, 4, 65536)}) {
    const Cost cost = makeCostModel(c.style)->evaluate(wide, c);
    EXPECT_FALSE(cost.feasible) << styleName(c.style);
    EXPECT_EQ(cost.reason, "output width Q = 70000 exceeds the RTL's 16-bit column counter");
  }
  // One column less is still runnable.
  const Layer edge = Layer::conv("edge", 4, 4, 1, 65535, 1, 1);
  EXPECT_TRUE(makeCostModel("nvdla")->evaluate(edge, nvdla(4, 4, 65536)).feasible);
}

TEST(RtlLimits, DramBeyondThe32BitAddressSpaceIsInfeasible) {
  // A 4 GiB input alone fills the address space; weights and outputs go beyond it.
  const Layer huge = Layer::conv("huge", 16, 4096, 1024, 1024, 1, 1);
  for (const ArrayConfig& c : {nvdla(16, 16, 1 << 20), eyeriss(12, 14, 1 << 20)}) {
    const Cost cost = makeCostModel(c.style)->evaluate(huge, c);
    EXPECT_FALSE(cost.feasible) << styleName(c.style);
    EXPECT_NE(cost.reason.find("beyond the RTL's 32-bit address space"), std::string::npos)
        << cost.reason;
  }
  NvdlaSchedule s;
  std::string why;
  const Layer fits = Layer::conv("fits", 16, 1024, 1024, 1024, 1, 1);  // 1 GiB of input
  ASSERT_TRUE(planNvdla(fits, nvdla(16, 16, 1 << 20), s, &why)) << why;
  EXPECT_EQ(nvdlaDramLayout(s).weightBase, int64_t(1) << 30);
}

// The robustness sweep's case: a dilated layer whose stride skips rows unevenly needs one DRAM
// request per fetched input row, so the mapper runs one output row a band (3 requests a step
// with the weights) instead of the tallest band that fits.
TEST(RtlLimits, UnevenDilatedTapsRunInOneRowBands) {
  const Layer l = unevenTaps();
  NvdlaSchedule s;
  std::string why;
  ASSERT_TRUE(planNvdla(l, nvdla(4, 4, 4096, 64), s, &why)) << why;
  EXPECT_EQ(s.bandRows, 1);
  EXPECT_EQ(nvdlaRtlMaxBandRows(s), 1);
  EXPECT_EQ(nvdlaRtlLimits(s), "");
  // Evenly spread taps (stride == R * dilation) and R = 2 at stride == the extent stay cheap.
  for (const Layer& even : {rowDilated("even", 16, 2, 4, 2), rowDilated("pairs", 16, 2, 3, 2)}) {
    ASSERT_TRUE(planNvdla(even, nvdla(4, 4, 4096, 64), s, &why)) << why;
    EXPECT_GT(s.bandRows, 1) << even.name;
  }
}

TEST(RtlLimits, TooManyDmaRequestsAStepIsInfeasible) {
  const Cost cost = makeCostModel("nvdla")->evaluate(tooManyTaps(), nvdla(4, 4, 4096, 64));
  EXPECT_FALSE(cost.feasible);
  EXPECT_EQ(cost.reason,
            "dilation 2 with row stride 9 fetches each input row of an output row as its own "
            "DRAM request, 5 a step with the weights; the RTL's DMA takes at most 4");
  // When the padding leaves no output row all four taps, it runs.
  const Layer clipped = rowDilated("clipped", 5, 4, 9, 2, 1);  // taps at rows -1, 1, 3, 5
  ASSERT_EQ(clipped.P(), 1);
  EXPECT_TRUE(makeCostModel("nvdla")->evaluate(clipped, nvdla(4, 4, 4096, 64)).feasible);
}

// A deep accumulator would allow bands past the RTL's 16-bit row counter and DMA counts.
TEST(RtlLimits, BandsStayWithinTheRowCounter) {
  const Layer tall = Layer::gemm("tall", 200000, 4, 4);  // H = P = 200000, Q = 1
  NvdlaSchedule s;
  std::string why;
  ASSERT_TRUE(planNvdla(tall, nvdla(4, 4, 1 << 24, 1 << 20), s, &why)) << why;
  EXPECT_LE(s.bandRows, kRtlCounterMax);
  EXPECT_EQ(nvdlaRtlLimits(s), "");
  NvdlaSchedule tooTall = s;
  tooTall.bandRows = 100000, tooTall.bands = 2;
  EXPECT_NE(nvdlaRtlLimits(tooTall).find("bands of 100000 output rows"), std::string::npos);
}

TEST(RtlLimits, EyerissTileFieldsAreChecked) {
  EyerissSchedule s;
  std::string why;
  ASSERT_TRUE(planEyeriss(Layer::conv("c", 8, 8, 8, 8, 3, 3), eyeriss(4, 4, 65536), s, &why))
      << why;
  EXPECT_EQ(eyerissRtlLimits(s), "");
  EyerissSchedule big = s;
  big.groupKernels = big.tileKernels = 70000;
  EXPECT_EQ(eyerissRtlLimits(big),
            "kernels per tile = 70000 exceeds the RTL's 16-bit descriptor fields");
  big = s;
  big.padLeft = 70000;
  EXPECT_EQ(eyerissRtlLimits(big),
            "left padding = 70000 exceeds the RTL's 16-bit padding register");
}

// The batched path reports the same points infeasible with the same reasons, and the same
// numbers for the points the limits re-tile.
TEST(RtlLimits, BatchEqualsScalar) {
  const std::vector<Layer> layers = {
      unevenTaps(),
      tooManyTaps(),
      rowDilated("clipped", 5, 4, 9, 2, 1),
      Layer::conv("wide", 4, 4, 1, 70000, 1, 1),
      Layer::gemm("tall", 200000, 4, 4),
      Layer::conv("plain", 8, 8, 8, 8, 3, 3, 1, 1),
  };
  for (const char* style : {"nvdla", "eyeriss"}) {
    auto model = makeCostModel(style);
    std::vector<EvalPoint> points;
    for (size_t i = 0; i < layers.size(); ++i)
      for (int64_t buffer : {512, 4096, 65536, 1 << 24}) {
        ArrayConfig c =
            model->style() == Style::Nvdla ? nvdla(4, 4, buffer, 64) : eyeriss(3, 4, buffer);
        points.push_back({i, c});
        c.accDepthPixels = 1 << 20;
        points.push_back({i, c});
      }
    const CostBatch batch = evaluateBatch(*model, layers, points);
    for (size_t i = 0; i < points.size(); ++i)
      EXPECT_TRUE(same(model->evaluate(layers[points[i].layer], points[i].config), batch.at(i)))
          << style << " point " << i << " (" << layers[points[i].layer].name << ")";
    std::vector<AllocPoint> allocs;
    const HardwareParams hw;
    for (size_t i = 0; i < layers.size(); ++i)
      for (int64_t pes : {1, 12, 16})
        for (int64_t buffer : {1024, 65536}) allocs.push_back({i, {pes, buffer}});
    const CostBatch costs = costBatch(*model, layers, allocs, hw);
    for (size_t i = 0; i < allocs.size(); ++i)
      EXPECT_TRUE(same(model->cost(layers[allocs[i].layer], allocs[i].alloc, hw), costs.at(i)))
          << style << " allocation " << i << " (" << layers[allocs[i].layer].name << ")";
  }
}

// Random layers, dilated and strided ones among them, on random designs: every schedule the
// mappers return passes the limits (the tiling-dependent ones included).
TEST(RtlLimits, EveryPlannedScheduleIsRunnable) {
  std::mt19937_64 rng(7);
  auto U = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  int planned = 0;
  for (int i = 0; i < 3000; ++i) {
    const int64_t R = U(1, 5);
    Layer l = Layer::conv("l", U(1, 40), U(1, 40), U(1, 40), U(1, 40), R, U(1, 3));
    l.strideH = U(1, 12), l.dilationH = U(1, 3), l.padH = U(0, 3), l.padHEnd = U(0, 3);
    l.strideW = U(1, 3), l.dilationW = U(1, 2);
    l.H = std::max(l.H, l.effectiveR()), l.W = std::max(l.W, l.effectiveS());
    try {
      l.validate();
    } catch (const std::exception&) {
      continue;
    }
    NvdlaSchedule n;
    if (planNvdla(l, nvdla(U(1, 8), U(1, 8), U(64, 20000), U(1, 2) == 1 ? 64 : 1 << 16), n,
                  nullptr)) {
      ++planned;
      ASSERT_EQ(nvdlaRtlLimits(n), "") << i;
    }
    EyerissSchedule e;
    if (planEyeriss(l, eyeriss(U(1, 8), U(1, 8), U(256, 60000)), e, nullptr)) {
      ASSERT_EQ(eyerissRtlLimits(e), "") << i;
    }
  }
  EXPECT_GT(planned, 1000);
}
