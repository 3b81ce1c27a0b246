#include "analects/flows/svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace analects::flows {

namespace {

const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                         "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
constexpr double kW = 760, kH = 340, kLeft = 80, kRight = 160, kTop = 34, kBottom = 56;

std::string fmtTick(double v) {
  double a = std::fabs(v);
  if (a >= 1e4 || (a > 0 && a < 1e-2)) return fmt::format("{:.2e}", v);
  if (a >= 100) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}

struct Axis {
  double lo = 0, hi = 1;
  bool log = false;
  double map(double v, double pixLo, double pixHi) const {
    double t = log ? std::log10(v) : v;
    double a = log ? std::log10(lo) : lo, b = log ? std::log10(hi) : hi;
    if (b <= a) b = a + 1;
    return pixLo + (t - a) / (b - a) * (pixHi - pixLo);
  }
};

std::string frame(const std::string& title, const std::string& xLabel, const std::string& yLabel,
                  const Axis& x, const Axis& y, bool xTicks) {
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n<text x=\"{2}\" y=\"18\" font-size=\"14\" "
      "font-weight=\"bold\">{3}</text>\n",
      kW, kH, kLeft, htmlEscape(title));
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#444\"/>\n",
                   kLeft, kTop, kW - kLeft - kRight, kH - kTop - kBottom);
  for (int i = 0; i <= 4; ++i) {
    double v;
    if (y.log) v = std::pow(10, std::log10(y.lo) + i / 4.0 * (std::log10(y.hi) - std::log10(y.lo)));
    else v = y.lo + i / 4.0 * (y.hi - y.lo);
    double py = y.map(v, kH - kBottom, kTop);
    s += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>"
                     "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
                     kLeft, py, kW - kRight, py, kLeft - 4, py + 4, fmtTick(v));
  }
  if (xTicks) {
    for (int i = 0; i <= 4; ++i) {
      double v = x.lo + i / 4.0 * (x.hi - x.lo);
      double px = x.map(v, kLeft, kW - kRight);
      s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", px,
                       kH - kBottom + 16, fmtTick(v));
    }
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                   (kLeft + kW - kRight) / 2, kH - 8, htmlEscape(xLabel));
  s += fmt::format("<text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">{}</text>\n",
                   (kTop + kH - kBottom) / 2, (kTop + kH - kBottom) / 2, htmlEscape(yLabel));
  return s;
}

std::string legend(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) {
    double y = kTop + 8 + 16 * double(i);
    s += fmt::format("<rect x=\"{}\" y=\"{:.0f}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
                     "<text x=\"{}\" y=\"{:.0f}\">{}</text>\n",
                     kW - kRight + 10, y, kColors[i % 10], kW - kRight + 24, y + 9,
                     htmlEscape(names[i]));
  }
  return s;
}

}  // namespace

std::string htmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string lineChartSvg(const std::string& title, const std::string& xLabel,
                         const std::string& yLabel, const std::vector<Series>& series, bool logY,
                         const std::vector<std::pair<std::string, double>>& hLines) {
  Axis x, y;
  y.log = logY;
  bool any = false;
  auto include = [&](double px, double py) {
    if (logY && py <= 0) return;
    if (!any) x.lo = x.hi = px, y.lo = y.hi = py, any = true;
    x.lo = std::min(x.lo, px), x.hi = std::max(x.hi, px);
    y.lo = std::min(y.lo, py), y.hi = std::max(y.hi, py);
  };
  for (const auto& s : series)
    for (const auto& [px, py] : s.points) include(px, py);
  for (const auto& [name, v] : hLines) include(x.lo, v);
  if (!any) x = {0, 1}, y = {1, 10, logY};
  if (x.hi <= x.lo) x.hi = x.lo + 1;
  if (y.hi <= y.lo) y.hi = y.lo * (logY ? 1.1 : 1) + (logY ? 0 : 1);
  if (!logY) {
    double pad = (y.hi - y.lo) * 0.05;
    y.lo -= pad, y.hi += pad;
  } else {
    y.lo /= 1.05, y.hi *= 1.05;
  }
  std::string s = frame(title, xLabel, yLabel, x, y, true);
  std::vector<std::string> names;
  for (size_t i = 0; i < series.size(); ++i) {
    names.push_back(series[i].name);
    std::string path;
    double lastY = 0;
    bool started = false;
    for (const auto& [px, py] : series[i].points) {
      if (logY && py <= 0) continue;
      double X = x.map(px, kLeft, kW - kRight), Y = y.map(py, kH - kBottom, kTop);
      if (!started) path += fmt::format("M{:.1f},{:.1f}", X, Y), started = true;
      else path += fmt::format(" H{:.1f} V{:.1f}", X, Y);  // best-so-far steps
      lastY = Y;
    }
    if (started) {
      path += fmt::format(" H{:.1f}", kW - kRight);
      s += fmt::format("<path class=\"series\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                       path, kColors[i % 10]);
    } else if (series[i].points.size() == 1) {
      (void)lastY;
    }
  }
  for (const auto& [name, v] : hLines) {
    if (logY && v <= 0) continue;
    double Y = y.map(v, kH - kBottom, kTop);
    s += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#000\" "
                     "stroke-dasharray=\"5,4\"/><text x=\"{}\" y=\"{:.1f}\">{}</text>\n",
                     kLeft, Y, kW - kRight, Y, kLeft + 4, Y - 4, htmlEscape(name));
  }
  s += legend(names);
  return s + "</svg>\n";
}

std::string barChartSvg(const std::string& title, const std::string& yLabel,
                        const std::vector<std::string>& labels,
                        const std::vector<std::string>& seriesNames,
                        const std::vector<std::vector<double>>& values, bool logY) {
  Axis x{0, double(std::max<size_t>(labels.size(), 1))}, y{0, 1, logY};
  double hi = 0, lo = 0;
  bool any = false;
  for (const auto& row : values)
    for (double v : row)
      if (!logY || v > 0) {
        hi = any ? std::max(hi, v) : v;
        lo = any ? std::min(lo, v) : v;
        any = true;
      }
  if (logY) y = {any ? lo / 1.2 : 1, any ? hi * 1.2 : 10, true};
  else y = {0, any && hi > 0 ? hi * 1.05 : 1, false};
  std::string s = frame(title, labels.size() > 30 ? "layer" : "", yLabel, x, y, false);
  const double plotW = kW - kLeft - kRight;
  const double groupW = plotW / x.hi;
  const double barW = groupW * 0.8 / double(std::max<size_t>(values.size(), 1));
  for (size_t si = 0; si < values.size(); ++si)
    for (size_t li = 0; li < values[si].size() && li < labels.size(); ++li) {
      double v = values[si][li];
      if (logY && v <= 0) continue;
      double top = y.map(v, kH - kBottom, kTop);
      double base = logY ? kH - kBottom : y.map(0, kH - kBottom, kTop);
      double X = kLeft + groupW * double(li) + groupW * 0.1 + barW * double(si);
      s += fmt::format("<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                       "fill=\"{}\"><title>{}: {}</title></rect>\n",
                       X, top, std::max(barW, 0.5), std::max(base - top, 0.0), kColors[si % 10],
                       htmlEscape(labels[li]), fmtTick(v));
    }
  if (labels.size() <= 30) {
    for (size_t li = 0; li < labels.size(); ++li) {
      double X = kLeft + groupW * (double(li) + 0.5);
      s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"end\" transform=\"rotate(-40 {:.1f} {})\">{}</text>\n",
                       X, kH - kBottom + 12, X, kH - kBottom + 12,
                       htmlEscape(labels[li].substr(0, 14)));
    }
  }
  s += legend(seriesNames);
  return s + "</svg>\n";
}

}  // namespace analects::flows
