// `baseline-dla`: the best single uniform allocation, every layer at the same (PE level,
// buffer level) — a fixed accelerator like NVDLA's, the "baseline" row of ConfuciuX's tables.
// Tries every pair (one sample each), largest PE level first, until the samples run out.
#include "params.h"
#include "search_context.h"

namespace analects::search {

namespace {

SearchResult runBaselineDla(const Problem& problem, const SearchOptions& options) {
  Params(options.params, "baseline-dla").finish();
  SearchContext ctx(problem, options, "baseline-dla");
  for (int p = problem.peLevelCount() - 1; p >= 0; --p)
    for (int b = problem.bufferLevelCount() - 1; b >= 0; --b) {
      if (ctx.exhausted()) return ctx.finish();
      ctx.evaluate(Design(problem.layers(), LayerLevels{p, b}));
    }
  return ctx.finish();
}

}  // namespace

SearchAlgorithmInfo baselineDlaAlgorithm() {
  return {"baseline-dla",
          "best uniform allocation: one (PE, buffer) level for every layer that fits (baseline)",
          runBaselineDla};
}

}  // namespace analects::search
