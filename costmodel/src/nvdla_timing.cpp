// Closed-form timing of an NVDLA-style schedule. It evaluates the same lockstep recurrence as
// replayNvdlaCycles() but over runs: identical steps, bands and whole (image, super-group)
// blocks are accounted once and multiplied, so the cost is O(bands), not O(steps).
#include <algorithm>

#include "nvdla_timing.h"

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

}  // namespace

// Bands [lo, hi) are interior: full height and clipped by neither padding, so they are
// identical and can be accounted as one repeated unit. Band 0 always stays individual (it
// loads resident weights).
void interiorBands(const NvdlaSchedule& s, int64_t& lo, int64_t& hi) {
  const int64_t span = s.bandRows * s.strideH;
  const int64_t effR = s.dilationH * (s.R - 1) + 1;
  lo = std::max<int64_t>(1, (s.padTop + span - 1) / span);
  // Band b's last window ends at (b*bandRows + bandRows - 1)*sh - pad + effR - 1 <= H - 1.
  const int64_t limit = s.H - 1 + s.padTop - (s.bandRows - 1) * s.strideH - effR + 1;
  int64_t fit = limit < 0 ? 0 : limit / span + 1;  // bands b < fit end inside the input
  hi = std::min(s.bands - 1, fit);
  if (s.P % s.bandRows == 0) hi = std::min(s.bands, fit);
  if (hi < lo) hi = lo;
}

template <typename F>
void forEachBand(const NvdlaSchedule& s, LockstepSum& sum, F&& band) {
  int64_t lo, hi;
  interiorBands(s, lo, hi);
  for (int64_t b = 0; b < std::min(lo, s.bands); ++b) band(b);
  sum.repeat(hi - lo, [&] { band(lo); });
  for (int64_t b = std::max(hi, lo); b < s.bands; ++b) band(b);
}

// Per-band figures, computed once for the few bands the closed form visits.
class BandCache {
 public:
  explicit BandCache(const NvdlaSchedule& s) : s_(s) {}
  struct Info { int64_t compute, store, inputBytes; };
  const Info& operator()(int64_t b) {
    Info* slot = nullptr;
    if (b < kSlots) slot = &head_[b];
    else if (s_.bands - 1 - b < kSlots) slot = &tail_[s_.bands - 1 - b];
    else { scratch_ = make(b); return scratch_; }
    if (slot->compute < 0) *slot = make(b);
    return *slot;
  }

 private:
  static constexpr int64_t kSlots = 8;
  Info make(int64_t b) const {
    return {s_.bandComputeCycles(b), s_.bandStoreCycles(b), s_.bandInputBytes(b)};
  }
  const NvdlaSchedule& s_;
  Info head_[kSlots] = {{-1, 0, 0}, {-1, 0, 0}, {-1, 0, 0}, {-1, 0, 0},
                        {-1, 0, 0}, {-1, 0, 0}, {-1, 0, 0}, {-1, 0, 0}};
  Info tail_[kSlots] = {{-1, 0, 0}, {-1, 0, 0}, {-1, 0, 0}, {-1, 0, 0},
                        {-1, 0, 0}, {-1, 0, 0}, {-1, 0, 0}, {-1, 0, 0}};
  Info scratch_{};
};

NvdlaTiming nvdlaTiming(const NvdlaSchedule& s) {
  LockstepSum sum;
  BandCache band(s);
  auto load = [&](bool in, bool w, int64_t b) {
    return s.readCycles((in ? band(b).inputBytes : 0) + (w ? s.weightGroupBytes : 0));
  };
  // One (super-group, image) block of steps, in the schedule's order.
  auto block = [&](bool firstImage) {
    if (s.order == NvdlaOrder::BandOuter) {
      forEachBand(s, sum, [&](int64_t b) {
        bool w = !s.weightsResident || (firstImage && b == 0);
        const auto& info = band(b);
        int64_t c = info.compute, st = info.store;
        sum.push(c, load(true, w, b), st, 1);
        sum.push(c, load(false, w, b), st, s.kernelGroups - 1);
      });
    } else {
      auto pass = [&](bool firstKg) {
        forEachBand(s, sum, [&](int64_t b) {
          const auto& info = band(b);
          sum.push(info.compute,
                   load(!s.inputResident || firstKg, b == 0 && (!s.weightsResident || firstImage), b),
                   info.store, 1);
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

  NvdlaTiming t = nvdlaTraffic(s);
  t.cycles = sum.finish(s.dramLatency);
  return t;
}

NvdlaTiming nvdlaTraffic(const NvdlaSchedule& s) {
  NvdlaTiming t;
  const int64_t blocks = s.superGroups * s.images;
  t.computeCycles = blocks * s.kernelGroups * s.channelBlocks * s.R * s.S * s.P * s.Q;
  int64_t inputOnce = 0, lo, hi;
  interiorBands(s, lo, hi);
  for (int64_t b = 0; b < std::min(lo, s.bands); ++b) inputOnce += s.bandInputBytes(b);
  if (hi > lo) inputOnce += (hi - lo) * s.bandInputBytes(lo);
  for (int64_t b = std::max(hi, lo); b < s.bands; ++b) inputOnce += s.bandInputBytes(b);
  bool inputPerKg = s.order == NvdlaOrder::KgOuter && !s.inputResident;
  int64_t weightLoadsPerGroup =
      s.weightsResident ? 1
                        : (s.order == NvdlaOrder::BandOuter ? s.images * s.bands : s.images);
  t.dramReadBytes = blocks * inputOnce * (inputPerKg ? s.kernelGroups : 1) +
                    s.superGroups * weightLoadsPerGroup * s.kernelGroups * s.weightGroupBytes;
  t.dramWriteBytes = blocks * s.kernelGroups * s.atomK * s.P * s.Q * s.outputBytes;
  return t;
}

}  // namespace analects
