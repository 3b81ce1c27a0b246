#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "analects/search/exact.h"
#include "analects/search/synthetic.h"
#include "rng.h"

using namespace analects;
using namespace analects::search;

namespace {

// Random small tables: `layers` x np x nb with ~15 % infeasible points.
CostTable randomTable(size_t layers, int np, int nb, uint64_t seed) {
  Rng rng(seed);
  CostTable t;
  for (int p = 0; p < np; ++p) t.peLevels.push_back(int64_t(1) << p);
  for (int b = 0; b < nb; ++b) t.bufferLevels.push_back(256 * (b + 1));
  t.layers = layers;
  size_t n = layers * size_t(np * nb);
  t.feasible.assign(n, 0);
  t.cycles.assign(n, 0);
  t.energyPj.assign(n, 0);
  t.areaUm2.assign(n, 0);
  t.powerMw.assign(n, 0);
  t.reasons.assign(n, {});
  for (size_t l = 0; l < layers; ++l)
    for (int p = 0; p < np; ++p)
      for (int b = 0; b < nb; ++b) {
        size_t i = t.index(l, size_t(p), size_t(b));
        t.feasible[i] = rng.chance(0.85) ? 1 : 0;
        t.cycles[i] = std::round(1000 * (0.3 + rng.uniform()) / (1 + p + 0.3 * b));
        t.energyPj[i] = 100 * (0.5 + rng.uniform()) * (1 + 0.2 * p + 0.1 * b);
        t.areaUm2[i] = 300 * double(t.peLevels[size_t(p)]) * (0.9 + 0.2 * rng.uniform()) +
                       double(t.bufferLevels[size_t(b)]);
        t.powerMw[i] = 0.5 * (1 + p) * (0.8 + 0.4 * rng.uniform()) + 0.1 * b;
      }
  return t;
}

struct Brute {
  bool found = false;
  double objective = 0;
};

Brute bruteForce(const Problem& p) {
  const size_t L = p.layers();
  const int np = p.peLevelCount(), nb = p.bufferLevelCount();
  Design d(L);
  Brute best;
  size_t total = 1;
  for (size_t l = 0; l < L; ++l) total *= size_t(np * nb);
  for (size_t code = 0; code < total; ++code) {
    size_t c = code;
    for (size_t l = 0; l < L; ++l) {
      int k = int(c % size_t(np * nb));
      c /= size_t(np * nb);
      d[l] = {k / nb, k % nb};
    }
    Evaluation e = p.evaluate(d);
    if (e.feasible && (!best.found || e.objective < best.objective)) {
      best.found = true;
      best.objective = e.objective;
    }
  }
  return best;
}

}  // namespace

TEST(Exact, MatchesBruteForceOnSmallProblems) {
  const Deployment deployments[] = {Deployment::LayerPipelined, Deployment::LayerSequential};
  const Objective objectives[] = {Objective::Latency, Objective::Energy, Objective::Edp,
                                  Objective::Throughput};
  const char* constraints[] = {"area", "power", "pes", "buffer", "fpga:ice40up5k"};
  int compared = 0, feasibleCases = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    CostTable t = randomTable(4, 3, 3, seed);
    Workload w;
    for (int i = 0; i < 4; ++i)
      w.layers.push_back(Layer::conv(fmt::format("c{}", i), 8, 8, 8, 8, 3, 3));
    for (Deployment d : deployments)
      for (Objective o : objectives)
        for (const char* c : constraints)
          for (double r : {0.0, 0.15, 0.4, 0.8}) {
            ProblemSpec s;
            s.deployment = d;
            s.objective = o;
            s.constraint = Constraint::parse(c);
            s.budget = Budget::ratio(r);
            Problem p(w, t, s);
            SearchResult ex = solveExact(p);
            Brute bf = bruteForce(p);
            std::string what = fmt::format("seed {} {} {} {} r={}", seed, deploymentName(d),
                                           objectiveName(o), c, r);
            ASSERT_EQ(ex.status == SearchStatus::Found, bf.found) << what << ": " << ex.message;
            ++compared;
            if (!bf.found) {
              EXPECT_EQ(ex.status, SearchStatus::Impossible) << what;
              continue;
            }
            ++feasibleCases;
            EXPECT_TRUE(ex.provenOptimal);
            EXPECT_TRUE(ex.bestEval.feasible) << what;
            EXPECT_NEAR(ex.bestEval.objective, bf.objective, 1e-9 * bf.objective) << what;
            // The curve ends at the optimum for this budget and is a Pareto front.
            ASSERT_FALSE(ex.tradeoff.empty()) << what;
            EXPECT_NEAR(ex.tradeoff.back().objective, bf.objective, 1e-9 * bf.objective) << what;
            for (size_t i = 1; i < ex.tradeoff.size(); ++i) {
              EXPECT_GT(ex.tradeoff[i].constraint, ex.tradeoff[i - 1].constraint) << what;
              EXPECT_LT(ex.tradeoff[i].objective, ex.tradeoff[i - 1].objective) << what;
            }
          }
  }
  EXPECT_EQ(compared, 6 * 2 * 4 * 5 * 4);
  EXPECT_GT(feasibleCases, compared / 2);
}

TEST(Exact, LayerSequentialPlatformBudget) {
  Workload w = syntheticWorkload(3, 11);
  ProblemSpec s;
  s.deployment = Deployment::LayerSequential;
  s.budget = Budget::named("edge");
  ActionLevels lv{{16, 64, 256}, {1024, 4096, 8192}};
  Problem p(w, syntheticCostTable(w, lv), s);
  SearchResult ex = solveExact(p);
  Brute bf = bruteForce(p);
  ASSERT_TRUE(bf.found);
  ASSERT_EQ(ex.status, SearchStatus::Found) << ex.message;
  EXPECT_NEAR(ex.bestEval.objective, bf.objective, 1e-9 * bf.objective);
  EXPECT_LE(ex.bestEval.constraint2, 4096);
}

TEST(Exact, TwoResourceLPIsUnsupportedWithAReason) {
  Workload w = syntheticWorkload(3, 11);
  ProblemSpec s;
  s.deployment = Deployment::LayerPipelined;
  s.budget = Budget::named("cloud");
  Problem p(w, syntheticCostTable(w, defaultActionLevels(s)), s);
  SearchResult ex = solveExact(p);
  EXPECT_EQ(ex.status, SearchStatus::Unsupported);
  EXPECT_NE(ex.message.find("two-dimensional"), std::string::npos);
}

TEST(Exact, FullCurveCoversLargerBudgets) {
  Workload w = syntheticWorkload(8, 2);
  ProblemSpec s;
  s.constraint = Constraint::parse("area");
  s.budget = Budget::ratio(0.2);
  Problem p(w, syntheticCostTable(w, defaultActionLevels(s)), s);
  SearchResult tight = solveExact(p);
  ExactOptions full;
  full.fullCurve = true;
  SearchResult all = solveExact(p, full);
  ASSERT_EQ(tight.status, SearchStatus::Found);
  EXPECT_DOUBLE_EQ(tight.bestEval.objective, all.bestEval.objective);
  EXPECT_GT(all.tradeoff.size(), tight.tradeoff.size());
  EXPECT_GT(all.tradeoff.back().constraint, p.budget());
}
