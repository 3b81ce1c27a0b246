// Minimal SVG charts for the self-contained HTML report (no scripts, no external files).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace analects::flows {

struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y)
};

// Step-wise line chart (convergence traces). logY plots log10(y); non-positive y are skipped.
std::string lineChartSvg(const std::string& title, const std::string& xLabel,
                         const std::string& yLabel, const std::vector<Series>& series, bool logY,
                         const std::vector<std::pair<std::string, double>>& hLines = {});

// Grouped bar chart: one group per label, one bar per series (values[series][label]).
std::string barChartSvg(const std::string& title, const std::string& yLabel,
                        const std::vector<std::string>& labels,
                        const std::vector<std::string>& seriesNames,
                        const std::vector<std::vector<double>>& values, bool logY = false);

std::string htmlEscape(const std::string& s);

}  // namespace analects::flows
