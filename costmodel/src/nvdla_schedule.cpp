// NVDLA-style schedule: the mapper (planNvdla), the step list and its replay.
#include "analects/costmodel/nvdla_schedule.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "nvdla_planner.h"
#include "nvdla_timing.h"

namespace analects {

namespace {
int64_t ceilDiv(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}
}  // namespace

int64_t NvdlaSchedule::bandOutputRows(int64_t b) const {
  return std::min(P, (b + 1) * bandRows) - b * bandRows;
}

int64_t NvdlaSchedule::bandInputRows(int64_t b) const {
  const int64_t p0 = b * bandRows, p1 = p0 + bandOutputRows(b);  // output rows [p0, p1)
  const int64_t effR = dilationH * (R - 1) + 1;
  if (strideH < effR) {
    // Windows of neighbouring output rows overlap: fetch the contiguous span.
    int64_t first = std::max<int64_t>(p0 * strideH - padTop, 0);
    int64_t last = std::min<int64_t>((p1 - 1) * strideH - padTop + effR - 1, H - 1);
    return last >= first ? last - first + 1 : 0;
  }
  if (R == 1 && strideH == 1) {
    // 1x1 rows (and every GEMM/FC view): output row p reads input row p - padTop; the general
    // case below with its divisions by the stride folded away (the mapper's hottest call).
    const int64_t top = std::min(p1, std::max(p0, padTop));
    return std::max(top, std::min(p1, std::max(p0, H + padTop))) - top;
  }
  // Stride at least the window: each output row reads its own R input rows (r * dilation),
  // the rows in between are skipped. Only rows near the borders lose taps to padding.
  auto rowsOf = [&](int64_t p) {
    int64_t n = 0;
    for (int64_t r = 0; r < R; ++r) {
      int64_t row = p * strideH - padTop + r * dilationH;
      n += row >= 0 && row < H;
    }
    return n;
  };
  const int64_t topClipped = std::min(p1, std::max(p0, (padTop + strideH - 1) / strideH));
  // First output row whose window reaches past the bottom: p*s - pad + effR - 1 > H - 1.
  const int64_t span = H - effR + padTop;
  int64_t bottom = (span >= 0 ? span / strideH : -((-span + strideH - 1) / strideH)) + 1;
  const int64_t bottomClipped = std::max(topClipped, std::min(p1, std::max(p0, bottom)));
  int64_t n = (bottomClipped - topClipped) * R;
  for (int64_t p = p0; p < topClipped; ++p) n += rowsOf(p);
  for (int64_t p = bottomClipped; p < p1; ++p) n += rowsOf(p);
  return n;
}

int64_t NvdlaSchedule::colOutputCols(int64_t c) const {
  return std::min(Q, (c + 1) * colTile) - c * colTile;
}

int64_t NvdlaSchedule::colInputCols(int64_t c) const {
  if (colTiles == 1) return W;
  const int64_t effS = dilationW * (S - 1) + 1;
  const int64_t q0 = c * colTile, q1 = q0 + colOutputCols(c);
  int64_t first = std::max<int64_t>(q0 * strideW - padLeft, 0);
  int64_t last = std::min<int64_t>((q1 - 1) * strideW - padLeft + effS - 1, W - 1);
  return last >= first ? last - first + 1 : 0;
}

int64_t NvdlaSchedule::tileChannelBlocks(int64_t t) const {
  return std::min(channelBlocks, (t + 1) * channelTile) - t * channelTile;
}

std::vector<NvdlaSchedule::Step> NvdlaSchedule::expandSteps() const {
  std::vector<Step> steps;
  steps.reserve(size_t(stepCount()));
  for (int64_t sg = 0; sg < superGroups; ++sg)
    for (int64_t n = 0; n < images; ++n) {
      auto add = [&](int64_t b, int64_t c, int64_t kg, int64_t ct) {
        bool loadInput, loadWeights;
        if (order == NvdlaOrder::BandOuter) {
          loadInput = channelTiles > 1 || kg == 0;
          loadWeights = !weightsResident || (n == 0 && b == 0 && c == 0);
        } else {
          loadInput = !inputResident || kg == 0;
          loadWeights = b == 0 && (!weightsResident || n == 0);
        }
        const int64_t blocks = tileChannelBlocks(ct);
        const int64_t rows = bandOutputRows(b), cols = colOutputCols(c);
        steps.push_back(Step{sg, n, kg, b, c, ct,
                             loadInput ? bandInputRows(b) * colInputCols(c) * blocks * atomC : 0,
                             loadWeights ? atomK * R * S * blocks * atomC : 0,
                             blocks * R * S * rows * cols,
                             ct == channelTiles - 1 ? storeCycles(rows, cols) : 0});
      };
      if (order == NvdlaOrder::BandOuter) {
        for (int64_t b = 0; b < bands; ++b)
          for (int64_t c = 0; c < colTiles; ++c)
            for (int64_t kg = 0; kg < kernelGroups; ++kg)
              for (int64_t ct = 0; ct < channelTiles; ++ct) add(b, c, kg, ct);
      } else {
        for (int64_t kg = 0; kg < kernelGroups; ++kg)
          for (int64_t b = 0; b < bands; ++b) add(b, 0, kg, 0);
      }
    }
  return steps;
}

int64_t replayNvdlaCycles(const NvdlaSchedule& s) {
  // Lockstep double buffering, one step at a time: while step i computes, the DMA loads step
  // i+1's tiles and the write channel stores step i-1's outputs; a step ends when all three end.
  auto steps = s.expandSteps();
  if (steps.empty()) return 0;
  auto load = [&](const NvdlaSchedule::Step& st) {
    return s.readCycles(st.inputBytes + st.weightBytes);
  };
  int64_t t = load(steps[0]);
  for (size_t i = 0; i < steps.size(); ++i) {
    int64_t next = i + 1 < steps.size() ? load(steps[i + 1]) : 0;
    int64_t prevStore = i > 0 ? steps[i - 1].storeCycles : 0;
    t += std::max({steps[i].computeCycles, next, prevStore});
  }
  return t + steps.back().storeCycles + s.dramLatency;
}

namespace {

// Fills the layer view and blocking of a schedule (everything but the tiling).
void layerView(const Layer& l, const ArrayConfig& c, NvdlaSchedule& s) {
  s.atomK = c.atomK;
  s.atomC = c.atomC;
  s.dramBytesPerCycle = c.dramBytesPerCycle;
  s.dramLatency = c.dramLatencyCycles;
  s.pipelineDepth = c.pipelineDepth;
  s.outputBytes = c.outputBytes;
  const int64_t G = l.groups, Cg = l.channelsPerGroup(), Kg = l.kernelsPerGroup();
  s.groupsPerPass = 1;
  if (G > 1 && Cg <= c.atomC && Kg <= c.atomK)
    s.groupsPerPass = std::min({G, c.atomC / Cg, c.atomK / Kg});
  s.superGroups = ceilDiv(G, s.groupsPerPass);
  s.kernels = s.groupsPerPass * Kg;
  s.channels = s.groupsPerPass * Cg;
  if (l.op == OpType::Conv) {
    s.images = l.N, s.H = l.H, s.W = l.W, s.P = l.P(), s.Q = l.Q(), s.R = l.R, s.S = l.S;
    s.strideH = l.strideH, s.padTop = l.padH, s.dilationH = l.dilationH;
    s.strideW = l.strideW, s.padLeft = l.padW, s.dilationW = l.dilationW;
  } else {
    s.images = 1, s.H = l.gemmM(), s.W = 1, s.P = l.gemmM(), s.Q = 1, s.R = 1, s.S = 1;
    s.strideH = 1, s.padTop = 0, s.dilationH = 1;
  }
  s.channelBlocks = ceilDiv(s.channels, c.atomC);
  s.kernelGroups = ceilDiv(s.kernels, c.atomK);
  s.paddedChannels = s.channelBlocks * c.atomC;
  s.weightGroupBytes = c.atomK * s.R * s.S * s.paddedChannels;
  s.colTile = s.Q;
  s.colTiles = 1;
  s.channelTile = s.channelBlocks;
  s.channelTiles = 1;
}

int64_t bufferNeedInputPart(const NvdlaSchedule& s) {
  const int64_t blocks = s.superGroups * s.images;
  if (s.inputResident) return s.H * s.W * s.paddedChannels * (blocks > 1 ? 2 : 1);
  // Only tiles whose window starts inside the top/left padding are clipped; the first
  // unclipped one is as large as any later one (the last is smaller).
  int64_t maxRows = 0, maxCols = 0;
  const int64_t clippedRows = s.padTop == 0 ? 1 : s.padTop / (s.bandRows * s.strideH) + 1;
  for (int64_t b = 0; b < std::min<int64_t>(s.bands, clippedRows + 1); ++b)
    maxRows = std::max(maxRows, s.bandInputRows(b));
  const int64_t clippedCols = s.padLeft == 0 ? 1 : s.padLeft / (s.colTile * s.strideW) + 1;
  for (int64_t c = 0; c < std::min<int64_t>(s.colTiles, clippedCols + 1); ++c)
    maxCols = std::max(maxCols, s.colInputCols(c));
  const int64_t loads =
      s.bands * s.colTiles * blocks * (s.channelTiles > 1 ? s.kernelGroups * s.channelTiles : 1);
  return maxRows * maxCols * s.channelTile * s.atomC * (loads > 1 ? 2 : 1);
}

int64_t bufferNeedWeightPart(const NvdlaSchedule& s) {
  const int64_t tile = s.atomK * s.R * s.S * s.channelTile * s.atomC;
  return s.weightsResident ? s.kernelGroups * s.weightGroupBytes * (s.superGroups > 1 ? 2 : 1)
                           : tile * (s.kernelGroups * s.channelTiles * s.superGroups > 1 ? 2 : 1);
}

int64_t bufferNeed(const NvdlaSchedule& s) {
  return bufferNeedInputPart(s) + bufferNeedWeightPart(s);
}

}  // namespace

NvdlaPlanner::NvdlaPlanner(const Layer& layer, const ArrayConfig& config) {
  reset(layer, config);
}

void NvdlaPlanner::reset(const Layer& layer, const ArrayConfig& config) {
  memo_ = false;
  needSegment_.clear();
  base_ = NvdlaSchedule{};
  layerView(layer, config, base_);
  accDepthPixels_ = config.accDepthPixels;
  maxRowsByAcc_ = std::min(base_.P, config.accDepthPixels / base_.Q);
  work_ = base_;
  NvdlaSchedule once = base_;
  once.bandRows = once.P, once.bands = 1;
  compulsory_ = once.superGroups * once.images * once.bandInputBytes(0) +
                once.superGroups * once.kernelGroups * once.weightGroupBytes;
  // bufferNeed() <= 2 * H * W * Cpad (any input tile) + 2 * kgN * one group's weights.
  const __int128 saturation = 2 * __int128(base_.H) * base_.W * base_.paddedChannels +
                              2 * __int128(base_.kernelGroups) * base_.weightGroupBytes;
  saturationBytes_ = int64_t(std::min<__int128>(saturation, std::numeric_limits<int64_t>::max()));
  haveSaturated_ = false;
}

NvdlaPlanner::TilingKey NvdlaPlanner::keyOf(const NvdlaSchedule& s) {
  return {s.bandRows, s.colTile, s.channelTile,
          int(s.order == NvdlaOrder::KgOuter) | int(s.weightsResident) << 1 |
              int(s.inputResident) << 2};
}

void NvdlaPlanner::enableMemo() {
  memo_ = true;
  // Need memo: one lazily filled slot per probed value of each bisection: the whole-row
  // variants' input part (rows; shared, it does not depend on order or weight residency), and
  // per channel tile of the small-buffer search (columns, then rows). Skipped for huge ranges
  // (long GEMMs), where probes rarely meet.
  ++generation_;  // forgets every need and timing of the previous target
  timingCount_ = 0;
  needSegment_.clear();
  int64_t size = 0;
  auto segment = [&](int64_t values) {
    needSegment_.push_back(size);
    size += values + 1;
  };
  segment(std::max<int64_t>(maxRowsByAcc_, 0));
  const int64_t maxCols = std::min(base_.Q, accDepthPixels_);
  const int64_t maxRows = std::min(base_.P, accDepthPixels_ / base_.Q);
  for (int64_t cbT = base_.channelBlocks;; cbT = ceilDiv(cbT, 2)) {
    segment(maxCols);
    segment(maxRows);
    if (cbT == 1) break;
  }
  if (size > kMaxNeedMemo) {
    needSegment_.clear();
    return;
  }
  // Slots of an earlier generation count as not probed: no clearing.
  if (needMemo_.size() < size_t(size)) needMemo_.resize(size_t(size));
}

int64_t NvdlaPlanner::need(size_t segment, int64_t value, const NvdlaSchedule& s) {
  if (segment >= needSegment_.size()) return bufferNeed(s);
  NeedSlot& slot = needMemo_[size_t(needSegment_[segment] + value)];
  if (slot.generation != generation_) slot = {bufferNeed(s), generation_};
  return slot.need;
}

int64_t NvdlaPlanner::rowInputNeed(int64_t rows, const NvdlaSchedule& s) {
  if (needSegment_.empty()) return bufferNeedInputPart(s);
  NeedSlot& slot = needMemo_[size_t(needSegment_[0] + rows)];
  if (slot.generation != generation_) slot = {bufferNeedInputPart(s), generation_};
  return slot.need;
}

NvdlaTiming& NvdlaPlanner::timed(const NvdlaSchedule& s) {
  if (!memo_) {
    scratchTiming_ = nvdlaTraffic(s);
    scratchTiming_.cycles = -1;
    return scratchTiming_;
  }
  const TilingKey key = keyOf(s);
  if (timings_.empty() || 2 * (timingCount_ + 1) > timings_.size()) {  // grow, keep entries
    std::vector<TimedSlot> old = std::move(timings_);
    timings_.assign(std::max<size_t>(64, 2 * old.size()), TimedSlot{});
    timingCount_ = 0;
    for (const TimedSlot& e : old)
      if (e.generation == generation_) {
        size_t i = TilingHash()(e.key) & (timings_.size() - 1);
        while (timings_[i].generation == generation_) i = (i + 1) & (timings_.size() - 1);
        timings_[i] = e;
        ++timingCount_;
      }
  }
  size_t i = TilingHash()(key) & (timings_.size() - 1);
  while (timings_[i].generation == generation_ && !(timings_[i].key == key))
    i = (i + 1) & (timings_.size() - 1);
  TimedSlot& slot = timings_[i];
  if (slot.generation != generation_) {
    slot.key = key;
    slot.generation = generation_;
    slot.timing = nvdlaTraffic(s);
    slot.timing.cycles = -1;
    ++timingCount_;
  }
  return slot.timing;
}

bool NvdlaPlanner::plan(int64_t bufferBytes, NvdlaSchedule& out, NvdlaTiming& timing,
                        std::string* reason, int64_t cyclesCutoff) {
  auto fail = [&](std::string why) {
    if (reason) *reason = std::move(why);
    return false;
  };
  const bool saturated = bufferBytes >= saturationBytes_;
  if (memo_ && saturated && haveSaturated_) {
    out = saturated_;
    timing = saturatedTiming_;
    return true;
  }
  const NvdlaSchedule& base = base_;
  const int64_t maxRowsByAcc = maxRowsByAcc_;

  bool found = false;
  // The tiling fields of the best schedule so far (a whole NvdlaSchedule is ~300 bytes, and
  // copying it per variant and per improvement was a third of a plan).
  struct Tiling {
    NvdlaOrder order;
    bool weightsResident, inputResident;
    int64_t bandRows, bands, colTile, colTiles, channelTile, channelTiles, bufferNeedBytes;
  } best{};
  NvdlaTiming bestTiming{};
  // The schedule being probed: the layer view of base_, only its tiling fields change.
  NvdlaSchedule& s = work_;
  auto startTiling = [&](NvdlaOrder order, bool weightsResident, bool inputResident) {
    s.order = order;
    s.weightsResident = weightsResident, s.inputResident = inputResident;
    s.bandRows = base.bandRows, s.bands = base.bands;
    s.colTile = base.colTile, s.colTiles = base.colTiles;
    s.channelTile = base.channelTile, s.channelTiles = base.channelTiles;
    s.bufferNeedBytes = base.bufferNeedBytes;
  };
  struct Variant {
    NvdlaOrder order;
    bool weightsResident, inputResident;
  };
  const Variant variants[kVariants] = {
      {NvdlaOrder::BandOuter, true, false}, {NvdlaOrder::BandOuter, false, false},
      {NvdlaOrder::KgOuter, false, true},   {NvdlaOrder::KgOuter, false, false},
      {NvdlaOrder::KgOuter, true, true},
  };
  // s.bufferNeedBytes holds the need of s's tiling: every probe below stores it.
  auto consider = [&]() {
    if (s.bufferNeedBytes > bufferBytes) return;
    // Least DRAM traffic first (so a larger buffer never means more traffic), then cycles;
    // traffic is O(1), so only tilings that tie on it are timed.
    NvdlaTiming& known = timed(s);  // cycles -1 until timed
    if (found && known.dramReadBytes > bestTiming.dramReadBytes) return;
    // Above the cutoff the exact cycles do not matter: such a tiling wins only if every
    // tiling of its traffic is above the cutoff too, and then the caller discards the plan.
    NvdlaTiming t = known;
    if (known.cycles < 0 && cyclesCutoff != kAboveCutoff &&
        nvdlaTilingCyclesLowerBound(s, known) > cyclesCutoff) {
      t.cycles = kAboveCutoff;
    } else {
      if (known.cycles < 0) known.cycles = nvdlaTiming(s).cycles;
      t.cycles = known.cycles;
    }
    if (!found || t.dramReadBytes < bestTiming.dramReadBytes || t.cycles < bestTiming.cycles) {
      found = true;
      best = {s.order,   s.weightsResident, s.inputResident, s.bandRows,     s.bands,
              s.colTile, s.colTiles,        s.channelTile,   s.channelTiles, s.bufferNeedBytes};
      bestTiming = t;
    }
  };
  // Largest value in [1, hi] whose need fits (need grows with the value); 0 if none.
  auto largestFitting = [&](int64_t hi, auto&& needFor) -> int64_t {
    if (hi < 1 || needFor(1) > bufferBytes) return 0;
    int64_t lo = 1;
    while (lo < hi) {
      int64_t mid = (lo + hi + 1) / 2;
      if (needFor(mid) <= bufferBytes)
        lo = mid;
      else
        hi = mid - 1;
    }
    return lo;
  };
  for (int vi = 0; vi < kVariants; ++vi) {
    const Variant& v = variants[vi];
    if (maxRowsByAcc < 1) break;
    startTiling(v.order, v.weightsResident, v.inputResident);
    // bufferNeed() = input part + weight part; with whole rows and channels the weight part
    // does not depend on the band height, and a resident input's part neither.
    const int64_t weights = bufferNeedWeightPart(s);
    const int64_t residentInput = v.inputResident ? bufferNeedInputPart(s) : 0;
    // Largest band that fits (need grows with bandRows), then balanced bands.
    auto needFor = [&](int64_t rows) {
      s.bandRows = rows;
      s.bands = ceilDiv(s.P, rows);
      return s.bufferNeedBytes =
                 (v.inputResident ? residentInput : rowInputNeed(rows, s)) + weights;
    };
    int64_t lo = 1, hi = maxRowsByAcc;
    if (needFor(1) > bufferBytes) continue;
    // Start the bisection from the analytic answer for a double-buffered interior band
    // (rows*sh + effR input rows at most); one or two probes confirm it.
    {
      const int64_t rowBytes = s.W * s.paddedChannels;
      const int64_t avail = (bufferBytes - weights) / (2 * std::max<int64_t>(rowBytes, 1));
      const int64_t effR = s.dilationH * (s.R - 1) + 1;
      int64_t guess = s.strideH < effR ? (avail - effR) / s.strideH + 1 : avail / s.R;
      guess = std::clamp<int64_t>(guess, 1, hi);
      if (needFor(guess) <= bufferBytes) {
        lo = guess;
        if (guess < hi && needFor(guess + 1) > bufferBytes) hi = guess;
      } else {
        hi = guess - 1;
      }
    }
    while (lo < hi) {
      int64_t mid = (lo + hi + 1) / 2;
      if (needFor(mid) <= bufferBytes)
        lo = mid;
      else
        hi = mid - 1;
    }
    int64_t bands = ceilDiv(s.P, lo);
    needFor(ceilDiv(s.P, bands));
    consider();
  }
  // Small buffers: tile columns and channels too (BandOuter, nothing resident); channel tiles
  // halve until one column tile of one row fits. Needed when no whole-row band fits, and
  // worth trying whenever the whole-row tilings refetch data (a channel-tiled tall band can
  // move less). Skipped when the best already moves every byte exactly once.
  if (!found || bestTiming.dramReadBytes > compulsory_) {
    const int64_t maxCols = std::min(base.Q, accDepthPixels_);
    size_t segment = 1;
    for (int64_t cbT = base.channelBlocks;; cbT = ceilDiv(cbT, 2), segment += 2) {
      startTiling(NvdlaOrder::BandOuter, false, false);
      s.channelTile = cbT;
      s.channelTiles = ceilDiv(s.channelBlocks, cbT);
      s.bandRows = 1;
      s.bands = s.P;
      auto needForCols = [&](int64_t cols) {
        s.colTile = cols;
        s.colTiles = ceilDiv(s.Q, cols);
        return s.bufferNeedBytes = need(segment, cols, s);
      };
      int64_t qt = largestFitting(maxCols, needForCols);
      if (qt > 0) {
        needForCols(ceilDiv(s.Q, ceilDiv(s.Q, qt)));
        if (s.colTiles == 1) {  // whole rows fit: grow the band as far as the buffer allows
          auto needForRows = [&](int64_t rows) {
            s.bandRows = rows;
            s.bands = ceilDiv(s.P, rows);
            return s.bufferNeedBytes = need(segment + 1, rows, s);
          };
          int64_t rows = largestFitting(std::min(s.P, accDepthPixels_ / s.Q), needForRows);
          needForRows(ceilDiv(s.P, ceilDiv(s.P, std::max<int64_t>(rows, 1))));
        }
        consider();
      }
      if (cbT == 1) break;
    }
  }
  if (!found) {
    NvdlaSchedule smallest = base;
    smallest.bandRows = 1, smallest.bands = smallest.P;
    smallest.colTile = 1, smallest.colTiles = smallest.Q;
    smallest.channelTile = 1, smallest.channelTiles = smallest.channelBlocks;
    return fail(fmt::format(
        "buffer of {} bytes is below the smallest tile ({} bytes: one output pixel's window and "
        "one kernel group's weights of one channel block, double-buffered)",
        bufferBytes, bufferNeed(smallest)));
  }
  out = base;
  out.order = best.order;
  out.weightsResident = best.weightsResident, out.inputResident = best.inputResident;
  out.bandRows = best.bandRows, out.bands = best.bands;
  out.colTile = best.colTile, out.colTiles = best.colTiles;
  out.channelTile = best.channelTile, out.channelTiles = best.channelTiles;
  out.bufferNeedBytes = best.bufferNeedBytes;
  timing = bestTiming;
  if (memo_ && saturated && bestTiming.cycles <= cyclesCutoff) {  // else maybe not the plan
    haveSaturated_ = true;
    saturated_ = out;
    saturatedTiming_ = bestTiming;
  }
  return true;
}

bool planNvdla(const Layer& layer, const ArrayConfig& config, NvdlaSchedule& out,
               std::string* reason) {
  NvdlaTiming timing;
  return NvdlaPlanner(layer, config).plan(config.bufferBytes, out, timing, reason);
}

}  // namespace analects
