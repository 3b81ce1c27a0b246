// Exact solver: proves the optimum where the problem's structure allows it.
//   LP, additive objective (latency, energy, EDP), one additive resource: a multiple-choice
//     knapsack, solved by a Pareto-frontier dynamic program over the layers.
//   LP, throughput (bottleneck stage), one resource: the optimum bottleneck is one of the
//     per-layer cycle counts; a sweep over them in order gives it and the whole curve.
//   LS, any objective and budget: the constraint depends only on the shared accelerator's
//     (PE level, buffer level) cap, so enumerate the caps and take each layer's best point
//     within the cap.
// LP with a two-resource (PEs and buffer) budget is a 2-D knapsack and is not supported.
#pragma once

#include <string>

#include "analects/search/search.h"

namespace analects::search {

struct ExactOptions {
  // Keep frontier points above the budget too, so the trade-off curve covers every budget up
  // to the largest design (slower; the optimum is the same).
  bool fullCurve = false;
};

// Returns status Found (provenOptimal), Impossible, or Unsupported with a message saying why.
SearchResult solveExact(const Problem& problem, const ExactOptions& options = {});
// Whether solveExact handles this problem; `why` says why not.
bool exactSupported(const Problem& problem, std::string* why = nullptr);

}  // namespace analects::search
