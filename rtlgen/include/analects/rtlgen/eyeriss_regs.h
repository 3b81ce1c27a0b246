// The programming interface of the generated Eyeriss-style (row-stationary) accelerator:
// configuration-port addresses (shared with the NVDLA-style design), layer registers and the
// step-descriptor layout. rtlgen emits RTL that decodes exactly this; the simulation driver
// writes exactly this, from the EyerissSchedule the cost model prices.
//
// What one step computes (costmodel/docs/eyeriss.md, "Passes"), outer to inner:
//   for gl < groups; kb < kernelBlocks; sg < stripGroups; cg < channelGroups; rf < rFolds:
//     PASS: filter load (p*q*S cycles), then for x < Q:
//             feed (for v < chain, c < q, j < taps(x): one cycle each),
//             MACs (for c < q, s < S, k < p: one cycle each), drain (for k < p: one cycle each)
// The GLB holds three regions: filter words (`rows` bytes, one per physical PE row), the ifmap
// tile as bytes [channel][column][row] read NB bytes at a time (the ifmap bus), and two halves
// of int32 psum words (`cols` lanes, one per physical PE column).
#pragma once

#include <array>
#include <cstdint>

#include "analects/rtlgen/nvdla_regs.h"  // configuration-port addresses, Request

namespace analects::rtlgen::eyeriss {

using nvdla::kDescPush;
using nvdla::kDescWordBase;
using nvdla::kLayerRegBase;
using nvdla::kStart;

// Layer registers (32 bits each).
enum LayerReg : uint32_t {
  kRegS = 0,       // filter columns S
  kRegH,           // input rows (lane mask)
  kRegW,           // input columns (column mask)
  kRegStrideH,     // sh: PE column j reads ifmap lane j*sh + rowLane(i)
  kRegStrideW,     // sw: column step of the output
  kRegDilationW,   // dw: column step between taps
  kRegPadLeft,     // input column of output column 0, tap 0, is -padLeft
  kRegQ,           // output columns
  kRegKernelsPerPe,   // p
  kRegChannelsPerPe,  // q
  kRegChain,          // copies of the set stacked vertically, one channel block each
  kRegShiftTaps,      // m: taps fed per channel for columns x > 0 (S when windows do not overlap)
  kRegSkipCols,       // (S - m) * dw: input columns from a column's first tap to its first new tap
  kRegRFolds,         // filter-row folds
  kRegSgRowStep,      // hSlots * w * sh: input rows between strip groups
  kRegRfRowStep,      // h * dh: input rows between filter-row folds
  kRegShift,          // int8 outputs: arithmetic right shift with rounding
  kRegRelu,           // int8 outputs: clamp at zero
  kRegSteps,          // steps of the layer
  kRegDmaStride1,     // DRAM read requests: byte stride of dimensions 1..3
  kRegDmaStride2,
  kRegDmaStride3,
  kRegRowBase         // + i for physical row i: rowLane | copy << 16 (copy 0xff: row unused)
};
constexpr uint32_t rowReg(uint32_t row) {
  return kRegRowBase + row;
}
constexpr uint32_t rowValue(uint32_t lane, uint32_t copy) {
  return (lane & 0xffffu) | ((copy & 0xffu) << 16);
}
constexpr uint32_t kNoCopy = 0xff;

constexpr int kMaxRequests = nvdla::kMaxRequests;
constexpr int kDescWords = 21;

// One step: a GLB tile of the EyerissSchedule.
struct StepDescriptor {
  // Load (during the previous step): weightBytes of filter words (filter region, word
  // weightDst on) then inputBytes of ifmap bytes (ifmap region, NB-byte word inputDst on).
  uint32_t inputBytes = 0, weightBytes = 0;
  uint32_t inputDst = 0, weightDst = 0;
  int requests = 0;
  std::array<nvdla::StepDescriptor::Request, kMaxRequests> request{};
  // Compute.
  uint32_t filterBase = 0;  // filter word of pass (gl 0, kb 0, cg 0, rf 0), load word 0
  uint32_t ifmapBase = 0;   // ifmap byte of (tile channel 0, column 0, tile row 0)
  int32_t yRel0 = 0;        // tile row of lane 0 in pass (sg 0, rf 0) (may be negative)
  int32_t yAbs0 = 0;        // input row of lane 0 in that pass (lane valid iff 0 <= row < H)
  uint16_t groups = 1, kernels = 1;      // groups and kernels per group of the tile
  uint16_t kernelBlocks = 1;             // ceil(kernels / p)
  uint16_t stripGroups = 1;              // ceil(ceil(outRows / w) / hSlots)
  uint16_t channelGroups = 1;            // ceil(ceil(channels / q) / chain)
  bool accumulate = false;               // add to the psums of earlier channel tiles
  bool psumHalf = false;                 // psum half holding the step's output tile
  uint32_t chanStride = 0;               // ifmap bytes per channel: W * tileRows
  uint32_t cgStride = 0;                 // chain * q * chanStride
  uint32_t groupChanStride = 0;          // channels * chanStride
  uint32_t colStride = 0;                // tileRows: ifmap bytes per input column
  uint32_t swStride = 0, dwStride = 0;   // sw * colStride, dw * colStride
  uint32_t skipStride = 0;               // skipCols * colStride
  uint32_t kStride = 0;                  // psum words per kernel: stripGroups * Q
  uint32_t groupPsumStride = 0;          // kernels * kStride
  uint32_t blockPsumStride = 0;          // p * kStride
  // Store (during the next step); words == 0: no store after this step.
  uint32_t outAddr = 0;
  uint32_t words = 0;  // psum words stored: groups * kernels * stripGroups * Q
};

//   w0  input bytes | weight bytes << 32        w1  input dst | weight dst << 32
//   w2  request count                            w3+2i addr | bytes << 32
//   w4+2i n1 | n2 << 16 | n3 << 32               w11 filter base | ifmap base << 32
//   w12 yRel0 | yAbs0 << 32                      w13 groups | kernels << 16 | blocks << 32 |
//   w14 channel groups | accumulate << 16 |           strip groups << 48
//       psum half << 17                          w15 chan stride | cg stride << 32
//   w16 group chan stride | col stride << 32     w17 sw stride | dw stride << 32
//   w18 skip stride | k stride << 32             w19 group psum stride | block psum stride << 32
//   w20 out addr | words << 32
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
  w[11] = pair(d.filterBase, d.ifmapBase);
  w[12] = pair(uint32_t(d.yRel0), uint32_t(d.yAbs0));
  w[13] = uint64_t(d.groups) | (uint64_t(d.kernels) << 16) | (uint64_t(d.kernelBlocks) << 32) |
          (uint64_t(d.stripGroups) << 48);
  w[14] = uint64_t(d.channelGroups) | (uint64_t(d.accumulate) << 16) |
          (uint64_t(d.psumHalf) << 17);
  w[15] = pair(d.chanStride, d.cgStride);
  w[16] = pair(d.groupChanStride, d.colStride);
  w[17] = pair(d.swStride, d.dwStride);
  w[18] = pair(d.skipStride, d.kStride);
  w[19] = pair(d.groupPsumStride, d.blockPsumStride);
  w[20] = pair(d.outAddr, d.words);
  return w;
}

}  // namespace analects::rtlgen::eyeriss
