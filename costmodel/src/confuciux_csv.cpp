// ConfuciuX / MAESTRO layer CSVs, read as those tools mean them: every layer stride 1, no pad.
#include <fmt/format.h>

#include "analects/costmodel/workload.h"
#include "csv_rows.h"

namespace analects {

Workload parseConfuciuxCsv(const std::string& text, const std::string& source) {
  using detail::parseIntCell;
  auto rows = detail::splitCsv(detail::withoutBom(text));
  if (rows.empty()) throw WorkloadError(fmt::format("{}: the file is empty", source));
  const auto& header = rows.front();
  if (header.cells.size() != 7)
    throw WorkloadError(fmt::format("{}: line {}: expected 7 columns (K,C,Y,X,R,S,T), found {}",
                                    source, header.line, header.cells.size()));
  if (rows.size() == 1) throw WorkloadError(fmt::format("{}: the table has no layers", source));
  Workload w;
  w.source = source;
  w.warnings.push_back(fmt::format(
      "{}: the ConfuciuX CSV format carries no strides or padding; every layer is read as stride "
      "1 without padding, as ConfuciuX and MAESTRO do (strided layers get too many MACs)",
      source));
  static const char* kNames[7] = {"K", "C", "Y", "X", "R", "S", "T"};
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.cells.size() != 7)
      throw WorkloadError(fmt::format("{}: line {}: expected 7 cells, found {}", source, row.line,
                                      row.cells.size()));
    long long v[7];
    for (int i = 0; i < 7; ++i) v[i] = parseIntCell(row.cells[i], source, row.line, kNames[i]);
    std::string name = fmt::format("layer{}", r - 1);
    Layer l;
    switch (v[6]) {
      case 1: l = Layer::conv(name, v[0], v[1], v[2], v[3], v[4], v[5]); break;
      case 2:  // depthwise: K column is 1, C holds the channels
        l = Layer::conv(name, v[1], v[1], v[2], v[3], v[4], v[5], 1, 0, v[1]);
        break;
      case 3: l = Layer::gemm(name, v[0], v[1], v[2]); break;  // M,N,K,1,1,1,3
      case 0: l = Layer::fc(name, v[0], v[1]); break;          // O,I,1,1,1,1,0
      default:
        throw WorkloadError(fmt::format(
            "{}: line {}: column 'T': {} is not a layer type (1 conv, 2 depthwise, 3 gemm, 0 fc)",
            source, row.line, v[6]));
    }
    try {
      l.validate();
    } catch (const WorkloadError& e) {
      throw WorkloadError(fmt::format("{}: line {}: {}", source, row.line, e.what()));
    }
    w.layers.push_back(std::move(l));
  }
  return w;
}

}  // namespace analects
