// ArrayConfig: one generated accelerator (what rtlgen builds and the cost model prices).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace analects {

enum class Style { Nvdla, Eyeriss };
const char* styleName(Style s);
Style parseStyle(const std::string& text);  // throws ConfigError

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ArrayConfig {
  Style style = Style::Nvdla;
  // NVDLA-style: atomK MAC cells, each reducing atomC channels per cycle.
  int64_t atomK = 16, atomC = 16;
  // Eyeriss-style: rows x cols PEs with per-PE scratchpads (entries).
  int64_t rows = 12, cols = 14;
  int64_t filterSpad = 224, ifmapSpad = 12, psumSpad = 24;
  // Shared: on-chip buffer (NVDLA CBUF / Eyeriss global buffer), datapath, DRAM port.
  int64_t bufferBytes = 65536;
  int64_t dataBits = 8, accBits = 32;
  int64_t outputBytes = 1;      // 1: int8 after shift (+ optional ReLU); 4: raw int32
  int64_t accDepthPixels = 512; // NVDLA-style accumulator: output pixels per step (x2 ping-pong)
  int64_t pipelineDepth = 4;    // MAC pipeline: buffer read, multiply, adder tree, accumulate
  int64_t dramBytesPerCycle = 8;
  int64_t dramLatencyCycles = 20;

  int64_t pes() const { return style == Style::Nvdla ? atomK * atomC : rows * cols; }
  // Eyeriss-style: bytes of the ifmap bus (one GLB read a cycle, NB consecutive bytes of the
  // ifmap tile, multicast to the PEs diagonally): pow2Ceil(max(8, 2*cols + rows)).
  int64_t ifmapBusBytes() const;
  // Module-name-safe identifier, e.g. nvdla_k16_c16_b65536 or eyeriss_r12_c14_b110592.
  std::string name() const;
  // Throws ConfigError naming the field.
  void validate() const;
  // The same checks as a test: true when validate() would not throw.
  bool valid() const;
};

// Largest on-chip buffer a design may have (validate()).
constexpr int64_t kMaxBufferBytes = int64_t(1) << 34;

// Widths every generated design shares (both styles): layer registers, loop counters, descriptor
// tile fields and DMA request counts are 16 bits, DRAM byte addresses 32 bits. The mappers never
// plan past them (nvdlaRtlLimits, eyerissRtlLimits).
constexpr int64_t kRtlCounterMax = 65535;
constexpr int64_t kRtlDramBytes = int64_t(1) << 32;

// The search's decision for one layer: PEs and buffer bytes granted.
struct Allocation {
  int64_t pes = 0;
  int64_t bufferBytes = 0;
};

// Platform-level knobs that are not part of the allocation.
struct HardwareParams {
  int64_t dramBytesPerCycle = 8;
  int64_t dramLatencyCycles = 20;
};

}  // namespace analects
