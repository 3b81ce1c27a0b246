// Our own layer-table CSV: named columns, documented in README.md ("Layer table format").
#include <fmt/format.h>

#include <map>
#include <sstream>

#include "analects/costmodel/workload.h"
#include "csv_rows.h"

namespace analects {

namespace {

struct Column {
  const char* name;
  int64_t Layer::*field;
  int64_t defaultValue;
};

// Optional columns default as a plain, unpadded, stride-1 conv would.
const Column kIntColumns[] = {
    {"N", &Layer::N, 1},          {"K", &Layer::K, -1},         {"C", &Layer::C, -1},
    {"H", &Layer::H, 1},          {"W", &Layer::W, 1},          {"R", &Layer::R, 1},
    {"S", &Layer::S, 1},          {"stride_h", &Layer::strideH, 1},
    {"stride_w", &Layer::strideW, 1}, {"pad_h", &Layer::padH, 0},
    {"pad_w", &Layer::padW, 0},   {"dilation_h", &Layer::dilationH, 1},
    {"dilation_w", &Layer::dilationW, 1}, {"groups", &Layer::groups, 1},
    {"pad_h_end", &Layer::padHEnd, -1}, {"pad_w_end", &Layer::padWEnd, -1},
};

}  // namespace

Workload parseLayerTable(const std::string& file, const std::string& source) {
  using detail::parseIntCell;
  const std::string text = detail::withoutBom(file);
  Workload w;
  w.source = source;
  // "# model: <name>" comment names the workload.
  {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      auto pos = line.find("# model:");
      if (pos == 0) {
        auto v = line.substr(8);
        auto b = v.find_first_not_of(" \t");
        auto e = v.find_last_not_of(" \t\r");
        if (b != std::string::npos) w.name = v.substr(b, e - b + 1);
        break;
      }
    }
  }
  auto rows = detail::splitCsv(text);
  if (rows.empty()) throw WorkloadError(fmt::format("{}: the file is empty", source));
  const auto& header = rows.front();
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < header.cells.size(); ++i) {
    const auto& h = header.cells[i];
    bool known = h == "name" || h == "op";
    for (const auto& c : kIntColumns) known = known || h == c.name;
    if (!known)
      throw WorkloadError(fmt::format("{}: line {}: unknown column '{}'", source, header.line, h));
    if (col.count(h))
      throw WorkloadError(
          fmt::format("{}: line {}: column '{}' appears twice", source, header.line, h));
    col[h] = i;
  }
  for (const char* required : {"name", "op", "K", "C"})
    if (!col.count(required))
      throw WorkloadError(fmt::format("{}: line {}: missing required column '{}'", source,
                                      header.line, required));
  if (rows.size() == 1) throw WorkloadError(fmt::format("{}: the table has no layers", source));
  std::map<std::string, int> nameLine;  // layer name -> line that defines it

  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.cells.size() != header.cells.size())
      throw WorkloadError(fmt::format("{}: line {}: {} cells, but the header has {} columns", source,
                                      row.line, row.cells.size(), header.cells.size()));
    Layer l;
    l.name = row.cells[col["name"]];
    if (l.name.empty())
      throw WorkloadError(fmt::format("{}: line {}: column 'name' is empty", source, row.line));
    if (const auto [at, fresh] = nameLine.emplace(l.name, row.line); !fresh)
      throw WorkloadError(fmt::format("{}: line {}: layer name '{}' is already used on line {}",
                                      source, row.line, l.name, at->second));
    try {
      l.op = parseOp(row.cells[col["op"]]);
    } catch (const WorkloadError& e) {
      throw WorkloadError(fmt::format("{}: line {}: column 'op': {}", source, row.line, e.what()));
    }
    for (const auto& c : kIntColumns) {
      auto it = col.find(c.name);
      l.*c.field = it == col.end() ? c.defaultValue
                                   : parseIntCell(row.cells[it->second], source, row.line, c.name);
    }
    if (l.padHEnd < 0 && !col.count("pad_h_end")) l.padHEnd = l.padH;
    if (l.padWEnd < 0 && !col.count("pad_w_end")) l.padWEnd = l.padW;
    try {
      l.validate();
    } catch (const WorkloadError& e) {
      throw WorkloadError(fmt::format("{}: line {}: {}", source, row.line, e.what()));
    }
    w.layers.push_back(std::move(l));
  }
  return w;
}

std::string writeLayerTable(const Workload& w) {
  std::string out;
  out += fmt::format("# model: {}\n", w.name);
  if (!w.source.empty()) out += fmt::format("# source: {}\n", w.source);
  bool asymmetric = false;
  for (const auto& l : w.layers) asymmetric |= l.padHEnd != l.padH || l.padWEnd != l.padW;
  out += "name,op,N,K,C,H,W,R,S,stride_h,stride_w,pad_h,pad_w,dilation_h,dilation_w,groups";
  out += asymmetric ? ",pad_h_end,pad_w_end\n" : "\n";
  for (const auto& l : w.layers) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}", l.name, opName(l.op), l.N,
                       l.K, l.C, l.H, l.W, l.R, l.S, l.strideH, l.strideW, l.padH, l.padW,
                       l.dilationH, l.dilationW, l.groups);
    out += asymmetric ? fmt::format(",{},{}\n", l.padHEnd, l.padWEnd) : "\n";
  }
  return out;
}

}  // namespace analects
