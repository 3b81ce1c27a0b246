// Workload: a named list of layers with provenance, and the importers that build one.
#pragma once

#include <string>
#include <vector>

#include "analects/costmodel/layer.h"

namespace analects {

struct Workload {
  std::string name;
  std::string source;  // file or zoo entry it came from
  std::vector<Layer> layers;
  std::vector<std::string> warnings;      // e.g. "format carries no strides"
  std::vector<std::string> skippedOps;    // ONNX ops that are not layers (Relu, Add, ...)

  int64_t totalMacs() const;
  // Validates every layer; throws WorkloadError naming the source and the layer index.
  void validate() const;
};

// Import formats.
enum class WorkloadFormat { Auto, LayerTable, Confuciux, Onnx };

// Reads a workload file. Auto picks by extension (.onnx) and CSV header. Throws WorkloadError
// with the file name (and line, for text formats) on any problem.
Workload loadWorkloadFile(const std::string& path, WorkloadFormat format = WorkloadFormat::Auto);

// Our own layer table (documented in README.md): named columns incl. stride/pad/dilation/groups.
Workload parseLayerTable(const std::string& text, const std::string& sourceName);
std::string writeLayerTable(const Workload& workload);

// ConfuciuX / MAESTRO CSV (K,C,Y,X,R,S,T; GEMM M,N,K,..,3; FC O,I,..,0): read as those tools
// mean it, stride 1 without padding, with a warning saying so.
Workload parseConfuciuxCsv(const std::string& text, const std::string& sourceName);

// ONNX model (Conv, Gemm, MatMul with static shapes); needs only initializer dims.
Workload loadOnnx(const std::string& path);

// The built-in model zoo (tables compiled into the binary from workloads/).
std::vector<std::string> zooNames();
bool isZooName(const std::string& name);
Workload loadZoo(const std::string& name);
// A zoo name or a file path; throws WorkloadError for neither.
Workload loadWorkload(const std::string& nameOrPath);

}  // namespace analects
