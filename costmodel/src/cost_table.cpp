#include "analects/costmodel/cost_table.h"

#include "analects/costmodel/batch.h"

namespace analects {

CostTable CostTable::build(const Workload& workload, const CostModel& model,
                           const std::vector<int64_t>& peLevels,
                           const std::vector<int64_t>& bufferLevels, const HardwareParams& hw,
                           unsigned threads) {
  CostTable t;
  t.peLevels = peLevels;
  t.bufferLevels = bufferLevels;
  t.layers = workload.layers.size();
  const size_t n = t.layers * peLevels.size() * bufferLevels.size();
  // Every (layer, PE level, buffer level) point in index() order, priced in one batch
  // (batch.h: bit-identical to model.cost(), whatever the thread count).
  std::vector<AllocPoint> points;
  points.reserve(n);
  for (size_t l = 0; l < t.layers; ++l)
    for (int64_t pes : peLevels)
      for (int64_t buffer : bufferLevels) points.push_back({l, Allocation{pes, buffer}});
  const CostBatch c = costBatch(model, workload.layers, points, hw, threads);

  t.feasible = c.feasible;
  t.cycles.assign(n, 0);
  t.energyPj.assign(n, 0);
  t.areaUm2.assign(n, 0);
  t.powerMw.assign(n, 0);
  t.dramBytes.assign(n, 0);
  t.reasons = c.reason;
  const Eigen::ArrayXd energy = c.energyPj();
  for (size_t i = 0; i < n; ++i) {
    if (!c.feasible[i]) continue;  // finite sentinels (0) and the reason
    const Eigen::Index k = Eigen::Index(i);
    t.cycles[i] = double(c.cycles[k]);
    t.energyPj[i] = energy[k];
    t.areaUm2[i] = c.areaUm2[k];
    t.powerMw[i] = c.powerMw[k];
    t.dramBytes[i] = double(c.dramReadBytes[k] + c.dramWriteBytes[k]);
  }
  return t;
}

}  // namespace analects
