// Synthetic cost tables for tests and benchmarks: a roofline-like formula, not a cost model.
// More PEs help up to the layer's parallelism, a larger buffer cuts DRAM refetches, small
// buffers cannot hold a minimal tile for many PEs (infeasible points), and area, power and
// energy grow with the allocation, so budgets bind the way they do with the real models.
#pragma once

#include <cstdint>

#include "analects/costmodel/cost_table.h"
#include "analects/costmodel/workload.h"
#include "analects/search/problem.h"

namespace analects::search {

// `layers` conv / depthwise / pointwise / FC layers with shapes drawn from `seed`.
Workload syntheticWorkload(int layers, uint64_t seed);

// The table for `workload` at `levels`. `faultFraction` of the points (drawn from `seed`)
// are made infeasible, half of them with NaN or infinite figures as a broken model would give.
CostTable syntheticCostTable(const Workload& workload, const ActionLevels& levels,
                             double faultFraction = 0, uint64_t seed = 1);

}  // namespace analects::search
