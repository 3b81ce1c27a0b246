// Internal: splits simple CSV text (no quoting; '#' comments) into rows with line numbers.
#pragma once

#include <string>
#include <vector>

namespace analects::detail {

struct CsvRow {
  int line = 0;  // 1-based line number in the file
  std::vector<std::string> cells;
};

std::vector<CsvRow> splitCsv(const std::string& text);
// The text without a leading UTF-8 byte-order mark (spreadsheet programs write one).
std::string withoutBom(const std::string& text);
// Parses a whole-number cell; throws WorkloadError "<source>: line L: column 'c': ...".
long long parseIntCell(const std::string& cell, const std::string& source, int line,
                       const std::string& column);

}  // namespace analects::detail
