// Batched Eyeriss-style evaluation (batch.h): the scalar model's mapper and closed form, run
// once per distinct (layer, array shape, buffer) with the buffer-independent work shared
// across a group, then the energy / area / power / utilization formulas of eyeriss_cost.h over
// all points at once as Eigen arrays. Points that fail validation (or use another style) take
// the scalar path, which names the problem.
#include <algorithm>
#include <array>

#include "analects/costmodel/eyeriss_schedule.h"
#include "batch_internal.h"
#include "eyeriss_cost.h"
#include "eyeriss_planner.h"

namespace analects {

namespace {

// What the closed-form arithmetic needs from one planned point.
struct Planned {
  uint32_t point;
  int64_t macs, outputs, weights;
  int64_t cycles, macCycles, fillDrainCycles, dramReadBytes, dramWriteBytes, bufferNeedBytes;
  EyerissCounts counts;
  int64_t outputBytes, pes, spadBits, bufferBytes;
};

Planned planned(uint32_t point, const Layer& layer, const ArrayConfig& c, const EyerissSchedule& s,
                const EyerissTiming& t) {
  Planned p;
  p.point = point;
  p.macs = layer.macs(), p.outputs = layer.outputElems(), p.weights = layer.weightElems();
  p.cycles = t.cycles, p.macCycles = t.macCycles;
  p.fillDrainCycles = t.passOverheadCycles + t.lastStoreCycles + s.dramLatency;
  p.dramReadBytes = t.dramReadBytes, p.dramWriteBytes = t.dramWriteBytes;
  p.bufferNeedBytes = s.bufferNeedBytes;
  p.counts = eyerissCounts(s);
  p.outputBytes = s.outputBytes;
  p.pes = c.rows * c.cols;
  p.spadBits = 8 * c.filterSpad + 8 * c.ifmapSpad + 32 * c.psumSpad;
  p.bufferBytes = c.bufferBytes;
  return p;
}

// EyerissModel::finish() for many points: gather the action counts into arrays, evaluate the
// shared formulas once over all of them, scatter the results.
void finish(const TechTable& tech, const std::vector<Planned>& p, CostBatch& out) {
  const Eigen::Index m = Eigen::Index(p.size());
  if (m == 0) return;
  using Ints = ChunkInts;
  Ints cycles(m), compute(m), fillDrain(m);
  ChunkReals spadBits(m), bufferBytes(m);
  EyerissActions<ChunkReals> a;
  for (ChunkReals* x :
       {&a.macs, &a.outputs, &a.weights, &a.psumRows, &a.streamPixels, &a.imageRows, &a.ifmapBlocks,
        &a.channelRows, &a.setInRows, &a.setPes, &a.multicast, &a.imageStrips, &a.psumPasses,
        &a.dramBytes, &a.outputBytes, &a.pes, &a.glbPjPerByte})
    x->resize(m);
  SramEnergyCache sram(tech);
  for (Eigen::Index i = 0; i < m; ++i) {
    const Planned& q = p[size_t(i)];
    const EyerissCounts& n = q.counts;
    cycles[i] = q.cycles, compute[i] = q.macCycles, fillDrain[i] = q.fillDrainCycles;
    a.macs[i] = double(q.macs), a.outputs[i] = double(q.outputs), a.weights[i] = double(q.weights);
    a.psumRows[i] = double(n.psumRows);
    a.streamPixels[i] = double(n.streamPixels);
    a.imageRows[i] = double(n.imageRows);
    a.ifmapBlocks[i] = double(n.ifmapBlocks);
    a.channelRows[i] = double(n.channelRows);
    a.setInRows[i] = double(n.setInRows);
    a.setPes[i] = double(n.setPes);
    a.multicast[i] = double(n.multicast);
    a.imageStrips[i] = double(n.imageStrips);
    a.psumPasses[i] = double(n.psumPasses);
    a.dramBytes[i] = double(q.dramReadBytes + q.dramWriteBytes);
    a.outputBytes[i] = double(q.outputBytes);
    a.pes[i] = double(q.pes);
    a.glbPjPerByte[i] = sram(q.bufferBytes);
    spadBits[i] = double(q.spadBits), bufferBytes[i] = double(q.bufferBytes);
  }
  a.cycles = cycles.cast<double>();

  const Ints stall = cycles - compute - fillDrain;
  const EnergyTerms<ChunkReals> e = eyerissEnergy(tech, a);
  const ChunkReals power = powerMw<ChunkReals>(tech, e.totalPj(), a.cycles);
  const ChunkReals util = utilization<ChunkReals>(a.macs, a.pes, a.cycles);
  const ChunkReals area = eyerissArea<ChunkReals>(tech, a.pes, spadBits, bufferBytes).totalUm2();

  for (Eigen::Index i = 0; i < m; ++i) {
    const Planned& q = p[size_t(i)];
    const Eigen::Index k = q.point;
    out.feasible[q.point] = 1;
    out.reason[q.point].clear();
    out.cycles[k] = q.cycles, out.computeCycles[k] = q.macCycles;
    out.fillDrainCycles[k] = q.fillDrainCycles, out.dmaStallCycles[k] = stall[i];
    out.macs[k] = q.macs;
    out.dramReadBytes[k] = q.dramReadBytes, out.dramWriteBytes[k] = q.dramWriteBytes;
    out.bufferNeedBytes[k] = q.bufferNeedBytes;
    out.utilization[k] = util[i];
    out.macPj[k] = e.macPj[i], out.spadPj[k] = e.spadPj[i], out.bufferPj[k] = e.bufferPj[i];
    out.dramPj[k] = e.dramPj[i], out.leakagePj[k] = e.leakagePj[i];
    out.areaUm2[k] = area[i], out.powerMw[k] = power[i];
  }
}

// What evaluate() returns for a valid layer and design whose mapper finds no schedule: the MACs
// and the mapper's reason, from a planner reset to this point's own layer (the reason may name
// it; a reset to the same inputs keeps what the planner computed).
Cost rejected(EyerissPlanner& planner, const Layer& layer, const ArrayConfig& c) {
  Cost cost;
  cost.macs = layer.macs();
  EyerissSchedule s;
  EyerissTiming t;
  planner.reset(layer, c);
  planner.plan(c.bufferBytes, s, &t, &cost.reason);
  return cost;
}

// Everything of an Eyeriss-style config the model reads, but the buffer size.
std::array<int64_t, 9> shapeOf(const ArrayConfig& c) {
  return {c.rows,
          c.cols,
          c.filterSpad,
          c.ifmapSpad,
          c.psumSpad,
          c.dramBytesPerCycle,
          c.dramLatencyCycles,
          c.pipelineDepth,
          c.outputBytes};
}

}  // namespace

void eyerissEvaluateBatch(const CostModel& model, const std::vector<Layer>& layers,
                          const LayerClasses& classes, const std::vector<EvalPoint>& points,
                          const PointList& mine, CostBatch& out) {
  // EyerissModel::evaluate()'s checks; the scalar path reports every failure (with the
  // layer's own name where the reason has it).
  std::vector<GroupKey> order;
  order.reserve(mine.size());
  ShapeIds<9> shapeIds;
  ValidDesigns valid;
  uint32_t shape = 0;  // of the last valid design
  for (uint32_t i : mine) {
    const EvalPoint& p = points[i];
    const ArrayConfig& c = p.config;
    const bool ok = classes.classOf[p.layer] >= 0 && c.style == Style::Eyeriss && c.rows >= 1 &&
                    c.cols >= 1 && c.bufferBytes >= 1 && valid(c);
    if (ok)
      order.push_back({uint32_t(classes.classOf[p.layer]),
                       valid.sameAsLast() ? shape : (shape = shapeIds(shapeOf(c))), c.bufferBytes,
                       i});
    else
      out.set(i, model.evaluate(layers[p.layer], c));
  }
  sortGroups(order, classes.representative.size());

  FinishChunks<Planned> chunks(finish, model.tech(), out, order.size());
  std::vector<Planned>& done = chunks.points();
  EyerissPlanner planner;
  EyerissPlanner named;  // for the reasons of points that do not plan
  for (size_t g = 0; g < order.size();) {
    size_t end = g + 1;
    while (end < order.size() && order[end].cls == order[g].cls &&
           order[end].shape == order[g].shape)
      ++end;
    const Layer& layer = layers[classes.representative[order[g].cls]];
    planner.reset(layer, points[order[g].point].config);
    if (order[g].buffer != order[end - 1].buffer) planner.enableMemo();
    bool previousPlanned = false;  // the point before this one was planned (not rejected)
    for (size_t k = g; k < end; ++k) {
      const uint32_t i = order[k].point;
      const ArrayConfig& c = points[i].config;
      // The same design and layer shape again: the same result, but for a failure's reason,
      // which may name the layer.
      if (k > g && order[k].buffer == order[k - 1].buffer &&
          (previousPlanned || points[i].layer == points[order[k - 1].point].layer)) {
        chunks.copy(order[k - 1].point, i);
        continue;
      }
      chunks.makeRoom();
      EyerissSchedule s;
      EyerissTiming t;
      previousPlanned = planner.plan(c.bufferBytes, s, &t, nullptr);
      if (previousPlanned)
        done.push_back(planned(i, layer, c, s, t));
      else
        out.set(i, rejected(named, layers[points[i].layer], c));  // its reason, its name
    }
    g = end;
  }
  chunks.flush();
}

void eyerissCostBatch(const CostModel& model, const std::vector<Layer>& layers,
                      const LayerClasses& classes, const std::vector<AllocPoint>& points,
                      const HardwareParams& hw, const PointList& mine, CostBatch& out) {
  // EyerissModel::configFor()'s design for an allocation, before the shape is chosen.
  auto designFor = [&](const Allocation& alloc) {
    ArrayConfig c;
    c.style = Style::Eyeriss;
    c.filterSpad = 224, c.ifmapSpad = 12, c.psumSpad = 24;  // the Eyeriss chip
    c.bufferBytes = alloc.bufferBytes;
    c.dramBytesPerCycle = hw.dramBytesPerCycle;
    c.dramLatencyCycles = hw.dramLatencyCycles;
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
      c.rows = c.cols = 1;
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
    int64_t cycles = -1, rows = 0;
    size_t candidate = 0;
    EyerissSchedule s;
    EyerissTiming t;
  };
  struct Candidate {
    int64_t rows, lowerBound;
    size_t planner;
  };
  std::vector<int64_t> buffers;
  std::vector<Best> best;
  std::vector<Candidate> candidates;
  std::vector<EyerissPlanner> planners;
  EyerissPlanner named;  // for the reasons of cells no shape plans
  std::vector<char> memoOn;  // per planner of the group
  EyerissSchedule s;
  EyerissTiming t;
  for (size_t g = 0; g < order.size();) {
    const int64_t pes = points[order[g].point].alloc.pes;
    size_t end = g + 1;
    while (end < order.size() && order[end].cls == order[g].cls &&
           order[end].shape == order[g].shape)
      ++end;
    const Layer& layer = layers[classes.representative[order[g].cls]];
    buffers.clear();
    for (size_t k = g; k < end; ++k)
      if (buffers.empty() || buffers.back() != order[k].buffer) buffers.push_back(order[k].buffer);
    best.assign(buffers.size(), Best{});

    // configFor(): every exact factorization rows x cols = PEs; the fewest cycles win, the
    // fewest rows among equals (the scalar loop keeps the first strictly faster one). Shapes
    // are tried in order of a lower bound on their cycles; a shape whose bound is above a
    // buffer's best so far cannot win there and is not planned.
    ArrayConfig design = designFor(points[order[g].point].alloc);
    candidates.clear();
    size_t used = 0;  // planners are reused across groups (their memory too)
    int64_t firstRows = 0;  // configFor()'s design when no shape plans
    for (int64_t r = 1; r <= 1024 && r <= pes; ++r) {
      if (pes % r != 0 || pes / r > 1024) continue;
      if (firstRows == 0) firstRows = r;
      design.rows = r, design.cols = pes / r;
      if (used == planners.size()) planners.emplace_back();
      planners[used].reset(layer, design);
      const int64_t bound = planners[used].cyclesLowerBound();
      if (bound >= 0) candidates.push_back({r, bound, used++});  // else it never plans
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      return std::make_pair(a.lowerBound, a.rows) < std::make_pair(b.lowerBound, b.rows);
    });
    auto beaten = [](const Best& b, const Candidate& cand) {
      return b.cycles >= 0 &&
             (cand.lowerBound > b.cycles || (cand.lowerBound == b.cycles && cand.rows > b.rows));
    };
    // Buffers in ascending order; the previous buffer's winner is tried first (winners rarely
    // change between neighbouring levels), so the others meet a tight best from the start.
    memoOn.assign(used, 0);
    size_t lead = candidates.size();  // none yet
    for (size_t b = 0; b < buffers.size(); ++b) {
      Best& x = best[b];
      auto tryShape = [&](size_t ci) {
        const Candidate& cand = candidates[ci];
        EyerissPlanner& planner = planners[cand.planner];
        if (buffers.size() > 1 && !memoOn[cand.planner]) {
          planner.enableMemo();
          memoOn[cand.planner] = 1;
        }
        // Only a schedule that beats the best so far matters: at most its cycles (fewer rows
        // win ties), else one cycle fewer. Schedules bounded above that are not timed.
        const int64_t cutoff = x.cycles < 0         ? EyerissPlanner::kAboveCutoff
                               : cand.rows < x.rows ? x.cycles
                                                    : x.cycles - 1;
        if (!planner.plan(buffers[b], s, &t, nullptr, cutoff)) return;
        if (x.cycles < 0 || t.cycles < x.cycles || (t.cycles == x.cycles && cand.rows < x.rows)) {
          x.cycles = t.cycles, x.rows = cand.rows, x.candidate = ci;
          x.s = s, x.t = t;
        }
      };
      if (lead < candidates.size()) tryShape(lead);
      for (size_t ci = 0; ci < candidates.size(); ++ci) {
        // Candidates come in (bound, rows) order: once one is beaten, all later are.
        if (beaten(x, candidates[ci])) break;
        if (ci != lead) tryShape(ci);
      }
      if (x.cycles >= 0) lead = x.candidate;
    }
    size_t b = 0;
    for (size_t k = g; k < end; ++k) {
      const uint32_t i = order[k].point;
      while (buffers[b] != order[k].buffer) ++b;
      // The same cell again: the same result, but for a failure's reason (it may name the layer).
      if (k > g && order[k].buffer == order[k - 1].buffer &&
          (best[b].cycles >= 0 || points[i].layer == points[order[k - 1].point].layer)) {
        out.configs[i] = out.configs[order[k - 1].point];
        chunks.copy(order[k - 1].point, i);
        continue;
      }
      chunks.makeRoom();
      if (best[b].cycles < 0) {
        // No shape plans: configFor() returns the first shape and evaluate() says why (with
        // this point's own layer, which its reason may name).
        if (firstRows == 0) {  // no exact factorization: configFor() decides
          scalar(i);
          continue;
        }
        design.bufferBytes = buffers[b];
        design.rows = firstRows, design.cols = pes / firstRows;
        out.configs[i] = design;
        out.set(i, rejected(named, layers[points[i].layer], design));
        continue;
      }
      design.bufferBytes = buffers[b];
      design.rows = best[b].rows, design.cols = pes / best[b].rows;
      out.configs[i] = design;
      done.push_back(planned(i, layer, design, best[b].s, best[b].t));
    }
    g = end;
  }
  chunks.flush();
}

}  // namespace analects
