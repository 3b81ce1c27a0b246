// `lagrange`: model-based search that exploits what every objective here shares with
// ConfuciuX's per-layer rewards: a design's objective is a per-layer sum (or, for LP
// throughput, a per-layer maximum), and its constraint is per-layer additive (LP) or set by the
// largest allocation (LS).
//
//   1. Probe: score the uniform designs (every layer at one (PE, buffer) level), one sample
//      each. Each reveals every layer's cost at that level, so after P x B samples the
//      per-layer costs are known. With fewer samples only the probed levels are used.
//   2. Plan on the probed costs (no samples): LP additive - Lagrangian relaxation (bisection
//      on the multiplier(s)), greedy fill of the remaining budget by best marginal gain,
//      pairwise exchange moves and an iterated local search (perturb, repair, refill); LP
//      throughput - bisection on the bottleneck; LS - every
//      accelerator size (cap) within budget with each layer's best point under the cap.
//   3. Score the planned designs (one sample each); the context keeps the best feasible one.
//
// It is an improvement over ConfuciuX kept under its own name (DESIGN.md): `confuciux` stays
// faithful to the paper.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "params.h"
#include "search_context.h"

namespace analects::search {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Point {
  int pe, buf;
  double objective;
  double cost[2];  // LP: the layer's share of each budgeted resource
};

class Planner {
 public:
  Planner(const Problem& pb, const std::vector<std::vector<bool>>& probed, int exchangeRounds,
          int iterations)
      : pb_(pb), exchangeRounds_(exchangeRounds), iterations_(iterations) {
    const int R = pb.resources();
    options_.resize(pb.layers());
    for (size_t l = 0; l < pb.layers(); ++l)
      for (int p = 0; p < pb.peLevelCount(); ++p)
        for (int b = 0; b < pb.bufferLevelCount(); ++b) {
          if (!probed[size_t(p)][size_t(b)] || !pb.pointFeasible(l, p, b)) continue;
          Point pt{p, b, pb.objectiveTerm(l, p, b), {0, 0}};
          if (pb.isLP())
            for (int r = 0; r < R; ++r) pt.cost[r] = pb.constraintTerm(l, p, b, r);
          options_[l].push_back(pt);
        }
  }

  bool everyLayerHasOptions() const {
    for (const auto& o : options_)
      if (o.empty()) return false;
    return true;
  }

  // Candidate designs, best first by planned objective.
  std::vector<Design> plan(Rng& rng) {
    if (!pb_.isLP()) return planLayerSequential();
    if (pb_.bottleneckObjective()) return {planBottleneck()};
    return planAdditive(rng);
  }

 private:
  // --- LP, additive objective -----------------------------------------------------------
  // A selection (one option per layer) with its resource sums kept up to date.
  struct Pick {
    std::vector<int> option;
    double sum[2] = {0, 0};
    double objective = 0;
  };
  Pick makePick(const std::vector<int>& option) const {
    Pick p;
    p.option = option;
    for (size_t l = 0; l < option.size(); ++l) {
      const Point& pt = options_[l][size_t(option[l])];
      p.objective += pt.objective;
      for (int r = 0; r < pb_.resources(); ++r) p.sum[r] += pt.cost[r];
    }
    return p;
  }
  // Budget use after moving layer l to option i (1 = exactly at the budget).
  double useAfter(const Pick& p, size_t l, int i) const {
    const Point& cur = options_[l][size_t(p.option[l])];
    const Point& nxt = options_[l][size_t(i)];
    double use = 0;
    for (int r = 0; r < pb_.resources(); ++r)
      use = std::max(use, (p.sum[r] - cur.cost[r] + nxt.cost[r]) / pb_.budget(r));
    return use;
  }
  double useOf(const Pick& p) const {
    double use = 0;
    for (int r = 0; r < pb_.resources(); ++r) use = std::max(use, p.sum[r] / pb_.budget(r));
    return use;
  }
  void move(Pick& p, size_t l, int i) const {
    const Point& cur = options_[l][size_t(p.option[l])];
    const Point& nxt = options_[l][size_t(i)];
    p.objective += nxt.objective - cur.objective;
    for (int r = 0; r < pb_.resources(); ++r) p.sum[r] += nxt.cost[r] - cur.cost[r];
    p.option[l] = i;
  }
  // Each layer's argmin of objective + sum_r lambda_r * cost_r / budget_r.
  std::vector<int> relaxed(const double lambda[2]) const {
    std::vector<int> pick(options_.size());
    for (size_t l = 0; l < options_.size(); ++l) {
      double best = kInf;
      for (size_t i = 0; i < options_[l].size(); ++i) {
        const Point& pt = options_[l][i];
        double v = pt.objective;
        for (int r = 0; r < pb_.resources(); ++r) v += lambda[r] * pt.cost[r] / pb_.budget(r);
        if (v < best) best = v, pick[l] = int(i);
      }
    }
    return pick;
  }

  // Over budget: repeatedly the change that frees the most budget per objective lost.
  void repair(Pick& p) const {
    // Each move frees budget; the bound guards against rounding in the running sums.
    for (size_t guard = 0; useOf(p) > 1 && guard < 4 * options_.size() * 256; ++guard) {
      const double use = useOf(p);
      double bestRatio = -1;
      size_t bestLayer = 0;
      int bestOption = -1;
      for (size_t l = 0; l < options_.size(); ++l)
        for (size_t i = 0; i < options_[l].size(); ++i) {
          double freed = use - useAfter(p, l, int(i));
          if (freed <= 1e-9) continue;
          double loss = options_[l][i].objective - options_[l][size_t(p.option[l])].objective;
          double ratio = freed / std::max(loss, 1e-12);
          if (ratio > bestRatio) bestRatio = ratio, bestLayer = l, bestOption = int(i);
        }
      if (bestOption < 0) return;
      move(p, bestLayer, bestOption);
      p = makePick(p.option);  // exact sums, no drift
    }
  }

  // Spends leftover budget: repeatedly the single-layer change with the best objective gain
  // per unit of budget that still fits.
  void greedyFill(Pick& p) const {
    for (;;) {
      const double use = useOf(p);
      double bestRatio = 0;
      size_t bestLayer = 0;
      int bestOption = -1;
      for (size_t l = 0; l < options_.size(); ++l) {
        const double cur = options_[l][size_t(p.option[l])].objective;
        for (size_t i = 0; i < options_[l].size(); ++i) {
          double gain = cur - options_[l][i].objective;
          if (gain <= 0) continue;
          double newUse = useAfter(p, l, int(i));
          if (newUse > 1) continue;
          double ratio = gain / std::max(newUse - use, 1e-12);
          if (ratio > bestRatio) bestRatio = ratio, bestLayer = l, bestOption = int(i);
        }
      }
      if (bestOption < 0) return;
      move(p, bestLayer, bestOption);
    }
  }

  // Pairwise exchange: move one layer to another point and, if that breaks or frees budget,
  // change a second layer; keep the best improving pair, until none improves.
  void exchange(Pick& p) const {
    for (int round = 0; round < exchangeRounds_; ++round) {
      bool improved = false;
      for (size_t a = 0; a < options_.size(); ++a)
        for (size_t i = 0; i < options_[a].size(); ++i) {
          if (int(i) == p.option[a]) continue;
          const double tol = 1e-12 * std::fabs(p.objective);
          const int oldA = p.option[a];
          move(p, a, int(i));
          double bestObjective = useOf(p) <= 1 ? p.objective : kInf;
          size_t bestB = a;
          int bestJ = -1;
          for (size_t b = 0; b < options_.size(); ++b) {
            if (b == a) continue;
            const double curB = options_[b][size_t(p.option[b])].objective;
            for (size_t j = 0; j < options_[b].size(); ++j) {
              const double obj = p.objective - curB + options_[b][j].objective;
              if (obj >= bestObjective) continue;
              if (useAfter(p, b, int(j)) <= 1) bestObjective = obj, bestB = b, bestJ = int(j);
            }
          }
          move(p, a, oldA);
          if (bestObjective < p.objective - tol) {
            move(p, a, int(i));
            if (bestJ >= 0) move(p, bestB, bestJ);
            improved = true;
          }
        }
      if (!improved) return;
    }
  }

  // Iterated local search: perturb a few layers, repair, refill; keep improvements.
  void iterate(Pick& best, Rng& rng) const {
    Pick cur = best;
    for (int it = 0; it < iterations_; ++it) {
      Pick trial = cur;
      const int changes = 1 + rng.below(3);
      for (int c = 0; c < changes; ++c) {
        size_t l = size_t(rng.below(int(options_.size())));
        move(trial, l, rng.below(int(options_[l].size())));
      }
      repair(trial);
      greedyFill(trial);
      if (useOf(trial) > 1) continue;
      if (trial.objective < cur.objective) cur = trial;
      if (cur.objective < best.objective) best = cur;
    }
  }

  Design toDesign(const Pick& p) const {
    Design d(p.option.size());
    for (size_t l = 0; l < p.option.size(); ++l)
      d[l] = LayerLevels{options_[l][size_t(p.option[l])].pe, options_[l][size_t(p.option[l])].buf};
    return d;
  }

  std::vector<Design> planAdditive(Rng& rng) {
    const int R = pb_.resources();
    // Bisect each multiplier on a log scale (the other fixed) for the smallest that fits;
    // for two resources alternate a few times.
    double lambda[2] = {0, 0};
    auto fitsWith = [&](const double* lam) { return useOf(makePick(relaxed(lam))) <= 1; };
    double scale = 0;
    for (const auto& o : options_) {
      double mx = 0;
      for (const auto& pt : o) mx = std::max(mx, pt.objective);
      scale += mx;
    }
    scale = std::max(scale, 1e-12);
    for (int sweep = 0; sweep < (R > 1 ? 4 : 1); ++sweep)
      for (int r = 0; r < R; ++r) {
        double lam[2] = {lambda[0], lambda[1]};
        lam[r] = 0;
        if (fitsWith(lam)) {
          lambda[r] = 0;
          continue;
        }
        double lo = 0, hi = scale;
        lam[r] = hi;
        for (int grow = 0; grow < 60 && !fitsWith(lam); ++grow) lam[r] = hi *= 4;
        for (int it = 0; it < 80; ++it) {
          lam[r] = 0.5 * (lo + hi);
          if (fitsWith(lam)) hi = lam[r]; else lo = lam[r];
        }
        lambda[r] = hi;
      }
    Pick p = makePick(relaxed(lambda));
    repair(p);  // two resources: no multiplier pair may fit on its own
    std::vector<Design> out;
    out.push_back(toDesign(p));  // the relaxation's own answer
    greedyFill(p);
    exchange(p);
    greedyFill(p);
    iterate(p, rng);
    exchange(p);
    out.push_back(toDesign(p));
    std::reverse(out.begin(), out.end());  // most refined first
    return out;
  }

  // --- LP, bottleneck (throughput) ---------------------------------------------------------
  Design planBottleneck() {
    std::vector<double> targets;
    for (const auto& o : options_)
      for (const auto& pt : o) targets.push_back(pt.objective);
    std::sort(targets.begin(), targets.end());
    targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
    // For a target, each layer takes its cheapest point at or below it.
    auto pickFor = [&](double t, std::vector<int>& pick) {
      pick.assign(options_.size(), -1);
      for (size_t l = 0; l < options_.size(); ++l) {
        double best = kInf;
        for (size_t i = 0; i < options_[l].size(); ++i) {
          const Point& pt = options_[l][i];
          if (pt.objective > t) continue;
          double c = 0;
          for (int r = 0; r < pb_.resources(); ++r) c = std::max(c, pt.cost[r] / pb_.budget(r));
          if (c < best) best = c, pick[l] = int(i);
        }
        if (pick[l] < 0) return false;
      }
      return useOf(makePick(pick)) <= 1;
    };
    size_t lo = 0, hi = targets.size();
    std::vector<int> pick;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (pickFor(targets[mid], pick)) hi = mid; else lo = mid + 1;
    }
    if (lo == targets.size()) lo = targets.size() - 1;
    pickFor(targets[lo], pick);
    for (auto& p : pick) p = std::max(p, 0);
    return toDesign(makePick(pick));
  }

  // --- LS: the accelerator's size is the cap ------------------------------------------------
  std::vector<Design> planLayerSequential() {
    struct Candidate { double objective; Design design; };
    std::vector<Candidate> candidates;
    for (int cp = 0; cp < pb_.peLevelCount(); ++cp)
      for (int cb = 0; cb < pb_.bufferLevelCount(); ++cb) {
        bool fits = true;
        for (int r = 0; r < pb_.resources(); ++r) fits = fits && pb_.capValue(cp, cb, r) <= pb_.budget(r);
        if (!fits) continue;
        Design d(options_.size());
        double total = 0;
        bool ok = true;
        for (size_t l = 0; l < options_.size() && ok; ++l) {
          double best = kInf;
          for (const auto& pt : options_[l])
            if (pt.pe <= cp && pt.buf <= cb && pt.objective < best)
              best = pt.objective, d[l] = LayerLevels{pt.pe, pt.buf};
          ok = best < kInf;
          total += best;
        }
        if (ok) candidates.push_back({total, std::move(d)});
      }
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate& a, const Candidate& b) { return a.objective < b.objective; });
    std::vector<Design> out;
    for (size_t i = 0; i < candidates.size() && i < 3; ++i) out.push_back(candidates[i].design);
    return out;
  }

  const Problem& pb_;
  int exchangeRounds_, iterations_;
  std::vector<std::vector<Point>> options_;
};

SearchResult runLagrange(const Problem& problem, const SearchOptions& options) {
  Params params(options.params, "lagrange");
  const int exchangeRounds = params.integer("exchange_rounds", 4);
  const int iterations = params.integer("iterations", 400);
  params.finish();
  if (exchangeRounds < 0) throw SearchError("lagrange: exchange_rounds must be >= 0");
  if (iterations < 0) throw SearchError("lagrange: iterations must be >= 0");
  SearchContext ctx(problem, options, "lagrange");
  const int P = problem.peLevelCount(), B = problem.bufferLevelCount();
  std::vector<std::vector<bool>> probed(size_t(P), std::vector<bool>(size_t(B), false));
  // Probe large levels first (the designs most likely to be fast), then smaller ones.
  int64_t start = ctx.used();
  for (int p = P - 1; p >= 0 && !ctx.exhausted(); --p)
    for (int b = B - 1; b >= 0 && !ctx.exhausted(); --b) {
      ctx.evaluate(Design(problem.layers(), LayerLevels{p, b}));
      probed[size_t(p)][size_t(b)] = true;
    }
  ctx.addStage("probe", start);
  start = ctx.used();
  Planner planner(problem, probed, exchangeRounds, iterations);
  if (planner.everyLayerHasOptions()) {
    for (const Design& d : planner.plan(ctx.rng())) {
      if (ctx.exhausted()) break;
      ctx.evaluate(d);
    }
  }
  ctx.addStage("plan", start);
  return ctx.finish();
}

}  // namespace

SearchAlgorithmInfo lagrangeAlgorithm() {
  return {"lagrange",
          "probe per-layer costs with uniform designs, then Lagrangian relaxation, greedy fill "
          "and exchange moves (improved, not the paper's method)",
          runLagrange};
}

}  // namespace analects::search
