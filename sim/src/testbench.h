// The SystemC testbench: clock and reset, the configuration-port driver (layer registers, the
// step-descriptor ring kept full while the layer runs), start/done, the watchdog, and the
// bit-exact check of each layer's outputs in the DRAM model.
#pragma once

#include <functional>
#include <string>
#include <systemc>
#include <vector>

#include "analects/rtlgen/rtlgen.h"
#include "analects/sim/sim.h"
#include "dram_model.h"
#include "dut_ports.h"
#include "nvdla_driver.h"

namespace analects::sim {

struct LayerJob {
  size_t index = 0;  // in the workload
  Layer layer;       // as simulated (scaled)
};

class Testbench : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk{"clk"};

  // The driver of the design's style: one layer's program (throws LayerError).
  using Driver = std::function<LayerProgram(const Layer&, const DriverOptions&)>;

  // descDepth: entries of the design's step-descriptor ring (one stays empty).
  Testbench(const sc_core::sc_module_name& name, analects_dut::Signals& s, DramModel& dram,
            const ArrayConfig& config, Driver driver, int64_t descDepth,
            std::vector<LayerJob> jobs, const SimOptions& options, sc_core::sc_time period);

  std::vector<LayerSimResult> results;
  int64_t simulatedCycles = 0;
  bool finished = false;

 private:
  void run();
  LayerSimResult runLayer(const LayerJob& job);
  void tick(int n = 1);
  void cfgWrite(uint32_t addr, uint64_t data);
  int64_t cycleNow() const;

  analects_dut::Signals& s_;
  DramModel& dram_;
  ArrayConfig config_;
  Driver driver_;
  int64_t descDepth_;
  std::vector<LayerJob> jobs_;
  SimOptions options_;
  sc_core::sc_time period_;
};

}  // namespace analects::sim
