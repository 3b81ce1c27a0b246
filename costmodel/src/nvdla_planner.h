// Internal: the NVDLA-style mapper (planNvdla) as an object. What does not depend on the buffer
// (layer view, blocking, accumulator limit, compulsory traffic) is computed once per
// (layer, array shape); plan() then runs the mapper for one buffer size. planNvdla() is one
// planner used once; the batched path (batch_nvdla.cpp) plans one (layer, shape) for many
// buffer sizes and turns on the memo, so tilings that recur across buffer sizes are timed once.
// Both run the same code, so they choose the same schedule.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analects/costmodel/array_config.h"
#include "analects/costmodel/layer.h"
#include "analects/costmodel/nvdla_schedule.h"
#include "nvdla_timing.h"

namespace analects {

class NvdlaPlanner {
 public:
  // config supplies the array shape, datapath and DRAM port; config.bufferBytes is not used.
  NvdlaPlanner(const Layer& layer, const ArrayConfig& config);
  NvdlaPlanner() = default;
  // Re-targets the planner (memo off), keeping its memory for the next enableMemo().
  void reset(const Layer& layer, const ArrayConfig& config);

  // planNvdla for a buffer of bufferBytes; `timing` receives the chosen schedule's timing
  // (nvdlaTiming(out)), which the mapper computes anyway to rank tilings.
  // With a cyclesCutoff, a tiling whose nvdlaTilingCyclesLowerBound() is above it is not timed
  // (it counts as kAboveCutoff cycles): when the chosen schedule's cycles are at most the
  // cutoff the result is the same; otherwise timing.cycles may be kAboveCutoff (the batched
  // configFor only needs to know that this shape loses).
  static constexpr int64_t kAboveCutoff = INT64_MAX;
  bool plan(int64_t bufferBytes, NvdlaSchedule& out, NvdlaTiming& timing, std::string* reason,
            int64_t cyclesCutoff = kAboveCutoff);

  // Remember, across plan() calls, the buffer need of every probed tiling and the traffic and
  // cycles of every ranked one (neither depends on the buffer size). Off by default: a single
  // plan() rarely meets a tiling twice.
  void enableMemo();

  // Layer view and blocking (every field but the tiling).
  const NvdlaSchedule& base() const { return base_; }

  // Every buffer need the mapper can probe is at most this (2 * input + 2 * weights): with a
  // buffer at least this large every comparison of a need with the buffer size holds, so
  // plan() chooses the same schedule for all of them (the memo then plans only the first).
  int64_t saturationBytes() const { return saturationBytes_; }

 private:
  static constexpr int kVariants = 5;  // whole-row (order, residency) variants
  static constexpr int64_t kMaxNeedMemo = 1 << 16;
  // bufferNeed(s) for the probe `value` of bisection `segment` (memoized when enabled).
  int64_t need(size_t segment, int64_t value, const NvdlaSchedule& s);
  // bufferNeedInputPart(s) of the whole-row tiling of `rows` band rows (memoized when enabled).
  int64_t rowInputNeed(int64_t rows, const NvdlaSchedule& s);
  // Traffic and cycles (-1 until the caller times it) of a tiling: its memo slot (valid until
  // the next call) when the memo is on.
  NvdlaTiming& timed(const NvdlaSchedule& s);

  struct TilingKey {
    int64_t bandRows, colTile, channelTile;
    int kind;  // order and residency bits
    bool operator==(const TilingKey& o) const {
      return bandRows == o.bandRows && colTile == o.colTile && channelTile == o.channelTile &&
             kind == o.kind;
    }
  };
  struct TilingHash {
    size_t operator()(const TilingKey& k) const {
      uint64_t h = uint64_t(k.bandRows) * 0x9E3779B97F4A7C15ull;
      h ^= uint64_t(k.colTile) * 0xC2B2AE3D27D4EB4Full + (h << 6) + (h >> 2);
      h ^= uint64_t(k.channelTile) * 0x165667B19E3779F9ull + (h << 6) + (h >> 2);
      return size_t(h ^ uint64_t(k.kind));
    }
  };
  static TilingKey keyOf(const NvdlaSchedule& s);

  NvdlaSchedule base_;
  NvdlaSchedule work_;  // plan()'s probe: base_ with the tiling under test
  int64_t accDepthPixels_ = 0;
  int64_t maxRowsByAcc_ = 0;  // whole-row tilings need a full output row in the accumulator
  int64_t compulsory_ = 0;    // DRAM read bytes when every byte moves once
  int64_t saturationBytes_ = 0;
  bool haveSaturated_ = false;  // memo: the plan for buffers of saturationBytes_ and more
  NvdlaSchedule saturated_;
  NvdlaTiming saturatedTiming_;
  bool memo_ = false;
  struct NeedSlot {
    int64_t need = 0;
    uint64_t generation = 0;  // not probed unless equal to generation_
  };
  std::vector<int64_t> needSegment_;  // offset of each bisection's slots in needMemo_
  std::vector<NeedSlot> needMemo_;
  uint64_t generation_ = 0;
  NvdlaTiming scratchTiming_;  // timed() without the memo
  // Open addressing over tilings, entries of older generations count as empty.
  struct TimedSlot {
    TilingKey key{};
    NvdlaTiming timing;
    uint64_t generation = 0;
  };
  std::vector<TimedSlot> timings_;  // size a power of two
  size_t timingCount_ = 0;
};

}  // namespace analects
