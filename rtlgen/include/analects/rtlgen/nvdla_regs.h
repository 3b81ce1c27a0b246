// The programming interface of the generated NVDLA-style accelerator: configuration-port
// addresses, layer registers and the step-descriptor layout. rtlgen emits RTL that decodes
// exactly this; the simulation driver (or any other driver) writes exactly this.
#pragma once

#include <array>
#include <cstdint>

namespace analects::rtlgen::nvdla {

// Configuration port (cfg_we, cfg_addr[15:0], cfg_wdata[63:0]).
constexpr uint32_t kLayerRegBase = 0x000;  // + LayerReg: low 32 bits of the write
constexpr uint32_t kDescWordBase = 0x100;  // + word: stage one word of a step descriptor
constexpr uint32_t kDescPush = 0x1ff;      // push the staged descriptor into the ring
constexpr uint32_t kStart = 0x200;         // start the layer

// Layer registers (32 bits each). Strides count input atoms (atomC bytes) in the CBUF.
enum LayerReg : uint32_t {
  kRegChannelBlocks = 0,  // cbN
  kRegR,
  kRegS,
  kRegQ,
  kRegH,
  kRegW,
  kRegStrideH,
  kRegStrideW,
  kRegDilationH,
  kRegDilationW,
  kRegW0,           // input column of output column 0, tap 0 (= -left pad), signed
  kRegRowStride,    // atoms between the windows of consecutive output rows of a band
  kRegTapStride,    // atoms between kernel rows
  kRegColStride,    // atoms between output columns (strideW * cbN)
  kRegSStride,      // atoms between kernel columns (dilationW * cbN)
  kRegShift,        // int8 outputs: arithmetic right shift with rounding
  kRegRelu,         // int8 outputs: clamp at zero
  kRegSteps,        // steps of the layer
  kLayerRegCount
};

constexpr int kMaxRequests = 4;  // 2-D DRAM read requests per step
constexpr int kDescWords = 14;   // 64-bit words per step descriptor

// One step as the controller executes it: a (band, kernel group) of the NvdlaSchedule.
struct StepDescriptor {
  // Load of this step's tiles (runs during the previous step's compute).
  uint32_t inputBytes = 0, weightBytes = 0;  // stream = input bytes, then weight bytes
  uint32_t inputDst = 0;                     // first input atom written in the CBUF
  uint32_t weightDst = 0;                    // first weight block written in the CBUF
  struct Request {
    uint32_t addr = 0, rowBytes = 0, stride = 0, rows = 0;  // rows x rowBytes, stride apart
  };
  int requests = 0;  // 0 = nothing to load
  std::array<Request, kMaxRequests> request{};
  // Compute.
  uint32_t dataBase = 0;  // atom of output row 0, column 0, tap (0,0), cb 0 (mod 2^32)
  uint32_t weightBase = 0;
  int32_t h0 = 0;         // input row of the band's first output row at tap 0
  uint32_t rows = 0;      // output rows of the band
  // Store (runs during the next step's compute).
  uint32_t outAddr = 0;
  uint32_t pixels = 0;  // rows * Q
};

//   w0  input bytes | weight bytes << 32     w1  input dst | weight dst << 32
//   w2  request count                         w3 + 2i  addr | row bytes << 32
//   w4 + 2i  stride | rows << 32              w11 data base | weight base << 32
//   w12 h0 | rows << 32                       w13 out addr | pixels << 32
inline std::array<uint64_t, kDescWords> packDescriptor(const StepDescriptor& d) {
  auto pair = [](uint32_t lo, uint32_t hi) { return uint64_t(lo) | (uint64_t(hi) << 32); };
  std::array<uint64_t, kDescWords> w{};
  w[0] = pair(d.inputBytes, d.weightBytes);
  w[1] = pair(d.inputDst, d.weightDst);
  w[2] = uint64_t(d.requests);
  for (int i = 0; i < kMaxRequests; ++i) {
    w[3 + 2 * i] = pair(d.request[i].addr, d.request[i].rowBytes);
    w[4 + 2 * i] = pair(d.request[i].stride, d.request[i].rows);
  }
  w[11] = pair(d.dataBase, d.weightBase);
  w[12] = pair(uint32_t(d.h0), d.rows);
  w[13] = pair(d.outAddr, d.pixels);
  return w;
}

}  // namespace analects::rtlgen::nvdla
