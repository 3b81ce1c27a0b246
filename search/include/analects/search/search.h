// Search algorithms: one interface, registered by name with a one-line description.
// Every algorithm gets the same Problem, a sample budget counted in full design evaluations
// (one evaluation = one complete per-layer allocation scored), and a seed; it returns the best
// design (model order, re-evaluated) and a convergence trace.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "analects/search/problem.h"

namespace analects::search {

struct SearchOptions {
  int64_t samples = 500;        // full design evaluations the algorithm may spend
  uint64_t seed = 1;            // every random choice comes from std::mt19937_64(seed)
  double timeLimitSeconds = 0;  // 0 = none; a limit makes results depend on machine speed
  // Algorithm hyperparameters as key=value (e.g. {"population", "20"}); an unknown key is an
  // error that lists the known ones.
  std::map<std::string, std::string> params;
  // Called as samples are spent (about every 1 % of the budget and at the end of a stage),
  // with samples used, the budget and the best feasible objective so far (NaN before any).
  // For progress bars; it must not affect the search.
  std::function<void(int64_t used, int64_t budget, double best)> progress;
};

enum class SearchStatus {
  Found,        // a design meets the budget
  NoFeasible,   // the sample budget ran out before any design met the budget
  Impossible,   // no design can meet the budget (Problem::impossibleReason)
  Unsupported,  // the algorithm does not handle this problem kind (exact only)
};
const char* statusName(SearchStatus s);

struct TracePoint {
  int64_t samples = 0;       // evaluations spent when this best was found
  double bestObjective = 0;  // best feasible objective so far
  double seconds = 0;        // wall time since the search started
};

// A stage of a multi-stage algorithm (ConfuciuX: RL, then GA), for reports.
struct StageResult {
  std::string name;
  int64_t samples = 0;  // evaluations the stage spent
  double seconds = 0;   // wall time the stage took
  bool found = false;
  double bestObjective = 0;  // best feasible objective at the end of the stage
  Design best;
};

// A point of the exact budget-vs-objective trade-off curve.
struct TradeoffPoint {
  double constraint = 0;  // budget use for two-resource budgets, else the constraint value
  double objective = 0;   // the proven optimum for this budget
};

struct SearchResult {
  std::string algorithm;
  SearchStatus status = SearchStatus::NoFeasible;
  std::string message;
  Design best;                    // model order; empty when nothing was evaluated
  Evaluation bestEval;            // best re-evaluated by Problem::evaluate
  std::vector<TracePoint> trace;  // one point per improvement, plus the final one
  std::vector<StageResult> stages;
  int64_t samplesUsed = 0;
  double seconds = 0;
  bool provenOptimal = false;           // exact only
  std::vector<TradeoffPoint> tradeoff;  // exact only: Pareto curve up to the budget
};

struct SearchAlgorithmInfo {
  std::string name;
  std::string description;
  std::function<SearchResult(const Problem&, const SearchOptions&)> run;
};

// The registry, in listing order.
const std::vector<SearchAlgorithmInfo>& searchAlgorithms();
// Throws SearchError for an unknown name (listing the known ones) or a bad parameter. A
// problem with an impossible budget returns status Impossible without spending samples.
SearchResult runSearch(const std::string& name, const Problem& problem,
                       const SearchOptions& options);

}  // namespace analects::search
