// EyerissSchedule: the one description of how a layer runs on an Eyeriss-style
// (row-stationary) rows x cols PE array. The cost model computes cycles from it in closed form
// (eyerissTiming); expandSteps()/expandPasses() list what the RTL sequencer executes, in order,
// and every field below is a loop bound or tile size it takes from descriptor registers
// (rtlgen/include/analects/rtlgen/eyeriss_regs.h). Formulas: costmodel/docs/eyeriss.md.
//
// Logical PE set: h filter rows x w output rows; PE (r, e) convolves filter row r with ifmap
// row e*strideH + r*dilationH (1-D, along the width), psums add up the array's columns. R is
// folded into rFolds folds of h = setRows rows, the output rows of a tile into strips of
// w = stripRows rows. Replication: `stacks` strips side by side (the same filters, multicast
// along each PE row), `chain` copies stacked vertically, each on its own block of q channels
// (their psums add up in the same column). A PE holds p = kernelsPerPe kernels x
// q = channelsPerPe channels: filter spad p*q*S weights, ifmap window q*S pixels, psum spad p.
//
// Loop nest (outer to inner). A *step* is one GLB tile; steps are double-buffered in lockstep:
//   for gt < groupTiles        tileGroups whole groups (tileGroups > 1 only if the tile holds
//                               all kernels and channels of a group), else one group
//    for kt < kernelTiles      tileKernels kernels of the group
//     for n < images
//      for et < rowTiles       tileRows output rows
//       for ct < channelTiles  tileChannels channels of each group (a multiple of q*chain)
//                                                                         -> STEP
//         DMA (during the previous step): ifmap tile (g, n, et, ct) if it differs from the
//         previous step's, filter tile (g, kt, ct) if it differs. Psums stay in the GLB.
//         for gl < groups of the tile, kb < kernel blocks, sg < strip groups,
//             cg < channel groups, rf < rFolds                             -> PASS:
//           filter load p*q*S; per output column x < Q: feed q*chain*taps(x), MACs p*q*S,
//           drain p (see passCycles()).
//         if ct == last: the output tile (g, kt, n, et) is stored during the next step.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analects/costmodel/array_config.h"
#include "analects/costmodel/layer.h"

namespace analects {

struct EyerissSchedule {
  // Array, scratchpads (entries), buffer and DRAM port, from the ArrayConfig.
  int64_t rows = 0, cols = 0;
  int64_t filterSpad = 0, ifmapSpad = 0, psumSpad = 0;
  int64_t bufferBytes = 0;
  int64_t dramBytesPerCycle = 1, dramLatency = 0, pipelineDepth = 0, outputBytes = 1;

  // Layer view. GEMM/FC run as 1x1 convs over one image of gemmM() rows (H = P = M, W = Q = 1).
  int64_t images = 1, groups = 1, groupChannels = 1, groupKernels = 1;
  int64_t H = 1, W = 1, R = 1, S = 1, P = 1, Q = 1;
  int64_t strideH = 1, strideW = 1, padTop = 0, dilationH = 1, dilationW = 1;
  int64_t padLeft = 0;  // the sequencer's column origin (the model needs only Q)

  // PE level (see the header comment).
  int64_t setRows = 1, rFolds = 1;              // h, ceil(R / h)
  int64_t stripRows = 1;                        // w: output rows of one set
  int64_t vSlots = 1, hSlots = 1;               // floor(rows / h), floor(cols / w)
  int64_t chain = 1, stacks = 1;                // vertical copies (channel blocks), strips per pass
  int64_t kernelsPerPe = 1, channelsPerPe = 1;  // p, q
  int64_t ifmapBusBytes = 8;                    // NB: lanes of the ifmap bus

  // GLB tiles (loop bounds of the step loops).
  int64_t tileGroups = 1, tileKernels = 1, tileChannels = 1, tileRows = 1;
  int64_t groupTiles = 1, kernelTiles = 1, rowTiles = 1, channelTiles = 1;
  int64_t bufferNeedBytes = 0;  // ifmap, filter, output tiles (x2 if refilled) + int32 psums

  int64_t effR() const { return dilationH * (R - 1) + 1; }
  int64_t effS() const { return dilationW * (S - 1) + 1; }
  int64_t stepCount() const { return groupTiles * kernelTiles * images * rowTiles * channelTiles; }

  // Extents of tile index i along each step loop (the last tile may be smaller).
  int64_t groupsAt(int64_t gt) const;
  int64_t kernelsAt(int64_t kt) const;
  int64_t channelsAt(int64_t ct) const;
  int64_t outRowsAt(int64_t et) const;
  // Input rows of row tile et fetched from DRAM, clipped to [0, H) (padding rows are never in
  // DRAM): the contiguous span of its output rows' windows. First row in inRowFirstAt;
  // inRowsMax bounds any tile of outRows output rows (sizes the GLB region).
  int64_t inRowFirstAt(int64_t et) const;
  int64_t inRowsAt(int64_t et) const;
  int64_t inRowsMax(int64_t outRows) const;
  // Interior row tiles [first, last]: full tiles whose window and whose successor's window are
  // not clipped by padding; they all load, compute and store alike. False if there are none.
  bool rowTileInterior(int64_t& first, int64_t& last) const;
  // Row-tile classes the closed form enumerates: the interior counts once, other tiles each.
  int64_t rowTileClasses() const;
  // sum over et of inRowsAt(et), in O(1) (the mapper prices many row tilings).
  int64_t inRowsTotal() const;

  // Taps fed per channel for output columns x > 0: the window slides by strideW / dilationW
  // taps when that is a whole number below S, else all S taps are new.
  int64_t shiftTaps() const {
    return strideW % dilationW == 0 && strideW / dilationW < S ? strideW / dilationW : S;
  }
  // Cycles of one pass (every pass alike): filter load p*q*S, then per output column a feed of
  // q*chain*taps, p*q*S MACs and a drain of p.
  int64_t passCycles() const;
  // Blocks of a tile: kernel blocks ceil(k / p), channel groups ceil(ceil(c / q) / chain),
  // strip groups ceil(ceil(outRows / w) / stacks).
  int64_t kernelBlocksOf(int64_t kernels) const;
  int64_t channelGroupsOf(int64_t channels) const;
  int64_t stripGroupsOf(int64_t outRows) const;
  // DRAM bytes of a tile. Filters are stored as the array reads them: per (group, kernel block,
  // channel group, fold), q*S `rows`-byte words per kernel of the block (byte i for PE row i;
  // zero where a row has no filter row or channel). Outputs leave as int32 psum words of `cols` lanes, requantized to
  // outputBytes: groups * kernels * stripGroups * Q words.
  int64_t filterTileBytes(int64_t groups, int64_t kernels, int64_t channels) const;
  int64_t ifmapTileBytes(int64_t groups, int64_t channels, int64_t inRows) const {
    return groups * channels * inRows * W;
  }
  int64_t storeTileBytes(int64_t groups, int64_t kernels, int64_t outRows) const;

  // Array work of one step (tile extents): passes and their phases.
  struct TileWork {
    int64_t passes = 0, macCycles = 0, spadLoadCycles = 0, feedCycles = 0, drainCycles = 0;
    int64_t cycles() const { return macCycles + spadLoadCycles + feedCycles + drainCycles; }
  };
  TileWork tileWork(int64_t tileGroups, int64_t kernels, int64_t channels, int64_t outRows) const;

  int64_t readCycles(int64_t bytes) const {  // one DMA read request stream
    return bytes == 0 ? 0 : dramLatency + (bytes + dramBytesPerCycle - 1) / dramBytesPerCycle;
  }
  // A store waits pipelineDepth cycles for the last psums, then streams (the DRAM latency is
  // added once, at the end of the layer).
  int64_t writeCycles(int64_t bytes) const {
    return bytes == 0 ? 0 : pipelineDepth + (bytes + dramBytesPerCycle - 1) / dramBytesPerCycle;
  }

  // One step as the controller runs it.
  struct Step {
    int64_t groupTile = 0, kernelTile = 0, image = 0, rowTile = 0, channelTile = 0;
    int64_t groups = 0, kernels = 0, channels = 0, outRows = 0;  // tile extents
    int64_t inRowFirst = 0, inRows = 0;                          // input rows of the tile
    int64_t ifmapBytes = 0, filterBytes = 0;  // DRAM bytes loaded for this step (0 = reused)
    int64_t storeBytes = 0;                   // outputs stored during the next step
    TileWork work;
  };
  std::vector<Step> expandSteps() const;

  // One pass of a step as the array runs it.
  struct Pass {
    int64_t group = 0, block = 0, stripGroup = 0, channelGroup = 0, rFold = 0;
    int64_t kernels = 0, channels = 0, outRows = 0;  // active kernels, channels, output rows
    int64_t filterRows = 0;                          // filter rows in this fold
    int64_t spadLoadCycles = 0, feedCycles = 0, macCycles = 0, drainCycles = 0;
  };
  std::vector<Pass> expandPasses(const Step& step) const;
};

// Cycles and traffic of a schedule:
//   cycles = load_0 + sum_i max(compute_i, load_{i+1}, store_{i-1}) + store_last + dramLatency
// with compute_i the step's TileWork cycles (filter loads + feeds + MACs + drains).
struct EyerissTiming {
  int64_t cycles = 0;
  int64_t macCycles = 0;  // MAC-issue cycles of all passes (incl. idle lanes of edge passes)
  int64_t passOverheadCycles = 0;  // filter loads + feeds + drains of all passes
  int64_t steps = 0, passes = 0;
  int64_t dramReadBytes = 0, dramWriteBytes = 0;
  int64_t firstLoadCycles = 0, lastStoreCycles = 0;
};

// Closed form: sums the lockstep recurrence over classes of steps (a step's time depends only on
// which loop indices are first / last / next-to-last and on the clipping of its row tile), each
// counted once and weighted by how many steps share it. Cost is independent of the step count.
EyerissTiming eyerissTiming(const EyerissSchedule& s);

// Replays expandSteps() one step at a time: the executable definition the closed form must equal.
EyerissTiming replayEyeriss(const EyerissSchedule& s);

// The mapper: picks the PE mapping and GLB tiles for a layer on a config (least DRAM traffic;
// ties go to a fixed, bandwidth-independent rule). Returns false with a reason when the point is
// infeasible (scratchpads too small for S, buffer below the smallest tile, ...). Never throws
// for a validated layer and config.
bool planEyeriss(const Layer& layer, const ArrayConfig& config, EyerissSchedule& out,
                 std::string* reason);

// ---- What the generated RTL can run (rtl_limits.cpp; costmodel/README.md, "RTL limits") ------
// The sequencer's layer registers and loop bounds and the step descriptor's tile fields are
// 16 bits wide (analects_rs_seq.v), DMA request counts too, and DRAM addresses are 32 bits
// (kRtlCounterMax, kRtlDramBytes in nvdla_schedule.h). The mapper reports a point whose
// schedule breaks one infeasible with the limit's reason; the simulation driver checks every
// schedule it programs with eyerissRtlLimits().

// DRAM bytes of the layer's tensors as the RTL reads and writes them: inputs [n][c][column][row],
// then every distinct filter tile (each 64-byte aligned), then the output tiles in step order;
// the total 64-byte aligned. O(1). Saturates at INT64_MAX.
int64_t eyerissDramBytes(const EyerissSchedule& s);

// Empty if the RTL can run the schedule, else why not (the limit and the value).
std::string eyerissRtlLimits(const EyerissSchedule& s);

}  // namespace analects
