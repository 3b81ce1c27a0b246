// rtlgen, Eyeriss style: names, parameter checks, deterministic output, the golden top,
// design.json round trip, and the generated RTL through `verilator --lint-only -Wall` and Yosys
// `synth; check -assert` for several array shapes (the Eyeriss chip carries the label "long").
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analects/rtlgen/eyeriss_regs.h"
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
  fs::path dir = fs::path(ANALECTS_TEST_OUT) / "rtlgen_eyeriss" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

ArrayConfig eyeriss(int64_t rows, int64_t cols, int64_t buffer, int64_t f = 224, int64_t i = 12,
                    int64_t p = 24) {
  ArrayConfig c;
  c.style = analects::Style::Eyeriss;
  c.rows = rows;
  c.cols = cols;
  c.bufferBytes = buffer;
  c.filterSpad = f;
  c.ifmapSpad = i;
  c.psumSpad = p;
  return c;
}

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

// script: "synth.ys" (generic synth; check -assert) or "fpga.ys" (synth_xilinx; stat -json).
void expectYosysClean(const ArrayConfig& cfg, const std::string& script = "synth.ys") {
  if (!have("yosys")) GTEST_SKIP() << "yosys not installed";
  const auto g = rtlgen::generate(cfg, scratch("yosys_" + rtlgen::topName(cfg)).string());
  const fs::path log = fs::path(g.dir) / "yosys.log";
  const int rc = run("cd '" + g.dir + "' && yosys -q -s " + script, log);
  EXPECT_EQ(rc, 0) << readFile(log);
}

}  // namespace

TEST(EyerissRtlNames, TopCarriesTheConfig) {
  EXPECT_EQ(rtlgen::topName(eyeriss(12, 14, 110592)), "eyeriss_r12_c14_b110592");
  ArrayConfig c = eyeriss(3, 5, 4096, 17, 5, 7);
  EXPECT_EQ(rtlgen::topName(c), "eyeriss_r3_c5_b4096_s17_5_7");
  c.dramBytesPerCycle = 4;
  c.outputBytes = 4;
  c.accDepthPixels = 64;  // the NVDLA-style accumulator's, not the Eyeriss RTL's
  EXPECT_EQ(rtlgen::topName(c), "eyeriss_r3_c5_b4096_s17_5_7_w4_o4");
}

TEST(EyerissRtlParams, RegionsHoldTheBuffer) {
  auto p = rtlgen::eyerissRtlParams(eyeriss(12, 14, 110592));
  EXPECT_EQ(p.busBytes, 64);  // pow2Ceil(2 * 14 + 12)
  EXPECT_EQ(p.filterWords, 9216);
  EXPECT_EQ(p.filterBanks, 1);  // < 12 queued bytes + an 8-byte beat complete one word
  EXPECT_EQ(p.ifmapWords, 1728);
  EXPECT_EQ(p.ifmapRows, 864);
  EXPECT_EQ(p.psumWords, 1975);  // ceil(110592 / 56)
  EXPECT_EQ(p.layerRegs(), 22 + 12);
  p = rtlgen::eyerissRtlParams(eyeriss(2, 2, 1024));
  EXPECT_EQ(p.busBytes, 8);
  EXPECT_EQ(p.filterBanks, 4);  // 1 + 8 bytes complete up to 4 two-byte words
  EXPECT_EQ(p.filterWords, 512);
  EXPECT_EQ(p.ifmapWords, 128);
  EXPECT_EQ(p.psumWords, 128);
}

TEST(EyerissRtlParams, RejectsConfigsWithoutRtl) {
  auto expectError = [](ArrayConfig c, const std::string& words) {
    try {
      rtlgen::eyerissRtlParams(c);
      ADD_FAILURE() << "no error for " << c.name();
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  ArrayConfig c = eyeriss(4, 4, 4096);
  c.dramBytesPerCycle = 16;
  expectError(c, "DRAM bytes/cycle = 16");
  c = eyeriss(4, 4, 4096);
  c.pipelineDepth = 3;
  expectError(c, "pipeline depth = 3");
  expectError(eyeriss(300, 4, 4096), "rows = 300");
  expectError(eyeriss(4, 4, 4096, 2000), "filter spad = 2000");
  expectError(eyeriss(4, 4, 4096, 224, 300), "ifmap spad = 300");
  expectError(eyeriss(4, 4, 4096, 224, 12, 999), "psum spad = 999");
  expectError(eyeriss(0, 4, 4096), "rows");
  ArrayConfig n;  // NVDLA-style: the other generator
  expectError(n, "Eyeriss-style");
  // And the NVDLA sizes still refuse an Eyeriss config.
  EXPECT_THROW(rtlgen::nvdlaRtlParams(eyeriss(4, 4, 4096)), ConfigError);
}

TEST(EyerissRtlOutput, IsDeterministicAndRoundTrips) {
  ArrayConfig c = eyeriss(3, 5, 2000, 17, 5, 7);
  c.dramBytesPerCycle = 5;
  c.outputBytes = 4;
  c.pipelineDepth = 6;
  const auto a = rtlgen::generate(c, scratch("det_a").string());
  const auto b = rtlgen::generate(c, scratch("det_b").string());
  ASSERT_EQ(a.files, b.files);
  for (const auto& f : a.files)
    EXPECT_EQ(readFile(fs::path(a.dir) / f), readFile(fs::path(b.dir) / f)) << f;
  EXPECT_EQ(a.top, "eyeriss_r3_c5_b2000_s17_5_7_w5_o4_p6");
  EXPECT_EQ(rtlgen::topVerilog(c), readFile(fs::path(a.dir) / (a.top + ".v")));
  const auto d = rtlgen::readDesign(a.designJson);
  EXPECT_EQ(d.top, a.top);
  EXPECT_EQ(d.config.style, analects::Style::Eyeriss);
  EXPECT_EQ(d.config.rows, 3);
  EXPECT_EQ(d.config.cols, 5);
  EXPECT_EQ(d.config.filterSpad, 17);
  EXPECT_EQ(d.config.ifmapSpad, 5);
  EXPECT_EQ(d.config.psumSpad, 7);
  EXPECT_EQ(d.config.bufferBytes, 2000);
  EXPECT_EQ(d.config.dramBytesPerCycle, 5);
  EXPECT_EQ(d.config.outputBytes, 4);
  EXPECT_EQ(d.config.pipelineDepth, 6);
  ASSERT_EQ(d.sources.size(), a.sources.size());
}

// The golden files are the generator's output for a 4x4 Eyeriss-style array. Regenerate with
// ANALECTS_UPDATE_GOLDEN=1 after an intended change to the generator or the templates.
TEST(EyerissRtlOutput, MatchesGoldenFiles) {
  const auto g = rtlgen::generate(eyeriss(4, 4, 4096, 64, 12, 16), scratch("golden").string());
  const fs::path golden = fs::path(ANALECTS_SOURCE_DIR) / "tests" / "rtlgen" / "golden";
  const bool update = std::getenv("ANALECTS_UPDATE_GOLDEN") != nullptr;
  for (const auto& [f, as] :
       {std::pair{g.top + ".v", g.top + ".v"},
        std::pair{std::string("design.json"), std::string("eyeriss_design.json")},
        std::pair{std::string("config.h"), std::string("eyeriss_config.h")}}) {
    const std::string now = readFile(fs::path(g.dir) / f);
    if (update) writeFile(golden / as, now);
    EXPECT_EQ(now, readFile(golden / as)) << f << " differs from tests/rtlgen/golden/" << as;
  }
}

TEST(EyerissRtlRegs, DescriptorPacking) {
  rtlgen::eyeriss::StepDescriptor d;
  d.yRel0 = -2;
  d.groups = 3, d.kernels = 5, d.kernelBlocks = 2, d.stripGroups = 7;
  d.channelGroups = 4, d.accumulate = true, d.psumHalf = true;
  d.outAddr = 0x1000, d.words = 63;
  const auto w = rtlgen::eyeriss::packDescriptor(d);
  EXPECT_EQ(w[12] & 0xffffffffu, 0xfffffffeu);
  EXPECT_EQ(w[13], 3ull | (5ull << 16) | (2ull << 32) | (7ull << 48));
  EXPECT_EQ(w[14], 4ull | (1ull << 16) | (1ull << 17));
  EXPECT_EQ(w[20], (63ull << 32) | 0x1000);
}

// Lint: the shapes of the brief, odd spads, narrow ports and int32 outputs.
TEST(EyerissRtlLint, Shape2x2) {
  expectLintClean(eyeriss(2, 2, 1024, 16, 4, 4));
}
TEST(EyerissRtlLint, Shape3x5OddSpads) {
  ArrayConfig c = eyeriss(3, 5, 2000, 17, 5, 7);
  c.dramBytesPerCycle = 5;
  c.outputBytes = 4;
  c.pipelineDepth = 6;
  expectLintClean(c);
}
TEST(EyerissRtlLint, Shape4x4) {
  expectLintClean(eyeriss(4, 4, 4096, 64, 12, 16));
}
TEST(EyerissRtlLint, Shape1x1TinySpads) {
  ArrayConfig c = eyeriss(1, 1, 64, 1, 1, 1);
  c.dramBytesPerCycle = 1;
  expectLintClean(c);
}
TEST(EyerissRtlLint, ShapeEyerissChip) {
  expectLintClean(eyeriss(12, 14, 110592));
}

// Synthesis: the most varied small shape in every test pass (Yosys takes ~45 s a design on two
// cores); the others and the Eyeriss chip under the label "long".
TEST(EyerissRtlYosysLong, Shape2x2) {
  expectYosysClean(eyeriss(2, 2, 256, 16, 4, 4));
}
TEST(EyerissRtlYosys, Shape3x5OddSpads) {
  ArrayConfig c = eyeriss(3, 5, 300, 17, 5, 7);
  c.dramBytesPerCycle = 5;
  expectYosysClean(c);
}
TEST(EyerissRtlYosysLong, Shape4x4) {
  expectYosysClean(eyeriss(4, 4, 512, 32, 12, 8));
}
TEST(EyerissRtlYosysLong, EyerissChip) {
  expectYosysClean(eyeriss(12, 14, 110592), "fpga.ys");
}

// The sequencer alone under Verilator: every command of every cycle against the spec's loop
// nest, no bubbles, `last` in the final command, count = passes * (p*q*S + Q*(p*q*S + p) +
// q*chain*(S + (Q-1)*m)), back-to-back steps (tests/rtlgen/verilator/eyeriss_seq_tb.cpp).
TEST(EyerissRtlSeq, CommandsMatchTheLoopNest) {
  if (!have("verilator")) GTEST_SKIP() << "verilator not installed";
  const fs::path dir = scratch("seq_tb");
  const fs::path src = fs::path(ANALECTS_SOURCE_DIR);
  const fs::path log = dir / "build.log";
  const int built = run(
      "cd '" + dir.string() +
          "' && verilator --cc --exe --build -j 2 -GFAW=12 -GPAW=12 -GFW=8 "
          "-GIW=5 -GKW=5 --top-module analects_rs_seq '" +
          (src / "templates" / "analects_rs_seq.v").string() + "' '" +
          (src / "tests" / "rtlgen" / "verilator" / "eyeriss_seq_tb.cpp").string() + "' -o seq_tb",
      log);
  ASSERT_EQ(built, 0) << readFile(log);
  const fs::path out = dir / "run.log";
  EXPECT_EQ(run("'" + (dir / "obj_dir" / "seq_tb").string() + "'", out), 0) << readFile(out);
  EXPECT_NE(readFile(out).find("OK"), std::string::npos) << readFile(out);
}
