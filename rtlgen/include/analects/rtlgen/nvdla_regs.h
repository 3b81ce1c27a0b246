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

// Layer registers (32 bits each): what every step of a layer shares.
enum LayerReg : uint32_t {
  kRegR = 0,
  kRegS,
  kRegH,  // input rows (the padding test)
  kRegW,  // input columns
  kRegStrideH,
  kRegStrideW,
  kRegDilationH,
  kRegDilationW,
  kRegShift,       // int8 outputs: arithmetic right shift with rounding
  kRegRelu,        // int8 outputs: clamp at zero
  kRegSteps,       // steps of the layer
  kRegDmaStride1,  // DRAM read requests: byte stride of dimensions 1..3 (see Request)
  kRegDmaStride2,
  kRegDmaStride3,
  kLayerRegCount
};

constexpr int kMaxRequests = 4;  // DRAM read requests per step
constexpr int kDescWords = 17;   // 64-bit words per step descriptor

// One step as the controller executes it: a (band, column tile, kernel group, channel tile)
// of the NvdlaSchedule. The CBUF holds a step's input tile as [row][column][channel block]
// atoms and its weights as blocks (channel block, r, s) of atomK x atomC bytes.
struct StepDescriptor {
  // Load of this step's tiles (runs during the previous step's compute). The stream is the
  // requests' bytes in order: weightBytes of weight blocks, then inputBytes of input atoms.
  uint32_t inputBytes = 0, weightBytes = 0;
  uint32_t inputDst = 0;   // first input atom written in the CBUF
  uint32_t weightDst = 0;  // first weight block written in the CBUF
  // A request reads n3 x n2 x n1 chunks of `bytes` bytes at addr + i3*stride3 + i2*stride2 +
  // i1*stride1 (strides: layer registers kRegDmaStride1..3), i1 fastest.
  struct Request {
    uint32_t addr = 0, bytes = 0;
    uint16_t n1 = 1, n2 = 1, n3 = 1;
  };
  int requests = 0;  // 0 = nothing to load
  std::array<Request, kMaxRequests> request{};
  // Compute: loops cb < blocks -> r < R -> s < S -> row < rows -> column < cols, one atom
  // per cycle at dataBase + row*rowStride + r*tapStride + column*colStride + s*sStride + cb.
  uint32_t dataBase = 0;    // (mod 2^32)
  uint32_t weightBase = 0;  // weight block of (cb 0, r 0, s 0)
  int32_t h0 = 0;           // input row of the first output row at tap 0 (padding test)
  int32_t w0 = 0;           // input column of the first output column at tap 0
  uint16_t rows = 1, cols = 1, blocks = 1;
  bool accumulate = false;  // add to the accumulator (channel tiles after the first)
  bool accBank = false;     // accumulator half of the step's output tile
  uint32_t rowStride = 0, tapStride = 0, colStride = 0, sStride = 0;  // in atoms
  // Store (runs during the next step's compute); pixels == 0: no store after this step.
  uint32_t outAddr = 0;
  uint32_t pixels = 0;
};

//   w0  input bytes | weight bytes << 32         w1  input dst | weight dst << 32
//   w2  request count                             w3+2i addr | bytes << 32
//   w4+2i n1 | n2 << 16 | n3 << 32                w11 data base | weight base << 32
//   w12 h0 | w0 << 32                             w13 rows | cols << 16 | blocks << 32 |
//   w14 row stride | tap stride << 32                 accumulate << 48 | acc bank << 49
//   w15 column stride | s stride << 32            w16 out addr | pixels << 32
inline std::array<uint64_t, kDescWords> packDescriptor(const StepDescriptor& d) {
  auto pair = [](uint32_t lo, uint32_t hi) { return uint64_t(lo) | (uint64_t(hi) << 32); };
  std::array<uint64_t, kDescWords> w{};
  w[0] = pair(d.inputBytes, d.weightBytes);
  w[1] = pair(d.inputDst, d.weightDst);
  w[2] = uint64_t(d.requests);
  for (int i = 0; i < kMaxRequests; ++i) {
    const auto& r = d.request[size_t(i)];
    w[size_t(3 + 2 * i)] = pair(r.addr, r.bytes);
    w[size_t(4 + 2 * i)] = uint64_t(r.n1) | (uint64_t(r.n2) << 16) | (uint64_t(r.n3) << 32);
  }
  w[11] = pair(d.dataBase, d.weightBase);
  w[12] = pair(uint32_t(d.h0), uint32_t(d.w0));
  w[13] = uint64_t(d.rows) | (uint64_t(d.cols) << 16) | (uint64_t(d.blocks) << 32) |
          (uint64_t(d.accumulate) << 48) | (uint64_t(d.accBank) << 49);
  w[14] = pair(d.rowStride, d.tapStride);
  w[15] = pair(d.colStride, d.sStride);
  w[16] = pair(d.outAddr, d.pixels);
  return w;
}

}  // namespace analects::rtlgen::nvdla
