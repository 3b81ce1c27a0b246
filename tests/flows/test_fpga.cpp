// FPGA estimates: the part table, errors, Yosys on generated designs against the calibrated
// cost model (DSP and BRAM exact, LUT and FF within 15 %), the design-directory cache, and the
// iCE40 place-and-route path. Tests named *Long* synthesize bigger arrays (minutes): run them
// with `ctest -L long`.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "analects/costmodel/cost_model.h"
#include "analects/flows/fpga.h"
#include "analects/rtlgen/rtlgen.h"

using namespace analects;
using namespace analects::flows;
namespace fs = std::filesystem;

namespace {

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " > /dev/null 2>&1").c_str()) == 0;
}

ArrayConfig nvdla(int64_t k, int64_t c, int64_t buffer, int64_t dramBytes = 8,
                  int64_t outputBytes = 1) {
  ArrayConfig a;
  a.style = Style::Nvdla;
  a.atomK = k, a.atomC = c, a.bufferBytes = buffer;
  a.dramBytesPerCycle = dramBytes, a.outputBytes = outputBytes;
  return a;
}

// A directory of this test process (concurrent test runs must not share one), removed at the
// end of the test.
fs::path dirFor(const std::string& name) {
  return fs::temp_directory_path() /
         ("analects_test_fpga_" + name + "_" + std::to_string(::getpid()));
}
struct RemoveAtEnd {
  fs::path dir;
  ~RemoveAtEnd() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// A fresh design directory.
std::string generateFresh(const ArrayConfig& c, const std::string& name) {
  const fs::path dir = dirFor(name);
  fs::remove_all(dir);
  return rtlgen::generate(c, dir.string()).designJson;
}

double relErr(int64_t model, int64_t yosys) {
  return std::abs(double(model) - double(yosys)) / double(yosys);
}

// DSP and BRAM exactly as Yosys, LUT and FF within 15 %.
void expectCalibrated(const FpgaReport& r) {
  EXPECT_EQ(r.model.dsp, r.yosys.dsp) << r.top;
  EXPECT_EQ(r.model.bram18, r.yosys.bram18) << r.top;
  EXPECT_EQ(r.model.bram36, r.yosys.bram36) << r.top;
  EXPECT_LE(relErr(r.model.lut, r.yosys.lut), 0.15)
      << r.top << ": LUT model " << r.model.lut << " yosys " << r.yosys.lut;
  EXPECT_LE(relErr(r.model.ff, r.yosys.ff), 0.15)
      << r.top << ": FF model " << r.model.ff << " yosys " << r.yosys.ff;
}

FpgaReport estimate(const ArrayConfig& c, const std::string& name, const std::string& part,
                    bool fresh = true) {
  const std::string designJson =
      fresh ? generateFresh(c, name) : (dirFor(name) / "design.json").string();
  return fpgaEstimate(designJson, fpgaPart(part));
}

}  // namespace

TEST(FpgaParts, TableHoldsTheReferenceParts) {
  ASSERT_EQ(fpgaParts().size(), 4u);
  const FpgaPart& z = fpgaPart("xc7z020");
  EXPECT_EQ(z.dsp, 220);
  EXPECT_EQ(z.bram36, 140);
  EXPECT_EQ(z.lut, 53200);
  EXPECT_EQ(z.ff, 106400);
  const FpgaPart& zu = fpgaPart("xczu9eg");
  EXPECT_EQ(zu.dsp, 2520);
  EXPECT_EQ(zu.bram36, 912);
  EXPECT_EQ(zu.lut, 274080);
  EXPECT_EQ(zu.ff, 548160);
  const FpgaPart& vu = fpgaPart("xcvu9p");
  EXPECT_EQ(vu.dsp, 6840);
  EXPECT_EQ(vu.bram36, 2160);
  EXPECT_EQ(vu.lut, 1182240);
  EXPECT_EQ(vu.ff, 2364480);
  const FpgaPart& ice = fpgaPart("ice40up5k");
  EXPECT_TRUE(ice.isIce40());
  EXPECT_EQ(ice.dsp, 8);
  EXPECT_EQ(ice.ebr, 30);
  EXPECT_EQ(ice.spram, 4);
  EXPECT_EQ(ice.lut, 5280);
  EXPECT_EQ(ice.ff, 5280);
  EXPECT_EQ(ice.package, "sg48");
}

TEST(FpgaParts, UnknownPartListsTheKnownOnes) {
  try {
    fpgaPart("xc7a35t");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("'xc7a35t'"), std::string::npos) << m;
    for (const char* known : {"xc7z020", "xczu9eg", "xcvu9p", "ice40up5k"})
      EXPECT_NE(m.find(known), std::string::npos) << m;
  }
}

// Yosys 0.23 synth_xilinx counts recorded on generated designs (atomK, atomC, buffer, DRAM
// bytes/cycle, output bytes, pipeline depth, accumulator depth -> DSP, RAMB18, RAMB36, LUT incl.
// INV and distributed RAM, FF). The model must match them
// without running Yosys, so a change to the RTL or the model that breaks the calibration shows
// even where Yosys is not installed. Regenerate with `analects fpga` after RTL changes.
TEST(FpgaModel, MatchesRecordedYosysCounts) {
  struct Recorded {
    int64_t k, c, buffer, dram, out, pipeline, accDepth, dsp, bram18, bram36, lut, ff;
  };
  const Recorded recorded[] = {{1, 1, 512, 8, 1, 4, 512, 1, 0, 0, 9074, 4484},
                               {2, 2, 1024, 8, 1, 4, 512, 4, 2, 8, 7664, 3958},
                               {3, 5, 4096, 8, 1, 4, 512, 17, 24, 4, 9838, 4097},
                               {4, 4, 4096, 8, 1, 4, 512, 16, 2, 10, 7809, 4210},
                               {4, 4, 4096, 4, 4, 4, 512, 16, 0, 7, 5611, 4167},
                               {4, 4, 4096, 2, 1, 4, 512, 16, 0, 7, 5161, 4035},
                               {8, 8, 16384, 8, 1, 4, 512, 64, 15, 12, 9351, 4930},
                               {16, 4, 8192, 8, 1, 4, 512, 64, 45, 2, 12547, 5471},
                               {4, 16, 8192, 8, 1, 4, 512, 64, 15, 10, 10044, 4666},
                               {6, 7, 12000, 3, 1, 4, 512, 44, 7, 11, 6742, 4477},
                               {8, 8, 16384, 8, 1, 6, 256, 64, 15, 12, 10128, 5458},
                               {8, 32, 16384, 8, 1, 4, 512, 256, 0, 12, 20252, 8620},
                               {32, 8, 16384, 8, 1, 4, 512, 256, 58, 4, 25746, 10230},
                               {16, 16, 65536, 8, 1, 4, 512, 256, 87, 15, 19254, 7131},
                               {2, 8, 2048, 4, 1, 4, 512, 16, 0, 7, 5542, 3926},
                               {5, 3, 3000, 5, 1, 4, 512, 17, 12, 2, 6108, 4007},
                               {12, 12, 36864, 8, 1, 4, 512, 146, 39, 16, 13043, 5852},
                               {16, 8, 16384, 8, 4, 4, 512, 128, 59, 4, 15471, 6389},
                               {64, 2, 8192, 8, 1, 4, 512, 128, 118, 0, 33254, 8413},
                               {32, 4, 16384, 8, 4, 4, 512, 128, 87, 4, 27347, 7916},
                               {24, 24, 73728, 8, 1, 4, 512, 578, 33, 86, 32308, 10072},
                               {16, 16, 65536, 2, 1, 4, 512, 256, 87, 15, 17099, 6987},
                               {8, 32, 16384, 4, 1, 4, 512, 256, 0, 12, 20584, 8526},
                               {32, 8, 16384, 1, 4, 4, 512, 256, 58, 4, 29468, 10820},
                               // held out of the fit:
                               {7, 9, 8192, 8, 1, 4, 512, 65, 28, 9, 13156, 4626},
                               {20, 10, 20000, 6, 1, 4, 512, 202, 54, 18, 17917, 6849},
                               {2, 32, 8192, 4, 4, 4, 512, 64, 15, 6, 7887, 4522},
                               {10, 10, 10000, 8, 1, 5, 1024, 102, 28, 18, 12024, 5678},
                               {48, 4, 12288, 8, 1, 4, 512, 194, 92, 0, 29768, 10352}};
  auto model = makeCostModel(Style::Nvdla);
  for (const Recorded& x : recorded) {
    ArrayConfig c = nvdla(x.k, x.c, x.buffer, x.dram, x.out);
    c.pipelineDepth = x.pipeline;
    c.accDepthPixels = x.accDepth;
    const FpgaResources m = model->fpgaResources(c);
    const std::string what =
        c.name() + " w" + std::to_string(x.dram) + " o" + std::to_string(x.out);
    EXPECT_EQ(m.dsp, x.dsp) << what;
    EXPECT_EQ(m.bram18, x.bram18) << what;
    EXPECT_EQ(m.bram36, x.bram36) << what;
    EXPECT_LE(relErr(m.lut, x.lut), 0.15) << what << ": LUT model " << m.lut << " yosys " << x.lut;
    EXPECT_LE(relErr(m.ff, x.ff), 0.15) << what << ": FF model " << m.ff << " yosys " << x.ff;
  }
}

TEST(FpgaYosys, MissingYosysIsAOneLineError) {
  const std::string designJson = generateFresh(nvdla(2, 2, 1024), "nopath");
  RemoveAtEnd cleanup{dirFor("nopath")};
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  setenv("PATH", "/nonexistent", 1);
  try {
    fpgaEstimate(designJson, fpgaPart("xc7z020"));
    setenv("PATH", saved.c_str(), 1);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    setenv("PATH", saved.c_str(), 1);
    const std::string m = e.what();
    EXPECT_NE(m.find("yosys was not found"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
}

TEST(FpgaYosys, FailedSynthesisIsAOneLineError) {
  if (!have("yosys")) GTEST_SKIP() << "yosys not installed";
  const std::string designJson = generateFresh(nvdla(2, 2, 1024), "broken");
  RemoveAtEnd cleanup{dirFor("broken")};
  const rtlgen::Design d = rtlgen::readDesign(designJson);
  std::ofstream(d.sources.back(), std::ios::app) << "\nthis is not verilog\n";
  try {
    fpgaEstimate(designJson, fpgaPart("xc7z020"));
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("failed on " + d.top), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
}

// The smallest design of the suite: one Yosys run (about 30 s), then the cache.
TEST(FpgaYosys, SmallDesignMatchesTheModelAndIsCached) {
  if (!have("yosys")) GTEST_SKIP() << "yosys not installed";
  RemoveAtEnd cleanup{dirFor("k4c4")};
  const FpgaReport first = estimate(nvdla(4, 4, 4096), "k4c4", "xc7z020");
  EXPECT_FALSE(first.cached);
  EXPECT_GT(first.yosysSeconds, 0);
  expectCalibrated(first);
  EXPECT_EQ(first.yosys.dsp, 16);
  EXPECT_TRUE(first.fits);

  // Same sources, same script: no Yosys run, same numbers, other Xilinx parts share the result.
  const auto t0 = std::chrono::steady_clock::now();
  const FpgaReport again = estimate(nvdla(4, 4, 4096), "k4c4", "xczu9eg", /*fresh=*/false);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_TRUE(again.cached);
  EXPECT_EQ(again.yosysSeconds, 0);
  EXPECT_LT(seconds, 2.0);
  EXPECT_EQ(again.cells, first.cells);
  EXPECT_EQ(again.yosys.lut, first.yosys.lut);
  EXPECT_EQ(again.yosys.ff, first.yosys.ff);
  EXPECT_EQ(again.yosys.bram36, first.yosys.bram36);
  EXPECT_EQ(again.part.name, "xczu9eg");

  // The JSON names every row; utilization is against the part.
  const auto j = nlohmann::json::parse(fpgaReportJson(again));
  EXPECT_EQ(j["design"], first.top);
  EXPECT_EQ(j["synthesis"]["cached"], true);
  EXPECT_EQ(j["resources"][0]["resource"], "DSP");
  EXPECT_EQ(j["resources"][0]["capacity"], 2520);
  EXPECT_TRUE(j["placement"].is_null());
  EXPECT_NE(fpgaReportText(again).find("fits the xczu9eg"), std::string::npos);
}

// iCE40 place and route of a small netlist that fits the UP5K behind a byte-wide port (the
// generated designs do not: their tops are hundreds of pins wide).
TEST(FpgaIce40, SmallNetlistPlacesAndGivesFmax) {
  if (!have("yosys") || !have("nextpnr-ice40") || !have("icepack"))
    GTEST_SKIP() << "yosys / nextpnr-ice40 / icepack not installed";
  const fs::path dir = dirFor("mac4");
  RemoveAtEnd cleanup{dir};
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "mac4.v") << R"(
module mac4 (input wire clk, input wire rst_n, input wire load, input wire [7:0] din,
             input wire [1:0] sel, output reg [7:0] dout);
  reg [63:0] ops;
  reg signed [31:0] acc0, acc1, acc2, acc3;
  always @(posedge clk) begin
    if (load) ops <= {ops[55:0], din};
    if (!rst_n) begin
      acc0 <= 0; acc1 <= 0; acc2 <= 0; acc3 <= 0;
    end else begin
      acc0 <= acc0 + $signed(ops[7:0]) * $signed(ops[39:32]);
      acc1 <= acc1 + $signed(ops[15:8]) * $signed(ops[47:40]);
      acc2 <= acc2 + $signed(ops[23:16]) * $signed(ops[55:48]);
      acc3 <= acc3 + $signed(ops[31:24]) * $signed(ops[63:56]);
    end
    case (sel)
      2'd0: dout <= acc0[31:24] ^ acc0[23:16] ^ acc0[15:8] ^ acc0[7:0];
      2'd1: dout <= acc1[31:24] ^ acc1[23:16] ^ acc1[15:8] ^ acc1[7:0];
      2'd2: dout <= acc2[31:24] ^ acc2[23:16] ^ acc2[15:8] ^ acc2[7:0];
      default: dout <= acc3[31:24] ^ acc3[23:16] ^ acc3[15:8] ^ acc3[7:0];
    endcase
  end
endmodule
)";
  const std::string cmd = "cd '" + dir.string() +
                          "' && yosys -q -p 'read_verilog mac4.v; synth_ice40 -dsp -top mac4; "
                          "write_json mac4.json' > yosys.log 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const FpgaPlacement p = placeIce40((dir / "mac4.json").string(), fpgaPart("ice40up5k"));
  ASSERT_TRUE(p.ok) << p.note;
  EXPECT_GT(p.logicCells, 50);
  EXPECT_LT(p.logicCells, 1000);
  EXPECT_GT(p.fmaxMhz, 10);
  EXPECT_GT(p.bitstreamBytes, 50000);  // an UP5K image is about 104 KB
  EXPECT_TRUE(fs::exists(p.bitstream));
  std::printf(
      "[ ice40    ] mac4 on the ice40up5k (%s): %lld logic cells, Fmax %.1f MHz, "
      "bitstream %lld bytes\n",
      fpgaPart("ice40up5k").package.c_str(), static_cast<long long>(p.logicCells), p.fmaxMhz,
      static_cast<long long>(p.bitstreamBytes));

  FpgaOptions cachedOnly;
  const FpgaPlacement again =
      placeIce40((dir / "mac4.json").string(), fpgaPart("ice40up5k"), cachedOnly);
  EXPECT_TRUE(again.ok);
  EXPECT_EQ(again.fmaxMhz, p.fmaxMhz);
  EXPECT_EQ(again.logicCells, p.logicCells);
}

// ---------------------------------------------------------------- long: bigger arrays

TEST(FpgaYosysLong, ShapesMatchTheModel) {
  if (!have("yosys")) GTEST_SKIP() << "yosys not installed";
  struct Shape {
    const char* name;
    ArrayConfig config;
  };
  const Shape shapes[] = {{"k3c5", nvdla(3, 5, 4096)},           {"k1c1", nvdla(1, 1, 512)},
                          {"k4c4w4o4", nvdla(4, 4, 4096, 4, 4)}, {"k8c8", nvdla(8, 8, 16384)},
                          {"k8c32", nvdla(8, 32, 16384)},        {"k16c16", nvdla(16, 16, 65536)}};
  for (const Shape& s : shapes) {
    RemoveAtEnd cleanup{dirFor(s.name)};
    const FpgaReport r = estimate(s.config, s.name, "xc7z020");
    expectCalibrated(r);
    if (s.config.pes() > 220) {  // more MACs than the xc7z020 has DSPs: reported, not thrown
      EXPECT_FALSE(r.fits);
      ASSERT_FALSE(r.overflows.empty());
      EXPECT_EQ(r.overflows.front(), "DSP 256 > 220");
      EXPECT_NE(fpgaReportText(r).find("does not fit the xc7z020"), std::string::npos);
    }
  }
}

TEST(FpgaYosysLong, Ice40SaysWhyAGeneratedDesignDoesNotFit) {
  if (!have("yosys")) GTEST_SKIP() << "yosys not installed";
  RemoveAtEnd cleanup{dirFor("k1c1_ice40")};
  const FpgaReport r = estimate(nvdla(1, 1, 512), "k1c1_ice40", "ice40up5k");
  // Yosys 0.23's ice40_dsp crashes on atomC = 1; the estimate falls back and says so.
  EXPECT_TRUE(r.yosys.dsp == 1 || !r.notes.empty());
  EXPECT_FALSE(r.fits);
  EXPECT_GT(r.portBits, r.part.userIo);
  EXPECT_FALSE(r.placement.attempted);
  EXPECT_NE(r.placement.note.find("narrow top"), std::string::npos) << r.placement.note;
}
