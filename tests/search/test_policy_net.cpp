#include <gtest/gtest.h>

#include <cmath>

#include "policy_net.h"
#include "rng.h"

using namespace analects::search;

namespace {

using Net = PolicyNet<double>;

struct Episode {
  Eigen::MatrixXd x;  // inputs x steps
  std::vector<int> pe, buf;
  std::vector<double> G, target;
};

Episode makeEpisode(const Net::Shape& s, int steps, Rng& rng) {
  Episode e;
  e.x = Eigen::MatrixXd(s.inputs(), steps);
  for (int t = 0; t < steps; ++t) {
    for (int i = 0; i < s.inputs(); ++i) e.x(i, t) = rng.uniform(-1, 1);
    e.pe.push_back(rng.below(s.peLevels));
    e.buf.push_back(rng.below(s.bufLevels));
    e.G.push_back(rng.normal());
    e.target.push_back(rng.normal());
  }
  return e;
}

constexpr double kValueCoef = 0.7, kEntropyCoef = 0.05;

// The loss both agents minimize: REINFORCE's -G (log pi(pe) + log pi(buf)), plus A2C's value
// and entropy terms when the net has a value head.
double loss(Net& net, const Episode& e) {
  net.beginEpisode();
  double L = 0;
  for (int t = 0; t < int(e.pe.size()); ++t) {
    net.step(e.x.col(t).data());
    L -= e.G[size_t(t)] *
         (net.peLogProbs(t)(e.pe[size_t(t)]) + net.bufLogProbs(t)(e.buf[size_t(t)]));
    if (net.shape().valueHead) {
      double d = net.value(t) - e.target[size_t(t)];
      L += 0.5 * kValueCoef * d * d;
      L += kEntropyCoef * (net.peProbs(t).array() * net.peLogProbs(t).array()).sum();
      L += kEntropyCoef * (net.bufProbs(t).array() * net.bufLogProbs(t).array()).sum();
    }
  }
  return L;
}

// Analytic gradient with the same formulas the agents use for dL/dlogits.
void analytic(Net& net, const Episode& e) {
  loss(net, e);
  const int n = int(e.pe.size());
  const auto& s = net.shape();
  Eigen::MatrixXd dPe(s.peLevels, n), dBuf(s.bufLevels, n), dV(1, n);
  for (int t = 0; t < n; ++t) {
    double g = e.G[size_t(t)];
    auto head = [&](auto p, auto logp, auto&& out, int a) {
      out = g * p;
      out(a) -= g;
      if (s.valueHead) {
        double H = -(p.array() * logp.array()).sum();
        out += kEntropyCoef * (p.array() * (logp.array() + H)).matrix();
      }
    };
    head(net.peProbs(t), net.peLogProbs(t), dPe.col(t), e.pe[size_t(t)]);
    head(net.bufProbs(t), net.bufLogProbs(t), dBuf.col(t), e.buf[size_t(t)]);
    dV(0, t) = kValueCoef * (net.value(t) - e.target[size_t(t)]);
  }
  net.backward(dPe, dBuf, s.valueHead ? &dV : nullptr);
}

// Max relative error over `indices` between backprop and central differences.
double checkGradients(Net& net, const Episode& e, const std::vector<Eigen::Index>& indices) {
  analytic(net, e);
  Eigen::VectorXd g = net.grads();
  double worst = 0;
  for (Eigen::Index i : indices) {
    double keep = net.params()[i], h = 1e-5;
    net.params()[i] = keep + h;
    double up = loss(net, e);
    net.params()[i] = keep - h;
    double down = loss(net, e);
    net.params()[i] = keep;
    double fd = (up - down) / (2 * h);
    // Relative error, with a floor that absorbs the ~1e-9 rounding noise of the differences.
    double err = std::abs(fd - g[i]) / (std::abs(fd) + std::abs(g[i]) + 1e-4);
    if (err > worst && getenv("GRAD_DEBUG"))
      printf("idx %ld fd %.12g bp %.12g err %.3g\n", long(i), fd, g[i], err);
    worst = std::max(worst, err);
  }
  return worst;
}

}  // namespace

TEST(PolicyNet, BackpropThroughTimeMatchesFiniteDifferences) {
  Net::Shape s;
  s.encoder = 4, s.hidden = 9, s.lstm = 7, s.peLevels = 5, s.bufLevels = 4;
  for (bool value : {false, true}) {
    s.valueHead = value;
    Net net(s, 8);
    Rng rng(7);
    net.initialize(rng);
    net.params() *= 2.0;  // larger weights: gates and ReLUs away from their linear regime
    Episode e = makeEpisode(s, 8, rng);
    std::vector<Eigen::Index> all;
    for (Eigen::Index i = 0; i < net.params().size(); ++i) all.push_back(i);
    EXPECT_LT(checkGradients(net, e, all), 1e-5) << "value head " << value;
  }
}

TEST(PolicyNet, FullSizeGradientsOnASample) {
  Net::Shape s;  // ConfuciuX's sizes: 10-wide encoders, 128 hidden, LSTM 128, 12 levels
  s.valueHead = true;
  Net net(s, 20);
  Rng rng(11);
  net.initialize(rng);
  Episode e = makeEpisode(s, 20, rng);
  std::vector<Eigen::Index> idx;
  for (int k = 0; k < 400; ++k) idx.push_back(Eigen::Index(rng.below(int(net.params().size()))));
  // Every parameter block is hit: the LSTM range and both ends of the vector.
  idx.push_back(0);
  idx.push_back(net.lstmBegin());
  idx.push_back(net.lstmEnd() - 1);
  idx.push_back(net.params().size() - 1);
  EXPECT_LT(checkGradients(net, e, idx), 1e-5);
}

TEST(PolicyNet, SoftmaxHeadsAreDistributions) {
  PolicyNet<float>::Shape s;
  PolicyNet<float> net(s, 3);
  Rng rng(1);
  net.initialize(rng);
  net.beginEpisode();
  float x[10] = {0.1f, -0.2f, 0.3f, 1, -1, 0, 0.5f, -1, -1, -1};
  for (int t = 0; t < 3; ++t) net.step(x);
  for (int t = 0; t < 3; ++t) {
    EXPECT_NEAR(net.peProbs(t).sum(), 1.0f, 1e-5f);
    EXPECT_NEAR(net.bufProbs(t).sum(), 1.0f, 1e-5f);
    EXPECT_GE(net.peProbs(t).minCoeff(), 0.0f);
  }
  // The LSTM carries state: the same input gives different outputs at later steps.
  EXPECT_GT((net.peProbs(0) - net.peProbs(2)).norm(), 0.0f);
}

TEST(PolicyNet, AdamAndClipping) {
  Eigen::VectorXd p = Eigen::VectorXd::Constant(3, 5.0), g(3);
  Adam<double> adam(3, 0.1);
  for (int i = 0; i < 500; ++i) {
    g = 2 * p;  // minimize |p|^2
    adam.step(p, g);
  }
  EXPECT_LT(p.norm(), 0.05);
  Eigen::VectorXd v(4);
  v << 3, 4, 0, 100;
  clipGradNorm(v, 0, 2, 1.0);  // only the first two: norm 5 -> 1
  EXPECT_NEAR(v.head(2).norm(), 1.0, 1e-5);
  EXPECT_EQ(v[3], 100);
  v[0] = std::nan("");
  clipGradNorm(v, 0, 4, 1.0);
  EXPECT_TRUE(v.allFinite());
}
