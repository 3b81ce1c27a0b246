// Batched NVDLA-style evaluation (batch.h): the scalar model's mapper and closed form, run once
// per distinct (layer, array shape, buffer) with the buffer-independent work shared across a
// group, then the energy / area / power / utilization formulas of nvdla_cost.h over all points
// at once as Eigen arrays. Points the mapper rejects keep the mapper's reason; points that fail
// validation (or use another style) take the scalar path, which names the problem.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <numeric>
#include <stdexcept>

#include "analects/costmodel/nvdla_schedule.h"
#include "batch_internal.h"
#include "nvdla_cost.h"
#include "nvdla_planner.h"
#include "nvdla_timing.h"

namespace analects {

namespace {

// What the closed-form arithmetic needs from one planned point.
struct Planned {
  uint32_t point;
  int64_t macs, cycles, computeCycles, dramReadBytes, dramWriteBytes, bufferNeedBytes;
  int64_t steps, blockTaps, fixedCycles;  // stepCount, cbN * R * S, pipelineDepth + 2L
  int64_t atomK, atomC, bufferBytes, accumulatorBytes;
};

Planned planned(uint32_t point, int64_t macs, const ArrayConfig& c, const NvdlaSchedule& s,
                const NvdlaTiming& t) {
  return {point,
          macs,
          t.cycles,
          t.computeCycles,
          t.dramReadBytes,
          t.dramWriteBytes,
          s.bufferNeedBytes,
          s.stepCount(),
          s.channelBlocks * s.R * s.S,
          s.pipelineDepth + 2 * s.dramLatency,
          c.atomK,
          c.atomC,
          c.bufferBytes,
          nvdlaAccumulatorBytes(c)};
}

// NvdlaModel::finish() for many points: gather the action counts into arrays, evaluate the
// shared formulas once over all of them, scatter the results.
void finish(const TechTable& tech, const std::vector<Planned>& p, CostBatch& out) {
  const Eigen::Index m = Eigen::Index(p.size());
  if (m == 0) return;
  using Ints = ChunkInts;
  Ints cycles(m), compute(m), fixed(m);
  ChunkReals accPj(m), cbufPj(m), bufferBytes(m), accBytes(m), atomCMinus1(m);
  NvdlaActions<ChunkReals> a;
  for (ChunkReals* x : {&a.macs, &a.steps, &a.blockTaps, &a.atomK, &a.atomC, &a.pes,
                        &a.dramReadBytes, &a.dramBytes})
    x->resize(m);
  SramEnergyCache accSram(tech), cbufSram(tech);  // one each: their last size repeats
  for (Eigen::Index i = 0; i < m; ++i) {
    const Planned& q = p[size_t(i)];
    cycles[i] = q.cycles, compute[i] = q.computeCycles, fixed[i] = q.fixedCycles;
    a.macs[i] = double(q.macs);
    a.steps[i] = double(q.steps);
    a.blockTaps[i] = double(q.blockTaps);
    a.atomK[i] = double(q.atomK), a.atomC[i] = double(q.atomC);
    a.pes[i] = double(q.atomK * q.atomC);
    a.dramReadBytes[i] = double(q.dramReadBytes);
    a.dramBytes[i] = double(q.dramReadBytes + q.dramWriteBytes);
    accPj[i] = accSram(q.accumulatorBytes), cbufPj[i] = cbufSram(q.bufferBytes);
    bufferBytes[i] = double(q.bufferBytes), accBytes[i] = double(q.accumulatorBytes);
    atomCMinus1[i] = double(q.atomC - 1);
  }
  a.computeCycles = compute.cast<double>();
  a.cycles = cycles.cast<double>();
  a.accPjPerByte = accPj, a.cbufPjPerByte = cbufPj;

  const Ints fillDrain = fixed.min(cycles - compute);
  const Ints stall = cycles - compute - fillDrain;
  const EnergyTerms<ChunkReals> e = nvdlaEnergy(tech, a);
  const ChunkReals power = powerMw<ChunkReals>(tech, e.totalPj(), a.cycles);
  const ChunkReals util = utilization<ChunkReals>(a.macs, a.pes, a.cycles);
  const ChunkReals area =
      nvdlaArea<ChunkReals>(tech, a.pes, a.atomK, atomCMinus1, bufferBytes, accBytes).totalUm2();

  for (Eigen::Index i = 0; i < m; ++i) {
    const Planned& q = p[size_t(i)];
    const Eigen::Index k = q.point;
    out.feasible[q.point] = 1;
    out.reason[q.point].clear();
    out.cycles[k] = q.cycles, out.computeCycles[k] = q.computeCycles;
    out.fillDrainCycles[k] = fillDrain[i], out.dmaStallCycles[k] = stall[i];
    out.macs[k] = q.macs;
    out.dramReadBytes[k] = q.dramReadBytes, out.dramWriteBytes[k] = q.dramWriteBytes;
    out.bufferNeedBytes[k] = q.bufferNeedBytes;
    out.utilization[k] = util[i];
    out.macPj[k] = e.macPj[i], out.spadPj[k] = e.spadPj[i], out.bufferPj[k] = e.bufferPj[i];
    out.dramPj[k] = e.dramPj[i], out.leakagePj[k] = e.leakagePj[i];
    out.areaUm2[k] = area[i], out.powerMw[k] = power[i];
  }
}

// Everything of an NVDLA-style config the model reads, but the buffer size.
std::array<int64_t, 7> shapeOf(const ArrayConfig& c) {
  return {c.atomK,         c.atomC,       c.dramBytesPerCycle, c.dramLatencyCycles,
          c.pipelineDepth, c.outputBytes, c.accDepthPixels};
}

// Infeasible at the mapper: what NvdlaModel::evaluate() returns then.
Cost rejected(int64_t macs, std::string reason) {
  Cost c;
  c.macs = macs;
  c.reason = std::move(reason);
  return c;
}

}  // namespace

void nvdlaEvaluateBatch(const CostModel& model, const std::vector<Layer>& layers,
                        const LayerClasses& classes, const std::vector<EvalPoint>& points,
                        const PointList& mine, CostBatch& out) {
  // Group by (layer class, array shape); buffers ascending inside a group, duplicates adjacent.
  std::vector<GroupKey> order;
  order.reserve(mine.size());
  ShapeIds<7> shapeIds;
  ValidDesigns valid;
  uint32_t shape = 0;  // of the last valid design
  for (uint32_t i : mine) {
    const EvalPoint& p = points[i];
    const bool ok =
        classes.classOf[p.layer] >= 0 && p.config.style == Style::Nvdla && valid(p.config);
    if (ok)
      order.push_back({uint32_t(classes.classOf[p.layer]),
                       valid.sameAsLast() ? shape : (shape = shapeIds(shapeOf(p.config))),
                       p.config.bufferBytes, i});
    else
      out.set(i, model.evaluate(layers[p.layer], p.config));
  }
  sortGroups(order, classes.representative.size());

  FinishChunks<Planned> chunks(finish, model.tech(), out, order.size());
  std::vector<Planned>& done = chunks.points();
  NvdlaPlanner planner;
  NvdlaTileCandidates tiles;  // of the group's layer class
  NvdlaSchedule s;            // the planner's base() with the tiling of the point at hand
  NvdlaPlanner::Tiling tiling;
  NvdlaTiming t;
  std::string why;
  for (size_t g = 0; g < order.size();) {
    size_t end = g + 1;
    while (end < order.size() && order[end].cls == order[g].cls &&
           order[end].shape == order[g].shape)
      ++end;
    const Layer& layer = layers[classes.representative[order[g].cls]];
    const int64_t macs = layer.macs();
    // The group's design; a point differs only in its buffer (its key's), so the points
    // themselves are not read again (in this order they are scattered over the batch).
    ArrayConfig design = points[order[g].point].config;
    tiles.build(layer, design);
    planner.reset(layer, design, &tiles);
    if (order[g].buffer != order[end - 1].buffer) planner.enableMemo();
    s = planner.base();
    for (size_t k = g; k < end; ++k) {
      const uint32_t i = order[k].point;
      if (k > g && order[k].buffer == order[k - 1].buffer) {
        // The same design and layer shape again: the same result (the mapper's reasons do not
        // name the layer).
        chunks.copy(order[k - 1].point, i);
        continue;
      }
      chunks.makeRoom();
      design.bufferBytes = order[k].buffer;
      if (planner.plan(design.bufferBytes, tiling, t, &why)) {
        tiling.applyTo(s);
        done.push_back(planned(i, macs, design, s, t));
      } else {
        out.set(i, rejected(macs, std::move(why)));
      }
    }
    g = end;
  }
  chunks.flush();
}

void nvdlaCostBatch(const CostModel& model, const std::vector<Layer>& layers,
                    const LayerClasses& classes, const std::vector<AllocPoint>& points,
                    const HardwareParams& hw, const PointList& mine, CostBatch& out) {
  // NvdlaModel::configFor()'s design for an allocation, before the shape is chosen.
  auto designFor = [&](const Allocation& alloc) {
    ArrayConfig c;
    c.style = Style::Nvdla;
    c.bufferBytes = alloc.bufferBytes;
    c.dramBytesPerCycle = hw.dramBytesPerCycle;
    c.dramLatencyCycles = hw.dramLatencyCycles;
    c.atomK = alloc.pes;
    c.atomC = 1;
    return c;
  };
  auto scalar = [&](uint32_t i) {
    const Layer& l = layers[points[i].layer];
    out.configs[i] = model.configFor(l, points[i].alloc, hw);
    out.set(i, model.evaluate(l, out.configs[i]));
  };
  // The scalar path takes invalid layers, empty allocations and designs that fail validation
  // whatever their shape (buffer or DRAM port out of range): it reports why.
  std::vector<GroupKey> order;
  order.reserve(mine.size());
  ShapeIds<1> peIds;
  ValidDesigns valid;
  for (uint32_t i : mine) {
    const AllocPoint& p = points[i];
    bool ok = classes.classOf[p.layer] >= 0 && p.alloc.pes > 0 && p.alloc.bufferBytes > 0;
    if (ok) {
      ArrayConfig c = designFor(p.alloc);
      c.atomK = 1;
      ok = valid(c);
    }
    if (ok)
      order.push_back(
          {uint32_t(classes.classOf[p.layer]), peIds({p.alloc.pes}), p.alloc.bufferBytes, i});
    else
      scalar(i);
  }
  sortGroups(order, classes.representative.size());

  FinishChunks<Planned> chunks(finish, model.tech(), out, order.size());
  std::vector<Planned>& done = chunks.points();
  struct Best {
    int64_t cycles = -1, atomC = 0;
    size_t candidate = 0;
    NvdlaPlanner::Tiling tiling{};  // of the candidate's planner base()
    NvdlaTiming t;
  };
  std::vector<int64_t> buffers;
  std::vector<Best> best;
  struct Candidate {
    int64_t atomC, lowerBound;
    size_t planner;
  };
  std::vector<Candidate> candidates;
  std::vector<NvdlaPlanner> planners;
  std::vector<char> memoOn;   // per planner of the group
  NvdlaTileCandidates tiles;  // of the group's layer class, shared by its shapes
  NvdlaSchedule s;
  NvdlaPlanner::Tiling tiling;
  NvdlaTiming t;
  for (size_t g = 0; g < order.size();) {
    const int64_t pes = points[order[g].point].alloc.pes;
    size_t end = g + 1;
    while (end < order.size() && order[end].cls == order[g].cls &&
           order[end].shape == order[g].shape)
      ++end;
    const Layer& layer = layers[classes.representative[order[g].cls]];
    const int64_t macs = layer.macs();
    buffers.clear();
    for (size_t k = g; k < end; ++k)
      if (buffers.empty() || buffers.back() != order[k].buffer) buffers.push_back(order[k].buffer);
    best.assign(buffers.size(), Best{});

    // configFor(): every exact factorization atomK x atomC = PEs; the fewest cycles win, the
    // smallest atomC among equals (the scalar loop keeps the first strictly faster one).
    // Shapes are tried in order of a lower bound on their cycles; a shape whose bound is above
    // a buffer's best so far cannot win there and is not planned.
    ArrayConfig design = designFor(points[order[g].point].alloc);
    tiles.build(layer, design);  // kept when the class (geometry) is the previous group's
    candidates.clear();
    size_t used = 0;  // planners are reused across groups (their memo memory too)
    for (int64_t c = 1; c <= pes && c <= 1024; ++c) {
      if (pes % c != 0 || pes / c > 1024) continue;
      design.atomK = pes / c, design.atomC = c;
      if (used == planners.size()) planners.emplace_back();
      planners[used].reset(layer, design, &tiles);
      candidates.push_back({c, nvdlaCyclesLowerBound(planners[used].base()), used});
      ++used;
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      return std::make_pair(a.lowerBound, a.atomC) < std::make_pair(b.lowerBound, b.atomC);
    });
    auto beaten = [](const Best& b, const Candidate& cand) {
      return b.cycles >= 0 &&
             (cand.lowerBound > b.cycles || (cand.lowerBound == b.cycles && cand.atomC > b.atomC));
    };
    // Buffers in ascending order; the previous buffer's winner is tried first (winners rarely
    // change between neighbouring levels), so the others meet a tight best from the start.
    memoOn.assign(used, 0);
    size_t lead = candidates.size();  // none yet
    for (size_t b = 0; b < buffers.size(); ++b) {
      Best& x = best[b];
      auto tryShape = [&](size_t ci) {
        const Candidate& cand = candidates[ci];
        NvdlaPlanner& planner = planners[cand.planner];
        if (buffers.size() > 1 && !memoOn[cand.planner]) {
          planner.enableMemo();
          memoOn[cand.planner] = 1;
        }
        // Only a schedule that beats the best so far matters: at most its cycles (a smaller
        // atomC wins ties), else one cycle fewer. Tilings bounded above that are not timed.
        const int64_t cutoff = x.cycles < 0           ? NvdlaPlanner::kAboveCutoff
                               : cand.atomC < x.atomC ? x.cycles
                                                      : x.cycles - 1;
        if (!planner.plan(buffers[b], tiling, t, nullptr, cutoff)) return;
        if (x.cycles < 0 || t.cycles < x.cycles || (t.cycles == x.cycles && cand.atomC < x.atomC)) {
          x.cycles = t.cycles, x.atomC = cand.atomC, x.candidate = ci;
          x.tiling = tiling, x.t = t;
        }
      };
      if (lead < candidates.size()) tryShape(lead);
      for (size_t ci = 0; ci < candidates.size(); ++ci) {
        // Candidates come in (bound, atomC) order: once one is beaten, all later are.
        if (beaten(x, candidates[ci])) break;
        if (ci != lead) tryShape(ci);
      }
      if (x.cycles >= 0) lead = x.candidate;
    }
    size_t b = 0;
    for (size_t k = g; k < end; ++k) {
      const uint32_t i = order[k].point;
      while (buffers[b] != order[k].buffer) ++b;
      // The same cell again: the same result, but for a failure's reason, which the scalar
      // path may word with the layer's name.
      if (k > g && order[k].buffer == order[k - 1].buffer &&
          (best[b].cycles >= 0 || points[i].layer == points[order[k - 1].point].layer)) {
        out.configs[i] = out.configs[order[k - 1].point];
        chunks.copy(order[k - 1].point, i);
        continue;
      }
      chunks.makeRoom();
      if (best[b].cycles < 0) {
        // No shape fits: configFor() returns the default shape (atomK = PEs, atomC = 1) and
        // evaluate() reports its mapper's reason, for which its planner is asked.
        auto one = std::find_if(candidates.begin(), candidates.end(),
                                [](const Candidate& cand) { return cand.atomC == 1; });
        if (one == candidates.end()) {  // PEs above the largest atomK: evaluate() says why
          scalar(i);
          continue;
        }
        std::string why;
        planners[one->planner].plan(buffers[b], s, t, &why);
        design.bufferBytes = buffers[b];
        design.atomC = 1, design.atomK = pes;
        out.configs[i] = design;
        out.set(i, rejected(macs, std::move(why)));
        continue;
      }
      design.bufferBytes = buffers[b];
      design.atomC = best[b].atomC, design.atomK = pes / best[b].atomC;
      out.configs[i] = design;
      s = planners[candidates[best[b].candidate].planner].base();
      best[b].tiling.applyTo(s);
      done.push_back(planned(i, macs, design, s, best[b].t));
    }
    g = end;
  }
  chunks.flush();
}

CostBatch priceNvdlaSchedules(const CostModel& model, const std::vector<Layer>& layers,
                              const std::vector<ScheduledPoint>& points) {
  if (!isNvdlaModel(model))
    throw std::invalid_argument("priceNvdlaSchedules needs the nvdla model");
  CostBatch out;
  out.resize(points.size());
  std::vector<int64_t> macs(layers.size(), -1);
  FinishChunks<Planned> chunks(finish, model.tech(), out, points.size());
  std::vector<Planned>& done = chunks.points();
  for (size_t i = 0; i < points.size(); ++i) {
    chunks.makeRoom();
    const ScheduledPoint& p = points[i];
    if (p.layer >= layers.size())
      throw std::out_of_range(fmt::format("schedule {}: layer index {} (the batch has {} layers)",
                                          i, p.layer, layers.size()));
    if (macs[p.layer] < 0) macs[p.layer] = layers[p.layer].macs();
    done.push_back(planned(uint32_t(i), macs[p.layer], p.config, p.schedule,
                           nvdlaTiming(p.schedule)));
  }
  chunks.flush();
  return out;
}

}  // namespace analects
