#include "csv_rows.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <sstream>

#include "analects/costmodel/layer.h"

namespace analects::detail {

namespace {
std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}
}  // namespace

std::string withoutBom(const std::string& text) {
  return text.rfind("\xEF\xBB\xBF", 0) == 0 ? text.substr(3) : text;
}

std::vector<CsvRow> splitCsv(const std::string& text) {
  std::vector<CsvRow> rows;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    CsvRow row;
    row.line = number;
    std::string cell;
    std::istringstream cells(t);
    while (std::getline(cells, cell, ',')) row.cells.push_back(trim(cell));
    if (!t.empty() && t.back() == ',') row.cells.push_back("");
    rows.push_back(std::move(row));
  }
  return rows;
}

long long parseIntCell(const std::string& cell, const std::string& source, int line,
                       const std::string& column) {
  if (cell.empty())
    throw WorkloadError(fmt::format("{}: line {}: column '{}' is empty", source, line, column));
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(cell.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE)
    throw WorkloadError(fmt::format("{}: line {}: column '{}': '{}' is not a whole number", source,
                                    line, column, cell));
  return v;
}

}  // namespace analects::detail
