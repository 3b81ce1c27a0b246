// EyerissSchedule -> layer registers, step descriptors, DRAM image and expected outputs.
#include "eyeriss_driver.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <random>
#include <tuple>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/eyeriss_schedule.h"
#include "analects/rtlgen/eyeriss_regs.h"
#include "golden.h"

namespace analects::sim {

namespace ey = rtlgen::eyeriss;

namespace {

int64_t ceilDiv(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}
int64_t alignUp(int64_t v, int64_t a) {
  return ceilDiv(v, a) * a;
}

}  // namespace

EyerissRegions eyerissRegions(const ArrayConfig& c) {
  EyerissRegions r;
  r.filterWords = ceilDiv(c.bufferBytes, c.rows);
  r.ifmapBytes = alignUp(c.bufferBytes, c.ifmapBusBytes());
  r.psumWords = ceilDiv(c.bufferBytes, 4 * c.cols);
  return r;
}

LayerProgram buildEyerissProgram(const Layer& layer, const ArrayConfig& config,
                                 const DriverOptions& o) {
  auto fail = [&](const std::string& why) {
    return LayerError(fmt::format("layer {} ({}): {}", layer.name, describeLayer(layer), why));
  };
  LayerProgram prog;
  prog.layer = layer;
  if (config.dramLatencyCycles < 1)
    throw fail(
        "the simulated DRAM needs a latency of at least 1 cycle (a registered port "
        "cannot answer a request in the cycle it is made)");
  const Cost cost = makeCostModel(Style::Eyeriss)->evaluate(layer, config);
  if (!cost.feasible) throw fail("the design cannot run it: " + cost.reason);
  EyerissSchedule s;
  std::string reason;
  if (!planEyeriss(layer, config, s, &reason)) throw fail(reason);
  prog.modelCycles = cost.cycles;
  if (replayEyeriss(s).cycles != cost.cycles)
    throw fail(fmt::format("cost model disagrees with its own step replay ({} vs {} cycles)",
                           cost.cycles, replayEyeriss(s).cycles));
  const ConvView v = convView(layer);
  if (s.H != v.H || s.W != v.W || s.P != v.P || s.Q != v.Q || s.R != v.R || s.S != v.S ||
      s.images != v.N || s.groups != v.groups)
    throw fail("schedule and layer disagree on the layer view");
  const int64_t Cg = v.C / v.groups, Kg = v.K / v.groups, OB = config.outputBytes;
  const int64_t p = s.kernelsPerPe, q = s.channelsPerPe, chain = s.chain, h = s.setRows;
  const int64_t rows = config.rows, cols = config.cols, S = v.S, Q = v.Q;
  const int64_t m = s.shiftTaps(), skipCols = (S - m) * v.dilationW;
  const int64_t laneRows = s.stacks * s.stripRows;  // output rows of one strip group
  // The RTL's limits (register, counter and descriptor-field widths, DRAM addresses) are the
  // cost model's (rtl_limits.cpp): the planner already refused a schedule that breaks one, so
  // this only guards against a planner that forgot to.
  if (const std::string why = eyerissRtlLimits(s); !why.empty()) throw fail(why);
  // A design property rtlgen refuses first (eyerissRtlParams: at most 234 rows below the
  // descriptor window); the row registers' 8-bit copy field needs it here.
  if (rows > 255) throw fail("more than 255 PE rows");

  // Random data, the golden outputs.
  const LayerData data = randomLayerData(v, o.seed, o.shift);
  const std::vector<int8_t>&x = data.x, &w = data.w;
  const std::vector<int32_t>& golden = data.golden;
  const int shift = data.shift;

  // DRAM: inputs [n][c][column][row], then filter tiles, then output tiles, in step order.
  const auto steps = s.expandSteps();
  const int64_t inBase = 0, inBytes = v.N * v.C * v.W * v.H;
  int64_t at = alignUp(inBase + inBytes, 64);
  std::map<std::tuple<int64_t, int64_t, int64_t>, int64_t> filterAt;  // (gt, kt, ct) -> addr
  std::vector<int64_t> outAt(steps.size(), -1);
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& st = steps[i];
    if (st.filterBytes > 0 &&
        filterAt.emplace(std::tuple{st.groupTile, st.kernelTile, st.channelTile}, at).second)
      at = alignUp(at + st.filterBytes, 64);
  }
  const int64_t outBase = at;
  for (size_t i = 0; i < steps.size(); ++i)
    if (steps[i].storeBytes > 0) {
      outAt[i] = at;
      at += steps[i].storeBytes;
    }
  const int64_t total = alignUp(at, 64);  // within 2^32 bytes (eyerissRtlLimits)
  if (total != eyerissDramBytes(s))
    throw fail(fmt::format("driver lays out {} bytes of DRAM, the cost model counts {}", total,
                           eyerissDramBytes(s)));
  prog.dram.assign(size_t(total), 0);
  prog.outBase = uint64_t(outBase);
  for (int64_t n = 0; n < v.N; ++n)
    for (int64_t c = 0; c < v.C; ++c)
      for (int64_t col = 0; col < v.W; ++col)
        for (int64_t row = 0; row < v.H; ++row)
          prog.dram[size_t(inBase + ((n * v.C + c) * v.W + col) * v.H + row)] =
              uint8_t(x[size_t(v.inputIndex(n, c, row, col))]);

  // Filter tiles as the array reads them: per (group, kernel block, channel group, fold), for
  // each kernel of the block q*S words of `rows` bytes (entry k*q*S + c*S + s of the spads);
  // byte i belongs to PE row i: chained copy i / h, filter row i % h.
  for (const auto& [key, addr] : filterAt) {
    const auto [gt, kt, ct] = key;
    const int64_t g = s.groupsAt(gt), K = s.kernelsAt(kt), C = s.channelsAt(ct);
    int64_t word = 0;
    for (int64_t gl = 0; gl < g; ++gl)
      for (int64_t kb = 0; kb < s.kernelBlocksOf(K); ++kb)
        for (int64_t cg = 0; cg < s.channelGroupsOf(C); ++cg)
          for (int64_t rf = 0; rf < s.rFolds; ++rf)
            for (int64_t k = 0; k < std::min(p, K - kb * p); ++k)
              for (int64_t c = 0; c < q; ++c)
                for (int64_t sc = 0; sc < S; ++sc, ++word)
                  for (int64_t i = 0; i < std::min(rows, chain * h); ++i) {
                    const int64_t ch = (cg * chain + i / h) * q + c, fr = rf * h + i % h;
                    if (ch >= C || fr >= v.R) continue;
                    const int64_t kernel = (gt * s.tileGroups + gl) * Kg + kt * s.tileKernels +
                                           kb * p + k;
                    const int64_t channel = ct * s.tileChannels + ch;
                    prog.dram[size_t(addr + word * rows + i)] =
                        uint8_t(w[size_t(v.weightIndex(kernel, channel, fr, sc))]);
                  }
    if (word * rows != s.filterTileBytes(g, K, C))
      throw fail(fmt::format("filter tile ({}, {}, {}) formats {} bytes, the model counts {}", gt,
                             kt, ct, word * rows, s.filterTileBytes(g, K, C)));
  }

  // Layer registers.
  auto reg = [&](uint32_t r, int64_t value) {
    prog.layerRegs.emplace_back(r, uint32_t(value));
  };
  reg(ey::kRegS, S);
  reg(ey::kRegH, v.H);
  reg(ey::kRegW, v.W);
  reg(ey::kRegStrideH, v.strideH);
  reg(ey::kRegStrideW, v.strideW);
  reg(ey::kRegDilationW, v.dilationW);
  reg(ey::kRegPadLeft, v.padLeft);
  reg(ey::kRegQ, Q);
  reg(ey::kRegKernelsPerPe, p);
  reg(ey::kRegChannelsPerPe, q);
  reg(ey::kRegChain, chain);
  reg(ey::kRegShiftTaps, m);
  reg(ey::kRegSkipCols, skipCols);
  reg(ey::kRegRFolds, s.rFolds);
  reg(ey::kRegSgRowStep, laneRows * v.strideH);
  reg(ey::kRegRfRowStep, h * v.dilationH);
  reg(ey::kRegShift, shift);
  reg(ey::kRegRelu, o.relu ? 1 : 0);
  reg(ey::kRegSteps, int64_t(steps.size()));
  reg(ey::kRegDmaStride1, v.H);
  reg(ey::kRegDmaStride2, v.W * v.H);
  reg(ey::kRegDmaStride3, 0);
  for (int64_t i = 0; i < rows; ++i) {
    const bool used = i < chain * h;
    reg(ey::rowReg(uint32_t(i)),
        ey::rowValue(uint32_t(used ? (i % h) * v.dilationH : 0), used ? uint32_t(i / h) : ey::kNoCopy));
  }

  // GLB placement: two slots per region iff the region is refilled (the model's buffer need).
  const EyerissRegions cap = eyerissRegions(config);
  const int64_t NB = config.ifmapBusBytes();
  int64_t filterLoads = 0, ifmapLoads = 0, stores = 0;
  for (const auto& st : steps) {
    filterLoads += st.filterBytes > 0;
    ifmapLoads += st.ifmapBytes > 0;
    stores += st.storeBytes > 0;
  }
  const int64_t filterSlot = s.filterTileBytes(s.tileGroups, s.tileKernels, s.tileChannels) / rows;
  const int64_t ifmapSlot =
      alignUp(s.ifmapTileBytes(s.tileGroups, s.tileChannels, s.inRowsMax(s.tileRows)), NB);
  if ((filterLoads > 1 ? 2 : 1) * filterSlot > cap.filterWords)
    throw fail(fmt::format("filter tiles need {} words, the filter region holds {}",
                           (filterLoads > 1 ? 2 : 1) * filterSlot, cap.filterWords));
  if ((ifmapLoads > 1 ? 2 : 1) * ifmapSlot > cap.ifmapBytes)
    throw fail(fmt::format("ifmap tiles need {} bytes, the ifmap region holds {}",
                           (ifmapLoads > 1 ? 2 : 1) * ifmapSlot, cap.ifmapBytes));

  // Expected outputs, tile by tile in store order; idle lanes are not checked.
  prog.expected.assign(size_t(total - outBase), 0);
  prog.care.assign(size_t(total - outBase), 0);

  int64_t fLoads = 0, iLoads = 0, outTiles = 0, curFilter = -1, curIfmap = -1, curRows = 0;
  bool half = false;
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& st = steps[i];
    const int64_t g = st.groups, K = st.kernels, C = st.channels, E = st.outRows;
    ey::StepDescriptor d;
    std::vector<rtlgen::nvdla::StepDescriptor::Request> reqs;
    if (st.filterBytes > 0) {
      const int64_t slot = (filterLoads > 1 ? fLoads % 2 : 0) * filterSlot;
      ++fLoads;
      d.weightBytes = uint32_t(st.filterBytes);
      d.weightDst = uint32_t(slot);
      rtlgen::nvdla::StepDescriptor::Request rq;
      rq.addr = uint32_t(filterAt.at({st.groupTile, st.kernelTile, st.channelTile}));
      rq.bytes = uint32_t(st.filterBytes);
      reqs.push_back(rq);
      curFilter = slot;
    }
    if (st.ifmapBytes > 0) {
      const int64_t slot = (ifmapLoads > 1 ? iLoads % 2 : 0) * ifmapSlot;
      ++iLoads;
      if (st.ifmapBytes != g * C * st.inRows * v.W)
        throw fail(fmt::format("step {} loads {} ifmap bytes, its tile has {}", i, st.ifmapBytes,
                               g * C * st.inRows * v.W));
      d.inputBytes = uint32_t(st.ifmapBytes);
      d.inputDst = uint32_t(slot / NB);
      const int64_t c0 = st.groupTile * s.tileGroups * Cg + st.channelTile * s.tileChannels;
      rtlgen::nvdla::StepDescriptor::Request rq;
      rq.addr = uint32_t(inBase + ((st.image * v.C + c0) * v.W) * v.H + st.inRowFirst);
      rq.bytes = uint32_t(st.inRows);
      rq.n1 = uint16_t(v.W), rq.n2 = uint16_t(g * C), rq.n3 = 1;
      reqs.push_back(rq);
      curIfmap = slot, curRows = st.inRows;
    }
    if (curFilter < 0 || (curIfmap < 0 && st.inRows > 0))
      throw fail(fmt::format("step {} computes a tile that is not in the GLB", i));
    d.requests = int(reqs.size());
    std::copy(reqs.begin(), reqs.end(), d.request.begin());
    // A row tile that lies wholly in the padding reads no ifmap (every tap is masked), so it
    // neither loads rows nor needs the previous tile's rows.
    if (st.inRows > 0 && curRows != st.inRows)
      throw fail(fmt::format("step {} computes {} input rows, the GLB holds {}", i, st.inRows,
                             curRows));

    const int64_t IR = st.inRows, sgN = s.stripGroupsOf(E), kStride = sgN * Q;
    const int64_t yAbs0 = st.rowTile * s.tileRows * v.strideH - v.padTop;
    d.filterBase = uint32_t(curFilter);
    d.ifmapBase = uint32_t(std::max<int64_t>(curIfmap, 0));
    d.yAbs0 = int32_t(yAbs0);
    d.yRel0 = int32_t(yAbs0 - st.inRowFirst);
    d.groups = uint16_t(g);
    d.kernels = uint16_t(K);
    d.kernelBlocks = uint16_t(s.kernelBlocksOf(K));
    d.stripGroups = uint16_t(sgN);
    d.channelGroups = uint16_t(s.channelGroupsOf(C));
    d.accumulate = st.channelTile > 0;
    d.psumHalf = half;
    d.chanStride = uint32_t(v.W * IR);
    d.cgStride = uint32_t(chain * q * v.W * IR);
    d.groupChanStride = uint32_t(C * v.W * IR);
    d.colStride = uint32_t(IR);
    d.swStride = uint32_t(v.strideW * IR);
    d.dwStride = uint32_t(v.dilationW * IR);
    d.skipStride = uint32_t(skipCols * IR);
    d.kStride = uint32_t(kStride);
    d.groupPsumStride = uint32_t(K * kStride);
    d.blockPsumStride = uint32_t(p * kStride);
    const int64_t words = g * K * kStride;
    if (words > cap.psumWords)
      throw fail(fmt::format("step {} needs {} psum words, a psum half holds {}", i, words,
                             cap.psumWords));
    if (st.storeBytes > 0) {
      if (st.storeBytes != words * cols * OB)
        throw fail(fmt::format("step {} stores {} bytes, its tile has {}", i, st.storeBytes,
                               words * cols * OB));
      d.outAddr = uint32_t(outAt[i]);
      d.words = uint32_t(words);
      // Word (gl, k, sg, x), lane j: output row et*Et + sg*laneRows + j of kernel k.
      for (int64_t gl = 0; gl < g; ++gl)
        for (int64_t k = 0; k < K; ++k)
          for (int64_t sg = 0; sg < sgN; ++sg)
            for (int64_t xq = 0; xq < Q; ++xq)
              for (int64_t j = 0; j < std::min(laneRows, E - sg * laneRows); ++j) {
                const int64_t kernel =
                    (st.groupTile * s.tileGroups + gl) * Kg + st.kernelTile * s.tileKernels + k;
                const int64_t row = st.rowTile * s.tileRows + sg * laneRows + j;
                const int32_t acc = golden[size_t(v.outputIndex(st.image, kernel, row, xq))];
                const int64_t byte =
                    outAt[i] - outBase + ((((gl * K + k) * sgN + sg) * Q + xq) * cols + j) * OB;
                for (int b = 0; b < OB; ++b) {
                  prog.expected[size_t(byte + b)] =
                      OB == 4 ? uint8_t(uint32_t(acc) >> (8 * b))
                              : uint8_t(requantize(acc, shift, o.relu));
                  prog.care[size_t(byte + b)] = 1;
                }
              }
      ++outTiles;
      half = !half;
    }
    const auto packed = ey::packDescriptor(d);
    prog.steps.emplace_back(packed.begin(), packed.end());
  }
  (void)stores;
  return prog;
}

}  // namespace analects::sim
