// Sizes of the generated NVDLA-style RTL, derived from an ArrayConfig.
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "analects/rtlgen/rtlgen.h"
#include "templates.h"

namespace analects::rtlgen {

namespace {

int64_t ceilDiv(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}
int64_t pow2Ceil(int64_t v) {
  int64_t p = 1;
  while (p < v) p *= 2;
  return p;
}
int log2Exact(int64_t v) {
  int n = 0;
  while ((int64_t(1) << n) < v) ++n;
  return n;
}
// Address bits of `rows` entries; at least 2 so every derived width stays positive.
int rowBits(int64_t rows) {
  return std::max(2, log2Exact(rows));
}

}  // namespace

int NvdlaRtlParams::dataAddrBits() const {
  return dataRowBits + log2Exact(dataBanks);
}
int NvdlaRtlParams::weightAddrBits() const {
  return weightRowBits + log2Exact(weightBanks);
}
int NvdlaRtlParams::pixelBits() const {
  return accRowBits + log2Exact(accBanks);
}

NvdlaRtlParams nvdlaRtlParams(const ArrayConfig& c) {
  c.validate();
  auto fail = [&](const std::string& why) {
    throw ConfigError(fmt::format("{}: no RTL for this design: {}", c.name(), why));
  };
  if (c.style != Style::Nvdla) fail("rtlgen builds NVDLA-style arrays only");
  if (c.dramBytesPerCycle > 8)
    fail(fmt::format("DRAM bytes/cycle = {} exceeds the 64-bit DRAM port (at most 8)",
                     c.dramBytesPerCycle));
  if (c.pipelineDepth < 4)
    fail(
        fmt::format("pipeline depth = {} is below the 4 stages of the MAC datapath (CBUF read, "
                    "multiply, adder tree, accumulate)",
                    c.pipelineDepth));
  if (c.pipelineDepth > 64) fail("pipeline depth above 64");
  NvdlaRtlParams p;
  p.atomK = c.atomK;
  p.atomC = c.atomC;
  p.dramBytes = c.dramBytesPerCycle;
  p.outputBytes = c.outputBytes;
  p.pipelineDepth = c.pipelineDepth;
  p.accDepthPixels = c.accDepthPixels;
  const int64_t B = c.dramBytesPerCycle;
  const int64_t block = c.atomK * c.atomC;
  p.dataAtoms = c.bufferBytes / c.atomC;
  p.weightBlocks = c.bufferBytes / block;
  if (p.weightBlocks < 1)
    fail(fmt::format("buffer bytes = {} hold no weight block of atomK * atomC = {} bytes",
                     c.bufferBytes, block));
  // Entries the DMA can complete in one cycle: the queue holds < entry bytes, a beat adds B.
  p.dataBanks = pow2Ceil((c.atomC - 1 + B) / c.atomC);
  p.weightBanks = pow2Ceil((block - 1 + B) / block);
  p.accBanks = pow2Ceil(ceilDiv(B, c.atomK * c.outputBytes));
  p.dataRows = ceilDiv(p.dataAtoms, p.dataBanks);
  p.weightRows = ceilDiv(p.weightBlocks, p.weightBanks);
  p.accRows = ceilDiv(c.accDepthPixels, p.accBanks);
  p.dataRowBits = rowBits(p.dataRows);
  p.weightRowBits = rowBits(p.weightRows);
  p.accRowBits = rowBits(p.accRows);
  // Tiny memories get a few spare rows so the address width is exactly the one they need.
  for (auto [rows, bits] :
       {std::pair{&p.dataRows, p.dataRowBits}, std::pair{&p.weightRows, p.weightRowBits},
        std::pair{&p.accRows, p.accRowBits}})
    *rows = std::max<int64_t>(*rows, (int64_t(1) << (bits - 1)) + 1);
  if (p.dataAddrBits() > 32 || p.weightAddrBits() > 32)
    fail(fmt::format("buffer bytes = {} need more than 32 address bits", c.bufferBytes));
  if (p.pixelBits() > 16) fail("accumulator depth above 65536 pixels");
  return p;
}

std::string topName(const ArrayConfig& c) {
  const ArrayConfig defaults;
  std::string name = c.name();
  if (c.style == Style::Eyeriss &&
      (c.filterSpad != defaults.filterSpad || c.ifmapSpad != defaults.ifmapSpad ||
       c.psumSpad != defaults.psumSpad))
    name += fmt::format("_s{}_{}_{}", c.filterSpad, c.ifmapSpad, c.psumSpad);
  if (c.dramBytesPerCycle != defaults.dramBytesPerCycle)
    name += fmt::format("_w{}", c.dramBytesPerCycle);
  if (c.outputBytes != defaults.outputBytes) name += fmt::format("_o{}", c.outputBytes);
  if (c.pipelineDepth != defaults.pipelineDepth) name += fmt::format("_p{}", c.pipelineDepth);
  if (c.style == Style::Nvdla && c.accDepthPixels != defaults.accDepthPixels) name += fmt::format("_a{}", c.accDepthPixels);
  return name;
}

const Template& templateOf(const std::string& module) {
  for (const auto& t : templates())
    if (t.module == module) return t;
  throw std::logic_error("rtlgen: no template module " + module);
}

}  // namespace analects::rtlgen
