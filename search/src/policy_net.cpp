#include "policy_net.h"

#include <cmath>

namespace analects::search {

template <typename T>
typename PolicyNet<T>::Tensor PolicyNet<T>::add(Eigen::Index rows, Eigen::Index cols) {
  Tensor t{size_, rows, cols};
  size_ += rows * cols;
  return t;
}

template <typename T>
PolicyNet<T>::PolicyNet(const Shape& s, int maxSteps) : shape_(s), maxSteps_(maxSteps) {
  const int enc = s.encoder, hid = s.hidden, L = s.lstm;
  encDimW_ = add(enc, s.dimFeatures), encDimB_ = add(enc, 1);
  encActW_ = add(enc, s.actionFeatures), encActB_ = add(enc, 1);
  encPosW_ = add(enc, s.positionFeatures), encPosB_ = add(enc, 1);
  fc1W_ = add(hid, 3 * enc), fc1B_ = add(hid, 1);
  fc2W_ = add(hid, hid), fc2B_ = add(hid, 1);
  fc3W_ = add(hid, hid), fc3B_ = add(hid, 1);
  lstmBegin_ = size_;
  ihW_ = add(4 * L, hid), ihB_ = add(4 * L, 1);
  hhW_ = add(4 * L, L), hhB_ = add(4 * L, 1);
  lstmEnd_ = size_;
  pe1W_ = add(s.peLevels, L), pe1B_ = add(s.peLevels, 1);
  pe2W_ = add(s.peLevels, s.peLevels), pe2B_ = add(s.peLevels, 1);
  buf1W_ = add(s.bufLevels, L), buf1B_ = add(s.bufLevels, 1);
  buf2W_ = add(s.bufLevels, s.bufLevels), buf2B_ = add(s.bufLevels, 1);
  if (s.valueHead) valW_ = add(1, L), valB_ = add(1, 1);
  params_ = Vec::Zero(size_);
  grads_ = Vec::Zero(size_);

  const int n = maxSteps;
  X_ = Mat::Zero(s.inputs(), n);
  E_ = Mat::Zero(3 * enc, n);
  A1_ = Mat::Zero(hid, n), A2_ = Mat::Zero(hid, n), A3_ = Mat::Zero(hid, n);
  G_ = Mat::Zero(4 * L, n);
  C_ = Mat::Zero(L, n + 1), H_ = Mat::Zero(L, n + 1), TC_ = Mat::Zero(L, n);
  HP_ = Mat::Zero(s.peLevels, n), ZP_ = HP_, PP_ = HP_, LPP_ = HP_;
  HB_ = Mat::Zero(s.bufLevels, n), ZB_ = HB_, PB_ = HB_, LPB_ = HB_;
  V_ = Mat::Zero(1, n);
  dH_ = Mat::Zero(L, n), dG_ = Mat::Zero(4 * L, n);
  dA_ = Mat::Zero(hid, n), dA2_ = Mat::Zero(hid, n), dE_ = Mat::Zero(3 * enc, n);
  dHead_ = Mat::Zero(std::max(s.peLevels, s.bufLevels), n);
  dh_ = Vec::Zero(L), dc_ = Vec::Zero(L), dcell_ = Vec::Zero(L);
}

template <typename T>
void PolicyNet<T>::initialize(Rng& rng) {
  auto fill = [&](const Tensor& t, double bound) {
    for (Eigen::Index i = 0; i < t.rows * t.cols; ++i)
      params_[t.offset + i] = T(rng.uniform(-bound, bound));
  };
  auto linear = [&](const Tensor& w, const Tensor& b) {
    double bound = 1.0 / std::sqrt(double(w.cols));
    fill(w, bound);
    fill(b, bound);
  };
  linear(encDimW_, encDimB_);
  linear(encActW_, encActB_);
  linear(encPosW_, encPosB_);
  linear(fc1W_, fc1B_);
  linear(fc2W_, fc2B_);
  linear(fc3W_, fc3B_);
  double lstmBound = 1.0 / std::sqrt(double(shape_.lstm));
  for (const Tensor* t : {&ihW_, &ihB_, &hhW_, &hhB_}) fill(*t, lstmBound);
  linear(pe1W_, pe1B_);
  linear(pe2W_, pe2B_);
  linear(buf1W_, buf1B_);
  linear(buf2W_, buf2B_);
  if (shape_.valueHead) linear(valW_, valB_);
}

namespace {

template <typename Col>
void softmaxInto(const Col& z, Col&& p, Col&& logp) {
  using T = typename std::decay_t<Col>::Scalar;
  T m = z.maxCoeff();
  logp = z.array() - m;
  T lse = std::log(logp.array().exp().sum());
  logp.array() -= lse;
  p = logp.array().exp();
}

}  // namespace

template <typename T>
void PolicyNet<T>::step(const T* input) {
  const int t = steps_;
  const int enc = shape_.encoder, L = shape_.lstm;
  const int nd = shape_.dimFeatures, na = shape_.actionFeatures, np = shape_.positionFeatures;
  for (int i = 0; i < shape_.inputs(); ++i) X_(i, t) = input[i];
  auto x = X_.col(t);
  auto e = E_.col(t);
  e.segment(0, enc).noalias() = W(encDimW_) * x.segment(0, nd);
  e.segment(0, enc) += B(encDimB_);
  e.segment(enc, enc).noalias() = W(encActW_) * x.segment(nd, na);
  e.segment(enc, enc) += B(encActB_);
  e.segment(2 * enc, enc).noalias() = W(encPosW_) * x.segment(nd + na, np);
  e.segment(2 * enc, enc) += B(encPosB_);

  auto a1 = A1_.col(t);
  a1.noalias() = W(fc1W_) * e;
  a1 = (a1 + B(fc1B_)).cwiseMax(T(0));
  auto a2 = A2_.col(t);
  a2.noalias() = W(fc2W_) * a1;
  a2 = (a2 + B(fc2B_)).cwiseMax(T(0));
  auto a3 = A3_.col(t);
  a3.noalias() = W(fc3W_) * a2;
  a3 = (a3 + B(fc3B_)).cwiseMax(T(0));

  // LSTM cell, PyTorch gate order (input, forget, cell, output). H_/C_ column t is the state
  // before this step (zero at t = 0).
  if (t == 0) H_.col(0).setZero(), C_.col(0).setZero();
  auto g = G_.col(t);
  g.noalias() = W(ihW_) * a3;
  g.noalias() += W(hhW_) * H_.col(t);
  g += B(ihB_) + B(hhB_);
  auto sig = [](auto&& v) { v = (T(1) + (-v.array()).exp()).inverse().matrix(); };
  sig(g.segment(0, 2 * L));
  g.segment(2 * L, L) = g.segment(2 * L, L).array().tanh().matrix();
  sig(g.segment(3 * L, L));
  C_.col(t + 1) =
      g.segment(L, L).cwiseProduct(C_.col(t)) + g.segment(0, L).cwiseProduct(g.segment(2 * L, L));
  TC_.col(t) = C_.col(t + 1).array().tanh().matrix();
  H_.col(t + 1) = g.segment(3 * L, L).cwiseProduct(TC_.col(t));
  auto h = H_.col(t + 1);

  auto hp = HP_.col(t);
  hp.noalias() = W(pe1W_) * h;
  hp = (hp + B(pe1B_)).cwiseMax(T(0));
  auto zp = ZP_.col(t);
  zp.noalias() = W(pe2W_) * hp;
  zp += B(pe2B_);
  softmaxInto(zp, PP_.col(t), LPP_.col(t));

  auto hb = HB_.col(t);
  hb.noalias() = W(buf1W_) * h;
  hb = (hb + B(buf1B_)).cwiseMax(T(0));
  auto zb = ZB_.col(t);
  zb.noalias() = W(buf2W_) * hb;
  zb += B(buf2B_);
  softmaxInto(zb, PB_.col(t), LPB_.col(t));

  if (shape_.valueHead) V_(0, t) = W(valW_).row(0).dot(h) + B(valB_)(0);
  ++steps_;
}

template <typename T>
void PolicyNet<T>::headBackward(const Mat& dZ, const Mat& hiddenAct, const Tensor& w1,
                                const Tensor& b1, const Tensor& w2, const Tensor& b2, int n) {
  const int k = int(w2.rows);
  auto dZn = dZ.leftCols(n);
  auto hAct = hiddenAct.leftCols(n);
  GW(w2).noalias() += dZn * hAct.transpose();
  GB(b2) += dZn.rowwise().sum();
  auto dHid = dHead_.topLeftCorner(k, n);
  dHid.noalias() = W(w2).transpose() * dZn;
  dHid = dHid.cwiseProduct((hAct.array() > T(0)).template cast<T>().matrix());
  auto h = H_.middleCols(1, n);
  GW(w1).noalias() += dHid * h.transpose();
  GB(b1) += dHid.rowwise().sum();
  dH_.leftCols(n).noalias() += W(w1).transpose() * dHid;
}

template <typename T>
void PolicyNet<T>::backward(const Mat& dPe, const Mat& dBuf, const Mat* dValues) {
  const int n = steps_;
  const int L = shape_.lstm, enc = shape_.encoder;
  const int nd = shape_.dimFeatures, na = shape_.actionFeatures, np = shape_.positionFeatures;
  grads_.setZero();
  if (n == 0) return;

  // Heads: gradient with respect to each step's LSTM output h_t.
  dH_.leftCols(n).setZero();
  headBackward(dPe, HP_, pe1W_, pe1B_, pe2W_, pe2B_, n);
  headBackward(dBuf, HB_, buf1W_, buf1B_, buf2W_, buf2B_, n);
  if (shape_.valueHead && dValues) {
    auto dv = dValues->leftCols(n);
    auto h = H_.middleCols(1, n);
    GW(valW_).noalias() += dv * h.transpose();
    GB(valB_)(0) += dv.sum();
    dH_.leftCols(n).noalias() += W(valW_).transpose() * dv;
  }

  // Backpropagation through time in the LSTM cell.
  dh_.setZero();
  dc_.setZero();
  for (int t = n - 1; t >= 0; --t) {
    dh_ += dH_.col(t);
    auto g = G_.col(t);
    auto i = g.segment(0, L).array(), f = g.segment(L, L).array();
    auto c = g.segment(2 * L, L).array(), o = g.segment(3 * L, L).array();
    auto tc = TC_.col(t).array();
    dcell_ = (dc_.array() + dh_.array() * o * (T(1) - tc * tc)).matrix();
    auto dg = dG_.col(t);
    dg.segment(0, L) = (dcell_.array() * c * i * (T(1) - i)).matrix();
    dg.segment(L, L) = (dcell_.array() * C_.col(t).array() * f * (T(1) - f)).matrix();
    dg.segment(2 * L, L) = (dcell_.array() * i * (T(1) - c * c)).matrix();
    dg.segment(3 * L, L) = (dh_.array() * tc * o * (T(1) - o)).matrix();
    dc_ = (dcell_.array() * f).matrix();
    dh_.noalias() = W(hhW_).transpose() * dg;
  }
  auto dG = dG_.leftCols(n);
  GW(ihW_).noalias() += dG * A3_.leftCols(n).transpose();
  GW(hhW_).noalias() += dG * H_.leftCols(n).transpose();
  GB(ihB_) += dG.rowwise().sum();
  GB(hhB_) += dG.rowwise().sum();

  // The three ReLU layers, batched over the episode.
  auto relu = [](const auto& act) { return (act.array() > T(0)).template cast<T>().matrix(); };
  auto dA = dA_.leftCols(n);
  auto dA2 = dA2_.leftCols(n);
  dA.noalias() = W(ihW_).transpose() * dG;
  dA = dA.cwiseProduct(relu(A3_.leftCols(n)));
  GW(fc3W_).noalias() += dA * A2_.leftCols(n).transpose();
  GB(fc3B_) += dA.rowwise().sum();
  dA2.noalias() = W(fc3W_).transpose() * dA;
  dA2 = dA2.cwiseProduct(relu(A2_.leftCols(n)));
  GW(fc2W_).noalias() += dA2 * A1_.leftCols(n).transpose();
  GB(fc2B_) += dA2.rowwise().sum();
  dA.noalias() = W(fc2W_).transpose() * dA2;
  dA = dA.cwiseProduct(relu(A1_.leftCols(n)));
  GW(fc1W_).noalias() += dA * E_.leftCols(n).transpose();
  GB(fc1B_) += dA.rowwise().sum();
  auto dE = dE_.leftCols(n);
  dE.noalias() = W(fc1W_).transpose() * dA;

  // Input encoders (linear, no activation).
  GW(encDimW_).noalias() += dE.middleRows(0, enc) * X_.block(0, 0, nd, n).transpose();
  GB(encDimB_) += dE.middleRows(0, enc).rowwise().sum();
  GW(encActW_).noalias() += dE.middleRows(enc, enc) * X_.block(nd, 0, na, n).transpose();
  GB(encActB_) += dE.middleRows(enc, enc).rowwise().sum();
  GW(encPosW_).noalias() += dE.middleRows(2 * enc, enc) * X_.block(nd + na, 0, np, n).transpose();
  GB(encPosB_) += dE.middleRows(2 * enc, enc).rowwise().sum();
}

template <typename T>
Adam<T>::Adam(Eigen::Index size, double lr_, double beta1, double beta2, double eps)
    : lr(lr_), beta1_(beta1), beta2_(beta2), eps_(eps), m_(Vec::Zero(size)), v_(Vec::Zero(size)) {}

template <typename T>
void Adam<T>::step(Vec& params, const Vec& grads) {
  ++t_;
  m_ = T(beta1_) * m_ + T(1 - beta1_) * grads;
  v_ = T(beta2_) * v_ + T(1 - beta2_) * grads.cwiseAbs2();
  double c1 = 1 - std::pow(beta1_, double(t_)), c2 = 1 - std::pow(beta2_, double(t_));
  T stepSize = T(lr / c1);
  T sqrtC2 = T(std::sqrt(c2));
  params.array() -= stepSize * m_.array() / ((v_.array().sqrt() / sqrtC2) + T(eps_));
}

template <typename T>
void clipGradNorm(Eigen::Matrix<T, Eigen::Dynamic, 1>& grads, Eigen::Index begin, Eigen::Index end,
                  double maxNorm) {
  auto seg = grads.segment(begin, end - begin);
  double norm = std::sqrt(double(seg.squaredNorm()));
  if (std::isfinite(norm) && norm > maxNorm) seg *= T(maxNorm / (norm + 1e-6));
  if (!std::isfinite(norm)) seg.setZero();  // never let a NaN reach the parameters
}

template class PolicyNet<float>;
template class PolicyNet<double>;
template class Adam<float>;
template class Adam<double>;
template void clipGradNorm<float>(Eigen::Matrix<float, Eigen::Dynamic, 1>&, Eigen::Index,
                                  Eigen::Index, double);
template void clipGradNorm<double>(Eigen::Matrix<double, Eigen::Dynamic, 1>&, Eigen::Index,
                                   Eigen::Index, double);

}  // namespace analects::search
