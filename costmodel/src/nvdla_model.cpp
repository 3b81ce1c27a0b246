// NVDLA-style cost model: cycles from the schedule (nvdla_timing.cpp), energy as action counts
// times the tech table, area and FPGA resources of the array. Formulas: costmodel/README.md.
#include <fmt/format.h>

#include <cmath>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/nvdla_schedule.h"
#include "nvdla_timing.h"

namespace analects {

namespace {

int64_t accumulatorBytes(const ArrayConfig& c) { return 2 * c.accDepthPixels * c.atomK * 4; }

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
    if (!planNvdla(layer, config, s, &cost.reason)) return cost;
    NvdlaTiming t = nvdlaTiming(s);
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
    if (alloc.pes <= 0 || alloc.bufferBytes <= 0) return best;  // evaluate() reports it
    int64_t bestCycles = -1;
    // Every exact factorization atomK x atomC of the PEs; the mapper keeps the fastest.
    for (int64_t c = 1; c <= alloc.pes && c <= 1024; ++c) {
      if (alloc.pes % c != 0 || alloc.pes / c > 1024) continue;
      ArrayConfig cand = best;
      cand.atomC = c;
      cand.atomK = alloc.pes / c;
      NvdlaSchedule s;
      if (!planNvdla(layer, cand, s, nullptr)) continue;
      int64_t cycles = nvdlaTiming(s).cycles;
      if (bestCycles < 0 || cycles < bestCycles) {
        bestCycles = cycles;
        best = cand;
      }
    }
    return best;
  }

  std::vector<std::pair<std::string, double>> areaBreakdownUm2(const ArrayConfig& c) const override {
    const TechTable& t = tech_;
    // Adder tree: atomC-1 adders per cell (16..24-bit, counted as half a 32-bit adder each);
    // one 32-bit accumulator adder per cell.
    return {{"MAC array", double(c.atomK * c.atomC) * t.mac8AreaUm2 +
                              double(c.atomK) * (double(c.atomC - 1) * 0.5 + 1.0) * t.add32AreaUm2},
            {"CBUF", double(c.bufferBytes) * 8 * t.sramAreaUm2PerBit},
            {"accumulator", double(accumulatorBytes(c)) * 8 * t.sramAreaUm2PerBit},
            {"control", t.controlAreaUm2}};
  }

  FpgaResources fpgaResources(const ArrayConfig& c) const override {
    // First-cut mapping (DESIGN.md): one DSP48E1 per int8 MAC; memories in RAMB36 by capacity;
    // LUT/FF linear in the adder tree and the array. To be calibrated against Yosys.
    FpgaResources r;
    r.dsp = c.atomK * c.atomC;
    auto bram36 = [](int64_t bytes, int64_t widthBits) {
      int64_t depth = std::max<int64_t>(1, bytes * 8 / std::max<int64_t>(widthBits, 1));
      int64_t columns = (widthBits + 71) / 72;  // 512 x 72 per RAMB36
      return columns * ((depth + 511) / 512);
    };
    r.bram36 = bram36(c.bufferBytes, c.atomC * 8) + bram36(accumulatorBytes(c), c.atomK * 32);
    r.bram18 = 0;
    r.lut = 600 + c.atomK * (c.atomC * 24 + 40);
    r.ff = 900 + c.atomK * (c.atomC * 16 + 64);
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
    cost.utilization = double(cost.macs) / (double(c.pes()) * double(t.cycles));

    // Action counts (README: "NVDLA energy").
    const double computeCycles = double(t.computeCycles);
    const double cbufReads = computeCycles * double(c.atomC) +  // one input atom per cycle
                             double(s.stepCount()) * double(s.channelBlocks * s.R * s.S) *
                                 double(c.atomK * c.atomC);  // weights per (step, cb, r, s)
    const double cbufWrites = double(t.dramReadBytes);
    const double accBytesTouched = computeCycles * double(c.atomK) * 8;  // read+write int32
    cost.energy.macPj = double(cost.macs) * tech.mac8Pj + computeCycles * double(c.atomK) * tech.add32Pj;
    cost.energy.spadPj = accBytesTouched * tech.sramPjPerByte(double(accumulatorBytes(c)));
    cost.energy.bufferPj = (cbufReads + cbufWrites) * tech.sramPjPerByte(double(c.bufferBytes));
    cost.energy.dramPj = double(t.dramReadBytes + t.dramWriteBytes) * tech.dramPjPerByte;
    cost.energy.leakagePj =
        tech.leakageFraction * double(c.pes()) * tech.mac8Pj * double(t.cycles);
    cost.areaUm2 = areaUm2(c);
    const double microseconds = double(t.cycles) / tech.clockMhz;
    cost.powerMw = cost.energyPj() / microseconds / 1000.0;  // pJ/us = uW
    return cost;
  }
};

}  // namespace

std::unique_ptr<CostModel> makeNvdlaModel() { return std::make_unique<NvdlaModel>(); }

}  // namespace analects
