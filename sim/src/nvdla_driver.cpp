// Schedule -> layer registers, step descriptors, DRAM image and expected outputs.
#include "nvdla_driver.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <tuple>

#include "analects/costmodel/cost_model.h"
#include "golden.h"

namespace analects::sim {

namespace nv = rtlgen::nvdla;
static_assert(nv::kMaxRequests == kNvdlaRtlMaxRequests,
              "the cost model's DMA request limit must be the RTL's");

namespace {

int64_t alignUp(int64_t v, int64_t a) {
  return (v + a - 1) / a * a;
}

// Input rows of one band in the order the DMA fetches them (costmodel's bandInputRows(), row by
// row): the contiguous window span, or, when the stride skips rows, each output row's taps.
std::vector<int64_t> fetchedRows(const NvdlaSchedule& s, const ConvView& v, int64_t b) {
  const int64_t p0 = b * s.bandRows, p1 = p0 + s.bandOutputRows(b);
  const int64_t effR = v.dilationH * (v.R - 1) + 1;
  std::vector<int64_t> rows;
  if (v.strideH < effR) {
    const int64_t first = std::max<int64_t>(p0 * v.strideH - v.padTop, 0);
    const int64_t last = std::min<int64_t>((p1 - 1) * v.strideH - v.padTop + effR - 1, v.H - 1);
    for (int64_t h = first; h <= last; ++h) rows.push_back(h);
  } else {
    for (int64_t p = p0; p < p1; ++p)
      for (int64_t r = 0; r < v.R; ++r) {
        const int64_t h = p * v.strideH - v.padTop + r * v.dilationH;
        if (h >= 0 && h < v.H) rows.push_back(h);
      }
  }
  return rows;
}

// Input rows of a band as runs of consecutive rows, runs of equal length at a constant pitch
// grouped: (first row, rows per run, runs, pitch in rows).
struct RowGroup {
  int64_t start, len, count, pitch;
};
std::vector<RowGroup> rowGroups(const std::vector<int64_t>& rows, int64_t pitchWanted) {
  std::vector<RowGroup> runs;
  for (int64_t h : rows) {
    if (!runs.empty() && runs.back().start + runs.back().len == h)
      ++runs.back().len;
    else
      runs.push_back({h, 1, 1, 0});
  }
  std::vector<RowGroup> groups;
  for (const auto& r : runs) {
    // Runs join a group only at the pitch the layer's DMA stride register encodes.
    if (!groups.empty()) {
      RowGroup& g = groups.back();
      const int64_t next = g.start + g.count * pitchWanted;
      if (g.len == r.len && r.start == next) {
        ++g.count;
        continue;
      }
    }
    groups.push_back({r.start, r.len, 1, pitchWanted});
  }
  return groups;
}


}  // namespace

std::string describeLayer(const Layer& l) {
  if (l.op != OpType::Conv)
    return fmt::format("{} M={} N={} K={}", opName(l.op), l.gemmM(), l.K, l.C);
  std::string s =
      fmt::format("conv N={} K={} C={} H={} W={} R={} S={}", l.N, l.K, l.C, l.H, l.W, l.R, l.S);
  if (l.strideH != 1 || l.strideW != 1) s += fmt::format(" stride={}x{}", l.strideH, l.strideW);
  if (l.padH || l.padW || l.padHEnd || l.padWEnd)
    s += fmt::format(" pad={},{},{},{}", l.padH, l.padW, l.padHEnd, l.padWEnd);
  if (l.dilationH != 1 || l.dilationW != 1)
    s += fmt::format(" dilation={}x{}", l.dilationH, l.dilationW);
  if (l.groups != 1) s += fmt::format(" groups={}", l.groups);
  return s;
}

Layer scaleLayer(const Layer& layer, int64_t scale) {
  if (scale <= 1 || layer.op != OpType::Conv) return layer;
  Layer l = layer;
  auto shrink = [&](int64_t extent, int64_t window, int64_t pads) {
    return std::max<int64_t>({(extent + scale - 1) / scale, window - pads, 1});
  };
  l.H = shrink(layer.H, layer.effectiveR(), layer.padH + layer.padHEnd);
  l.W = shrink(layer.W, layer.effectiveS(), layer.padW + layer.padWEnd);
  return l;
}

LayerProgram buildProgram(const Layer& layer, const ArrayConfig& config,
                          const rtlgen::NvdlaRtlParams& rtl, const DriverOptions& o) {
  auto fail = [&](const std::string& why) {
    return LayerError(fmt::format("layer {} ({}): {}", layer.name, describeLayer(layer), why));
  };
  LayerProgram prog;
  prog.layer = layer;
  if (config.dramLatencyCycles < 1)
    throw fail(
        "the simulated DRAM needs a latency of at least 1 cycle (a registered port "
        "cannot answer a request in the cycle it is made)");
  const Cost cost = makeCostModel(Style::Nvdla)->evaluate(layer, config);
  if (!cost.feasible) throw fail("the design cannot run it: " + cost.reason);
  NvdlaSchedule s;
  std::string reason;
  if (!planNvdla(layer, config, s, &reason)) throw fail(reason);
  prog.modelCycles = cost.cycles;
  if (replayNvdlaCycles(s) != cost.cycles)
    throw fail(fmt::format("cost model disagrees with its own step replay ({} vs {} cycles)",
                           cost.cycles, replayNvdlaCycles(s)));

  const ConvView v = convView(layer);
  if (s.H != v.H || s.W != v.W || s.P != v.P || s.Q != v.Q || s.R != v.R || s.S != v.S ||
      s.images != v.N)
    throw fail("schedule and layer disagree on the layer view");
  const int64_t atomK = s.atomK, cbN = s.channelBlocks, kgN = s.kernelGroups;
  const int64_t Cpad = s.paddedChannels, SG = s.superGroups, gp = s.groupsPerPass;
  const int64_t Cg = v.C / v.groups, Kg = v.K / v.groups;
  const int64_t OB = config.outputBytes, blocks = SG * v.N;
  const int64_t effR = v.dilationH * (v.R - 1) + 1;
  const bool skip = v.strideH >= effR;
  // The RTL's limits (register and counter widths, DMA requests, DRAM addresses) are the cost
  // model's (rtl_limits.cpp): the planner already refused a schedule that breaks one, so this
  // only guards against a planner that forgot to.
  if (const std::string why = nvdlaRtlLimits(s); !why.empty()) throw fail(why);

  // Random data, the golden outputs.
  const LayerData data = randomLayerData(v, o.seed, o.shift);
  const std::vector<int8_t>&x = data.x, &w = data.w;
  const std::vector<int32_t>& golden = data.golden;
  const int shift = data.shift;

  // DRAM: input surfaces (per super-group and image: H x W x Cpad), weight groups (per
  // super-group and kernel group: blocks (cb, r, s) of atomK x atomC), output surfaces (per
  // super-group, image and kernel group: P x Q x atomK).
  const int64_t rowBytes = v.W * Cpad, surfaceBytes = v.H * rowBytes;
  const int64_t wBytes = s.weightGroupBytes, blockBytes = atomK * s.atomC;
  const int64_t outSurface = v.P * v.Q * atomK * OB;
  const NvdlaDramLayout layout = nvdlaDramLayout(s);  // within 2^32 bytes (nvdlaRtlLimits)
  const int64_t inBase = layout.inputBase, wBase = layout.weightBase;
  const int64_t outBase = layout.outputBase, total = layout.totalBytes;
  if (wBase != alignUp(inBase + blocks * surfaceBytes, 64) ||
      total != alignUp(outBase + blocks * kgN * outSurface, 64))
    throw fail("driver and cost model disagree on the DRAM layout");
  prog.dram.assign(size_t(total), 0);
  prog.outBase = uint64_t(outBase);
  for (int64_t sg = 0; sg < SG; ++sg)
    for (int64_t n = 0; n < v.N; ++n)
      for (int64_t h = 0; h < v.H; ++h)
        for (int64_t wc = 0; wc < v.W; ++wc)
          for (int64_t cv = 0; cv < s.channels; ++cv) {
            const int64_t c = sg * gp * Cg + cv;
            if (c >= v.C) continue;
            prog.dram[size_t(inBase + (sg * v.N + n) * surfaceBytes + h * rowBytes + wc * Cpad +
                             cv)] = uint8_t(x[size_t(v.inputIndex(n, c, h, wc))]);
          }
  for (int64_t sg = 0; sg < SG; ++sg)
    for (int64_t kg = 0; kg < kgN; ++kg)
      for (int64_t cb = 0; cb < cbN; ++cb)
        for (int64_t r = 0; r < v.R; ++r)
          for (int64_t sc = 0; sc < v.S; ++sc)
            for (int64_t k = 0; k < atomK; ++k)
              for (int64_t c = 0; c < s.atomC; ++c) {
                const int64_t kv = kg * atomK + k, cv = cb * s.atomC + c;
                // Block-diagonal packing: kernel kv sees only the channels of its own group.
                if (kv >= s.kernels || cv >= s.channels || kv / Kg != cv / Cg) continue;
                const int64_t kr = sg * gp * Kg + kv;
                if (kr >= v.K) continue;
                const int64_t at = wBase + (sg * kgN + kg) * wBytes +
                                   ((cb * v.R + r) * v.S + sc) * blockBytes + k * s.atomC + c;
                prog.dram[size_t(at)] = uint8_t(w[size_t(v.weightIndex(kr, cv % Cg, r, sc))]);
              }
  // Outputs: per (block, kernel group) a P x Q x atomK surface stored tile by tile (band, then
  // column tile), each tile's rows x cols pixels contiguous, so every store is one stream.
  prog.expected.assign(size_t(blocks * kgN * outSurface), 0);
  for (int64_t blk = 0; blk < blocks; ++blk)
    for (int64_t kg = 0; kg < kgN; ++kg)
      for (int64_t b = 0; b < s.bands; ++b)
        for (int64_t c = 0; c < s.colTiles; ++c) {
          const int64_t p0 = b * s.bandRows, rows = s.bandOutputRows(b);
          const int64_t q0 = c * s.colTile, cols = s.colOutputCols(c);
          const int64_t tile = (blk * kgN + kg) * v.P * v.Q + p0 * v.Q + rows * q0;  // pixels
          const int64_t sg = blk / v.N, n = blk % v.N;
          for (int64_t pr = 0; pr < rows; ++pr)
            for (int64_t qc = 0; qc < cols; ++qc)
              for (int64_t k = 0; k < atomK; ++k) {
                const int64_t kv = kg * atomK + k, kr = sg * gp * Kg + kv;
                const int32_t acc = kv < s.kernels && kr < v.K
                                        ? golden[size_t(v.outputIndex(n, kr, p0 + pr, q0 + qc))]
                                        : 0;
                const int64_t at = ((tile + pr * cols + qc) * atomK + k) * OB;
                if (OB == 4) {
                  for (int i = 0; i < 4; ++i)
                    prog.expected[size_t(at + i)] = uint8_t(uint32_t(acc) >> (8 * i));
                } else {
                  prog.expected[size_t(at)] = uint8_t(requantize(acc, shift, o.relu));
                }
              }
        }

  // Layer registers.
  auto reg = [&](nv::LayerReg r, int64_t value) {
    prog.layerRegs.emplace_back(uint32_t(r), uint32_t(value));
  };
  reg(nv::kRegR, v.R);
  reg(nv::kRegS, v.S);
  reg(nv::kRegH, v.H);
  reg(nv::kRegW, v.W);
  reg(nv::kRegStrideH, v.strideH);
  reg(nv::kRegStrideW, v.strideW);
  reg(nv::kRegDilationH, v.dilationH);
  reg(nv::kRegDilationW, v.dilationW);
  reg(nv::kRegShift, shift);
  reg(nv::kRegRelu, o.relu ? 1 : 0);
  // DMA of an input tile, by tiling mode: whole rows of all channels are one chunk per run of
  // rows; column tiles read a row's column span; channel tiles read each pixel's channel slice.
  enum class Fetch { Rows, Columns, Channels };
  const Fetch fetch = s.channelTiles > 1 ? Fetch::Channels
                      : s.colTiles > 1   ? Fetch::Columns
                                         : Fetch::Rows;
  // Rows between runs of one band. Skipping with stride == R * dilation (dilation > 1) fetches
  // every dilation-th row, so one run per row at the dilation pitch keeps it one request.
  const bool evenTaps = skip && v.dilationH > 1 && v.strideH == v.R * v.dilationH;
  const int64_t groupPitch = evenTaps ? v.dilationH : skip ? v.strideH : 1;
  switch (fetch) {
    case Fetch::Rows:
      reg(nv::kRegDmaStride1, groupPitch * rowBytes);
      break;
    case Fetch::Columns:
      reg(nv::kRegDmaStride1, rowBytes);
      reg(nv::kRegDmaStride2, groupPitch * rowBytes);
      break;
    case Fetch::Channels:
      reg(nv::kRegDmaStride1, Cpad);
      reg(nv::kRegDmaStride2, rowBytes);
      reg(nv::kRegDmaStride3, groupPitch * rowBytes);
      break;
  }

  // Tiles. Input columns of column tile c (whole rows when not column-tiled).
  const int64_t effS = v.dilationW * (v.S - 1) + 1;
  auto colSpan = [&](int64_t c) -> std::pair<int64_t, int64_t> {
    if (s.colTiles == 1) return {0, v.W - 1};
    const int64_t q0 = c * s.colTile, q1 = q0 + s.colOutputCols(c);
    return {std::max<int64_t>(q0 * v.strideW - v.padLeft, 0),
            std::min<int64_t>((q1 - 1) * v.strideW - v.padLeft + effS - 1, v.W - 1)};
  };
  std::vector<std::vector<int64_t>> bandRows(size_t(s.bands));
  std::vector<int64_t> packedOffset(size_t(s.bands) + 1, 0);
  int64_t maxRows = 0, maxCols = 0;
  for (int64_t b = 0; b < s.bands; ++b) {
    bandRows[size_t(b)] = fetchedRows(s, v, b);
    const int64_t n = int64_t(bandRows[size_t(b)].size());
    if (n != s.bandInputRows(b))
      throw fail(fmt::format("driver fetches {} input rows for band {}, the model {}", n, b,
                             s.bandInputRows(b)));
    maxRows = std::max(maxRows, n);
    packedOffset[size_t(b) + 1] = packedOffset[size_t(b)] + n;
  }
  for (int64_t c = 0; c < s.colTiles; ++c) {
    const auto [first, last] = colSpan(c);
    const int64_t n = std::max<int64_t>(last - first + 1, 0);  // 0: the tile is all padding
    if (n != s.colInputCols(c))
      throw fail(fmt::format("driver fetches {} input columns for column tile {}, the model {}", n,
                             c, s.colInputCols(c)));
    maxCols = std::max(maxCols, n);
  }

  // CBUF placement mirrors the model's buffer need: two input halves of the largest tile (or
  // two copies of the whole image when input-resident), two weight slots of one tile (or all
  // kernel groups of a super-group, twice over super-groups, when weights-resident).
  const auto steps = s.expandSteps();
  reg(nv::kRegSteps, int64_t(steps.size()));
  const int64_t inputLoads =
      s.bands * s.colTiles * blocks * (s.channelTiles > 1 ? kgN * s.channelTiles : 1);
  const int64_t halfAtoms = maxRows * maxCols * s.channelTile;
  const int64_t wholeAtoms = v.H * v.W * cbN;
  const int64_t slotBlocks = v.R * v.S * (s.weightsResident ? cbN : s.channelTile);
  const bool twoWeightSlots = s.kernelGroups * s.channelTiles * SG > 1;
  struct Tile {  // what an input region or weight slot holds
    int64_t block = -1, b = -1, c = -1, kg = -1, ct = -1;
    bool operator==(const Tile& o) const {
      return block == o.block && b == o.b && c == o.c && kg == o.kg && ct == o.ct;
    }
  };
  struct Region {
    int64_t lo = 0, hi = 0;
    Tile tile;
  };
  std::map<std::tuple<int64_t, int64_t, int64_t>, Region> inPlace;  // (b, c, ct) -> region
  std::vector<Tile> slotOwner(size_t(2 * kgN + 2));
  int64_t inLoads = 0, wLoads = 0, curSlot = -1, outTiles = 0;
  Region prevInput;
  int64_t prevSlot = -1;
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& st = steps[i];
    const int64_t blk = st.superGroup * v.N + st.image, b = st.band, c = st.colTile;
    const int64_t kg = st.kernelGroup, ct = st.channelTile;
    const int64_t p0 = b * s.bandRows, rows = s.bandOutputRows(b);
    const int64_t q0 = c * s.colTile, cols = s.colOutputCols(c);
    const int64_t cb0 = ct * s.channelTile, tileBlocks = s.tileChannelBlocks(ct);
    const auto& fetched = bandRows[size_t(b)];
    const auto [wFirst, wLast] = colSpan(c);
    const int64_t inCols = std::max<int64_t>(wLast - wFirst + 1, 0);
    const bool emptyTile = fetched.empty() || inCols == 0;  // all padding: nothing to fetch
    const int64_t rowPitch = inCols * tileBlocks;           // CBUF: [row][column][channel block]
    const Tile inTile{blk, b, c, -1, ct};
    nv::StepDescriptor d;
    std::vector<nv::StepDescriptor::Request> reqs;

    if (st.inputBytes > 0) {
      if (st.inputBytes != int64_t(fetched.size()) * inCols * tileBlocks * s.atomC)
        throw fail(fmt::format("step {} loads {} input bytes, its tile has {}", i, st.inputBytes,
                               int64_t(fetched.size()) * inCols * tileBlocks * s.atomC));
      int64_t place;
      if (s.inputResident) {
        const int64_t copy = (blocks > 1 ? blk % 2 : 0) * wholeAtoms;
        place = copy + (skip ? packedOffset[size_t(b)] : fetched.front()) * rowPitch;
      } else {
        place = (inputLoads > 1 ? inLoads % 2 : 0) * halfAtoms;
      }
      ++inLoads;
      const Region load{place, place + int64_t(fetched.size()) * rowPitch, inTile};
      if (load.hi > rtl.dataAtoms)
        throw fail(fmt::format("input tile ends at atom {} beyond the {}-atom input CBUF", load.hi,
                               rtl.dataAtoms));
      // Loading runs during the previous step's compute: it must not overwrite that input
      // (rewriting the same rows of the same resident image with the same bytes is harmless).
      const bool sameImage = s.inputResident && prevInput.tile.block == blk;
      if (i > 0 && load.lo < prevInput.hi && prevInput.lo < load.hi &&
          !(prevInput.tile == inTile) && !sameImage)
        throw fail(fmt::format("step {} would load over the input of step {}", i, i - 1));
      inPlace[{b, c, ct}] = load;
      d.inputBytes = uint32_t(st.inputBytes);
      d.inputDst = uint32_t(place);
      const uint64_t at = uint64_t(inBase + blk * surfaceBytes + wFirst * Cpad + cb0 * s.atomC);
      for (const auto& g : rowGroups(fetched, groupPitch)) {
        nv::StepDescriptor::Request rq;
        rq.addr = uint32_t(at + uint64_t(g.start * rowBytes));
        int64_t n1 = 1, n2 = 1, n3 = 1, bytes = 0;
        switch (fetch) {
          case Fetch::Rows:
            bytes = g.len * rowBytes, n1 = g.count;
            break;
          case Fetch::Columns:
            bytes = inCols * Cpad, n1 = g.len, n2 = g.count;
            break;
          case Fetch::Channels:
            bytes = tileBlocks * s.atomC, n1 = inCols, n2 = g.len, n3 = g.count;
            break;
        }
        if (n1 > 65535 || n2 > 65535 || n3 > 65535)
          throw fail("a DMA request dimension exceeds the RTL's 16-bit counts");
        rq.bytes = uint32_t(bytes);
        rq.n1 = uint16_t(n1), rq.n2 = uint16_t(n2), rq.n3 = uint16_t(n3);
        reqs.push_back(rq);
      }
    }
    if (st.weightBytes > 0) {
      if (st.weightBytes != atomK * v.R * v.S * tileBlocks * s.atomC)
        throw fail(fmt::format("step {} loads {} weight bytes, its tile has {}", i, st.weightBytes,
                               atomK * v.R * v.S * tileBlocks * s.atomC));
      const int64_t slot = s.weightsResident ? (SG > 1 ? (st.superGroup % 2) * kgN : 0) + kg
                                             : (twoWeightSlots ? wLoads % 2 : 0);
      ++wLoads;
      const Tile wTile{st.superGroup, -1, -1, kg, ct};
      if (i > 0 && slot == prevSlot && !(slotOwner[size_t(slot)] == wTile))
        throw fail(fmt::format("step {} would load over the weights of step {}", i, i - 1));
      slotOwner[size_t(slot)] = wTile;
      curSlot = slot;
      if ((slot + 1) * slotBlocks > rtl.weightBlocks)
        throw fail(fmt::format("weight slot {} ends beyond the {}-block weight CBUF", slot,
                               rtl.weightBlocks));
      d.weightBytes = uint32_t(st.weightBytes);
      d.weightDst = uint32_t(slot * slotBlocks);
      nv::StepDescriptor::Request rq;
      rq.addr =
          uint32_t(wBase + (st.superGroup * kgN + kg) * wBytes + cb0 * v.R * v.S * blockBytes);
      rq.bytes = uint32_t(st.weightBytes);
      reqs.push_back(rq);
    }
    // The stream carries the weights first (one request, the largest), then the input.
    if (st.weightBytes > 0) std::rotate(reqs.begin(), reqs.end() - 1, reqs.end());
    if (reqs.size() > size_t(nv::kMaxRequests))
      throw fail(fmt::format("step {} needs {} DRAM requests; the RTL's DMA takes at most {}", i,
                             reqs.size(), nv::kMaxRequests));
    d.requests = int(reqs.size());
    std::copy(reqs.begin(), reqs.end(), d.request.begin());

    // Compute: the tile's rows, columns and channel blocks as placed.
    const auto placed = inPlace.find({b, c, ct});
    if (!emptyTile && (placed == inPlace.end() || !(placed->second.tile == inTile)))
      throw fail(fmt::format("step {} computes an input tile that is not in the CBUF", i));
    const Region in = emptyTile ? Region{0, 0, inTile} : placed->second;
    const int64_t hTop = p0 * v.strideH - v.padTop, wLeft = q0 * v.strideW - v.padLeft;
    const int64_t pStride = (skip ? v.R : v.strideH) * rowPitch;
    const int64_t tStride = (skip ? 1 : v.dilationH) * rowPitch;
    int64_t rowBase;  // CBUF row of (first output row, tap 0), may lie above the tile
    if (emptyTile) {
      rowBase = 0;  // every tap reads padding; the address is never used
    } else if (skip) {
      // Taps above the image (not fetched). With stride >= effR the tap rows increase along
      // (output row, tap), so they are a prefix of the packed order; more than one output row
      // of the band can lie wholly in the top padding (pad_h >= stride).
      int64_t m = 0;
      for (int64_t p = p0; p < p0 + rows; ++p)
        for (int64_t r = 0; r < v.R; ++r) m += p * v.strideH - v.padTop + r * v.dilationH < 0;
      rowBase = -m;
    } else {
      rowBase = hTop - fetched.front();
    }
    const int64_t dataBase = in.lo + rowBase * rowPitch + (wLeft - wFirst) * tileBlocks;
    // Every tap the sequencer reads must find the row and column the DMA put there.
    for (int64_t p = p0; p < p0 + rows; ++p)
      for (int64_t r = 0; r < v.R; ++r) {
        const int64_t h = p * v.strideH - v.padTop + r * v.dilationH;
        if (h < 0 || h >= v.H) continue;
        const int64_t at =
            dataBase + (p - p0) * pStride + r * tStride - (wLeft - wFirst) * tileBlocks;
        const auto it = std::find(fetched.begin(), fetched.end(), h);
        if (it == fetched.end() || at != in.lo + (it - fetched.begin()) * rowPitch)
          throw fail(
              fmt::format("band {}: input row {} is not where the address generator looks "
                          "(the RTL cannot run this stride/padding/dilation combination)",
                          b, h));
      }
    for (int64_t q = q0; q < q0 + cols; ++q)
      for (int64_t sc = 0; sc < v.S; ++sc) {
        const int64_t wc = q * v.strideW - v.padLeft + sc * v.dilationW;
        if (wc >= 0 && wc < v.W && (wc < wFirst || wc > wLast))
          throw fail(fmt::format("column tile {}: input column {} was not fetched", c, wc));
      }
    const int64_t slot =
        s.weightsResident ? (SG > 1 ? (st.superGroup % 2) * kgN : 0) + kg : curSlot;
    if (slot < 0 || !(slotOwner[size_t(slot)] == Tile{st.superGroup, -1, -1, kg, ct}))
      throw fail(fmt::format("step {} computes weights that are not in the CBUF", i));
    d.dataBase = uint32_t(dataBase);
    d.weightBase = uint32_t(slot * slotBlocks);
    d.h0 = int32_t(hTop);
    d.w0 = int32_t(wLeft);
    d.rows = uint16_t(rows);
    d.cols = uint16_t(cols);
    d.blocks = uint16_t(tileBlocks);
    d.accumulate = ct > 0;
    d.accBank = (outTiles % 2) != 0;
    d.rowStride = uint32_t(pStride);
    d.tapStride = uint32_t(tStride);
    d.colStride = uint32_t(v.strideW * tileBlocks);
    d.sStride = uint32_t(v.dilationW * tileBlocks);
    if (rows * cols > config.accDepthPixels) throw fail("a step exceeds the accumulator depth");
    if (st.storeCycles > 0) {  // the output tile is complete: store it during the next step
      d.outAddr =
          uint32_t(outBase + ((blk * kgN + kg) * v.P * v.Q + p0 * v.Q + rows * q0) * atomK * OB);
      d.pixels = uint32_t(rows * cols);
      ++outTiles;
    }
    const auto words = nv::packDescriptor(d);
    prog.steps.emplace_back(words.begin(), words.end());
    prevInput = in;
    prevSlot = slot;
  }
  return prog;
}

}  // namespace analects::sim
