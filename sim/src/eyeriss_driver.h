// The driver of the generated Eyeriss-style accelerator: turns one layer's EyerissSchedule (the
// same object the cost model prices) into layer registers and step descriptors
// (rtlgen/eyeriss_regs.h), lays out the layer's tensors in DRAM in the accelerator's formats
// and computes the expected outputs. It decides only where tiles sit in the GLB regions; the
// tiling and the pass order are the schedule's.
//
// DRAM formats: inputs [n][c][column][row] (a row tile's rows of one column are contiguous);
// filters per filter tile as the array reads them (costmodel/docs/eyeriss.md, "DRAM formats");
// outputs per output tile as psum words of `cols` lanes: [group][kernel][strip group][column]
// [lane], lane j holding output row (tile row 0 + strip group * stacks * w + j).
#pragma once

#include "analects/costmodel/array_config.h"
#include "analects/costmodel/layer.h"
#include "nvdla_driver.h"  // LayerProgram, DriverOptions, LayerError

namespace analects::sim {

// GLB region capacities of a generated Eyeriss-style design (its design.json config decides).
struct EyerissRegions {
  int64_t filterWords = 0;  // words of `rows` bytes
  int64_t ifmapBytes = 0;   // bytes (NB-byte words)
  int64_t psumWords = 0;    // words of `cols` int32 lanes, per half
};
EyerissRegions eyerissRegions(const ArrayConfig& config);

// Throws LayerError when the model finds no schedule or the RTL cannot execute the one it found.
LayerProgram buildEyerissProgram(const Layer& layer, const ArrayConfig& config,
                                 const DriverOptions& options);

}  // namespace analects::sim
