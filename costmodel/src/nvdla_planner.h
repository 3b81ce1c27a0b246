// Internal: the NVDLA-style mapper (planNvdla) as an object. What does not depend on the buffer
// (layer view, blocking, accumulator limit, compulsory traffic, and the candidate band heights
// and column tiles with their largest tile's input rows / columns) is computed once per
// (layer, array shape); plan() then runs the mapper for one buffer size. planNvdla() is one
// planner used once; the batched path (batch_nvdla.cpp) plans one (layer, shape) for many
// buffer sizes and turns on the memo, so tilings that recur across buffer sizes are timed once.
// Both run the same code, so they choose the same schedule.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "analects/costmodel/array_config.h"
#include "analects/costmodel/layer.h"
#include "analects/costmodel/nvdla_schedule.h"
#include "nvdla_timing.h"

namespace analects {

// The band heights and column tiles the mapper chooses from, with what the buffer need reads of
// them. They depend only on the layer view's geometry (H, W, P, Q, R, S, strides, padding,
// dilation) and the accumulator depth, not on the array shape or the buffer: a batch builds
// them once per layer class and shares them among the class's shapes.
struct NvdlaTileCandidates {
  struct Tile {
    int64_t size;   // output rows per band (output columns per column tile)
    int64_t count;  // bands (column tiles): ceil(P / size)
    int64_t maxIn;  // input rows (columns) of the largest band (column tile)
    // Input rows (columns) summed over all bands (column tiles): nvdlaInputRowsTotal /
    // nvdlaInputColsTotal, filled on the entry's first pick and then read by every shape
    // sharing the lists (-1 until then; a batch's lists belong to one worker).
    mutable int64_t total = -1;
  };
  // Balanced band heights ceil(P / n) of at most min(P, accDepthPixels / Q) rows, ascending.
  std::vector<Tile> rows;
  // Balanced column tiles ceil(Q / n) of at most min(Q, accDepthPixels) columns, ascending
  // (Q itself last when it fits: the whole row, maxIn = W).
  std::vector<Tile> cols;
  Tile oneRow{};  // one-row bands (whether or not a whole row fits the accumulator)
  // The small-buffer search's list (per channel tile): one-row bands of the column tiles
  // narrower than a row (cols[0, narrow)), then, when a whole row fits the accumulator,
  // whole-row bands of every height (rows): `tiled` entries. Its k-th input tile spans
  // tiledArea[k] = maxIn rows x maxIn columns.
  size_t narrow = 0, tiled = 0;
  std::vector<int64_t> tiledArea;
  // Suffix minima of the lists' input tile sizes below their top entry (rows: maxIn; tiled:
  // tiledArea): every candidate but the top is double-buffered (two or more bands or column
  // tiles), so its need is size * 2 * (bytes per unit) + weights, and the last fitting one is
  // the last k with suffixMin[k] <= (buffer - weights) / (2 * bytes per unit): a bisection.
  std::vector<int64_t> rowsSuffixMin, tiledSuffixMin;
  // The geometry they were built for (base's tiling fields are ignored).
  bool sameGeometry(const NvdlaSchedule& base, int64_t accDepthPixels) const;
  void build(const NvdlaSchedule& base, int64_t accDepthPixels);
  // For a layer on any array shape with config's accumulator depth (kept if already built
  // for the same geometry).
  void build(const Layer& layer, const ArrayConfig& config);

 private:
  std::array<int64_t, 16> key_{};
};

class NvdlaPlanner {
 public:
  // config supplies the array shape, datapath and DRAM port; config.bufferBytes is not used.
  // `shared`, when given, are the candidates of this layer's geometry (built by the caller and
  // outliving the planner); else the planner builds its own.
  NvdlaPlanner(const Layer& layer, const ArrayConfig& config,
               const NvdlaTileCandidates* shared = nullptr);
  NvdlaPlanner() = default;
  // Re-targets the planner (memo off), keeping its memory for the next enableMemo().
  void reset(const Layer& layer, const ArrayConfig& config,
             const NvdlaTileCandidates* shared = nullptr);

  // planNvdla for a buffer of bufferBytes; `timing` receives the chosen schedule's timing
  // (nvdlaTiming(out)), which the mapper computes anyway to rank tilings.
  // With a cyclesCutoff, a tiling whose nvdlaTilingCyclesLowerBound() is above it is not timed
  // (it counts as kAboveCutoff cycles): when the chosen schedule's cycles are at most the
  // cutoff the result is the same; otherwise timing.cycles may be kAboveCutoff (the batched
  // configFor only needs to know that this shape loses).
  static constexpr int64_t kAboveCutoff = INT64_MAX;
  bool plan(int64_t bufferBytes, NvdlaSchedule& out, NvdlaTiming& timing, std::string* reason,
            int64_t cyclesCutoff = kAboveCutoff);

  // The tiling fields of a schedule: what plan() chooses (the rest is base()).
  struct Tiling {
    NvdlaOrder order;
    bool weightsResident, inputResident;
    int64_t bandRows, bands, colTile, colTiles, channelTile, channelTiles, bufferNeedBytes;
    void applyTo(NvdlaSchedule& s) const;  // s: a schedule of base()'s layer view
  };
  // The same, the schedule as base() with `out` applied (a batch keeps base() and copies only
  // the tiling).
  bool plan(int64_t bufferBytes, Tiling& out, NvdlaTiming& timing, std::string* reason,
            int64_t cyclesCutoff = kAboveCutoff);

  // Remember, across plan() calls, what does not depend on the buffer size: each family's
  // figures, its pick while it holds (with its traffic and cycles), the last plan and the
  // saturated one. Off by default: a single plan() has nothing to reuse.
  void enableMemo();

  // Layer view and blocking (every field but the tiling).
  const NvdlaSchedule& base() const { return base_; }

  // Every buffer need the mapper can probe is at most this (2 * input + 2 * weights): with a
  // buffer at least this large every comparison of a need with the buffer size holds, so
  // plan() chooses the same schedule for all of them (the memo then plans only the first).
  int64_t saturationBytes() const { return saturationBytes_; }

 private:
  static constexpr int kVariants = 5;  // whole-row (order, residency) variants

  // A candidate tiling with its traffic (cycles -1 until timed).
  struct TimedSlot {
    Tiling tiling;
    NvdlaTiming timing;
  };
  std::vector<TimedSlot*> picks_;  // plan()'s proposals (families' slots), in order

  NvdlaSchedule base_;
  std::string rtlLimit_;  // nvdlaRtlLayerLimits(base_): empty, or why the RTL cannot run it
  NvdlaSchedule work_;  // plan()'s probe: base_ with the tiling under test
  int64_t accDepthPixels_ = 0;
  int64_t compulsory_ = 0;  // DRAM read bytes when every byte moves once
  int64_t minInputRows_ = 0, minInputCols_ = 0;  // nvdlaMinInputRows / Cols(base_)
  int64_t saturationBytes_ = 0;
  bool haveSaturated_ = false;  // memo: the plan for buffers of saturationBytes_ and more
  Tiling saturated_{};
  NvdlaTiming saturatedTiming_;
  // memo: the last plan, its buffer and cutoff, and the largest buffer for which every family
  // picks the same tiling (so plan() would choose the same schedule).
  bool haveLast_ = false;
  Tiling last_{};
  NvdlaTiming lastTiming_;
  int64_t lastBuffer_ = 0, lastValidUpTo_ = 0, lastCutoff_ = 0;
  bool memo_ = false;
  NvdlaTileCandidates own_;  // the candidates when no shared ones are given
  const NvdlaTileCandidates* shared_ = nullptr;
  const NvdlaTileCandidates& tiles() const { return shared_ ? *shared_ : own_; }
  // A single plan (no shared candidates, memo off) does not build the lists (most of its time
  // did): it reads the top entries, computed at reset, and when the top does not fit scans down
  // from it, computing each entry's input tile on the fly. The last fitting entry below the top
  // is the largest one whose tile is at most the limit, which is what the bisection over the
  // suffix minima finds, so the choice is the same. enableMemo() builds the lists.
  bool listed_ = false;  // tiles() holds the lists for base_'s geometry
  bool haveRows_ = false, wholeRows_ = false, haveOneRow_ = false;
  NvdlaTileCandidates::Tile rowsTop_{}, colsTop_{}, oneRow_{};
  NvdlaSchedule geometry_;  // base_ with whole channels, for the entries' input tiles
  NvdlaTileCandidates::Tile rowTile(int64_t size);
  NvdlaTileCandidates::Tile colTile(int64_t size);
  const NvdlaTileCandidates::Tile& oneRow();
  uint64_t generation_ = 0;
  // What a family of tilings (a whole-row variant, or a channel tile of the small-buffer
  // search) compares with the buffer in plan(): the weight part of its need, a resident input's
  // part, its top entry's need and the need per unit of input tile below the top. They depend
  // only on base_, so with the memo they are computed at a family's first plan (generation).
  // A family's pick (its tiling and traffic, and cycles once timed) is set up in its slot;
  // with the memo it is kept for the buffers it holds for, [pickFrom, pickUpTo]: from the
  // buffer it was made at to the one before the family's next change (the need of the next
  // entry that fits). A batch plans buffers in ascending order, so a family never returns to
  // an earlier pick and nothing else is kept.
  // `floor`: a lower bound on the traffic of every tiling of the family
  // (nvdlaReadBytesLowerBound): one whose floor is above a proposal's cannot win or tie.
  struct Family {
    int64_t weights = 0, residentInput = 0, topNeed = 0, unit = 0, floor = 0;
    NvdlaTrafficTerms traffic;  // of its tilings
    uint64_t generation = 0;
    int64_t pickFrom = 1, pickUpTo = 0;
    bool hasPick = false;
    TimedSlot slot{};
  };
  // Whole-row variants, then channel tiles; sized at reset() and not resized by plan(), whose
  // proposals point into it.
  std::vector<Family> families_;
};

}  // namespace analects
