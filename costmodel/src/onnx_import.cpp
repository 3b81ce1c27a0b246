// ONNX importer: Conv, Gemm and MatMul with static shapes, via ONNX's own shape inference.
// Only tensor dims are used, so models whose initializers hold no data (external data that is
// absent) load fine.
#include <fmt/format.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "analects/costmodel/workload.h"

namespace analects {

namespace {

using Dims = std::vector<int64_t>;

// torch scopes look like "/layer1/layer1.0/conv1/Conv": rebuild "layer1.0.conv1".
std::string moduleNameFromScope(const std::string& nodeName) {
  if (nodeName.empty() || nodeName[0] != '/') return {};
  std::vector<std::string> segs;
  size_t pos = 1;
  while (pos <= nodeName.size()) {
    size_t next = nodeName.find('/', pos);
    if (next == std::string::npos) next = nodeName.size();
    segs.push_back(nodeName.substr(pos, next - pos));
    pos = next + 1;
  }
  if (segs.size() < 2) return {};
  segs.pop_back();  // the op itself ("Conv")
  std::string parent, last;
  for (const auto& seg : segs) {
    if (seg.empty()) continue;
    if (!last.empty() && seg.rfind(last + ".", 0) == 0) {
      last = seg;
    } else {
      if (!last.empty()) parent += last + ".";
      last = seg;
    }
  }
  return parent + last;
}

struct ShapeTable {
  std::map<std::string, Dims> dims;  // only fully static shapes

  void addValueInfo(const onnx::ValueInfoProto& vi) {
    if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape()) return;
    Dims d;
    for (const auto& dim : vi.type().tensor_type().shape().dim()) {
      if (!dim.has_dim_value()) return;
      d.push_back(dim.dim_value());
    }
    dims[vi.name()] = d;
  }
  const Dims* find(const std::string& name) const {
    auto it = dims.find(name);
    return it == dims.end() ? nullptr : &it->second;
  }
};

std::vector<int64_t> intsAttr(const onnx::NodeProto& node, const char* name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return {a.ints().begin(), a.ints().end()};
  return {};
}

int64_t intAttr(const onnx::NodeProto& node, const char* name, int64_t fallback) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return a.i();
  return fallback;
}

std::string stringAttr(const onnx::NodeProto& node, const char* name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return a.s();
  return {};
}

}  // namespace

Workload loadOnnx(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw WorkloadError(fmt::format("{}: no such file", path));
  if (fs::is_directory(path, ec))
    throw WorkloadError(fmt::format("{}: is a directory, expected an ONNX model", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw WorkloadError(fmt::format("{}: cannot open for reading", path));
  onnx::ModelProto model;
  if (!model.ParseFromIstream(&in))
    throw WorkloadError(fmt::format("{}: not a valid ONNX model (protobuf parse failed)", path));
  if (!model.has_graph() || model.graph().node_size() == 0)
    throw WorkloadError(fmt::format("{}: the ONNX model has no graph nodes", path));

  try {
    onnx::ShapeInferenceOptions options;
    options.check_type = false;
    options.error_mode = 0;  // best effort: keep what can be inferred
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception& e) {
    throw WorkloadError(fmt::format("{}: ONNX shape inference failed: {}", path, e.what()));
  }

  const auto& g = model.graph();
  ShapeTable shapes;
  for (const auto& vi : g.input()) shapes.addValueInfo(vi);
  for (const auto& vi : g.value_info()) shapes.addValueInfo(vi);
  for (const auto& vi : g.output()) shapes.addValueInfo(vi);
  std::map<std::string, Dims> initializers;
  for (const auto& t : g.initializer()) {
    Dims d(t.dims().begin(), t.dims().end());
    initializers[t.name()] = d;
    shapes.dims[t.name()] = d;
  }

  Workload w;
  w.name = fs::path(path).stem().string();
  w.source = path;
  std::map<std::string, int> skipped;
  // Layer names must be unique (Workload::validate): a name met again gets the first free
  // suffix _1, _2, ... (a node may itself be named like an earlier one's suffixed name).
  std::set<std::string> usedNames;
  std::map<std::string, int> nextSuffix;
  int index = 0;
  for (const auto& node : g.node()) {
    const std::string& type = node.op_type();
    std::string where = fmt::format("{}: node {} ('{}', {})", path, index,
                                    node.name().empty() ? "unnamed" : node.name(), type);
    ++index;
    auto need = [&](int i) -> const Dims& {
      if (node.input_size() <= i || node.input(i).empty())
        throw WorkloadError(fmt::format("{}: missing input {}", where, i));
      const Dims* d = shapes.find(node.input(i));
      if (!d)
        throw WorkloadError(fmt::format("{}: the shape of input '{}' is not static or not known",
                                        where, node.input(i)));
      return *d;
    };
    Layer l;
    if (type == "Conv") {
      const Dims& x = need(0);
      const Dims& wt = need(1);
      if (x.size() != 4 || wt.size() != 4)
        throw WorkloadError(
            fmt::format("{}: only 2-D convolutions are supported (input rank {})", where, x.size()));
      l.op = OpType::Conv;
      l.N = x[0], l.C = x[1], l.H = x[2], l.W = x[3];
      l.K = wt[0], l.R = wt[2], l.S = wt[3];
      l.groups = intAttr(node, "group", 1);
      auto strides = intsAttr(node, "strides");
      auto dil = intsAttr(node, "dilations");
      auto pads = intsAttr(node, "pads");
      // Absent means the defaults; present with the wrong count is a malformed model.
      auto checkCount = [&](const char* attr, const std::vector<int64_t>& v, size_t n) {
        if (!v.empty() && v.size() != n)
          throw WorkloadError(fmt::format(
              "{}: attribute '{}' has {} values (a 2-D convolution takes {})", where, attr,
              v.size(), n));
      };
      checkCount("strides", strides, 2);
      checkCount("dilations", dil, 2);
      checkCount("pads", pads, 4);
      if (strides.size() == 2) l.strideH = strides[0], l.strideW = strides[1];
      if (dil.size() == 2) l.dilationH = dil[0], l.dilationW = dil[1];
      std::string autoPad = stringAttr(node, "auto_pad");
      if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
        auto same = [&](int64_t in, int64_t stride, int64_t k, int64_t& begin, int64_t& end) {
          int64_t out = (in + stride - 1) / stride;
          int64_t total = std::max<int64_t>(0, (out - 1) * stride + k - in);
          begin = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
          end = total - begin;
        };
        same(l.H, l.strideH, l.effectiveR(), l.padH, l.padHEnd);
        same(l.W, l.strideW, l.effectiveS(), l.padW, l.padWEnd);
      } else if (pads.size() == 4) {
        l.padH = pads[0], l.padW = pads[1], l.padHEnd = pads[2], l.padWEnd = pads[3];
      }
      if (wt[1] * l.groups != l.C)
        throw WorkloadError(fmt::format("{}: weight has {} input channels per group but the input "
                                        "has {} channels in {} groups",
                                        where, wt[1], l.C, l.groups));
    } else if (type == "Gemm") {
      const Dims& a = need(0);
      const Dims& b = need(1);
      if (a.size() != 2 || b.size() != 2)
        throw WorkloadError(fmt::format("{}: Gemm operands must be matrices", where));
      bool ta = intAttr(node, "transA", 0) != 0, tb = intAttr(node, "transB", 0) != 0;
      int64_t M = ta ? a[1] : a[0], Kred = ta ? a[0] : a[1];
      int64_t N = tb ? b[0] : b[1];
      if ((tb ? b[1] : b[0]) != Kred)
        throw WorkloadError(fmt::format("{}: Gemm inner dimensions differ", where));
      // A Gemm with a weight initializer is a fully connected layer over a batch of M rows.
      l = initializers.count(node.input(1)) ? Layer::fc("", N, Kred, M) : Layer::gemm("", M, N, Kred);
    } else if (type == "MatMul") {
      const Dims& a = need(0);
      const Dims& b = need(1);
      if (a.size() < 1 || b.size() < 2)
        throw WorkloadError(fmt::format("{}: MatMul operand rank too small", where));
      int64_t Kred = a.back(), N = b.back();
      if (b[b.size() - 2] != Kred)
        throw WorkloadError(fmt::format("{}: MatMul inner dimensions differ", where));
      // Batched matmuls fold their batch dims into M: the MAC count is the same.
      int64_t M = 1;
      for (size_t i = 0; i + 1 < a.size(); ++i) M *= a[i];
      if (!initializers.count(node.input(1)) && b.size() > 2 && a.size() < b.size()) {
        for (size_t i = 0; i + 2 < b.size(); ++i) M *= b[i];
      }
      l = Layer::gemm("", M, N, Kred);
    } else {
      ++skipped[type];
      continue;
    }
    std::string name = moduleNameFromScope(node.name());
    if (name.empty() && node.input_size() > 1) {
      const std::string& wname = node.input(1);
      if (wname.size() > 7 && wname.compare(wname.size() - 7, 7, ".weight") == 0)
        name = wname.substr(0, wname.size() - 7);
    }
    if (name.empty()) name = node.name().empty() ? fmt::format("{}_{}", type, index - 1) : node.name();
    std::string unique = name;
    for (int& k = nextSuffix[name]; usedNames.count(unique);)
      unique = fmt::format("{}_{}", name, ++k);
    usedNames.insert(unique);
    l.name = unique;
    try {
      l.validate();
    } catch (const WorkloadError& e) {
      throw WorkloadError(fmt::format("{}: {}", where, e.what()));
    }
    w.layers.push_back(std::move(l));
  }
  for (const auto& [op, count] : skipped) w.skippedOps.push_back(fmt::format("{} x{}", op, count));
  if (w.layers.empty())
    throw WorkloadError(fmt::format("{}: the model has no Conv, Gemm or MatMul layers", path));
  return w;
}

}  // namespace analects
