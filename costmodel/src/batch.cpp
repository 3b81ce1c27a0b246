// Batched evaluation: result arrays, layer classes, and the dispatch of a batch to the per-style
// evaluators (batch_nvdla.cpp, batch_eyeriss.cpp) on worker threads.
#include "analects/costmodel/batch.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <exception>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <tuple>

#include "batch_internal.h"

namespace analects {

void CostBatch::resize(size_t n) {
  feasible.assign(n, 0);
  reason.assign(n, {});
  for (Ints* a : {&cycles, &computeCycles, &dmaStallCycles, &fillDrainCycles, &macs, &dramReadBytes,
                  &dramWriteBytes, &bufferNeedBytes})
    a->setZero(Eigen::Index(n));
  for (Eigen::ArrayXd* a :
       {&utilization, &macPj, &spadPj, &bufferPj, &dramPj, &leakagePj, &areaUm2, &powerMw})
    a->setZero(Eigen::Index(n));
}

void allocateUninitialized(CostBatch& out, size_t n) {
  // Kept entries of a reused batch are overwritten like new ones: feasible and reason by
  // set() / the finishes (a reason cleared) / copyPoint().
  out.feasible.resize(n);
  out.reason.resize(n);
  for (CostBatch::Ints* a : {&out.cycles, &out.computeCycles, &out.dmaStallCycles,
                             &out.fillDrainCycles, &out.macs, &out.dramReadBytes,
                             &out.dramWriteBytes, &out.bufferNeedBytes})
    a->resize(Eigen::Index(n));
  for (Eigen::ArrayXd* a : {&out.utilization, &out.macPj, &out.spadPj, &out.bufferPj, &out.dramPj,
                            &out.leakagePj, &out.areaUm2, &out.powerMw})
    a->resize(Eigen::Index(n));
}

void copyPoint(CostBatch& out, size_t from, size_t to) {
  const Eigen::Index f = Eigen::Index(from), t = Eigen::Index(to);
  out.feasible[to] = out.feasible[from];
  if (!out.reason[from].empty() || !out.reason[to].empty()) out.reason[to] = out.reason[from];
  for (CostBatch::Ints* a : {&out.cycles, &out.computeCycles, &out.dmaStallCycles,
                             &out.fillDrainCycles, &out.macs, &out.dramReadBytes,
                             &out.dramWriteBytes, &out.bufferNeedBytes})
    (*a)[t] = (*a)[f];
  for (Eigen::ArrayXd* a : {&out.utilization, &out.macPj, &out.spadPj, &out.bufferPj, &out.dramPj,
                            &out.leakagePj, &out.areaUm2, &out.powerMw})
    (*a)[t] = (*a)[f];
}

void CostBatch::set(size_t i, const Cost& c) {
  const Eigen::Index k = Eigen::Index(i);
  feasible[i] = c.feasible ? 1 : 0;
  reason[i] = c.reason;
  cycles[k] = c.cycles, computeCycles[k] = c.computeCycles;
  dmaStallCycles[k] = c.dmaStallCycles, fillDrainCycles[k] = c.fillDrainCycles;
  macs[k] = c.macs, dramReadBytes[k] = c.dramReadBytes, dramWriteBytes[k] = c.dramWriteBytes;
  bufferNeedBytes[k] = c.bufferNeedBytes;
  utilization[k] = c.utilization;
  macPj[k] = c.energy.macPj, spadPj[k] = c.energy.spadPj, bufferPj[k] = c.energy.bufferPj;
  dramPj[k] = c.energy.dramPj, leakagePj[k] = c.energy.leakagePj;
  areaUm2[k] = c.areaUm2, powerMw[k] = c.powerMw;
}

Cost CostBatch::at(size_t i) const {
  const Eigen::Index k = Eigen::Index(i);
  Cost c;
  c.feasible = feasible[i] != 0;
  c.reason = reason[i];
  c.cycles = cycles[k], c.computeCycles = computeCycles[k];
  c.dmaStallCycles = dmaStallCycles[k], c.fillDrainCycles = fillDrainCycles[k];
  c.macs = macs[k], c.dramReadBytes = dramReadBytes[k], c.dramWriteBytes = dramWriteBytes[k];
  c.bufferNeedBytes = bufferNeedBytes[k];
  c.utilization = utilization[k];
  c.energy.macPj = macPj[k], c.energy.spadPj = spadPj[k], c.energy.bufferPj = bufferPj[k];
  c.energy.dramPj = dramPj[k], c.energy.leakagePj = leakagePj[k];
  c.areaUm2 = areaUm2[k], c.powerMw = powerMw[k];
  return c;
}

LayerClasses::LayerClasses(const std::vector<Layer>& layers) {
  using Shape = std::array<int64_t, 17>;
  std::vector<std::pair<Shape, size_t>> valid;
  valid.reserve(layers.size());
  classOf.assign(layers.size(), -1);
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    try {
      l.validate();
    } catch (const std::exception&) {
      continue;
    }
    valid.push_back(
        {Shape{int64_t(l.op), l.N, l.K, l.C, l.H, l.W, l.R, l.S, l.strideH, l.strideW, l.padH,
               l.padW, l.padHEnd, l.padWEnd, l.dilationH, l.dilationW, l.groups},
         i});
  }
  // Equal shapes become adjacent (by index among equals); classes are numbered by first layer.
  std::sort(valid.begin(), valid.end());
  std::vector<size_t> first;  // per run of equal shapes: its first layer index
  for (size_t k = 0; k < valid.size(); ++k) {
    if (k == 0 || valid[k].first != valid[k - 1].first) first.push_back(valid[k].second);
    classOf[valid[k].second] = int(first.size() - 1);
  }
  std::vector<int> renumber(first.size());
  std::vector<size_t> byFirst(first.size());
  std::iota(byFirst.begin(), byFirst.end(), 0);
  std::sort(byFirst.begin(), byFirst.end(),
            [&](size_t a, size_t b) { return first[a] < first[b]; });
  representative.resize(first.size());
  for (size_t c = 0; c < byFirst.size(); ++c) {
    renumber[byFirst[c]] = int(c);
    representative[c] = first[byFirst[c]];
  }
  for (int& c : classOf)
    if (c >= 0) c = renumber[size_t(c)];
}

void sortGroups(std::vector<GroupKey>& keys, size_t classCount) {
  if (keys.size() <= 4096) {  // small batches: one sort costs less than the passes' buffers
    std::sort(keys.begin(), keys.end(), [](const GroupKey& a, const GroupKey& b) {
      return std::tie(a.cls, a.shape, a.buffer, a.point) <
             std::tie(b.cls, b.shape, b.buffer, b.point);
    });
    return;
  }
  // Dense (class, shape) group ids by first appearance, numbered class by class, then one stable
  // counting pass: a group's points stay in point order, and only a group whose buffers are not
  // ascending (a class met again later in the batch, say) is reordered, by (buffer, point).
  // Points come in runs of one group, so the passes work run by run.
  struct Run {
    size_t begin, end;
    uint32_t group;  // provisional id
  };
  std::vector<Run> runs;
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> shapesOf(classCount);  // (shape, id)
  std::vector<size_t> groupSize;  // per provisional id
  for (size_t k = 0; k < keys.size();) {
    size_t end = k + 1;
    while (end < keys.size() && keys[end].cls == keys[k].cls && keys[end].shape == keys[k].shape)
      ++end;
    auto& known = shapesOf[keys[k].cls];
    auto it = std::find_if(known.rbegin(), known.rend(),
                           [&](const auto& e) { return e.first == keys[k].shape; });
    uint32_t group;
    if (it == known.rend()) {
      group = uint32_t(groupSize.size());
      known.push_back({keys[k].shape, group});
      groupSize.push_back(0);
    } else {
      group = it->second;
    }
    groupSize[group] += end - k;
    runs.push_back({k, end, group});
    k = end;
  }
  // Renumbered class by class (first appearance within a class): each group's first slot.
  std::vector<size_t> fill(groupSize.size());
  std::vector<size_t> start;  // per renumbered group, and the end
  start.reserve(groupSize.size() + 1);
  size_t next = 0;
  for (const auto& known : shapesOf)
    for (const auto& e : known) {
      start.push_back(next);
      fill[e.second] = next;
      next += groupSize[e.second];
    }
  start.push_back(next);
  std::vector<GroupKey> sorted(keys.size());
  for (const Run& r : runs) {
    std::copy(keys.begin() + ptrdiff_t(r.begin), keys.begin() + ptrdiff_t(r.end),
              sorted.begin() + ptrdiff_t(fill[r.group]));
    fill[r.group] += r.end - r.begin;
  }
  const size_t groups = groupSize.size();
  auto less = [](const GroupKey& a, const GroupKey& b) {
    return std::tie(a.buffer, a.point) < std::tie(b.buffer, b.point);
  };
  std::vector<GroupKey> scratch;
  for (size_t g = 0; g < groups; ++g) {
    const auto first = sorted.begin() + ptrdiff_t(start[g]),
               last = sorted.begin() + ptrdiff_t(start[g + 1]);
    const auto run = std::is_sorted_until(first, last, less);
    if (run == last) continue;
    // A layer class met again later in the batch with the same buffers (a network's repeated
    // layers on the same designs): the group is copies of one ascending run, in point order,
    // and interleaving them sorts it.
    const size_t length = size_t(run - first), n = size_t(last - first);
    bool copies = n % length == 0;
    for (size_t k = length; copies && k < n; ++k)
      copies = first[ptrdiff_t(k)].buffer == first[ptrdiff_t(k % length)].buffer;
    if (!copies) {
      std::sort(first, last, less);
      continue;
    }
    scratch.assign(first, last);
    const size_t copyCount = n / length;
    for (size_t k = 0; k < n; ++k)
      first[ptrdiff_t(k)] = scratch[(k % copyCount) * length + k / copyCount];
  }
  keys.swap(sorted);
}

namespace {

template <typename Point>
void checkLayerIndices(const std::vector<Layer>& layers, const std::vector<Point>& points) {
  for (size_t i = 0; i < points.size(); ++i)
    if (points[i].layer >= layers.size())
      throw std::out_of_range(
          fmt::format("batch point {}: layer index {} (the batch has {} layers)", i,
                      points[i].layer, layers.size()));
}

// Splits the points over workers by layer class (a class's points stay together, so each is
// planned once), runs `work(mine)` on each and waits. Results do not depend on the split.
template <typename Point, typename Work>
void runWorkers(const LayerClasses& classes, const std::vector<Point>& points, unsigned threads,
                Work&& work) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = unsigned(std::min<size_t>(threads, std::max<size_t>(1, classes.representative.size())));
  if (threads == 1) {  // one worker takes every point
    PointList all(points.size());
    std::iota(all.begin(), all.end(), 0u);
    work(all);
    return;
  }
  std::vector<PointList> share(threads);
  for (size_t i = 0; i < points.size(); ++i) {
    const size_t l = points[i].layer;
    const int cls = l < classes.classOf.size() ? classes.classOf[l] : -1;
    share[cls < 0 ? 0 : size_t(cls) % threads].push_back(uint32_t(i));
  }
  // A worker's exception (out of memory, say) is rethrown here, not std::terminate()d.
  std::vector<std::exception_ptr> errors(threads);
  auto run = [&](unsigned w) {
    try {
      work(share[w]);
    } catch (...) {
      errors[w] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned w = 1; w < threads; ++w) pool.emplace_back(run, w);
  run(0);
  for (auto& t : pool) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace

CostBatch evaluateBatch(const CostModel& model, const std::vector<Layer>& layers,
                        const std::vector<EvalPoint>& points, unsigned threads) {
  CostBatch out;
  evaluateBatch(model, layers, points, out, threads);
  return out;
}

void evaluateBatch(const CostModel& model, const std::vector<Layer>& layers,
                   const std::vector<EvalPoint>& points, CostBatch& out, unsigned threads) {
  checkLayerIndices(layers, points);
  allocateUninitialized(out, points.size());  // every point is written below
  out.configs.clear();
  const LayerClasses classes(layers);
  runWorkers(classes, points, threads, [&](const PointList& mine) {
    if (isNvdlaModel(model)) {
      nvdlaEvaluateBatch(model, layers, classes, points, mine, out);
    } else if (isEyerissModel(model)) {
      eyerissEvaluateBatch(model, layers, classes, points, mine, out);
    } else {
      for (uint32_t i : mine)
        out.set(i, model.evaluate(layers.at(points[i].layer), points[i].config));
    }
  });
}

CostBatch costBatch(const CostModel& model, const std::vector<Layer>& layers,
                    const std::vector<AllocPoint>& points, const HardwareParams& hw,
                    unsigned threads) {
  CostBatch out;
  costBatch(model, layers, points, hw, out, threads);
  return out;
}

void costBatch(const CostModel& model, const std::vector<Layer>& layers,
               const std::vector<AllocPoint>& points, const HardwareParams& hw, CostBatch& out,
               unsigned threads) {
  checkLayerIndices(layers, points);
  allocateUninitialized(out, points.size());  // every point is written below
  out.configs.resize(points.size());
  const LayerClasses classes(layers);
  runWorkers(classes, points, threads, [&](const PointList& mine) {
    if (isNvdlaModel(model)) {
      nvdlaCostBatch(model, layers, classes, points, hw, mine, out);
    } else if (isEyerissModel(model)) {
      eyerissCostBatch(model, layers, classes, points, hw, mine, out);
    } else {
      for (uint32_t i : mine) {
        const Layer& l = layers.at(points[i].layer);
        out.configs[i] = model.configFor(l, points[i].alloc, hw);
        out.set(i, model.evaluate(l, out.configs[i]));
      }
    }
  });
}

}  // namespace analects
