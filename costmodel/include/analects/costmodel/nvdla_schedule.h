// NvdlaSchedule: the one description of how a layer runs on an NVDLA-style array.
// The cost model computes cycles from it in closed form (nvdla_model.cpp); expandSteps() lists
// the steps an RTL controller executes, in order. costmodel/README.md gives every formula.
//
// Loop nest (outer to inner), after NVDLA's sequence controller:
//   super-group sg  -> image n -> [order] output-row band b / column tile c / kernel group kg
//     -> channel tile ct -> (per step) channel block cb -> r -> s -> pixel
// A step is one (band, column tile, kernel group, channel tile); column and channel tiles
// exist only when a whole-row band does not fit the buffer (then order is BandOuter and
// nothing is resident). Steps are double-buffered in lockstep:
//   step_time_i = max(compute_i, load_{i+1}, store_{i-1}).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analects/costmodel/array_config.h"
#include "analects/costmodel/layer.h"

namespace analects {

enum class NvdlaOrder { BandOuter, KgOuter };

struct NvdlaSchedule {
  // Array and datapath.
  int64_t atomK = 0, atomC = 0;
  int64_t dramBytesPerCycle = 1, dramLatency = 0, pipelineDepth = 0, outputBytes = 1;

  // Layer view. GEMM/FC run as 1x1 convs over one image of gemmM() pixel rows.
  // Grouped convs pack groupsPerPass groups into one channel block / kernel group with
  // block-diagonal (zero-filled) weights: depthwise runs min(atomK, atomC) channels at once.
  int64_t superGroups = 1, groupsPerPass = 1;
  int64_t kernels = 0;   // Kv: kernels of one super-group (groupsPerPass * K/groups)
  int64_t channels = 0;  // Cv: input channels of one super-group
  int64_t images = 1, H = 1, W = 1, P = 1, Q = 1, R = 1, S = 1;
  int64_t strideH = 1, padTop = 0, dilationH = 1;
  int64_t strideW = 1, padLeft = 0, dilationW = 1;

  // Derived blocking.
  int64_t channelBlocks = 0;  // cbN = ceil(Cv / atomC)
  int64_t kernelGroups = 0;   // kgN = ceil(Kv / atomK)
  int64_t paddedChannels = 0; // cbN * atomC: DRAM/CBUF layout pads channels to whole atoms

  // Tiling chosen by the mapper.
  NvdlaOrder order = NvdlaOrder::BandOuter;
  int64_t bandRows = 1;          // output rows per band
  int64_t bands = 1;             // ceil(P / bandRows)
  int64_t colTile = 1;           // output columns per column tile (Q when not column-tiled)
  int64_t colTiles = 1;          // ceil(Q / colTile)
  int64_t channelTile = 1;       // channel blocks per channel tile (channelBlocks when untiled)
  int64_t channelTiles = 1;      // ceil(channelBlocks / channelTile)
  bool weightsResident = false;  // all kernel groups' weights of a super-group stay in CBUF
  bool inputResident = false;    // the whole input image of a super-group stays in CBUF

  // Bytes.
  int64_t weightGroupBytes = 0;  // one kernel group: atomK * R * S * paddedChannels
  int64_t bufferNeedBytes = 0;   // CBUF bytes this tiling occupies

  // Input rows of band b actually fetched (padding rows are not in DRAM).
  int64_t bandInputRows(int64_t b) const;
  int64_t bandOutputRows(int64_t b) const;
  // Output columns of column tile c and the input columns it fetches (whole rows, W, when
  // not column-tiled; else the contiguous window span clipped to the input).
  int64_t colOutputCols(int64_t c) const;
  int64_t colInputCols(int64_t c) const;
  // Channel blocks in channel tile t.
  int64_t tileChannelBlocks(int64_t t) const;
  // Whole-row, untiled figures (used by the resident modes).
  int64_t bandInputBytes(int64_t b) const { return bandInputRows(b) * W * paddedChannels; }
  int64_t bandComputeCycles(int64_t b) const {
    return channelBlocks * R * S * bandOutputRows(b) * Q;
  }
  int64_t readCycles(int64_t bytes) const {
    return bytes == 0 ? 0 : dramLatency + (bytes + dramBytesPerCycle - 1) / dramBytesPerCycle;
  }
  // Write-back of one (band, column tile) of one kernel group.
  int64_t storeCycles(int64_t outputRows, int64_t outputCols) const {
    int64_t bytes = atomK * outputRows * outputCols * outputBytes;
    return pipelineDepth + (bytes + dramBytesPerCycle - 1) / dramBytesPerCycle;
  }
  int64_t bandStoreCycles(int64_t b) const { return storeCycles(bandOutputRows(b), Q); }

  // One step as the controller runs it.
  struct Step {
    int64_t superGroup, image, kernelGroup, band, colTile, channelTile;
    int64_t inputBytes;   // loaded before this step (into the other half of the CBUF)
    int64_t weightBytes;  // loaded before this step
    int64_t computeCycles;
    int64_t storeCycles;  // write-back of this step's outputs (runs during the next step);
                          // 0 but for a kernel group's last channel tile
  };
  std::vector<Step> expandSteps() const;
  int64_t stepCount() const {
    return superGroups * images * bands * colTiles * kernelGroups * channelTiles;
  }
};

// Builds the best schedule for a layer on a config (least DRAM traffic, then fewest cycles).
// Returns false with a reason when nothing fits (e.g. one weight group exceeds the buffer).
bool planNvdla(const Layer& layer, const ArrayConfig& config, NvdlaSchedule& out,
               std::string* reason);

// Cycle count by replaying expandSteps() one step at a time: the executable definition the
// closed form in the model must equal (tests check this).
int64_t replayNvdlaCycles(const NvdlaSchedule& s);

// ---- What the generated RTL can run (rtl_limits.cpp; costmodel/README.md, "RTL limits") ------
// The RTL's layer registers, loop counters and DMA request counts are 16 bits wide, a step's
// DMA takes at most 4 read requests, and DRAM addresses are 32 bits. The mapper never plans
// past these (planNvdla reports the point infeasible with the limit's reason), and the
// simulation driver programs the RTL only from schedules that pass nvdlaRtlLimits().
// (kRtlCounterMax, kRtlDramBytes: array_config.h.)
constexpr int kNvdlaRtlMaxRequests = 4;  // DRAM read requests per step

// Where the layer's tensors sit in DRAM as the RTL reads and writes them: input surfaces (per
// super-group and image: H x W x paddedChannels), weight groups (per super-group and kernel
// group: weightGroupBytes), output surfaces (per super-group, image and kernel group:
// P x Q x atomK x outputBytes), each region 64-byte aligned. Depends only on the layer view and
// blocking, not the tiling. Sizes saturate at INT64_MAX.
struct NvdlaDramLayout {
  int64_t inputBase = 0, weightBase = 0, outputBase = 0, totalBytes = 0;
};
NvdlaDramLayout nvdlaDramLayout(const NvdlaSchedule& s);

// The tallest band (output rows) the RTL can run for this layer view: its row counter, the
// 16-bit DMA counts of a band's input rows, and, when the stride skips rows unevenly (dilated
// kernels with stride >= the dilated extent), its 4 DMA requests a step. 0 if none.
int64_t nvdlaRtlMaxBandRows(const NvdlaSchedule& s);

// Empty if the RTL can run the schedule, else why not (the limit and the value). Checks the
// layer view and blocking (the mapper does this once per layer and array shape) and the tiling.
std::string nvdlaRtlLimits(const NvdlaSchedule& s);
// The part that depends only on the layer view, blocking and design (not the tiling).
std::string nvdlaRtlLayerLimits(const NvdlaSchedule& s);

}  // namespace analects
