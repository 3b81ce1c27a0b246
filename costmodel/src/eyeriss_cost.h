// Internal: the Eyeriss-style energy and area formulas (costmodel/docs/eyeriss.md, [Energy],
// [Area]), written once for the scalar model and the batched path (cost_terms.h).
#pragma once

#include <algorithm>
#include <cstdint>

#include "analects/costmodel/array_config.h"
#include "analects/costmodel/eyeriss_schedule.h"
#include "analects/costmodel/layer.h"
#include "analects/costmodel/tech.h"
#include "cost_terms.h"

namespace analects {

// [Energy] action counts of one point (or of many, as arrays): integer counts from the
// schedule, converted to double one by one.
template <typename Real>
struct EyerissActions {
  Real macs, outputs, weights;  // layer MACs, output and weight elements
  Real psumRows;                // R * channel blocks (psum emissions per output)
  Real streamPixels;            // ifmap pixels streamed per PE row: (Q - 1) * strideW + effS
  Real imageRows;               // images * P
  Real ifmapBlocks;             // images * groups * kernel blocks
  Real channelRows;             // groupChannels * R * P
  Real setInRows;    // ifmap rows one PE set reads: (w - 1) * strideH + (h - 1) * dilationH + 1
  Real setPes;       // setRows * stripRows
  Real multicast;    // stacks sharing one ifmap read: max(1, min(stacks, ceil(Kt / p)))
  Real imageStrips;  // images * strips
  Real psumPasses;   // 2 * channel groups * rFolds - 1 (GLB psum reads + writes per output)
  Real dramBytes;    // DRAM read + write bytes
  Real outputBytes;
  Real pes, cycles;
  Real glbPjPerByte;  // tech.sramPjPerByte(double(c.bufferBytes))
};

// The integer action counts of a planned point (one formula for both paths).
struct EyerissCounts {
  int64_t psumRows, streamPixels, imageRows, ifmapBlocks, channelRows, setInRows, setPes, multicast,
      imageStrips, psumPasses;
};

inline EyerissCounts eyerissCounts(const EyerissSchedule& s) {
  auto ceilDiv = [](int64_t a, int64_t b) { return (a + b - 1) / b; };
  // Per-group block counts summed over the tiles of each loop.
  const int64_t p = s.kernelsPerPe, q = s.channelsPerPe;
  auto sumTiles = [](int64_t tiles, int64_t full, int64_t last, auto f) {
    return (tiles - 1) * f(full) + f(last);
  };
  const int64_t kernelBlocks =
      sumTiles(s.kernelTiles, s.tileKernels, s.kernelsAt(s.kernelTiles - 1),
               [&](int64_t k) { return ceilDiv(k, p); });
  const int64_t channelBlocks =
      sumTiles(s.channelTiles, s.tileChannels, s.channelsAt(s.channelTiles - 1),
               [&](int64_t ch) { return ceilDiv(ch, q); });
  const int64_t channelGroups =
      sumTiles(s.channelTiles, s.tileChannels, s.channelsAt(s.channelTiles - 1),
               [&](int64_t ch) { return ceilDiv(ceilDiv(ch, q), s.chain); });
  const int64_t strips = sumTiles(s.rowTiles, s.tileRows, s.outRowsAt(s.rowTiles - 1),
                                  [&](int64_t r) { return ceilDiv(r, s.stripRows); });
  EyerissCounts n;
  n.psumRows = s.R * channelBlocks;
  n.streamPixels = (s.Q - 1) * s.strideW + s.effS();
  n.imageRows = s.images * s.P;
  n.ifmapBlocks = s.images * s.groups * kernelBlocks;
  n.channelRows = s.groupChannels * s.R * s.P;
  n.setInRows = (s.stripRows - 1) * s.strideH + (s.setRows - 1) * s.dilationH + 1;
  n.setPes = s.setRows * s.stripRows;
  n.multicast = 1;  // vertical copies read their own channels
  n.imageStrips = s.images * strips;
  n.psumPasses = 2 * channelGroups * s.rFolds - 1;
  return n;
}

template <typename Real>
EnergyTerms<Real> eyerissEnergy(const TechTable& tech, const EyerissActions<Real>& a) {
  const Real psumEmits = a.outputs * a.psumRows;
  const Real filterSpadWrites = a.weights * a.imageRows;
  const Real ifmapSpadWrites = a.ifmapBlocks * a.channelRows * a.streamPixels;
  const Real spadBytes = a.macs * 10.0 + filterSpadWrites + ifmapSpadWrites + psumEmits * 4.0;
  const Real ifmapGlbReads = ifmapSpadWrites * a.setInRows / a.setPes / a.multicast;
  const Real filterGlbReads = a.weights * a.imageStrips;
  const Real psumGlbBytes = a.outputs * 4.0 * a.psumPasses;
  const Real glbBytes =
      a.dramBytes + filterGlbReads + ifmapGlbReads + psumGlbBytes + a.outputs * a.outputBytes;
  EnergyTerms<Real> e;
  e.macPj = a.macs * tech.mac8Pj + psumEmits * tech.add32Pj;
  e.spadPj = spadBytes * tech.regAccessPj;
  e.bufferPj = glbBytes * a.glbPjPerByte;
  e.dramPj = a.dramBytes * tech.dramPjPerByte;
  e.leakagePj = tech.leakageFraction * a.pes * tech.mac8Pj * a.cycles;
  return e;
}

// [Area] PEs (MAC, psum adder, scratchpads as flip-flops) + GLB SRAM + control.
// spadBits = double(8 * filterSpad + 8 * ifmapSpad + 32 * psumSpad).
template <typename Real>
struct EyerissArea {
  Real peMacsUm2, peSpadsUm2, glbUm2;
  double controlUm2;
  // CostModel::areaUm2()'s order (0 + parts in breakdown order; 0 + x == x).
  Real totalUm2() const { return peMacsUm2 + peSpadsUm2 + glbUm2 + controlUm2; }
};

template <typename Real>
EyerissArea<Real> eyerissArea(const TechTable& t, const Real& pes, const Real& spadBits,
                              const Real& bufferBytes) {
  return {pes * (t.mac8AreaUm2 + t.add32AreaUm2), pes * spadBits * t.regAreaUm2PerBit,
          bufferBytes * 8.0 * t.sramAreaUm2PerBit, t.controlAreaUm2};
}

}  // namespace analects
