// generate(): the design directory (top, leaves, design.json, config.h, filelist, Yosys
// scripts); readDesign(): design.json back to an ArrayConfig.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analects/rtlgen/eyeriss_regs.h"
#include "analects/rtlgen/nvdla_regs.h"
#include "analects/rtlgen/rtlgen.h"
#include "styles.h"
#include "templates.h"

namespace analects::rtlgen {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kFormat = "analects-design";
constexpr int kFormatVersion = 1;

// Leaf modules of an NVDLA-style design, in compile order (leaves before their users).
const std::vector<std::string>& nvdlaLeaves() {
  static const std::vector<std::string> leaves = {
      "analects_sram_1r1w", "analects_delay",    "analects_mac_cell",  "analects_cbuf",
      "analects_unpack",    "analects_dma_rd",   "analects_dma_wr",    "analects_seq",
      "analects_acc",       "analects_cfg_regs", "analects_desc_ring", "analects_ctrl"};
  return leaves;
}

// Leaf modules of an Eyeriss-style design, in compile order.
const std::vector<std::string>& eyerissLeaves() {
  static const std::vector<std::string> leaves = {
      "analects_sram_1r1w", "analects_cbuf",     "analects_unpack",    "analects_dma_rd",
      "analects_dma_wr",    "analects_rs_ifmap", "analects_rs_psum",   "analects_rs_pe",
      "analects_rs_colsum", "analects_rs_seq",   "analects_cfg_regs",  "analects_desc_ring",
      "analects_ctrl"};
  return leaves;
}

void writeFile(const fs::path& path, const std::string& text) {
  // Write-then-rename: a reader never sees a half-written file.
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    if (!f) throw std::runtime_error(fmt::format("cannot write '{}'", tmp.string()));
    f << text;
    if (!f) throw std::runtime_error(fmt::format("writing '{}' failed", tmp.string()));
  }
  fs::rename(tmp, path);
}

json configJson(const ArrayConfig& c) {
  // Keys as in the flow's design.json ("arrays" entries).
  if (c.style == Style::Eyeriss)
    return json{{"style", styleName(c.style)},
                {"rows", c.rows},
                {"cols", c.cols},
                {"filter_spad", c.filterSpad},
                {"ifmap_spad", c.ifmapSpad},
                {"psum_spad", c.psumSpad},
                {"buffer_bytes", c.bufferBytes},
                {"data_bits", c.dataBits},
                {"acc_bits", c.accBits},
                {"output_bytes", c.outputBytes},
                {"pipeline_depth", c.pipelineDepth},
                {"dram_bytes_per_cycle", c.dramBytesPerCycle},
                {"dram_latency_cycles", c.dramLatencyCycles}};
  return json{{"style", styleName(c.style)},
              {"atomK", c.atomK},
              {"atomC", c.atomC},
              {"buffer_bytes", c.bufferBytes},
              {"data_bits", c.dataBits},
              {"acc_bits", c.accBits},
              {"output_bytes", c.outputBytes},
              {"acc_depth_pixels", c.accDepthPixels},
              {"pipeline_depth", c.pipelineDepth},
              {"dram_bytes_per_cycle", c.dramBytesPerCycle},
              {"dram_latency_cycles", c.dramLatencyCycles}};
}

json rtlJson(const NvdlaRtlParams& p) {
  return json{
      {"input_cbuf", {{"banks", p.dataBanks}, {"rows", p.dataRows}, {"width_bits", 8 * p.atomC}}},
      {"weight_cbuf",
       {{"banks", p.weightBanks}, {"rows", p.weightRows}, {"width_bits", 8 * p.atomK * p.atomC}}},
      {"accumulator",
       {{"halves", 2}, {"banks", p.accBanks}, {"rows", p.accRows}, {"width_bits", 32 * p.atomK}}},
      {"descriptor_ring", {{"entries", p.descDepth}, {"words", nvdla::kDescWords}}},
      {"dram_port_bits", 64},
      {"dram_bytes_used", p.dramBytes}};
}

json rtlJson(const EyerissRtlParams& p) {
  return json{
      {"filter_glb",
       {{"banks", p.filterBanks}, {"rows", p.filterRows}, {"width_bits", 8 * p.rows}}},
      {"ifmap_glb", {{"banks", 2}, {"rows", p.ifmapRows}, {"width_bits", 8 * p.busBytes}}},
      {"psum_glb", {{"halves", 2}, {"rows", p.psumRows}, {"width_bits", 32 * p.cols}}},
      {"ifmap_bus_bytes", p.busBytes},
      {"layer_registers", p.layerRegs()},
      {"descriptor_ring", {{"entries", p.descDepth}, {"words", eyeriss::kDescWords}}},
      {"dram_port_bits", 64},
      {"dram_bytes_used", p.dramBytes}};
}

std::string headerGuard(const std::string& top) {
  std::string guard = top;
  for (auto& ch : guard) ch = char(std::toupper(static_cast<unsigned char>(ch)));
  return guard + "_CONFIG_H";
}

std::string configHeader(const ArrayConfig& c, const EyerissRtlParams& p, const std::string& top) {
  const std::string guard = headerGuard(top);
  std::ostringstream h;
  h << "/* " << top << ": configuration of the generated accelerator (analects rtlgen). */\n"
    << "/* Programming interface: analects/rtlgen/eyeriss_regs.h. Do not edit. */\n"
    << "#ifndef " << guard << "\n#define " << guard << "\n\n";
  auto def = [&](const char* name, int64_t value) {
    h << fmt::format("#define {:<32} {}\n", fmt::format("ANALECTS_{}", name), value);
  };
  h << fmt::format("#define {:<32} \"{}\"\n", "ANALECTS_TOP", top);
  def("EYERISS", 1);
  def("ROWS", c.rows);
  def("COLS", c.cols);
  def("FILTER_SPAD", c.filterSpad);
  def("IFMAP_SPAD", c.ifmapSpad);
  def("PSUM_SPAD", c.psumSpad);
  def("BUFFER_BYTES", c.bufferBytes);
  def("OUTPUT_BYTES", c.outputBytes);
  def("PIPELINE_DEPTH", c.pipelineDepth);
  def("DRAM_BYTES_PER_CYCLE", c.dramBytesPerCycle);
  def("DRAM_LATENCY_CYCLES", c.dramLatencyCycles);
  def("IFMAP_BUS_BYTES", p.busBytes);
  def("FILTER_GLB_WORDS", p.filterWords);
  def("IFMAP_GLB_WORDS", p.ifmapWords);
  def("PSUM_GLB_WORDS", p.psumWords);
  def("LAYER_REGS", p.layerRegs());
  def("DESC_RING_ENTRIES", p.descDepth);
  def("DESC_WORDS", eyeriss::kDescWords);
  def("DESC_MAX_REQUESTS", eyeriss::kMaxRequests);
  def("CFG_LAYER_BASE", nvdla::kLayerRegBase);
  def("CFG_DESC_WORD_BASE", nvdla::kDescWordBase);
  def("CFG_DESC_PUSH", nvdla::kDescPush);
  def("CFG_START", nvdla::kStart);
  h << "\n#endif /* " << guard << " */\n";
  return h.str();
}

std::string configHeader(const ArrayConfig& c, const NvdlaRtlParams& p, const std::string& top) {
  const std::string guard = headerGuard(top);
  std::ostringstream h;
  h << "/* " << top << ": configuration of the generated accelerator (analects rtlgen). */\n"
    << "/* Programming interface: analects/rtlgen/nvdla_regs.h. Do not edit. */\n"
    << "#ifndef " << guard << "\n#define " << guard << "\n\n";
  auto def = [&](const char* name, int64_t value) {
    h << fmt::format("#define {:<32} {}\n", fmt::format("ANALECTS_{}", name), value);
  };
  h << fmt::format("#define {:<32} \"{}\"\n", "ANALECTS_TOP", top);
  def("ATOM_K", c.atomK);
  def("ATOM_C", c.atomC);
  def("BUFFER_BYTES", c.bufferBytes);
  def("OUTPUT_BYTES", c.outputBytes);
  def("ACC_DEPTH_PIXELS", c.accDepthPixels);
  def("PIPELINE_DEPTH", c.pipelineDepth);
  def("DRAM_BYTES_PER_CYCLE", c.dramBytesPerCycle);
  def("DRAM_LATENCY_CYCLES", c.dramLatencyCycles);
  def("INPUT_CBUF_ATOMS", p.dataAtoms);
  def("WEIGHT_CBUF_BLOCKS", p.weightBlocks);
  def("DESC_RING_ENTRIES", p.descDepth);
  def("DESC_WORDS", nvdla::kDescWords);
  def("DESC_MAX_REQUESTS", nvdla::kMaxRequests);
  def("CFG_LAYER_BASE", nvdla::kLayerRegBase);
  def("CFG_DESC_WORD_BASE", nvdla::kDescWordBase);
  def("CFG_DESC_PUSH", nvdla::kDescPush);
  def("CFG_START", nvdla::kStart);
  h << "\n#endif /* " << guard << " */\n";
  return h.str();
}

std::string yosysScript(const std::string& top, const std::vector<std::string>& sources,
                        bool fpga) {
  std::ostringstream s;
  if (fpga) {
    s << "# FPGA resources of " << top << " (DSP48E1, RAMB18/36, LUT, FF), from this directory:\n"
      << "#   yosys -q -s fpga.ys   (writes fpga_stat.json)\n";
  } else {
    s << "# Generic synthesis and structural check of " << top << ", from this directory:\n"
      << "#   yosys -q -s synth.ys\n";
  }
  for (const auto& src : sources) s << "read_verilog " << src << "\n";
  if (fpga) {
    s << "synth_xilinx -flatten -top " << top << "\n"
      << "tee -o fpga_stat.json stat -json\n";
  } else {
    s << "synth -top " << top << "\n"
      << "check -assert\n"
      << "stat\n";
  }
  return s.str();
}

}  // namespace

std::string topVerilog(const ArrayConfig& config) {
  return config.style == Style::Eyeriss ? eyerissTopVerilog(config) : nvdlaTopVerilog(config);
}

GeneratedDesign generate(const ArrayConfig& config, const std::string& dir) {
  // Sizes first: they throw for configs without RTL, before anything is written.
  const bool eyeriss = config.style == Style::Eyeriss;
  json rtl;
  std::string header;
  if (eyeriss) {
    const EyerissRtlParams p = eyerissRtlParams(config);
    rtl = rtlJson(p);
    header = configHeader(config, p, topName(config));
  } else {
    const NvdlaRtlParams p = nvdlaRtlParams(config);
    rtl = rtlJson(p);
    header = configHeader(config, p, topName(config));
  }
  GeneratedDesign g;
  g.top = topName(config);
  g.dir = dir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create '{}': {}", dir, ec.message()));

  for (const auto& leaf : eyeriss ? eyerissLeaves() : nvdlaLeaves()) {
    std::string file = leaf + ".v";
    writeFile(fs::path(dir) / file, templateOf(leaf).text);
    g.sources.push_back(file);
  }
  g.sources.push_back(g.top + ".v");
  writeFile(fs::path(dir) / (g.top + ".v"), topVerilog(config));

  json design{{"format", kFormat}, {"version", kFormatVersion},
              {"top", g.top},      {"config", configJson(config)},
              {"rtl", rtl},        {"sources", g.sources}};
  writeFile(fs::path(dir) / "design.json", design.dump(2) + "\n");
  writeFile(fs::path(dir) / "config.h", header);
  std::string filelist;
  for (const auto& s : g.sources) filelist += s + "\n";
  writeFile(fs::path(dir) / "filelist.f", filelist);
  writeFile(fs::path(dir) / "synth.ys", yosysScript(g.top, g.sources, false));
  writeFile(fs::path(dir) / "fpga.ys", yosysScript(g.top, g.sources, true));

  g.files = g.sources;
  for (const char* f : {"design.json", "config.h", "filelist.f", "synth.ys", "fpga.ys"})
    g.files.push_back(f);
  g.designJson = (fs::path(dir) / "design.json").string();
  return g;
}

Design readDesign(const std::string& path) {
  auto fail = [&](const std::string& why) -> ConfigError {
    return ConfigError(fmt::format("design file '{}': {}", path, why));
  };
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw fail(fmt::format("is a directory (give {})", (fs::path(path) / "design.json").string()));
  std::ifstream f(path);
  if (!f) throw fail("cannot be read (run `analects gen` to create a design directory)");
  json j;
  try {
    j = json::parse(f);
  } catch (const json::exception& e) {
    throw fail(fmt::format("not valid JSON ({})", e.what()));
  }
  if (!j.is_object() || j.value("format", "") != kFormat)
    throw fail(fmt::format("not an analects design (expected \"format\": \"{}\")", kFormat));
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"] != kFormatVersion)
    throw fail(fmt::format("unsupported version (this build reads version {})", kFormatVersion));
  if (!j.contains("config") || !j["config"].is_object()) throw fail("missing object \"config\"");
  const json& c = j["config"];
  Design d;
  auto integer = [&](const char* key, int64_t& out) {
    if (!c.contains(key)) throw fail(fmt::format("config: missing \"{}\"", key));
    if (!c[key].is_number_integer())
      throw fail(fmt::format("config: \"{}\" must be an integer", key));
    out = c[key].get<int64_t>();
  };
  if (!c.contains("style") || !c["style"].is_string()) throw fail("config: missing \"style\"");
  try {
    d.config.style = parseStyle(c["style"].get<std::string>());
  } catch (const ConfigError& e) {
    throw fail(fmt::format("config: {}", e.what()));
  }
  if (d.config.style == Style::Eyeriss) {
    integer("rows", d.config.rows);
    integer("cols", d.config.cols);
    integer("filter_spad", d.config.filterSpad);
    integer("ifmap_spad", d.config.ifmapSpad);
    integer("psum_spad", d.config.psumSpad);
  } else {
    integer("atomK", d.config.atomK);
    integer("atomC", d.config.atomC);
    integer("acc_depth_pixels", d.config.accDepthPixels);
  }
  integer("buffer_bytes", d.config.bufferBytes);
  integer("output_bytes", d.config.outputBytes);
  integer("pipeline_depth", d.config.pipelineDepth);
  integer("dram_bytes_per_cycle", d.config.dramBytesPerCycle);
  integer("dram_latency_cycles", d.config.dramLatencyCycles);
  if (c.contains("data_bits")) integer("data_bits", d.config.dataBits);
  if (c.contains("acc_bits")) integer("acc_bits", d.config.accBits);
  try {
    // Validates, and rejects configs without RTL.
    if (d.config.style == Style::Eyeriss)
      eyerissRtlParams(d.config);
    else
      nvdlaRtlParams(d.config);
  } catch (const ConfigError& e) {
    throw fail(e.what());
  }
  if (!j.contains("top") || !j["top"].is_string()) throw fail("missing string \"top\"");
  d.top = j["top"].get<std::string>();
  if (d.top != topName(d.config))
    throw fail(fmt::format("top '{}' does not match its config (expected '{}'); regenerate it",
                           d.top, topName(d.config)));
  d.dir = fs::absolute(fs::path(path)).parent_path().string();
  if (!j.contains("sources") || !j["sources"].is_array() || j["sources"].empty())
    throw fail("missing array \"sources\"");
  for (const auto& s : j["sources"]) {
    if (!s.is_string()) throw fail("\"sources\" must hold file names");
    fs::path src = fs::path(d.dir) / s.get<std::string>();
    if (!fs::exists(src)) throw fail(fmt::format("source '{}' does not exist", src.string()));
    d.sources.push_back(src.string());
  }
  return d;
}

}  // namespace analects::rtlgen
