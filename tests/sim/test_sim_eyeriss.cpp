// sim on Eyeriss-style (row-stationary) designs: every kind of layer runs bit-exactly and in
// exactly the cost model's cycles, with folded filters, strips side by side, chained channel
// blocks, tiles of every loop and DRAM stalls. Verilated models are cached in <build>/sim_cache.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/eyeriss_schedule.h"
#include "analects/rtlgen/rtlgen.h"
#include "analects/sim/sim.h"
#include "sim_test_util.h"

namespace fs = std::filesystem;
using namespace analects;
using namespace analects::simtest;

namespace {

ArrayConfig eyeriss(int64_t rows, int64_t cols, int64_t buffer, int64_t latency = 5) {
  ArrayConfig c;
  c.style = Style::Eyeriss;
  c.rows = rows, c.cols = cols, c.bufferBytes = buffer;
  c.dramLatencyCycles = latency;
  return c;
}

Workload everyKind() {
  Workload w;
  w.name = "every-kind";
  w.layers = {
      Layer::conv("pointwise", 8, 8, 6, 6, 1, 1),
      Layer::conv("conv3x3", 8, 6, 7, 6, 3, 3, 1, 1),
      Layer::conv("conv3x3_s2", 6, 5, 9, 8, 3, 3, 2, 1),
      Layer::conv("pointwise_s2", 8, 8, 8, 7, 1, 1, 2, 0),
      Layer::conv("depthwise", 12, 12, 6, 6, 3, 3, 1, 1, 12),
      Layer::conv("depthwise_s2", 6, 6, 7, 7, 3, 3, 2, 1, 6),
      Layer::conv("grouped", 8, 8, 5, 5, 3, 3, 1, 1, 2),
      batched(Layer::conv("batch2", 5, 7, 5, 4, 3, 3, 1, 1), 2),
      Layer::conv("stem7x7_s2", 8, 3, 12, 12, 7, 7, 2, 3),
      Layer::conv("stem11x11_s4", 4, 3, 23, 23, 11, 11, 4, 2),
      dilated(Layer::conv("dilated", 4, 4, 9, 9, 3, 3, 1, 2), 2),
      Layer::fc("fc", 20, 24, 2),
      Layer::gemm("gemm", 7, 12, 10),
  };
  return w;
}

}  // namespace

// Every kind of layer (3x3 and 7x7/11x11 stems folded onto 3 rows, stride 2 and 4, padding,
// depthwise, groups, batch 2, dilation, FC, GEMM), int8 outputs with ReLU, on 3 x 4 PEs.
TEST(EyerissSim, EveryKindOn3x4IsExact) {
  auto o = options();
  o.relu = true;
  const ArrayConfig c = eyeriss(3, 4, 8192);
  EyerissSchedule s;
  ASSERT_TRUE(planEyeriss(Layer::conv("stem", 4, 3, 23, 23, 11, 11, 4, 2), c, s, nullptr));
  EXPECT_EQ(s.rFolds, 4) << "11 filter rows fold onto 3 PE rows";
  expectExact(sim::simulate(design(c), everyKind(), o));
}

// Row tiles that lie wholly in the padding after earlier tiles (they read no ifmap), with
// asymmetric padding, strides 2 and 4 and dilation 2 across the row, on the 3 x 4 design above.
TEST(EyerissSim, TilesInsideThePaddingAreExact) {
  const Workload w =
      workload("padding", {conv("pad3_both", 1, 4, 4, 5, 5, 1, 1, {2, 3, 3, 1}, {}),
                           conv("pad_bottom", 1, 4, 4, 5, 5, 1, 1, {1, 0, 3, 1}, {}),
                           conv("pad_wide", 1, 30, 26, 5, 12, 1, 1, {2, 3, 3, 1}, {4, 2, 3, 2}),
                           conv("pad4_tall", 1, 8, 8, 12, 4, 1, 1, {1, 4, 4, 1}, {})});
  expectExact(sim::simulate(design(eyeriss(3, 4, 8192)), w, options()));
}

// Odd scratchpads, a 3-byte DRAM port, int32 outputs, a deeper pipeline and a buffer so small
// that the mapper tiles kernels, channels and rows (psums accumulate across steps), on 5 x 3.
TEST(EyerissSim, TiledLayersOnOddArrayAreExact) {
  ArrayConfig c = eyeriss(5, 3, 1500, 2);
  c.filterSpad = 17, c.ifmapSpad = 5, c.psumSpad = 7;
  c.dramBytesPerCycle = 3;
  c.outputBytes = 4;
  c.pipelineDepth = 6;
  Workload w;
  w.name = "fits";
  int kernelTiled = 0, channelTiled = 0, rowTiled = 0, chained = 0;
  Workload layers = everyKind();
  layers.layers.push_back(Layer::conv("wide", 6, 160, 4, 4, 3, 3, 1, 1));
  layers.layers.push_back(Layer::conv("wide1x1", 5, 200, 3, 3, 1, 1));
  for (const auto& l : layers.layers) {
    EyerissSchedule s;
    if (!planEyeriss(l, c, s, nullptr)) continue;
    w.layers.push_back(l);
    kernelTiled += s.kernelTiles > 1;
    channelTiled += s.channelTiles > 1;
    rowTiled += s.rowTiles > 1;
    chained += s.chain > 1;
  }
  EXPECT_GE(w.layers.size(), 9u);
  EXPECT_GE(kernelTiled, 1);
  EXPECT_GE(channelTiled, 1);
  EXPECT_GE(rowTiled, 1);
  EXPECT_GE(chained, 1);
  expectExact(sim::simulate(design(c), w, options()));
}

// One PE column: the psum store reads 8 words a cycle (8 banks) to keep up with the port.
TEST(EyerissSim, OneColumnStoresAtPortSpeed) {
  const ArrayConfig c = eyeriss(2, 1, 4096);
  EXPECT_EQ(rtlgen::eyerissRtlParams(c).psumBanks, 8);
  Workload w;
  w.name = "column";
  w.layers = {Layer::conv("conv3x3", 5, 3, 6, 6, 3, 3, 1, 1), Layer::fc("fc", 9, 16)};
  expectExact(sim::simulate(design(c), w, options()));
}

// Long: random layers on random arrays, buffers, ports and latencies.
TEST(EyerissSimLong, RandomLayersOnRandomArrays) {
  std::mt19937_64 rng(77);
  auto U = [&](int lo, int hi) { return int(std::uniform_int_distribution<int>(lo, hi)(rng)); };
  auto model = makeCostModel("eyeriss");
  for (int d = 0; d < 5; ++d) {
    ArrayConfig c = eyeriss(U(1, 8), U(1, 8), 0, U(1, 30));
    c.dramBytesPerCycle = U(1, 8);
    c.outputBytes = U(0, 1) ? 4 : 1;
    c.pipelineDepth = U(4, 8);
    if (U(0, 1)) c.filterSpad = U(9, 64), c.ifmapSpad = U(5, 16), c.psumSpad = U(2, 24);
    c.bufferBytes = U(1500, 20000);
    Workload w;
    w.name = "random";
    while (w.layers.size() < 30) {
      const std::string name = "L" + std::to_string(w.layers.size());
      Layer l;
      const int R = U(1, 5), S = U(1, 5);
      switch (U(0, 4)) {
        case 0:
          l = Layer::conv(name, U(1, 20), U(1, 20), U(1, 9), U(1, 9), 1, 1, U(1, 2));
          break;
        case 1: {
          const int ch = U(1, 16);
          l = Layer::conv(name, ch, ch, U(3, 9), U(3, 9), 3, 3, U(1, 2), 1, ch);
          break;
        }
        case 2:
          l = U(0, 1) ? Layer::fc(name, U(1, 40), U(1, 40), U(1, 3))
                      : Layer::gemm(name, U(1, 12), U(1, 20), U(1, 20));
          break;
        default:
          l = Layer::conv(name, U(1, 12), U(1, 12), U(R, 10), U(S, 10), R, S, U(1, 3),
                          U(0, R / 2));
          l.N = U(1, 2);
          if (U(0, 2) == 0) l.strideW = U(1, 3), l.padW = U(0, S / 2), l.padWEnd = U(0, S / 2);
          if (U(0, 3) == 0) l.dilationH = l.dilationW = 2, l.H += 4, l.W += 4;
      }
      try {
        l.validate();
      } catch (...) {
        continue;
      }
      if (model->evaluate(l, c).feasible) w.layers.push_back(l);
    }
    const auto r = sim::simulate(design(c), w, options());
    for (const auto& l : r.layers) {
      EXPECT_TRUE(l.outputsMatch) << r.top << " " << l.name << " (" << l.shape << ") " << l.error;
      // Steps shorter than the driver's descriptor writes can drain the descriptor ring; the
      // stall is counted, and the model must match the RTL's cycles apart from it.
      EXPECT_EQ(l.rtlCycles - l.stallCycles, l.modelCycles)
          << r.top << " " << l.name << " (" << l.shape << ")";
    }
  }
}

// Long: AlexNet, ResNet-18 and MobileNetV2 (spatially scaled) on the Eyeriss chip's array:
// 12 x 14 PEs, spads 224 / 12 / 24, 108 KB global buffer. AlexNet's two big FC layers
// (38 M and 17 M weights, DRAM-bound for 14 M and 4 M cycles) are left out for time; its last
// FC layer runs.
TEST(EyerissSimLong, ZooNetworksOnTheEyerissChip) {
  const ArrayConfig c = eyeriss(12, 14, 108 * 1024, 20);
  for (auto [net, scale] : {std::pair{"alexnet", 4}, {"resnet18", 8}, {"mobilenet_v2", 8}}) {
    auto o = options();
    o.spatialScale = scale;
    if (std::string(net) == "alexnet") o.layers = {"0", "1", "2", "3", "4", "7"};
    expectExact(sim::simulate(design(c), loadZoo(net), o));
  }
}
