// The driver of the generated NVDLA-style accelerator: turns one layer's NvdlaSchedule (the
// same object the cost model prices) into layer registers and step descriptors, lays out the
// layer's tensors in DRAM in the accelerator's formats, and computes the expected outputs.
// It decides only where tiles sit in the CBUF; the tiling itself is the schedule's.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "analects/costmodel/array_config.h"
#include "analects/costmodel/layer.h"
#include "analects/costmodel/nvdla_schedule.h"
#include "analects/rtlgen/nvdla_regs.h"
#include "analects/rtlgen/rtlgen.h"

namespace analects::sim {

// The design cannot run the layer (the message says why and names the layer).
class LayerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a driver hands the testbench for one layer, the same for every style.
struct LayerProgram {
  Layer layer;  // as simulated
  int64_t modelCycles = 0;
  std::vector<std::pair<uint32_t, uint32_t>> layerRegs;  // (register, value)
  std::vector<std::vector<uint64_t>> steps;               // packed step descriptors
  std::vector<uint8_t> dram;      // initial DRAM contents: inputs, weights, outputs 0
  uint64_t outBase = 0;           // output region
  std::vector<uint8_t> expected;  // expected bytes of the output region
  std::vector<uint8_t> care;      // per expected byte: 1 = checked (empty: every byte)
};

struct DriverOptions {
  uint64_t seed = 1;
  int shift = -1;  // -1: from the reduction size, so int8 outputs spread over their range
  bool relu = false;
};

// Throws LayerError when the model finds no schedule or the RTL cannot execute the one it found.
LayerProgram buildProgram(const Layer& layer, const ArrayConfig& config,
                          const rtlgen::NvdlaRtlParams& rtl, const DriverOptions& options);

// Shrinks a conv layer's H and W by `scale` (rounding up) and keeps it valid; other ops as is.
Layer scaleLayer(const Layer& layer, int64_t scale);
std::string describeLayer(const Layer& layer);

}  // namespace analects::sim
