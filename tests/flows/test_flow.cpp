#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "analects/flows/flow.h"

using namespace analects::flows;
namespace fs = std::filesystem;

TEST(Flow, SmallRecipeWritesEveryOutput) {
  fs::path dir = fs::temp_directory_path() / "analects_test_flow";
  fs::remove_all(dir);
  Recipe r = Recipe::parse(
      "name: small\nworkload: alexnet\nstyle: nvdla\ndeployment: lp\nobjective: latency\n"
      "constraint: area\nbudget: 0.5\nalgorithms: [ga, exact]\nsamples: 60\nseed: 3\n",
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
  std::ifstream in(dir / "design.json");
  auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["arrays"].size(), 8u);  // LP: one sub-accelerator per AlexNet layer
  std::ifstream t(dir / "trace.csv");
  std::string header;
  std::getline(t, header);
  EXPECT_EQ(header, "algorithm,samples,best_objective,seconds");
}

TEST(Flow, ImpossibleBudgetIsAnErrorBeforeAnyOutput) {
  fs::path dir = fs::temp_directory_path() / "analects_test_flow_impossible";
  fs::remove_all(dir);
  Recipe r = Recipe::parse("workload: resnet18\ndeployment: ls\nconstraint: pes\nbudget: abs:0.5\n"
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
