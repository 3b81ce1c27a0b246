// `reinforce`: ConfuciuX's REINFORCE stage alone (no GA fine-tuning).
//
// One episode assigns every layer a (PE level, buffer level), one layer per step, in a fresh
// random order. Per-step reward: the layer's objective term, negated and shifted by the worst
// term seen so far (so rewards are >= 0). Going over budget ends the episode with a penalty
// proportional to the overshoot: -(rewards so far + this one) * overshoot - overshoot; a point
// the cost model rejects ends it as an overshoot of 1. All finite, so no NaN can reach the
// network (ConfuciuX issue #5). Rewards are z-scored, discounted (gamma 0.9), the returns
// z-scored again, and the loss -sum_t (log pi(pe_t) + log pi(buf_t)) G_t is minimized with
// Adam (lr 1e-3, x0.8 every 100 episodes once a design fits), gradients clipped to norm 100,
// then the LSTM's to norm 10. A complete episode is one sample; so is one cut short.
//
// Two options not in ConfuciuX, off by default: `entropy` (an entropy bonus) and
// `layer_rewards` (rewards scaled per layer, so they rate the action rather than the layer's
// size). On heterogeneous networks the within-episode z-scoring makes the policy collapse to a
// few levels early (big layers dominate every episode's reward spread); the GA stage of
// `confuciux` is what recovers most of the gap.
#include <cmath>

#include "rl_agents.h"
#include "rl_env.h"

namespace analects::search {

ReinforceConfig ReinforceConfig::read(Params& p, bool rewardOptions) {
  ReinforceConfig c;
  c.lr = p.real("lr", c.lr);
  c.gamma = p.real("gamma", c.gamma);
  c.lrDecay = p.real("lr_decay", c.lrDecay);
  c.lrDecayEvery = p.integer("lr_decay_every", c.lrDecayEvery);
  c.minLr = p.real("min_lr", c.minLr);
  c.clipModel = p.real("clip_model", c.clipModel);
  c.clipLstm = p.real("clip_lstm", c.clipLstm);
  c.hidden = p.integer("hidden", c.hidden);
  c.lstm = p.integer("lstm", c.lstm);
  c.encoder = p.integer("encoder", c.encoder);
  c.shuffle = p.flag("shuffle", c.shuffle);
  if (rewardOptions) {
    c.entropy = p.real("entropy", c.entropy);
    c.layerRewards = p.flag("layer_rewards", c.layerRewards);
  }
  if (c.lr <= 0 || c.gamma < 0 || c.gamma > 1 || c.hidden < 1 || c.lstm < 1 || c.encoder < 1 ||
      c.lrDecayEvery < 1)
    throw SearchError(
        "reinforce: lr must be > 0, gamma in [0, 1], hidden/lstm/encoder/"
        "lr_decay_every >= 1");
  return c;
}

PolicyNet<float>::Shape ReinforceConfig::shape(const Problem& problem, bool valueHead) const {
  PolicyNet<float>::Shape s;
  s.encoder = encoder;
  s.hidden = hidden;
  s.lstm = lstm;
  s.peLevels = problem.peLevelCount();
  s.bufLevels = problem.bufferLevelCount();
  s.valueHead = valueHead;
  return s;
}

void zscore(std::vector<double>& v) {
  if (v.empty()) return;
  double mean = 0, var = 0;
  for (double x : v) mean += x;
  mean /= double(v.size());
  for (double x : v) var += (x - mean) * (x - mean);
  double sd = std::sqrt(var / double(v.size()));
  for (double& x : v) x = (x - mean) / (sd + 0x1.0p-12);
}

void trainReinforce(SearchContext& ctx, const ReinforceConfig& cfg, int64_t episodes) {
  const Problem& problem = ctx.problem();
  Rng& rng = ctx.rng();
  const int L = int(problem.layers());
  PolicyNet<float> net(cfg.shape(problem, false), L);
  net.initialize(rng);
  Adam<float> adam(net.params().size(), cfg.lr);
  AllocationEnv env(problem);
  PolicyNet<float>::Mat dPe(problem.peLevelCount(), L), dBuf(problem.bufferLevelCount(), L);
  std::vector<double> rewards, returns;
  std::vector<int> actPe, actBuf;
  float x[AllocationEnv::kInputs];
  double worstTerm = 0;
  bool anyTerm = false, succeeded = false;
  std::vector<double> layerWorst(size_t(L), -1), layerBest(size_t(L), -1);

  for (int64_t ep = 1; ep <= episodes && !ctx.exhausted(); ++ep) {
    if ((ep + 1) % cfg.lrDecayEvery == 0 && succeeded)
      adam.lr = std::max(cfg.minLr, adam.lr * cfg.lrDecay);
    env.reset(rng, cfg.shuffle);
    net.beginEpisode();
    rewards.clear(), actPe.clear(), actBuf.clear();
    double sum = 0;
    bool complete = true;
    for (int t = 0; t < L; ++t) {
      env.observe(t, x);
      net.step(x);
      int pe = rng.categorical(net.peProbs(t), problem.peLevelCount());
      int buf = rng.categorical(net.bufProbs(t), problem.bufferLevelCount());
      actPe.push_back(pe), actBuf.push_back(buf);
      AllocationEnv::Outcome o = env.act(t, pe, buf);
      if (!o.pointFeasible) {
        rewards.push_back(-sum - 1);
        complete = false;
        break;
      }
      worstTerm = anyTerm ? std::max(worstTerm, o.term) : o.term;
      anyTerm = true;
      double r = worstTerm - o.term;
      if (cfg.layerRewards) {
        size_t l = env.layerAt(t);
        double& w = layerWorst[l];
        double& b = layerBest[l];
        if (w < 0) w = b = o.term;
        w = std::max(w, o.term), b = std::min(b, o.term);
        r = w > b ? (w - o.term) / (w - b) : 0;
      }
      if (!Problem::fits(o.budgetUse)) {
        double over = o.budgetUse - 1;
        rewards.push_back(-(sum + r) * over - over);
        complete = false;
        break;
      }
      sum += r;
      rewards.push_back(r);
    }
    if (complete) {
      if (ctx.evaluate(env.design()).feasible) succeeded = true;
    } else {
      ctx.spendSample();
    }

    // Learn from the episode.
    const int n = int(rewards.size());
    zscore(rewards);
    returns.assign(size_t(n), 0);
    double G = 0;
    for (int t = n - 1; t >= 0; --t) returns[size_t(t)] = G = rewards[size_t(t)] + cfg.gamma * G;
    zscore(returns);
    for (int t = 0; t < n; ++t) {
      // d(-G log softmax(z)[a]) / dz = G (p - onehot(a))
      float g = float(returns[size_t(t)]);
      dPe.col(t) = g * net.peProbs(t);
      dPe(actPe[size_t(t)], t) -= g;
      dBuf.col(t) = g * net.bufProbs(t);
      dBuf(actBuf[size_t(t)], t) -= g;
      if (cfg.entropy > 0) {
        // Entropy bonus -beta * H: dL/dz = beta p (log p + H).
        float beta = float(cfg.entropy);
        float hp = -(net.peProbs(t).array() * net.peLogProbs(t).array()).sum();
        float hb = -(net.bufProbs(t).array() * net.bufLogProbs(t).array()).sum();
        dPe.col(t) += beta * (net.peProbs(t).array() * (net.peLogProbs(t).array() + hp)).matrix();
        dBuf.col(t) +=
            beta * (net.bufProbs(t).array() * (net.bufLogProbs(t).array() + hb)).matrix();
      }
    }
    net.backward(dPe, dBuf);
    clipGradNorm(net.grads(), 0, net.grads().size(), cfg.clipModel);
    clipGradNorm(net.grads(), net.lstmBegin(), net.lstmEnd(), cfg.clipLstm);
    adam.step(net.params(), net.grads());
  }
}

namespace {

SearchResult runReinforce(const Problem& problem, const SearchOptions& options) {
  Params params(options.params, "reinforce");
  ReinforceConfig cfg = ReinforceConfig::read(params);
  params.finish();
  SearchContext ctx(problem, options, "reinforce");
  trainReinforce(ctx, cfg, ctx.budget());
  ctx.addStage("rl", 0);
  return ctx.finish();
}

}  // namespace

SearchAlgorithmInfo reinforceAlgorithm() {
  return {"reinforce",
          "ConfuciuX's REINFORCE stage alone: LSTM policy, one layer per step, no GA fine-tuning",
          runReinforce};
}

}  // namespace analects::search
