// Rng: the one source of randomness of a search, seeded explicitly (no global RNG).
// Draws are computed from the raw std::mt19937_64 output, not through the standard
// distributions, so a seed gives the same numbers with every standard library.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace analects::search {

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}

  uint64_t next() { return gen_(); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return double(gen_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-50 for our n).
  int below(int n) { return int((static_cast<unsigned __int128>(gen_()) * uint64_t(n)) >> 64); }
  // Uniform integer in [lo, hi].
  int between(int lo, int hi) { return lo + below(hi - lo + 1); }
  bool chance(double p) { return uniform() < p; }
  // Standard normal (Box-Muller).
  double normal() {
    double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  template <typename T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[size_t(below(int(i)))]);
  }
  // Index drawn from unnormalized non-negative weights (all-zero weights: uniform).
  template <typename Vec>
  int categorical(const Vec& w, int n) {
    double total = 0;
    for (int i = 0; i < n; ++i) total += double(w[i]);
    if (!(total > 0)) return below(n);
    double u = uniform() * total;
    for (int i = 0; i < n; ++i) {
      u -= double(w[i]);
      if (u < 0) return i;
    }
    for (int i = n - 1; i >= 0; --i)
      if (double(w[i]) > 0) return i;
    return n - 1;
  }

 private:
  std::mt19937_64 gen_;
};

}  // namespace analects::search
