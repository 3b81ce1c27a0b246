// Internal: cost formulas written once for two evaluation strategies: Real = double (a scalar
// model, one point) and Real = Eigen::ArrayXd (the batched path, one entry per point). Both
// evaluate the same expression tree in the same order (Eigen array expressions are evaluated
// element by element as written; the library is built with -ffp-contract=off, so no fused
// multiply-add changes a rounding), so the results are bit-identical.
// Per-style formulas: nvdla_cost.h, eyeriss_cost.h.
#pragma once

#include "analects/costmodel/cost.h"
#include "analects/costmodel/tech.h"

namespace analects {

template <typename Real>
struct EnergyTerms {
  Real macPj, spadPj, bufferPj, dramPj, leakagePj;
  // EnergyBreakdown::totalPj()'s order.
  Real totalPj() const { return macPj + spadPj + bufferPj + dramPj + leakagePj; }
};

// The scalar path's terms as a Cost's energy breakdown.
inline EnergyBreakdown toBreakdown(const EnergyTerms<double>& e) {
  EnergyBreakdown b;
  b.macPj = e.macPj, b.spadPj = e.spadPj, b.bufferPj = e.bufferPj;
  b.dramPj = e.dramPj, b.leakagePj = e.leakagePj;
  return b;
}

// Average power over the run, mW (pJ/us = uW).
template <typename Real>
Real powerMw(const TechTable& tech, const Real& energyPj, const Real& cycles) {
  return energyPj / (cycles / tech.clockMhz) / 1000.0;
}

// Utilization: macs / (pes * cycles).
template <typename Real>
Real utilization(const Real& macs, const Real& pes, const Real& cycles) {
  return macs / (pes * cycles);
}

}  // namespace analects
