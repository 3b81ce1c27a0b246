// EyerissSchedule: the one description of how a layer runs on an Eyeriss-style
// (row-stationary) rows x cols PE array. The cost model computes cycles from it in closed form
// (eyerissTiming); expandSteps()/expandPasses() list what an RTL controller executes, in order,
// and every field below is a loop bound or tile size it can take from descriptor registers.
// Formulas, each tied to the loop it mirrors: costmodel/docs/eyeriss.md.
//
// Logical PE set: R filter rows x E output rows; PE (r, e) convolves filter row r with ifmap
// row e*strideH + r*dilationH (1-D, along the width), psums flow up the set's column. The set is
// folded (R into rFolds folds of setRows rows, E into strips of stripRows rows) and replicated
// (vSlots x hSlots copies). `chain` vertically adjacent copies work on consecutive channel
// blocks and pass psums through each other; the array holds
// stacks = hSlots * (vSlots / chain) such chains. Each stack works on one *unit*: a (strip,
// kernel block) pair of the tile, units numbered strip-major (strip, group, block), so strips
// fill the stacks when kernel blocks are few (depthwise, small K).
// A PE holds p = kernelsPerPe kernels x q = channelsPerPe channels: filter spad p*q*S weights,
// ifmap spad q*S pixels (sliding window), psum spad p psums.
//
// Loop nest (outer to inner). A *step* is one GLB tile; steps are double-buffered in lockstep:
//   for gt < groupTiles        tileGroups whole groups (tileGroups > 1 only if the tile holds
//                               all kernels and channels of a group), else one group
//    for kt < kernelTiles      tileKernels kernels of the group
//     for n < images
//      for et < rowTiles       tileRows output rows
//       for ct < channelTiles  tileChannels channels of each group       -> STEP
//         DMA (during the previous step): ifmap tile (g, n, et, ct) if it differs from the
//         previous step's, filter tile (g, kt, ct) if it differs. Psums stay in the GLB.
//         for ug < ceil(units / stacks)               stack i takes unit ug*stacks + i
//          for cg < ceil(channelBlocks / chain)       one channel block per chained copy
//           for rf < rFolds                           -> PASS:
//             spad load S*pMax*qMax cycles; for x < Q, c < q, s < S, k < p: one MAC a cycle
//             (Q*S*pMax*qMax cycles); chain drain setRows*chain + pMax cycles.
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

  // PE level (see the header comment).
  int64_t setRows = 1, rFolds = 1;              // h, ceil(R / h)
  int64_t stripRows = 1;                        // w: output rows of one set
  int64_t vSlots = 1, hSlots = 1;               // floor(rows / h), floor(cols / w)
  int64_t chain = 1, stacks = 1;                // copies per psum chain (divides vSlots); chains
  int64_t kernelsPerPe = 1, channelsPerPe = 1;  // p, q

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
  // DRAM): the contiguous window span when strideH < effR, else only the R tap rows of each
  // output row (rows in between are skipped, as in the NVDLA-style model). First row in
  // inRowFirstAt; inRowsMax bounds any tile of outRows output rows (sizes the GLB region).
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

  // Array work of one step (tile extents): passes, MAC cycles, spad-load and drain cycles.
  struct TileWork {
    int64_t passes = 0, macCycles = 0, spadLoadCycles = 0, drainCycles = 0;
    int64_t cycles() const { return macCycles + spadLoadCycles + drainCycles; }
  };
  TileWork tileWork(int64_t tileGroups, int64_t kernels, int64_t channels, int64_t outRows) const;

  int64_t readCycles(int64_t bytes) const {  // one DMA read request stream
    return bytes == 0 ? 0 : dramLatency + (bytes + dramBytesPerCycle - 1) / dramBytesPerCycle;
  }
  int64_t writeCycles(int64_t bytes) const {  // latency added once, at the end of the layer
    return (bytes + dramBytesPerCycle - 1) / dramBytesPerCycle;
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

  // A unit of a step: the strip and kernel block one stack works on.
  struct Unit {
    int64_t strip = 0, group = 0, block = 0;  // group within the tile, block within the group
    int64_t outRows = 0, kernels = 0;         // rows of the strip, kernels of the block
  };
  int64_t unitCount(const Step& step) const;
  Unit unitAt(const Step& step, int64_t unit) const;

  // One pass of a step as the array runs it.
  struct Pass {
    int64_t unitGroup = 0, channelGroup = 0, rFold = 0;
    int64_t stacksActive = 0, chainActive = 0;  // units / channel blocks in flight
    int64_t filterRowsActive = 0;               // set height in this fold
    int64_t maxKernels = 0, maxChannels = 0;    // pMax, qMax over the active blocks
    int64_t spadLoadCycles = 0, macCycles = 0, drainCycles = 0;
  };
  std::vector<Pass> expandPasses(const Step& step) const;
};

// Cycles and traffic of a schedule:
//   cycles = load_0 + sum_i max(compute_i, load_{i+1}, store_{i-1}) + store_last
//            + dramLatency + pipelineDepth
// with compute_i the step's TileWork cycles (MACs + spad loads + chain drains).
struct EyerissTiming {
  int64_t cycles = 0;
  int64_t macCycles = 0;  // MAC-issue cycles of all passes (incl. idle lanes of edge passes)
  int64_t passOverheadCycles = 0;  // spad loads + chain drains of all passes
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

}  // namespace analects
