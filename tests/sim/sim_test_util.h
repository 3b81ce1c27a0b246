// Helpers shared by the simulation tests: options with the test model cache, layer variants, and
// the bit- and cycle-exactness check of a run.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "analects/costmodel/layer.h"
#include "analects/costmodel/workload.h"
#include "analects/rtlgen/rtlgen.h"
#include "analects/sim/sim.h"

namespace analects::simtest {

inline sim::SimOptions options() {
  sim::SimOptions o;
  o.cacheDir = ANALECTS_SIM_CACHE;
  return o;
}

// Generates the design into <test out>/designs/<top><tag> and returns its design.json.
inline std::string design(const ArrayConfig& c, const std::string& tag = "") {
  const std::filesystem::path dir =
      std::filesystem::path(ANALECTS_TEST_OUT) / "designs" / (rtlgen::topName(c) + tag);
  return rtlgen::generate(c, dir.string()).designJson;
}

inline Layer batched(Layer l, int64_t n) {
  l.N = n;
  return l;
}

inline Layer dilated(Layer l, int64_t d) {
  l.dilationH = l.dilationW = d;
  return l;
}

// A conv with every geometry field given: (stride, padding top/left, padding bottom/right,
// dilation) per axis as {h, w}.
struct Axis {
  int64_t stride = 1, pad = 0, padEnd = 0, dilation = 1;
};
inline Layer conv(const std::string& name, int64_t n, int64_t k, int64_t c, int64_t h, int64_t w,
                  int64_t r, int64_t s, Axis ah, Axis aw, int64_t groups = 1) {
  Layer l = Layer::conv(name, k, c, h, w, r, s, 1, 0, groups);
  l.N = n;
  l.strideH = ah.stride, l.padH = ah.pad, l.padHEnd = ah.padEnd, l.dilationH = ah.dilation;
  l.strideW = aw.stride, l.padW = aw.pad, l.padWEnd = aw.padEnd, l.dilationW = aw.dilation;
  return l;
}

inline Workload workload(const std::string& name, std::vector<Layer> layers) {
  Workload w;
  w.name = name;
  w.layers = std::move(layers);
  return w;
}

// Every layer ran, bit-exact, in exactly the model's cycles, without descriptor stalls.
inline void expectExact(const sim::SimResult& r) {
  ASSERT_FALSE(r.layers.empty());
  for (const auto& l : r.layers) {
    EXPECT_EQ(l.error, "") << l.name;
    EXPECT_TRUE(l.outputsMatch) << r.top << " " << l.name << " (" << l.shape
                                << "): " << l.mismatches << " output bytes differ";
    EXPECT_EQ(l.rtlCycles, l.modelCycles) << r.top << " " << l.name << " (" << l.shape << ")";
    EXPECT_EQ(l.stallCycles, 0) << l.name;
    EXPECT_GT(l.utilization, 0) << l.name;
  }
}

}  // namespace analects::simtest
