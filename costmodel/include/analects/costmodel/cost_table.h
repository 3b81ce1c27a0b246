// CostTable: cost[layer][PE level][buffer level] for a whole network, built once per search.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/workload.h"

namespace analects {

struct CostTable {
  std::vector<int64_t> peLevels;      // PEs per level
  std::vector<int64_t> bufferLevels;  // buffer bytes per level
  size_t layers = 0;

  // Flat arrays indexed by index(layer, pe, buf). Infeasible points have feasible == 0 and
  // finite sentinel values (cycles/energy = 0); their reason is in reasons.
  std::vector<uint8_t> feasible;
  std::vector<double> cycles;
  std::vector<double> energyPj;
  std::vector<double> areaUm2;  // area of the sub-accelerator with this allocation
  std::vector<double> powerMw;  // average power running this layer
  std::vector<double> dramBytes;
  std::vector<std::string> reasons;  // empty when feasible

  size_t index(size_t layer, size_t pe, size_t buf) const {
    return (layer * peLevels.size() + pe) * bufferLevels.size() + buf;
  }

  // Evaluates every (layer, PE level, buffer level) point as model.cost() does, in one batch
  // (batch.h, bit-identical to the scalar path); uses `threads` worker threads
  // (0 = hardware concurrency). Deterministic regardless of threads.
  static CostTable build(const Workload& workload, const CostModel& model,
                         const std::vector<int64_t>& peLevels,
                         const std::vector<int64_t>& bufferLevels, const HardwareParams& hw,
                         unsigned threads = 0);
};

}  // namespace analects
