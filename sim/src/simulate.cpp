// simulate(): build or reuse the Verilated model, then run the SystemC simulation in a child
// process. SystemC 2.3 elaborates once per process and cannot restart after sc_stop, so every
// simulate() call forks; the child sends its results back through a pipe as JSON.
#include <dlfcn.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "analects/rtlgen/rtlgen.h"
#include "analects/sim/sim.h"
#include "dram_model.h"
#include "dut_ports.h"
#include "eyeriss_driver.h"
#include "nvdla_driver.h"
#include "testbench.h"
#include "verilator_build.h"

// libsystemc references sc_main; simulations here never go through it.
int sc_main(int, char*[]) {
  return 1;
}

namespace analects::sim {

namespace {

using nlohmann::json;

json toJson(const LayerSimResult& r) {
  return json{{"name", r.name},
              {"shape", r.shape},
              {"macs", r.macs},
              {"steps", r.steps},
              {"model_cycles", r.modelCycles},
              {"rtl_cycles", r.rtlCycles},
              {"error_pct", r.errorPct},
              {"outputs_match", r.outputsMatch},
              {"mismatches", r.mismatches},
              {"utilization", r.utilization},
              {"stall_cycles", r.stallCycles},
              {"seconds", r.seconds},
              {"error", r.error}};
}

LayerSimResult fromJson(const json& j) {
  LayerSimResult r;
  r.name = j.at("name");
  r.shape = j.at("shape");
  r.macs = j.at("macs");
  r.steps = j.at("steps");
  r.modelCycles = j.at("model_cycles");
  r.rtlCycles = j.at("rtl_cycles");
  r.errorPct = j.at("error_pct");
  r.outputsMatch = j.at("outputs_match");
  r.mismatches = j.at("mismatches");
  r.utilization = j.at("utilization");
  r.stallCycles = j.at("stall_cycles");
  r.seconds = j.at("seconds");
  r.error = j.at("error");
  return r;
}

std::vector<LayerJob> selectLayers(const Workload& w, const SimOptions& o) {
  std::vector<LayerJob> jobs;
  auto add = [&](size_t i) { jobs.push_back({i, scaleLayer(w.layers[i], o.spatialScale)}); };
  if (o.layers.empty()) {
    for (size_t i = 0; i < w.layers.size(); ++i) add(i);
    return jobs;
  }
  for (const auto& want : o.layers) {
    bool found = false;
    for (size_t i = 0; i < w.layers.size() && !found; ++i)
      if (w.layers[i].name == want) add(i), found = true;
    if (!found && !want.empty() && want.find_first_not_of("0123456789") == std::string::npos) {
      size_t i = std::stoul(want);
      if (i < w.layers.size()) add(i), found = true;
    }
    if (!found) {
      std::string names;
      for (size_t i = 0; i < w.layers.size() && i < 12; ++i)
        names += (i ? ", " : "") + w.layers[i].name;
      if (w.layers.size() > 12) names += ", ...";
      throw SimError(
          fmt::format("workload {} has no layer '{}' (layers: {}; or give an index "
                      "0..{})",
                      w.name, want, names, w.layers.size() - 1));
    }
  }
  return jobs;
}

// The child: load the model, elaborate, simulate, write results to `fd`.
[[noreturn]] void runChild(const rtlgen::Design& design, const std::string& library,
                           std::vector<LayerJob> jobs, const SimOptions& o, int fd) {
  int status = 0;
  std::string text;
  try {
    ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    ::dup2(2, 1);  // keep the parent's stdout clean (--json); SystemC talks on stdout
    void* lib = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) throw SimError(fmt::format("cannot load the model {}: {}", library, dlerror()));
    auto abi = reinterpret_cast<analects_dut::AbiFn>(dlsym(lib, "analects_dut_abi"));
    auto create = reinterpret_cast<analects_dut::CreateFn>(dlsym(lib, "analects_dut_create"));
    auto traceOpen =
        reinterpret_cast<analects_dut::TraceOpenFn>(dlsym(lib, "analects_dut_trace_open"));
    auto traceClose =
        reinterpret_cast<analects_dut::TraceCloseFn>(dlsym(lib, "analects_dut_trace_close"));
    if (!abi || !create || !traceOpen || !traceClose || abi() != analects_dut::kAbi)
      throw SimError(fmt::format("{} is not a model library of this build", library));
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);

    const ArrayConfig& config = design.config;
    Testbench::Driver driver;
    int64_t descDepth = 0;
    if (config.style == Style::Eyeriss) {
      descDepth = rtlgen::eyerissRtlParams(config).descDepth;
      driver = [config](const Layer& l, const DriverOptions& d) {
        return buildEyerissProgram(l, config, d);
      };
    } else {
      const rtlgen::NvdlaRtlParams rtl = rtlgen::nvdlaRtlParams(config);
      descDepth = rtl.descDepth;
      driver = [config, rtl](const Layer& l, const DriverOptions& d) {
        return buildProgram(l, config, rtl, d);
      };
    }
    const sc_core::sc_time period(10, sc_core::SC_NS);
    sc_core::sc_clock clk("clk", period);
    analects_dut::Signals signals;
    sc_core::sc_module* dut = create("dut", &clk, &signals);
    DramModel dram("dram", signals, design.config.dramBytesPerCycle,
                   design.config.dramLatencyCycles);
    dram.clk(clk);
    Testbench tb("tb", signals, dram, config, std::move(driver), descDepth, std::move(jobs), o,
                 period);
    tb.clk(clk);
    void* trace = nullptr;
    if (!o.tracePath.empty()) {
      sc_core::sc_start(sc_core::SC_ZERO_TIME);
      trace = traceOpen(dut, o.tracePath.c_str());
    }
    sc_core::sc_start();
    if (trace) traceClose(trace);
    if (!tb.finished) throw SimError("the simulation stopped before the testbench finished");
    json out{{"cycles", tb.simulatedCycles}, {"layers", json::array()}};
    for (const auto& r : tb.results) out["layers"].push_back(toJson(r));
    text = out.dump();
  } catch (const std::exception& e) {
    text = json{{"error", e.what()}}.dump();
    status = 1;
  }
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    p += n, left -= size_t(n);
  }
  ::close(fd);
  std::fflush(nullptr);
  _exit(status);
}

}  // namespace

std::string buildModel(const std::string& designJson, const SimOptions& options, bool* cached) {
  const rtlgen::Design design = rtlgen::readDesign(designJson);
  ModelBuild b = buildVerilatedModel(design, !options.tracePath.empty(), options);
  if (cached) *cached = b.cached;
  return b.library;
}

SimResult simulate(const std::string& designJson, const Workload& workload, const SimOptions& o) {
  const rtlgen::Design design = rtlgen::readDesign(designJson);  // throws ConfigError
  if (o.spatialScale < 1) throw SimError("spatial scale must be at least 1");
  if (!o.tracePath.empty()) {  // Verilator's FST writer fails silently on an unwritable path
    std::FILE* probe = std::fopen(o.tracePath.c_str(), "wb");
    if (!probe)
      throw SimError(fmt::format("trace file '{}': cannot be written ({})", o.tracePath,
                                 std::strerror(errno)));
    std::fclose(probe);
  }
  std::vector<LayerJob> jobs = selectLayers(workload, o);
  SimResult result;
  result.top = design.top;
  result.designJson = designJson;
  const ModelBuild build = buildVerilatedModel(design, !o.tracePath.empty(), o);
  result.modelLibrary = build.library;
  result.modelCached = build.cached;
  result.buildSeconds = build.seconds;

  const auto t0 = std::chrono::steady_clock::now();
  int fds[2];
  if (::pipe(fds) != 0) throw SimError(fmt::format("pipe: {}", std::strerror(errno)));
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw SimError(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    ::close(fds[0]);
    runChild(design, build.library, std::move(jobs), o, fds[1]);
  }
  ::close(fds[1]);
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, size_t(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.simSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (WIFSIGNALED(status))
    throw SimError(
        fmt::format("the simulation of {} crashed ({})", design.top, strsignal(WTERMSIG(status))));
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception&) {
    throw SimError(fmt::format("the simulation of {} ended without results (exit {})", design.top,
                               WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  if (j.contains("error")) throw SimError(j["error"].get<std::string>());
  result.simulatedCycles = j.at("cycles");
  for (const auto& l : j.at("layers")) result.layers.push_back(fromJson(l));
  return result;
}

}  // namespace analects::sim
