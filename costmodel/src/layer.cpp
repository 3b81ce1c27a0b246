#include "analects/costmodel/layer.h"

#include <fmt/format.h>

namespace analects {

const char* opName(OpType op) {
  switch (op) {
    case OpType::Conv: return "conv";
    case OpType::Gemm: return "gemm";
    case OpType::Fc: return "fc";
  }
  return "conv";
}

OpType parseOp(const std::string& text) {
  if (text == "conv") return OpType::Conv;
  if (text == "gemm") return OpType::Gemm;
  if (text == "fc" || text == "linear") return OpType::Fc;
  throw WorkloadError(fmt::format("unknown op '{}' (expected conv, gemm or fc)", text));
}

Layer Layer::conv(std::string name, int64_t K, int64_t C, int64_t H, int64_t W, int64_t R,
                  int64_t S, int64_t stride, int64_t pad, int64_t groups) {
  Layer l;
  l.name = std::move(name);
  l.op = OpType::Conv;
  l.K = K, l.C = C, l.H = H, l.W = W, l.R = R, l.S = S;
  l.strideH = l.strideW = stride;
  l.padH = l.padW = l.padHEnd = l.padWEnd = pad;
  l.groups = groups;
  return l;
}

Layer Layer::gemm(std::string name, int64_t M, int64_t N, int64_t Kred) {
  Layer l;
  l.name = std::move(name);
  l.op = OpType::Gemm;
  l.H = M, l.W = 1, l.K = N, l.C = Kred;
  return l;
}

Layer Layer::fc(std::string name, int64_t outFeatures, int64_t inFeatures, int64_t batch) {
  Layer l;
  l.name = std::move(name);
  l.op = OpType::Fc;
  l.N = batch, l.K = outFeatures, l.C = inFeatures;
  return l;
}

int64_t Layer::P() const {
  int64_t span = H + padH + padHEnd - effectiveR();
  return span < 0 ? 0 : span / strideH + 1;
}

int64_t Layer::Q() const {
  int64_t span = W + padW + padWEnd - effectiveS();
  return span < 0 ? 0 : span / strideW + 1;
}

int64_t Layer::macs() const { return N * K * P() * Q() * channelsPerGroup() * R * S; }
int64_t Layer::inputElems() const { return N * C * H * W; }
int64_t Layer::weightElems() const { return K * channelsPerGroup() * R * S; }
int64_t Layer::outputElems() const { return N * K * P() * Q(); }

void Layer::validate() const {
  auto fail = [&](const std::string& what) {
    throw WorkloadError(fmt::format("layer '{}': {}", name, what));
  };
  // Dims beyond 2^24 would overflow MAC counts of realistic layers; nothing real is that big.
  constexpr int64_t kMaxDim = int64_t(1) << 24;
  struct Field { const char* name; int64_t value; int64_t min; };
  const Field fields[] = {{"N", N, 1},           {"K", K, 1},           {"C", C, 1},
                          {"H", H, 1},           {"W", W, 1},           {"R", R, 1},
                          {"S", S, 1},           {"stride_h", strideH, 1}, {"stride_w", strideW, 1},
                          {"pad_h", padH, 0},    {"pad_w", padW, 0},    {"pad_h_end", padHEnd, 0},
                          {"pad_w_end", padWEnd, 0}, {"dilation_h", dilationH, 1},
                          {"dilation_w", dilationW, 1}, {"groups", groups, 1}};
  for (const auto& f : fields) {
    if (f.value < f.min)
      fail(fmt::format("{} = {} is not allowed (must be >= {})", f.name, f.value, f.min));
    if (f.value > kMaxDim) fail(fmt::format("{} = {} is too large", f.name, f.value));
  }
  if (name.empty()) throw WorkloadError("a layer has an empty name");
  if (C % groups != 0)
    fail(fmt::format("C = {} is not divisible by groups = {}", C, groups));
  if (K % groups != 0)
    fail(fmt::format("K = {} is not divisible by groups = {}", K, groups));
  if (op != OpType::Conv) {
    if (R != 1 || S != 1 || groups != 1 || strideH != 1 || strideW != 1 || padH || padW ||
        padHEnd || padWEnd)
      fail(fmt::format("{} layers must have R = S = 1, stride 1, no padding and groups 1",
                       opName(op)));
    if (op == OpType::Fc && (H != 1 || W != 1)) fail("fc layers must have H = W = 1");
    if (op == OpType::Gemm && (W != 1 || N != 1)) fail("gemm layers must have N = 1 and W = 1");
  }
  if (effectiveR() > H + padH + padHEnd)
    fail(fmt::format("kernel height {} is larger than the padded input height {}", effectiveR(),
                     H + padH + padHEnd));
  if (effectiveS() > W + padW + padWEnd)
    fail(fmt::format("kernel width {} is larger than the padded input width {}", effectiveS(),
                     W + padW + padWEnd));
  // What the models' 64-bit counts hold with room for refetches and zero-padded atoms: tensors
  // up to 2^36 elements, 2^46 MACs, and each output channel rereading the input once (2^50).
  // Nothing real comes near (a 4096 x 4096 x 256 input is 2^32 elements); products are formed
  // in 128 bits, so the check itself cannot overflow.
  using Big = __int128;
  const Big outputs = Big(N) * K * P() * Q(), perOutput = Big(channelsPerGroup()) * R * S;
  struct Limit {
    const char* what;
    Big value;
    int log2Max;
  };
  const Limit limits[] = {{"input N*C*H*W", Big(N) * C * H * W, 36},
                          {"weights K*(C/groups)*R*S", Big(K) * perOutput, 36},
                          {"output N*K*P*Q", outputs, 36},
                          {"MACs", outputs * perOutput, 46},
                          {"input x kernels N*C*H*W*K", Big(N) * C * H * W * K, 50}};
  for (const Limit& l : limits)
    if (l.value > (Big(1) << l.log2Max))
      fail(fmt::format("{} = {:.3g} is too large for the cost model (at most 2^{})", l.what,
                       double(l.value), l.log2Max));
  if (macs() <= 0) fail("the layer has no output");
}

}  // namespace analects
