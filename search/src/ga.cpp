// `ga`: a plain genetic algorithm, ConfuciuX's GA baseline: population 50 of random designs,
// binary tournament selection, one-point crossover on the gene string (pe_0, buf_0, pe_1,
// buf_1, ...), per-gene mutation with probability 0.05 to a random level, one elite.
#include <algorithm>

#include "params.h"
#include "search_context.h"

namespace analects::search {

namespace {

SearchResult runGa(const Problem& problem, const SearchOptions& options) {
  Params params(options.params, "ga");
  int population = params.integer("population", 50);
  double mutation = params.real("mutation", 0.05);
  double crossover = params.real("crossover", 1.0);
  int tournament = params.integer("tournament", 2);
  int elite = params.integer("elite", 1);
  params.finish();
  if (population < 2 || tournament < 1 || elite < 0 || elite >= population)
    throw SearchError("ga: need population >= 2, tournament >= 1, 0 <= elite < population");

  SearchContext ctx(problem, options, "ga");
  Rng& rng = ctx.rng();
  const int genes = int(2 * problem.layers());
  auto gene = [](Design& d, int g) -> int& {
    return g % 2 ? d[size_t(g / 2)].buf : d[size_t(g / 2)].pe;
  };
  auto levels = [&](int g) { return g % 2 ? problem.bufferLevelCount() : problem.peLevelCount(); };

  std::vector<Design> pop, next;
  std::vector<double> fit, nextFit;
  for (int i = 0; i < population && !ctx.exhausted(); ++i) {
    pop.push_back(randomDesign(problem, rng));
    fit.push_back(ctx.evaluate(pop.back()).score);
  }
  auto pick = [&]() {
    int best = rng.below(int(pop.size()));
    for (int k = 1; k < tournament; ++k) {
      int c = rng.below(int(pop.size()));
      if (fit[size_t(c)] < fit[size_t(best)]) best = c;
    }
    return best;
  };
  std::vector<int> order;
  while (!ctx.exhausted()) {
    order.resize(pop.size());
    for (size_t i = 0; i < pop.size(); ++i) order[i] = int(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return fit[size_t(a)] < fit[size_t(b)]; });
    next.clear(), nextFit.clear();
    for (int e = 0; e < elite && e < int(pop.size()); ++e) {
      next.push_back(pop[size_t(order[size_t(e)])]);
      nextFit.push_back(fit[size_t(order[size_t(e)])]);
    }
    while (int(next.size()) < population && !ctx.exhausted()) {
      Design child = pop[size_t(pick())];
      if (genes > 1 && rng.chance(crossover)) {
        Design& other = pop[size_t(pick())];
        int cut = rng.between(1, genes - 1);
        for (int g = cut; g < genes; ++g) gene(child, g) = gene(other, g);
      }
      for (int g = 0; g < genes; ++g)
        if (rng.chance(mutation)) gene(child, g) = rng.below(levels(g));
      nextFit.push_back(ctx.evaluate(child).score);
      next.push_back(std::move(child));
    }
    pop.swap(next);
    fit.swap(nextFit);
  }
  return ctx.finish();
}

}  // namespace

SearchAlgorithmInfo gaAlgorithm() {
  return {"ga",
          "genetic algorithm: population 50, one-point crossover, per-gene mutation 0.05 "
          "(baseline)",
          runGa};
}

}  // namespace analects::search
