// bench_sim: simulation speed of the generated RTL (Verilated, in the SystemC testbench with
// the DRAM model), in simulated cycles per wall-clock second, PE utilization and the model's
// agreement on the benchmarked layers. The Verilated model is built once, before timing, into
// $ANALECTS_SIM_CACHE (or the default cache).
//
//   bench_sim --benchmark_filter=Conv3x3/16
//   bench_sim --benchmark_filter=AlexNetConv     (both styles, 168 PEs, 108 KB, full size)
#include <benchmark/benchmark.h>

#include <filesystem>

#include "analects/rtlgen/rtlgen.h"
#include "analects/sim/sim.h"

namespace {

using namespace analects;

// A ResNet-style 3x3 conv (64 -> 64 channels, 28 x 28, pad 1) on an atom x atom array.
void simulateConv3x3(benchmark::State& state) {
  const int64_t atom = state.range(0);
  ArrayConfig c;
  c.atomK = c.atomC = atom;
  c.bufferBytes = 65536;
  const auto dir =
      std::filesystem::temp_directory_path() / ("analects_bench_" + rtlgen::topName(c));
  const auto design = rtlgen::generate(c, dir.string());
  sim::SimOptions o;
  o.buildJobs = 2;
  sim::buildModel(design.designJson, o);  // not timed
  Workload w;
  w.name = "bench";
  w.layers = {Layer::conv("conv3x3", 64, 64, 28, 28, 3, 3, 1, 1)};
  int64_t cycles = 0, modelCycles = 0, rtlCycles = 0;
  double simSeconds = 0;
  for (auto _ : state) {
    const auto r = sim::simulate(design.designJson, w, o);
    if (!r.allOk()) state.SkipWithError("simulation is not exact");
    cycles += r.simulatedCycles;
    simSeconds += r.simSeconds;
    modelCycles = r.layers[0].modelCycles;
    rtlCycles = r.layers[0].rtlCycles;
  }
  state.counters["cycles/s"] = benchmark::Counter(double(cycles), benchmark::Counter::kIsRate);
  state.counters["sim_cycles/s"] = double(cycles) / simSeconds;
  state.counters["model_cycles"] = double(modelCycles);
  state.counters["rtl_cycles"] = double(rtlCycles);
  state.counters["utilization"] =
      double(w.layers[0].macs()) / (double(c.pes()) * double(std::max<int64_t>(rtlCycles, 1)));
}
BENCHMARK(simulateConv3x3)
    ->Name("Conv3x3")
    ->Arg(4)
    ->Arg(8)    // 64 PEs
    ->Arg(16)   // 256 PEs
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();  // the simulation runs in a child process: CPU time here is not it

// AlexNet's five conv layers (full size) on 168 PEs and a 108 KB buffer: the Eyeriss chip's
// 12 x 14 row-stationary array (spads 224/12/24) and a 12 x 14 NVDLA-style MAC array.
void simulateAlexNetConv(benchmark::State& state) {
  ArrayConfig c;
  if (state.range(0) == 0) {
    c.style = Style::Eyeriss;
    c.rows = 12, c.cols = 14;
  } else {
    c.atomK = 12, c.atomC = 14;
  }
  c.bufferBytes = 108 * 1024;
  state.SetLabel(rtlgen::topName(c));
  const auto dir =
      std::filesystem::temp_directory_path() / ("analects_bench_" + rtlgen::topName(c));
  const auto design = rtlgen::generate(c, dir.string());
  sim::SimOptions o;
  o.buildJobs = 2;
  o.layers = {"0", "1", "2", "3", "4"};
  sim::buildModel(design.designJson, o);  // not timed
  const Workload w = loadZoo("alexnet");
  int64_t cycles = 0, macs = 0, rtl = 0, model = 0;
  double simSeconds = 0;
  for (auto _ : state) {
    const auto r = sim::simulate(design.designJson, w, o);
    if (!r.allOk()) state.SkipWithError("simulation is not exact");
    cycles += r.simulatedCycles;
    simSeconds += r.simSeconds;
    macs = rtl = model = 0;
    for (const auto& l : r.layers) macs += l.macs, rtl += l.rtlCycles, model += l.modelCycles;
  }
  state.counters["sim_cycles/s"] = double(cycles) / simSeconds;
  state.counters["rtl_cycles"] = double(rtl);
  state.counters["model_cycles"] = double(model);
  state.counters["utilization"] = double(macs) / (168.0 * double(std::max<int64_t>(rtl, 1)));
}
BENCHMARK(simulateAlexNetConv)
    ->Name("AlexNetConv")
    ->Arg(0)  // Eyeriss-style
    ->Arg(1)  // NVDLA-style
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
