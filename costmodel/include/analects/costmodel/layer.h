// Layer: one DNN operator as the cost model, the search and the RTL see it.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace analects {

// Thrown for any malformed workload: the message names the layer and field.
class WorkloadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class OpType { Conv, Gemm, Fc };

const char* opName(OpType op);
// Parses "conv" | "gemm" | "fc"; throws WorkloadError otherwise.
OpType parseOp(const std::string& text);

// A convolution in NKCHW/KCRS terms. GEMM and FC layers use the same fields:
//   GEMM  out[M][N] = sum_k A[M][k] * B[k][N]  ->  H = M, W = 1, C = K (reduction),
//                                                  K = N (outputs), R = S = 1
//   FC    out[O] = W[O][I] * in[I], batch N      ->  H = W = 1, C = I, K = O, R = S = 1
// Output dims P, Q are derived, never stored. Padding may be asymmetric (ONNX "SAME"):
// padH/padW are the top/left pads, padHEnd/padWEnd the bottom/right ones.
struct Layer {
  std::string name;
  OpType op = OpType::Conv;
  int64_t N = 1, K = 1, C = 1, H = 1, W = 1, R = 1, S = 1;
  int64_t strideH = 1, strideW = 1;
  int64_t padH = 0, padW = 0, padHEnd = 0, padWEnd = 0;
  int64_t dilationH = 1, dilationW = 1;
  int64_t groups = 1;

  static Layer conv(std::string name, int64_t K, int64_t C, int64_t H, int64_t W, int64_t R,
                    int64_t S, int64_t stride = 1, int64_t pad = 0, int64_t groups = 1);
  static Layer gemm(std::string name, int64_t M, int64_t N, int64_t Kred);
  static Layer fc(std::string name, int64_t outFeatures, int64_t inFeatures, int64_t batch = 1);

  int64_t P() const;  // output height
  int64_t Q() const;  // output width
  int64_t effectiveR() const { return dilationH * (R - 1) + 1; }
  int64_t effectiveS() const { return dilationW * (S - 1) + 1; }
  int64_t channelsPerGroup() const { return C / groups; }
  int64_t kernelsPerGroup() const { return K / groups; }
  bool isDepthwise() const { return groups > 1 && groups == C && groups == K; }

  int64_t macs() const;         // N*K*P*Q*(C/groups)*R*S
  int64_t inputElems() const;   // N*C*H*W
  int64_t weightElems() const;  // K*(C/groups)*R*S
  int64_t outputElems() const;  // N*K*P*Q

  // GEMM view (meaningful for every op): M rows, N columns, K reduction.
  int64_t gemmM() const { return N * P() * Q(); }

  // Throws WorkloadError naming the layer and the offending field.
  void validate() const;
};

}  // namespace analects
