#include "analects/costmodel/workload.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "csv_rows.h"

namespace analects {

int64_t Workload::totalMacs() const {
  int64_t total = 0;
  for (const auto& l : layers) total += l.macs();
  return total;
}

void Workload::validate() const {
  if (layers.empty()) throw WorkloadError(fmt::format("{}: the workload has no layers", source));
  for (size_t i = 0; i < layers.size(); ++i) {
    try {
      layers[i].validate();
    } catch (const WorkloadError& e) {
      throw WorkloadError(fmt::format("{}: layer {}: {}", source, i, e.what()));
    }
  }
  // Names select layers (sim --layers, reports, recipes): each must name one layer.
  std::unordered_map<std::string, size_t> first;
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto [at, fresh] = first.emplace(layers[i].name, i);
    if (!fresh)
      throw WorkloadError(
          fmt::format("{}: layers {} and {} are both named '{}' (names must be unique)", source,
                      at->second, i, layers[i].name));
  }
}

namespace {

std::string readTextFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw WorkloadError(fmt::format("{}: no such file", path));
  if (fs::is_directory(path, ec))
    throw WorkloadError(fmt::format("{}: is a directory, expected a workload file", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw WorkloadError(fmt::format("{}: cannot open for reading", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return detail::withoutBom(ss.str());
}

std::string firstDataLine(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto pos = line.find_first_not_of(" \t\r");
    if (pos == std::string::npos || line[pos] == '#') continue;
    return line.substr(pos);
  }
  return {};
}

std::string stem(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

}  // namespace

Workload loadWorkloadFile(const std::string& path, WorkloadFormat format) {
  namespace fs = std::filesystem;
  if (format == WorkloadFormat::Auto) {
    std::string ext = fs::path(path).extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".onnx") {
      format = WorkloadFormat::Onnx;
    } else {
      std::string text = readTextFile(path);
      std::string header = firstDataLine(text);
      if (header.empty()) throw WorkloadError(fmt::format("{}: the file is empty", path));
      if (header.rfind("name", 0) == 0) {
        format = WorkloadFormat::LayerTable;
      } else if (header.rfind("K,C,Y,X", 0) == 0 || header.rfind("M,N,K", 0) == 0 ||
                 header.rfind("O,I", 0) == 0) {
        format = WorkloadFormat::Confuciux;
      } else {
        throw WorkloadError(fmt::format(
            "{}: line 1: unrecognized header '{}' (expected a layer table starting with 'name,op'"
            " or a ConfuciuX CSV starting with 'K,C,Y,X')",
            path, header));
      }
    }
  }
  Workload w;
  switch (format) {
    case WorkloadFormat::Onnx: w = loadOnnx(path); break;
    case WorkloadFormat::LayerTable: w = parseLayerTable(readTextFile(path), path); break;
    case WorkloadFormat::Confuciux: w = parseConfuciuxCsv(readTextFile(path), path); break;
    case WorkloadFormat::Auto: break;
  }
  if (w.name.empty()) w.name = stem(path);
  w.source = path;
  w.validate();
  return w;
}

Workload loadWorkload(const std::string& nameOrPath) {
  if (isZooName(nameOrPath)) return loadZoo(nameOrPath);
  std::error_code ec;
  if (std::filesystem::exists(nameOrPath, ec)) return loadWorkloadFile(nameOrPath);
  std::string names;
  for (const auto& n : zooNames()) names += (names.empty() ? "" : ", ") + n;
  throw WorkloadError(fmt::format(
      "'{}' is neither a zoo model nor an existing file (zoo models: {})", nameOrPath, names));
}

}  // namespace analects
