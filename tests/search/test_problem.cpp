#include <gtest/gtest.h>

#include <cmath>

#include "analects/search/problem.h"
#include "analects/search/search.h"
#include "analects/search/synthetic.h"
#include "rng.h"

using namespace analects;
using namespace analects::search;

namespace {

// Two layers, 2 PE levels {1, 4} x 2 buffer levels {100, 200}, numbers by hand.
CostTable tinyTable() {
  CostTable t;
  t.peLevels = {1, 4};
  t.bufferLevels = {100, 200};
  t.layers = 2;
  size_t n = 8;
  t.feasible.assign(n, 1);
  t.cycles.assign(n, 0);
  t.energyPj.assign(n, 0);
  t.areaUm2.assign(n, 0);
  t.powerMw.assign(n, 0);
  t.reasons.assign(n, {});
  // layer 0: cycles 100/90 (1 PE), 30/20 (4 PEs); layer 1: 50/45, 20/18.
  double cyc[2][2][2] = {{{100, 90}, {30, 20}}, {{50, 45}, {20, 18}}};
  for (size_t l = 0; l < 2; ++l)
    for (size_t p = 0; p < 2; ++p)
      for (size_t b = 0; b < 2; ++b) {
        size_t i = t.index(l, p, b);
        t.cycles[i] = cyc[l][p][b];
        t.energyPj[i] = 10 * double(l + 1);
        t.areaUm2[i] = double(t.peLevels[p]) * 10 + double(t.bufferLevels[b]) / 10;
        t.powerMw[i] = 1 + double(p);
      }
  return t;
}

Workload tinyWorkload() {
  Workload w;
  w.name = "tiny";
  w.layers = {Layer::conv("a", 8, 8, 8, 8, 3, 3, 1, 1), Layer::conv("b", 8, 8, 8, 8, 1, 1)};
  return w;
}

ProblemSpec spec(Deployment d, Objective o, const std::string& constraint, Budget b) {
  ProblemSpec s;
  s.deployment = d;
  s.objective = o;
  s.constraint = Constraint::parse(constraint);
  s.budget = b;
  return s;
}

}  // namespace

TEST(Problem, LayerPipelinedSumsObjectiveAndResources) {
  Problem p(tinyWorkload(), tinyTable(),
            spec(Deployment::LayerPipelined, Objective::Latency, "pes", Budget::absolute(5)));
  Evaluation e = p.evaluate({{1, 1}, {0, 0}});
  EXPECT_DOUBLE_EQ(e.objective, 20 + 50);
  EXPECT_DOUBLE_EQ(e.constraint, 4 + 1);
  EXPECT_TRUE(e.feasible);
  EXPECT_DOUBLE_EQ(e.score, e.objective);
  Evaluation over = p.evaluate({{1, 1}, {1, 0}});
  EXPECT_DOUBLE_EQ(over.constraint, 8);
  EXPECT_FALSE(over.feasible);
  EXPECT_GT(over.score, p.penaltyBase());
  EXPECT_TRUE(std::isfinite(over.score));
}

TEST(Problem, LayerSequentialSizesByTheLargestAllocation) {
  Problem p(tinyWorkload(), tinyTable(),
            spec(Deployment::LayerSequential, Objective::Latency, "area", Budget::absolute(1e9)));
  Evaluation e = p.evaluate({{1, 0}, {0, 1}});
  EXPECT_DOUBLE_EQ(e.objective, 30 + 45);
  // The shared accelerator has 4 PEs and 200 bytes: area 4*10 + 200/10.
  EXPECT_DOUBLE_EQ(e.constraint, 60);
  Problem pes(tinyWorkload(), tinyTable(),
              spec(Deployment::LayerSequential, Objective::Latency, "pes", Budget::absolute(4)));
  EXPECT_DOUBLE_EQ(pes.evaluate({{1, 0}, {0, 1}}).constraint, 4);  // max, not sum
}

TEST(Problem, ThroughputIsTheBottleneckForLP) {
  Problem p(tinyWorkload(), tinyTable(),
            spec(Deployment::LayerPipelined, Objective::Throughput, "pes", Budget::absolute(8)));
  EXPECT_DOUBLE_EQ(p.evaluate({{1, 1}, {0, 0}}).objective, 50);
  Problem ls(tinyWorkload(), tinyTable(),
             spec(Deployment::LayerSequential, Objective::Throughput, "pes", Budget::absolute(8)));
  EXPECT_DOUBLE_EQ(ls.evaluate({{1, 1}, {0, 0}}).objective, 70);
}

TEST(Problem, EdpAndEnergy) {
  Problem edp(tinyWorkload(), tinyTable(),
              spec(Deployment::LayerPipelined, Objective::Edp, "pes", Budget::absolute(8)));
  EXPECT_DOUBLE_EQ(edp.evaluate({{1, 1}, {0, 0}}).objective, 20 * 10 + 50 * 20);
  Problem en(tinyWorkload(), tinyTable(),
             spec(Deployment::LayerPipelined, Objective::Energy, "pes", Budget::absolute(8)));
  EXPECT_DOUBLE_EQ(en.evaluate({{1, 1}, {0, 0}}).objective, 30);
}

TEST(Problem, RatioBudgetFromCornerDesigns) {
  Problem p(tinyWorkload(), tinyTable(),
            spec(Deployment::LayerPipelined, Objective::Latency, "area", Budget::ratio(0.5)));
  // Corners: all (4, 200): 2*60 = 120; all (1, 100): 2*20 = 40; min 40, max 120.
  EXPECT_DOUBLE_EQ(p.cornerMin(), 40);
  EXPECT_DOUBLE_EQ(p.cornerMax(), 120);
  EXPECT_DOUBLE_EQ(p.budget(), 80);
}

TEST(Problem, PlatformsLimitPesAndBuffer) {
  ProblemSpec s =
      spec(Deployment::LayerSequential, Objective::Latency, "area", Budget::named("edge"));
  ActionLevels lv = defaultActionLevels(s);
  EXPECT_EQ(lv.pes.back(), 256);
  EXPECT_EQ(lv.pes.size(), 12u);
  EXPECT_EQ(lv.bufferBytes.back(), 8192);
  s.budget = Budget::parse("cloud");
  EXPECT_EQ(defaultActionLevels(s).pes.back(), 4096);
  s.deployment = Deployment::LayerPipelined;
  EXPECT_EQ(defaultActionLevels(s).pes.back(), 128);  // LP keeps ConfuciuX's levels

  Workload w = syntheticWorkload(6, 3);
  s = spec(Deployment::LayerSequential, Objective::Latency, "pes", Budget::named("edge"));
  Problem p(w, syntheticCostTable(w, defaultActionLevels(s)), s);
  EXPECT_EQ(p.resources(), 2);
  EXPECT_DOUBLE_EQ(p.budget(0), 256);
  EXPECT_DOUBLE_EQ(p.budget(1), 4096);
  Design big(6, LayerLevels{11, 11});  // 256 PEs, 8 KiB: over the buffer budget
  Evaluation e = p.evaluate(big);
  EXPECT_DOUBLE_EQ(e.constraint, 256);
  EXPECT_DOUBLE_EQ(e.constraint2, 8192);
  EXPECT_DOUBLE_EQ(e.budgetUse, 2);
}

TEST(Problem, FpgaPartsCountDsps) {
  Workload w = syntheticWorkload(4, 5);
  ProblemSpec s =
      spec(Deployment::LayerSequential, Objective::Latency, "fpga:xc7z020", Budget::fpgaDefault());
  ActionLevels lv = defaultActionLevels(s);
  EXPECT_EQ(lv.pes.back(), 256);  // 220 DSPs -> top level 256
  Problem p(w, syntheticCostTable(w, lv), s);
  EXPECT_DOUBLE_EQ(p.budget(), 220);
  EXPECT_EQ(findFpgaPart("ice40up5k").dsps, 8);
  EXPECT_EQ(findFpgaPart("xcvu9p").dsps, 6840);
  EXPECT_EQ(findFpgaPart("xczu9eg").dsps, 2520);
  EXPECT_THROW(findFpgaPart("xc9999"), SearchError);
}

TEST(Problem, ParsingErrorsAreActionable) {
  EXPECT_THROW(parseObjective("speed"), SearchError);
  EXPECT_THROW(parseDeployment("xx"), SearchError);
  EXPECT_THROW(Constraint::parse("luts"), SearchError);
  EXPECT_THROW(Budget::parse("-3"), SearchError);
  EXPECT_THROW(Budget::parse("mars"), SearchError);
  EXPECT_EQ(Budget::parse("ratio:0.1").kind, Budget::Kind::Ratio);
  EXPECT_DOUBLE_EQ(Budget::parse("r0.05").value, 0.05);
  EXPECT_DOUBLE_EQ(Budget::parse("1.5e6").value, 1.5e6);
  // What users write: a bare number up to 1 is a ratio, above 1 or abs:V absolute.
  EXPECT_EQ(Budget::fromUser("0.5").kind, Budget::Kind::Ratio);
  EXPECT_EQ(Budget::fromUser("1").kind, Budget::Kind::Ratio);
  EXPECT_EQ(Budget::fromUser("2e6").kind, Budget::Kind::Absolute);
  EXPECT_DOUBLE_EQ(Budget::fromUser("abs:0.5").value, 0.5);
  EXPECT_EQ(Budget::fromUser("abs:0.5").kind, Budget::Kind::Absolute);
  EXPECT_EQ(Budget::fromUser("edge").kind, Budget::Kind::Platform);
  for (const char* bad : {"abs:xyz", "abs:", "abs:-1", "0", "-2", "1e999", "nan"})
    EXPECT_THROW(Budget::fromUser(bad), SearchError) << bad;
  try {
    parseObjective("speed");
  } catch (const SearchError& e) {
    EXPECT_NE(std::string(e.what()).find("latency"), std::string::npos);
  }
  // A two-resource budget cannot be one number.
  EXPECT_THROW(Problem(tinyWorkload(), tinyTable(),
                       spec(Deployment::LayerSequential, Objective::Latency, "pes+buffer",
                            Budget::absolute(3))),
               SearchError);
  // Mismatched table.
  CostTable bad = tinyTable();
  bad.cycles.pop_back();
  EXPECT_THROW(
      Problem(tinyWorkload(), bad,
              spec(Deployment::LayerPipelined, Objective::Latency, "pes", Budget::absolute(3))),
      SearchError);
}

TEST(Problem, ImpossibleBudgetIsReportedNotCrashed) {
  Problem p(tinyWorkload(), tinyTable(),
            spec(Deployment::LayerPipelined, Objective::Latency, "pes", Budget::absolute(1.5)));
  ASSERT_TRUE(p.impossibleReason().has_value());
  EXPECT_NE(p.impossibleReason()->find("no design fits"), std::string::npos);
  for (const auto& a : searchAlgorithms()) {
    SearchResult r = runSearch(a.name, p, SearchOptions{50, 1, 0, {}, {}});
    EXPECT_EQ(r.status, SearchStatus::Impossible) << a.name;
    EXPECT_FALSE(r.message.empty());
  }
  // Exactly at the minimum is possible.
  Problem q(tinyWorkload(), tinyTable(),
            spec(Deployment::LayerPipelined, Objective::Latency, "pes", Budget::absolute(2)));
  EXPECT_FALSE(q.impossibleReason().has_value());
}

TEST(Problem, LayerWithoutAnyFeasiblePointIsImpossible) {
  CostTable t = tinyTable();
  for (size_t p = 0; p < 2; ++p)
    for (size_t b = 0; b < 2; ++b) {
      t.feasible[t.index(1, p, b)] = 0;
      t.reasons[t.index(1, p, b)] = "kernel larger than the buffer";
    }
  Problem p(tinyWorkload(), t,
            spec(Deployment::LayerPipelined, Objective::Latency, "area", Budget::ratio(0.5)));
  ASSERT_TRUE(p.impossibleReason().has_value());
  EXPECT_NE(p.impossibleReason()->find("layer 1 (b)"), std::string::npos);
  EXPECT_NE(p.impossibleReason()->find("kernel larger"), std::string::npos);
  SearchResult r = runSearch("confuciux", p, SearchOptions{30, 1, 0, {}, {}});
  EXPECT_EQ(r.status, SearchStatus::Impossible);
}

TEST(Problem, FaultyTableNeverYieldsNaN) {
  Workload w = syntheticWorkload(12, 9);
  ProblemSpec s = spec(Deployment::LayerPipelined, Objective::Edp, "power", Budget::ratio(0.3));
  CostTable t = syntheticCostTable(w, defaultActionLevels(s), 0.6, 4);
  Problem p(w, t, s);
  EXPECT_TRUE(std::isfinite(p.penaltyBase()));
  Rng rng(3);
  for (int i = 0; i < 2000; ++i) {
    Design d(12);
    for (auto& x : d) x = {rng.below(12), rng.below(12)};
    Evaluation e = p.evaluate(d);
    ASSERT_TRUE(std::isfinite(e.objective));
    ASSERT_TRUE(std::isfinite(e.constraint));
    ASSERT_TRUE(std::isfinite(e.budgetUse));
    ASSERT_TRUE(std::isfinite(e.score));
    if (!e.feasible) {
      ASSERT_GT(e.score, p.penaltyBase());
    }
  }
}
