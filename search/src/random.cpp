// `random`: uniform random designs, every layer's levels drawn independently (ConfuciuX's
// random-search baseline).
#include "params.h"
#include "search_context.h"

namespace analects::search {

namespace {

SearchResult runRandom(const Problem& problem, const SearchOptions& options) {
  Params(options.params, "random").finish();
  SearchContext ctx(problem, options, "random");
  while (!ctx.exhausted()) ctx.evaluate(randomDesign(problem, ctx.rng()));
  return ctx.finish();
}

}  // namespace

SearchAlgorithmInfo randomAlgorithm() {
  return {"random", "uniform random designs (baseline)", runRandom};
}

}  // namespace analects::search
