// `exact`: the referee. See include/analects/search/exact.h for the three cases.
#include "analects/search/exact.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "params.h"

namespace analects::search {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Point {
  double c, o;
};

// Keeps the points no other point beats in both coordinates, sorted by c ascending.
std::vector<TradeoffPoint> paretoCurve(std::vector<Point> pts, double limit) {
  std::sort(pts.begin(), pts.end(),
            [](const Point& a, const Point& b) { return a.c < b.c || (a.c == b.c && a.o < b.o); });
  std::vector<TradeoffPoint> out;
  double last = kInf;
  for (const auto& p : pts)
    if (p.c <= limit && p.o < last) {
      out.push_back({p.c, p.o});
      last = p.o;
    }
  return out;
}

// LS: the constraint is a function of the cap (largest PE level, largest buffer level), so
// for every cap each layer independently takes its best point within the cap.
bool solveLayerSequential(const Problem& pb, const ExactOptions& opt, Design& best,
                          std::vector<TradeoffPoint>& curve) {
  const int np = pb.peLevelCount(), nb = pb.bufferLevelCount();
  const size_t L = pb.layers();
  auto at = [&](size_t l, int p, int b) {
    return (l * size_t(np) + size_t(p)) * size_t(nb) + size_t(b);
  };
  std::vector<double> bestTerm(L * size_t(np * nb), kInf);
  std::vector<LayerLevels> arg(bestTerm.size());
  for (size_t l = 0; l < L; ++l)
    for (int p = 0; p < np; ++p)
      for (int b = 0; b < nb; ++b) {
        double t = kInf;
        LayerLevels a{p, b};
        if (p > 0 && bestTerm[at(l, p - 1, b)] < t)
          t = bestTerm[at(l, p - 1, b)], a = arg[at(l, p - 1, b)];
        if (b > 0 && bestTerm[at(l, p, b - 1)] < t)
          t = bestTerm[at(l, p, b - 1)], a = arg[at(l, p, b - 1)];
        if (pb.pointFeasible(l, p, b) && pb.objectiveTerm(l, p, b) < t)
          t = pb.objectiveTerm(l, p, b), a = LayerLevels{p, b};
        bestTerm[at(l, p, b)] = t;
        arg[at(l, p, b)] = a;
      }
  bool found = false;
  Evaluation bestEval;
  std::vector<Point> pts;
  Design d(L);
  for (int P = 0; P < np; ++P)
    for (int B = 0; B < nb; ++B) {
      bool all = true;
      for (size_t l = 0; l < L && all; ++l) {
        all = bestTerm[at(l, P, B)] < kInf;
        d[l] = arg[at(l, P, B)];
      }
      if (!all) continue;
      Evaluation e = pb.evaluate(d);
      pts.push_back({pb.resources() == 2 ? e.budgetUse : e.constraint, e.objective});
      if (!e.feasible) continue;
      if (!found || e.objective < bestEval.objective ||
          (e.objective == bestEval.objective && e.budgetUse < bestEval.budgetUse)) {
        found = true, best = d, bestEval = e;
      }
    }
  double limit = opt.fullCurve ? kInf : (pb.resources() == 2 ? 1 + 1e-9 : pb.budget() * (1 + 1e-9));
  curve = paretoCurve(std::move(pts), limit);
  return found;
}

// LP, additive objective and resource: multiple-choice knapsack by a Pareto-frontier DP.
bool solveKnapsack(const Problem& pb, const ExactOptions& opt, Design& best,
                   std::vector<TradeoffPoint>& curve) {
  const int np = pb.peLevelCount(), nb = pb.bufferLevelCount();
  const size_t L = pb.layers();
  struct Option {
    double c, o;
    LayerLevels at;
  };
  struct Node {
    double c, o;
    int parent, option;
  };
  const double limit = opt.fullCurve ? kInf : pb.budget() * (1 + 1e-9);
  std::vector<std::vector<Option>> options(L);
  for (size_t l = 0; l < L; ++l) {
    std::vector<Option> all;
    for (int p = 0; p < np; ++p)
      for (int b = 0; b < nb; ++b)
        if (pb.pointFeasible(l, p, b))
          all.push_back({pb.constraintTerm(l, p, b), pb.objectiveTerm(l, p, b), {p, b}});
    std::sort(all.begin(), all.end(), [](const Option& a, const Option& b) {
      return a.c < b.c || (a.c == b.c && a.o < b.o);
    });
    double last = kInf;
    for (const auto& o : all)
      if (o.o < last) options[l].push_back(o), last = o.o;  // drop dominated options
  }
  // Each layer: the frontier shifted by each option is already sorted and Pareto; merging
  // them pairwise with a sweep keeps the step linear in the frontier size.
  auto less = [](const Node& a, const Node& b) { return a.c < b.c || (a.c == b.c && a.o < b.o); };
  std::vector<std::vector<Node>> frontier(L + 1);
  frontier[0].push_back({0, 0, -1, -1});
  std::vector<Node> merged, shifted, swept;
  for (size_t l = 0; l < L; ++l) {
    const auto& F = frontier[l];
    merged.clear();
    for (int j = 0; j < int(options[l].size()); ++j) {
      const Option& op = options[l][size_t(j)];
      shifted.clear();
      for (int i = 0; i < int(F.size()); ++i) {
        double c = F[size_t(i)].c + op.c;
        if (c > limit) break;  // the frontier is sorted by c
        shifted.push_back({c, F[size_t(i)].o + op.o, i, j});
      }
      swept.clear();
      double last = kInf;
      size_t a = 0, b = 0;
      while (a < merged.size() || b < shifted.size()) {
        const Node& n = (b == shifted.size() || (a < merged.size() && !less(shifted[b], merged[a])))
                            ? merged[a++]
                            : shifted[b++];
        if (n.o < last) swept.push_back(n), last = n.o;
      }
      merged.swap(swept);
    }
    if (merged.empty()) return false;
    frontier[l + 1] = merged;
  }
  const auto& F = frontier[L];
  std::vector<Point> pts;
  pts.reserve(F.size());
  int bestIdx = -1;
  for (int i = 0; i < int(F.size()); ++i) {
    pts.push_back({F[size_t(i)].c, F[size_t(i)].o});
    if (Problem::fits(F[size_t(i)].c / pb.budget())) bestIdx = i;  // last fitting = lowest o
  }
  curve = paretoCurve(std::move(pts), limit);
  if (bestIdx < 0) return false;
  best.assign(L, LayerLevels{});
  int idx = bestIdx;
  for (size_t l = L; l-- > 0;) {
    const Node& n = frontier[l + 1][size_t(idx)];
    best[l] = options[l][size_t(n.option)].at;
    idx = n.parent;
  }
  return true;
}

// LP throughput: minimize the bottleneck stage. For a threshold T every layer takes its
// cheapest point with cycles <= T; feasibility is monotone in T, so the optimum is the least
// feasible per-layer cycle count.
bool solveBottleneck(const Problem& pb, const ExactOptions& opt, Design& best,
                     std::vector<TradeoffPoint>& curve) {
  const int np = pb.peLevelCount(), nb = pb.bufferLevelCount();
  const size_t L = pb.layers();
  struct Option {
    double t, c;
    size_t layer;
    LayerLevels at;
  };
  std::vector<Option> all;
  for (size_t l = 0; l < L; ++l)
    for (int p = 0; p < np; ++p)
      for (int b = 0; b < nb; ++b)
        if (pb.pointFeasible(l, p, b))
          all.push_back({pb.objectiveTerm(l, p, b), pb.constraintTerm(l, p, b), l, {p, b}});
  std::sort(all.begin(), all.end(), [](const Option& a, const Option& b) {
    return a.t < b.t || (a.t == b.t && (a.c < b.c || (a.c == b.c && a.layer < b.layer)));
  });
  // Design and its resource sum for threshold T, summed in model order like Problem::evaluate.
  auto designAt = [&](double T, Design& d) {
    std::vector<double> minC(L, kInf), minT(L, kInf);
    d.assign(L, LayerLevels{});
    for (const auto& o : all) {
      if (o.t > T) break;
      if (o.c < minC[o.layer] || (o.c == minC[o.layer] && o.t < minT[o.layer]))
        minC[o.layer] = o.c, minT[o.layer] = o.t, d[o.layer] = o.at;
    }
    double sum = 0;
    for (size_t l = 0; l < L; ++l) sum += minC[l];
    return sum;
  };
  std::vector<double> thresholds;
  for (const auto& o : all)
    if (thresholds.empty() || o.t != thresholds.back()) thresholds.push_back(o.t);

  // Curve: sweep thresholds upwards with running per-layer minima.
  {
    std::vector<double> minC(L, kInf);
    size_t covered = 0, i = 0;
    double sum = 0;
    std::vector<Point> pts;
    for (double T : thresholds) {
      for (; i < all.size() && all[i].t <= T; ++i) {
        const auto& o = all[i];
        if (o.c < minC[o.layer]) {
          if (minC[o.layer] == kInf)
            ++covered, sum += o.c;
          else
            sum += o.c - minC[o.layer];
          minC[o.layer] = o.c;
        }
      }
      if (covered == L) pts.push_back({sum, T});
    }
    double limit = opt.fullCurve ? kInf : pb.budget() * (1 + 1e-9);
    curve = paretoCurve(std::move(pts), limit);
  }
  // Optimum: binary search on the sorted thresholds.
  size_t lo = 0, hi = thresholds.size();
  Design d;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (Problem::fits(designAt(thresholds[mid], d) / pb.budget()))
      hi = mid;
    else
      lo = mid + 1;
  }
  if (lo == thresholds.size()) return false;
  designAt(thresholds[lo], best);
  return true;
}

}  // namespace

bool exactSupported(const Problem& problem, std::string* why) {
  if (problem.isLP() && problem.resources() == 2) {
    if (why)
      *why =
          "exact: LP with a PEs-and-buffer budget is a two-dimensional knapsack, which the "
          "exact solver does not handle; use confuciux or ga, or an LS deployment";
    return false;
  }
  return true;
}

SearchResult solveExact(const Problem& problem, const ExactOptions& options) {
  auto start = std::chrono::steady_clock::now();
  SearchResult r;
  r.algorithm = "exact";
  std::string why;
  if (problem.impossibleReason()) {
    r.status = SearchStatus::Impossible;
    r.message = *problem.impossibleReason();
    return r;
  }
  if (!exactSupported(problem, &why)) {
    r.status = SearchStatus::Unsupported;
    r.message = why;
    return r;
  }
  const char* method = "";
  bool found = false;
  if (!problem.isLP()) {
    method = "enumeration of the shared accelerator's (PE, buffer) cap";
    found = solveLayerSequential(problem, options, r.best, r.tradeoff);
  } else if (problem.bottleneckObjective()) {
    method = "threshold search on the bottleneck stage";
    found = solveBottleneck(problem, options, r.best, r.tradeoff);
  } else {
    method = "Pareto-frontier dynamic program (multiple-choice knapsack)";
    found = solveKnapsack(problem, options, r.best, r.tradeoff);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!found) {
    r.status = SearchStatus::Impossible;
    r.message = "exact: no design meets the budget (proven)";
    r.best.clear();
    return r;
  }
  r.bestEval = problem.evaluate(r.best);
  r.samplesUsed = 1;
  if (!r.bestEval.feasible) {  // would be a solver bug; report it rather than a wrong optimum
    r.status = SearchStatus::NoFeasible;
    r.message = "exact: internal error, the solver's design does not meet the budget";
    return r;
  }
  r.status = SearchStatus::Found;
  r.provenOptimal = true;
  r.trace.push_back(TracePoint{1, r.bestEval.objective, r.seconds});
  r.message = fmt::format(
      "proven optimum {} {:.6g} {} using {:.1f}% of the budget ({}; {} "
      "trade-off points)",
      objectiveName(problem.spec().objective), r.bestEval.objective,
      objectiveUnit(problem.spec().objective), 100 * r.bestEval.budgetUse, method,
      r.tradeoff.size());
  return r;
}

namespace {

SearchResult runExact(const Problem& problem, const SearchOptions& options) {
  Params params(options.params, "exact");
  ExactOptions eo;
  eo.fullCurve = params.flag("full_curve", eo.fullCurve);
  params.finish();
  return solveExact(problem, eo);
}

}  // namespace

SearchAlgorithmInfo exactAlgorithm() {
  return {"exact",
          "proven optimum and budget/objective trade-off curve (Pareto DP knapsack for LP, cap "
          "enumeration for LS)",
          runExact};
}

}  // namespace analects::search
