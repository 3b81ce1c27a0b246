// rtlgen: names, parameter checks, deterministic output, the golden top, design.json round trip
// and its errors, and the generated RTL through `verilator --lint-only -Wall` and Yosys
// `synth; check -assert` for several array shapes (the big ones carry the ctest label "long").
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analects/rtlgen/nvdla_regs.h"
#include "analects/rtlgen/rtlgen.h"

namespace fs = std::filesystem;
using analects::ArrayConfig;
using analects::ConfigError;
namespace rtlgen = analects::rtlgen;

namespace {

std::string readFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

void writeFile(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
}

fs::path scratch(const std::string& name) {
  fs::path dir = fs::path(ANALECTS_TEST_OUT) / "rtlgen" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

ArrayConfig shape(int64_t k, int64_t c, int64_t buffer, int64_t acc) {
  ArrayConfig cfg;
  cfg.atomK = k;
  cfg.atomC = c;
  cfg.bufferBytes = buffer;
  cfg.accDepthPixels = acc;
  return cfg;
}

// Runs a command, returns its exit status; its output goes to `log`.
int run(const std::string& cmd, const fs::path& log) {
  return std::system((cmd + " > '" + log.string() + "' 2>&1").c_str());
}

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " > /dev/null 2>&1").c_str()) == 0;
}

std::string sourceList(const rtlgen::GeneratedDesign& g) {
  std::string list;
  for (const auto& s : g.sources) list += " " + (fs::path(g.dir) / s).string();
  return list;
}

void expectLintClean(const ArrayConfig& cfg) {
  if (!have("verilator")) GTEST_SKIP() << "verilator not installed";
  const auto g = rtlgen::generate(cfg, scratch("lint_" + rtlgen::topName(cfg)).string());
  const fs::path log = fs::path(g.dir) / "lint.log";
  const int rc = run("verilator --lint-only -Wall --top-module " + g.top + sourceList(g), log);
  const std::string out = readFile(log);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(out, "") << "verilator -Wall printed warnings for " << g.top;
}

void expectYosysClean(const ArrayConfig& cfg) {
  if (!have("yosys")) GTEST_SKIP() << "yosys not installed";
  const auto g = rtlgen::generate(cfg, scratch("yosys_" + rtlgen::topName(cfg)).string());
  const fs::path log = fs::path(g.dir) / "yosys.log";
  // The generated script: read_verilog ...; synth -top T; check -assert; stat.
  const int rc = run("cd '" + g.dir + "' && yosys -q -s synth.ys", log);
  EXPECT_EQ(rc, 0) << readFile(log);
}

}  // namespace

TEST(RtlgenNames, TopCarriesTheConfig) {
  EXPECT_EQ(rtlgen::topName(ArrayConfig{}), "nvdla_k16_c16_b65536");
  ArrayConfig c = shape(8, 32, 4096, 512);
  EXPECT_EQ(rtlgen::topName(c), "nvdla_k8_c32_b4096");
  c.dramBytesPerCycle = 4;
  c.outputBytes = 4;
  c.pipelineDepth = 6;
  c.accDepthPixels = 64;
  EXPECT_EQ(rtlgen::topName(c), "nvdla_k8_c32_b4096_w4_o4_p6_a64");
  c.dramLatencyCycles = 99;  // the DRAM model's, not the RTL's
  EXPECT_EQ(rtlgen::topName(c), "nvdla_k8_c32_b4096_w4_o4_p6_a64");
}

TEST(RtlgenParams, BanksKeepUpWithTheDramPort) {
  auto p = rtlgen::nvdlaRtlParams(shape(4, 4, 4096, 64));
  EXPECT_EQ(p.dataAtoms, 1024);
  EXPECT_EQ(p.dataBanks, 2);  // 8-byte beats complete up to 2 four-byte atoms a cycle
  EXPECT_EQ(p.weightBanks, 1);
  EXPECT_EQ(p.accBanks, 2);  // 4 int8 outputs per pixel: two pixels per 8-byte beat
  p = rtlgen::nvdlaRtlParams(shape(3, 5, 2048, 64));
  EXPECT_EQ(p.dataBanks, 2);
  EXPECT_EQ(p.accBanks, 4);  // ceil(8 / 3) = 3 pixels, rounded to a power of two
  p = rtlgen::nvdlaRtlParams(shape(16, 16, 65536, 512));
  EXPECT_EQ(p.dataBanks, 1);
  EXPECT_EQ(p.weightBlocks, 256);
  EXPECT_EQ(p.accBanks, 1);
}

TEST(RtlgenParams, RejectsConfigsWithoutRtl) {
  auto expectError = [](ArrayConfig c, const std::string& words) {
    try {
      rtlgen::nvdlaRtlParams(c);
      ADD_FAILURE() << "no error for " << c.name();
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  ArrayConfig c = shape(4, 4, 4096, 64);
  c.dramBytesPerCycle = 16;
  expectError(c, "DRAM bytes/cycle = 16");
  c = shape(4, 4, 4096, 64);
  c.pipelineDepth = 3;
  expectError(c, "pipeline depth = 3");
  expectError(shape(16, 16, 200, 64), "hold no weight block");
  c = shape(4, 4, 4096, 64);
  c.style = analects::Style::Eyeriss;
  expectError(c, "NVDLA-style");
  c = shape(4, 4, 4096, 64);
  c.atomK = 0;
  expectError(c, "atomK");
}

TEST(RtlgenOutput, IsDeterministic) {
  const ArrayConfig c = shape(3, 5, 2048, 64);
  const auto a = rtlgen::generate(c, scratch("det_a").string());
  const auto b = rtlgen::generate(c, scratch("det_b").string());
  ASSERT_EQ(a.files, b.files);
  for (const auto& f : a.files)
    EXPECT_EQ(readFile(fs::path(a.dir) / f), readFile(fs::path(b.dir) / f)) << f;
  EXPECT_EQ(a.top, "nvdla_k3_c5_b2048_a64");
  for (const char* f : {"design.json", "config.h", "filelist.f", "synth.ys", "fpga.ys",
                        "nvdla_k3_c5_b2048_a64.v", "analects_mac_cell.v"})
    EXPECT_TRUE(fs::exists(fs::path(a.dir) / f)) << f;
  // No absolute paths: the directory can be moved.
  EXPECT_EQ(readFile(fs::path(a.dir) / "synth.ys").find(a.dir), std::string::npos);
}

// The golden files are the generator's output for the default-sized 4x4 array. Regenerate with
// ANALECTS_UPDATE_GOLDEN=1 after an intended change to the generator or the templates.
TEST(RtlgenOutput, MatchesGoldenFiles) {
  const ArrayConfig c = shape(4, 4, 4096, 512);
  const auto g = rtlgen::generate(c, scratch("golden").string());
  const fs::path golden = fs::path(ANALECTS_SOURCE_DIR) / "tests" / "rtlgen" / "golden";
  const bool update = std::getenv("ANALECTS_UPDATE_GOLDEN") != nullptr;
  for (const std::string& f : {g.top + ".v", std::string("design.json"), std::string("config.h")}) {
    const std::string now = readFile(fs::path(g.dir) / f);
    if (update) writeFile(golden / f, now);
    EXPECT_EQ(now, readFile(golden / f)) << f << " differs from tests/rtlgen/golden/" << f;
  }
}

TEST(RtlgenDesignFile, RoundTrips) {
  ArrayConfig c = shape(8, 4, 3000, 100);
  c.dramBytesPerCycle = 5;
  c.dramLatencyCycles = 33;
  c.outputBytes = 4;
  c.pipelineDepth = 7;
  const auto g = rtlgen::generate(c, scratch("roundtrip").string());
  const auto d = rtlgen::readDesign(g.designJson);
  EXPECT_EQ(d.top, g.top);
  EXPECT_EQ(d.config.name(), c.name());
  EXPECT_EQ(d.config.atomK, 8);
  EXPECT_EQ(d.config.atomC, 4);
  EXPECT_EQ(d.config.bufferBytes, 3000);
  EXPECT_EQ(d.config.accDepthPixels, 100);
  EXPECT_EQ(d.config.dramBytesPerCycle, 5);
  EXPECT_EQ(d.config.dramLatencyCycles, 33);
  EXPECT_EQ(d.config.outputBytes, 4);
  EXPECT_EQ(d.config.pipelineDepth, 7);
  ASSERT_EQ(d.sources.size(), g.sources.size());
  EXPECT_TRUE(fs::path(d.sources.back()).is_absolute());
}

TEST(RtlgenDesignFile, MalformedFilesGiveClearErrors) {
  const auto g = rtlgen::generate(shape(4, 4, 1024, 64), scratch("malformed").string());
  const std::string good = readFile(g.designJson);
  auto expectError = [&](const std::string& text, const std::string& words) {
    writeFile(g.designJson, text);
    try {
      rtlgen::readDesign(g.designJson);
      ADD_FAILURE() << "no error for: " << words;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("design.json"), std::string::npos) << e.what();
    }
  };
  auto edit = [&](const std::string& from, const std::string& to) {
    std::string t = good;
    const auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return t.replace(at, from.size(), to);
  };
  expectError("{ not json", "not valid JSON");
  expectError("{\"format\": \"something\"}", "not an analects design");
  expectError(edit("\"atomK\": 4", "\"atomK\": \"four\""), "\"atomK\" must be an integer");
  expectError(edit("\"atomK\": 4,", ""), "missing \"atomK\"");
  expectError(edit("\"atomK\": 4", "\"atomK\": 0"), "atomK = 0");
  expectError(edit("\"atomK\": 4", "\"atomK\": 8"), "does not match its config");
  expectError(edit("\"dram_bytes_per_cycle\": 8", "\"dram_bytes_per_cycle\": 64"), "64-bit");
  expectError(edit("analects_acc.v", "missing.v"), "does not exist");
  try {
    rtlgen::readDesign((fs::path(g.dir) / "nope.json").string());
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot be read"), std::string::npos);
  }
}

TEST(RtlgenRegs, DescriptorPacking) {
  analects::rtlgen::nvdla::StepDescriptor d;
  d.inputBytes = 0x11, d.weightBytes = 0x22, d.requests = 2;
  d.request[1] = {0xabc, 0x40, 3, 4, 5};
  d.h0 = -1;
  d.rows = 7, d.cols = 9, d.blocks = 2, d.accumulate = true, d.accBank = true;
  d.outAddr = 0x1000, d.pixels = 63;
  const auto w = analects::rtlgen::nvdla::packDescriptor(d);
  EXPECT_EQ(w[0], 0x2200000011ull);
  EXPECT_EQ(w[2], 2u);
  EXPECT_EQ(w[5], 0x4000000abcull);
  EXPECT_EQ(w[6], 0x500040003ull);
  EXPECT_EQ(w[12] & 0xffffffffu, 0xffffffffu);
  EXPECT_EQ(w[13], 7ull | (9ull << 16) | (2ull << 32) | (1ull << 48) | (1ull << 49));
  EXPECT_EQ(w[16], (63ull << 32) | 0x1000);
}

// Lint: every shape, including non-powers of two and the datapath variants.
TEST(RtlgenLint, Shape4x4) {
  expectLintClean(shape(4, 4, 4096, 512));
}
TEST(RtlgenLint, Shape8x8) {
  expectLintClean(shape(8, 8, 8192, 256));
}
TEST(RtlgenLint, Shape16x16) {
  expectLintClean(ArrayConfig{});
}
TEST(RtlgenLint, Shape8x32) {
  expectLintClean(shape(8, 32, 16384, 256));
}
TEST(RtlgenLint, Shape3x5) {
  expectLintClean(shape(3, 5, 2000, 100));
}
TEST(RtlgenLint, Shape1x1) {
  expectLintClean(shape(1, 1, 64, 8));
}
TEST(RtlgenLint, NarrowPortInt32Outputs) {
  ArrayConfig c = shape(2, 6, 300, 40);
  c.dramBytesPerCycle = 3;
  c.outputBytes = 4;
  c.pipelineDepth = 9;
  expectLintClean(c);
}

// Synthesis: the small shapes run in every test pass, the big ones under the label "long".
TEST(RtlgenYosys, Shape4x4) {
  expectYosysClean(shape(4, 4, 256, 16));
}
TEST(RtlgenYosys, Shape3x5) {
  expectYosysClean(shape(3, 5, 240, 16));
}
TEST(RtlgenYosysLong, Shape8x8) {
  expectYosysClean(shape(8, 8, 1024, 32));
}
TEST(RtlgenYosysLong, Shape16x16) {
  expectYosysClean(shape(16, 16, 2048, 32));
}
TEST(RtlgenYosysLong, Shape8x32) {
  expectYosysClean(shape(8, 32, 2048, 32));
}

// Memories are written so Yosys infers them: after the coarse passes every SRAM is a $mem cell.
TEST(RtlgenYosys, MemoriesAreInferred) {
  if (!have("yosys")) GTEST_SKIP() << "yosys not installed";
  const auto g = rtlgen::generate(shape(4, 4, 4096, 64), scratch("meminfer").string());
  const fs::path log = fs::path(g.dir) / "coarse.log";
  std::string reads;
  for (const auto& s : g.sources) reads += "read_verilog " + s + "; ";
  const int rc = run("cd '" + g.dir + "' && yosys -p '" + reads + "synth -top " + g.top +
                         " -flatten -run begin:fine; stat'",
                     log);
  ASSERT_EQ(rc, 0) << readFile(log);
  const std::string out = readFile(log);
  // Input CBUF: 2 banks; weight CBUF: 1; accumulator: 2 halves x 2 banks; descriptor ring: 1.
  const auto at = out.rfind("$mem_v2");
  ASSERT_NE(at, std::string::npos) << out;
  EXPECT_EQ(std::stoi(out.substr(out.find_first_not_of(' ', at + 7))), 8) << out.substr(at, 80);
}
