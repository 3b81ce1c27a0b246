// analects gen: an ArrayConfig becomes a directory of synthesizable Verilog.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "analects/costmodel/array_config.h"
#include "analects/rtlgen/rtlgen.h"
#include "commands.h"

namespace analects::cli {

Action addGenCommand(CLI::App& app) {
  struct Options {
    std::string style = "nvdla", out;
    int64_t pes = 0, buffer = 65536, atomK = 0, atomC = 0, rows = 0, cols = 0;
    int64_t dramBw = 8, dramLatency = 20, accDepth = 512, pipelineDepth = 4;
    std::string spads;
    bool int32Out = false, json = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("gen", "Generate the Verilog of an accelerator design");
  cmd->footer("Examples:\n  analects gen --style nvdla --pes 256 --buffer 65536 -o out/rtl\n"
              "  analects gen --style nvdla --atomk 8 --atomc 32 --buffer 32768 --dram-bw 4 -o out/k8c32\n"
              "  analects gen --style eyeriss --rows 12 --cols 14 --buffer 110592 -o out/eyeriss\n"
              "  analects gen --style eyeriss --rows 3 --cols 5 --buffer 4096 --spads 17,5,7 -o out/rs3x5\n"
              "Writes <top>.v, the leaf modules, design.json, config.h, filelist.f, synth.ys, fpga.ys.");
  cmd->add_option("--style", o->style, "nvdla (weight-stationary atoms) or eyeriss (row-stationary PEs)")
      ->check(CLI::IsMember({"nvdla", "eyeriss"}));
  cmd->add_option("--pes", o->pes, "PEs; NVDLA-style shape atomK x atomC as square as possible");
  cmd->add_option("--buffer", o->buffer, "CBUF / GLB bytes (default 65536)");
  cmd->add_option("--atomk", o->atomK, "MAC cells (kernels per cycle)");
  cmd->add_option("--atomc", o->atomC, "channels reduced per cell per cycle");
  cmd->add_option("--rows", o->rows, "Eyeriss-style PE rows");
  cmd->add_option("--cols", o->cols, "Eyeriss-style PE columns");
  cmd->add_option("--spads", o->spads, "Eyeriss-style scratchpad entries F,I,P (default 224,12,24)");
  cmd->add_option("--dram-bw", o->dramBw, "DRAM bytes per cycle (default 8)");
  cmd->add_option("--dram-latency", o->dramLatency, "DRAM latency in cycles (default 20)");
  cmd->add_option("--acc-depth", o->accDepth, "NVDLA-style accumulator depth in output pixels (default 512)");
  cmd->add_option("--pipeline", o->pipelineDepth, "MAC pipeline depth, at least 4 (default 4)");
  cmd->add_flag("--int32-out", o->int32Out, "write int32 outputs instead of requantized int8");
  cmd->add_option("-o,--output", o->out, "Output directory")->required();
  cmd->add_flag("--json", o->json, "Print JSON");
  return [o]() -> int {
    ArrayConfig c;
    c.style = parseStyle(o->style);
    c.bufferBytes = o->buffer;
    c.dramBytesPerCycle = o->dramBw;
    c.dramLatencyCycles = o->dramLatency;
    c.accDepthPixels = o->accDepth;
    c.pipelineDepth = o->pipelineDepth;
    c.outputBytes = o->int32Out ? 4 : 1;
    auto square = [](int64_t pes, int64_t& a, int64_t& b) {
      int64_t d = 1;
      for (int64_t x = 1; x * x <= pes; ++x)
        if (pes % x == 0) d = x;
      a = pes / d, b = d;
    };
    if (c.style == Style::Nvdla) {
      if (o->atomK || o->atomC) {
        c.atomK = o->atomK, c.atomC = o->atomC;
      } else {
        if (o->pes <= 0) throw ConfigError("give --pes N (> 0) or --atomk K --atomc C");
        square(o->pes, c.atomK, c.atomC);
      }
    } else {
      if (o->rows || o->cols) {
        c.rows = o->rows, c.cols = o->cols;
      } else {
        if (o->pes <= 0) throw ConfigError("give --pes N (> 0) or --rows R --cols C");
        square(o->pes, c.cols, c.rows);
      }
      if (!o->spads.empty()) {
        long long f, i, p;
        char extra;
        if (std::sscanf(o->spads.c_str(), "%lld,%lld,%lld%c", &f, &i, &p, &extra) != 3)
          throw ConfigError(fmt::format("--spads '{}' must be three numbers F,I,P", o->spads));
        c.filterSpad = f, c.ifmapSpad = i, c.psumSpad = p;
      }
    }
    if (o->pes && c.pes() != o->pes)
      throw ConfigError(fmt::format("--pes {} does not match the array shape ({} PEs)", o->pes, c.pes()));
    c.validate();
    rtlgen::GeneratedDesign d = rtlgen::generate(c, o->out);
    if (o->json) {
      fmt::print("{}\n", nlohmann::json{{"top", d.top}, {"dir", d.dir}, {"design", d.designJson},
                                        {"files", d.files}}.dump(1));
    } else {
      fmt::print("generated {} ({} PEs, {} B buffer) in {}\n", d.top, c.pes(), c.bufferBytes, d.dir);
      fmt::print("  {} files; design: {}\n", d.files.size(), d.designJson);
      fmt::print("  lint: verilator --lint-only -Wall -F {}/filelist.f --top-module {}\n", d.dir, d.top);
      fmt::print("  synth: (cd {} && yosys -q -s synth.ys)\n", d.dir);
    }
    return 0;
  };
}

}  // namespace analects::cli
