// Builds a design's Verilated SystemC model as a shared library, on demand, cached by a hash of
// everything that goes into it (RTL sources, shim, Verilator version, flags).
#pragma once

#include <string>

#include "analects/rtlgen/rtlgen.h"
#include "analects/sim/sim.h"

namespace analects::sim {

struct ModelBuild {
  std::string library;  // path of libdut.so
  bool cached = false;
  double seconds = 0;
};

// `verilator --sc --build -Mdir <cache>/<top>-<hash>`; concurrent builds of one design wait for
// each other (file lock). Throws SimError with the build log's tail when Verilator fails.
ModelBuild buildVerilatedModel(const rtlgen::Design& design, bool trace, const SimOptions& options);

std::string defaultCacheDir();

}  // namespace analects::sim
