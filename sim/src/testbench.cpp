#include "testbench.h"

#include <fmt/format.h>

#include <chrono>

#include "analects/rtlgen/nvdla_regs.h"

namespace analects::sim {

namespace nv = rtlgen::nvdla;

Testbench::Testbench(const sc_core::sc_module_name& name, analects_dut::Signals& s, DramModel& dram,
                     const ArrayConfig& config, Driver driver, int64_t descDepth,
                     std::vector<LayerJob> jobs, const SimOptions& options, sc_core::sc_time period)
    : sc_core::sc_module(name),
      s_(s),
      dram_(dram),
      config_(config),
      driver_(std::move(driver)),
      descDepth_(descDepth),
      jobs_(std::move(jobs)),
      options_(options),
      period_(period) {
  SC_HAS_PROCESS(Testbench);
  SC_THREAD(run);
  set_stack_size(size_t(64) << 20);  // the driver builds big tables on this stack's frames
}

int64_t Testbench::cycleNow() const {
  return int64_t(sc_core::sc_time_stamp() / period_);
}

void Testbench::tick(int n) {
  for (int i = 0; i < n; ++i) wait(clk.posedge_event());
}

// Holds the write for one cycle: the DUT samples it at the next rising edge.
void Testbench::cfgWrite(uint32_t addr, uint64_t data) {
  s_.cfg_we.write(true);
  s_.cfg_addr.write(addr);
  s_.cfg_wdata.write(data);
  tick();
}

void Testbench::run() {
  s_.rst_n.write(false);
  s_.cfg_we.write(false);
  s_.rd_req_ready.write(true);
  s_.wr_ready.write(true);
  tick(4);
  for (const auto& job : jobs_) {
    results.push_back(runLayer(job));
    if (options_.log) {
      const auto& r = results.back();
      options_.log(r.error.empty() ? fmt::format("{}: model {} RTL {} cycles, outputs {}", r.name,
                                                 r.modelCycles, r.rtlCycles,
                                                 r.outputsMatch ? "match" : "DIFFER")
                                   : fmt::format("{}: {}", r.name, r.error));
    }
  }
  simulatedCycles = cycleNow();
  finished = true;
  sc_core::sc_stop();
}

LayerSimResult Testbench::runLayer(const LayerJob& job) {
  const auto wall0 = std::chrono::steady_clock::now();
  LayerSimResult r;
  r.name = job.layer.name;
  r.shape = describeLayer(job.layer);
  r.macs = job.layer.macs();
  LayerProgram prog;
  try {
    DriverOptions d;
    d.seed = options_.seed * 1000003ull + job.index;
    d.shift = options_.shift;
    d.relu = options_.relu;
    prog = driver_(job.layer, d);
  } catch (const LayerError& e) {
    r.error = e.what();
    return r;
  }
  r.modelCycles = prog.modelCycles;
  r.steps = int64_t(prog.steps.size());

  // Fresh state: reset the DUT, load the DRAM image.
  s_.cfg_we.write(false);
  s_.rst_n.write(false);
  tick(3);
  dram_.clear();
  dram_.memory() = std::move(prog.dram);
  s_.rst_n.write(true);
  tick();

  for (const auto& [reg, value] : prog.layerRegs) cfgWrite(nv::kLayerRegBase + reg, value);
  // Descriptors: stage only the words that change, then push. The ring keeps one entry free.
  std::vector<uint64_t> staged(prog.steps.empty() ? 0 : prog.steps[0].size(), 0);
  const size_t capacity = size_t(descDepth_ - 1);
  size_t pushed = 0;
  auto push = [&] {
    const auto& words = prog.steps[pushed];
    for (size_t w = 0; w < words.size(); ++w)
      if (words[w] != staged[w]) {
        cfgWrite(nv::kDescWordBase + uint32_t(w), words[w]);
        staged[w] = words[w];
      }
    cfgWrite(nv::kDescPush, 0);
    ++pushed;
  };
  while (pushed < prog.steps.size() && pushed < capacity) push();
  s_.cfg_we.write(false);
  tick(2);  // a pushed descriptor is visible two cycles later
  cfgWrite(nv::kStart, 0);
  s_.cfg_we.write(false);

  const int64_t start = cycleNow();
  const int64_t limit =
      options_.watchdogCycles > 0 ? options_.watchdogCycles : 2 * prog.modelCycles + 10000;
  while (!s_.done.read()) {
    const int64_t elapsed = cycleNow() - start;
    if (!dram_.error().empty()) {
      r.error = fmt::format("layer {}: {}", r.name, dram_.error());
      break;
    }
    if (elapsed >= limit) {
      r.error = fmt::format(
          "watchdog: layer {} still running at cycle {} (model predicts {} cycles); stopped",
          r.name, elapsed, prog.modelCycles);
      break;
    }
    if (pushed < prog.steps.size() && pushed - s_.desc_pops.read() < capacity) {
      push();
      s_.cfg_we.write(false);
      continue;
    }
    wait(period_ * double(limit - elapsed),
         s_.done.posedge_event() | s_.desc_pops.value_changed_event() | dram_.errorEvent());
  }
  if (r.error.empty()) {
    r.rtlCycles = int64_t(s_.cycle_count.read());
    r.stallCycles = int64_t(s_.stall_cycles.read());
    const auto& mem = dram_.memory();
    for (size_t i = 0; i < prog.expected.size(); ++i)
      r.mismatches += (prog.care.empty() || prog.care[i]) && mem[prog.outBase + i] != prog.expected[i];
    r.outputsMatch = r.mismatches == 0;
    r.errorPct = r.modelCycles > 0
                     ? 100.0 * double(r.rtlCycles - r.modelCycles) / double(r.modelCycles)
                     : 0.0;
    r.utilization =
        r.rtlCycles > 0
            ? double(r.macs) / (double(config_.pes()) * double(r.rtlCycles))
            : 0.0;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return r;
}

}  // namespace analects::sim
