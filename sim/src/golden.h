// Golden reference: direct convolution in int8 x int8 -> int32 (wrapping, as the hardware's
// adders do), and the requantization of the write-back (rounding shift, ReLU, saturation).
#pragma once

#include <cstdint>
#include <vector>

#include "analects/costmodel/layer.h"

namespace analects::sim {

// A layer as a grouped convolution. GEMM and FC become 1x1 convs over one image of M = gemmM()
// rows and one column (the NVDLA schedule's view of them).
struct ConvView {
  int64_t N = 1, C = 1, H = 1, W = 1, K = 1, R = 1, S = 1;
  int64_t strideH = 1, strideW = 1, padTop = 0, padLeft = 0, dilationH = 1, dilationW = 1;
  int64_t groups = 1, P = 1, Q = 1;
  int64_t inputIndex(int64_t n, int64_t c, int64_t h, int64_t w) const {
    return ((n * C + c) * H + h) * W + w;
  }
  int64_t weightIndex(int64_t k, int64_t c, int64_t r, int64_t s) const {
    return ((k * (C / groups) + c) * R + r) * S + s;
  }
  int64_t outputIndex(int64_t n, int64_t k, int64_t p, int64_t q) const {
    return ((n * K + k) * P + p) * Q + q;
  }
};
ConvView convView(const Layer& layer);

// out[n][k][p][q] from x[n][c][h][w] and w[k][c / groups][r][s]; padding reads as zero.
std::vector<int32_t> goldenConv(const ConvView& v, const std::vector<int8_t>& x,
                                const std::vector<int8_t>& w);

// The default int8 output shift of a layer: a dot product of n uniform int8 pairs has a
// standard deviation near 5461 * sqrt(n); shift it down to about 32 so outputs use their range.
int autoShift(const ConvView& v);

// A layer's random int8 inputs and weights (uniform, from `seed`), its golden int32 outputs and
// the int8 output shift (`shift`, or autoShift() when negative).
struct LayerData {
  std::vector<int8_t> x, w;
  std::vector<int32_t> golden;
  int shift = 0;
};
LayerData randomLayerData(const ConvView& v, uint64_t seed, int shift);

// int8 output: round half up, (acc + 2^(shift-1)) >> shift (arithmetic), ReLU, saturate.
int8_t requantize(int32_t acc, int shift, bool relu);

}  // namespace analects::sim
