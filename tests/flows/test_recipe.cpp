#include <gtest/gtest.h>

#include "analects/flows/recipe.h"

using namespace analects::flows;

namespace {

// Parses and expects a RecipeError containing every fragment.
void expectRecipeError(const std::string& yaml, std::vector<std::string> fragments) {
  try {
    Recipe::parse(yaml, "r.yaml", "");
    FAIL() << "no error for:\n" << yaml;
  } catch (const RecipeError& e) {
    std::string msg = e.what();
    for (const auto& f : fragments) EXPECT_NE(msg.find(f), std::string::npos) << msg;
  }
}

}  // namespace

TEST(Recipe, QuickstartParses) {
  Recipe r = quickstartRecipe();
  EXPECT_EQ(r.name, "quickstart");
  EXPECT_EQ(r.workload, "mobilenet_v2");
  EXPECT_EQ(r.algorithms.front(), "confuciux");
  EXPECT_GT(r.samples, 0);
}

TEST(Recipe, AllKeys) {
  Recipe r = Recipe::parse(
      "name: t\nworkload: resnet18\nstyle: eyeriss\ndeployment: lp\nobjective: energy\n"
      "constraint: area\nbudget: 0.1\nalgorithms: [ga, exact]\nsamples: 50\nseed: 7\n"
      "dram: {bytes_per_cycle: 16, latency: 5}\nsimulate: {layers: [0, 2], scale: 0.25}\n"
      "fpga: {part: xczu9eg, synthesize: false}\noutput: out/t\n",
      "r.yaml", "");
  EXPECT_EQ(r.style, "eyeriss");
  EXPECT_EQ(r.budget, "0.1");
  EXPECT_EQ(r.algorithms.size(), 2u);
  EXPECT_EQ(r.seed, 7u);
  EXPECT_EQ(r.dramBytesPerCycle, 16);
  EXPECT_EQ(r.simulateLayers, (std::vector<int64_t>{0, 2}));
  EXPECT_DOUBLE_EQ(r.simulateScale, 0.25);
  EXPECT_EQ(r.fpgaPart, "xczu9eg");
  EXPECT_FALSE(r.fpgaSynthesize);
  EXPECT_TRUE(Recipe::parse("workload: resnet18\n", "r.yaml", "").fpgaSynthesize);  // default on
  EXPECT_TRUE(quickstartRecipe().fpgaSynthesize);
}

TEST(Recipe, ShippedRecipesParse) {
  for (const char* name : {"quickstart", "mobilenet_v2_edge_ls", "resnet50_lp"}) {
    const Recipe r =
        Recipe::parseFile(std::string(ANALECTS_SOURCE_DIR) + "/flows/recipes/" + name + ".yaml");
    EXPECT_TRUE(r.fpgaSynthesize) << name;
    EXPECT_LE(r.dramBytesPerCycle, 8) << name << ": the RTL's DRAM port is 64 bits";
  }
}

TEST(Recipe, ErrorsNameKeyAndLine) {
  expectRecipeError("workload: resnet18\nstlye: nvdla\n",
                    {"r.yaml", "line 2", "unknown key 'stlye'"});
  expectRecipeError("workload: resnet18\nsamples: many\n", {"line 2", "'samples'", "whole number"});
  expectRecipeError("workload: resnet18\nsamples: [1, 2]\n", {"line 2", "'samples'"});
  expectRecipeError("workload: resnet18\ndram: {speed: 3}\n", {"line 2", "dram.speed"});
  expectRecipeError("workload: no/such/net.onnx\n", {"line 1", "'workload'", "no/such/net.onnx"});
  expectRecipeError("style: nvdla\n", {"missing key 'workload'"});
  expectRecipeError("workload: resnet18\nsimulate: {scale: 2}\n", {"line 2", "simulate.scale"});
  // Values out of range name their own line too.
  expectRecipeError("name: x\nworkload: resnet18\nsamples: 0\n",
                    {"line 3", "'samples'", "positive"});
  expectRecipeError("workload: resnet18\ndram:\n  latency: 3\n  bytes_per_cycle: -1\n",
                    {"line 4", "dram.bytes_per_cycle"});
  expectRecipeError("workload: resnet18\ndram: {latency: -1}\n", {"line 2", "dram.latency"});
  expectRecipeError("workload: resnet18\nsimulate:\n  layers: [0,\n    -3]\n",
                    {"line 4", "-3 is not a layer index"});
  expectRecipeError("workload: [resnet18\n", {"line", "not valid YAML"});
  expectRecipeError("- a\n- b\n", {"mapping"});
  expectRecipeError("workload: resnet18\nalgorithms: []\n", {"line 2", "algorithms"});
  expectRecipeError("workload: resnet18\nfpga: {part: xc7z020, synthesise: no}\n",
                    {"line 2", "unknown key 'fpga.synthesise'", "synthesize"});
  expectRecipeError("workload: resnet18\nfpga:\n  part: xc7z020\n  synthesize: maybe\n",
                    {"line 4", "'fpga.synthesize'", "true or false", "maybe"});
  expectRecipeError("workload: resnet18\nfpga: {synthesize: [1]}\n",
                    {"line 2", "'fpga.synthesize'"});
  expectRecipeError("workload: resnet18\nfpga: {part: xc7a35t}\n",
                    {"line 2", "'fpga.part'", "xc7a35t", "xczu9eg"});
  expectRecipeError("workload: resnet18\nfpga: xc7z020\n", {"line 2", "'fpga'", "mapping"});
  // Unknown words are errors at their line, not later in the flow.
  expectRecipeError("workload: resnet18\nsamples: 10\nstyle: tpu\n",
                    {"line 3", "'style'", "tpu"});
  expectRecipeError("workload: resnet18\ndeployment: both\n", {"line 2", "'deployment'", "both"});
  expectRecipeError("workload: resnet18\nobjective: speed\n", {"line 2", "'objective'", "speed"});
  expectRecipeError("workload: resnet18\nconstraint: fpga:nopart\n", {"line 2", "'constraint'"});
  // A zero-latency DRAM with simulation: the RTL cannot run it.
  expectRecipeError("workload: resnet18\ndram: {latency: 0}\nsimulate: {layers: [0]}\n",
                    {"line 2", "dram.latency", "simulate"});
}
