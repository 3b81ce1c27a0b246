#include "golden.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace analects::sim {

ConvView convView(const Layer& l) {
  ConvView v;
  if (l.op == OpType::Conv) {
    v.N = l.N, v.C = l.C, v.H = l.H, v.W = l.W, v.K = l.K, v.R = l.R, v.S = l.S;
    v.strideH = l.strideH, v.strideW = l.strideW, v.padTop = l.padH, v.padLeft = l.padW;
    v.dilationH = l.dilationH, v.dilationW = l.dilationW, v.groups = l.groups;
    v.P = l.P(), v.Q = l.Q();
  } else {
    v.N = 1, v.C = l.C, v.H = l.gemmM(), v.W = 1, v.K = l.K, v.R = v.S = 1;
    v.groups = l.groups;
    v.P = v.H, v.Q = 1;
  }
  return v;
}

std::vector<int32_t> goldenConv(const ConvView& v, const std::vector<int8_t>& x,
                                const std::vector<int8_t>& w) {
  const int64_t Cg = v.C / v.groups, Kg = v.K / v.groups;
  std::vector<int32_t> out(size_t(v.N * v.K * v.P * v.Q));
  for (int64_t n = 0; n < v.N; ++n)
    for (int64_t k = 0; k < v.K; ++k) {
      const int64_t g = k / Kg;
      for (int64_t p = 0; p < v.P; ++p)
        for (int64_t q = 0; q < v.Q; ++q) {
          uint32_t acc = 0;  // wraps like the int32 adders
          for (int64_t c = 0; c < Cg; ++c)
            for (int64_t r = 0; r < v.R; ++r) {
              const int64_t h = p * v.strideH - v.padTop + r * v.dilationH;
              if (h < 0 || h >= v.H) continue;
              for (int64_t s = 0; s < v.S; ++s) {
                const int64_t wc = q * v.strideW - v.padLeft + s * v.dilationW;
                if (wc < 0 || wc >= v.W) continue;
                acc += uint32_t(int32_t(x[size_t(v.inputIndex(n, g * Cg + c, h, wc))]) *
                                int32_t(w[size_t(v.weightIndex(k, c, r, s))]));
              }
            }
          out[size_t(v.outputIndex(n, k, p, q))] = int32_t(acc);
        }
    }
  return out;
}

int8_t requantize(int32_t acc, int shift, bool relu) {
  int64_t v = int64_t(acc);
  if (shift > 0) v = (v + (int64_t(1) << (shift - 1))) >> shift;  // arithmetic on int64
  const int64_t lo = relu ? 0 : -128;
  return int8_t(std::clamp<int64_t>(v, lo, 127));
}

int autoShift(const ConvView& v) {
  const double n = double(v.C / v.groups * v.R * v.S);
  return std::clamp(int(std::floor(std::log2(170.0 * std::sqrt(n)))), 0, 30);
}

LayerData randomLayerData(const ConvView& v, uint64_t seed, int shift) {
  LayerData d;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> int8(-128, 127);
  d.x.resize(size_t(v.N * v.C * v.H * v.W));
  d.w.resize(size_t(v.K * (v.C / v.groups) * v.R * v.S));
  for (auto& e : d.x) e = int8_t(int8(rng));
  for (auto& e : d.w) e = int8_t(int8(rng));
  d.golden = goldenConv(v, d.x, d.w);
  d.shift = shift >= 0 ? shift : autoShift(v);
  return d;
}

}  // namespace analects::sim
