#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analects/flows/flow.h"

using namespace analects::flows;
namespace fs = std::filesystem;

namespace {

nlohmann::json readJson(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::string readText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " > /dev/null 2>&1").c_str()) == 0;
}

// A directory of this test process, removed at the end of the test.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() /
             ("analects_test_flow_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Every synthesized design of a flow's fpga.json: Yosys counts, the model's DSP and block RAM
// exactly Yosys's, LUT within 15 %. Returns the designs checked.
size_t expectFpgaCalibrated(const nlohmann::json& f) {
  EXPECT_EQ(f["source"], "yosys");
  EXPECT_TRUE(f["errors"].empty()) << f["errors"].dump();
  size_t n = 0;
  for (const auto& d : f["designs"]) {
    const std::string top = d["design"];
    EXPECT_FALSE(d.contains("error")) << top << ": " << d.value("error", "");
    if (d.contains("error")) continue;
    for (const char* r : {"dsp", "bram18", "bram36"})
      EXPECT_EQ(d["model"][r], d["yosys"][r]) << top << " " << r;
    const double lut = d["yosys"]["lut"].get<double>();
    EXPECT_GT(lut, 0) << top;
    EXPECT_LE(std::abs(d["model"]["lut"].get<double>() - lut) / lut, 0.15)
        << top << ": LUT model " << d["model"]["lut"] << " yosys " << lut;
    EXPECT_EQ(d["model_check"]["within_target"], true) << top;
    EXPECT_EQ(d["synthesis"]["tool"], "yosys");
    std::printf(
        "[ fpga     ] %s: yosys DSP %lld BRAM18 %lld BRAM36 %lld LUT %lld FF %lld | model "
        "DSP %lld BRAM18 %lld BRAM36 %lld LUT %lld (%+.1f%%) FF %lld | %.0f s%s\n",
        top.c_str(), d["yosys"]["dsp"].get<long long>(), d["yosys"]["bram18"].get<long long>(),
        d["yosys"]["bram36"].get<long long>(), d["yosys"]["lut"].get<long long>(),
        d["yosys"]["ff"].get<long long>(), d["model"]["dsp"].get<long long>(),
        d["model"]["bram18"].get<long long>(), d["model"]["bram36"].get<long long>(),
        d["model"]["lut"].get<long long>(), d["model_check"]["lut_diff_pct"].get<double>(),
        d["model"]["ff"].get<long long>(), d["synthesis"]["seconds"].get<double>(),
        d["synthesis"]["cached"].get<bool>() ? " (cached)" : "");
    ++n;
  }
  return n;
}

}  // namespace

TEST(Flow, SmallRecipeWritesEveryOutput) {
  fs::path dir = fs::temp_directory_path() / "analects_test_flow";
  fs::remove_all(dir);
  Recipe r = Recipe::parse(
      "name: small\nworkload: alexnet\nstyle: nvdla\ndeployment: lp\nobjective: latency\n"
      "constraint: area\nbudget: 0.5\nalgorithms: [ga, exact]\nsamples: 60\nseed: 3\n"
      "fpga: {part: xczu9eg, synthesize: false}\n",
      "small.yaml", "");
  r.output = dir.string();
  FlowOptions o;
  o.quiet = true;
  FlowSummary s = runFlow(r, o);
  for (const char* f : {"trace.csv", "design.json", "fpga.json", "report.html"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  EXPECT_GT(s.objective, 0);
  ASSERT_GE(s.optimum, 0);
  EXPECT_GE(s.objective, s.optimum * (1 - 1e-12));  // nothing beats the proven optimum
  auto j = readJson(dir / "design.json");
  EXPECT_EQ(j["arrays"].size(), 8u);  // LP: one sub-accelerator per AlexNet layer
  // Synthesis off: the cost model's figures for all eight sub-accelerators, no Yosys.
  auto f = readJson(dir / "fpga.json");
  EXPECT_EQ(f["source"], "cost model");
  EXPECT_EQ(f["synthesize"], false);
  EXPECT_EQ(f["part"]["name"], "xczu9eg");
  EXPECT_TRUE(f["designs"].empty());
  EXPECT_EQ(f["model_total"]["arrays"], 8);
  EXPECT_GT(f["model_total"]["dsp"].get<int64_t>(), 0);
  EXPECT_FALSE(fs::exists(dir / "rtl"));
  std::ifstream t(dir / "trace.csv");
  std::string header;
  std::getline(t, header);
  EXPECT_EQ(header, "algorithm,samples,best_objective,seconds");
}

TEST(Flow, ImpossibleBudgetIsAnErrorBeforeAnyOutput) {
  fs::path dir = fs::temp_directory_path() / "analects_test_flow_impossible";
  fs::remove_all(dir);
  Recipe r = Recipe::parse(
      "workload: resnet18\ndeployment: ls\nconstraint: pes\nbudget: abs:0.5\n"
      "algorithms: [random]\nsamples: 10\n",
      "bad.yaml", "");
  r.output = dir.string();
  FlowOptions o;
  o.quiet = true;
  EXPECT_THROW(runFlow(r, o), std::exception);
  EXPECT_FALSE(fs::exists(dir / "report.html"));
}

TEST(Flow, AtomicWriteKeepsOldFileOnFailure) {
  fs::path dir = fs::temp_directory_path() / "analects_test_atomic";
  fs::create_directories(dir);
  writeFileAtomic((dir / "a.txt").string(), "first");
  EXPECT_THROW(writeFileAtomic((dir / "missing" / "a.txt").string(), "x"), std::exception);
  std::ifstream in(dir / "a.txt");
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "first");
}

// LP without simulation: the RTL of the largest sub-accelerator is generated and synthesized; its
// Yosys counts land in fpga.json and report.html next to the model's (DSP and BRAM exact, LUT
// within 15 %). A second run of the same recipe reuses Yosys's result (cached in the design
// directory).
TEST(Flow, SynthesizesTheLargestSubAcceleratorWhenNothingIsSimulated) {
  if (!have("yosys")) GTEST_SKIP() << "yosys not installed";
  TempDir dir("synth_lp");
  Recipe r = Recipe::parse(
      "name: synth\nworkload: alexnet\ndeployment: lp\nconstraint: pes\nbudget: abs:16\n"
      "algorithms: [exact]\nsamples: 20\nfpga: {part: xc7z020}\n",
      "synth.yaml", "");
  r.output = dir.path.string();
  FlowOptions o;
  o.quiet = true;
  FlowSummary s = runFlow(r, o);
  EXPECT_TRUE(s.fpgaErrors().empty());
  ASSERT_EQ(s.fpga.designs.size(), 1u);
  EXPECT_FALSE(s.fpga.designs[0].report.cached);

  // The largest: most PEs, then the biggest buffer, then the first layer.
  auto design = readJson(dir.path / "design.json");
  size_t pick = 0;
  const auto& arrays = design["arrays"];
  auto pes = [&](size_t i) {
    return arrays[i]["atomK"].get<int64_t>() * arrays[i]["atomC"].get<int64_t>();
  };
  for (size_t i = 1; i < arrays.size(); ++i)
    if (pes(i) > pes(pick) ||
        (pes(i) == pes(pick) && arrays[i]["buffer_bytes"] > arrays[pick]["buffer_bytes"]))
      pick = i;
  auto f = readJson(dir.path / "fpga.json");
  EXPECT_EQ(expectFpgaCalibrated(f), 1u);
  const auto& d = f["designs"][0];
  EXPECT_EQ(d["array"], pick);
  EXPECT_EQ(d["layers"], nlohmann::json::array({pick}));
  EXPECT_EQ(d["design"], s.fpga.designs[0].top);
  EXPECT_TRUE(fs::exists(dir.path / "rtl" / s.fpga.designs[0].top / "design.json"));
  EXPECT_NE(f["selection"].get<std::string>().find("largest"), std::string::npos);
  EXPECT_EQ(f["part"]["name"], "xc7z020");
  EXPECT_EQ(f["model_total"]["arrays"], 8);
  EXPECT_GE(f["model_total"]["dsp"].get<int64_t>(), d["model"]["dsp"].get<int64_t>());
  // Rows: Yosys, model, the difference and the part's capacity.
  EXPECT_EQ(d["resources"][0]["resource"], "DSP");
  EXPECT_EQ(d["resources"][0]["capacity"], 220);
  EXPECT_EQ(d["resources"][0]["model_diff_pct"], 0.0);

  const std::string html = readText(dir.path / "report.html");
  EXPECT_NE(html.find("id=\"fpga-design-0\""), std::string::npos);
  EXPECT_NE(html.find("id=\"fpga-model-total\""), std::string::npos);
  EXPECT_NE(html.find("meets the calibration target"), std::string::npos);
  EXPECT_NE(html.find("largest of the 8 sub-accelerators"), std::string::npos);

  FlowSummary again = runFlow(r, o);
  ASSERT_EQ(again.fpga.designs.size(), 1u);
  EXPECT_TRUE(again.fpga.designs[0].report.cached);
  EXPECT_EQ(again.fpga.designs[0].report.cells, s.fpga.designs[0].report.cells);
}

// Without Yosys the flow still writes every output; fpga.json and the summary say why the
// numbers are the model's only.
TEST(Flow, MissingYosysIsReportedWithEveryOutputWritten) {
  TempDir dir("no_yosys");
  Recipe r = Recipe::parse(
      "workload: alexnet\ndeployment: ls\nconstraint: pes\nbudget: abs:4\n"
      "algorithms: [exact]\nsamples: 20\n",
      "r.yaml", "");
  r.output = dir.path.string();
  FlowOptions o;
  o.quiet = true;
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  setenv("PATH", "/nonexistent", 1);
  FlowSummary s;
  try {
    s = runFlow(r, o);
  } catch (...) {
    setenv("PATH", saved.c_str(), 1);
    throw;
  }
  setenv("PATH", saved.c_str(), 1);
  ASSERT_EQ(s.fpgaErrors().size(), 1u);
  EXPECT_NE(s.fpgaErrors()[0].find("yosys was not found"), std::string::npos) << s.fpgaErrors()[0];
  auto f = readJson(dir.path / "fpga.json");
  EXPECT_EQ(f["source"], "cost model");
  ASSERT_EQ(f["errors"].size(), 1u);
  EXPECT_EQ(f["designs"][0]["error"].get<std::string>().find("yosys was not found"), 0u);
  EXPECT_EQ(f["model_total"]["arrays"], 1);
  EXPECT_NE(readText(dir.path / "report.html").find("Yosys gave no numbers"), std::string::npos);
}

// ---------------------------------------------------------------- long: whole recipes

// The quickstart: search, RTL and simulation of three sub-accelerators, Yosys on each (one
// Verilator build and one Yosys at a time). Every simulated layer is bit- and cycle-exact, and
// on every generated design the model's DSP and BRAM equal Yosys's and LUT is within 15 %.
TEST(FlowLong, QuickstartFpgaMatchesYosys) {
  if (!have("yosys") || !have("verilator")) GTEST_SKIP() << "yosys / verilator not installed";
  TempDir dir("quickstart");
  Recipe r = quickstartRecipe();
  r.output = dir.path.string();
  FlowOptions o;
  o.quiet = true;
  const auto t0 = std::chrono::steady_clock::now();
  FlowSummary s = runFlow(r, o);
  std::printf("[ flow     ] quickstart: %.0f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  EXPECT_TRUE(s.simOk);
  EXPECT_EQ(s.simulated, r.simulateLayers.size());
  auto f = readJson(dir.path / "fpga.json");
  EXPECT_EQ(expectFpgaCalibrated(f), r.simulateLayers.size());
  EXPECT_EQ(f["part"]["name"], r.fpgaPart);
}

// The larger recipe: MobileNetV2 on one 256-PE edge accelerator (LS), synthesized for the
// ZCU102's xczu9eg.
TEST(FlowLong, MobileNetV2EdgeLsFpgaMatchesYosys) {
  if (!have("yosys") || !have("verilator")) GTEST_SKIP() << "yosys / verilator not installed";
  TempDir dir("mobilenet_v2_edge_ls");
  Recipe r = Recipe::parseFile(std::string(ANALECTS_SOURCE_DIR) +
                               "/flows/recipes/mobilenet_v2_edge_ls.yaml");
  r.output = dir.path.string();
  FlowOptions o;
  o.quiet = true;
  FlowSummary s = runFlow(r, o);
  EXPECT_TRUE(s.simOk);
  auto f = readJson(dir.path / "fpga.json");
  EXPECT_EQ(expectFpgaCalibrated(f), 1u);
  EXPECT_EQ(f["designs"][0]["yosys"]["dsp"], 256);  // the edge platform's 256 PEs
  EXPECT_EQ(f["designs"][0]["fits"], true);
}

// The Eyeriss style end to end: the searched accelerator is generated and its layers simulate
// bit- and cycle-exactly.
TEST(Flow, EyerissStyleSimulatesTheChosenDesign) {
  TempDir dir("eyeriss_flow");
  Recipe r = Recipe::parse(
      "workload: alexnet\nstyle: eyeriss\ndeployment: ls\nconstraint: pes\nbudget: abs:16\n"
      "algorithms: [exact]\nsamples: 20\nsimulate: {layers: [1, 4], scale: 0.125}\n"
      "fpga: {synthesize: false}\n",
      "r.yaml", "");
  r.output = dir.path.string();
  FlowOptions o;
  o.quiet = true;
  FlowSummary s = runFlow(r, o);
  EXPECT_EQ(s.simulated, 2u);
  EXPECT_TRUE(s.notRunnable.empty());
  EXPECT_TRUE(s.simOk);
  EXPECT_EQ(s.design.rfind("eyeriss_", 0), 0u) << s.design;
  EXPECT_TRUE(fs::exists(dir.path / "rtl" / "design.json"));
}

// Designs without RTL (a DRAM port wider than rtlgen's 8 bytes) keep the cost model's figures
// with a note: no Yosys run, no error.
TEST(Flow, DesignsWithoutRtlKeepTheModelFigures) {
  for (const char* yaml :
       {"workload: alexnet\ndeployment: lp\nconstraint: pes\nbudget: abs:16\n"
        "algorithms: [exact]\nsamples: 20\ndram: {bytes_per_cycle: 16}\n"}) {
    TempDir dir("no_rtl");
    Recipe r = Recipe::parse(yaml, "r.yaml", "");
    r.output = dir.path.string();
    FlowOptions o;
    o.quiet = true;
    FlowSummary s = runFlow(r, o);
    EXPECT_TRUE(s.fpgaErrors().empty());
    auto f = readJson(dir.path / "fpga.json");
    EXPECT_EQ(f["source"], "cost model") << yaml;
    EXPECT_TRUE(f["designs"].empty()) << yaml;
    ASSERT_EQ(f["notes"].size(), 1u) << yaml;
    EXPECT_NE(f["notes"][0].get<std::string>().find("cost model's only"), std::string::npos);
    EXPECT_GT(f["model_total"]["lut"].get<int64_t>(), 0);
  }
}
