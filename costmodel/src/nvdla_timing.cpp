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

NvdlaTiming nvdlaTiming(const NvdlaSchedule& s) {
  LockstepSum sum;
  auto load = [&](bool in, bool w, int64_t b) {
    return s.readCycles((in ? s.bandInputBytes(b) : 0) + (w ? s.weightGroupBytes : 0));
  };
  // One (super-group, image) block of steps, in the schedule's order.
  auto block = [&](bool firstImage) {
    if (s.order == NvdlaOrder::BandOuter) {
      for (int64_t b = 0; b < s.bands; ++b) {
        bool w = !s.weightsResident || (firstImage && b == 0);
        int64_t c = s.bandComputeCycles(b), st = s.bandStoreCycles(b);
        sum.push(c, load(true, w, b), st, 1);
        sum.push(c, load(false, w, b), st, s.kernelGroups - 1);
      }
    } else {
      auto pass = [&](bool firstKg) {
        for (int64_t b = 0; b < s.bands; ++b)
          sum.push(s.bandComputeCycles(b), load(!s.inputResident || firstKg,
                                                b == 0 && (!s.weightsResident || firstImage), b),
                   s.bandStoreCycles(b), 1);
      };
      pass(true);
      sum.repeat(s.kernelGroups - 1, [&] { pass(false); });
    }
  };
  sum.repeat(s.superGroups, [&] {
    block(true);
    sum.repeat(s.images - 1, [&] { block(false); });
  });

  NvdlaTiming t;
  t.cycles = sum.finish(s.dramLatency);
  const int64_t blocks = s.superGroups * s.images;
  t.computeCycles = blocks * s.kernelGroups * s.channelBlocks * s.R * s.S * s.P * s.Q;
  int64_t inputOnce = 0;
  for (int64_t b = 0; b < s.bands; ++b) inputOnce += s.bandInputBytes(b);
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
