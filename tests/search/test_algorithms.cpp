#include <gtest/gtest.h>

#include <cmath>

#include "analects/search/exact.h"
#include "analects/search/search.h"
#include "analects/search/synthetic.h"

using namespace analects;
using namespace analects::search;

namespace {

Problem syntheticProblem(int layers, Deployment d, Objective o, const std::string& constraint,
                         Budget budget, double faults = 0, uint64_t seed = 5) {
  Workload w = syntheticWorkload(layers, seed);
  ProblemSpec s;
  s.deployment = d;
  s.objective = o;
  s.constraint = Constraint::parse(constraint);
  s.budget = budget;
  return Problem(w, syntheticCostTable(w, defaultActionLevels(s), faults, seed + 1), s);
}

std::vector<std::string> heuristics() {
  std::vector<std::string> names;
  for (const auto& a : searchAlgorithms())
    if (a.name != "exact") names.push_back(a.name);
  return names;
}

}  // namespace

TEST(Algorithms, RegistryListsEveryAlgorithmWithHelp) {
  std::vector<std::string> expected = {"confuciux", "reinforce",    "ga",       "random",
                                       "anneal",    "tpe",          "a2c",      "baseline-dla",
                                       "lagrange",  "exact"};
  ASSERT_EQ(searchAlgorithms().size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(searchAlgorithms()[i].name, expected[i]);
    EXPECT_FALSE(searchAlgorithms()[i].description.empty());
  }
  Problem p = syntheticProblem(4, Deployment::LayerPipelined, Objective::Latency, "area",
                               Budget::ratio(0.5));
  EXPECT_THROW(runSearch("bogus", p, {}), SearchError);
  SearchOptions o;
  o.params["populaton"] = "10";  // typo
  try {
    runSearch("ga", p, o);
    FAIL() << "unknown parameter accepted";
  } catch (const SearchError& e) {
    EXPECT_NE(std::string(e.what()).find("population"), std::string::npos) << e.what();
  }
}

TEST(Algorithms, SameSeedSameResult) {
  Problem p = syntheticProblem(10, Deployment::LayerPipelined, Objective::Latency, "area",
                               Budget::ratio(0.4));
  for (const auto& name : heuristics()) {
    SearchOptions o;
    o.samples = 300;
    o.seed = 42;
    SearchResult a = runSearch(name, p, o), b = runSearch(name, p, o);
    ASSERT_EQ(a.status, SearchStatus::Found) << name << ": " << a.message;
    EXPECT_EQ(a.best, b.best) << name;
    EXPECT_EQ(a.bestEval.objective, b.bestEval.objective) << name;
    ASSERT_EQ(a.trace.size(), b.trace.size()) << name;
    for (size_t i = 0; i < a.trace.size(); ++i) {
      EXPECT_EQ(a.trace[i].samples, b.trace[i].samples) << name;
      EXPECT_EQ(a.trace[i].bestObjective, b.trace[i].bestObjective) << name;
    }
  }
}

TEST(Algorithms, BudgetAccountingAndMonotoneTrace) {
  Problem p = syntheticProblem(10, Deployment::LayerSequential, Objective::Energy, "pes",
                               Budget::absolute(64));
  for (const auto& name : heuristics()) {
    SearchOptions o;
    o.samples = 250;
    SearchResult r = runSearch(name, p, o);
    EXPECT_LE(r.samplesUsed, 250) << name;
    // baseline-dla and lagrange stop once they have tried everything they would try.
    if (name != "baseline-dla" && name != "lagrange") {
      EXPECT_EQ(r.samplesUsed, 250) << name;
    }
    ASSERT_EQ(r.status, SearchStatus::Found) << name << ": " << r.message;
    EXPECT_TRUE(r.bestEval.feasible) << name;
    EXPECT_EQ(r.bestEval.objective, p.evaluate(r.best).objective) << name;  // re-evaluated
    for (size_t i = 1; i < r.trace.size(); ++i) {
      EXPECT_GE(r.trace[i].samples, r.trace[i - 1].samples) << name;
      EXPECT_LE(r.trace[i].bestObjective, r.trace[i - 1].bestObjective) << name;
    }
    EXPECT_EQ(r.trace.back().bestObjective, r.bestEval.objective) << name;
  }
}

TEST(Algorithms, FaultInjectionNeverYieldsNaN) {
  // 40 % of the points are broken: infeasible, NaN cycles, infinite energy, negative area.
  for (Deployment d : {Deployment::LayerPipelined, Deployment::LayerSequential}) {
    Problem p = syntheticProblem(12, d, Objective::Edp, "area", Budget::ratio(0.3), 0.4);
    ASSERT_FALSE(p.impossibleReason().has_value()) << *p.impossibleReason();
    for (const auto& a : searchAlgorithms()) {
      SearchOptions o;
      o.samples = 200;
      SearchResult r;
      ASSERT_NO_THROW(r = runSearch(a.name, p, o)) << a.name;
      EXPECT_NE(r.status, SearchStatus::Impossible) << a.name;
      EXPECT_TRUE(std::isfinite(r.bestEval.objective)) << a.name;
      EXPECT_TRUE(std::isfinite(r.bestEval.score)) << a.name;
      EXPECT_TRUE(std::isfinite(r.bestEval.budgetUse)) << a.name;
      for (const auto& t : r.trace) EXPECT_TRUE(std::isfinite(t.bestObjective)) << a.name;
      if (r.status == SearchStatus::Found) {
        EXPECT_TRUE(r.bestEval.feasible) << a.name;
        EXPECT_EQ(r.bestEval.infeasibleLayers, 0) << a.name;
      }
    }
  }
}

TEST(Algorithms, ConfuciuxBeatsRandomAtEqualBudget) {
  Problem p = syntheticProblem(24, Deployment::LayerPipelined, Objective::Latency, "area",
                               Budget::ratio(0.3));
  SearchResult exact = solveExact(p);
  ASSERT_EQ(exact.status, SearchStatus::Found);
  for (uint64_t seed : {1, 2, 3}) {
    SearchOptions o;
    o.samples = 1500;
    o.seed = seed;
    SearchResult cx = runSearch("confuciux", p, o);
    SearchResult rnd = runSearch("random", p, o);
    ASSERT_EQ(cx.status, SearchStatus::Found) << cx.message;
    if (rnd.status == SearchStatus::Found) {
      EXPECT_LT(cx.bestEval.objective, rnd.bestEval.objective) << "seed " << seed;
    }
    EXPECT_GE(cx.bestEval.objective, exact.bestEval.objective * (1 - 1e-12));
    // Two stages; GA fine-tuning never loses the RL best.
    ASSERT_EQ(cx.stages.size(), 2u);
    EXPECT_EQ(cx.stages[0].name, "rl");
    EXPECT_EQ(cx.stages[1].name, "ga");
    if (cx.stages[0].found) {
      EXPECT_LE(cx.stages[1].bestObjective, cx.stages[0].bestObjective);
    }
    EXPECT_NEAR(double(cx.stages[0].samples), 1000, 1);
  }
}
