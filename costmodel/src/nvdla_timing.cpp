// Closed-form timing of an NVDLA-style schedule. It evaluates the same lockstep recurrence as
// replayNvdlaCycles() but over runs: identical steps, bands and whole (image, super-group)
// blocks are accounted once and multiplied, so the cost is O(bands), not O(steps).
#include "nvdla_timing.h"

#include <algorithm>

namespace analects {

namespace {

// Accumulates sum_i max(compute_i, load_{i+1}, store_{i-1}) over a step stream.
class LockstepSum {
 public:
  // A run of `count` identical steps.
  void push(int64_t compute, int64_t load, int64_t store, int64_t count) {
    if (count <= 0) return;
    if (!started_) {
      total_ += load;  // the first step's tiles load before anything can compute
      started_ = true;
    } else {
      total_ += std::max({pendCompute_, load, pendPrevStore_});
    }
    // Steps 1..count-1 of the run see this run's load as "next" and its store as "previous".
    if (count >= 2) {
      total_ += std::max({compute, load, pendStoreOrZero()});  // first of the run
      total_ += (count - 2) * std::max({compute, load, store});
      pendPrevStore_ = store;
    } else {
      pendPrevStore_ = pendStoreOrZero();
    }
    pendCompute_ = compute;
    lastStore_ = store;
    hasPending_ = true;
  }
  // Repeats a unit (a lambda pushing steps) m times. From the third copy on, every copy
  // starts from the same state (the unit's own last steps), so copies 3..m contribute equally.
  template <typename F>
  void repeat(int64_t m, F&& unit) {
    for (int64_t i = 0; i < std::min<int64_t>(m, 2); ++i) unit();
    if (m <= 2) return;
    int64_t before = total_;
    unit();
    total_ += (total_ - before) * (m - 3);
  }
  int64_t finish(int64_t tail) {
    if (!hasPending_) return 0;
    return total_ + std::max(pendCompute_, pendPrevStore_) + lastStore_ + tail;
  }

 private:
  int64_t pendStoreOrZero() const { return hasPending_ ? lastStore_ : 0; }
  bool started_ = false, hasPending_ = false;
  int64_t total_ = 0, pendCompute_ = 0, pendPrevStore_ = 0, lastStore_ = 0;
};

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

// Visits tile indices 0..tiles-1 in order, the interior ones as one repeated unit.
template <typename F>
void forEachTile(int64_t tiles, int64_t lo, int64_t hi, LockstepSum& sum, F&& visit) {
  for (int64_t t = 0; t < std::min(lo, tiles); ++t) visit(t);
  sum.repeat(hi - lo, [&] { visit(lo); });
  for (int64_t t = std::max(hi, lo); t < tiles; ++t) visit(t);
}

// Sum over tiles of f(t), with the interior tiles counted once and multiplied.
template <typename F>
int64_t sumTiles(int64_t tiles, int64_t lo, int64_t hi, F&& f) {
  int64_t total = 0;
  for (int64_t t = 0; t < std::min(lo, tiles); ++t) total += f(t);
  if (hi > lo) total += (hi - lo) * f(lo);
  for (int64_t t = std::max(hi, lo); t < tiles; ++t) total += f(t);
  return total;
}

// Per-tile figures, computed once for the few tiles the closed form visits.
template <typename Make>
class TileCache {
 public:
  TileCache(int64_t tiles, Make make) : tiles_(tiles), make_(std::move(make)) {}
  // (output size, input size) of tile t.
  const std::pair<int64_t, int64_t>& operator()(int64_t t) {
    std::pair<int64_t, int64_t>* slot = nullptr;
    if (t < kSlots)
      slot = &head_[t];
    else if (tiles_ - 1 - t < kSlots)
      slot = &tail_[tiles_ - 1 - t];
    else
      return scratch_ = make_(t);
    if (slot->first < 0) *slot = make_(t);
    return *slot;
  }

 private:
  static constexpr int64_t kSlots = 8;
  int64_t tiles_;
  Make make_;
  std::pair<int64_t, int64_t> head_[kSlots] = {{-1, 0}, {-1, 0}, {-1, 0}, {-1, 0},
                                               {-1, 0}, {-1, 0}, {-1, 0}, {-1, 0}};
  std::pair<int64_t, int64_t> tail_[kSlots] = {{-1, 0}, {-1, 0}, {-1, 0}, {-1, 0},
                                               {-1, 0}, {-1, 0}, {-1, 0}, {-1, 0}};
  std::pair<int64_t, int64_t> scratch_{};
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
  LockstepSum sum;
  TileCache band(
      s.bands, [&s](int64_t b) { return std::make_pair(s.bandOutputRows(b), s.bandInputRows(b)); });
  TileCache col(s.colTiles,
                [&s](int64_t c) { return std::make_pair(s.colOutputCols(c), s.colInputCols(c)); });
  int64_t bandLo, bandHi, colLo, colHi;
  interiorBands(s, bandLo, bandHi);
  interiorCols(s, colLo, colHi);
  const int64_t lastCt = s.channelTiles - 1;
  const int64_t fullBlocks = s.channelTile, lastBlocks = s.tileChannelBlocks(lastCt);
  const int64_t weightsPerBlock = s.atomK * s.R * s.S * s.atomC;

  // One (super-group, image) block of steps, in the schedule's order.
  auto block = [&](bool firstImage) {
    if (s.order == NvdlaOrder::BandOuter) {
      forEachTile(s.bands, bandLo, bandHi, sum, [&](int64_t b) {
        const auto [rows, inRows] = band(b);
        forEachTile(s.colTiles, colLo, colHi, sum, [&](int64_t c) {
          const auto [cols, inCols] = col(c);
          const int64_t inPerBlock = inRows * inCols * s.atomC;
          const int64_t st = s.storeCycles(rows, cols);
          const bool w = !s.weightsResident || (firstImage && b == 0 && c == 0);
          if (s.channelTiles == 1) {
            const int64_t comp = s.channelBlocks * s.R * s.S * rows * cols;
            const int64_t wBytes = w ? weightsPerBlock * s.channelBlocks : 0;
            sum.push(comp, s.readCycles(inPerBlock * s.channelBlocks + wBytes), st, 1);
            sum.push(comp, s.readCycles(wBytes), st, s.kernelGroups - 1);
          } else {
            // Every step reloads its channel tile of input and weights; the outputs are stored
            // after a kernel group's last channel tile.
            const int64_t compFull = fullBlocks * s.R * s.S * rows * cols;
            const int64_t loadFull = s.readCycles((inPerBlock + weightsPerBlock) * fullBlocks);
            const int64_t compLast = lastBlocks * s.R * s.S * rows * cols;
            const int64_t loadLast = s.readCycles((inPerBlock + weightsPerBlock) * lastBlocks);
            sum.repeat(s.kernelGroups, [&] {
              sum.push(compFull, loadFull, 0, lastCt);
              sum.push(compLast, loadLast, st, 1);
            });
          }
        });
      });
    } else {
      auto load = [&](bool in, bool w, int64_t b) {
        return s.readCycles((in ? band(b).second * s.W * s.paddedChannels : 0) +
                            (w ? s.weightGroupBytes : 0));
      };
      auto pass = [&](bool firstKg) {
        forEachTile(s.bands, bandLo, bandHi, sum, [&](int64_t b) {
          const int64_t rows = band(b).first;
          sum.push(
              s.channelBlocks * s.R * s.S * rows * s.Q,
              load(!s.inputResident || firstKg, b == 0 && (!s.weightsResident || firstImage), b),
              s.storeCycles(rows, s.Q), 1);
        });
      };
      pass(true);
      sum.repeat(s.kernelGroups - 1, [&] { pass(false); });
    }
  };
  sum.repeat(s.superGroups, [&] {
    block(true);
    sum.repeat(s.images - 1, [&] { block(false); });
  });
  return sum.finish(s.dramLatency);
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

NvdlaTiming nvdlaTraffic(const NvdlaSchedule& s, int64_t inRowsTotal, int64_t inColsTotal) {
  NvdlaTiming t;
  const int64_t blocks = s.superGroups * s.images;
  t.computeCycles = blocks * s.kernelGroups * s.channelBlocks * s.R * s.S * s.P * s.Q;
  // Every (band, column tile) is fetched once, or once per kernel group when it is reloaded.
  const bool inputPerKg = (s.order == NvdlaOrder::KgOuter && !s.inputResident) ||
                          (s.order == NvdlaOrder::BandOuter && s.channelTiles > 1);
  const int64_t weightLoadsPerGroup =
      s.weightsResident
          ? 1
          : (s.order == NvdlaOrder::BandOuter ? s.images * s.bands * s.colTiles : s.images);
  t.dramReadBytes =
      blocks * inRowsTotal * inColsTotal * s.paddedChannels * (inputPerKg ? s.kernelGroups : 1) +
      s.superGroups * weightLoadsPerGroup * s.kernelGroups * s.weightGroupBytes;
  t.dramWriteBytes = blocks * s.kernelGroups * s.atomK * s.P * s.Q * s.outputBytes;
  return t;
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
  NvdlaSchedule whole = s;
  whole.bandRows = s.P, whole.bands = 1;
  const int64_t readBytes = s.superGroups * s.kernelGroups * s.weightGroupBytes +
                            blocks * whole.bandInputRows(0) * minInputCols(s) * s.paddedChannels;
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
