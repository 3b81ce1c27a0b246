// Cost: what running one layer (or a whole workload) on a design costs.
#pragma once

#include <cstdint>
#include <string>

namespace analects {

struct EnergyBreakdown {
  double macPj = 0;     // multiply-accumulate datapath
  double spadPj = 0;    // PE-local registers / scratchpads (Eyeriss) or accumulators (NVDLA)
  double bufferPj = 0;  // on-chip buffer (CBUF / global buffer) reads and writes
  double dramPj = 0;    // off-chip traffic
  double leakagePj = 0; // static energy over the run
  double totalPj() const { return macPj + spadPj + bufferPj + dramPj + leakagePj; }
};

struct Cost {
  bool feasible = false;
  std::string reason;  // why not, when infeasible

  int64_t cycles = 0;          // total = compute + dmaStall + fillDrain
  int64_t computeCycles = 0;   // cycles the array is issuing MACs (incl. idle lanes of edge tiles)
  int64_t dmaStallCycles = 0;  // cycles the array waits for DRAM (exposed DMA)
  int64_t fillDrainCycles = 0; // pipeline fill/drain and final write-back

  int64_t macs = 0;
  int64_t dramReadBytes = 0, dramWriteBytes = 0;
  int64_t bufferNeedBytes = 0;  // buffer the chosen tiling occupies
  double utilization = 0;       // macs / (pes * cycles)

  EnergyBreakdown energy;
  double areaUm2 = 0;
  double powerMw = 0;  // average over the run at the tech table's clock

  double energyPj() const { return energy.totalPj(); }
};

// FPGA resource estimate of a whole design.
struct FpgaResources {
  int64_t dsp = 0, bram18 = 0, bram36 = 0, lut = 0, ff = 0;
};

}  // namespace analects
