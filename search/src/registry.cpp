#include <fmt/format.h>

#include "analects/search/search.h"

namespace analects::search {

// Each algorithm's file defines its entry (name, one-line help, entry point) next to its code.
SearchAlgorithmInfo confuciuxAlgorithm();
SearchAlgorithmInfo reinforceAlgorithm();
SearchAlgorithmInfo gaAlgorithm();
SearchAlgorithmInfo randomAlgorithm();
SearchAlgorithmInfo annealAlgorithm();
SearchAlgorithmInfo tpeAlgorithm();
SearchAlgorithmInfo a2cAlgorithm();
SearchAlgorithmInfo baselineDlaAlgorithm();
SearchAlgorithmInfo exactAlgorithm();
SearchAlgorithmInfo lagrangeAlgorithm();

const std::vector<SearchAlgorithmInfo>& searchAlgorithms() {
  static const std::vector<SearchAlgorithmInfo> algorithms = {
      confuciuxAlgorithm(), reinforceAlgorithm(),   gaAlgorithm(),
      randomAlgorithm(),    annealAlgorithm(),      tpeAlgorithm(),
      a2cAlgorithm(),       baselineDlaAlgorithm(), lagrangeAlgorithm(),
      exactAlgorithm(),
  };
  return algorithms;
}

const char* statusName(SearchStatus s) {
  switch (s) {
    case SearchStatus::Found:
      return "found";
    case SearchStatus::NoFeasible:
      return "no-feasible";
    case SearchStatus::Impossible:
      return "impossible";
    case SearchStatus::Unsupported:
      return "unsupported";
  }
  return "?";
}

SearchResult runSearch(const std::string& name, const Problem& problem,
                       const SearchOptions& options) {
  std::string known;
  for (const auto& a : searchAlgorithms()) {
    if (a.name != name) {
      known += (known.empty() ? "" : ", ") + a.name;
      continue;
    }
    if (options.samples < 0) throw SearchError("the sample budget must be >= 0");
    if (problem.impossibleReason()) {
      SearchResult r;
      r.algorithm = name;
      r.status = SearchStatus::Impossible;
      r.message = *problem.impossibleReason();
      return r;
    }
    return a.run(problem, options);
  }
  throw SearchError(fmt::format("unknown search algorithm '{}' (known: {})", name, known));
}

}  // namespace analects::search
