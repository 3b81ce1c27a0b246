#include "rl_env.h"

#include <numeric>

namespace analects::search {

AllocationEnv::AllocationEnv(const Problem& problem)
    : problem_(problem), order_(problem.layers()), design_(problem.layers()) {
  std::iota(order_.begin(), order_.end(), size_t(0));
}

void AllocationEnv::reset(Rng& rng, bool shuffle) {
  std::iota(order_.begin(), order_.end(), size_t(0));
  if (shuffle) rng.shuffle(order_);
  partial_ = Problem::Partial{};
  prevPe_ = prevBuf_ = 0;
  for (auto& d : design_) d = LayerLevels{};
}

template <typename T>
void AllocationEnv::observe(int t, T* x) const {
  const auto& f = problem_.layerFeatures();
  Eigen::Index l = Eigen::Index(order_[size_t(t)]);
  auto map = [](double v) { return T((v - 0.5) * 2); };  // [0, 1] -> [-1, 1]
  for (int k = 0; k < 7; ++k) x[k] = map(f(k, l));
  int np = problem_.peLevelCount(), nb = problem_.bufferLevelCount();
  x[7] = map(t == 0 ? 0.0 : double(prevPe_) / std::max(1, np - 1));
  x[8] = map(t == 0 ? 0.0 : double(prevBuf_) / std::max(1, nb - 1));
  x[9] = map(double(t) / double(order_.size()));
}

AllocationEnv::Outcome AllocationEnv::act(int t, int pe, int buf) {
  size_t l = order_[size_t(t)];
  design_[l] = LayerLevels{pe, buf};
  prevPe_ = pe, prevBuf_ = buf;
  Outcome o;
  o.term = problem_.objectiveTerm(l, pe, buf);
  o.pointFeasible = problem_.pointFeasible(l, pe, buf);
  problem_.extend(partial_, l, pe, buf);
  o.budgetUse = problem_.budgetUse(partial_);
  return o;
}

template void AllocationEnv::observe<float>(int, float*) const;
template void AllocationEnv::observe<double>(int, double*) const;

}  // namespace analects::search
