// Eyeriss-style (row-stationary) cost model: the mapper (planEyeriss) that builds the
// EyerissSchedule for a layer, cycles from its closed form (eyeriss_schedule.cpp), energy as
// action counts times the tech table, area, and FPGA resources.
// Formulas: costmodel/docs/eyeriss.md (section names in brackets below).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/eyeriss_schedule.h"
#include "eyeriss_cost.h"
#include "eyeriss_planner.h"
#include "fpga_memory.h"

namespace analects {

namespace {

int64_t ceilDiv(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}
int64_t roundUp(int64_t a, int64_t b) {
  return ceilDiv(a, b) * b;
}

// A step count below this leaves the first load exposed; when splitting is free in DRAM
// traffic the mapper splits that far (no further than one full pass group per tile).
constexpr int64_t kTargetSteps = 4;

// Calls f(v) for v = 1, 2, 3, 4, 6, 8, 12, 16, ... <= limit.
template <typename F>
void forEachGeometric(int64_t limit, F&& f) {
  if (limit >= 1) f(1);
  for (int64_t m = 2; m <= limit; m *= 2) {
    f(m);
    if (m * 3 / 2 <= limit) f(m * 3 / 2);
  }
}

// [Layer view] GEMM/FC: a 1x1 conv over one image of gemmM() rows.
void viewLayer(const Layer& l, EyerissSchedule& s) {
  if (l.op == OpType::Conv) {
    s.images = l.N, s.groups = l.groups;
    s.groupChannels = l.channelsPerGroup(), s.groupKernels = l.kernelsPerGroup();
    s.H = l.H, s.W = l.W, s.R = l.R, s.S = l.S, s.P = l.P(), s.Q = l.Q();
    s.strideH = l.strideH, s.strideW = l.strideW, s.padTop = l.padH, s.padLeft = l.padW;
    s.dilationH = l.dilationH, s.dilationW = l.dilationW;
  } else {
    s.images = 1, s.groups = 1, s.groupChannels = l.C, s.groupKernels = l.K;
    s.H = s.P = l.gemmM(), s.W = s.Q = 1, s.R = s.S = 1;
    s.strideH = s.strideW = 1, s.padTop = 0, s.dilationH = s.dilationW = 1;
  }
}

// [PE mapping] strip width and strips per pass for row tiles of `tileRows` output rows. The
// ifmap rows a pass reads at once, (stacks*w - 1)*strideH + (h - 1)*dilationH + 1, must fit the
// ifmap bus. False if not even one output row does.
bool setStrips(EyerissSchedule& s, int64_t tileRows) {
  const int64_t NB = s.ifmapBusBytes, tail = (s.setRows - 1) * s.dilationH + 1;
  if (tail > NB) return false;
  const int64_t wBus = (NB - tail) / s.strideH + 1;  // most output rows the bus can serve
  s.stripRows = std::min(ceilDiv(tileRows, ceilDiv(tileRows, s.cols)), wBus);
  s.hSlots = s.cols / s.stripRows;
  s.stacks = std::min({s.hSlots, ceilDiv(tileRows, s.stripRows), wBus / s.stripRows});
  return true;
}

// [PE mapping] p, q, chain for the layer: the fewest estimated cycles over its kernels and
// channels, kernel blocks x channel groups x passCycles (strips and folds are common factors).
// Ties: the shorter chain, then the larger q.
void choosePe(EyerissSchedule& s) {
  const int64_t K = s.groupKernels, C = s.groupChannels, S = s.S, Q = s.Q;
  const int64_t qCap = std::min({s.ifmapSpad / s.S, s.filterSpad / s.S, C});
  const int64_t taps = S + (Q - 1) * s.shiftTaps();  // passCycles()' feed per channel
  int64_t best = -1;
  for (int64_t chain = 1; chain <= s.vSlots; ++chain) {
    if (chain > 1 && (chain - 1) * qCap >= C) break;  // a copy would get no channel
    for (int64_t q = std::min(qCap, ceilDiv(C, chain)); q >= 1; --q) {
      const int64_t p = std::min({s.psumSpad, s.filterSpad / (q * S), K});
      const int64_t pqS = p * q * S;
      const int64_t passCycles = pqS + Q * (pqS + p) + q * chain * taps;
      // kernelBlocksOf(K) * channelGroupsOf(C) * passCycles() of this (p, q, chain)
      const int64_t cycles = ceilDiv(K, p) * ceilDiv(ceilDiv(C, q), chain) * passCycles;
      if (best < 0 || cycles < best) {
        best = cycles;
        s.chain = chain, s.channelsPerPe = q, s.kernelsPerPe = p;
      }
    }
  }
}

// [GLB tiles] bytes a tiling of gT groups x Kt kernels x Ct channels x Et output rows occupies:
// filter words, ifmap tile (NB-aligned), each doubled iff it is refilled more than once in the
// layer, and the int32 psum words (two halves iff the layer stores more than one tile).
// The strip geometry (w, stacks) must be the one of Et.
struct LoopCounts {
  int64_t gtN, ktN, etN, ctN;
};

int64_t needBytes(const EyerissSchedule& s, int64_t gT, int64_t Kt, int64_t Ct, int64_t Et,
                  LoopCounts n) {
  const int64_t stores = n.gtN * n.ktN * s.images * n.etN, steps = stores * n.ctN;
  // The ifmap tile key is (gt, n, et, ct), the filter tile key (gt, kt, ct).
  const int64_t ifmapLoads = n.ctN == 1 && s.images == 1 && n.etN == 1 ? n.gtN : steps;
  const int64_t filterLoads = n.ctN == 1 ? n.gtN * n.ktN : steps;
  auto copies = [](int64_t fills) { return fills > 1 ? 2 : 1; };
  const int64_t ifmap = roundUp(s.ifmapTileBytes(gT, Ct, s.inRowsMax(Et)), s.ifmapBusBytes);
  const int64_t psum = gT * Kt * s.stripGroupsOf(Et) * s.Q * s.cols * 4;
  return copies(ifmapLoads) * ifmap + copies(filterLoads) * s.filterTileBytes(gT, Kt, Ct) +
         copies(stores) * psum;
}

int64_t needBytes(const EyerissSchedule& s, int64_t gT, int64_t Kt, int64_t Ct, int64_t Et) {
  return needBytes(s, gT, Kt, Ct, Et,
                   {ceilDiv(s.groups, gT), ceilDiv(s.groupKernels, Kt), ceilDiv(s.P, Et),
                    ceilDiv(s.groupChannels, Ct)});
}

// Largest x in [lo, hi] with fits(x), for fits monotone (true up to some x); lo - 1 if none.
template <typename F>
int64_t largestFitting(int64_t lo, int64_t hi, F&& fits) {
  if (hi < lo || !fits(lo)) return lo - 1;
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo + 1) / 2;
    if (fits(mid))
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

// The least need of every candidate of the last planner (per thread) that saw them all, with
// its inputs: a planner reset to the same inputs starts from it. The batched path plans a
// (layer, shape) for many buffers and hands each failure to evaluate(), whose own planner
// would otherwise rank every candidate again just to find that none fits.
struct PublishedLeastNeed {
  bool valid = false;
  int64_t inputs[EyerissPlanner::kInputFields] = {};
  int64_t bytes = 0;
};
thread_local PublishedLeastNeed publishedLeastNeed;

struct TilingCandidate {
  bool found = false;
  size_t mode = 0;  // index into the planner's channel modes
  int64_t rows = 0, tileKernels = 0;
  __int128 traffic = 0;
};

}  // namespace

bool EyerissPlanner::sameInputs(const Layer& l, const ArrayConfig& c,
                                int64_t (&key)[kInputFields]) const {
  // The layer's fields, then the design's but its buffer.
  int n = 0;
  for (const int64_t v : {int64_t(l.op), l.N, l.K, l.C, l.H, l.W, l.R, l.S, l.strideH, l.strideW})
    key[n++] = v;
  for (const int64_t v : {l.padH, l.padW, l.padHEnd, l.padWEnd, l.dilationH, l.dilationW, l.groups})
    key[n++] = v;
  for (const int64_t v : {c.rows, c.cols, c.filterSpad, c.ifmapSpad, c.psumSpad}) key[n++] = v;
  for (const int64_t v : {c.dramBytesPerCycle, c.dramLatencyCycles, c.pipelineDepth, c.outputBytes})
    key[n++] = v;
  return haveInputs_ && failure_ == 0 && std::equal(key, key + kInputFields, inputs_);
}

void EyerissPlanner::adoptPublishedLeastNeed() {
  const PublishedLeastNeed& p = publishedLeastNeed;
  if (!leastNeedExact_ && p.valid && std::equal(p.inputs, p.inputs + kInputFields, inputs_)) {
    leastNeed_ = std::max(leastNeed_, p.bytes);
    leastNeedExact_ = true;
  }
}

void EyerissPlanner::reset(const Layer& layer, const ArrayConfig& config) {
  int64_t key[kInputFields];
  const bool same = sameInputs(layer, config, key);
  layer_ = &layer;
  memo_ = false;
  haveSaturated_ = false;
  timings_.clear();
  if (same) {  // everything below is a function of the inputs (reasons name no layer)
    adoptPublishedLeastNeed();
    return;
  }
  std::copy(key, key + kInputFields, inputs_);
  haveInputs_ = false;  // until the reset below completes
  saturationBytes_ = std::numeric_limits<int64_t>::max();
  tilings_.clear();
  candidates_.clear();
  leastNeed_ = 0, leastNeedExact_ = false;
  failure_ = 0;
  reason_.clear();
  dramFits_ = true;
  EyerissSchedule& s = base_;
  s = EyerissSchedule{};
  s.rows = config.rows, s.cols = config.cols;
  s.filterSpad = config.filterSpad, s.ifmapSpad = config.ifmapSpad, s.psumSpad = config.psumSpad;
  s.dramBytesPerCycle = config.dramBytesPerCycle, s.dramLatency = config.dramLatencyCycles;
  s.pipelineDepth = config.pipelineDepth, s.outputBytes = config.outputBytes;
  s.ifmapBusBytes = config.ifmapBusBytes();
  auto fail = [&](int kind, std::string why) {
    failure_ = kind;
    reason_ = std::move(why);
  };
  if (s.rows < 1 || s.cols < 1)
    return fail(1, "no PEs allocated (the array has 0 rows or columns)");
  // Keeps every product below 2^63: nothing real comes near these sizes.
  constexpr int64_t kMaxTensor = int64_t(1) << 36;
  if (layer.inputElems() > kMaxTensor || layer.weightElems() > kMaxTensor ||
      layer.outputElems() > kMaxTensor || layer.macs() > (int64_t(1) << 46))
    return fail(2, fmt::format("layer '{}' is too large for the model (tensors over 2^36 elements)",
                               layer.name));
  viewLayer(layer, s);

  // [Scratchpads] one channel of one kernel needs S filter weights and an S-pixel window.
  if (s.S > s.ifmapSpad)
    return fail(2, fmt::format("filter width S = {} does not fit the ifmap scratchpad ({} entries)",
                               s.S, s.ifmapSpad));
  if (s.S > s.filterSpad)
    return fail(
        2, fmt::format("filter width S = {} does not fit the filter scratchpad ({} entries)", s.S,
                       s.filterSpad));

  // [PE mapping] fold R into rFolds of h rows; p, q, chain for the whole layer.
  s.rFolds = ceilDiv(s.R, s.rows);
  s.setRows = ceilDiv(s.R, s.rFolds);
  s.vSlots = s.rows / s.setRows;
  if (!setStrips(s, s.P))
    return fail(2, fmt::format("a set of {} filter rows at dilation {} reads {} ifmap rows at "
                               "once, more than the {}-byte ifmap bus",
                               s.setRows, s.dilationH, (s.setRows - 1) * s.dilationH + 1,
                               s.ifmapBusBytes));
  const int64_t layerStrip = s.stripRows;
  choosePe(s);
  // [RTL limits] what the generated RTL cannot run with any tiling of this view.
  if (std::string why = eyerissRtlLayerLimits(s); !why.empty()) return fail(2, std::move(why));
  dramFits_ = eyerissDramBytesBound(s) <= kRtlDramBytes;

  const int64_t N = s.images, G = s.groups;
  const int64_t Cg = s.groupChannels, Kg = s.groupKernels, C = G * Cg;
  // Channel modes, in the mapper's order: whole channels; channel tiles of whole channel groups
  // (q*chain channels); then smaller channel tiles (q*chain/2, /4, ... down to one channel),
  // each with q and chain cut to the tile. Filter words of all kernels and channels once.
  modes_.clear();
  // filterTileBytes(G, Kg, c) with q, chain: g * k * channel groups * rFolds * q * S * rows.
  auto filterTile = [&](int64_t q, int64_t chain, int64_t c) {
    return G * Kg * ceilDiv(ceilDiv(c, q), chain) * s.rFolds * q * s.S * s.rows;
  };
  auto filterTotal = [&](int64_t q, int64_t chain, int64_t Ct) {
    const int64_t ctN = ceilDiv(Cg, Ct);
    return __int128(ctN - 1) * filterTile(q, chain, Ct) + filterTile(q, chain, Cg - (ctN - 1) * Ct);
  };
  modes_.push_back(
      {false, Cg, s.channelsPerPe, s.chain, filterTotal(s.channelsPerPe, s.chain, Cg)});
  const int64_t groupWidth = s.channelsPerPe * s.chain;
  if (Cg > groupWidth)
    modes_.push_back({true, groupWidth, s.channelsPerPe, s.chain,
                      filterTotal(s.channelsPerPe, s.chain, groupWidth)});
  for (int64_t c = ceilDiv(std::min(groupWidth, Cg), 2); Cg > 1;
       c = c == 1 ? 0 : ceilDiv(c, 2)) {
    if (c < 1) break;
    const int64_t q = std::min(s.channelsPerPe, c);
    const int64_t chain = std::min(s.chain, ceilDiv(c, q));
    if (modes_.back().tileChannels != c)
      modes_.push_back({true, c, q, chain, filterTotal(q, chain, c)});
    if (c == 1) break;
  }
  filterBytes_ = modes_[0].filterBytes;
  for (ChannelMode& m : modes_) {
    filterBytes_ = std::min(filterBytes_, m.filterBytes);
    m.channelTiles = ceilDiv(Cg, m.tileChannels);
    m.kernelFilterBytes =
        ceilDiv(ceilDiv(m.tileChannels, m.q), m.chain) * s.rFolds * m.q * s.S * s.rows;
  }
  // Lower bound of any tiling: filter words, used input rows and one strip group of outputs
  // per (image, kernel) moved once.
  s.tileRows = s.P, s.rowTiles = 1;
  // (With strideH > effR row tiles skip the rows between windows: no ifmap bound then.)
  leastTraffic_ = filterBytes_ + (s.strideH > s.effR() ? 0 : __int128(N) * s.inRowsTotal() * s.W * C) +
                  __int128(N) * G * Kg * s.Q * s.cols * s.outputBytes;
  // needBytes() <= every region at its largest, refilled (doubled).
  const __int128 saturation =
      2 * (__int128(G) * Cg * s.inRowsMax(s.P) * s.W + s.ifmapBusBytes) + 2 * filterBytes_ +
      2 * __int128(G) * Kg * s.P * s.Q * s.cols * 4;
  saturationBytes_ = int64_t(std::min<__int128>(saturation, std::numeric_limits<int64_t>::max()));
  // Every candidate's need is at least its ifmap tile (one row window of the fewest channels),
  // one kernel's filter words of one fold at the least q, and one psum word row: no candidate
  // fits a smaller buffer (channel modes come with falling tiles and q).
  {
    const ChannelMode& m = modes_.back();
    leastNeed_ = roundUp(m.tileChannels * s.inRowsMax(1) * s.W, s.ifmapBusBytes) +
                 s.rFolds * m.q * s.S * s.rows + s.Q * s.cols * 4;
  }
  adoptPublishedLeastNeed();

  // The row tilings the mapper ranks, in its order. Whole strips: 1, 2, 3, 4, 6, 8, ... row
  // tiles and one strip per tile; then sub-strip tiles down to one row (repeats of the previous
  // height skipped).
  const int64_t strips = ceilDiv(s.P, layerStrip);
  auto tryRows = [&](int64_t rows) {
    if (tilings_.empty() || tilings_.back().rows != rows) tilings_.push_back(RowTiling{rows});
  };
  forEachGeometric(strips,
                   [&](int64_t m) { tryRows(std::min(s.P, layerStrip * ceilDiv(strips, m))); });
  tryRows(std::min(s.P, layerStrip));  // one strip per tile
  forEachGeometric(layerStrip, [&](int64_t d) {
    if (d > 1) tryRows(ceilDiv(layerStrip, d));
  });
  candidates_.resize(tilings_.size() * modes_.size());
  scratch_ = s;
  haveInputs_ = true;
}

EyerissPlanner::EyerissPlanner(const Layer& layer, const ArrayConfig& config) {
  reset(layer, config);
}

void EyerissPlanner::ready(size_t ti, int stage) {
  RowTiling& t = tilings_[ti];
  if (t.stage >= stage) return;
  EyerissSchedule& s = scratch_;  // base_'s layer view and design; tiles and mapping set here
  s.tileRows = t.rows, s.rowTiles = ceilDiv(s.P, t.rows);
  if (t.stage < 1) {  // strips and the traffic that does not depend on kernel tiles
    setStrips(s, t.rows);
    t.rowTiles = s.rowTiles;
    t.stripRows = s.stripRows, t.hSlots = s.hSlots, t.stacks = s.stacks;
    t.ifmapOnce = __int128(s.images) * s.inRowsTotal() * s.W * (s.groups * s.groupChannels);
    const int64_t stripGroups = (s.rowTiles - 1) * s.stripGroupsOf(t.rows) +
                                s.stripGroupsOf(s.outRowsAt(s.rowTiles - 1));
    t.outTraffic = __int128(s.images) * s.groups * s.groupKernels * stripGroups * s.Q * s.cols *
                   s.outputBytes;
    // Its candidates, one per channel mode (the smallest tile of the mode needs least):
    // needBytes(1 group, Kt kernels, the mode's tile, this tiling's rows), whose filter and psum
    // regions are Kt times one kernel's.
    const int64_t N = s.images, G = s.groups, Kg = s.groupKernels;
    const int64_t etN = t.rowTiles;
    const int64_t inRows = s.inRowsMax(t.rows);
    const int64_t kernelPsumBytes = s.stripGroupsOf(t.rows) * s.Q * s.cols * 4;
    const int64_t stores = G * N * etN;  // gtN = G groups of one, ktN = 1
    Candidate* cand = &candidates_[ti * modes_.size()];
    for (size_t mode = 0; mode < modes_.size(); ++mode) {
      const ChannelMode& cm = modes_[mode];
      const int64_t ctN = cm.channelTiles, steps = stores * cm.channelTiles;
      Candidate& c = cand[mode];
      c.resident = !cm.tiled && etN == 1 && N == 1;
      c.wholeTraffic = cm.filterBytes * (cm.tiled ? N * etN : 1) + t.ifmapOnce + t.outTraffic;
      const int64_t ifmap = roundUp(s.ifmapTileBytes(1, cm.tileChannels, inRows), s.ifmapBusBytes);
      // Whole kernels: the ifmap tile key is (gt, n, et, ct), the filter tile key (gt, kt, ct).
      const int64_t ifmapLoads = ctN == 1 && N == 1 && etN == 1 ? G : steps;
      const int64_t filterLoads = ctN == 1 ? G : steps;
      c.needWhole = (ifmapLoads > 1 ? 2 : 1) * ifmap +
                    (filterLoads > 1 ? 2 : 1) * (Kg * cm.kernelFilterBytes) +
                    (stores > 1 ? 2 : 1) * (Kg * kernelPsumBytes);
      // With Kt < Kg: ktN >= 2, so stores, steps and filter loads are all >= 2 (doubled);
      // the ifmap is refilled unless it is one tile of one image per group, one group.
      const int64_t ifmapCopies = ctN == 1 && N == 1 && etN == 1 && G == 1 ? 1 : 2;
      c.needFixed = ifmapCopies * ifmap;
      c.needPerKernel = 2 * cm.kernelFilterBytes + 2 * kernelPsumBytes;
      // It fits with whole kernels, or with two or more kernel tiles (Kt >= 1 of them).
      const int64_t leastNeed =
          Kg >= 2 ? std::min(c.needWhole, c.needFixed + c.needPerKernel) : c.needWhole;
      t.leastTraffic = mode == 0 ? c.wholeTraffic : std::min(t.leastTraffic, c.wholeTraffic);
      t.leastNeed = mode == 0 ? leastNeed : std::min(t.leastNeed, leastNeed);
    }
  }
  if (stage >= 3) t.classes = s.rowTileClasses();  // closed-form size
  t.stage = stage;
}

bool EyerissPlanner::plan(int64_t bufferBytes, EyerissSchedule& s, EyerissTiming* timing,
                          std::string* reason, int64_t cyclesCutoff) {
  auto fail = [&](std::string why) {
    if (reason) *reason = std::move(why);
    return false;
  };
  if (failure_ == 1) return fail(reason_);
  if (bufferBytes < 1) return fail("no global buffer allocated");
  if (failure_ != 0) return fail(reason_);
  const bool saturated = bufferBytes >= saturationBytes_;
  if (memo_ && saturated && haveSaturated_) {
    s = saturated_;
    s.bufferBytes = bufferBytes;
    if (timing) *timing = saturatedTiming_;
    return true;
  }
  const Layer& layer = *layer_;
  s = base_;
  s.bufferBytes = bufferBytes;

  // [Mapper] least DRAM traffic over row tilings x {whole channels, channel tiles}, each with
  // the fewest kernel tiles that fit. The candidates do not depend on the buffer size (only
  // which fit does), so a larger buffer never raises traffic; nothing depends on the DRAM
  // port, so more bandwidth is never slower.
  const int64_t B = bufferBytes, N = s.images, G = s.groups;
  const int64_t Cg = s.groupChannels, Kg = s.groupKernels;
  const int64_t kbL = Kg;  // kernel tiles hold any number of kernels
  TilingCandidate best;
  bool paddingRejected = false;
  const size_t modeCount = modes_.size();
  if (B >= leastNeed_) {  // else no candidate fits
    for (size_t ti = 0; ti < tilings_.size(); ++ti) {
      if (best.found && best.traffic <= leastTraffic_) break;
      if (tilings_[ti].stage < 1) ready(ti, 1);
      RowTiling& tiling = tilings_[ti];
      // No candidate of this tiling fits, or moves less than the best: skip it.
      if (B < tiling.leastNeed || (best.found && tiling.leastTraffic >= best.traffic)) continue;
      const Candidate* cand = &candidates_[ti * modeCount];
      for (size_t mode = 0; mode < modeCount; ++mode) {
        const Candidate& c = cand[mode];
        // Every kernel tiling of this candidate moves at least this (ktN >= 1).
        if (best.found && c.wholeTraffic >= best.traffic) continue;
        int64_t Kt = Kg;
        if (c.needWhole > B) {
          // The most kernels of two or more tiles that fit (the need grows with the tile).
          Kt = kbL < 2 || c.needFixed + c.needPerKernel > B
                   ? 0
                   : std::min(kbL - 1, (B - c.needFixed) / c.needPerKernel);
          if (Kt < 1) continue;
        }
        // filter traffic + ifmapOnce * (resident ? 1 : ktN) + outputs
        const __int128 traffic =
            c.resident || Kt == Kg
                ? c.wholeTraffic
                : c.wholeTraffic + __int128(ceilDiv(Kg, Kt) - 1) * tiling.ifmapOnce;
        if (best.found && traffic >= best.traffic) continue;
        ready(ti, 3);
        if (tiling.classes > 64) {  // bounded closed form (absurd padding only)
          paddingRejected = true;
          break;  // the next row tiling
        }
        best = {true, mode, tiling.rows, Kt, traffic};
      }
    }
    if (!best.found && !leastNeedExact_) {
      // Nothing fitted, so every tiling was readied: the least need of all candidates bounds
      // the buffer of every later plan that can find one.
      int64_t least = std::numeric_limits<int64_t>::max();
      for (const RowTiling& t : tilings_) least = std::min(least, t.leastNeed);
      leastNeed_ = std::max(leastNeed_, least);
      leastNeedExact_ = true;
      PublishedLeastNeed& p = publishedLeastNeed;
      p.valid = true, p.bytes = leastNeed_;
      std::copy(inputs_, inputs_ + kInputFields, p.inputs);
    }
  }
  if (!best.found) {
    if (!reason) return false;
    if (paddingRejected)
      return fail(
          fmt::format("layer '{}': padding {} spans too many row tiles that fit a {}-byte "
                      "buffer (over 64 distinct edge tiles)",
                      layer.name, s.padTop, B));
    EyerissSchedule one = s;
    setStrips(one, 1);
    one.channelsPerPe = modes_.back().q, one.chain = modes_.back().chain;
    // The batched path's fallbacks ask for this reason once per small buffer: built directly,
    // it costs a fraction of fmt::format's parse (same text).
    const int64_t channels = modes_.back().tileChannels;
    std::string why = "global buffer of ";
    why.reserve(160);
    why += std::to_string(B);
    why += " bytes is below the smallest tile (";
    why += std::to_string(needBytes(one, 1, 1, channels, 1));
    why += " bytes: one output row, one kernel, ";
    why += std::to_string(channels);
    why += " channel(s))";
    return fail(std::move(why));
  }

  // [Mapper] free dimensions (same traffic) split towards kTargetSteps steps, in whole kernel
  // blocks / channel groups, and only while the tiling still fits.
  const int64_t rows = best.rows, etN = ceilDiv(s.P, rows);
  setStrips(s, rows);
  const ChannelMode& mode = modes_[best.mode];
  s.channelsPerPe = mode.q, s.chain = mode.chain;
  // needBytes(s, g, k, c, rows) with what does not depend on (g, k, c) taken out.
  const int64_t inRows = s.inRowsMax(rows);
  const int64_t kernelPsumBytes = s.stripGroupsOf(rows) * s.Q * s.cols * 4;
  const int64_t filterWords = s.rFolds * s.channelsPerPe * s.S * s.rows;
  auto need = [&](int64_t g, int64_t k, int64_t c) {
    const int64_t gtN = ceilDiv(G, g), ktN = ceilDiv(Kg, k), ctN = ceilDiv(Cg, c);
    const int64_t stores = gtN * ktN * N * etN, steps = stores * ctN;
    const int64_t ifmapLoads = ctN == 1 && N == 1 && etN == 1 ? gtN : steps;
    const int64_t filterLoads = ctN == 1 ? gtN * ktN : steps;
    return (ifmapLoads > 1 ? 2 : 1) * roundUp(s.ifmapTileBytes(g, c, inRows), s.ifmapBusBytes) +
           (filterLoads > 1 ? 2 : 1) * (g * k * s.channelGroupsOf(c) * filterWords) +
           (stores > 1 ? 2 : 1) * (g * k * kernelPsumBytes);
  };
  auto fits = [&](int64_t g, int64_t k, int64_t c) { return need(g, k, c) <= B; };
  const int64_t cgWidth = mode.q * mode.chain;
  int64_t gT = 1, Kt = best.tileKernels, Ct = Cg;
  if (!mode.tiled) {
    if (etN == 1 && N == 1) {  // ifmap resident: kernel tiles are free, in whole blocks
      const int64_t want = std::min(kTargetSteps, s.kernelBlocksOf(Kg));
      for (int64_t ktN = want; ktN > ceilDiv(Kg, Kt); --ktN) {
        const int64_t k = roundUp(ceilDiv(Kg, ktN), s.kernelsPerPe);
        if (k < Kt && fits(1, k, Cg)) {
          Kt = k;
          break;
        }
      }
    }
    if (Kt == Kg && G > 1) {  // whole groups per tile
      const int64_t fitG = largestFitting(1, G, [&](int64_t g) { return fits(g, Kg, Cg); });
      gT = fitG;
      const int64_t want = std::min(ceilDiv(kTargetSteps, N * etN), G);
      for (int64_t gtN = want; gtN > ceilDiv(G, fitG); --gtN)
        if (fits(ceilDiv(G, gtN), Kg, Cg)) {
          gT = ceilDiv(G, gtN);
          break;
        }
    }
  } else if (mode.tileChannels < cgWidth) {
    Ct = mode.tileChannels;  // a part of one channel group: as small as the mode says
  } else {
    const int64_t groupsL = ceilDiv(Cg, cgWidth);
    const int64_t fitM =
        largestFitting(1, groupsL - 1, [&](int64_t m) { return fits(1, Kt, m * cgWidth); });
    const int64_t stepsOther = ceilDiv(Kg, Kt) * N * etN;
    const int64_t want = std::min(ceilDiv(kTargetSteps, stepsOther), groupsL);
    const int64_t ctN = std::max(want, ceilDiv(Cg, fitM * cgWidth));
    Ct = std::min(Cg, roundUp(ceilDiv(Cg, ctN), cgWidth));  // balanced channel tiles
  }
  s.tileGroups = gT, s.tileKernels = Kt, s.tileChannels = Ct, s.tileRows = rows;
  s.groupTiles = ceilDiv(G, gT), s.kernelTiles = ceilDiv(Kg, Kt);
  s.channelTiles = ceilDiv(Cg, Ct), s.rowTiles = etN;
  s.bufferNeedBytes = need(gT, Kt, Ct);
  s.kernelsPerPe = std::min(s.kernelsPerPe, Kt);  // a PE never holds more than the tile's
  if (best.traffic > (__int128(1) << 60))
    return fail(
        fmt::format("layer '{}' moves more than 2^60 bytes at this buffer size", layer.name));
  // [RTL limits] the tile fields and the DRAM footprint of this schedule.
  if (std::string why = eyerissRtlTilingLimits(s, !dramFits_); !why.empty())
    return fail(std::move(why));

  if (timing && cyclesCutoff != kAboveCutoff && eyerissCyclesLowerBound(s) > cyclesCutoff) {
    *timing = EyerissTiming{};
    timing->cycles = kAboveCutoff;
    return true;
  }
  if (memo_ && saturated) {
    haveSaturated_ = true;
    saturated_ = s;
    timed(s, saturatedTiming_);
    if (timing) *timing = saturatedTiming_;
    return true;
  }
  if (timing) timed(s, *timing);
  return true;
}

int64_t EyerissPlanner::cyclesLowerBound() const {
  // cycles = load_0 + sum_i max(work_i, load_{i+1}, store_{i-1}) + store_last + L + depth
  // >= (L + 1) + sum_i work_i + 1 + L + depth. Every MAC of the layer runs on one PE in one pass
  // and a PE does at most a pass's MAC cycles of them, with at most setRows * vSlots rows x
  // cols PEs active: MAC cycles >= macs / (setRows * vSlots * cols), a multiple of Q (each
  // pass's are), and spad loads add a Q-th of them.
  if (failure_ != 0) return -1;
  const EyerissSchedule& s = base_;
  const int64_t macs =
      s.images * s.groups * s.groupKernels * s.groupChannels * s.P * s.Q * s.R * s.S;
  const int64_t macCycles = s.Q * ceilDiv(ceilDiv(macs, s.setRows * s.vSlots * s.cols), s.Q);
  return (s.dramLatency + 1) + macCycles + macCycles / s.Q + (s.pipelineDepth + 1) + s.dramLatency;
}

void EyerissPlanner::timed(const EyerissSchedule& s, EyerissTiming& timing) {
  if (!memo_) {
    timing = eyerissTiming(s);
    return;
  }
  // Within one planner only the tiles and the PE mapping vary.
  const int64_t key[10] = {s.tileGroups, s.tileKernels,  s.tileChannels,  s.tileRows, s.stripRows,
                           s.hSlots,     s.kernelsPerPe, s.channelsPerPe, s.chain,    s.stacks};
  for (const Timed& t : timings_)
    if (std::equal(key, key + 10, t.key)) {
      timing = t.timing;
      return;
    }
  timing = eyerissTiming(s);
  timings_.push_back(Timed{});
  std::copy(key, key + 10, timings_.back().key);
  timings_.back().timing = timing;
}

namespace {

// The scalar entry points plan with one planner per thread: its memory is reused, and a reset
// to the same layer view and design (the batched path's fallbacks, one per buffer size) keeps
// what it computed.
EyerissPlanner& scalarPlanner(const Layer& layer, const ArrayConfig& config) {
  thread_local EyerissPlanner planner;
  planner.reset(layer, config);
  return planner;
}

}  // namespace

bool planEyeriss(const Layer& layer, const ArrayConfig& config, EyerissSchedule& s,
                 std::string* reason) {
  return scalarPlanner(layer, config).plan(config.bufferBytes, s, nullptr, reason);
}

namespace {

class EyerissModel final : public CostModel {
 public:
  Style style() const override { return Style::Eyeriss; }

  Cost evaluate(const Layer& layer, const ArrayConfig& config) const override {
    Cost cost;
    if (config.style != Style::Eyeriss) {
      cost.reason = "the eyeriss model needs an Eyeriss-style config";
      return cost;
    }
    if (config.rows < 1 || config.cols < 1) {
      cost.reason = "no PEs allocated (the array has 0 rows or columns)";
      return cost;
    }
    if (config.bufferBytes < 1) {
      cost.reason = "no global buffer allocated";
      return cost;
    }
    try {
      config.validate();
      layer.validate();
    } catch (const std::exception& e) {
      cost.reason = e.what();
      return cost;
    }
    cost.macs = layer.macs();
    EyerissSchedule s;
    EyerissTiming t;
    if (!scalarPlanner(layer, config).plan(config.bufferBytes, s, &t, &cost.reason)) return cost;
    return finish(layer, config, s, t);
  }

  // Every exact factorization rows x cols = PEs; the fastest for this layer wins.
  ArrayConfig configFor(const Layer& layer, const Allocation& alloc,
                        const HardwareParams& hw) const override {
    ArrayConfig best;
    best.style = Style::Eyeriss;
    best.filterSpad = 224, best.ifmapSpad = 12, best.psumSpad = 24;  // the Eyeriss chip
    best.bufferBytes = alloc.bufferBytes;
    best.dramBytesPerCycle = hw.dramBytesPerCycle;
    best.dramLatencyCycles = hw.dramLatencyCycles;
    best.rows = std::max<int64_t>(alloc.pes, 0), best.cols = alloc.pes > 0 ? 1 : 0;
    if (alloc.pes <= 0 || alloc.bufferBytes <= 0) return best;  // evaluate() reports it
    try {
      layer.validate();
    } catch (const std::exception&) {
      return best;
    }
    int64_t bestCycles = -1;
    bool haveShape = false;
    for (int64_t r = 1; r <= 1024 && r <= alloc.pes; ++r) {
      if (alloc.pes % r != 0 || alloc.pes / r > 1024) continue;
      ArrayConfig cand = best;
      cand.rows = r, cand.cols = alloc.pes / r;
      if (!haveShape) best.rows = cand.rows, best.cols = cand.cols, haveShape = true;
      EyerissSchedule s;
      EyerissTiming t;
      if (!scalarPlanner(layer, cand).plan(cand.bufferBytes, s, &t, nullptr)) continue;
      const int64_t cycles = t.cycles;
      if (bestCycles < 0 || cycles < bestCycles) {
        bestCycles = cycles;
        best = cand;
      }
    }
    return best;
  }

  // [Area] PEs (MAC, psum adder, scratchpads as flip-flops) + GLB SRAM + control.
  std::vector<std::pair<std::string, double>> areaBreakdownUm2(
      const ArrayConfig& c) const override {
    const EyerissArea<double> a = eyerissArea(
        tech_, double(c.rows * c.cols),
        double(8 * c.filterSpad + 8 * c.ifmapSpad + 32 * c.psumSpad), double(c.bufferBytes));
    return {{"PE MACs", a.peMacsUm2},
            {"PE scratchpads", a.peSpadsUm2},
            {"global buffer", a.glbUm2},
            {"control", a.controlUm2}};
  }

  // [FPGA] memories as rtlgen builds them, mapped the way Yosys 0.23 maps them (exact); logic
  // LUTs and FFs fitted to Yosys on generated designs (costmodel/docs/eyeriss.md, [FPGA]).
  FpgaResources fpgaResources(const ArrayConfig& c) const override {
    auto pow2Ceil = [](int64_t v) {
      int64_t p = 1;
      while (p < v) p *= 2;
      return p;
    };
    auto log2Ceil = [](int64_t v) {
      int64_t n = 0;
      while ((int64_t(1) << n) < v) ++n;
      return n;
    };
    const int64_t rows = std::max<int64_t>(1, c.rows), cols = std::max<int64_t>(1, c.cols);
    const int64_t pes = rows * cols, B = std::max<int64_t>(1, c.dramBytesPerCycle);
    const int64_t ob = std::max<int64_t>(1, c.outputBytes), NB = c.ifmapBusBytes();
    // Rows of one bank: at least 2 address bits, never fewer than 2^(bits-1) + 1 entries.
    auto bankRows = [&](int64_t entries, int64_t banks) {
      const int64_t r = ceilDiv(std::max<int64_t>(1, entries), banks);
      const int64_t bits = std::max<int64_t>(2, log2Ceil(r));
      return std::max(r, (int64_t(1) << (bits - 1)) + 1);
    };
    struct Memory {
      int64_t copies, width, depth;
    };
    const int64_t filterBanks = pow2Ceil((rows - 1 + B) / rows);
    const int64_t psumBanks = pow2Ceil(ceilDiv(B, cols * ob));
    const Memory glb[] = {
        {filterBanks, 8 * rows, bankRows(ceilDiv(c.bufferBytes, rows), filterBanks)},
        {2, 8 * NB, bankRows(ceilDiv(c.bufferBytes, NB), 2)},
        {2 * psumBanks, 32 * cols, bankRows(ceilDiv(c.bufferBytes, 4 * cols), psumBanks)}};
    FpgaResources r;
    int64_t lutRam = 0, ffBits = 0;
    for (const Memory& m : glb) {
      const XilinxMemory x = mapXilinxMemory(m.width, m.depth);
      r.bram18 += m.copies * x.bram18, r.bram36 += m.copies * x.bram36;
      lutRam += m.copies * x.lutRam, ffBits += m.copies * x.ffBits;
    }
    // Per PE: the filter spad (one read port) and the psum spad (two: MAC and drain) in
    // LUT-RAM; the descriptor ring's LUT-RAM is part of the fixed control.
    const XilinxMemory filterSpad = mapXilinxMemory(8, std::max<int64_t>(1, c.filterSpad));
    const int64_t psumSpadCells = 8 * ceilDiv(std::max<int64_t>(1, c.psumSpad), 32);
    lutRam += pes * (filterSpad.lutRam + 4 * psumSpadCells);
    // One DSP48E1 per MAC. The sequencer's padLeft * colStride, which Yosys cuts to the ifmap
    // byte address (rtlgen's IBA = row bits + 1 + log2 NB): one DSP up to 16 bits, two from 17.
    // The store's multiplies by cols * outputBytes bytes a pixel when that is not a power of
    // two: two, and a third with banked psum words. (Fitted on 17 Yosys runs: 1 x 5 .. 1 x 14,
    // 2 x 3, 3 x 7 at 3000 B, 1 x 9 from 8 KiB to 108 KiB, the designs below and the chip.)
    const int64_t ifmapByteBits =
        std::max<int64_t>(2, log2Ceil(ceilDiv(ceilDiv(c.bufferBytes, NB), 2))) + 1 + log2Ceil(NB);
    const int64_t pixelBytes = cols * ob;
    const int64_t storeDsp = (pixelBytes & (pixelBytes - 1)) == 0 ? 0 : psumBanks > 1 ? 3 : 2;
    r.dsp = pes + (ifmapByteBits >= 17 ? 2 : 1) + storeDsp;
    // LUT: the parts that scale, shaped as in the NVDLA-style model (the load gearboxes of the
    // ifmap and filter words, requantization of every int32 a store reads per cycle, the store
    // gearbox), the window (12 per entry); the fixed control (with the descriptor ring's
    // LUT-RAM), the per-PE rest and the lane select (an NB:1 byte multiplexer per PE, 3 LUTs per
    // bus byte) fitted to Yosys on five generated designs, the Eyeriss chip's array among them.
    const int64_t isp = std::max<int64_t>(1, c.ifmapSpad);
    const int64_t requant = ob == 1 ? psumBanks * cols : 0;
    auto gearbox = [&](int64_t w) { return 10 * w + B * (60 + w / 2); };
    const int64_t windowIfmap = std::max(NB - 1 + B, 2 * NB);
    const int64_t windowFilter = std::max(rows - 1 + B, filterBanks * rows);
    const int64_t storeQ = psumBanks * pixelBytes + B - 1;  // a psum row's bytes + a beat
    const int64_t storeCW = std::max<int64_t>(4, log2Ceil(storeQ + 1));
    r.lut = 5234 + 254 * requant + gearbox(windowIfmap) + gearbox(windowFilter) +
            17 * storeQ * storeCW + pes * (176 + 3 * NB + 12 * isp) + 44 * NB + lutRam;
    r.ff = 4535 + pes * (8 * isp - 3) + 43 * NB + ffBits;
    return r;
  }

 private:
  Cost finish(const Layer& layer, const ArrayConfig& c, const EyerissSchedule& s,
              const EyerissTiming& t) const {
    const TechTable& tech = tech_;
    Cost cost;
    cost.feasible = true;
    cost.macs = layer.macs();
    cost.cycles = t.cycles;
    cost.computeCycles = t.macCycles;
    cost.fillDrainCycles = t.passOverheadCycles + t.lastStoreCycles + s.dramLatency;
    cost.dmaStallCycles = t.cycles - cost.computeCycles - cost.fillDrainCycles;
    cost.dramReadBytes = t.dramReadBytes;
    cost.dramWriteBytes = t.dramWriteBytes;
    cost.bufferNeedBytes = s.bufferNeedBytes;
    const int64_t pes = c.rows * c.cols;
    cost.utilization = utilization(double(cost.macs), double(pes), double(t.cycles));

    // [Energy] action counts (formulas shared with the batched path: eyeriss_cost.h).
    const EyerissCounts n = eyerissCounts(s);
    EyerissActions<double> a;
    a.macs = double(cost.macs);
    a.outputs = double(layer.outputElems()), a.weights = double(layer.weightElems());
    a.psumRows = double(n.psumRows);
    a.streamPixels = double(n.streamPixels);
    a.imageRows = double(n.imageRows);
    a.ifmapBlocks = double(n.ifmapBlocks);
    a.channelRows = double(n.channelRows);
    a.setInRows = double(n.setInRows);
    a.setPes = double(n.setPes);
    a.multicast = double(n.multicast);
    a.imageStrips = double(n.imageStrips);
    a.psumPasses = double(n.psumPasses);
    a.dramBytes = double(t.dramReadBytes + t.dramWriteBytes);
    a.outputBytes = double(s.outputBytes);
    a.pes = double(pes), a.cycles = double(t.cycles);
    a.glbPjPerByte = tech.sramPjPerByte(double(c.bufferBytes));
    const EnergyTerms<double> e = eyerissEnergy(tech, a);
    cost.energy = toBreakdown(e);
    cost.areaUm2 = areaUm2(c);
    cost.powerMw = powerMw(tech, cost.energyPj(), a.cycles);
    return cost;
  }
};

}  // namespace

std::unique_ptr<CostModel> makeEyerissModel() {
  return std::make_unique<EyerissModel>();
}

// The batched path (batch_eyeriss.cpp) reproduces this model; other CostModels are batched by
// calling them point by point.
bool isEyerissModel(const CostModel& model) {
  return dynamic_cast<const EyerissModel*>(&model) != nullptr;
}

}  // namespace analects
