// analects eval: cost of a workload on one design.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/workload.h"
#include "commands.h"

namespace analects::cli {

namespace {

struct EvalOptions {
  std::string model;
  std::string style = "nvdla";
  int64_t pes = 0, buffer = 0, atomK = 0, atomC = 0, rows = 0, cols = 0;
  int64_t dramBw = 8, dramLatency = 20;
  bool int32Out = false;
  std::string tech;
  bool json = false;
};

// The design: explicit shape flags, or the factorization of --pes with the fewest total cycles.
ArrayConfig chooseDesign(const EvalOptions& o, const CostModel& model, const Workload& w) {
  ArrayConfig base;
  base.style = parseStyle(o.style);
  base.bufferBytes = o.buffer;
  base.dramBytesPerCycle = o.dramBw;
  base.dramLatencyCycles = o.dramLatency;
  base.outputBytes = o.int32Out ? 4 : 1;
  bool explicitShape = base.style == Style::Nvdla ? (o.atomK || o.atomC) : (o.rows || o.cols);
  if (explicitShape) {
    if (base.style == Style::Nvdla) base.atomK = o.atomK, base.atomC = o.atomC;
    else base.rows = o.rows, base.cols = o.cols;
    if (o.pes && base.pes() != o.pes)
      throw ConfigError(fmt::format("--pes {} does not match the array shape ({} PEs)", o.pes, base.pes()));
    base.validate();
    return base;
  }
  if (o.pes <= 0) throw ConfigError("give --pes N (> 0) or an explicit array shape");
  ArrayConfig best = base;
  chooseArrayShape(model, w, o.pes, best);  // if no shape runs every layer, the table says why
  best.validate();
  return best;
}

}  // namespace

Action addEvalCommand(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  auto* cmd = app.add_subcommand("eval", "Cost of a workload on one accelerator design");
  cmd->footer("Examples:\n  analects eval --model resnet50 --style nvdla --pes 256 --buffer 65536\n"
              "  analects eval --model net.onnx --style nvdla --atomk 16 --atomc 8 --buffer 32768 "
              "--dram-bw 16 --json");
  cmd->add_option("--model", o->model, "Zoo name or workload file")->required();
  cmd->add_option("--style", o->style, "Accelerator style: nvdla | eyeriss")
      ->check(CLI::IsMember({"nvdla", "eyeriss"}));
  cmd->add_option("--pes", o->pes, "Number of PEs (the best array shape is chosen)");
  cmd->add_option("--buffer", o->buffer, "On-chip buffer bytes (CBUF / global buffer)")->required();
  cmd->add_option("--atomk", o->atomK, "NVDLA-style: MAC cells (kernels per cycle)");
  cmd->add_option("--atomc", o->atomC, "NVDLA-style: channels reduced per cell per cycle");
  cmd->add_option("--rows", o->rows, "Eyeriss-style: PE rows");
  cmd->add_option("--cols", o->cols, "Eyeriss-style: PE columns");
  cmd->add_option("--dram-bw", o->dramBw, "DRAM bytes per cycle (default 8)");
  cmd->add_option("--dram-latency", o->dramLatency, "DRAM latency in cycles (default 20)");
  cmd->add_flag("--int32-out", o->int32Out, "Write int32 outputs instead of requantized int8");
  cmd->add_option("--tech", o->tech, "Tech table JSON (default: built-in 45 nm)");
  cmd->add_flag("--json", o->json, "Print JSON");
  return [o]() -> int {
    Workload w = loadWorkload(o->model);
    for (const auto& warning : w.warnings) fmt::print(stderr, "warning: {}\n", warning);
    auto model = makeCostModel(o->style);
    if (!o->tech.empty()) model->setTech(TechTable::fromJsonFile(o->tech));
    ArrayConfig design = chooseDesign(*o, *model, w);

    nlohmann::json layers = nlohmann::json::array();
    double cycles = 0, energy = 0, macs = 0, dram = 0;
    double feasibleMacs = 0;  // utilization counts the layers that run (infeasible: 0 cycles)
    std::string firstFailure;
    std::vector<Cost> costs;
    for (size_t i = 0; i < w.layers.size(); ++i) {
      const Layer& l = w.layers[i];
      Cost c = model->evaluate(l, design);
      costs.push_back(c);
      if (!c.feasible && firstFailure.empty())
        firstFailure = fmt::format("layer {} ({}): {}", i, l.name, c.reason);
      cycles += double(c.cycles);
      energy += c.energyPj();
      macs += double(l.macs());
      if (c.feasible) feasibleMacs += double(l.macs());
      dram += double(c.dramReadBytes + c.dramWriteBytes);
      layers.push_back({{"name", l.name}, {"macs", l.macs()}, {"feasible", c.feasible},
                        {"reason", c.reason}, {"cycles", c.cycles},
                        {"compute_cycles", c.computeCycles}, {"dma_stall_cycles", c.dmaStallCycles},
                        {"fill_drain_cycles", c.fillDrainCycles}, {"energy_pj", c.energyPj()},
                        {"dram_read_bytes", c.dramReadBytes}, {"dram_write_bytes", c.dramWriteBytes},
                        {"buffer_need_bytes", c.bufferNeedBytes}, {"utilization", c.utilization},
                        {"power_mw", c.powerMw}});
    }
    const double area = model->areaUm2(design);
    const double utilization = cycles > 0 ? feasibleMacs / (double(design.pes()) * cycles) : 0;
    const double powerMw = cycles > 0 ? energy / (cycles / model->tech().clockMhz) / 1000 : 0;
    if (o->json) {
      nlohmann::json j;
      j["model"] = w.name;
      j["style"] = o->style;
      j["design"] = {{"name", design.name()}, {"pes", design.pes()},
                     {"buffer_bytes", design.bufferBytes}, {"atomK", design.atomK},
                     {"atomC", design.atomC}, {"rows", design.rows}, {"cols", design.cols},
                     {"dram_bytes_per_cycle", design.dramBytesPerCycle},
                     {"dram_latency_cycles", design.dramLatencyCycles}};
      j["layers"] = layers;
      j["total"] = {{"feasible", firstFailure.empty()}, {"cycles", cycles}, {"energy_pj", energy},
                    {"macs", macs}, {"dram_bytes", dram}, {"utilization", utilization}};
      j["area_um2"] = area;
      j["power_mw"] = powerMw;
      fmt::print("{}\n", j.dump(1));
    } else {
      fmt::print("{} on {} ({} PEs, {} B buffer, {} B/cycle DRAM)\n", w.name, design.name(),
                 design.pes(), design.bufferBytes, design.dramBytesPerCycle);
      fmt::print("{:>4} {:<26} {:>13} {:>13} {:>10} {:>12} {:>12} {:>6}\n", "#", "layer", "MACs",
                 "cycles", "stall", "energy uJ", "DRAM bytes", "util");
      for (size_t i = 0; i < w.layers.size(); ++i) {
        const Cost& c = costs[i];
        std::string name = w.layers[i].name.substr(0, 26);
        if (!c.feasible) {
          fmt::print("{:>4} {:<26} infeasible: {}\n", i, name, c.reason);
          continue;
        }
        fmt::print("{:>4} {:<26} {:>13} {:>13} {:>10} {:>12.3f} {:>12} {:>5.1f}%\n", i, name,
                   w.layers[i].macs(), c.cycles, c.dmaStallCycles, c.energyPj() / 1e6,
                   c.dramReadBytes + c.dramWriteBytes, 100 * c.utilization);
      }
      fmt::print("total: {:.0f} cycles, {:.3f} uJ, {:.0f} DRAM bytes, utilization {:.1f}%\n", cycles,
                 energy / 1e6, dram, 100 * utilization);
      fmt::print("area {:.3f} mm^2, average power {:.1f} mW at {} MHz\n", area / 1e6, powerMw,
                 model->tech().clockMhz);
    }
    if (!firstFailure.empty())
      throw ConfigError(fmt::format("the design cannot run {}", firstFailure));
    return 0;
  };
}

}  // namespace analects::cli
