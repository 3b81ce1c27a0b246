// The RL stages the algorithm files share: REINFORCE (reinforce.cpp, also ConfuciuX's first
// stage) and ConfuciuX's GA fine-tuning (confuciux.cpp).
#pragma once

#include "params.h"
#include "policy_net.h"
#include "search_context.h"

namespace analects::search {

struct ReinforceConfig {
  double lr = 1e-3;        // Adam learning rate
  double gamma = 0.9;      // discount
  double lrDecay = 0.8;    // lr multiplier ...
  int lrDecayEvery = 100;  // ... every this many episodes, once a design has fit the budget
  double minLr = 1e-6;
  double clipModel = 100;  // gradient norm clip over all parameters (ConfuciuX CLIPPING_MODEL)
  double clipLstm = 10;    // then over the LSTM's parameters (CLIPPING_LSTM)
  int hidden = 128;
  int lstm = 128;
  int encoder = 10;
  bool shuffle = true;  // reshuffle the layer order every episode
  // Not in ConfuciuX (off by default):
  double entropy = 0;         // entropy bonus coefficient
  bool layerRewards = false;  // per-layer reward scale: (worst - term) / (worst - best) seen for
                              // that layer, so rewards rate the action rather than the layer

  // `rewardOptions`: also read REINFORCE's own reward options (entropy, layer_rewards).
  static ReinforceConfig read(Params& params, bool rewardOptions = true);
  PolicyNet<float>::Shape shape(const Problem& problem, bool valueHead) const;
};

// Runs up to `episodes` REINFORCE episodes (one sample each) through ctx.
void trainReinforce(SearchContext& ctx, const ReinforceConfig& config, int64_t episodes);

// Per-episode z-scoring as ConfuciuX does it: (x - mean) / (std + 2^-12), population std.
void zscore(std::vector<double>& v);

}  // namespace analects::search
