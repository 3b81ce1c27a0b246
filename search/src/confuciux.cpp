// `confuciux`: REINFORCE (reinforce.cpp) for 2/3 of the sample budget, then GA fine-tuning
// seeded with the RL stage's best design for the rest (ConfuciuX, MICRO 2020).
//
// GA stage, as in ConfuciuX's public code: a population of 20, all copies of the seed; each
// generation the 8 best are parents; child i starts as a copy of parent i mod 8 and gets up to
// 3 budget-checked mutations (a random layer and knob moves by a bounded number of levels; a
// move that breaks the budget or lands on a point the cost model rejects is undone); with
// probability 0.2 two layers of a child swap one knob; the best individual is kept as is.
// Differences on purpose: every design stays in model order and the reported best is
// re-evaluated (ConfuciuX scored the GA in the last RL episode's shuffled order); the elite is
// not re-scored (its score is known), so a generation costs population - elite samples; a
// design over budget gets a finite penalty instead of -inf. If the RL stage found no design
// within budget the GA starts from the problem's least-budget design.
#include <algorithm>
#include <numeric>

#include "rl_agents.h"

namespace analects::search {

namespace {

struct GaStageConfig {
  int population = 20;
  int parents = 8;
  int mutations = 3;      // budget-checked mutation attempts per child
  int maxStep = 2;        // a mutation moves a level by 1..maxStep up or down
  double swapProb = 0.2;  // chance a child swaps one knob between two of its layers
  int elite = 1;
  double rlShare = 2.0 / 3.0;

  static GaStageConfig read(Params& p) {
    GaStageConfig c;
    c.population = p.integer("population", c.population);
    c.parents = p.integer("parents", c.parents);
    c.mutations = p.integer("mutations", c.mutations);
    c.maxStep = p.integer("max_step", c.maxStep);
    c.swapProb = p.real("swap_prob", c.swapProb);
    c.elite = p.integer("elite", c.elite);
    c.rlShare = p.real("rl_share", c.rlShare);
    if (c.population < 2 || c.parents < 1 || c.parents > c.population || c.elite < 0 ||
        c.elite >= c.population || c.mutations < 0 || c.maxStep < 1 || c.rlShare < 0 ||
        c.rlShare > 1)
      throw SearchError(
          "confuciux: need population >= 2, 1 <= parents <= population, "
          "0 <= elite < population, mutations >= 0, max_step >= 1, "
          "rl_share in [0, 1]");
    return c;
  }
};

// One mutation attempt on `child` whose budget use is `use`; returns whether it was kept.
bool mutateOnce(const Problem& problem, Rng& rng, Design& child, double& use, int maxStep) {
  size_t l = size_t(rng.below(int(problem.layers())));
  bool knobPe = rng.below(2) == 0;
  int& level = knobPe ? child[l].pe : child[l].buf;
  int top = (knobPe ? problem.peLevelCount() : problem.bufferLevelCount()) - 1;
  int step = rng.between(1, maxStep) * (rng.below(2) == 0 ? -1 : 1);
  int old = level;
  level = std::clamp(old + step, 0, top);
  if (level == old) return false;
  double newUse = problem.budgetUse(child);
  // Keep the move if the point runs and the budget still holds (or, for a seed that is over
  // budget, does not get worse).
  if (problem.pointFeasible(l, child[l].pe, child[l].buf) &&
      newUse <= std::max(1.0, use) * (1 + 1e-12)) {
    use = newUse;
    return true;
  }
  level = old;
  return false;
}

void gaFineTune(SearchContext& ctx, const Design& seed, const GaStageConfig& cfg) {
  const Problem& problem = ctx.problem();
  Rng& rng = ctx.rng();
  const int P = cfg.population;
  // The seed was scored in the RL stage (or is the least-budget design): no sample spent.
  double seedScore = problem.evaluate(seed).score;
  const size_t n = static_cast<size_t>(P);
  std::vector<Design> pop(n, seed), next(n);
  std::vector<double> fitness(n, seedScore), nextFitness(n);
  std::vector<int> order(n);
  while (!ctx.exhausted()) {
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return fitness[size_t(a)] < fitness[size_t(b)]; });
    const int nParents = cfg.parents;
    for (int i = 0; i < P; ++i) {
      const int parent = order[size_t(i % nParents)];
      Design& child = next[size_t(i)];
      child = pop[size_t(parent)];
      nextFitness[size_t(i)] = fitness[size_t(parent)];
      if (i < cfg.elite) {
        child = pop[size_t(order[size_t(i)])];  // elites: the best, unchanged
        nextFitness[size_t(i)] = fitness[size_t(order[size_t(i)])];
        continue;
      }
      double use = problem.budgetUse(child);
      for (int m = 0; m < cfg.mutations; ++m) mutateOnce(problem, rng, child, use, cfg.maxStep);
    }
    for (int i = cfg.elite; i < P; ++i) {
      if (!rng.chance(cfg.swapProb)) continue;
      Design& child = next[size_t(i)];
      size_t a = size_t(rng.below(int(problem.layers())));
      size_t b = size_t(rng.below(int(problem.layers())));
      if (rng.below(2) == 0)
        std::swap(child[a].pe, child[b].pe);
      else
        std::swap(child[a].buf, child[b].buf);
    }
    for (int i = cfg.elite; i < P; ++i) {
      if (ctx.exhausted()) {
        nextFitness[size_t(i)] = problem.scoreOf(0, 2, 1);  // never scored: ranks last
        continue;
      }
      nextFitness[size_t(i)] = ctx.evaluate(next[size_t(i)]).score;
    }
    pop.swap(next);
    fitness.swap(nextFitness);
  }
}

SearchResult runConfuciux(const Problem& problem, const SearchOptions& options) {
  Params params(options.params, "confuciux");
  ReinforceConfig rl = ReinforceConfig::read(params);
  GaStageConfig ga = GaStageConfig::read(params);
  params.finish();
  SearchContext ctx(problem, options, "confuciux");
  int64_t rlEpisodes = int64_t(double(ctx.budget()) * ga.rlShare);
  trainReinforce(ctx, rl, rlEpisodes);
  ctx.addStage("rl", 0);
  int64_t gaStart = ctx.used();
  Design seed = ctx.found() ? ctx.best() : problem.minimalDesign();
  gaFineTune(ctx, seed, ga);
  ctx.addStage("ga", gaStart);
  return ctx.finish();
}

}  // namespace

SearchAlgorithmInfo confuciuxAlgorithm() {
  return {"confuciux",
          "ConfuciuX: REINFORCE with an LSTM policy (2/3 of the samples), then GA fine-tuning "
          "seeded with its best design",
          runConfuciux};
}

}  // namespace analects::search
