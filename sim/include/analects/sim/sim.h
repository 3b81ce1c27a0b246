// sim: runs a workload on a generated NVDLA-style design in a SystemC testbench around the
// Verilated RTL. Every layer gets random int8 data, its NvdlaSchedule turned into step
// descriptors, a DRAM model of the design's bandwidth and latency, and a bit-exact check
// against a golden convolution; the RTL's own cycle counter is compared with the cost model.
//
//   auto r = analects::sim::simulate("out/rtl/design.json", analects::loadZoo("alexnet"), opts);
//   for (const auto& l : r.layers) fmt::print("{} {} {}\n", l.name, l.modelCycles, l.rtlCycles);
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analects/costmodel/workload.h"

namespace analects::sim {

class SimError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SimOptions {
  // Layers to run, by name or 0-based index; empty = all. An unknown entry is a SimError.
  std::vector<std::string> layers;
  // Divides every conv layer's H and W by this factor (rounding up, keeping each layer valid)
  // so big networks simulate quickly; the model is evaluated on the same scaled layer.
  int64_t spatialScale = 1;
  std::string tracePath;  // FST waveform of the whole run; empty = none (builds a traced model)
  int64_t watchdogCycles = 0;  // per layer; 0 = 2 x model cycles + 10000
  std::string cacheDir;        // Verilated models; empty = $ANALECTS_SIM_CACHE, else
                         // $XDG_CACHE_HOME/analects/verilated, else ~/.cache/analects/verilated
  uint64_t seed = 1;  // random inputs and weights (per layer: seed and layer index)
  int shift = -1;     // int8 outputs: right shift; -1 = per layer, from the reduction size
  bool relu = false;  // int8 outputs: clamp at zero
  int buildJobs = 1;  // make -j for a model build
  std::function<void(const std::string&)> log;  // progress lines (model build, each layer)
};

struct LayerSimResult {
  std::string name;
  std::string shape;  // the layer as simulated (after spatial scaling)
  int64_t macs = 0;
  int64_t steps = 0;          // schedule steps (band x kernel group) the controller ran
  int64_t modelCycles = 0;    // cost model (nvdla) for this layer on this design
  int64_t rtlCycles = 0;      // the RTL's cycle counter, start to done
  double errorPct = 0;        // 100 * (rtl - model) / model
  bool outputsMatch = false;  // every output byte equals the golden convolution
  int64_t mismatches = 0;     // output bytes that differ
  double utilization = 0;     // macs / (PEs * rtl cycles)
  int64_t stallCycles = 0;    // cycles the controller waited for a descriptor (0 in a good run)
  double seconds = 0;         // wall time of the layer's simulation
  std::string error;          // non-empty: the layer did not run, and why
  bool ok() const { return error.empty() && outputsMatch && rtlCycles == modelCycles; }
};

struct SimResult {
  std::string top;  // module name of the design
  std::string designJson;
  std::string modelLibrary;  // the Verilated model used
  bool modelCached = false;  // true: no Verilator build was needed
  double buildSeconds = 0;
  double simSeconds = 0;
  int64_t simulatedCycles = 0;
  std::vector<LayerSimResult> layers;
  bool allOk() const {
    for (const auto& l : layers)
      if (!l.ok()) return false;
    return !layers.empty();
  }
};

// Builds (or reuses) the Verilated model of the design and simulates the selected layers.
// Throws ConfigError for a malformed design file, SimError for an unknown layer selection, a
// failed model build or a crashed simulation. A layer the design cannot run is reported in
// its LayerSimResult::error and does not stop the others.
SimResult simulate(const std::string& designJson, const Workload& workload,
                   const SimOptions& options = {});

// The Verilated model library of a design (built on demand into the cache); returns its path.
std::string buildModel(const std::string& designJson, const SimOptions& options = {},
                       bool* cached = nullptr);

}  // namespace analects::sim
