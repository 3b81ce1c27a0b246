// AllocationEnv: ConfuciuX's environment as the RL agents see it. One step per layer, in an
// order reshuffled every episode; the state is the layer's dimensions (normalized by the
// model-wide maximum), the previous action and the position in the episode, mapped to [-1, 1].
#pragma once

#include <vector>

#include "analects/search/problem.h"
#include "rng.h"

namespace analects::search {

class AllocationEnv {
 public:
  static constexpr int kInputs = 10;  // 7 layer dims, 2 previous action, 1 position

  explicit AllocationEnv(const Problem& problem);
  void reset(Rng& rng, bool shuffle);
  int steps() const { return int(order_.size()); }
  size_t layerAt(int t) const { return order_[size_t(t)]; }
  // The state before step t (t == number of actions taken so far).
  template <typename T>
  void observe(int t, T* x) const;

  struct Outcome {
    double term = 0;            // the layer's objective term (cycles, pJ, ...)
    bool pointFeasible = true;  // the cost model can run the layer at this point
    double budgetUse = 0;       // of the design so far
  };
  Outcome act(int t, int pe, int buf);
  // The actions so far, in model order (complete after steps() actions).
  const Design& design() const { return design_; }

 private:
  const Problem& problem_;
  std::vector<size_t> order_;
  Design design_;
  Problem::Partial partial_;
  int prevPe_ = 0, prevBuf_ = 0;
};

}  // namespace analects::search
