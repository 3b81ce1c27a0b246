// PolicyNet: ConfuciuX's policy network on Eigen, with a hand-written forward pass (one call
// per RL step) and backpropagation through time over a whole episode.
//
//   layer dims (7)  -> Linear 7->10  --+
//   prev action (2) -> Linear 2->10  --+-> concat (30) -> [Linear 30->128, ReLU] ->
//   position (1)    -> Linear 1->10  --+   [Linear 128->128, ReLU] x2 -> LSTMCell(128)
//   h -> PE head:     Linear 128->12, ReLU, Linear 12->12, softmax
//   h -> buffer head: Linear 128->12, ReLU, Linear 12->12, softmax
//   h -> value head (A2C only): Linear 128->1
//
// The LSTM state is carried across the layers of one episode and starts at zero. All
// parameters live in one flat vector (Adam, clipping and gradient checks work on it); the
// LSTM's parameters are one contiguous range, clipped separately as ConfuciuX does.
// Activations are stored per step in preallocated matrices, so the backward pass computes
// weight gradients as matrix-matrix products over the episode.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "rng.h"

namespace analects::search {

template <typename T>
class PolicyNet {
 public:
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;

  struct Shape {
    int dimFeatures = 7;       // layer dimensions (ConfuciuX: K, C, Y, X, R, S, T)
    int actionFeatures = 2;    // previous action (PE level, buffer level), normalized
    int positionFeatures = 1;  // position of the layer in the episode
    int encoder = 10;          // width of each input encoder
    int hidden = 128;          // width of the three ReLU layers
    int lstm = 128;            // LSTM cell size
    int peLevels = 12;
    int bufLevels = 12;
    bool valueHead = false;
    int inputs() const { return dimFeatures + actionFeatures + positionFeatures; }
  };

  PolicyNet(const Shape& shape, int maxSteps);

  // PyTorch's default initialization: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for Linear weights
  // and biases, U(-1/sqrt(hidden), 1/sqrt(hidden)) for the LSTM cell.
  void initialize(Rng& rng);

  const Shape& shape() const { return shape_; }
  Vec& params() { return params_; }
  const Vec& params() const { return params_; }
  Vec& grads() { return grads_; }
  Eigen::Index lstmBegin() const { return lstmBegin_; }
  Eigen::Index lstmEnd() const { return lstmEnd_; }
  int maxSteps() const { return maxSteps_; }

  // Rollout: zero LSTM state, then one step() per layer.
  void beginEpisode() { steps_ = 0; }
  // `input` holds shape().inputs() values: dims, previous action, position.
  void step(const T* input);
  int steps() const { return steps_; }
  auto peProbs(int t) const { return PP_.col(t); }
  auto bufProbs(int t) const { return PB_.col(t); }
  auto peLogProbs(int t) const { return LPP_.col(t); }
  auto bufLogProbs(int t) const { return LPB_.col(t); }
  T value(int t) const { return V_(0, t); }

  // Gradients (overwriting grads()) of a loss whose derivatives with respect to the head
  // logits are given, one column per step taken; dValues (1 x steps) only with a value head.
  void backward(const Mat& dPeLogits, const Mat& dBufLogits, const Mat* dValues = nullptr);

 private:
  struct Tensor {
    Eigen::Index offset = 0, rows = 0, cols = 0;
  };
  Tensor add(Eigen::Index rows, Eigen::Index cols);
  Eigen::Map<const Mat> W(const Tensor& t) const {
    return Eigen::Map<const Mat>(params_.data() + t.offset, t.rows, t.cols);
  }
  Eigen::Map<const Vec> B(const Tensor& t) const {
    return Eigen::Map<const Vec>(params_.data() + t.offset, t.rows);
  }
  Eigen::Map<Mat> GW(const Tensor& t) {
    return Eigen::Map<Mat>(grads_.data() + t.offset, t.rows, t.cols);
  }
  Eigen::Map<Vec> GB(const Tensor& t) { return Eigen::Map<Vec>(grads_.data() + t.offset, t.rows); }

  void headBackward(const Mat& dZ, const Mat& hiddenAct, const Tensor& w1, const Tensor& b1,
                    const Tensor& w2, const Tensor& b2, int steps);

  Shape shape_;
  int maxSteps_;
  int steps_ = 0;
  Eigen::Index size_ = 0;
  Tensor encDimW_, encDimB_, encActW_, encActB_, encPosW_, encPosB_;
  Tensor fc1W_, fc1B_, fc2W_, fc2B_, fc3W_, fc3B_;
  Tensor ihW_, ihB_, hhW_, hhB_;
  Tensor pe1W_, pe1B_, pe2W_, pe2B_, buf1W_, buf1B_, buf2W_, buf2B_;
  Tensor valW_, valB_;
  Eigen::Index lstmBegin_ = 0, lstmEnd_ = 0;
  Vec params_, grads_;

  // Per-step activations (one column per step).
  Mat X_, E_, A1_, A2_, A3_, G_, C_, H_, TC_;
  Mat HP_, ZP_, PP_, LPP_, HB_, ZB_, PB_, LPB_, V_;
  // Backward workspace.
  Mat dH_, dG_, dA_, dA2_, dE_, dHead_;
  Vec dh_, dc_, dcell_;
};

// Adam (Kingma & Ba) on a flat parameter vector.
template <typename T>
class Adam {
 public:
  using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  explicit Adam(Eigen::Index size, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                double eps = 1e-8);
  void step(Vec& params, const Vec& grads);
  double lr = 1e-3;

 private:
  double beta1_, beta2_, eps_;
  Vec m_, v_;
  long t_ = 0;
};

// Scales grads[begin, end) so its L2 norm is at most maxNorm (torch clip_grad_norm_).
template <typename T>
void clipGradNorm(Eigen::Matrix<T, Eigen::Dynamic, 1>& grads, Eigen::Index begin, Eigen::Index end,
                  double maxNorm);

}  // namespace analects::search
