// What the generated RTL can run, for both styles, in one place: the widths of its layer
// registers, loop counters and descriptor fields (rtlgen/include/analects/rtlgen/*_regs.h,
// templates/analects_seq.v, analects_rs_seq.v, analects_dma_rd.v), its DMA's request slots and
// its 32-bit DRAM addresses. The mappers call these so that the cost model never plans what the
// RTL cannot execute; the simulation drivers call them before programming the RTL.
// costmodel/README.md, "RTL limits", says which limit is checked where and why.
#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <limits>

#include "analects/costmodel/eyeriss_schedule.h"
#include "analects/costmodel/nvdla_schedule.h"
#include "eyeriss_planner.h"

namespace analects {

namespace {

using Big = __int128;

int64_t saturate(Big v) {
  return int64_t(std::min<Big>(v, std::numeric_limits<int64_t>::max()));
}
Big alignUp(Big v, Big a) {
  return (v + a - 1) / a * a;
}
bool over16(int64_t v) {
  return v > kRtlCounterMax;
}

// ---- NVDLA-style ---------------------------------------------------------------------------

int64_t effectiveRows(const NvdlaSchedule& s) {
  return s.dilationH * (s.R - 1) + 1;
}

// The stride skips the rows between windows (stride >= the dilated extent) and the kernel rows
// of one output row are not at the stride's pitch, so the DMA fetches each of an output row's
// input rows as its own request (the driver's row groups, sim/src/nvdla_driver.cpp): dilation
// above 1, two or more kernel rows, stride != R * dilation (then every fetched row is at the
// dilation's pitch, one request) and not R = 2 at stride == the dilated extent (then the
// second tap of each row and the first of the next are adjacent: runs of two rows at the
// stride's pitch, at most three requests a band). Every other geometry needs at most three
// input requests a band of any height: one contiguous span, or runs of R rows at the stride's
// pitch plus a clipped run at each border.
bool unevenTaps(const NvdlaSchedule& s) {
  const int64_t effR = effectiveRows(s);
  return s.strideH >= effR && s.R >= 2 && s.dilationH > 1 && s.strideH != s.R * s.dilationH &&
         !(s.R == 2 && s.strideH == effR);
}

// With unevenTaps: the most input rows one output row fetches (each one DMA request): R if some
// output row's window lies inside the image, else the most taps left by the padding.
int64_t mostTapsOfOneRow(const NvdlaSchedule& s) {
  const int64_t effR = effectiveRows(s), st = s.strideH, pad = s.padTop;
  auto floorDiv = [](int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); };
  auto ceilDivAny = [&](int64_t a, int64_t b) { return -floorDiv(-a, b); };
  // Output rows whose window [p*st - pad, p*st - pad + effR - 1] lies in [0, H).
  const int64_t insideLo = std::max<int64_t>(0, ceilDivAny(pad, st));
  const int64_t insideHi = std::min(s.P - 1, floorDiv(s.H - effR + pad, st));
  if (insideLo <= insideHi) return s.R;
  // None does: only the few rows whose windows touch the image (the windows are at least their
  // extent apart, and none fits inside) fetch anything.
  const int64_t touchLo = std::max<int64_t>(0, ceilDivAny(pad - effR + 1, st));
  const int64_t touchHi = std::min(s.P - 1, floorDiv(s.H - 1 + pad, st));
  int64_t most = 0;
  for (int64_t p = touchLo; p <= touchHi; ++p) {
    int64_t n = 0;
    for (int64_t r = 0; r < s.R; ++r) {
      const int64_t h = p * st - pad + r * s.dilationH;
      n += h >= 0 && h < s.H;
    }
    most = std::max(most, n);
  }
  return most;
}

}  // namespace

NvdlaDramLayout nvdlaDramLayout(const NvdlaSchedule& s) {
  const Big blocks = Big(s.superGroups) * s.images;
  const Big inputs = blocks * s.H * s.W * s.paddedChannels;
  const Big weightBase = alignUp(inputs, 64);
  const Big outputBase =
      alignUp(weightBase + Big(s.superGroups) * s.kernelGroups * s.weightGroupBytes, 64);
  const Big outputs = blocks * s.kernelGroups * s.P * s.Q * s.atomK * s.outputBytes;
  NvdlaDramLayout l;
  l.inputBase = 0;
  l.weightBase = saturate(weightBase);
  l.outputBase = saturate(outputBase);
  l.totalBytes = saturate(alignUp(outputBase + outputs, 64));
  return l;
}

int64_t nvdlaRtlMaxBandRows(const NvdlaSchedule& s) {
  int64_t most = kRtlCounterMax;  // the sequencer's output-row counter (descriptor `rows`)
  if (unevenTaps(s)) most = 1;    // one output row's taps are already several requests
  if (s.H > kRtlCounterMax) {
    // A band's input rows are DMA counts (rows per run, runs per group): at most
    // (bandRows - 1) * stride + effR for a contiguous span, bandRows * R when rows are skipped.
    const int64_t effR = effectiveRows(s);
    if (s.strideH >= effR)
      most = std::min(most, kRtlCounterMax / s.R);
    else
      most = std::min(most, effR > kRtlCounterMax ? 0 : (kRtlCounterMax - effR) / s.strideH + 1);
  }
  return most;
}

namespace {

// A layer field and the 16-bit register or counter that holds it in the RTL.
struct RtlField {
  const char* what;
  int64_t value;
  const char* counter;
};

// The first field over 16 bits, as a reason ("" if none).
std::string firstOver16(std::initializer_list<RtlField> fields) {
  for (const RtlField& f : fields)
    if (over16(f.value))
      return fmt::format("{} = {} exceeds the RTL's 16-bit {}", f.what, f.value, f.counter);
  return {};
}

}  // namespace

std::string nvdlaRtlLayerLimits(const NvdlaSchedule& s) {
  // Layer registers and loop counters of the sequencer (analects_seq.v): 16 bits.
  std::string over = firstOver16({
      {"kernel height R", s.R, "kernel-row counter"},
      {"kernel width S", s.S, "kernel-column counter"},
      {"row stride", s.strideH, "stride register"},
      {"column stride", s.strideW, "stride register"},
      {"row dilation", s.dilationH, "dilation register"},
      {"column dilation", s.dilationW, "dilation register"},
      {"output width Q", s.Q, "column counter"},
      {"input width W", s.W, "DMA counts"},
  });
  if (!over.empty()) return over;
  if (over16(s.channelBlocks))
    return fmt::format(
        "{} channel blocks ({} channels in atoms of {}) exceed the RTL's 16-bit channel-block "
        "counter",
        s.channelBlocks, s.channels, s.atomC);
  if (nvdlaRtlMaxBandRows(s) < 1)
    return fmt::format(
        "a window of {} input rows (R = {}, dilation {}) exceeds the RTL's 16-bit DMA counts",
        effectiveRows(s), s.R, s.dilationH);
  if (unevenTaps(s)) {
    const int64_t requests = mostTapsOfOneRow(s) + 1;  // + the weights
    if (requests > kNvdlaRtlMaxRequests)
      return fmt::format(
          "dilation {} with row stride {} fetches each input row of an output row as its own "
          "DRAM request, {} a step with the weights; the RTL's DMA takes at most {}",
          s.dilationH, s.strideH, requests, kNvdlaRtlMaxRequests);
  }
  const NvdlaDramLayout dram = nvdlaDramLayout(s);
  if (dram.totalBytes > kRtlDramBytes)
    return fmt::format(
        "needs {} bytes of DRAM for its inputs, weights and outputs, beyond the RTL's 32-bit "
        "address space",
        dram.totalBytes);
  return {};
}

std::string nvdlaRtlLimits(const NvdlaSchedule& s) {
  std::string why = nvdlaRtlLayerLimits(s);
  if (!why.empty()) return why;
  if (s.bandRows > nvdlaRtlMaxBandRows(s))
    return fmt::format("bands of {} output rows exceed the {} the RTL runs for this layer",
                       s.bandRows, nvdlaRtlMaxBandRows(s));
  if (over16(s.colTile))
    return fmt::format("column tiles of {} output columns exceed the RTL's 16-bit column counter",
                       s.colTile);
  return {};
}

// ---- Eyeriss-style ----------------------------------------------------------------------

namespace {

// Sum over the tiles of one step loop of f(extent) times how many tiles have it: n - 1 full
// tiles of `tile` and a last one of `total - (n - 1) * tile`.
template <typename F>
Big overTiles(int64_t total, int64_t tile, int64_t n, F&& f) {
  const int64_t last = total - (n - 1) * tile;
  return (n > 1 ? Big(n - 1) * f(tile) : Big(0)) + f(last);
}

}  // namespace

int64_t eyerissDramBytes(const EyerissSchedule& s) {
  const Big inputs = Big(s.images) * s.groups * s.groupChannels * s.W * s.H;
  // Every distinct (group tile, kernel tile, channel tile) once, 64-byte aligned.
  const Big filters = overTiles(s.groups, s.tileGroups, s.groupTiles, [&](int64_t g) {
    return overTiles(s.groupKernels, s.tileKernels, s.kernelTiles, [&](int64_t k) {
      return overTiles(s.groupChannels, s.tileChannels, s.channelTiles,
                       [&](int64_t c) { return alignUp(s.filterTileBytes(g, k, c), 64); });
    });
  });
  // One output tile per (group tile, kernel tile, image, row tile), back to back.
  const Big outputs =
      Big(s.images) * overTiles(s.groups, s.tileGroups, s.groupTiles, [&](int64_t g) {
        return overTiles(s.groupKernels, s.tileKernels, s.kernelTiles, [&](int64_t k) {
          return overTiles(s.P, s.tileRows, s.rowTiles,
                           [&](int64_t e) { return Big(s.storeTileBytes(g, k, e)); });
        });
      });
  return saturate(alignUp(alignUp(inputs, 64) + filters + outputs, 64));
}

__int128 eyerissDramBytesBound(const EyerissSchedule& s) {
  // A tile's filter words: groups x kernels x channel groups (at most its channels) x folds x
  // q*S words of `rows` bytes, plus at most 63 bytes of alignment; outputs: a strip group (at
  // most an output row) of Q words of `cols` lanes per group, kernel and image.
  const Big tiles = Big(s.groups) * s.groupKernels * s.groupChannels;
  const Big filters = tiles * (Big(s.rFolds) * s.channelsPerPe * s.S * s.rows + 63);
  const Big outputs =
      Big(s.images) * s.groups * s.groupKernels * s.P * s.Q * s.cols * s.outputBytes;
  return alignUp(Big(s.images) * s.groups * s.groupChannels * s.W * s.H, 64) + filters + outputs +
         64;
}

std::string eyerissRtlLayerLimits(const EyerissSchedule& s) {
  // Layer registers of the sequencer (analects_rs_seq.v) and the ifmap DMA's column count.
  std::string over = firstOver16({
      {"output width Q", s.Q, "column counter"},
      {"filter width S", s.S, "filter-column counter"},
      {"input width W", s.W, "DMA counts"},
      {"column stride", s.strideW, "stride register"},
      {"column dilation", s.dilationW, "dilation register"},
      {"left padding", s.padLeft, "padding register"},
      {"skipped input columns (S - shifted taps) x dilation", (s.S - s.shiftTaps()) * s.dilationW,
       "skip register"},
      {"filter-row folds", s.rFolds, "fold counter"},
  });
  return over;
}

std::string eyerissRtlTilingLimits(const EyerissSchedule& s, bool checkDram) {
  // Step-descriptor tile fields and the PE mapping's registers (analects_rs_seq.v): 16 bits;
  // an ifmap request reads groups x channels columns of the tile (a 16-bit DMA count).
  const char* fields = "descriptor fields";
  std::string over = firstOver16({
      {"kernels per tile", s.tileKernels, fields},
      {"groups per tile", s.tileGroups, fields},
      {"channel groups per tile", s.channelGroupsOf(s.tileChannels), fields},
      {"strip groups per tile", s.stripGroupsOf(s.tileRows), fields},
      {"channels per ifmap request (groups x channels of a tile)", s.tileGroups * s.tileChannels,
       fields},
      {"kernels per PE", s.kernelsPerPe, fields},
      {"channels per PE", s.channelsPerPe, fields},
      {"chained set copies", s.chain, fields},
  });
  if (!over.empty()) return over;
  if (checkDram) {
    const int64_t bytes = eyerissDramBytes(s);
    if (bytes > kRtlDramBytes)
      return fmt::format(
          "needs {} bytes of DRAM for its inputs, filter tiles and outputs, beyond the RTL's "
          "32-bit address space",
          bytes);
  }
  return {};
}

std::string eyerissRtlLimits(const EyerissSchedule& s) {
  std::string why = eyerissRtlLayerLimits(s);
  return why.empty() ? eyerissRtlTilingLimits(s, true) : why;
}

}  // namespace analects
