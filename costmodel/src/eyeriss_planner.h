// Internal: the Eyeriss-style mapper (planEyeriss) as an object. What does not depend on the
// global buffer size (layer view, scratchpad checks, PE folding, the row tilings the mapper
// ranks and their traffic and buffer needs) is computed once per (layer, array shape); plan()
// runs the mapper for one buffer size. The scalar entry points (planEyeriss, evaluate,
// configFor) share one planner per thread; the batched path (batch_eyeriss.cpp) plans one
// (layer, shape) for many buffer sizes with the memo on, so a schedule that recurs across
// buffer sizes is timed once. Both run the same code. Everything a planner keeps is a pure
// function of (layer view, design but its buffer): a reset to the same inputs keeps it, and the
// least buffer any candidate fits, once a failing plan has found it, is handed to the thread's
// next planner of the same inputs (the batched path's fallback to evaluate()), which then
// rejects smaller buffers in O(1).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analects/costmodel/array_config.h"
#include "analects/costmodel/eyeriss_schedule.h"
#include "analects/costmodel/layer.h"

namespace analects {

// The parts of eyerissRtlLimits() the mapper checks apart: what depends only on the layer view,
// the design and the PE folding (once per planner reset), and what depends on the tiling and
// the PE mapping (per plan; the DRAM footprint only when checkDram).
std::string eyerissRtlLayerLimits(const EyerissSchedule& s);
std::string eyerissRtlTilingLimits(const EyerissSchedule& s, bool checkDram);
// An upper bound on eyerissDramBytes() of any tiling of a planner's layer view (s: the view
// with its widest PE mapping, channelsPerPe the largest any tiling uses).
__int128 eyerissDramBytesBound(const EyerissSchedule& s);

// A lower bound on eyerissTiming(s).cycles, O(1): the exact first load, work of every step and
// last store, as if no DMA ever stalled a step.
int64_t eyerissCyclesLowerBound(const EyerissSchedule& s);

class EyerissPlanner {
 public:
  // config supplies the array shape, scratchpads, datapath and DRAM port; config.bufferBytes
  // is not used. `layer` must outlive the planner (reasons name it).
  EyerissPlanner(const Layer& layer, const ArrayConfig& config);
  EyerissPlanner() = default;
  // Re-targets the planner (memo off), keeping its memory, and everything it computed when the
  // layer view and the design (but the name and the buffer) are unchanged.
  void reset(const Layer& layer, const ArrayConfig& config);

  // planEyeriss for a global buffer of bufferBytes; `timing` (if given) receives
  // eyerissTiming(out). With a cyclesCutoff, a schedule whose eyerissCyclesLowerBound() is
  // above it is not timed: timing->cycles is then kAboveCutoff and its other fields unset (the
  // batched configFor only needs to know that this shape loses). The schedule is the same.
  static constexpr int64_t kAboveCutoff = INT64_MAX;
  bool plan(int64_t bufferBytes, EyerissSchedule& out, EyerissTiming* timing, std::string* reason,
            int64_t cyclesCutoff = kAboveCutoff);

  // Remember the timing of every planned schedule across plan() calls (it does not depend on
  // the buffer size). Off by default.
  void enableMemo() { memo_ = true; }

  // Lower bound on the cycles of any schedule of this (layer, shape); -1 if it cannot plan.
  int64_t cyclesLowerBound() const;

  // Every buffer need the mapper can compare with the buffer size is at most this (every
  // region at its largest, doubled): plan() chooses the same schedule for all buffers at
  // least this large (the memo then plans only the first).
  int64_t saturationBytes() const { return saturationBytes_; }

  // What reset() reads of the layer and the config (all but the name): a reset to equal inputs
  // keeps what the planner has computed (it is a pure function of them).
  static constexpr int kInputFields = 26;

 private:
  // One row tiling the mapper ranks (in the mapper's order), its buffer-independent figures
  // (and those of its candidates, one per channel mode) filled when the mapper first reaches it.
  struct RowTiling {
    int64_t rows = 0;
    int stage = 0;  // 0: nothing yet, 1: strips, traffic and candidates, 3: closed-form size too
    int64_t rowTiles = 0;
    int64_t stripRows = 0, hSlots = 0, stacks = 0;  // strip geometry of this tile height
    __int128 ifmapOnce = 0, outTraffic = 0;
    __int128 leastTraffic = 0;  // the least wholeTraffic of its candidates: none moves less
    int64_t leastNeed = 0;      // the least need of its candidates: none fits a smaller buffer
    int64_t classes = 0;
  };
  // One (row tiling, channel mode) candidate: its traffic with whole kernels (Kt = Kg: every
  // kernel tiling moves at least this) and its buffer need: with whole kernels, and with two or
  // more kernel tiles needFixed + Kt * needPerKernel (the copy counts are then fixed and the
  // filter and psum regions grow linearly with Kt), so the fewest kernel tiles that fit is one
  // division. They do not depend on the buffer.
  struct Candidate {
    __int128 wholeTraffic = 0;
    int64_t needWhole = 0, needFixed = 0, needPerKernel = 0;
    bool resident = false;  // the ifmap is loaded once whatever the kernel tiling
  };
  void ready(size_t tiling, int stage);
  void timed(const EyerissSchedule& s, EyerissTiming& timing);
  bool sameInputs(const Layer& layer, const ArrayConfig& config,
                  int64_t (&key)[kInputFields]) const;
  // Takes the exact least need another planner of this thread found for the same inputs.
  void adoptPublishedLeastNeed();

  const Layer* layer_ = nullptr;
  EyerissSchedule base_;  // everything but the tiles and the PE mapping
  EyerissSchedule scratch_;  // base_ with a tiling's strips and a mode's PE mapping (ready())
  int failure_ = 0;       // 0 none, 1 no PEs, 2 a layer/scratchpad/RTL problem (reason_)
  bool dramFits_ = true;  // every tiling's DRAM footprint fits the RTL's (no check per plan)
  std::string reason_;
  bool haveInputs_ = false;
  int64_t inputs_[kInputFields] = {};
  __int128 leastTraffic_ = 0, filterBytes_ = 0;  // filterBytes_: least over the channel modes
  // How a tiling splits a group's channels, with the PE mapping it implies (eyeriss_model.cpp).
  struct ChannelMode {
    bool tiled = false;        // channel tiles (else whole channels)
    int64_t tileChannels = 0;  // the mode's smallest channel tile
    int64_t q = 1, chain = 1;
    __int128 filterBytes = 0;  // filter words of the layer, loaded once
    int64_t channelTiles = 1;  // ceil(Cg / tileChannels)
    int64_t kernelFilterBytes = 0;  // filterTileBytes(1, 1, tileChannels)
  };
  std::vector<ChannelMode> modes_;
  std::vector<RowTiling> tilings_;
  std::vector<Candidate> candidates_;  // tiling * modes_.size() + mode, once the tiling is ready
  // No candidate fits a buffer below this: a bound from the smallest tile at reset, the least
  // need over all candidates once a plan has seen them all.
  int64_t leastNeed_ = 0;
  bool leastNeedExact_ = false;
  int64_t saturationBytes_ = 0;

  bool memo_ = false;
  struct Timed {
    int64_t key[10];
    EyerissTiming timing;
  };
  std::vector<Timed> timings_;
  bool haveSaturated_ = false;  // memo: the plan for buffers of saturationBytes_ and more
  EyerissSchedule saturated_;
  EyerissTiming saturatedTiming_;
};

}  // namespace analects
