// NVDLA-style cost model: cycles from the schedule (nvdla_timing.cpp), energy as action counts
// times the tech table, area and FPGA resources of the array. Formulas: costmodel/README.md.
#include <fmt/format.h>

#include <cmath>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/nvdla_schedule.h"
#include "fpga_memory.h"
#include "nvdla_cost.h"
#include "nvdla_planner.h"
#include "nvdla_timing.h"

namespace analects {

namespace {

class NvdlaModel final : public CostModel {
 public:
  Style style() const override { return Style::Nvdla; }

  Cost evaluate(const Layer& layer, const ArrayConfig& config) const override {
    Cost cost;
    cost.macs = layer.macs();
    if (config.style != Style::Nvdla) {
      cost.reason = "the nvdla model needs an NVDLA-style config";
      return cost;
    }
    try {
      config.validate();
      layer.validate();
    } catch (const std::exception& e) {
      cost.reason = e.what();
      return cost;
    }
    NvdlaSchedule s;
    NvdlaTiming t;
    if (!NvdlaPlanner(layer, config).plan(config.bufferBytes, s, t, &cost.reason)) return cost;
    return finish(layer, config, s, t);
  }

  ArrayConfig configFor(const Layer& layer, const Allocation& alloc,
                        const HardwareParams& hw) const override {
    ArrayConfig best;
    best.style = Style::Nvdla;
    best.bufferBytes = alloc.bufferBytes;
    best.dramBytesPerCycle = hw.dramBytesPerCycle;
    best.dramLatencyCycles = hw.dramLatencyCycles;
    best.atomK = alloc.pes;  // a non-positive allocation fails validation in evaluate()
    best.atomC = 1;
    // evaluate() reports these (the mapper would divide by a zero DRAM port width).
    if (alloc.pes <= 0 || alloc.bufferBytes <= 0 || hw.dramBytesPerCycle < 1) return best;
    try {
      layer.validate();  // the mapper needs a layer with an output (evaluate() reports why not)
    } catch (const std::exception&) {
      return best;
    }
    int64_t bestCycles = -1;
    // Every exact factorization atomK x atomC of the PEs; the mapper keeps the fastest.
    for (int64_t c = 1; c <= alloc.pes && c <= 1024; ++c) {
      if (alloc.pes % c != 0 || alloc.pes / c > 1024) continue;
      ArrayConfig cand = best;
      cand.atomC = c;
      cand.atomK = alloc.pes / c;
      NvdlaSchedule s;
      NvdlaTiming t;
      if (!NvdlaPlanner(layer, cand).plan(cand.bufferBytes, s, t, nullptr)) continue;
      const int64_t cycles = t.cycles;
      if (bestCycles < 0 || cycles < bestCycles) {
        bestCycles = cycles;
        best = cand;
      }
    }
    return best;
  }

  std::vector<std::pair<std::string, double>> areaBreakdownUm2(
      const ArrayConfig& c) const override {
    const NvdlaArea<double> a =
        nvdlaArea(tech_, double(c.atomK * c.atomC), double(c.atomK), double(c.atomC - 1),
                  double(c.bufferBytes), double(nvdlaAccumulatorBytes(c)));
    return {{"MAC array", a.macArrayUm2},
            {"CBUF", a.cbufUm2},
            {"accumulator", a.accumulatorUm2},
            {"control", a.controlUm2}};
  }

  // Calibrated against Yosys 0.23 `synth_xilinx -flatten` on rtlgen's designs (costmodel/README.md,
  // "FPGA resources"). DSP and block RAM are exact: the memories are those rtlgen builds
  // (nvdlaRtlParams) and each is mapped by the rules of Yosys' memory_libmap for 7-series.
  // LUT (logic + distributed RAM) and FF are fitted per datapath part, within 15 %.
  FpgaResources fpgaResources(const ArrayConfig& c) const override {
    auto ceilDiv = [](int64_t a, int64_t b) { return (a + b - 1) / b; };
    auto pow2Ceil = [](int64_t v) {
      int64_t p = 1;
      while (p < v) p *= 2;
      return p;
    };
    auto log2Ceil = [](int64_t v) {
      int64_t n = 0;
      while ((int64_t(1) << n) < v) ++n;
      return n;
    };
    // Memory geometry as rtlgen builds it: banks interleave entries so the load DMA writes
    // ceil(B / entry bytes) entries a cycle and the write-back reads ceil(B / pixel bytes)
    // pixels; rows get at least 2 address bits and never fewer than 2^(bits-1) + 1 entries.
    const int64_t B = std::max<int64_t>(1, c.dramBytesPerCycle);
    const int64_t K = std::max<int64_t>(1, c.atomK), C = std::max<int64_t>(1, c.atomC);
    const int64_t pixelBytes = K * std::max<int64_t>(1, c.outputBytes);
    struct Memory {
      int64_t banks, width, rows, addrBits;
    };
    auto memory = [&](int64_t entries, int64_t banks, int64_t width) {
      const int64_t rows = ceilDiv(std::max<int64_t>(1, entries), banks);
      const int64_t bits = std::max<int64_t>(2, log2Ceil(rows));
      return Memory{banks, width, std::max<int64_t>(rows, (int64_t(1) << (bits - 1)) + 1),
                    bits + log2Ceil(banks)};
    };
    const Memory input = memory(c.bufferBytes / C, pow2Ceil(ceilDiv(B, C)), 8 * C);
    const Memory weight = memory(c.bufferBytes / (K * C), pow2Ceil(ceilDiv(B, K * C)), 8 * K * C);
    Memory acc = memory(c.accDepthPixels, pow2Ceil(ceilDiv(B, pixelBytes)), 32 * K);
    acc.banks *= 2;  // two halves (ping-pong)

    auto map = [](int64_t w, int64_t depth) { return mapXilinxMemory(w, depth); };
    FpgaResources r;
    // One DSP48E1 per int8 MAC; the store DMA's bytes = pixels * atomK * outputBytes takes two
    // more when that product is not a power of two (a 32-bit constant multiply).
    const bool pow2PixelBytes = (pixelBytes & (pixelBytes - 1)) == 0;
    r.dsp = K * C + (pow2PixelBytes ? 0 : 2);
    int64_t lutRam = 0, lutRamReadBits = 0, ffBits = 0;
    for (const Memory& m : {input, weight, acc}) {
      const XilinxMemory x = map(m.width, m.rows);
      r.bram18 += m.banks * x.bram18;
      r.bram36 += m.banks * x.bram36;
      lutRam += m.banks * x.lutRam;
      ffBits += m.banks * x.ffBits;
      if (x.lutRam > 0) lutRamReadBits += m.banks * m.width;  // the read register moves to FFs
    }
    // Step-descriptor ring (8 entries): always distributed RAM, one RAM32M per 6 used bits.
    lutRam += 4 * (128 + input.addrBits);
    // LUT and FF, fitted per datapath part (shapes from Yosys runs of the single modules, scale
    // and the fixed control from 24 whole designs): the two load gearboxes (a window of
    // W bytes fed B bytes a cycle), requantization of every int32 the store reads per cycle,
    // the store gearbox's two shifters (QC bytes, CW count bits), the adder-tree levels the DSP
    // cascade does not absorb, the CBUF bank multiplexers, and extra psum delay stages.
    const int64_t accBanks = acc.banks / 2;
    const int64_t windowIn = std::max(C - 1 + B, input.banks * C);
    const int64_t windowW = std::max(K * C - 1 + B, weight.banks * K * C);
    const int64_t storeQ = accBanks * pixelBytes + B - 1;
    const int64_t storeCW = std::max<int64_t>(4, log2Ceil(storeQ + 1));
    const int64_t requant = c.outputBytes == 1 ? accBanks * K : 0;
    const int64_t delay = std::max<int64_t>(0, c.pipelineDepth - 4);
    auto gearbox = [&](int64_t w) { return 10 * w + B * (60 + w / 2); };
    auto bankMux = [](const Memory& m) { return m.banks > 1 ? m.width * m.banks * m.banks : 0; };
    r.lut = 3020 + gearbox(windowIn) + gearbox(windowW) + 254 * requant + 17 * storeQ * storeCW +
            5 * K + 11 * K * std::max<int64_t>(0, 2 * C - 5) +
            4 * (bankMux(input) + bankMux(weight)) / 5 + 32 * K * delay + lutRam;
    r.ff = 3630 + 9 * (windowIn + windowW) + 15 * storeQ + 29 * K + 40 * K * delay +
           lutRamReadBits + ffBits;
    return r;
  }

 private:
  Cost finish(const Layer& layer, const ArrayConfig& c, const NvdlaSchedule& s,
              const NvdlaTiming& t) const {
    const TechTable& tech = tech_;
    Cost cost;
    cost.feasible = true;
    cost.macs = layer.macs();
    cost.cycles = t.cycles;
    cost.computeCycles = t.computeCycles;
    const int64_t fixed = s.pipelineDepth + 2 * s.dramLatency;
    cost.fillDrainCycles = std::min(fixed, t.cycles - t.computeCycles);
    cost.dmaStallCycles = t.cycles - t.computeCycles - cost.fillDrainCycles;
    cost.dramReadBytes = t.dramReadBytes;
    cost.dramWriteBytes = t.dramWriteBytes;
    cost.bufferNeedBytes = s.bufferNeedBytes;
    cost.utilization = utilization(double(cost.macs), double(c.pes()), double(t.cycles));

    // Action counts (README: "NVDLA energy"); the formulas are shared with the batched path.
    NvdlaActions<double> a;
    a.macs = double(cost.macs);
    a.computeCycles = double(t.computeCycles);
    a.cycles = double(t.cycles);
    a.steps = double(s.stepCount());
    a.blockTaps = double(s.channelBlocks * s.R * s.S);
    a.atomK = double(c.atomK), a.atomC = double(c.atomC);
    a.pes = double(c.atomK * c.atomC);
    a.dramReadBytes = double(t.dramReadBytes);
    a.dramBytes = double(t.dramReadBytes + t.dramWriteBytes);
    a.accPjPerByte = tech.sramPjPerByte(double(nvdlaAccumulatorBytes(c)));
    a.cbufPjPerByte = tech.sramPjPerByte(double(c.bufferBytes));
    const EnergyTerms<double> e = nvdlaEnergy(tech, a);
    cost.energy = toBreakdown(e);
    cost.areaUm2 = areaUm2(c);
    cost.powerMw = powerMw(tech, cost.energyPj(), a.cycles);
    return cost;
  }
};

}  // namespace

std::unique_ptr<CostModel> makeNvdlaModel() {
  return std::make_unique<NvdlaModel>();
}

// The batched path (batch_nvdla.cpp) reproduces this model; other CostModels are batched by
// calling them point by point.
bool isNvdlaModel(const CostModel& model) {
  return dynamic_cast<const NvdlaModel*>(&model) != nullptr;
}

}  // namespace analects
