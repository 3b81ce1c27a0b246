#include "analects/search/synthetic.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "rng.h"

namespace analects::search {

Workload syntheticWorkload(int layers, uint64_t seed) {
  Rng rng(seed);
  Workload w;
  w.name = fmt::format("synthetic{}", layers);
  w.source = fmt::format("syntheticWorkload({}, {})", layers, seed);
  int64_t hw = 112, ch = 32;
  for (int i = 0; i < layers; ++i) {
    int kind = i + 1 == layers ? 3 : rng.below(3);
    if (i > 0 && i % 8 == 0 && hw > 7) hw /= 2, ch = std::min<int64_t>(ch * 2, 1024);
    std::string name = fmt::format("l{}", i);
    if (kind == 0) {
      int64_t k = ch * (1 + rng.below(2));
      w.layers.push_back(Layer::conv(name, k, ch, hw, hw, 3, 3, 1, 1));
    } else if (kind == 1) {
      w.layers.push_back(Layer::conv(name, ch, ch, hw, hw, 3, 3, 1, 1, ch));  // depthwise
    } else if (kind == 2) {
      w.layers.push_back(Layer::conv(name, ch * 2, ch, hw, hw, 1, 1));  // pointwise
    } else {
      w.layers.push_back(Layer::fc(name, 1000, ch));
    }
  }
  return w;
}

CostTable syntheticCostTable(const Workload& workload, const ActionLevels& levels,
                             double faultFraction, uint64_t seed) {
  Rng rng(seed);
  CostTable t;
  t.peLevels = levels.pes;
  t.bufferLevels = levels.bufferBytes;
  t.layers = workload.layers.size();
  size_t n = t.layers * t.peLevels.size() * t.bufferLevels.size();
  t.feasible.assign(n, 0);
  t.cycles.assign(n, 0);
  t.energyPj.assign(n, 0);
  t.areaUm2.assign(n, 0);
  t.powerMw.assign(n, 0);
  t.dramBytes.assign(n, 0);
  t.reasons.assign(n, {});
  for (size_t l = 0; l < t.layers; ++l) {
    const Layer& L = workload.layers[l];
    double macs = double(L.macs());
    double weights = double(L.weightElems()), inputs = double(L.inputElems());
    double outputs = double(L.outputElems());
    // Parallelism the array can exploit: output channels x reduction channels (per group).
    double parallel =
        double(std::min<int64_t>(L.kernelsPerGroup() * (L.isDepthwise() ? L.groups : 1), 256)) *
        double(std::min<int64_t>(L.channelsPerGroup() * L.R * L.S, 256));
    for (size_t p = 0; p < t.peLevels.size(); ++p)
      for (size_t b = 0; b < t.bufferLevels.size(); ++b) {
        size_t i = t.index(l, p, b);
        double pes = double(t.peLevels[p]), buf = double(t.bufferLevels[b]);
        // A minimal tile: one weight per PE plus a row of inputs.
        double minTile =
            std::min(weights, pes) + double(std::min<int64_t>(L.channelsPerGroup(), 64) * L.S);
        if (buf < minTile) {
          t.reasons[i] =
              fmt::format("buffer {} B cannot hold a minimal tile of {} B", buf, minTile);
          continue;
        }
        double compute = std::ceil(macs / std::min(pes, parallel));
        double refetch = std::max(1.0, std::ceil((weights + inputs) / (4 * buf)));
        double traffic = weights + inputs * refetch + outputs;
        double dram = traffic / 8;
        double cycles =
            std::max(compute, dram) + 0.05 * std::min(compute, dram) + 2 * std::sqrt(pes) + 20;
        double sramPj = 1.25 * std::pow(buf / 8192, 0.25);
        double energy = macs * 0.23 + traffic * 162.5 + macs * 2 * sramPj + cycles * pes * 0.002;
        t.feasible[i] = 1;
        t.cycles[i] = std::round(cycles);
        t.energyPj[i] = energy;
        t.areaUm2[i] = pes * (282 + 137) + buf * 8 * 0.086 * 6 + 20000;
        t.powerMw[i] = energy / cycles * 0.2;
        t.dramBytes[i] = traffic;
      }
  }
  if (faultFraction > 0) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < n; ++i) {
      if (!rng.chance(faultFraction)) continue;
      switch (rng.below(4)) {
        case 0:  // the model says no
          t.feasible[i] = 0;
          t.reasons[i] = "injected fault";
          break;
        case 1:  // the model says yes but returns NaN
          t.cycles[i] = nan;
          break;
        case 2:
          t.energyPj[i] = inf;
          break;
        default:
          t.areaUm2[i] = -1;
          t.powerMw[i] = nan;
          break;
      }
    }
  }
  return t;
}

}  // namespace analects::search
