// rtlgen: an ArrayConfig becomes a directory holding a synthesizable NVDLA-style or Eyeriss-style
// (row-stationary) accelerator:
// the generated top (named after the config), copies of the leaf modules it instantiates
// (templates/), design.json (the config, the single source for testbench and model),
// config.h, a filelist and Yosys scripts. Output is deterministic: same config, same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analects/costmodel/array_config.h"

namespace analects::rtlgen {

// Sizes the RTL derives from a config. The CBUF is two SRAMs of bufferBytes each: input atoms
// (atomC bytes per entry) and weight blocks (atomK * atomC bytes, read whole every cycle so a
// one-pixel stripe still issues every cycle). Banks interleave entries so the DMA can write
// ceil(B / entry) entries and the write-back read ceil(B / pixel bytes) pixels per cycle.
struct NvdlaRtlParams {
  int64_t atomK = 0, atomC = 0;
  int64_t dramBytes = 0, outputBytes = 0, pipelineDepth = 0, accDepthPixels = 0;
  int64_t dataAtoms = 0, dataBanks = 0, dataRows = 0;
  int64_t weightBlocks = 0, weightBanks = 0, weightRows = 0;
  int64_t accBanks = 0, accRows = 0;  // per accumulator half
  int64_t descDepth = 8;              // step-descriptor ring entries (one stays empty)
  int dataRowBits = 0, weightRowBits = 0, accRowBits = 0;
  int dataAddrBits() const;  // row bits + log2(banks)
  int weightAddrBits() const;
  int pixelBits() const;
};

// Throws ConfigError naming the field when the config has no RTL implementation (e.g. a DRAM
// port wider than 8 bytes, a pipeline shorter than the 4 stages of the MAC datapath).
NvdlaRtlParams nvdlaRtlParams(const ArrayConfig& config);

// Sizes of the Eyeriss-style (row-stationary) RTL (eyeriss_regs.h, notes in rtlgen/README.md).
// The GLB holds three regions, each sized to hold bufferBytes: filter words of `rows` bytes (one
// per PE row; banks so the DMA can write every word a beat completes), ifmap words of NB bytes
// (NB = config.ifmapBusBytes(); two banks, even and odd word, so any NB consecutive bytes are
// one read) and two halves of psum words (`cols` int32 lanes).
struct EyerissRtlParams {
  int64_t rows = 0, cols = 0, filterSpad = 0, ifmapSpad = 0, psumSpad = 0;
  int64_t dramBytes = 0, outputBytes = 0, pipelineDepth = 0;
  int64_t busBytes = 0;  // NB
  int64_t filterWords = 0, filterBanks = 0, filterRows = 0;
  int64_t ifmapWords = 0, ifmapRows = 0;  // ifmapRows per bank (2 banks)
  int64_t psumWords = 0, psumRows = 0;    // per half; rows per bank
  int64_t psumBanks = 1;  // words interleaved so a store reads B bytes a cycle: rows of banks words
  int64_t descDepth = 8;
  int filterRowBits = 0, ifmapRowBits = 0, psumRowBits = 0;
  int filterAddrBits() const;  // filter word address: row bits + log2(banks)
  int ifmapWordBits() const;   // ifmap word address: row bits + 1 (bank)
  int ifmapByteBits() const;   // ifmap byte address: word bits + log2(NB)
  int busLaneBits() const;     // log2(NB)
  int filterIndexBits() const;  // PE scratchpad index widths (at least 1)
  int windowIndexBits() const;
  int psumIndexBits() const;
  int psumAddrBits() const;  // psum word address: row bits + log2(banks)
  int layerRegs() const;  // kRegRowBase + rows
};

// Throws ConfigError naming the field when the config has no RTL implementation (not the
// Eyeriss style, a DRAM port wider than 8 bytes, a pipeline shorter than 4 stages, more PE rows
// than the layer-register window holds, scratchpads above the register-file limits, ...).
EyerissRtlParams eyerissRtlParams(const ArrayConfig& config);

// Module name of the generated top: config.name() plus every RTL-relevant field that differs
// from the defaults, e.g. nvdla_k16_c16_b65536, nvdla_k4_c4_b4096_w4_o4, eyeriss_r12_c14_b110592
// or eyeriss_r3_c5_b4096_s17_5_7 (scratchpads F_I_P when not 224, 12, 24).
std::string topName(const ArrayConfig& config);

struct GeneratedDesign {
  std::string top;
  std::string dir;
  std::string designJson;            // dir/design.json
  std::vector<std::string> files;    // every file written, relative to dir
  std::vector<std::string> sources;  // Verilog sources in compile order, relative to dir
};

// Writes the design into dir (created if missing; existing files of the same names are
// replaced). Throws ConfigError for a config without RTL, std::runtime_error for I/O errors.
GeneratedDesign generate(const ArrayConfig& config, const std::string& dir);

// The Verilog text of the generated top (what generate() writes to <top>.v).
std::string topVerilog(const ArrayConfig& config);

// A design directory read back through its design.json.
struct Design {
  std::string top;
  std::string dir;  // directory of design.json
  ArrayConfig config;
  std::vector<std::string> sources;  // absolute paths, compile order
};

// Throws ConfigError naming the file and the problem (missing key, wrong type, invalid config,
// a listed source that does not exist).
Design readDesign(const std::string& designJsonPath);

}  // namespace analects::rtlgen
