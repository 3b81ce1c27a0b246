// `tpe`: a Tree-structured Parzen Estimator (Bergstra et al., NeurIPS 2011), the Bayesian-style
// baseline. Each knob of each layer is one ordinal dimension. After `startup` random designs,
// the best gamma-fraction of observations (at most 25, as Optuna does) form the "good" density
// l(x) and the rest the "bad" density g(x): per dimension a smoothed histogram (an observation
// adds 1 to its level and 0.5 to each neighbour, plus a uniform prior). Each step draws
// `candidates` designs from l and evaluates the one maximizing l(x)/g(x).
#include <algorithm>
#include <cmath>

#include "params.h"
#include "search_context.h"

namespace analects::search {

namespace {

SearchResult runTpe(const Problem& problem, const SearchOptions& options) {
  Params params(options.params, "tpe");
  int startup = params.integer("startup", 20);
  double gamma = params.real("gamma", 0.1);
  int maxGood = params.integer("max_good", 25);
  int candidates = params.integer("candidates", 24);
  double prior = params.real("prior", 1.0);
  double neighbour = params.real("neighbour", 0.5);
  params.finish();
  if (startup < 1 || gamma <= 0 || gamma >= 1 || maxGood < 1 || candidates < 1 || prior <= 0)
    throw SearchError(
        "tpe: need startup >= 1, 0 < gamma < 1, max_good >= 1, candidates >= 1, "
        "prior > 0");

  SearchContext ctx(problem, options, "tpe");
  Rng& rng = ctx.rng();
  const int D = int(2 * problem.layers());
  const int K = std::max(problem.peLevelCount(), problem.bufferLevelCount());
  auto levels = [&](int d) { return d % 2 ? problem.bufferLevelCount() : problem.peLevelCount(); };
  auto gene = [](const Design& x, int d) {
    return d % 2 ? x[size_t(d / 2)].buf : x[size_t(d / 2)].pe;
  };
  // Histogram rows: dimension d occupies [d*K, d*K + levels(d)).
  std::vector<double> total(size_t(D * K), 0), good(size_t(D * K)), bad(size_t(D * K));
  auto addKernel = [&](std::vector<double>& h, const Design& x, double w) {
    for (int d = 0; d < D; ++d) {
      int k = gene(x, d), n = levels(d);
      double* row = &h[size_t(d * K)];
      row[k] += w;
      if (k > 0) row[k - 1] += neighbour * w;
      if (k + 1 < n) row[k + 1] += neighbour * w;
    }
  };
  std::vector<Design> seen;
  std::vector<double> score;
  std::vector<int> ranked;  // indices into seen, best first
  Design cand(problem.layers()), pick(problem.layers());

  while (!ctx.exhausted()) {
    int n = int(seen.size());
    if (n < startup) {
      pick = randomDesign(problem, rng);
    } else {
      int nGood = std::clamp(int(std::ceil(gamma * n)), 1, maxGood);
      std::fill(good.begin(), good.end(), 0.0);
      for (int i = 0; i < nGood; ++i) addKernel(good, seen[size_t(ranked[size_t(i)])], 1.0);
      for (int d = 0; d < D; ++d) {
        int m = levels(d);
        double sg = 0, sb = 0;
        for (int k = 0; k < m; ++k) {
          size_t i = size_t(d * K + k);
          bad[i] = std::max(0.0, total[i] - good[i]) + prior / m;
          good[i] += prior / m;
          sg += good[i], sb += bad[i];
        }
        for (int k = 0; k < m; ++k) {
          size_t i = size_t(d * K + k);
          good[i] /= sg, bad[i] /= sb;
        }
      }
      double bestRatio = -1e300;
      for (int c = 0; c < candidates; ++c) {
        double ratio = 0;
        for (int d = 0; d < D; ++d) {
          const double* g = &good[size_t(d * K)];
          int k = rng.categorical(g, levels(d));
          (d % 2 ? cand[size_t(d / 2)].buf : cand[size_t(d / 2)].pe) = k;
          ratio += std::log(g[k]) - std::log(bad[size_t(d * K + k)]);
        }
        if (ratio > bestRatio) bestRatio = ratio, pick = cand;
      }
    }
    double s = ctx.evaluate(pick).score;
    seen.push_back(pick);
    score.push_back(s);
    addKernel(total, pick, 1.0);
    auto pos = std::upper_bound(ranked.begin(), ranked.end(), s,
                                [&](double v, int idx) { return v < score[size_t(idx)]; });
    ranked.insert(pos, n);
  }
  return ctx.finish();
}

}  // namespace

SearchAlgorithmInfo tpeAlgorithm() {
  return {"tpe", "Tree-structured Parzen Estimator over the per-layer levels (Bayesian baseline)",
          runTpe};
}

}  // namespace analects::search
