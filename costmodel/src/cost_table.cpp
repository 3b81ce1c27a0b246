#include "analects/costmodel/cost_table.h"

#include <algorithm>
#include <thread>

namespace analects {

CostTable CostTable::build(const Workload& workload, const CostModel& model,
                           const std::vector<int64_t>& peLevels,
                           const std::vector<int64_t>& bufferLevels, const HardwareParams& hw,
                           unsigned threads) {
  CostTable t;
  t.peLevels = peLevels;
  t.bufferLevels = bufferLevels;
  t.layers = workload.layers.size();
  size_t n = t.layers * peLevels.size() * bufferLevels.size();
  t.feasible.assign(n, 0);
  t.cycles.assign(n, 0);
  t.energyPj.assign(n, 0);
  t.areaUm2.assign(n, 0);
  t.powerMw.assign(n, 0);
  t.dramBytes.assign(n, 0);
  t.reasons.assign(n, {});
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // Each worker fills whole layers, so results do not depend on the thread count.
  auto work = [&](size_t first, size_t step) {
    for (size_t l = first; l < t.layers; l += step)
      for (size_t p = 0; p < peLevels.size(); ++p)
        for (size_t b = 0; b < bufferLevels.size(); ++b) {
          size_t i = t.index(l, p, b);
          Cost c = model.cost(workload.layers[l], Allocation{peLevels[p], bufferLevels[b]}, hw);
          t.feasible[i] = c.feasible ? 1 : 0;
          if (c.feasible) {
            t.cycles[i] = double(c.cycles);
            t.energyPj[i] = c.energyPj();
            t.areaUm2[i] = c.areaUm2;
            t.powerMw[i] = c.powerMw;
            t.dramBytes[i] = double(c.dramReadBytes + c.dramWriteBytes);
          } else {
            t.reasons[i] = c.reason;
          }
        }
  };
  std::vector<std::thread> pool;
  unsigned used = std::min<unsigned>(threads, std::max<size_t>(1, t.layers));
  for (unsigned w = 1; w < used; ++w) pool.emplace_back(work, w, used);
  work(0, used);
  for (auto& th : pool) th.join();
  return t;
}

}  // namespace analects
