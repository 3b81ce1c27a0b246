// Sizes of the generated Eyeriss-style (row-stationary) RTL, derived from an ArrayConfig.
#include <fmt/format.h>

#include "analects/rtlgen/eyeriss_regs.h"
#include "analects/rtlgen/rtlgen.h"
#include "rtl_text.h"

namespace analects::rtlgen {

using namespace text;

int EyerissRtlParams::filterAddrBits() const {
  return filterRowBits + log2Ceil(filterBanks);
}
int EyerissRtlParams::ifmapWordBits() const {
  return ifmapRowBits + 1;
}
int EyerissRtlParams::ifmapByteBits() const {
  return ifmapWordBits() + busLaneBits();
}
int EyerissRtlParams::busLaneBits() const {
  return log2Ceil(busBytes);
}
int EyerissRtlParams::filterIndexBits() const {
  return std::max(1, log2Ceil(filterSpad));
}
int EyerissRtlParams::windowIndexBits() const {
  return std::max(1, log2Ceil(ifmapSpad));
}
int EyerissRtlParams::psumIndexBits() const {
  return std::max(1, log2Ceil(psumSpad));
}
int EyerissRtlParams::psumAddrBits() const {
  return psumRowBits + log2Ceil(psumBanks);
}
int EyerissRtlParams::layerRegs() const {
  return int(eyeriss::kRegRowBase + rows);
}

EyerissRtlParams eyerissRtlParams(const ArrayConfig& c) {
  c.validate();
  auto fail = [&](const std::string& why) {
    throw ConfigError(fmt::format("{}: no RTL for this design: {}", c.name(), why));
  };
  if (c.style != Style::Eyeriss) fail("eyerissRtlParams needs an Eyeriss-style config");
  if (c.dramBytesPerCycle > 8)
    fail(fmt::format("DRAM bytes/cycle = {} exceeds the 64-bit DRAM port (at most 8)",
                     c.dramBytesPerCycle));
  if (c.pipelineDepth < 4)
    fail(
        fmt::format("pipeline depth = {} is below the 4 stages of the PE pipeline (issue, "
                    "SRAM read / MAC, column sum, psum write)",
                    c.pipelineDepth));
  if (c.pipelineDepth > 64) fail("pipeline depth above 64");
  // Layer registers live at 0x000..0x0ff of the configuration port; descriptor words start
  // at 0x100, so the row table (one register per PE row) ends below it.
  const int64_t maxRows = int64_t(nvdla::kDescWordBase) - eyeriss::kRegRowBase;
  if (c.rows > maxRows)
    fail(fmt::format("rows = {} exceed the {} row registers below the descriptor window (0x100)",
                     c.rows, maxRows));
  if (c.filterSpad > 1024)
    fail(fmt::format("filter spad = {} entries exceeds 1024 (a per-PE LUT-RAM)", c.filterSpad));
  if (c.ifmapSpad > 256)
    fail(fmt::format("ifmap spad = {} entries exceeds 256 (a per-PE shift register file)",
                     c.ifmapSpad));
  if (c.psumSpad > 256)
    fail(fmt::format("psum spad = {} entries exceeds 256 (per-PE int32 registers)", c.psumSpad));
  EyerissRtlParams p;
  p.rows = c.rows;
  p.cols = c.cols;
  p.filterSpad = c.filterSpad;
  p.ifmapSpad = c.ifmapSpad;
  p.psumSpad = c.psumSpad;
  p.dramBytes = c.dramBytesPerCycle;
  p.outputBytes = c.outputBytes;
  p.pipelineDepth = c.pipelineDepth;
  p.busBytes = c.ifmapBusBytes();
  if (p.busBytes > 512)
    fail(fmt::format("the ifmap bus of {} bytes (2 * cols + rows = {}) exceeds 512 bytes",
                     p.busBytes, 2 * c.cols + c.rows));
  const int64_t B = c.dramBytesPerCycle;
  // Filter words the DMA can complete in one cycle: the queue holds < rows bytes, a beat adds B.
  p.filterWords = ceilDiv(c.bufferBytes, c.rows);
  p.filterBanks = pow2Ceil((c.rows - 1 + B) / c.rows);
  p.filterRows = ceilDiv(p.filterWords, p.filterBanks);
  p.ifmapWords = ceilDiv(c.bufferBytes, p.busBytes);
  p.ifmapRows = ceilDiv(p.ifmapWords, 2);
  p.psumWords = ceilDiv(c.bufferBytes, 4 * c.cols);
  // A store streams B bytes a cycle: banks of words, read a row (every bank) at a time.
  p.psumBanks = pow2Ceil(ceilDiv(B, c.cols * c.outputBytes));
  p.psumRows = ceilDiv(p.psumWords, p.psumBanks);
  p.filterRowBits = rowBits(p.filterRows);
  p.ifmapRowBits = rowBits(p.ifmapRows);
  p.psumRowBits = rowBits(p.psumRows);
  p.filterRows = spareRows(p.filterRows, p.filterRowBits);
  p.ifmapRows = spareRows(p.ifmapRows, p.ifmapRowBits);
  p.psumRows = spareRows(p.psumRows, p.psumRowBits);
  if (p.filterAddrBits() > 32 || p.ifmapByteBits() > 32 || p.psumAddrBits() > 32)
    fail(fmt::format("buffer bytes = {} need more than 32 address bits", c.bufferBytes));
  return p;
}

}  // namespace analects::rtlgen
