// The cost model and the generated RTL agree on what the RTL can run (costmodel rtl_limits.cpp):
// every layer the model calls feasible on a design, the drivers can program; a layer the model
// rejects for an RTL limit is reported by `sim` with the model's reason.
#include <gtest/gtest.h>

#include <random>

#include "analects/costmodel/cost_model.h"
#include "analects/rtlgen/rtlgen.h"
#include "analects/sim/sim.h"
#include "eyeriss_driver.h"
#include "nvdla_driver.h"
#include "sim_test_util.h"

using namespace analects;
using namespace analects::simtest;

namespace {

// A conv with a row stride and dilation of its own: stride 5 >= the dilated extent 3 and
// != R * dilation, so every fetched input row is its own DRAM request.
Layer rowDilated(const std::string& name, int64_t H, int64_t R, int64_t stride, int64_t dilation) {
  Layer l = Layer::conv(name, 4, 4, H, 6, R, 1);
  l.strideH = stride, l.dilationH = dilation;
  return l;
}

}  // namespace

// The robustness sweep, without simulation: random small layers (strided, padded and dilated
// both ways, grouped, GEMM) on random small designs of both styles.
TEST(RtlLimits, DriversProgramEveryLayerTheModelCallsFeasible) {
  std::mt19937_64 rng(11);
  auto U = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  int programmed[2] = {0, 0};
  for (int design = 0; design < 40; ++design) {
    ArrayConfig c;
    c.style = design % 2 ? Style::Eyeriss : Style::Nvdla;
    c.atomK = U(1, 8), c.atomC = U(1, 8), c.rows = U(1, 8), c.cols = U(1, 8);
    c.bufferBytes = U(256, 8000), c.accDepthPixels = U(1, 3) == 1 ? 1 << 16 : U(8, 128);
    c.dramBytesPerCycle = U(1, 8), c.dramLatencyCycles = U(1, 30), c.pipelineDepth = U(4, 8);
    c.outputBytes = U(0, 1) ? 4 : 1;
    const auto model = makeCostModel(c.style);
    for (int i = 0; i < 60; ++i) {
      Layer l;
      if (U(0, 5) == 0) {
        l = Layer::gemm("g", U(1, 30), U(1, 20), U(1, 20));
      } else {
        const int64_t R = U(1, 5), g = U(1, 3);
        l = Layer::conv("l", g * U(1, 6), g * U(1, 6), U(1, 24), U(1, 24), R, U(1, 4), 1, 0, g);
        l.N = U(1, 2);
        l.strideH = U(1, 10), l.dilationH = U(1, 3), l.padH = U(0, 3), l.padHEnd = U(0, 3);
        l.strideW = U(1, 4), l.dilationW = U(1, 3), l.padW = U(0, 2), l.padWEnd = U(0, 2);
        l.H = std::max(l.H, l.effectiveR()), l.W = std::max(l.W, l.effectiveS());
      }
      try {
        l.validate();
      } catch (const std::exception&) {
        continue;
      }
      if (!model->evaluate(l, c).feasible) continue;
      try {
        if (c.style == Style::Nvdla)
          sim::buildProgram(l, c, rtlgen::nvdlaRtlParams(c), {});
        else
          sim::buildEyerissProgram(l, c, {});
        ++programmed[c.style == Style::Eyeriss];
      } catch (const sim::LayerError& e) {
        ADD_FAILURE() << c.name() << " acc " << c.accDepthPixels << ": " << e.what();
      }
    }
  }
  EXPECT_GT(programmed[0], 300);
  EXPECT_GT(programmed[1], 300);
}

// On the RTL: the dilated layer the DMA could not fetch in tall bands runs exactly in one-row
// bands; one whose every output row needs 5 requests a step is reported with the model's reason.
TEST(RtlLimits, SimReportsTheModelsReason) {
  ArrayConfig c;
  c.atomK = c.atomC = 4, c.bufferBytes = 4096, c.accDepthPixels = 64, c.dramLatencyCycles = 5;
  const Layer runs = rowDilated("uneven", 16, 2, 5, 2), rejected = rowDilated("taps4", 16, 4, 9, 2);
  const Cost cost = makeCostModel("nvdla")->evaluate(rejected, c);
  ASSERT_FALSE(cost.feasible);
  const auto r = sim::simulate(design(c), workload("limits", {runs, rejected}), options());
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_TRUE(r.layers[0].ok()) << r.layers[0].error;
  EXPECT_TRUE(r.layers[0].outputsMatch);
  EXPECT_EQ(r.layers[0].rtlCycles, r.layers[0].modelCycles);
  EXPECT_NE(r.layers[1].error.find("taps4"), std::string::npos) << r.layers[1].error;
  EXPECT_NE(r.layers[1].error.find(cost.reason), std::string::npos)
      << r.layers[1].error << "\nmodel: " << cost.reason;
}
