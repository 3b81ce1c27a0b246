// NVDLA-style schedule: the mapper (planNvdla), the step list and its replay.
#include "analects/costmodel/nvdla_schedule.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

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

// Input rows of the largest band: only bands whose window starts inside the top padding are
// clipped; the first unclipped one is as large as any later one (the last is smaller).
int64_t maxBandInputRows(const NvdlaSchedule& s) {
  int64_t maxRows = 0;
  const int64_t clippedRows = s.padTop == 0 ? 1 : s.padTop / (s.bandRows * s.strideH) + 1;
  for (int64_t b = 0; b < std::min<int64_t>(s.bands, clippedRows + 1); ++b)
    maxRows = std::max(maxRows, s.bandInputRows(b));
  return maxRows;
}

// Input columns of the largest column tile (W for whole rows), as maxBandInputRows().
int64_t maxColInputCols(const NvdlaSchedule& s) {
  int64_t maxCols = 0;
  const int64_t clippedCols = s.padLeft == 0 ? 1 : s.padLeft / (s.colTile * s.strideW) + 1;
  for (int64_t c = 0; c < std::min<int64_t>(s.colTiles, clippedCols + 1); ++c)
    maxCols = std::max(maxCols, s.colInputCols(c));
  return maxCols;
}

// The input part of bufferNeed() from the largest tile's input rows and columns.
int64_t inputNeed(const NvdlaSchedule& s, int64_t maxRows, int64_t maxCols) {
  const int64_t blocks = s.superGroups * s.images;
  const int64_t loads =
      s.bands * s.colTiles * blocks * (s.channelTiles > 1 ? s.kernelGroups * s.channelTiles : 1);
  return maxRows * maxCols * s.channelTile * s.atomC * (loads > 1 ? 2 : 1);
}

int64_t bufferNeedInputPart(const NvdlaSchedule& s) {
  const int64_t blocks = s.superGroups * s.images;
  if (s.inputResident) return s.H * s.W * s.paddedChannels * (blocks > 1 ? 2 : 1);
  return inputNeed(s, maxBandInputRows(s), maxColInputCols(s));
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

namespace {

// Balanced tile sizes ceil(n / k) for k = 1..n of at most maxSize, descending: the sizes a
// mapper that balances its tiles (size = ceil(n / ceil(n / largest fitting))) can end on.
// Stops early when add() returns false.
template <typename Add>
void balancedSizes(int64_t n, int64_t maxSize, Add&& add) {
  if (maxSize < 1) return;
  int64_t size = ceilDiv(n, ceilDiv(n, maxSize));
  for (;;) {
    if (!add(size) || size == 1) break;
    size = ceilDiv(n, ceilDiv(n, size - 1));  // the next smaller balanced size
  }
}

// The tallest band the mapper may propose: the accumulator holds bandRows x Q pixels, and the
// RTL's counters and DMA bound it too (nvdlaRtlMaxBandRows; geometry only, like the lists' key).
int64_t maxBandRows(const NvdlaSchedule& s, int64_t accDepthPixels) {
  return std::min({s.P, accDepthPixels / s.Q, nvdlaRtlMaxBandRows(s)});
}

std::array<int64_t, 16> geometryKey(const NvdlaSchedule& s, int64_t accDepthPixels) {
  return {s.H,       s.W,       s.P,         s.Q,       s.R,       s.S,
          s.strideH, s.padTop,  s.dilationH, s.strideW, s.padLeft, s.dilationW,
          accDepthPixels, 0, 0, 1};
}

}  // namespace

bool NvdlaTileCandidates::sameGeometry(const NvdlaSchedule& base, int64_t accDepthPixels) const {
  return key_ == geometryKey(base, accDepthPixels);
}

void NvdlaTileCandidates::build(const NvdlaSchedule& base, int64_t accDepthPixels) {
  key_ = geometryKey(base, accDepthPixels);
  NvdlaSchedule s = base;  // whole rows and channels
  s.colTile = s.Q, s.colTiles = 1;
  rows.clear();
  balancedSizes(s.P, maxBandRows(s, accDepthPixels), [&](int64_t r) {
    s.bandRows = r, s.bands = ceilDiv(s.P, r);
    rows.push_back({r, s.bands, maxBandInputRows(s)});
    return true;
  });
  std::reverse(rows.begin(), rows.end());
  s.bandRows = 1, s.bands = s.P;
  oneRow = {1, s.P, maxBandInputRows(s)};
  cols.clear();
  balancedSizes(s.Q, std::min(s.Q, accDepthPixels), [&](int64_t c) {
    s.colTile = c, s.colTiles = ceilDiv(s.Q, c);
    cols.push_back({c, s.colTiles, maxColInputCols(s)});
    return true;
  });
  std::reverse(cols.begin(), cols.end());
  const bool wholeRows = !rows.empty() && !cols.empty() && cols.back().size == s.Q;
  narrow = cols.size() - (wholeRows ? 1 : 0);
  tiled = narrow + (wholeRows ? rows.size() : 0);
  tiledArea.clear();
  for (size_t k = 0; k < narrow; ++k) tiledArea.push_back(oneRow.maxIn * cols[k].maxIn);
  if (wholeRows)
    for (const Tile& r : rows) tiledArea.push_back(r.maxIn * s.W);
  auto suffixMin = [](std::vector<int64_t>& out, size_t n, auto&& at) {
    out.assign(n > 0 ? n - 1 : 0, 0);
    for (size_t k = out.size(); k-- > 0;)
      out[k] = k + 1 < out.size() ? std::min(at(k), out[k + 1]) : at(k);
  };
  suffixMin(rowsSuffixMin, rows.size(), [&](size_t k) { return rows[k].maxIn; });
  suffixMin(tiledSuffixMin, tiled, [&](size_t k) { return tiledArea[k]; });
}

void NvdlaTileCandidates::build(const Layer& layer, const ArrayConfig& config) {
  NvdlaSchedule s;
  layerView(layer, config, s);
  if (!sameGeometry(s, config.accDepthPixels)) build(s, config.accDepthPixels);
}

NvdlaPlanner::NvdlaPlanner(const Layer& layer, const ArrayConfig& config,
                           const NvdlaTileCandidates* shared) {
  reset(layer, config, shared);
}

void NvdlaPlanner::reset(const Layer& layer, const ArrayConfig& config,
                         const NvdlaTileCandidates* shared) {
  memo_ = false;
  base_ = NvdlaSchedule{};
  layerView(layer, config, base_);
  accDepthPixels_ = config.accDepthPixels;
  rtlLimit_ = nvdlaRtlLayerLimits(base_);  // plan() reports it for every buffer
  shared_ = shared && shared->sameGeometry(base_, accDepthPixels_) ? shared : nullptr;
  listed_ = shared_ || own_.sameGeometry(base_, accDepthPixels_);
  if (!listed_) {
    // The lists' top entries (NvdlaTileCandidates::build's last rows and cols entries).
    geometry_ = base_;
    const int64_t P = base_.P, Q = base_.Q;
    const int64_t rowsMax = maxBandRows(base_, accDepthPixels_),
                  colsMax = std::min(Q, accDepthPixels_);
    haveRows_ = rowsMax >= 1;
    if (haveRows_) rowsTop_ = rowTile(ceilDiv(P, ceilDiv(P, rowsMax)));
    colsTop_ =
        colsMax >= 1 ? colTile(ceilDiv(Q, ceilDiv(Q, colsMax))) : NvdlaTileCandidates::Tile{};
    wholeRows_ = haveRows_ && colsMax >= 1 && colsTop_.size == Q;
    haveOneRow_ = false;
  }
  work_ = base_;
  NvdlaSchedule once = base_;
  once.bandRows = once.P, once.bands = 1;
  compulsory_ = once.superGroups * once.images * once.bandInputBytes(0) +
                once.superGroups * once.kernelGroups * once.weightGroupBytes;
  minInputRows_ = once.bandInputRows(0);  // nvdlaMinInputRows(base_)
  minInputCols_ = nvdlaMinInputCols(base_);
  // bufferNeed() <= 2 * H * W * Cpad (any input tile) + 2 * kgN * one group's weights.
  const __int128 saturation = 2 * __int128(base_.H) * base_.W * base_.paddedChannels +
                              2 * __int128(base_.kernelGroups) * base_.weightGroupBytes;
  saturationBytes_ = int64_t(std::min<__int128>(saturation, std::numeric_limits<int64_t>::max()));
  haveSaturated_ = false;
  haveLast_ = false;
  // The families plan() may meet: the whole-row variants and one per channel tile (cbN,
  // ceil(cbN / 2), ..., 1); a single plan proposes at most one tiling each.
  size_t families = kVariants;
  for (int64_t cbT = base_.channelBlocks;; cbT = ceilDiv(cbT, 2)) {
    ++families;
    if (cbT <= 1) break;
  }
  if (families_.size() < families) families_.resize(families);
}

NvdlaTileCandidates::Tile NvdlaPlanner::rowTile(int64_t size) {
  geometry_.bandRows = size, geometry_.bands = ceilDiv(geometry_.P, size);
  geometry_.colTile = geometry_.Q, geometry_.colTiles = 1;
  return {size, geometry_.bands, maxBandInputRows(geometry_)};
}

NvdlaTileCandidates::Tile NvdlaPlanner::colTile(int64_t size) {
  geometry_.colTile = size, geometry_.colTiles = ceilDiv(geometry_.Q, size);
  return {size, geometry_.colTiles, maxColInputCols(geometry_)};
}

const NvdlaTileCandidates::Tile& NvdlaPlanner::oneRow() {
  if (!haveOneRow_) {
    oneRow_ = rowTile(1);
    haveOneRow_ = true;
  }
  return oneRow_;
}

void NvdlaPlanner::enableMemo() {
  memo_ = true;
  if (!listed_) {
    if (!own_.sameGeometry(base_, accDepthPixels_)) own_.build(base_, accDepthPixels_);
    listed_ = true;
  }
  ++generation_;  // forgets every family's figures and pick of the previous target
  haveLast_ = false;
}

void NvdlaPlanner::Tiling::applyTo(NvdlaSchedule& s) const {
  s.order = order;
  s.weightsResident = weightsResident, s.inputResident = inputResident;
  s.bandRows = bandRows, s.bands = bands;
  s.colTile = colTile, s.colTiles = colTiles;
  s.channelTile = channelTile, s.channelTiles = channelTiles;
  s.bufferNeedBytes = bufferNeedBytes;
}

bool NvdlaPlanner::plan(int64_t bufferBytes, NvdlaSchedule& out, NvdlaTiming& timing,
                        std::string* reason, int64_t cyclesCutoff) {
  Tiling tiling;
  if (!plan(bufferBytes, tiling, timing, reason, cyclesCutoff)) return false;
  out = base_;
  tiling.applyTo(out);
  return true;
}

bool NvdlaPlanner::plan(int64_t bufferBytes, Tiling& out, NvdlaTiming& timing, std::string* reason,
                        int64_t cyclesCutoff) {
  auto fail = [&](std::string why) {
    if (reason) *reason = std::move(why);
    return false;
  };
  // The RTL cannot run this layer on this array shape with any tiling.
  if (!rtlLimit_.empty()) return reason ? fail(rtlLimit_) : false;
  const bool saturated = bufferBytes >= saturationBytes_;
  if (memo_ && saturated && haveSaturated_) {
    out = saturated_;
    timing = saturatedTiming_;
    return true;
  }
  // The previous plan holds up to lastValidUpTo_ (no family's pick changes before): reuse it
  // when it was exact (its cycles at most its cutoff) or this cutoff is no higher (then the
  // exact plan is above this cutoff too, and so is what it returned).
  if (memo_ && haveLast_ && bufferBytes >= lastBuffer_ && bufferBytes <= lastValidUpTo_ &&
      (lastTiming_.cycles <= lastCutoff_ || cyclesCutoff <= lastCutoff_)) {
    out = last_;
    timing = lastTiming_;
    return true;
  }
  haveLast_ = false;
  constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
  // The smallest buffer above this one at which some family's pick changes (memo only): each
  // family takes the last entry of its list whose need fits, so its pick changes only when the
  // buffer reaches the need of an entry above it.
  int64_t nextChange = kNever;
  // Below the top of a list: entry k (or none, k = -1) was the last one with suffixMin <= most,
  // most = (buffer - weights) / unit; a later one fits once most reaches suffixMin[k + 1].
  auto changeBelowTop = [&](size_t n, const std::vector<int64_t>& suffixMin, ptrdiff_t k,
                            int64_t weights, int64_t unit) {
    if (n < 2 || size_t(k + 1) > n - 2) return kNever;
    const __int128 bytes = __int128(weights) + __int128(suffixMin[size_t(k + 1)]) * unit;
    return int64_t(std::min<__int128>(bytes, kNever));
  };
  const NvdlaSchedule& base = base_;

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
  static constexpr Variant variants[kVariants] = {
      {NvdlaOrder::BandOuter, true, false}, {NvdlaOrder::BandOuter, false, false},
      {NvdlaOrder::KgOuter, false, true},   {NvdlaOrder::KgOuter, false, false},
      {NvdlaOrder::KgOuter, true, true},
  };
  // Each family below proposes one tiling (its pick); the mapper keeps the least DRAM traffic
  // (so a larger buffer never means more traffic), then the fewest cycles, then the first
  // proposed. Traffic is O(1), so the picks are collected first and only those of the least
  // traffic are timed. s.bufferNeedBytes holds the need of s's tiling.
  std::vector<TimedSlot*>& picks = picks_;
  picks.clear();
  bool found = false;
  int64_t leastTraffic = 0;
  auto propose = [&](TimedSlot* x) {
    picks.push_back(x);
    const int64_t traffic = x->timing.dramReadBytes;
    if (!found || traffic < leastTraffic) leastTraffic = traffic;
    found = true;
  };
  // The list entries of s's band height and column tile (null column tile: whole rows), whose
  // input sums the traffic reads; none without the lists (a single plan's entries are made on
  // the fly and not kept).
  const NvdlaTileCandidates::Tile *rowsEntry = nullptr, *colsEntry = nullptr;
  // The tiling setTiling() puts in s (with its list entries), with its traffic (cycles -1 until
  // timed), into the family's slot.
  auto setUp = [&](TimedSlot& x, const Family& f, auto&& setTiling) {
    setTiling();
    if (!rowsEntry) {
      x.timing = nvdlaTraffic(s);
    } else {
      if (rowsEntry->total < 0) rowsEntry->total = nvdlaInputRowsTotal(s);
      if (colsEntry && colsEntry->total < 0) colsEntry->total = nvdlaInputColsTotal(s);
      x.timing =
          f.traffic.of(rowsEntry->total, colsEntry ? colsEntry->total : s.W, s.bands * s.colTiles);
    }
    x.timing.cycles = -1;
    x.tiling =
        Tiling{s.order,   s.weightsResident, s.inputResident, s.bandRows,     s.bands,
               s.colTile, s.colTiles,        s.channelTile,   s.channelTiles, s.bufferNeedBytes};
    return true;
  };
  // A family's figures (Family): computed by compute(), which may use s, once per memo
  // generation (every plan without the memo).
  auto family = [&](size_t index, auto&& compute) -> Family& {
    Family& f = families_[index];
    if (!memo_ || f.generation != generation_) {
      compute(f);
      f.generation = generation_;
      f.pickFrom = 1, f.pickUpTo = 0;  // no pick kept yet
    }
    return f;
  };
  // With the memo, a family's pick is kept (with its cycles once timed) for the buffers it
  // holds for, [the buffer it was made at, the buffer before its next change]: a plan for
  // another buffer in that range proposes it again without a lookup. pickOf() sets up the
  // family's pick in its slot (false: none) and gives its next change.
  auto proposeFamily = [&](Family& f, auto&& pickOf) {
    if (memo_ && bufferBytes >= f.pickFrom && bufferBytes <= f.pickUpTo) {
      nextChange = std::min(nextChange, f.pickUpTo + 1);
      if (f.hasPick) propose(&f.slot);
      return;
    }
    int64_t change = kNever;
    f.hasPick = pickOf(change);
    if (memo_) {
      f.pickFrom = bufferBytes;
      f.pickUpTo = change - 1;  // change > bufferBytes >= 1
      nextChange = std::min(nextChange, change);
    }
    if (f.hasPick) propose(&f.slot);
  };
  // Every family of tilings below is a list of candidates, smallest first; the mapper takes
  // the last one whose need fits the buffer (largest band, widest column tile), scanning from
  // the top. The lists and their largest tiles' input rows do not depend on the buffer.
  const NvdlaTileCandidates& candidates = tiles();
  using Tile = NvdlaTileCandidates::Tile;
  // With the lists (shared, or built for the memo): the top entries are their last ones.
  const bool haveRows = listed_ ? !candidates.rows.empty() : haveRows_;
  const Tile rowsTop = listed_ ? (haveRows ? candidates.rows.back() : Tile{}) : rowsTop_;
  const size_t rowsCount = listed_ ? candidates.rows.size() : 0;
  // The last entry below a list's top whose input tile size is at most `most` (-1 if none), by
  // bisection over the suffix minima of the sizes below the top (NvdlaTileCandidates).
  auto lastBelowTop = [&](size_t n, const std::vector<int64_t>& suffixMin,
                          int64_t most) -> ptrdiff_t {
    if (n < 2 || suffixMin[0] > most) return -1;
    // Suffix minima ascend: the entries <= most are a prefix of [0, n - 2]. The answer stays in
    // [pos, pos + len - 1] with suffixMin[pos] <= most; the step is a conditional move, not a
    // branch (a bisection's branches are coin flips to the predictor).
    const int64_t* sizes = suffixMin.data();
    size_t pos = 0, len = n - 1;
    while (len > 1) {
      const size_t half = len / 2;
      pos = sizes[pos + half] <= most ? pos + half : pos;
      len -= half;
    }
    return ptrdiff_t(pos);
  };
  // Without the lists: the same entry, scanning the balanced band heights down from the top.
  auto rowBelowTop = [&](int64_t most, Tile& entry) {
    bool top = true, hit = false;
    balancedSizes(base.P, rowsTop.size, [&](int64_t r) {
      if (std::exchange(top, false)) return true;
      entry = rowTile(r);
      hit = entry.maxIn <= most;
      return !hit;
    });
    return hit;
  };
  for (int vi = 0; vi < kVariants && haveRows; ++vi) {  // none if not one output row fits
    const Variant& v = variants[vi];
    // bufferNeed() = input part + weight part; with whole rows and channels the weight part
    // does not depend on the band height, and a resident input's part neither. needOf() puts
    // band height r in s (after startTiling()) and returns its need.
    auto needOf = [&](const Family& f, const Tile& r) {
      s.bandRows = r.size, s.bands = r.count;
      return s.bufferNeedBytes =
                 (v.inputResident ? f.residentInput : inputNeed(s, r.maxIn, s.W)) + f.weights;
    };
    Family& f = family(size_t(vi), [&](Family& x) {
      startTiling(v.order, v.weightsResident, v.inputResident);
      x.weights = bufferNeedWeightPart(s);
      x.residentInput = v.inputResident ? bufferNeedInputPart(s) : 0;
      x.unit = 2 * s.W * s.paddedChannels;
      x.floor = nvdlaReadBytesLowerBound(s, minInputRows_, s.W);
      x.traffic = nvdlaTrafficTerms(s);
      x.topNeed = needOf(x, rowsTop);
    });
    // None of its tilings can move as little as a proposal so far, for this buffer and every
    // one up to nextChange (the proposals so far do not change before).
    if (found && leastTraffic < f.floor) continue;
    // The family's pick: the top (the tallest band) if it fits; else, unless the input is
    // resident (then the need is the same for every band height), the last fitting entry below.
    proposeFamily(f, [&](int64_t& change) {
      size_t k = rowsCount - 1;
      const Tile* entry = &rowsTop;
      Tile scanned;
      if (f.topNeed > bufferBytes) {
        // The last fitting entry below the top (with the lists; the memo always has them).
        const ptrdiff_t below = !listed_ || v.inputResident || bufferBytes < f.weights
                                    ? -1
                                    : lastBelowTop(rowsCount, candidates.rowsSuffixMin,
                                                   (bufferBytes - f.weights) / f.unit);
        if (memo_) {
          change = f.topNeed;
          if (!v.inputResident)
            change = std::min(change, changeBelowTop(rowsCount, candidates.rowsSuffixMin, below,
                                                     f.weights, f.unit));
        }
        if (v.inputResident || bufferBytes < f.weights) return false;
        if (listed_) {
          if (below < 0) return false;
          k = size_t(below);
          entry = &candidates.rows[k];
        } else {
          if (!rowBelowTop((bufferBytes - f.weights) / f.unit, scanned)) return false;
          entry = &scanned;
        }
      }
      return setUp(f.slot, f, [&] {
        startTiling(v.order, v.weightsResident, v.inputResident);
        needOf(f, *entry);
        if (listed_) rowsEntry = &candidates.rows[k], colsEntry = nullptr;
      });
    });
  }
  // Small buffers: tile columns and channels too (BandOuter, nothing resident); channel tiles
  // halve until one column tile of one row fits. Needed when no whole-row band fits, and
  // worth trying whenever the whole-row tilings refetch data (a channel-tiled tall band can
  // move less). Skipped when the best already moves every byte exactly once. Candidates per
  // channel tile: one-row bands of the column tiles narrower than a row, then whole-row bands
  // of every height (when a whole row fits the accumulator).
  const bool wholeRows = listed_ ? candidates.tiled > candidates.narrow : wholeRows_;
  const bool haveTiled = listed_ ? candidates.tiled > 0 : wholeRows_ || colsTop_.size > 0;
  if ((!found || leastTraffic > compulsory_) && haveTiled) {
    const auto& cols = candidates.cols;
    const size_t narrow = candidates.narrow, tiled = candidates.tiled;
    // An entry of the list: a whole-row band height (columns false) or a column tile of
    // one-row bands.
    auto needOf = [&](const Tile& t, bool columns, int64_t weights) {
      if (!columns) {
        s.bandRows = t.size, s.bands = t.count;
        s.colTile = base.Q, s.colTiles = 1;
        return s.bufferNeedBytes = inputNeed(s, t.maxIn, s.W) + weights;
      }
      s.bandRows = 1, s.bands = s.P;
      s.colTile = t.size, s.colTiles = t.count;
      return s.bufferNeedBytes =
                 inputNeed(s, listed_ ? candidates.oneRow.maxIn : oneRow().maxIn, t.maxIn) +
                 weights;
    };
    // Without the lists: scan down from the top, band heights (when a whole row fits) then
    // the column tiles narrower than a row.
    auto tiledBelowTop = [&](int64_t most, Tile& entry, bool& columns) {
      bool top = true, hit = false;
      if (wholeRows_) {
        columns = false;
        balancedSizes(base.P, rowsTop.size, [&](int64_t r) {
          if (std::exchange(top, false)) return true;
          entry = rowTile(r);
          hit = entry.maxIn * base.W <= most;
          return !hit;
        });
        if (hit) return true;
      }
      columns = true;
      const int64_t oneRowIn = oneRow().maxIn;
      top = true;  // whole rows' column tile (Q), or the top of the narrow ones
      balancedSizes(base.Q, colsTop_.size, [&](int64_t c) {
        if (std::exchange(top, false)) return true;
        entry = colTile(c);
        hit = oneRowIn * entry.maxIn <= most;
        return !hit;
      });
      return hit;
    };
    const bool topColumns = !wholeRows;
    const Tile tiledTop = listed_ ? (wholeRows ? candidates.rows.back() : cols[narrow - 1])
                                  : (wholeRows ? rowsTop : colsTop_);
    size_t index = kVariants;  // this channel tile's family
    for (int64_t cbT = base.channelBlocks;; cbT = ceilDiv(cbT, 2), ++index) {
      auto startChannelTiling = [&] {
        startTiling(NvdlaOrder::BandOuter, false, false);
        s.channelTile = cbT;
        s.channelTiles = ceilDiv(s.channelBlocks, cbT);
      };
      Family& f = family(index, [&](Family& x) {
        startChannelTiling();
        x.weights = bufferNeedWeightPart(s);
        x.unit = 2 * cbT * s.atomC;
        x.floor = nvdlaReadBytesLowerBound(s, minInputRows_, minInputCols_);
        x.traffic = nvdlaTrafficTerms(s);
        x.topNeed = needOf(tiledTop, topColumns, x.weights);
      });
      // As for the whole-row families; split channels (cbT < cbN) refetch each band's input
      // per kernel group, and their floors are all the same: none of the rest can win either.
      const bool beaten = found && leastTraffic < f.floor;
      if (beaten && cbT < base.channelBlocks) break;
      // As for the whole-row families: the top if it fits, else the last fitting entry below.
      if (!beaten)
        proposeFamily(f, [&](int64_t& change) {
          bool columns = topColumns;
          size_t k = tiled - 1;
          const Tile* entry = &tiledTop;
          Tile scanned;
          if (f.topNeed > bufferBytes) {
            // The last fitting entry below the top (with the lists; the memo always has them).
            const ptrdiff_t below = !listed_ || bufferBytes < f.weights
                                        ? -1
                                        : lastBelowTop(tiled, candidates.tiledSuffixMin,
                                                       (bufferBytes - f.weights) / f.unit);
            if (memo_)
              change = std::min(f.topNeed, changeBelowTop(tiled, candidates.tiledSuffixMin, below,
                                                          f.weights, f.unit));
            if (bufferBytes < f.weights) return false;
            if (listed_) {
              if (below < 0) return false;
              k = size_t(below);
              columns = k < narrow;
              entry = columns ? &cols[k] : &candidates.rows[k - narrow];
            } else {
              if (!tiledBelowTop((bufferBytes - f.weights) / f.unit, scanned, columns))
                return false;
              entry = &scanned;
            }
          }
          return setUp(f.slot, f, [&] {
            startChannelTiling();
            needOf(*entry, columns, f.weights);
            if (listed_) {
              rowsEntry = k >= narrow ? &candidates.rows[k - narrow] : &candidates.oneRow;
              colsEntry = k >= narrow ? nullptr : &cols[k];
            }
          });
        });
      if (cbT == 1) break;
    }
  }
  if (!found) {
    if (!reason) return false;  // the batched configFor only asks whether this shape fits
    NvdlaSchedule smallest = base;
    smallest.bandRows = 1, smallest.bands = smallest.P;
    smallest.colTile = 1, smallest.colTiles = smallest.Q;
    smallest.channelTile = 1, smallest.channelTiles = smallest.channelBlocks;
    return fail(fmt::format(
        "buffer of {} bytes is below the smallest tile ({} bytes: one output pixel's window and "
        "one kernel group's weights of one channel block, double-buffered)",
        bufferBytes, bufferNeed(smallest)));
  }
  // Time the picks of the least traffic, in order. Above the cutoff the exact cycles do not
  // matter: such a tiling wins only if every tiling of its traffic is above the cutoff too,
  // and then the caller discards the plan; one whose bound is at or above the best so far cannot
  // win (a tie goes to the earlier proposal).
  // A slot keeps its exact cycles (a scratch slot is not read again).
  bool chosen = false;
  const TimedSlot* best = nullptr;
  NvdlaTiming bestTiming{};
  for (TimedSlot* p : picks) {
    if (p->timing.dramReadBytes != leastTraffic) continue;
    NvdlaTiming t = p->timing;
    if (t.cycles < 0) {
      p->tiling.applyTo(s);
      const bool bounded = cyclesCutoff != kAboveCutoff || chosen;
      const int64_t bound = bounded ? nvdlaTilingCyclesLowerBound(s, t) : 0;
      if (cyclesCutoff != kAboveCutoff && bound > cyclesCutoff) {
        t.cycles = kAboveCutoff;
      } else if (chosen && bound >= bestTiming.cycles) {
        continue;  // cycles >= bound >= best, and the best was proposed first
      } else {
        t.cycles = p->timing.cycles = nvdlaCycles(s);
      }
    }
    if (!chosen || t.cycles < bestTiming.cycles) {
      chosen = true;
      best = p;
      bestTiming = t;
    }
  }
  out = best->tiling;
  timing = bestTiming;
  if (memo_) {
    haveLast_ = true;
    last_ = out;
    lastTiming_ = bestTiming;
    lastBuffer_ = bufferBytes;
    lastValidUpTo_ = nextChange - 1;
    lastCutoff_ = cyclesCutoff;
  }
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
