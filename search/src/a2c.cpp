// `a2c`: advantage actor-critic, ConfuciuX's "other RL agent" baseline, on the same policy
// network plus a value head (Linear 128->1 on the LSTM output).
//
// Rewards are each layer's objective term divided by the running mean term, negated (so they
// stay on one scale across episodes, as a critic needs). Stopping early (over budget, or a
// point the cost model rejects) costs the remaining layers at the worst term seen, times
// (1 + overshoot). Monte-Carlo returns (gamma 0.9) are the critic's targets; the actor's
// advantage is return - value, normalized per episode. Loss: -log pi * A + value_coef/2 *
// (G - V)^2 - entropy_coef * H, Adam, the same clipping as ConfuciuX.
#include <cmath>

#include "rl_agents.h"
#include "rl_env.h"

namespace analects::search {

namespace {

struct A2cConfig {
  double valueCoef = 0.5;
  double entropyCoef = 0.01;
  bool normalizeAdvantage = true;
};

SearchResult runA2c(const Problem& problem, const SearchOptions& options) {
  Params params(options.params, "a2c");
  ReinforceConfig cfg = ReinforceConfig::read(params, false);
  A2cConfig ac;
  ac.valueCoef = params.real("value_coef", ac.valueCoef);
  ac.entropyCoef = params.real("entropy_coef", ac.entropyCoef);
  ac.normalizeAdvantage = params.flag("normalize_advantage", ac.normalizeAdvantage);
  params.finish();

  SearchContext ctx(problem, options, "a2c");
  Rng& rng = ctx.rng();
  const int L = int(problem.layers());
  PolicyNet<float> net(cfg.shape(problem, true), L);
  net.initialize(rng);
  Adam<float> adam(net.params().size(), cfg.lr);
  AllocationEnv env(problem);
  PolicyNet<float>::Mat dPe(problem.peLevelCount(), L), dBuf(problem.bufferLevelCount(), L);
  PolicyNet<float>::Mat dV(1, L);
  std::vector<double> rewards, returns, adv;
  std::vector<int> actPe, actBuf;
  float x[AllocationEnv::kInputs];
  double termMean = 0, worstTerm = 0;
  int64_t termCount = 0;
  bool succeeded = false;

  for (int64_t ep = 1; !ctx.exhausted(); ++ep) {
    if ((ep + 1) % cfg.lrDecayEvery == 0 && succeeded)
      adam.lr = std::max(cfg.minLr, adam.lr * cfg.lrDecay);
    env.reset(rng, cfg.shuffle);
    net.beginEpisode();
    rewards.clear(), actPe.clear(), actBuf.clear();
    bool complete = true;
    for (int t = 0; t < L; ++t) {
      env.observe(t, x);
      net.step(x);
      int pe = rng.categorical(net.peProbs(t), problem.peLevelCount());
      int buf = rng.categorical(net.bufProbs(t), problem.bufferLevelCount());
      actPe.push_back(pe), actBuf.push_back(buf);
      AllocationEnv::Outcome o = env.act(t, pe, buf);
      if (o.pointFeasible) {
        ++termCount;
        termMean += (o.term - termMean) / double(termCount);
        worstTerm = std::max(worstTerm, o.term);
      }
      double scale = termMean > 0 ? termMean : 1.0;
      if (!o.pointFeasible || !Problem::fits(o.budgetUse)) {
        double over = o.pointFeasible ? o.budgetUse - 1 : 1.0;
        rewards.push_back(-double(L - t) * (worstTerm / scale) * (1 + over));
        complete = false;
        break;
      }
      rewards.push_back(-o.term / scale);
    }
    if (complete) {
      if (ctx.evaluate(env.design()).feasible) succeeded = true;
    } else {
      ctx.spendSample();
    }

    const int n = int(rewards.size());
    returns.assign(size_t(n), 0);
    adv.assign(size_t(n), 0);
    double G = 0;
    for (int t = n - 1; t >= 0; --t) returns[size_t(t)] = G = rewards[size_t(t)] + cfg.gamma * G;
    for (int t = 0; t < n; ++t) adv[size_t(t)] = returns[size_t(t)] - double(net.value(t));
    if (ac.normalizeAdvantage && n > 1) zscore(adv);
    for (int t = 0; t < n; ++t) {
      float a = float(adv[size_t(t)]);
      auto grad = [&](auto probs, auto logProbs, auto&& out, int action) {
        float entropy = -(probs.array() * logProbs.array()).sum();
        // policy: A (p - onehot); entropy bonus: beta p (log p + H)
        out = a * probs +
              float(ac.entropyCoef) * (probs.array() * (logProbs.array() + entropy)).matrix();
        out(action) -= a;
      };
      grad(net.peProbs(t), net.peLogProbs(t), dPe.col(t), actPe[size_t(t)]);
      grad(net.bufProbs(t), net.bufLogProbs(t), dBuf.col(t), actBuf[size_t(t)]);
      dV(0, t) = float(ac.valueCoef * (double(net.value(t)) - returns[size_t(t)]));
    }
    net.backward(dPe, dBuf, &dV);
    clipGradNorm(net.grads(), 0, net.grads().size(), cfg.clipModel);
    clipGradNorm(net.grads(), net.lstmBegin(), net.lstmEnd(), cfg.clipLstm);
    adam.step(net.params(), net.grads());
  }
  ctx.addStage("rl", 0);
  return ctx.finish();
}

}  // namespace

SearchAlgorithmInfo a2cAlgorithm() {
  return {"a2c",
          "advantage actor-critic on ConfuciuX's policy network plus a value head (RL baseline)",
          runA2c};
}

}  // namespace analects::search
