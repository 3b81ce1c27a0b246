// FPGA estimate: Yosys on a generated design, counts against the part and the cost model,
// nextpnr-ice40 + icepack for the iCE40 when the design fits. Results are cached in the design
// directory (fpga_<flow>_stat.json beside fpga_<flow>.hash) so a repeated call is instant.
#include "analects/flows/fpga.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "analects/costmodel/cost_model.h"
#include "analects/rtlgen/rtlgen.h"

extern char** environ;

namespace analects::flows {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// Bump when the scripts or the parsing change: old caches are then ignored.
constexpr const char* kCacheVersion = "analects-fpga 1";

// FNV-1a, 64 bit: stable across runs and platforms (std::hash is not).
struct Fnv {
  uint64_t h = 1469598103934665603ull;
  void add(const std::string& s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;  // separator: "ab","c" != "a","bc"
  }
  std::string hex() const { return fmt::format("{:016x}", h); }
};

std::string readText(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error(fmt::format("cannot read '{}'", path.string()));
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string readTextOr(const fs::path& path, const std::string& fallback) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return fallback;
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

void writeText(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    if (!f) throw std::runtime_error(fmt::format("cannot write '{}'", tmp.string()));
  }
  fs::rename(tmp, path);
}

// Runs args in cwd with stdout and stderr into logPath. Returns the exit status; -1 when the
// program could not be started (not on PATH).
int run(const std::vector<std::string>& args, const fs::path& cwd, const fs::path& logPath) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  posix_spawn_file_actions_addopen(&actions, 1, logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  if (!WIFEXITED(status)) return 128 + WTERMSIG(status);
  // posix_spawnp reports a missing program as exit status 127 of the child.
  return WEXITSTATUS(status);
}

// First line of `program --version`-like output (stdout and stderr: nextpnr prints its version
// on stderr); empty when the program is missing.
std::string versionOf(const std::string& command) {
  std::string out;
  if (FILE* p = popen((command + " 2>&1").c_str(), "r")) {
    char buf[256];
    while (fgets(buf, sizeof buf, p)) out += buf;
    if (pclose(p) != 0) return "";
  }
  const auto nl = out.find('\n');
  return nl == std::string::npos ? out : out.substr(0, nl);
}

// The line of a log that says what went wrong, for a one-line error: the first ERROR line, else
// the last line that is not a warning.
std::string firstError(const fs::path& log) {
  std::ifstream f(log);
  std::string last;
  for (std::string line; std::getline(f, line);) {
    if (line.find("ERROR") != std::string::npos) return line;
    if (!line.empty() && line.rfind("Warning", 0) != 0) last = line;
  }
  return last.empty() ? "no error message" : last;
}

bool startsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

// Cell counts of the `stat -json` output: the design totals (the whole flattened top).
std::map<std::string, int64_t> parseStat(const fs::path& path, const std::string& top) {
  json j;
  try {
    j = json::parse(readText(path));
  } catch (const json::exception& e) {
    throw std::runtime_error(
        fmt::format("'{}': not a Yosys stat -json file ({})", path.string(), e.what()));
  }
  const json* counts = nullptr;
  if (j.contains("design") && j["design"].contains("num_cells_by_type"))
    counts = &j["design"]["num_cells_by_type"];
  else if (j.contains("modules") && j["modules"].contains("\\" + top))
    counts = &j["modules"]["\\" + top]["num_cells_by_type"];
  if (!counts || !counts->is_object())
    throw std::runtime_error(fmt::format("'{}': no cell counts for {}", path.string(), top));
  std::map<std::string, int64_t> cells;
  for (const auto& [type, n] : counts->items()) cells[type] = n.get<int64_t>();
  return cells;
}

// LUTs a distributed-RAM / shift-register primitive occupies (7-series SLICEM).
int64_t lutsOfMemoryCell(const std::string& type) {
  static const std::map<std::string, int64_t> luts = {
      {"RAM32M", 4},    {"RAM64M", 4},   {"RAM32M16", 8},  {"RAM64M8", 8},
      {"RAM32X1D", 2},  {"RAM64X1D", 2}, {"RAM128X1D", 4}, {"RAM256X1D", 8},
      {"RAM32X1S", 1},  {"RAM64X1S", 1}, {"RAM128X1S", 2}, {"RAM256X1S", 4},
      {"RAM512X1S", 8}, {"SRL16E", 1},   {"SRLC16E", 1},   {"SRLC32E", 1}};
  auto it = luts.find(type);
  return it == luts.end() ? 0 : it->second;
}

struct Flow {
  std::string name;     // cache-file prefix: fpga_<name>
  std::string command;  // Yosys synthesis command (without -top)
};

Flow flowFor(const FpgaPart& part) {
  if (part.isIce40()) return {"ice40", "synth_ice40 -dsp"};
  return {"xilinx", "synth_xilinx -flatten"};
}

std::string yosysScript(const Flow& flow, const rtlgen::Design& d, const fs::path& statTmp,
                        const fs::path& netlistTmp) {
  std::string s = fmt::format(
      "# {} of {}, written by `analects fpga`; run from this directory:\n"
      "#   yosys -q -s fpga_{}.ys\n",
      flow.command, d.top, flow.name);
  for (const auto& src : d.sources)
    s += fmt::format("read_verilog {}\n", fs::path(src).filename().string());
  s += fmt::format("{} -top {}\n", flow.command, d.top);
  if (!netlistTmp.empty()) s += fmt::format("write_json {}\n", netlistTmp.filename().string());
  s += fmt::format("tee -q -o {} stat -json\n", statTmp.filename().string());
  return s;
}

// Top-level port bits of a Yosys JSON netlist (the pins an iCE40 package must offer).
int64_t portBitsOf(const fs::path& netlist, const std::string& top) {
  std::ifstream f(netlist);
  if (!f) return 0;
  json j = json::parse(f, nullptr, false);
  if (j.is_discarded() || !j.contains("modules") || !j["modules"].contains(top)) return 0;
  int64_t bits = 0;
  for (const auto& [name, port] : j["modules"][top]["ports"].items())
    bits += int64_t(port["bits"].size());
  return bits;
}

void fill(FpgaReport& r, const FpgaPart& part) {
  auto count = [&](auto pred) {
    int64_t n = 0;
    for (const auto& [type, k] : r.cells)
      if (pred(type)) n += k;
    return n;
  };
  r.rows.clear();
  r.overflows.clear();
  auto row = [&](const std::string& name, int64_t yosys, int64_t model, int64_t capacity) {
    r.rows.push_back({name, yosys, model, capacity});
    if (capacity >= 0 && yosys > capacity)
      r.overflows.push_back(fmt::format("{} {} > {}", name, yosys, capacity));
  };
  if (part.isIce40()) {
    r.yosys.dsp = count([](const std::string& t) { return t == "SB_MAC16"; });
    r.ebr = count([](const std::string& t) { return startsWith(t, "SB_RAM40_4K"); });
    r.spram = count([](const std::string& t) { return t == "SB_SPRAM256KA"; });
    r.yosys.lut = count([](const std::string& t) { return t == "SB_LUT4"; });
    r.yosys.ff = count([](const std::string& t) { return startsWith(t, "SB_DFF"); });
    r.yosys.bram18 = r.yosys.bram36 = 0;
    // The cost model is calibrated on 7-series cells; only its DSP count carries over.
    row("DSP (SB_MAC16)", r.yosys.dsp, r.model.dsp, part.dsp);
    row("EBR (4 Kb)", r.ebr, -1, part.ebr);
    row("SPRAM (256 Kb)", r.spram, -1, part.spram);
    row("LUT4", r.yosys.lut, -1, part.lut);
    row("FF", r.yosys.ff, -1, part.ff);
    row(fmt::format("I/O pins ({})", part.package), r.portBits, -1, part.userIo);
  } else {
    r.yosys.dsp = count([](const std::string& t) { return startsWith(t, "DSP48"); });
    r.yosys.bram18 = count([](const std::string& t) { return startsWith(t, "RAMB18"); });
    r.yosys.bram36 = count([](const std::string& t) { return startsWith(t, "RAMB36"); });
    r.lutRam = 0;
    for (const auto& [type, k] : r.cells) r.lutRam += k * lutsOfMemoryCell(type);
    // Logic LUTs: LUT1..LUT6 and INV (a LUT1 in the Xilinx library).
    r.yosys.lut = r.lutRam + count([](const std::string& t) {
                    return (t.size() == 4 && startsWith(t, "LUT")) || t == "INV";
                  });
    r.yosys.ff = count([](const std::string& t) { return startsWith(t, "FD"); });
    auto tiles = [](const FpgaResources& x) { return x.bram36 + (x.bram18 + 1) / 2; };
    row("DSP", r.yosys.dsp, r.model.dsp, part.dsp);
    row("BRAM18", r.yosys.bram18, r.model.bram18, -1);
    row("BRAM36", r.yosys.bram36, r.model.bram36, -1);
    row("BRAM (36 Kb tiles)", tiles(r.yosys), tiles(r.model), part.bram36);
    row("LUT", r.yosys.lut, r.model.lut, part.lut);
    row("FF", r.yosys.ff, r.model.ff, part.ff);
  }
  r.fits = r.overflows.empty();
}

void log(const FpgaOptions& o, const std::string& line) {
  if (o.log) o.log(line);
}

}  // namespace

std::optional<double> FpgaRow::modelDiffPct() const {
  if (model < 0) return std::nullopt;
  if (yosys == 0) return model == 0 ? std::optional<double>(0.0) : std::nullopt;
  return 100.0 * double(model - yosys) / double(yosys);
}

FpgaModelCheck checkModel(const FpgaReport& r) {
  FpgaModelCheck c;
  c.dspExact = r.model.dsp == r.yosys.dsp;
  if (r.part.isIce40()) {
    c.bramExact = true;
    return c;
  }
  c.bramExact = r.model.bram18 == r.yosys.bram18 && r.model.bram36 == r.yosys.bram36;
  auto pct = [](int64_t model, int64_t yosys) {
    return yosys > 0 ? 100.0 * double(model - yosys) / double(yosys) : (model == 0 ? 0.0 : 100.0);
  };
  c.lutDiffPct = pct(r.model.lut, r.yosys.lut);
  c.ffDiffPct = pct(r.model.ff, r.yosys.ff);
  return c;
}

const std::vector<FpgaPart>& fpgaParts() {
  static const std::vector<FpgaPart> parts = [] {
    std::vector<FpgaPart> v;
    FpgaPart p;
    p = {};
    p.name = "xc7z020", p.board = "PYNQ-Z2 / ZedBoard", p.family = "xilinx";
    p.dsp = 220, p.bram36 = 140, p.lut = 53200, p.ff = 106400;
    v.push_back(p);
    p = {};
    p.name = "xczu9eg", p.board = "ZCU102", p.family = "xilinx";
    p.dsp = 2520, p.bram36 = 912, p.lut = 274080, p.ff = 548160;
    v.push_back(p);
    p = {};
    p.name = "xcvu9p", p.board = "VCU118 / AWS F1", p.family = "xilinx";
    p.dsp = 6840, p.bram36 = 2160, p.lut = 1182240, p.ff = 2364480;
    v.push_back(p);
    p = {};
    p.name = "ice40up5k", p.board = "iCEBreaker", p.family = "ice40";
    p.dsp = 8, p.ebr = 30, p.spram = 4, p.lut = 5280, p.ff = 5280;
    // sg48 is the UP5K's largest package (uwg30 has fewer pins): 39 user I/O.
    p.package = "sg48", p.userIo = 39;
    v.push_back(p);
    return v;
  }();
  return parts;
}

const FpgaPart& fpgaPart(const std::string& name) {
  std::string known;
  for (const auto& p : fpgaParts()) {
    if (p.name == name) return p;
    known += (known.empty() ? "" : ", ") + p.name;
  }
  throw ConfigError(fmt::format("unknown FPGA part '{}' (known: {})", name, known));
}

std::string fpgaSynthCommand(const FpgaPart& part) {
  return flowFor(part).command;
}

FpgaPlacement placeIce40(const std::string& netlistJson, const FpgaPart& part,
                         const FpgaOptions& o) {
  FpgaPlacement p;
  if (!part.isIce40()) {
    p.note = fmt::format("{} is not an iCE40 part", part.name);
    return p;
  }
  const std::string nextpnrVersion = versionOf("nextpnr-ice40 --version");
  if (nextpnrVersion.empty()) {
    p.note = "nextpnr-ice40 was not found on PATH (scripts/setup.sh installs nextpnr-ice40)";
    return p;
  }
  const fs::path netlist = fs::absolute(netlistJson);
  const fs::path dir = netlist.parent_path();
  const std::string stem = netlist.stem().string();
  const fs::path asc = dir / (stem + ".asc");
  const fs::path bin = dir / (stem + ".bin");
  const fs::path report = dir / (stem + "_pnr.json");
  const fs::path pnrLog = dir / (stem + "_pnr.log");
  const fs::path packLog = dir / (stem + "_pack.log");
  const fs::path hashFile = dir / (stem + "_pnr.hash");
  Fnv hash;
  hash.add(kCacheVersion);
  hash.add(readText(netlist));
  hash.add(nextpnrVersion);
  hash.add(fmt::format("{} {} seed {}", part.name, part.package, o.seed));
  p.attempted = true;
  const bool cached =
      o.useCache && readTextOr(hashFile, "") == hash.hex() && fs::exists(report) && fs::exists(bin);
  if (!cached) {
    fs::remove(hashFile);
    fs::remove(bin);
    log(o, fmt::format("nextpnr-ice40: placing {} into the {} ({})", netlist.filename().string(),
                       part.name, part.package));
    // --timing-allow-fail: a slow design is still placed; its Fmax is the answer.
    int rc = run(
        {"nextpnr-ice40", "--up5k", "--package", part.package, "--json",
         netlist.filename().string(), "--asc", asc.filename().string(), "--report",
         report.filename().string(), "--seed", std::to_string(o.seed), "--timing-allow-fail", "-q"},
        dir, pnrLog);
    if (rc != 0) {
      p.note = fmt::format("nextpnr-ice40 failed (exit {}): {} (log: {})", rc, firstError(pnrLog),
                           pnrLog.string());
      return p;
    }
    rc = run({"icepack", asc.filename().string(), bin.filename().string()}, dir, packLog);
    if (rc < 0 || rc == 127) {
      p.note = "icepack was not found on PATH (scripts/setup.sh installs fpga-icestorm)";
      return p;
    }
    if (rc != 0 || !fs::exists(bin)) {
      p.note = fmt::format("icepack failed (exit {}): {}", rc, firstError(packLog));
      return p;
    }
    writeText(hashFile, hash.hex());
  }
  json j = json::parse(readTextOr(report, ""), nullptr, false);
  if (j.is_discarded()) {
    p.note = fmt::format("'{}' is not valid JSON", report.string());
    return p;
  }
  if (j.contains("utilization") && j["utilization"].contains("ICESTORM_LC"))
    p.logicCells = j["utilization"]["ICESTORM_LC"].value("used", int64_t(0));
  // Fmax of the slowest clock domain (generated designs have one clock).
  if (j.contains("fmax"))
    for (const auto& [clock, f] : j["fmax"].items()) {
      const double achieved = f.value("achieved", 0.0);
      if (p.fmaxMhz == 0 || achieved < p.fmaxMhz) p.fmaxMhz = achieved;
    }
  p.bitstream = bin.string();
  p.bitstreamBytes = int64_t(fs::file_size(bin));
  p.ok = true;
  return p;
}

FpgaReport fpgaEstimate(const std::string& designJsonPath, const FpgaPart& part,
                        const FpgaOptions& o) {
  const rtlgen::Design d = rtlgen::readDesign(designJsonPath);
  const fs::path dir = d.dir;
  const Flow flow = flowFor(part);
  FpgaReport r;
  r.top = d.top;
  r.designDir = d.dir;
  r.part = part;
  r.synthCommand = flow.command;
  r.model = makeCostModel(d.config.style)->fpgaResources(d.config);

  const std::string yosysVersion = versionOf("yosys -V");
  if (yosysVersion.empty())
    throw std::runtime_error("yosys was not found on PATH (scripts/setup.sh installs it)");

  const fs::path stat = dir / fmt::format("fpga_{}_stat.json", flow.name);
  const fs::path statTmp = dir / fmt::format("fpga_{}_stat.json.tmp", flow.name);
  const fs::path hashFile = dir / fmt::format("fpga_{}.hash", flow.name);
  const fs::path script = dir / fmt::format("fpga_{}.ys", flow.name);
  const fs::path logFile = dir / fmt::format("fpga_{}.log", flow.name);
  const fs::path netlist = part.isIce40() ? dir / "fpga_ice40.json" : fs::path();
  const fs::path netlistTmp = part.isIce40() ? dir / "fpga_ice40.json.tmp" : fs::path();

  Fnv hash;
  hash.add(kCacheVersion);
  hash.add(yosysVersion);
  hash.add(yosysScript(flow, d, statTmp, netlistTmp));
  for (const auto& src : d.sources) hash.add(readText(src));
  r.statPath = stat.string();

  // The hash file holds the key, then the synthesis command used and a note (one line each).
  std::istringstream cache(readTextOr(hashFile, ""));
  std::string key, usedCommand, note;
  std::getline(cache, key);
  std::getline(cache, usedCommand);
  std::getline(cache, note);
  r.cached = o.useCache && key == hash.hex() && !usedCommand.empty() && fs::exists(stat) &&
             (netlist.empty() || fs::exists(netlist));
  if (r.cached) {
    r.synthCommand = usedCommand;
    if (!note.empty()) r.notes.push_back(note);
  } else {
    fs::remove(hashFile);  // a run that dies half-way leaves no valid cache behind
    log(o, fmt::format("yosys: {} on {} (this can take a minute)", flow.command, d.top));
    const auto t0 = std::chrono::steady_clock::now();
    auto synthesize = [&](const Flow& f) {
      writeText(script, yosysScript(f, d, statTmp, netlistTmp));
      return run({"yosys", "-q", "-s", script.filename().string()}, dir, logFile);
    };
    int rc = synthesize(flow);
    if (part.isIce40() && rc >= 128) {
      // Yosys 0.23's ice40_dsp pass crashes on a lone registered product (atomC = 1): the
      // multipliers then stay in LUTs.
      note = fmt::format(
          "yosys `{}` crashed (signal {}); synthesized with `synth_ice40`, "
          "multipliers in LUTs",
          flow.command, rc - 128);
      log(o, note);
      r.synthCommand = "synth_ice40";
      r.notes.push_back(note);
      rc = synthesize(Flow{flow.name, r.synthCommand});
    }
    r.yosysSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (rc < 0 || rc == 127)
      throw std::runtime_error("yosys was not found on PATH (scripts/setup.sh installs it)");
    if (rc != 0 || !fs::exists(statTmp))
      throw std::runtime_error(fmt::format("yosys {} failed on {} (exit {}): {} (log: {})",
                                           r.synthCommand, d.top, rc, firstError(logFile),
                                           logFile.string()));
    fs::rename(statTmp, stat);
    if (!netlist.empty()) fs::rename(netlistTmp, netlist);
    writeText(hashFile, hash.hex() + "\n" + r.synthCommand + "\n" + note + "\n");
  }
  r.cells = parseStat(stat, d.top);
  if (part.isIce40()) r.portBits = portBitsOf(netlist, d.top);
  fill(r, part);

  if (part.isIce40() && o.placeAndRoute) {
    if (!r.fits) {
      r.placement.note = fmt::format("not placed: the design does not fit the {}", part.name);
      if (r.portBits > part.userIo)
        r.placement.note += fmt::format(
            "; its top has {} port bits and the {} package {} user pins, so an iCE40 prototype "
            "needs a narrow top (a byte-wide memory port or a serial shell) around the array",
            r.portBits, part.package, part.userIo);
    } else {
      r.placement = placeIce40(netlist.string(), part, o);
    }
  }
  return r;
}

std::string fpgaReportJson(const FpgaReport& r) {
  auto orNull = [](int64_t v) { return v < 0 ? json(nullptr) : json(v); };
  json rows = json::array();
  for (const auto& row : r.rows) {
    const auto diff = row.modelDiffPct();
    rows.push_back(
        {{"resource", row.resource},
         {"yosys", row.yosys},
         {"model", orNull(row.model)},
         {"model_diff_pct", diff ? json(*diff) : json(nullptr)},
         {"capacity", orNull(row.capacity)},
         {"utilization_pct", row.capacity > 0 ? json(row.utilizationPct()) : json(nullptr)}});
  }
  json part = {{"name", r.part.name}, {"board", r.part.board}, {"family", r.part.family},
               {"dsp", r.part.dsp},   {"lut", r.part.lut},     {"ff", r.part.ff}};
  json yosys;
  if (r.part.isIce40()) {
    part["ebr"] = r.part.ebr;
    part["spram"] = r.part.spram;
    part["package"] = r.part.package;
    part["user_io"] = r.part.userIo;
    yosys = {{"dsp", r.yosys.dsp}, {"ebr", r.ebr},     {"spram", r.spram},
             {"lut", r.yosys.lut}, {"ff", r.yosys.ff}, {"port_bits", r.portBits}};
  } else {
    part["bram36"] = r.part.bram36;
    yosys = {{"dsp", r.yosys.dsp}, {"bram18", r.yosys.bram18},  {"bram36", r.yosys.bram36},
             {"lut", r.yosys.lut}, {"lut_as_memory", r.lutRam}, {"ff", r.yosys.ff}};
  }
  const FpgaModelCheck check = checkModel(r);
  json modelCheck = {{"dsp_exact", check.dspExact}, {"within_target", check.withinTarget()}};
  if (!r.part.isIce40()) {
    modelCheck["bram_exact"] = check.bramExact;
    modelCheck["lut_diff_pct"] = check.lutDiffPct;
    modelCheck["ff_diff_pct"] = check.ffDiffPct;
    modelCheck["lut_tolerance_pct"] = FpgaModelCheck::lutTolerancePct;
  }
  json j = {{"design", r.top},
            {"design_dir", r.designDir},
            {"part", part},
            {"synthesis",
             {{"tool", "yosys"},
              {"command", r.synthCommand},
              {"cached", r.cached},
              {"seconds", r.yosysSeconds},
              {"stat", r.statPath}}},
            {"resources", rows},
            {"yosys", yosys},
            {"model",
             {{"dsp", r.model.dsp},
              {"bram18", r.model.bram18},
              {"bram36", r.model.bram36},
              {"lut", r.model.lut},
              {"ff", r.model.ff}}},
            {"model_check", modelCheck},
            {"cells", r.cells},
            {"fits", r.fits},
            {"overflows", r.overflows},
            {"notes", r.notes}};
  if (r.part.isIce40()) {
    const FpgaPlacement& p = r.placement;
    j["placement"] = {{"attempted", p.attempted},
                      {"ok", p.ok},
                      {"note", p.note},
                      {"logic_cells", p.logicCells},
                      {"fmax_mhz", p.fmaxMhz},
                      {"bitstream", p.bitstream},
                      {"bitstream_bytes", p.bitstreamBytes}};
  } else {
    j["placement"] = nullptr;
  }
  return j.dump(1);
}

std::string fpgaReportText(const FpgaReport& r) {
  auto thousands = [](int64_t v) {
    std::string s = std::to_string(v < 0 ? -v : v);
    for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), ",");
    return (v < 0 ? "-" : "") + s;
  };
  std::string out =
      fmt::format("{} on {} ({}): yosys {}{}\n", r.top, r.part.name, r.part.board, r.synthCommand,
                  r.cached ? " (cached)" : fmt::format(" ({:.0f} s)", r.yosysSeconds));
  out += fmt::format("{:<20} {:>10} {:>10} {:>8} {:>11} {:>12}\n", "resource", "yosys", "model",
                     "diff", "capacity", "utilization");
  for (const auto& row : r.rows) {
    const auto diff = row.modelDiffPct();
    out += fmt::format("{:<20} {:>10} {:>10} {:>8} {:>11} {:>12}\n", row.resource,
                       thousands(row.yosys), row.model < 0 ? "-" : thousands(row.model),
                       diff ? fmt::format("{:+.1f}%", *diff) : "-",
                       row.capacity < 0 ? "-" : thousands(row.capacity),
                       row.capacity > 0 ? fmt::format("{:.1f}%", row.utilizationPct()) : "-");
  }
  if (!r.part.isIce40()) {
    const FpgaModelCheck c = checkModel(r);
    out += fmt::format(
        "model vs yosys: DSP {}, BRAM {}, LUT {:+.1f}%: {} the target (DSP and BRAM exact, LUT "
        "within {:.0f}%)\n",
        c.dspExact ? "exact" : "DIFFERS", c.bramExact ? "exact" : "DIFFERS", c.lutDiffPct,
        c.withinTarget() ? "meets" : "MISSES", FpgaModelCheck::lutTolerancePct);
  }
  for (const auto& note : r.notes) out += "note: " + note + "\n";
  if (!r.part.isIce40() && r.lutRam > 0)
    out += fmt::format("(LUT includes {} LUTs of distributed RAM)\n", thousands(r.lutRam));
  if (r.fits)
    out += fmt::format("fits the {}\n", r.part.name);
  else
    out += fmt::format("does not fit the {}: {}\n", r.part.name, fmt::join(r.overflows, ", "));
  if (r.part.isIce40()) {
    const FpgaPlacement& p = r.placement;
    if (p.ok)
      out += fmt::format(
          "nextpnr-ice40 ({} {}): {} logic cells, Fmax {:.1f} MHz; bitstream {} ({} bytes)\n",
          r.part.name, r.part.package, thousands(p.logicCells), p.fmaxMhz, p.bitstream,
          thousands(p.bitstreamBytes));
    else if (!p.note.empty())
      out += p.note + "\n";
  }
  return out;
}

}  // namespace analects::flows
