// Batched evaluation: many (layer, design) or (layer, PEs, buffer) points in one call, with
// results as arrays (structure of arrays, Eigen). Bit-identical to the scalar path: entry i
// equals CostModel::evaluate() / CostModel::cost() of point i, every field, infeasible points
// and their reasons included (tests/costmodel/test_batch.cpp checks it).
//
// How (costmodel/README.md, "Batched evaluation"): points are grouped by layer and array shape;
// the mapper runs once per distinct (layer, shape, buffer) with what does not depend on the
// buffer shared across the group, cost() prunes array factorizations that provably cannot be
// the fastest, and the closed-form energy / area / power / utilization arithmetic runs over all
// points at once as Eigen array expressions written once for both paths.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analects/costmodel/array_config.h"
#include "analects/costmodel/cost.h"
#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/layer.h"
#include "analects/costmodel/nvdla_schedule.h"

namespace analects {

// evaluate(layers[layer], config)
struct EvalPoint {
  size_t layer = 0;
  ArrayConfig config;
};

// cost(layers[layer], alloc, hw)
struct AllocPoint {
  size_t layer = 0;
  Allocation alloc;
};

// One entry per point, in the points' order. Fields as in Cost.
struct CostBatch {
  using Ints = Eigen::Array<int64_t, Eigen::Dynamic, 1>;

  std::vector<uint8_t> feasible;
  std::vector<std::string> reason;  // empty when feasible
  Ints cycles, computeCycles, dmaStallCycles, fillDrainCycles;
  Ints macs, dramReadBytes, dramWriteBytes, bufferNeedBytes;
  Eigen::ArrayXd utilization;
  Eigen::ArrayXd macPj, spadPj, bufferPj, dramPj, leakagePj;  // EnergyBreakdown
  Eigen::ArrayXd areaUm2, powerMw;
  // costBatch only: the design configFor() chose for each point (what cost() evaluated).
  std::vector<ArrayConfig> configs;

  size_t size() const { return feasible.size(); }
  // EnergyBreakdown::totalPj() of every point.
  Eigen::ArrayXd energyPj() const { return macPj + spadPj + bufferPj + dramPj + leakagePj; }
  // Point i as the scalar path returns it.
  Cost at(size_t i) const;

  void resize(size_t n);  // every entry zero / infeasible
  void set(size_t i, const Cost& c);
};

// evaluate() of every point. `threads` workers (0 = hardware concurrency); the result does not
// depend on the thread count.
CostBatch evaluateBatch(const CostModel& model, const std::vector<Layer>& layers,
                        const std::vector<EvalPoint>& points, unsigned threads = 1);
// The same into `out`, whose memory is reused (a loop of batches allocates it once).
void evaluateBatch(const CostModel& model, const std::vector<Layer>& layers,
                   const std::vector<EvalPoint>& points, CostBatch& out, unsigned threads = 1);

// cost() of every point: configFor() (the fastest factorization of the PEs) then evaluate().
CostBatch costBatch(const CostModel& model, const std::vector<Layer>& layers,
                    const std::vector<AllocPoint>& points, const HardwareParams& hw,
                    unsigned threads = 1);
// The same into `out`, whose memory is reused.
void costBatch(const CostModel& model, const std::vector<Layer>& layers,
               const std::vector<AllocPoint>& points, const HardwareParams& hw, CostBatch& out,
               unsigned threads = 1);

// An NVDLA-style schedule of layers[layer] on config (as planNvdla() builds it).
struct ScheduledPoint {
  size_t layer = 0;
  ArrayConfig config;
  NvdlaSchedule schedule;
};

// Prices given schedules, no mapper: cycles and traffic by the closed form (the lockstep sum
// over runs, O(bands)), then the energy / area / power / utilization arithmetic over all points
// at once. Entry i equals evaluate(layers[layer], config) when the schedule is planNvdla()'s for
// that point (what MAESTRO-style tools price: a given mapping). The model must be `nvdla`.
CostBatch priceNvdlaSchedules(const CostModel& model, const std::vector<Layer>& layers,
                              const std::vector<ScheduledPoint>& points);

}  // namespace analects
