// sim: the generated RTL runs small layers of every kind bit-exactly and in exactly the cost
// model's cycles; errors are clear; layer subsets, spatial scaling, traces and the watchdog
// work. Verilated models are cached in <build>/sim_cache, so only the first run builds them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/nvdla_schedule.h"
#include "analects/rtlgen/rtlgen.h"
#include "analects/sim/sim.h"
#include "sim_test_util.h"

namespace fs = std::filesystem;
using namespace analects;
using namespace analects::simtest;

namespace {

ArrayConfig config(int64_t k, int64_t c, int64_t buffer, int64_t acc, int64_t latency) {
  ArrayConfig cfg;
  cfg.atomK = k, cfg.atomC = c, cfg.bufferBytes = buffer;
  cfg.accDepthPixels = acc, cfg.dramLatencyCycles = latency;
  return cfg;
}

// Small layers of every kind the NVDLA-style array runs.
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
      dilated(Layer::conv("dilated", 4, 4, 9, 9, 3, 3, 1, 2), 2),
      Layer::fc("fc", 20, 24, 2),
      Layer::gemm("gemm", 7, 12, 10),
  };
  return w;
}

}  // namespace

// The minimal path: one 1x1 conv on a 4x4 array.
TEST(Sim, PointwiseOn4x4IsExact) {
  Workload w;
  w.name = "one";
  w.layers = {Layer::conv("pointwise", 4, 4, 4, 4, 1, 1)};
  const auto r = sim::simulate(design(config(4, 4, 4096, 64, 5)), w, options());
  expectExact(r);
  ASSERT_EQ(r.layers.size(), 1u);
  EXPECT_EQ(r.layers[0].macs, 4 * 4 * 16);
  EXPECT_EQ(r.layers[0].steps, 1);
}

// Every kind of layer, int8 outputs with ReLU, on a 4x4 array with a roomy buffer.
TEST(Sim, EveryKindOn4x4IsExact) {
  auto o = options();
  o.relu = true;
  expectExact(sim::simulate(design(config(4, 4, 4096, 64, 5)), everyKind(), o));
}

// A non-power-of-two array, a 3-byte DRAM port, int32 outputs, a deeper pipeline and a buffer
// so small that the mapper tiles columns and channels (partial sums across steps).
TEST(Sim, TiledLayersOnOddArrayAreExact) {
  ArrayConfig c = config(3, 5, 420, 24, 2);
  c.dramBytesPerCycle = 3;
  c.outputBytes = 4;
  c.pipelineDepth = 6;
  Workload w;
  w.name = "fits";
  int tiled = 0;
  for (const auto& l : everyKind().layers) {  // the 7x7 and the dilated window do not fit
    NvdlaSchedule s;
    if (!planNvdla(l, c, s, nullptr)) continue;
    w.layers.push_back(l);
    tiled += s.colTiles > 1 || s.channelTiles > 1;
  }
  EXPECT_GE(w.layers.size(), 10u);
  EXPECT_GE(tiled, 4) << "the buffer should force column or channel tiles";
  expectExact(sim::simulate(design(c), w, options()));
}

// Strides that skip input rows with padding at least the stride (several output rows of a band
// lie wholly in the top padding), and dilated windows whose stride is R * dilation or more (the
// DMA fetches only the tap rows), on the 4x4 design above.
TEST(Sim, PaddingAndDilationEdgeCasesAreExact) {
  const Workload w = workload(
      "edges", {conv("pad2_k1", 1, 4, 4, 4, 4, 1, 1, {1, 2, 0, 1}, {}),
                conv("pad3_k1_s2", 1, 4, 4, 4, 4, 1, 1, {2, 3, 0, 1}, {}),
                conv("pad2_k1_s2", 1, 4, 4, 4, 4, 1, 1, {2, 2, 0, 1}, {}),
                conv("dil2_s4", 1, 4, 4, 12, 4, 2, 1, {4, 0, 0, 2}, {}),
                conv("dil2_s6_pad", 1, 4, 4, 13, 5, 3, 2, {6, 1, 2, 2}, {}),
                conv("dil3_s6_groups", 2, 6, 6, 16, 6, 2, 2, {6, 2, 3, 3}, {2, 1, 1, 1}, 2)});
  expectExact(sim::simulate(design(config(4, 4, 4096, 64, 5)), w, options()));
}

TEST(Sim, ModelCyclesAreTheCostModels) {
  const ArrayConfig c = config(4, 4, 4096, 64, 5);
  Workload w = everyKind();
  auto o = options();
  o.layers = {"conv3x3", "fc"};
  const auto r = sim::simulate(design(c), w, o);
  ASSERT_EQ(r.layers.size(), 2u);
  auto model = makeCostModel("nvdla");
  EXPECT_EQ(r.layers[0].modelCycles, model->evaluate(w.layers[1], c).cycles);
  EXPECT_EQ(r.layers[1].modelCycles, model->evaluate(w.layers[10], c).cycles);
}

TEST(Sim, LayerSubsetByNameAndIndex) {
  auto o = options();
  o.layers = {"gemm", "0"};
  const auto r = sim::simulate(design(config(4, 4, 4096, 64, 5)), everyKind(), o);
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_EQ(r.layers[0].name, "gemm");
  EXPECT_EQ(r.layers[1].name, "pointwise");
  expectExact(r);
}

TEST(Sim, UnknownLayerIsAnError) {
  auto o = options();
  o.layers = {"conv9"};
  try {
    sim::simulate(design(config(4, 4, 4096, 64, 5)), everyKind(), o);
    FAIL() << "no error";
  } catch (const sim::SimError& e) {
    EXPECT_NE(std::string(e.what()).find("no layer 'conv9'"), std::string::npos) << e.what();
  }
}

TEST(Sim, SpatialScalingKeepsLayersValidAndExact) {
  Workload w;
  w.name = "big";
  w.layers = {Layer::conv("big3x3", 8, 8, 40, 36, 3, 3, 1, 1),
              Layer::conv("big7x7_s2", 4, 3, 30, 30, 7, 7, 2, 3)};
  auto o = options();
  o.spatialScale = 4;
  const auto r = sim::simulate(design(config(4, 4, 4096, 64, 5)), w, o);
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_NE(r.layers[0].shape.find("H=10 W=9"), std::string::npos) << r.layers[0].shape;
  EXPECT_NE(r.layers[1].shape.find("H=8 W=8"), std::string::npos) << r.layers[1].shape;
  expectExact(r);
}

TEST(Sim, LayerTheDesignCannotRunIsReportedAndOthersRun) {
  Workload w;
  w.name = "mixed";
  // A 15x15 kernel: one channel block's weights, double-buffered, exceed the 4 KB buffer.
  w.layers = {Layer::conv("too_big", 4, 4, 16, 16, 15, 15), Layer::conv("fine", 4, 4, 4, 4, 1, 1)};
  const auto r = sim::simulate(design(config(4, 4, 4096, 64, 5)), w, options());
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_NE(r.layers[0].error.find("too_big"), std::string::npos) << r.layers[0].error;
  EXPECT_NE(r.layers[0].error.find("cannot run"), std::string::npos) << r.layers[0].error;
  EXPECT_FALSE(r.layers[0].ok());
  EXPECT_TRUE(r.layers[1].ok()) << r.layers[1].error;
  EXPECT_FALSE(r.allOk());
}

TEST(Sim, WatchdogNamesLayerAndCycle) {
  Workload w;
  w.name = "slow";
  w.layers = {Layer::conv("conv3x3", 8, 8, 8, 8, 3, 3, 1, 1),
              Layer::conv("next", 4, 4, 4, 4, 1, 1)};
  auto o = options();
  o.watchdogCycles = 100;
  const auto r = sim::simulate(design(config(4, 4, 4096, 64, 5)), w, o);
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_NE(r.layers[0].error.find("watchdog: layer conv3x3 still running at cycle 100"),
            std::string::npos)
      << r.layers[0].error;
  EXPECT_TRUE(r.layers[1].ok()) << "the next layer runs after a reset: " << r.layers[1].error;
}

TEST(Sim, MalformedDesignFileIsAConfigError) {
  const fs::path dir = fs::path(ANALECTS_TEST_OUT) / "malformed";
  fs::create_directories(dir);
  std::ofstream(dir / "design.json") << "{\"format\": \"analects-design\", \"version\": 1}";
  try {
    sim::simulate((dir / "design.json").string(), everyKind(), options());
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("missing object \"config\""), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(sim::simulate((dir / "absent.json").string(), everyKind(), options()), ConfigError);
}

TEST(Sim, ZeroLatencyDramIsRejectedPerLayer) {
  Workload w;
  w.name = "one";
  w.layers = {Layer::conv("pointwise", 4, 4, 4, 4, 1, 1)};
  const auto r = sim::simulate(design(config(4, 4, 4096, 64, 0), "_latency0"), w, options());
  ASSERT_EQ(r.layers.size(), 1u);
  EXPECT_NE(r.layers[0].error.find("latency of at least 1 cycle"), std::string::npos)
      << r.layers[0].error;
}

TEST(Sim, SameSeedSameResults) {
  auto o = options();
  o.layers = {"conv3x3_s2", "depthwise"};
  const std::string d = design(config(4, 4, 4096, 64, 5));
  const auto a = sim::simulate(d, everyKind(), o);
  const auto b = sim::simulate(d, everyKind(), o);
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (size_t i = 0; i < a.layers.size(); ++i)
    EXPECT_EQ(a.layers[i].rtlCycles, b.layers[i].rtlCycles);
  EXPECT_TRUE(b.modelCached);
}

TEST(Sim, FstTrace) {
  const fs::path trace = fs::path(ANALECTS_TEST_OUT) / "pointwise.fst";
  fs::remove(trace);
  Workload w;
  w.name = "one";
  w.layers = {Layer::conv("pointwise", 4, 4, 4, 4, 1, 1)};
  auto o = options();
  o.tracePath = trace.string();
  expectExact(sim::simulate(design(config(4, 4, 4096, 64, 5)), w, o));
  ASSERT_TRUE(fs::exists(trace));
  EXPECT_GT(fs::file_size(trace), 100u);
}

// Long: random layers of every kind on random arrays (ctest -L long).
TEST(SimLong, RandomLayersOnRandomArrays) {
  std::mt19937_64 rng(2024);
  auto U = [&](int lo, int hi) { return int(std::uniform_int_distribution<int>(lo, hi)(rng)); };
  auto model = makeCostModel("nvdla");
  for (int design_ = 0; design_ < 6; ++design_) {
    ArrayConfig c = config(U(1, 8), U(1, 8), 0, U(8, 128), U(1, 30));
    c.dramBytesPerCycle = U(1, 8);
    c.outputBytes = U(0, 1) ? 4 : 1;
    c.pipelineDepth = U(4, 8);
    c.bufferBytes = c.atomK * c.atomC * U(2, 20) + U(0, 500);
    Workload w;
    w.name = "random";
    while (w.layers.size() < 50) {
      const std::string name = "L" + std::to_string(w.layers.size());
      Layer l;
      const int R = U(1, 5), S = U(1, 5);
      switch (U(0, 5)) {
        case 0:
          l = Layer::conv(name, U(1, 20), U(1, 20), U(1, 9), U(1, 9), 1, 1, U(1, 2));
          break;
        case 1:
          l = Layer::conv(name, U(1, 20), U(1, 20), U(3, 11), U(3, 11), 3, 3, U(1, 2), U(0, 1));
          break;
        case 2: {
          const int ch = U(1, 20);
          l = Layer::conv(name, ch, ch, U(3, 9), U(3, 9), 3, 3, U(1, 2), 1, ch);
          break;
        }
        case 3:
          l = U(0, 1) ? Layer::fc(name, U(1, 40), U(1, 40), U(1, 3))
                      : Layer::gemm(name, U(1, 12), U(1, 20), U(1, 20));
          break;
        default:
          l = Layer::conv(name, U(1, 12), U(1, 12), U(R, 10), U(S, 10), R, S, U(1, 3), U(0, R / 2));
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

// Long: ResNet-50 and MobileNetV2 (spatially scaled by 8) on a 16x16 array.
TEST(SimLong, ZooNetworksOn16x16) {
  const ArrayConfig c = config(16, 16, 65536, 512, 20);
  auto o = options();
  o.spatialScale = 8;
  for (const char* net : {"resnet50", "mobilenet_v2"}) {
    const auto r = sim::simulate(design(c), loadZoo(net), o);
    expectExact(r);
  }
}
