// Internal: the NVDLA-style energy and area formulas (costmodel/README.md, "Energy", "Area"),
// written once for the scalar model and the batched path (cost_terms.h).
#pragma once

#include <array>
#include <cstdint>

#include "analects/costmodel/array_config.h"
#include "analects/costmodel/tech.h"
#include "cost_terms.h"

namespace analects {

// Accumulator SRAM of an NVDLA-style design: two halves of accDepthPixels x atomK int32.
inline int64_t nvdlaAccumulatorBytes(const ArrayConfig& c) {
  return 2 * c.accDepthPixels * c.atomK * 4;
}

// Action counts and per-design energies of one point (or of many, as arrays). Integer products
// are formed in int64 before the conversion to double, as the scalar model always did.
template <typename Real>
struct NvdlaActions {
  Real macs;           // double(layer.macs())
  Real computeCycles;  // double(t.computeCycles)
  Real cycles;         // double(t.cycles)
  Real steps;          // double(s.stepCount())
  Real blockTaps;      // double(s.channelBlocks * s.R * s.S)
  Real atomK, atomC;   // double(c.atomK), double(c.atomC)
  Real pes;            // double(c.atomK * c.atomC)
  Real dramReadBytes;  // double(t.dramReadBytes)
  Real dramBytes;      // double(t.dramReadBytes + t.dramWriteBytes)
  Real accPjPerByte;   // tech.sramPjPerByte(double(nvdlaAccumulatorBytes(c)))
  Real cbufPjPerByte;  // tech.sramPjPerByte(double(c.bufferBytes))
};

template <typename Real>
EnergyTerms<Real> nvdlaEnergy(const TechTable& tech, const NvdlaActions<Real>& a) {
  // CBUF reads: one input atom per cycle, plus the weights of every (step, cb, r, s).
  const Real cbufReads = a.computeCycles * a.atomC + a.steps * a.blockTaps * a.pes;
  const Real cbufWrites = a.dramReadBytes;
  const Real accBytesTouched = a.computeCycles * a.atomK * 8.0;  // int32 read + write
  EnergyTerms<Real> e;
  e.macPj = a.macs * tech.mac8Pj + a.computeCycles * a.atomK * tech.add32Pj;
  e.spadPj = accBytesTouched * a.accPjPerByte;
  e.bufferPj = (cbufReads + cbufWrites) * a.cbufPjPerByte;
  e.dramPj = a.dramBytes * tech.dramPjPerByte;
  e.leakagePj = tech.leakageFraction * a.pes * tech.mac8Pj * a.cycles;
  return e;
}

// Area by component: MAC array (adder tree: atomC-1 adders per cell counted as half a 32-bit
// adder each, plus one 32-bit accumulator adder per cell), CBUF, accumulator; control is the
// tech table's constant. atomCMinus1 = double(c.atomC - 1).
template <typename Real>
struct NvdlaArea {
  Real macArrayUm2, cbufUm2, accumulatorUm2;
  double controlUm2;
  // CostModel::areaUm2()'s order (0 + parts in breakdown order; 0 + x == x).
  Real totalUm2() const { return macArrayUm2 + cbufUm2 + accumulatorUm2 + controlUm2; }
};

template <typename Real>
NvdlaArea<Real> nvdlaArea(const TechTable& t, const Real& pes, const Real& atomK,
                          const Real& atomCMinus1, const Real& bufferBytes,
                          const Real& accumulatorBytes) {
  return {pes * t.mac8AreaUm2 + atomK * (atomCMinus1 * 0.5 + 1.0) * t.add32AreaUm2,
          bufferBytes * 8.0 * t.sramAreaUm2PerBit, accumulatorBytes * 8.0 * t.sramAreaUm2PerBit,
          t.controlAreaUm2};
}

}  // namespace analects
