// EyerissSchedule: tile extents, the work of one step (closed form per tile), the step and pass
// expansions the RTL controller runs, the step-by-step replay, and the closed-form timing.
// Formulas: costmodel/docs/eyeriss.md (section names in brackets below).
#include "analects/costmodel/eyeriss_schedule.h"

#include <algorithm>

#include "eyeriss_planner.h"

namespace analects {

namespace {

// a >= 0, b > 0
int64_t ceilDiv(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}
// any a, b > 0
int64_t floorDiv(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

}  // namespace

// ---- Tile extents [GLB tiles] ----------------------------------------------------------------

int64_t EyerissSchedule::groupsAt(int64_t gt) const {
  return gt == groupTiles - 1 ? groups - gt * tileGroups : tileGroups;
}
int64_t EyerissSchedule::kernelsAt(int64_t kt) const {
  return kt == kernelTiles - 1 ? groupKernels - kt * tileKernels : tileKernels;
}
int64_t EyerissSchedule::channelsAt(int64_t ct) const {
  return ct == channelTiles - 1 ? groupChannels - ct * tileChannels : tileChannels;
}
int64_t EyerissSchedule::outRowsAt(int64_t et) const {
  return et == rowTiles - 1 ? P - et * tileRows : tileRows;
}
int64_t EyerissSchedule::inRowFirstAt(int64_t et) const {
  return std::clamp<int64_t>(et * tileRows * strideH - padTop, 0, H);
}
int64_t EyerissSchedule::inRowsAt(int64_t et) const {
  // The contiguous span of padded rows lo .. hi - 1, clipped to [0, H).
  const int64_t lo = et * tileRows * strideH - padTop;
  const int64_t hi = lo + (outRowsAt(et) - 1) * strideH + effR();
  return std::max<int64_t>(0, std::min(H, hi) - std::max<int64_t>(0, lo));
}

int64_t EyerissSchedule::inRowsMax(int64_t outRows) const {
  return std::min(H, (outRows - 1) * strideH + effR());
}

int64_t EyerissSchedule::inRowsTotal() const {
  // Full tiles e < rowTiles-1 have windows [lo_e, lo_e + F), lo_e = e*T - pad, clipped to
  // [0, H); the sum splits into arithmetic series where the clipping is constant.
  const int64_t T = tileRows * strideH, F = (tileRows - 1) * strideH + effR(), a = padTop;
  const int64_t n = rowTiles - 1;
  auto series = [&](int64_t x, int64_t y, int64_t b) -> int64_t {  // sum_{e=x}^{y-1} (e*T + b)
    if (y <= x) return 0;
    return T * ((x + y - 1) * (y - x) / 2) + b * (y - x);
  };
  const int64_t eA = std::max<int64_t>(0, floorDiv(a - F, T) + 1);  // window ends inside
  const int64_t eB = std::min(n, -floorDiv(-(H + a), T));           // window starts inside
  int64_t total = 0;
  if (eA < eB) {
    const int64_t eH = std::clamp(-floorDiv(-(H + a - F), T), eA, eB);  // end clipped from eH
    const int64_t eZ = std::clamp(floorDiv(a, T) + 1, eA, eB);          // start >= 0 from eZ
    total += series(eA, eH, F - a) + H * (eB - eH);
    total -= series(eZ, eB, -a);
  }
  return total + inRowsAt(rowTiles - 1);
}

// ---- Work of one step [Passes] ---------------------------------------------------------------

int64_t EyerissSchedule::passCycles() const {
  const int64_t pqS = kernelsPerPe * channelsPerPe * S;
  return pqS + Q * (pqS + kernelsPerPe) + channelsPerPe * chain * (S + (Q - 1) * shiftTaps());
}
int64_t EyerissSchedule::kernelBlocksOf(int64_t kernels) const {
  return ceilDiv(kernels, kernelsPerPe);
}
int64_t EyerissSchedule::channelGroupsOf(int64_t channels) const {
  return ceilDiv(ceilDiv(channels, channelsPerPe), chain);
}
int64_t EyerissSchedule::stripGroupsOf(int64_t outRows) const {
  return ceilDiv(ceilDiv(outRows, stripRows), stacks);
}
int64_t EyerissSchedule::filterTileBytes(int64_t g, int64_t k, int64_t c) const {
  return g * k * channelGroupsOf(c) * rFolds * channelsPerPe * S * rows;
}
int64_t EyerissSchedule::storeTileBytes(int64_t g, int64_t k, int64_t outRows) const {
  return g * k * stripGroupsOf(outRows) * Q * cols * outputBytes;
}

EyerissSchedule::TileWork EyerissSchedule::tileWork(int64_t g, int64_t k, int64_t c,
                                                    int64_t outRows) const {
  TileWork w;
  w.passes = g * kernelBlocksOf(k) * stripGroupsOf(outRows) * channelGroupsOf(c) * rFolds;
  const int64_t pqS = kernelsPerPe * channelsPerPe * S;
  w.spadLoadCycles = w.passes * pqS;
  w.macCycles = w.passes * Q * pqS;
  w.drainCycles = w.passes * Q * kernelsPerPe;
  w.feedCycles = w.passes * channelsPerPe * chain * (S + (Q - 1) * shiftTaps());
  return w;
}

// ---- Expansions (what the controller executes) -----------------------------------------------

std::vector<EyerissSchedule::Step> EyerissSchedule::expandSteps() const {
  std::vector<Step> steps;
  steps.reserve(size_t(stepCount()));
  for (int64_t gt = 0; gt < groupTiles; ++gt)
    for (int64_t kt = 0; kt < kernelTiles; ++kt)
      for (int64_t n = 0; n < images; ++n)
        for (int64_t et = 0; et < rowTiles; ++et)
          for (int64_t ct = 0; ct < channelTiles; ++ct) {
            Step st;
            st.groupTile = gt, st.kernelTile = kt, st.image = n, st.rowTile = et;
            st.channelTile = ct;
            st.groups = groupsAt(gt), st.kernels = kernelsAt(kt);
            st.channels = channelsAt(ct), st.outRows = outRowsAt(et);
            st.inRowFirst = inRowFirstAt(et), st.inRows = inRowsAt(et);
            // A tile is fetched when it differs from the one the previous step used.
            bool first = steps.empty();
            const Step* prev = first ? nullptr : &steps.back();
            bool newFilter =
                first || prev->groupTile != gt || prev->kernelTile != kt || prev->channelTile != ct;
            bool newIfmap = first || prev->groupTile != gt || prev->image != n ||
                            prev->rowTile != et || prev->channelTile != ct;
            if (newFilter) st.filterBytes = filterTileBytes(st.groups, st.kernels, st.channels);
            if (newIfmap) st.ifmapBytes = ifmapTileBytes(st.groups, st.channels, st.inRows);
            if (ct == channelTiles - 1)
              st.storeBytes = storeTileBytes(st.groups, st.kernels, st.outRows);
            st.work = tileWork(st.groups, st.kernels, st.channels, st.outRows);
            steps.push_back(st);
          }
  return steps;
}

std::vector<EyerissSchedule::Pass> EyerissSchedule::expandPasses(const Step& st) const {
  const int64_t p = kernelsPerPe, q = channelsPerPe;
  const int64_t kbN = kernelBlocksOf(st.kernels), sgN = stripGroupsOf(st.outRows);
  const int64_t cgN = channelGroupsOf(st.channels);
  const int64_t pqS = p * q * S;
  std::vector<Pass> passes;
  for (int64_t gl = 0; gl < st.groups; ++gl)
    for (int64_t kb = 0; kb < kbN; ++kb)
      for (int64_t sg = 0; sg < sgN; ++sg)
        for (int64_t cg = 0; cg < cgN; ++cg)
          for (int64_t rf = 0; rf < rFolds; ++rf) {
            Pass ps;
            ps.group = gl, ps.block = kb, ps.stripGroup = sg, ps.channelGroup = cg, ps.rFold = rf;
            ps.kernels = std::min(p, st.kernels - kb * p);
            ps.channels = std::min(q * chain, st.channels - cg * q * chain);
            ps.outRows = std::min(stacks * stripRows, st.outRows - sg * stacks * stripRows);
            ps.filterRows = std::min(setRows, R - rf * setRows);
            ps.spadLoadCycles = pqS;
            ps.feedCycles = q * chain * (S + (Q - 1) * shiftTaps());
            ps.macCycles = Q * pqS;
            ps.drainCycles = Q * p;
            passes.push_back(ps);
          }
  return passes;
}

// ---- Replay [Timing] -------------------------------------------------------------------------

EyerissTiming replayEyeriss(const EyerissSchedule& s) {
  const std::vector<EyerissSchedule::Step> steps = s.expandSteps();
  EyerissTiming t;
  if (steps.empty()) return t;
  auto load = [&](size_t i) { return s.readCycles(steps[i].ifmapBytes + steps[i].filterBytes); };
  t.firstLoadCycles = load(0);
  int64_t total = t.firstLoadCycles;
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& st = steps[i];
    int64_t next = i + 1 < steps.size() ? load(i + 1) : 0;
    int64_t prevStore = i > 0 ? s.writeCycles(steps[i - 1].storeBytes) : 0;
    total += std::max({st.work.cycles(), next, prevStore});
    t.macCycles += st.work.macCycles;
    t.passOverheadCycles += st.work.spadLoadCycles + st.work.feedCycles + st.work.drainCycles;
    t.passes += st.work.passes;
    t.dramReadBytes += st.ifmapBytes + st.filterBytes;
    t.dramWriteBytes += st.storeBytes;
  }
  t.lastStoreCycles = s.writeCycles(steps.back().storeBytes);
  t.cycles = total + t.lastStoreCycles + s.dramLatency;
  t.steps = int64_t(steps.size());
  return t;
}

// ---- Closed form [Closed form] ---------------------------------------------------------------
//
// The steps form a mixed-radix counter over (gt, kt, n, et, ct). A step's term
// max(compute_i, load_{i+1}, store_{i-1}) depends on its own tile extents (is an index the
// last one?), on the next step (which index carries: that decides what is re-fetched, and the
// next tile's extents) and on the previous step (does it store, and its extents). For each loop
// the indices fall into a few classes that agree on all of that: 0, next-to-last, last and
// "interior" (plus, for row tiles, every tile whose window, or whose successor's, is clipped by
// padding). Each class is evaluated once on a representative index and weighted by its size.

namespace {

struct Classes {
  static constexpr int kMax = 64;
  int n = 0;
  int64_t value[kMax];
  int64_t count[kMax];
  void add(int64_t v, int64_t c) { value[n] = v, count[n] = c, ++n; }
};

}  // namespace

bool EyerissSchedule::rowTileInterior(int64_t& first, int64_t& last) const {
  // Interior row tile v: 1 <= v <= rowTiles-2, not last, and tiles v, v+1 are full (tileRows
  // output rows), unclipped windows.
  const int64_t T = tileRows * strideH, F = (tileRows - 1) * strideH + effR();
  const int64_t top = ceilDiv(padTop, T);              // first tile with lo >= 0
  const int64_t bottom = floorDiv(H + padTop - F, T);  // last tile with lo + F <= H
  const bool lastFull = outRowsAt(rowTiles - 1) == tileRows;
  first = std::max<int64_t>(1, top);
  last = std::min(rowTiles - (lastFull ? 2 : 3), bottom - 1);
  return first <= last;
}

int64_t EyerissSchedule::rowTileClasses() const {
  int64_t first, last;
  if (!rowTileInterior(first, last)) return rowTiles;
  return rowTiles - (last - first + 1) + 1;
}

namespace {

// ceil(n / d) for the DMA port width d, shifting when d is a power of two (the common case).
struct CeilDivider {
  int64_t d;
  int shift = -1;
  explicit CeilDivider(int64_t divisor) : d(divisor) {
    if ((d & (d - 1)) == 0) shift = __builtin_ctzll(uint64_t(d));
  }
  int64_t operator()(int64_t n) const {
    return shift >= 0 ? (n + d - 1) >> shift : (n + d - 1) / d;
  }
};

}  // namespace

EyerissTiming eyerissTiming(const EyerissSchedule& s) {
  EyerissTiming t;
  // Loops: 0 gt, 1 kt, 2 n, 3 et, 4 ct.
  const int64_t radix[5] = {s.groupTiles, s.kernelTiles, s.images, s.rowTiles, s.channelTiles};
  int64_t first = 0, last = -1;  // interior row tiles
  const bool interior = s.rowTileInterior(first, last);
  if (s.rowTiles - (interior ? last - first : 0) > Classes::kMax)
    return t;  // the mapper never builds such a tiling
  // Extent of tile v of each loop (groupsAt, kernelsAt, 1, outRowsAt, channelsAt): the tile
  // size, the rest at the last index.
  const int64_t total[5] = {s.groups, s.groupKernels, s.images, s.P, s.groupChannels};
  const int64_t tile[5] = {s.tileGroups, s.tileKernels, 1, s.tileRows, s.tileChannels};
  int64_t full[5], lastSize[5];  // extents at index 0 and at the last index
  for (int d = 0; d < 5; ++d) {
    lastSize[d] = total[d] - (radix[d] - 1) * tile[d];
    full[d] = radix[d] == 1 ? lastSize[d] : tile[d];
  }
  // Work of a step (tileWork) depends only on its tile extents: its passes are the product of
  // one factor per loop (groups, kernel blocks, strip groups, channel groups; the images loop
  // has none), each at the full or the last extent, and every pass takes passCycles().
  const int64_t factor[5][2] = {{full[0], lastSize[0]},
                                {s.kernelBlocksOf(full[1]), s.kernelBlocksOf(lastSize[1])},
                                {1, 1},
                                {s.stripGroupsOf(full[3]), s.stripGroupsOf(lastSize[3])},
                                {s.channelGroupsOf(full[4]), s.channelGroupsOf(lastSize[4])}};
  // Per class: its own extents and those of the index after it (when this loop advances), and
  // its work factor. Indices before a class are never last, so they have full extents;
  // restarted loops are at index 0 (next step) or at their last index (previous step).
  struct Extent {
    int64_t own, next;      // groups / kernels / channels / output rows
    int64_t inOwn, inNext;  // row tiles: input rows fetched
    bool first, last;
  };
  Classes cls[5];
  Extent ext[5][Classes::kMax];
  int64_t workFactor[5][Classes::kMax];
  auto add = [&](int d, int64_t v, int64_t count) {
    const int i = cls[d].n;
    cls[d].add(v, count);
    Extent& e = ext[d][i];
    e.first = v == 0, e.last = v == radix[d] - 1;
    e.own = e.last ? lastSize[d] : full[d];
    e.next = e.last ? 0 : v + 1 == radix[d] - 1 ? lastSize[d] : full[d];
    e.inOwn = e.inNext = 0;
    workFactor[d][i] = factor[d][e.last];
  };
  // 0, interior, next-to-last, last. When the last tile is as large as the others, the
  // next-to-last index behaves like the interior ones and joins them.
  auto loop = [&](int d, bool evenLast) {
    const int64_t r = radix[d];
    if (r <= 2 || (r == 3 && !evenLast)) {
      for (int64_t v = 0; v < r; ++v) add(d, v, 1);
    } else if (evenLast) {
      add(d, 0, 1), add(d, 1, r - 2), add(d, r - 1, 1);
    } else {
      add(d, 0, 1), add(d, 1, r - 3), add(d, r - 2, 1), add(d, r - 1, 1);
    }
  };
  loop(0, s.groups % s.tileGroups == 0);
  loop(1, s.groupKernels % s.tileKernels == 0);
  loop(2, true);
  loop(4, s.groupChannels % s.tileChannels == 0);
  // Row tiles: the interior counts once, every other tile is a class of its own.
  for (int64_t v = 0; v < s.rowTiles; ++v) {
    if (interior && v == first) {
      add(3, first, last - first + 1);
      v = last;
    } else {
      add(3, v, 1);
    }
  }
  for (int i = 0; i < cls[3].n; ++i) {
    Extent& e = ext[3][i];
    const int64_t v = cls[3].value[i];
    e.inOwn = s.inRowsAt(v);
    if (!e.last) e.inNext = s.inRowsAt(v + 1);
  }
  const int64_t inFirst = s.inRowsAt(0);
  const CeilDivider dma(s.dramBytesPerCycle);
  auto read = [&](int64_t bytes) { return bytes == 0 ? 0 : s.dramLatency + dma(bytes); };
  auto write = [&](int64_t bytes) { return bytes == 0 ? 0 : s.pipelineDepth + dma(bytes); };

  const int64_t pqS = s.kernelsPerPe * s.channelsPerPe * s.S;
  const int64_t feedPerPass = s.channelsPerPe * s.chain * (s.S + (s.Q - 1) * s.shiftTaps());
  // macCycles + spadLoadCycles + feedCycles + drainCycles of one pass
  const int64_t passCycles = s.Q * pqS + pqS + feedPerPass + s.Q * s.kernelsPerPe;
  // filterTileBytes(g, k, c) = g * k * channel groups(c) * filterWords; channel groups of the
  // full channel tile and of the tile after each channel class.
  const int64_t filterWords = s.rFolds * s.channelsPerPe * s.S * s.rows;
  const int64_t groupsFull = factor[4][0];
  int64_t groupsNext[Classes::kMax];
  for (int i = 0; i < cls[4].n; ++i)
    groupsNext[i] = ext[4][i].last ? 0 : s.channelGroupsOf(ext[4][i].next);
  // storeTileBytes(g, k, rows) = g * k * strip groups(rows) * storeWords.
  const int64_t storeWords = s.Q * s.cols * s.outputBytes;
  const int64_t stripsFull = factor[3][0], stripsLast = factor[3][1];

  const int64_t loadFirst =
      full[0] * full[1] * groupsFull * filterWords + s.ifmapTileBytes(full[0], full[4], inFirst);
  t.firstLoadCycles = read(loadFirst);
  t.dramReadBytes = loadFirst;
  int64_t sum = 0, passes = 0;
  int idx[5] = {0, 0, 0, 0, 0};
  for (;;) {
    const Extent* e[5];
    int64_t mult = 1;
    for (int d = 0; d < 5; ++d) e[d] = &ext[d][idx[d]], mult *= cls[d].count[idx[d]];
    // tileWork(groups, kernels, channels, output rows) of this step
    const int64_t stepPasses = workFactor[0][idx[0]] * workFactor[1][idx[1]] *
                               workFactor[3][idx[3]] * workFactor[4][idx[4]] * s.rFolds;

    // Next step: the innermost loop not at its last index advances, inner ones restart.
    int64_t next = 0;
    int j = 4;
    while (j >= 0 && e[j]->last) --j;
    if (j >= 0) {
      const int64_t g = j == 0 ? e[0]->next : e[0]->own;
      const int64_t k = j == 1 ? e[1]->next : j < 1 ? full[1] : e[1]->own;
      const int64_t in = j == 3 ? e[3]->inNext : j < 3 ? inFirst : e[3]->inOwn;
      const int64_t c = j == 4 ? e[4]->next : full[4];
      const int64_t cg = j == 4 ? groupsNext[idx[4]] : groupsFull;
      // Filter tile key (gt, kt, ct), ifmap tile key (gt, n, et, ct): loops that restart
      // change their index only if they have more than one.
      const bool ctMoves = j == 4 || radix[4] > 1;
      const bool filter = j <= 1 || ctMoves;
      const bool ifmap = j != 1 || radix[2] > 1 || radix[3] > 1 || ctMoves;
      const int64_t bytes =
          (filter ? g * k * cg * filterWords : 0) + (ifmap ? s.ifmapTileBytes(g, c, in) : 0);
      next = read(bytes);
      t.dramReadBytes += mult * bytes;
    }
    // Previous step: the innermost loop not at index 0 steps back, inner ones are at their
    // last index. It stored its outputs iff its ct was the last, i.e. iff this ct is 0.
    int64_t prevStore = 0;
    if (e[4]->first) {
      j = 3;
      while (j >= 0 && e[j]->first) --j;
      if (j >= 0) {
        const int64_t g = j == 0 ? full[0] : e[0]->own;
        const int64_t k = j == 1 ? full[1] : j < 1 ? lastSize[1] : e[1]->own;
        const int64_t strips = j == 3 ? stripsFull : stripsLast;
        prevStore = write(g * k * strips * storeWords);
      }
    }
    sum += mult * std::max({stepPasses * passCycles, next, prevStore});
    passes += mult * stepPasses;
    if (e[4]->last)
      t.dramWriteBytes += mult * (e[0]->own * e[1]->own * workFactor[3][idx[3]] * storeWords);

    int d = 4;
    while (d >= 0 && ++idx[d] == cls[d].n) idx[d--] = 0;
    if (d < 0) break;
  }
  // Every pass alike: the totals of the steps' TileWork.
  t.passes = passes;
  t.macCycles = passes * s.Q * pqS;
  t.passOverheadCycles = passes * (pqS + feedPerPass + s.Q * s.kernelsPerPe);
  t.lastStoreCycles = write(lastSize[0] * lastSize[1] * stripsLast * storeWords);
  t.cycles = t.firstLoadCycles + sum + t.lastStoreCycles + s.dramLatency;
  t.steps = s.stepCount();
  return t;
}

int64_t eyerissCyclesLowerBound(const EyerissSchedule& s) {
  // cycles = firstLoad + sum_i max(work_i, next_i, prevStore_i) + lastStore + L is at least
  // firstLoad + sum_i work_i + lastStore + L. A step's work depends only on its tile extents;
  // counting only the steps whose every tile has its full extent keeps the bound O(1).
  int64_t first, last;
  const bool interior = s.rowTileInterior(first, last);
  if (s.rowTiles - (interior ? last - first : 0) > Classes::kMax) return 0;  // never built
  const int64_t radix[4] = {s.groupTiles, s.kernelTiles, s.rowTiles, s.channelTiles};
  const int64_t full[4] = {s.groupsAt(0), s.kernelsAt(0), s.outRowsAt(0), s.channelsAt(0)};
  const int64_t lastSize[4] = {s.groupsAt(radix[0] - 1), s.kernelsAt(radix[1] - 1),
                               s.outRowsAt(radix[2] - 1), s.channelsAt(radix[3] - 1)};
  int64_t fullSteps = s.images;
  for (int d = 0; d < 4; ++d) fullSteps *= lastSize[d] == full[d] ? radix[d] : radix[d] - 1;
  const EyerissSchedule::TileWork work = s.tileWork(full[0], full[1], full[3], full[2]);
  const CeilDivider dma(s.dramBytesPerCycle);
  const int64_t loadFirst = s.filterTileBytes(full[0], full[1], full[3]) +
                            s.ifmapTileBytes(full[0], full[3], s.inRowsAt(0));
  const int64_t firstLoad = loadFirst == 0 ? 0 : s.dramLatency + dma(loadFirst);
  const int64_t storeBytes = s.storeTileBytes(lastSize[0], lastSize[1], lastSize[2]);
  const int64_t lastStore = storeBytes == 0 ? 0 : s.pipelineDepth + dma(storeBytes);
  return firstLoad + fullSteps * work.cycles() + lastStore + s.dramLatency;
}

}  // namespace analects
