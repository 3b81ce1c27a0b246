// Closed-form timing of an NVDLA-style schedule. It evaluates the same lockstep recurrence as
// replayNvdlaCycles() but over runs: a run of steps is summed up by its boundary figures, so
// runs concatenate and repeat in O(1); identical steps, interior bands and column tiles and
// whole (image, super-group) blocks are evaluated once and multiplied, so the cost is
// O(edge bands x edge column tiles), not O(steps).
#include "nvdla_timing.h"

#include <algorithm>

namespace analects {

namespace {

// The lockstep sum over a contiguous run of steps, sum_i max(compute_i, load_{i+1},
// store_{i-1}), kept as a function of the run's two neighbours: the step before it (whose
// store overlaps the run's first step) and the step after (whose load overlaps its last).
// Runs concatenate and repeat in O(1), so a repeated unit is never re-evaluated.
struct Run {
  int64_t steps = 0;  // 0, 1, or 2 for "two or more" (all that the algebra needs)
  int64_t firstLoad = 0, lastStore = 0;
  // One step: head is its compute, its term max(head, prevStore, nextLoad).
  // Two or more: the first step's term is max(head, prevStore) with head = max(c_0, l_1), the
  // last one's max(tail, nextLoad) with tail = max(c_last, s_{last-1}); inner is the rest.
  int64_t head = 0, tail = 0, inner = 0;
};

[[gnu::always_inline]] inline Run step(int64_t compute, int64_t load, int64_t store) {
  return Run{1, load, store, compute, 0, 0};
}

// a, then b: a's last step sees b's first load, b's first step sees a's last store.
[[gnu::always_inline]] inline Run then(const Run& a, const Run& b) {
  if (a.steps == 0) return b;
  if (b.steps == 0) return a;
  Run r{2, a.firstLoad, b.lastStore, a.head, b.tail, a.inner + b.inner};
  if (a.steps == 1)
    r.head = std::max(a.head, b.firstLoad);
  else
    r.inner += std::max(a.tail, b.firstLoad);
  if (b.steps == 1)
    r.tail = std::max(b.head, a.lastStore);
  else
    r.inner += std::max(b.head, a.lastStore);
  return r;
}

// u repeated m times: every junction between copies is the same.
[[gnu::always_inline]] inline Run times(const Run& u, int64_t m) {
  if (m <= 1) return m == 1 ? u : Run{};
  if (u.steps == 1) {  // a run of m identical steps
    return Run{2,
               u.firstLoad,
               u.lastStore,
               std::max(u.head, u.firstLoad),
               std::max(u.head, u.lastStore),
               (m - 2) * std::max({u.head, u.firstLoad, u.lastStore})};
  }
  Run r = u;
  r.inner = m * u.inner +
            (m - 1) * (std::max(u.tail, u.firstLoad) + std::max(u.head, u.lastStore));
  return r;
}

// r, then u repeated m times.
[[gnu::always_inline]] inline void append(Run& r, const Run& u, int64_t m) {
  r = then(r, times(u, m));
}

// load_0 + the lockstep sum + store_last + L (replayNvdlaCycles()): nothing before the first
// step, nothing after the last.
int64_t lockstepCycles(const Run& r, int64_t latency) {
  if (r.steps == 0) return 0;
  const int64_t terms = r.steps == 1 ? r.head : r.head + r.inner + r.tail;
  return r.firstLoad + terms + r.lastStore + latency;
}

// Tiles [lo, hi) along one axis are interior: full size and clipped by neither padding, so
// they are identical and can be accounted as one repeated unit. Tile 0 always stays
// individual (it loads resident weights).
void interiorTiles(int64_t tiles, int64_t tile, int64_t outSize, int64_t inSize, int64_t stride,
                   int64_t pad, int64_t effK, int64_t& lo, int64_t& hi) {
  const int64_t span = tile * stride;
  lo = std::max<int64_t>(1, (pad + span - 1) / span);
  // Tile t's last window ends at (t*tile + tile - 1)*stride - pad + effK - 1 <= inSize - 1.
  const int64_t limit = inSize - 1 + pad - (tile - 1) * stride - effK + 1;
  const int64_t fit = limit < 0 ? 0 : limit / span + 1;  // tiles t < fit end inside the input
  hi = std::min(outSize % tile == 0 ? tiles : tiles - 1, fit);
  if (hi < lo) hi = lo;
}

// Input rows of an interior band and input columns of an interior column tile: clipped by
// neither padding, they are bandInputRows() / colInputCols() without the clipping, in O(1).
int64_t interiorBandInputRows(const NvdlaSchedule& s) {
  const int64_t effR = s.dilationH * (s.R - 1) + 1;
  return s.strideH < effR ? (s.bandRows - 1) * s.strideH + effR : s.bandRows * s.R;
}

int64_t interiorColInputCols(const NvdlaSchedule& s) {
  return (s.colTile - 1) * s.strideW + s.dilationW * (s.S - 1) + 1;
}

void interiorBands(const NvdlaSchedule& s, int64_t& lo, int64_t& hi) {
  interiorTiles(s.bands, s.bandRows, s.P, s.H, s.strideH, s.padTop, s.dilationH * (s.R - 1) + 1, lo,
                hi);
}

void interiorCols(const NvdlaSchedule& s, int64_t& lo, int64_t& hi) {
  if (s.colTiles == 1) {  // whole rows: one tile
    lo = 1, hi = 1;
    return;
  }
  interiorTiles(s.colTiles, s.colTile, s.Q, s.W, s.strideW, s.padLeft, s.dilationW * (s.S - 1) + 1,
                lo, hi);
}

// Walks tiles from..tiles-1 in order as (tile, count): the interior tiles, identical, as one
// visit of tile lo counting hi - lo. A loop, not a visitor, so the loop body inlines.
class TileWalk {
 public:
  TileWalk(int64_t from, int64_t tiles, int64_t lo, int64_t hi)
      : t_(from), tiles_(tiles), lo_(lo), hi_(hi) {}
  bool next(int64_t& tile, int64_t& count) {
    if (t_ >= tiles_) return false;
    tile = t_;
    count = t_ == lo_ && hi_ > lo_ ? hi_ - lo_ : 1;
    t_ += count;
    return true;
  }
  bool interior(int64_t tile) const { return tile >= lo_ && tile < hi_; }

 private:
  int64_t t_, tiles_, lo_, hi_;
};

// Sum over tiles of f(t), with the interior tiles counted once and multiplied.
template <typename F>
int64_t sumTiles(int64_t tiles, int64_t lo, int64_t hi, F&& f) {
  int64_t total = 0;
  for (int64_t t = 0; t < std::min(lo, tiles); ++t) total += f(t);
  if (hi > lo) total += (hi - lo) * f(lo);
  for (int64_t t = std::max(hi, lo); t < tiles; ++t) total += f(t);
  return total;
}

// The steps of a BandOuter block, per (band, column tile): every kernel group, each over its
// channel tiles (expandSteps()).
struct BandOuterTiles {
  explicit BandOuterTiles(const NvdlaSchedule& sched)
      : s(sched),
        weightsPerBlock(s.atomK * s.R * s.S * s.atomC),
        weightsLoad(s.readCycles(weightsPerBlock * s.channelBlocks)) {
    interiorCols(s, colLo, colHi);
  }

  // One (band, column tile) of rows x cols outputs from inRows x inCols inputs; `weights`: its
  // first kernel group's first step loads the weights (else they are resident).
  [[gnu::always_inline]] Run tile(int64_t rows, int64_t inRows, int64_t cols, int64_t inCols,
                                  bool weights) const {
    const int64_t inPerBlock = inRows * inCols * s.atomC;
    const int64_t st = s.storeCycles(rows, cols);
    if (s.channelTiles == 1) {
      // Kernel group 0 loads the input (and the weights unless resident), the others their
      // weights only: then(step(comp, first, st), times(step(comp, later, st), kgN - 1)),
      // folded.
      const int64_t comp = s.channelBlocks * s.R * s.S * rows * cols;
      const int64_t first =
          s.readCycles((inPerBlock + (weights ? weightsPerBlock : 0)) * s.channelBlocks);
      if (s.kernelGroups == 1) return step(comp, first, st);
      const int64_t later = weights ? weightsLoad : 0;
      return Run{2,
                 first,
                 st,
                 std::max(comp, later),
                 std::max(comp, st),
                 (s.kernelGroups - 2) * std::max({comp, later, st})};
    }
    // Every step reloads its channel tile of input and weights (channel tiles exist only when
    // nothing is resident); the outputs are stored after a kernel group's last channel tile.
    const int64_t lastCt = s.channelTiles - 1, lastBlocks = s.tileChannelBlocks(lastCt);
    const int64_t perPixel = s.R * s.S * rows * cols, loadPerBlock = inPerBlock + weightsPerBlock;
    const Run full = step(s.channelTile * perPixel, s.readCycles(loadPerBlock * s.channelTile), 0);
    const Run last = step(lastBlocks * perPixel, s.readCycles(loadPerBlock * lastBlocks), st);
    return times(then(times(full, lastCt), last), s.kernelGroups);
  }

  // Column tiles from..colTiles-1 of a band; weights load with every tile unless resident.
  [[gnu::always_inline]] Run band(int64_t rows, int64_t inRows, int64_t fromCol) const {
    if (s.colTiles == 1)  // whole rows
      return fromCol == 0 ? tile(rows, inRows, s.Q, s.W, !s.weightsResident) : Run{};
    Run r;
    TileWalk cols(fromCol, s.colTiles, colLo, colHi);
    for (int64_t c, n; cols.next(c, n);) {
      const bool interior = cols.interior(c);
      append(r,
             tile(rows, inRows, interior ? s.colTile : s.colOutputCols(c),
                  interior ? interiorColInputCols(s) : s.colInputCols(c), !s.weightsResident),
             n);
    }
    return r;
  }

  const NvdlaSchedule& s;
  const int64_t weightsPerBlock;  // one kernel group's weights of one channel block
  const int64_t weightsLoad;      // one kernel group's weights over all channel blocks
  int64_t colLo = 1, colHi = 1;
};

}  // namespace

namespace {

// First step's load and last step's store (the step order of expandSteps()): the first step
// (sg 0, image 0, band 0, column tile 0, kernel group 0, channel tile 0) loads its input and
// weights in either order; the last stores the last band's last column tile.
int64_t firstLoadCycles(const NvdlaSchedule& s) {
  const int64_t blocks0 = s.tileChannelBlocks(0);
  return s.readCycles(s.bandInputRows(0) * s.colInputCols(0) * blocks0 * s.atomC +
                      s.atomK * s.R * s.S * blocks0 * s.atomC);
}

int64_t lastStoreCycles(const NvdlaSchedule& s) {
  return s.storeCycles(s.bandOutputRows(s.bands - 1), s.colOutputCols(s.colTiles - 1));
}

}  // namespace

bool nvdlaComputeBound(const NvdlaSchedule& s) {
  // Upper bounds of a step's input rows and columns (a band's window span, or R taps per output
  // row when the stride skips rows, never more than the input), of its weights (one kernel
  // group of its channel tile) and of a store (the tallest band, widest column tile); the
  // smallest compute is the last band's, last column tile's, last channel tile's.
  const int64_t effR = s.dilationH * (s.R - 1) + 1, effS = s.dilationW * (s.S - 1) + 1;
  const int64_t inRows = std::min(s.H, (s.bandRows - 1) * s.strideH + effR);
  const int64_t inCols =
      s.colTiles == 1 ? s.W : std::min(s.W, (s.colTile - 1) * s.strideW + effS);
  const int64_t tileBytes = s.channelTile * s.atomC;
  const int64_t maxLoad = s.readCycles((inRows * inCols + s.atomK * s.R * s.S) * tileBytes);
  const int64_t maxStore = s.storeCycles(s.bandRows, s.colTile);
  const int64_t minCompute = s.tileChannelBlocks(s.channelTiles - 1) * s.R * s.S *
                             s.bandOutputRows(s.bands - 1) * s.colOutputCols(s.colTiles - 1);
  return minCompute >= std::max(maxLoad, maxStore);
}

int64_t nvdlaCycles(const NvdlaSchedule& s) {
  // No DMA stall anywhere: every max() of the lockstep sum is the step's compute.
  if (nvdlaComputeBound(s)) {
    const int64_t blocks = s.superGroups * s.images;
    return firstLoadCycles(s) +
           blocks * s.kernelGroups * s.channelBlocks * s.R * s.S * s.P * s.Q +
           lastStoreCycles(s) + s.dramLatency;
  }
  int64_t bandLo, bandHi;
  interiorBands(s, bandLo, bandHi);
  // Each distinct band, column tile and kernel group is evaluated once; repeats are O(1).
  TileWalk bands(1, s.bands, bandLo, bandHi);  // bands 1..bands-1
  int64_t b, n;
  auto rowsOf = [&](int64_t band) {
    return bands.interior(band) ? s.bandRows : s.bandOutputRows(band);
  };
  auto inRowsOf = [&](int64_t band) {
    return bands.interior(band) ? interiorBandInputRows(s) : s.bandInputRows(band);
  };
  const int64_t rows0 = s.bandOutputRows(0), inRows0 = s.bandInputRows(0);
  Run blockFirst, blockNext;  // one (super-group, image) block: its first image, the others
  if (s.order == NvdlaOrder::BandOuter) {
    // Resident weights load with an image's first tile (band 0, column tile 0) in the
    // super-group's first image only; everything after that tile is the same in every image.
    const BandOuterTiles tiles(s);
    Run rest = tiles.band(rows0, inRows0, 1);
    while (bands.next(b, n)) append(rest, tiles.band(rowsOf(b), inRowsOf(b), 0), n);
    const int64_t cols0 = s.colTiles == 1 ? s.Q : s.colOutputCols(0);
    const int64_t inCols0 = s.colTiles == 1 ? s.W : s.colInputCols(0);
    blockFirst = then(tiles.tile(rows0, inRows0, cols0, inCols0, true), rest);
    if (s.weightsResident && s.images > 1)
      blockNext = then(tiles.tile(rows0, inRows0, cols0, inCols0, false), rest);
    else
      blockNext = blockFirst;
  } else {
    // KgOuter: one pass over the bands per kernel group. Resident input loads only in the
    // first pass; the weights load with band 0 (resident ones in the first image only).
    Run restIn, restResident;  // bands 1.. of a pass loading its input, of one reusing it
    while (bands.next(b, n)) {
      const int64_t rows = rowsOf(b);
      const int64_t comp = s.channelBlocks * s.R * s.S * rows * s.Q;
      const int64_t st = s.storeCycles(rows, s.Q);
      append(restIn, step(comp, s.readCycles(inRowsOf(b) * s.W * s.paddedChannels), st), n);
      if (s.inputResident) append(restResident, step(comp, 0, st), n);
    }
    const Run& restLater = s.inputResident ? restResident : restIn;
    const int64_t comp0 = s.channelBlocks * s.R * s.S * rows0 * s.Q;
    const int64_t store0 = s.storeCycles(rows0, s.Q), inBytes0 = inRows0 * s.W * s.paddedChannels;
    auto pass = [&](bool in, bool w, const Run& restOfPass) {
      const int64_t load = s.readCycles((in ? inBytes0 : 0) + (w ? s.weightGroupBytes : 0));
      return then(step(comp0, load, store0), restOfPass);
    };
    auto block = [&](bool firstImage) {
      const bool w = !s.weightsResident || firstImage;
      return then(pass(true, w, restIn),
                  times(pass(!s.inputResident, w, restLater), s.kernelGroups - 1));
    };
    blockFirst = block(true);
    blockNext = s.weightsResident && s.images > 1 ? block(false) : blockFirst;
  }
  if (s.superGroups == 1 && s.images == 1) return lockstepCycles(blockFirst, s.dramLatency);
  const Run superGroup = then(blockFirst, times(blockNext, s.images - 1));
  return lockstepCycles(times(superGroup, s.superGroups), s.dramLatency);
}

NvdlaTiming nvdlaTiming(const NvdlaSchedule& s) {
  NvdlaTiming t = nvdlaTraffic(s);
  t.cycles = nvdlaCycles(s);
  return t;
}

int64_t nvdlaInputRowsTotal(const NvdlaSchedule& s) {
  int64_t lo, hi;
  interiorBands(s, lo, hi);
  return sumTiles(s.bands, lo, hi, [&](int64_t b) { return s.bandInputRows(b); });
}

int64_t nvdlaInputColsTotal(const NvdlaSchedule& s) {
  int64_t lo, hi;
  interiorCols(s, lo, hi);
  return sumTiles(s.colTiles, lo, hi, [&](int64_t c) { return s.colInputCols(c); });
}

NvdlaTiming nvdlaTraffic(const NvdlaSchedule& s) {
  return nvdlaTraffic(s, nvdlaInputRowsTotal(s), nvdlaInputColsTotal(s));
}

NvdlaTrafficTerms nvdlaTrafficTerms(const NvdlaSchedule& s) {
  NvdlaTrafficTerms t;
  const int64_t blocks = s.superGroups * s.images;
  t.computeCycles = blocks * s.kernelGroups * s.channelBlocks * s.R * s.S * s.P * s.Q;
  t.writeBytes = blocks * s.kernelGroups * s.atomK * s.P * s.Q * s.outputBytes;
  // Every (band, column tile) is fetched once, or once per kernel group when it is reloaded.
  const bool inputPerKg = (s.order == NvdlaOrder::KgOuter && !s.inputResident) ||
                          (s.order == NvdlaOrder::BandOuter && s.channelTiles > 1);
  t.inputBytesPerRowCol = blocks * s.paddedChannels * (inputPerKg ? s.kernelGroups : 1);
  // Weights: once per super-group when resident, else once per image (KgOuter) or per (image,
  // band, column tile) (BandOuter).
  t.weightsPerTile = !s.weightsResident && s.order == NvdlaOrder::BandOuter;
  t.weightBytesPerLoad =
      s.superGroups * (s.weightsResident ? 1 : s.images) * s.kernelGroups * s.weightGroupBytes;
  return t;
}

NvdlaTiming nvdlaTraffic(const NvdlaSchedule& s, int64_t inRowsTotal, int64_t inColsTotal) {
  return nvdlaTrafficTerms(s).of(inRowsTotal, inColsTotal, s.bands * s.colTiles);
}

namespace {

int64_t floorDiv(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// A lower bound on sum_c colInputCols(c) over any column tiling: whole rows fetch W columns;
// column tiles fetch at least the union of their windows' spans, which is the whole span when
// windows overlap (strideW < effS) and else every column some tap reads.
int64_t minInputCols(const NvdlaSchedule& s) {
  const int64_t effS = s.dilationW * (s.S - 1) + 1;
  if (s.strideW < effS)
    return std::max<int64_t>(0,
                             std::min((s.Q - 1) * s.strideW - s.padLeft + effS - 1, s.W - 1) + 1);
  int64_t n = 0;
  for (int64_t tap = 0; tap < s.S; ++tap) {
    const int64_t off = tap * s.dilationW - s.padLeft;  // column q * strideW + off
    const int64_t lo = std::max<int64_t>(0, -floorDiv(off, s.strideW));
    const int64_t hi = std::min(s.Q, floorDiv(s.W - 1 - off, s.strideW) + 1);
    n += std::max<int64_t>(0, hi - lo);
  }
  return n;
}

}  // namespace

int64_t nvdlaMinInputRows(const NvdlaSchedule& s) {
  NvdlaSchedule whole = s;
  whole.bandRows = s.P, whole.bands = 1;
  return whole.bandInputRows(0);
}

int64_t nvdlaMinInputCols(const NvdlaSchedule& s) {
  return minInputCols(s);
}

int64_t nvdlaReadBytesLowerBound(const NvdlaSchedule& s, int64_t minRows, int64_t minCols) {
  // nvdlaTraffic()'s terms at their least: every (band, column tile) is fetched once, or once
  // per kernel group when reloaded (inputPerKg); weights load once per super-group when
  // resident, else at least once per image.
  const bool inputPerKg = (s.order == NvdlaOrder::KgOuter && !s.inputResident) ||
                          (s.order == NvdlaOrder::BandOuter && s.channelTiles > 1);
  return s.superGroups * (s.weightsResident ? 1 : s.images) * s.kernelGroups * s.weightGroupBytes +
         s.superGroups * s.images * minRows * minCols * s.paddedChannels *
             (inputPerKg ? s.kernelGroups : 1);
}

int64_t nvdlaCyclesLowerBound(const NvdlaSchedule& s) {
  // The lockstep sum load_0 + sum_i max(compute_i, load_{i+1}, store_{i-1}) + store_last + L
  // is at least each of
  //   load_0 + sum_i compute_i + store_last + L,
  //   load_0 + sum_i store_i + L          (each store is some later step's store_{i-1}),
  //   sum_i load_i + store_last + L       (each load after the first is load_{i+1}),
  // where the first step loads weights (load_0 >= L + 1), a store is pipelineDepth +
  // ceil(bytes / B) with at least one per (super-group, image, kernel group), compute does
  // not depend on the tiling, and every (super-group, image) loads every kernel group's
  // weights and every (band, column tile)'s input at least once: sum_b inRows(b) is at least
  // the rows of one whole-image band (the bands' spans cover its span, or its tap rows), and
  // sum_c inCols(c) at least minInputCols().
  const int64_t L = s.dramLatency, B = s.dramBytesPerCycle, depth = s.pipelineDepth;
  const int64_t blocks = s.superGroups * s.images;
  const int64_t compute = blocks * s.kernelGroups * s.channelBlocks * s.R * s.S * s.P * s.Q;
  const int64_t writeBytes = blocks * s.kernelGroups * s.atomK * s.P * s.Q * s.outputBytes;
  NvdlaSchedule once = s;  // every byte once: weights resident, input not reloaded
  once.order = NvdlaOrder::BandOuter, once.weightsResident = true, once.channelTiles = 1;
  const int64_t readBytes =
      nvdlaReadBytesLowerBound(once, nvdlaMinInputRows(s), nvdlaMinInputCols(s));
  const int64_t firstLoad = L + 1, lastStore = depth + 1;
  return std::max({firstLoad + compute + lastStore + L,
                   firstLoad + blocks * s.kernelGroups * depth + (writeBytes + B - 1) / B + L,
                   L + (readBytes + B - 1) / B + lastStore + L});
}

int64_t nvdlaTilingCyclesLowerBound(const NvdlaSchedule& s, const NvdlaTiming& traffic) {
  // The same three sums as nvdlaCyclesLowerBound(), with this tiling's figures: the first
  // step (sg 0, image 0, band 0, column tile 0, kernel group 0, channel tile 0) loads its
  // input and weights in either order; the last step stores the last band's last column
  // tile; there is one store per (super-group, image, kernel group, band, column tile), and
  // every load and store of at least one byte costs at least its ceil(bytes / B) share.
  const int64_t L = s.dramLatency, B = s.dramBytesPerCycle;
  const int64_t firstLoad = firstLoadCycles(s), lastStore = lastStoreCycles(s);
  const int64_t stores = s.superGroups * s.images * s.kernelGroups * s.bands * s.colTiles;
  return std::max({firstLoad + traffic.computeCycles + lastStore + L,
                   firstLoad + stores * s.pipelineDepth + (traffic.dramWriteBytes + B - 1) / B + L,
                   L + (traffic.dramReadBytes + B - 1) / B + lastStore + L});
}

}  // namespace analects
