#include <gtest/gtest.h>

#include <sstream>

#include "analects/search/exact.h"
#include "analects/search/output.h"
#include "analects/search/synthetic.h"

using namespace analects;
using namespace analects::search;

TEST(Output, TraceCsvAndDesignJson) {
  Workload w = syntheticWorkload(5, 3);
  ProblemSpec s;
  s.deployment = Deployment::LayerSequential;
  s.constraint = Constraint::parse("pes");
  s.budget = Budget::absolute(48);
  Problem p(w, syntheticCostTable(w, defaultActionLevels(s)), s);
  SearchOptions o;
  o.samples = 100;
  SearchResult r = runSearch("random", p, o);
  ASSERT_EQ(r.status, SearchStatus::Found);
  std::ostringstream csv;
  writeTraceCsv(csv, r);
  std::string text = csv.str();
  EXPECT_EQ(text.rfind("samples,best_objective,seconds\n", 0), 0u);
  EXPECT_EQ(size_t(std::count(text.begin(), text.end(), '\n')), r.trace.size() + 1);

  nlohmann::json j = designJson(p, r);
  EXPECT_EQ(j["problem"]["deployment"], "ls");
  EXPECT_EQ(j["problem"]["constraint"], "pes");
  EXPECT_EQ(j["result"]["algorithm"], "random");
  EXPECT_EQ(j["result"]["status"], "found");
  ASSERT_EQ(j["layers"].size(), 5u);
  int64_t maxPes = 0;
  for (size_t l = 0; l < 5; ++l) {
    EXPECT_EQ(j["layers"][l]["name"], w.layers[l].name);
    EXPECT_EQ(j["layers"][l]["pes"], p.table().peLevels[size_t(r.best[l].pe)]);
    EXPECT_EQ(j["layers"][l]["buffer_bytes"], p.table().bufferLevels[size_t(r.best[l].buf)]);
    EXPECT_TRUE(j["layers"][l].contains("cycles"));
    maxPes = std::max<int64_t>(maxPes, j["layers"][l]["pes"].get<int64_t>());
  }
  EXPECT_EQ(j["accelerator"]["pes"], maxPes);
  EXPECT_LE(maxPes, 48);

  SearchResult ex = solveExact(p);
  nlohmann::json je = designJson(p, ex);
  EXPECT_TRUE(je["result"]["proven_optimal"].get<bool>());
  EXPECT_FALSE(je["tradeoff"]["points"].empty());
  EXPECT_THROW(writeTraceCsv("/nonexistent-dir/x.csv", r), SearchError);
}
