// `anneal`: simulated annealing with restarts from the best design (basin hopping in spirit,
// ConfuciuX's annealing baseline). A move changes one layer's PE or buffer level by up to
// `max_step` levels (occasionally to a random level). Moves are judged on the relative change
// of the penalized score, at a temperature falling geometrically from t0 to t1 over the
// sample budget. After `restart` samples without a new best the walk jumps back to the best.
#include <algorithm>
#include <cmath>

#include "params.h"
#include "search_context.h"

namespace analects::search {

namespace {

SearchResult runAnneal(const Problem& problem, const SearchOptions& options) {
  Params params(options.params, "anneal");
  double t0 = params.real("t0", 0.1);
  double t1 = params.real("t1", 1e-4);
  int maxStep = params.integer("max_step", 2);
  double jump = params.real("jump", 0.1);
  int restart = params.integer("restart", 300);
  params.finish();
  if (!(t0 > 0) || !(t1 > 0) || maxStep < 1 || restart < 1)
    throw SearchError("anneal: need t0 > 0, t1 > 0, max_step >= 1, restart >= 1");

  SearchContext ctx(problem, options, "anneal");
  Rng& rng = ctx.rng();
  if (ctx.exhausted()) return ctx.finish();
  Design cur = randomDesign(problem, rng);
  double curScore = ctx.evaluate(cur).score;
  Design best = cur;
  double bestScore = curScore;
  int64_t sinceBest = 0;
  const double total = double(std::max<int64_t>(1, ctx.budget()));
  while (!ctx.exhausted()) {
    double frac = double(ctx.used()) / total;
    double temp = t0 * std::pow(t1 / t0, std::min(1.0, frac));
    Design cand = cur;
    size_t l = size_t(rng.below(int(problem.layers())));
    bool knobPe = rng.below(2) == 0;
    int& level = knobPe ? cand[l].pe : cand[l].buf;
    int levels = knobPe ? problem.peLevelCount() : problem.bufferLevelCount();
    if (rng.chance(jump))
      level = rng.below(levels);
    else
      level = std::clamp(level + rng.between(1, maxStep) * (rng.below(2) ? 1 : -1), 0, levels - 1);
    double score = ctx.evaluate(cand).score;
    double ref = std::max(std::abs(curScore), 1e-300);
    double delta = (score - curScore) / ref;
    if (delta <= 0 || rng.uniform() < std::exp(-delta / temp)) {
      cur = std::move(cand);
      curScore = score;
    }
    if (curScore < bestScore) {
      best = cur, bestScore = curScore, sinceBest = 0;
    } else if (++sinceBest >= restart) {
      cur = best, curScore = bestScore, sinceBest = 0;
    }
  }
  return ctx.finish();
}

}  // namespace

SearchAlgorithmInfo annealAlgorithm() {
  return {"anneal", "simulated annealing with restarts from the best design (baseline)", runAnneal};
}

}  // namespace analects::search
