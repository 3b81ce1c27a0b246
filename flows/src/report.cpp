#include "analects/flows/report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "analects/flows/svg.h"

namespace analects::flows {

namespace {

const char* kStyle = R"(<style>
body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#f3f3f3}td.l,th.l{text-align:left}.plot{margin:8px 0}.bad{color:#b00}
h3{font-size:15px;margin-top:18px}
</style>)";

std::string num(double v) {
  if (v != 0 && (std::fabs(v) >= 1e6 || std::fabs(v) < 1e-2)) return fmt::format("{:.4e}", v);
  return fmt::format("{:.4g}", v);
}

std::string thousands(int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v);
  for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), ",");
  return (v < 0 ? "-" : "") + s;
}

// Yosys against the model and the part for every synthesized design, then the model's total.
std::string fpgaSection(const FlowFpga& f) {
  const FpgaPart& part = f.part;
  std::string h =
      fmt::format("<h2 id=\"fpga\">FPGA estimate: {} ({})</h2>\n<p>{}</p>\n", htmlEscape(part.name),
                  htmlEscape(part.board), htmlEscape(f.selection));
  for (const auto& note : f.notes) h += fmt::format("<p>{}</p>\n", htmlEscape(note));
  for (size_t i = 0; i < f.designs.size(); ++i) {
    const FlowFpga::Design& d = f.designs[i];
    std::string runs;
    if (f.arrays == 1)
      runs = "the accelerator";
    else
      for (auto l : d.layers) runs += (runs.empty() ? "layer " : ", ") + std::to_string(l);
    h += fmt::format("<h3>{} ({})</h3>\n", htmlEscape(d.top), runs);
    if (!d.error.empty()) {
      h += fmt::format("<p class=bad>Yosys gave no numbers: {}</p>\n", htmlEscape(d.error));
      continue;
    }
    const FpgaReport& r = d.report;
    const FpgaModelCheck check = checkModel(r);
    h += fmt::format("<p>Yosys <code>{}</code>, {}.", htmlEscape(r.synthCommand),
                     r.cached ? "cached result" : fmt::format("{:.0f} s", r.yosysSeconds));
    if (!part.isIce40())
      h += fmt::format(
          " Cost model against Yosys: DSP {}, BRAM {}, LUT {:+.1f} %: {} the calibration target "
          "(DSP and BRAM exact, LUT within {:.0f} %).",
          check.dspExact ? "exact" : "<b class=bad>differs</b>",
          check.bramExact ? "exact" : "<b class=bad>differs</b>", check.lutDiffPct,
          check.withinTarget() ? "meets" : "<b class=bad>misses</b>",
          FpgaModelCheck::lutTolerancePct);
    h += r.fits ? fmt::format(" Fits the {}.</p>\n", htmlEscape(part.name))
                : fmt::format(" <b class=bad>Does not fit the {}</b>: {}.</p>\n",
                              htmlEscape(part.name),
                              htmlEscape(fmt::format("{}", fmt::join(r.overflows, ", "))));
    h += fmt::format(
        "<table class=\"fpga\" id=\"fpga-design-{}\"><tr><th class=l>resource</th><th>Yosys</th>"
        "<th>model</th><th>model vs Yosys</th><th>capacity</th><th>utilization</th></tr>\n",
        i);
    for (const auto& row : r.rows) {
      const auto diff = row.modelDiffPct();
      h += fmt::format(
          "<tr><td class=l>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
          htmlEscape(row.resource), thousands(row.yosys),
          row.model < 0 ? "-" : thousands(row.model),
          row.model == row.yosys ? "exact"
          : diff                 ? fmt::format("{:+.1f} %", *diff)
                                 : "-",
          row.capacity < 0 ? "-" : thousands(row.capacity),
          row.capacity > 0 ? fmt::format("{:.1f} %", row.utilizationPct()) : "-");
    }
    h += "</table>\n";
    if (!part.isIce40() && r.lutRam > 0)
      h += fmt::format("<p>LUT includes {} LUTs of distributed RAM.</p>\n", thousands(r.lutRam));
    for (const auto& note : r.notes) h += fmt::format("<p>{}</p>\n", htmlEscape(note));
    if (part.isIce40()) {
      const FpgaPlacement& p = r.placement;
      if (p.ok)
        h += fmt::format(
            "<p>nextpnr-ice40: {} logic cells, Fmax {:.1f} MHz, bitstream {} ({} B).</p>\n",
            thousands(p.logicCells), p.fmaxMhz, htmlEscape(p.bitstream),
            thousands(p.bitstreamBytes));
      else if (!p.note.empty())
        h += fmt::format("<p>{}</p>\n", htmlEscape(p.note));
    }
  }

  // The cost model's total: every array (LP: the whole pipeline on one part). A synthesized
  // LS accelerator's table above already holds it.
  if (f.arrays == 1 && f.synthesized() > 0) return h;
  const FpgaResources& m = f.modelTotal;
  h += f.arrays == 1
           ? std::string("<h3>The accelerator (cost model)</h3>\n")
           : fmt::format("<h3>All {} sub-accelerators together (cost model)</h3>\n", f.arrays);
  h += "<table class=\"fpga\" id=\"fpga-model-total\"><tr><th class=l>resource</th><th>model</th>"
       "<th>capacity</th><th>utilization</th></tr>\n";
  std::vector<std::string> overflows;
  auto row = [&](const std::string& what, int64_t need, int64_t have) {
    h += fmt::format("<tr><td class=l>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", what,
                     thousands(need), have < 0 ? "-" : thousands(have),
                     have > 0 ? fmt::format("{:.1f} %", 100.0 * double(need) / double(have)) : "-");
    if (have >= 0 && need > have)
      overflows.push_back(fmt::format("{} {} &gt; {}", what, need, have));
  };
  row("DSP", m.dsp, part.dsp);
  row("BRAM18", m.bram18, -1);
  row("BRAM36", m.bram36, -1);
  row("BRAM (36 Kb tiles)", f.modelTotalBram36Tiles(), part.isIce40() ? -1 : part.bram36);
  row("LUT", m.lut, part.lut);
  row("FF", m.ff, part.ff);
  h += "</table>\n";
  if (part.isIce40())
    h += "<p>The cost model is calibrated on 7-series cells; on the iCE40 only its DSP count "
         "carries over.</p>\n";
  h += overflows.empty()
           ? fmt::format("<p>Fits the {}.</p>\n", htmlEscape(part.name))
           : fmt::format("<p><b class=bad>Does not fit the {}</b>: {}.</p>\n",
                         htmlEscape(part.name), fmt::format("{}", fmt::join(overflows, ", ")));
  return h;
}

}  // namespace

size_t FlowFpga::synthesized() const {
  size_t n = 0;
  for (const auto& d : designs) n += d.error.empty() ? 1 : 0;
  return n;
}

std::string renderReport(const ReportInput& in) {
  const auto& p = in.problem;
  const auto& w = p.workload();
  const auto& chosen = in.chosen;
  std::string h = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Analects report: " +
                  htmlEscape(in.recipe.name) + "</title>" + kStyle + "</head><body>\n";
  h += fmt::format("<h1>Analects report: {}</h1>\n", htmlEscape(in.recipe.name));
  h += fmt::format("<p>{}</p>\n", htmlEscape(p.describe()));
  h += fmt::format("<p>Workload <b>{}</b> ({} layers, {} MACs), style <b>{}</b>, recipe {}.</p>\n",
                   htmlEscape(w.name), w.layers.size(), w.totalMacs(), htmlEscape(in.recipe.style),
                   htmlEscape(in.recipe.source));

  // Search summary.
  h += "<h2>Search</h2>\n<table><tr><th class=l>algorithm</th><th "
       "class=l>status</th><th>samples</th>"
       "<th>seconds</th><th>best objective</th><th>gap to optimum</th></tr>\n";
  for (const auto& r : in.results) {
    bool found = r.status == search::SearchStatus::Found;
    std::string gap = "-";
    if (found && in.optimum && *in.optimum > 0)
      gap = fmt::format("{:.3f} %", 100 * (r.bestEval.objective - *in.optimum) / *in.optimum);
    h += fmt::format(
        "<tr><td class=l>{}</td><td "
        "class=l>{}</td><td>{}</td><td>{:.3f}</td><td>{}</td><td>{}</td></tr>\n",
        htmlEscape(r.algorithm), search::statusName(r.status), r.samplesUsed, r.seconds,
        found ? num(r.bestEval.objective) : "-", gap);
  }
  h += "</table>\n";
  if (in.optimum)
    h += fmt::format("<p>Proven optimum: {} {}.</p>\n", num(*in.optimum),
                     search::objectiveUnit(p.spec().objective));

  std::vector<Series> series;
  for (const auto& r : in.results) {
    Series s{r.algorithm, {}};
    for (const auto& t : r.trace) s.points.emplace_back(double(t.samples), t.bestObjective);
    series.push_back(std::move(s));
  }
  std::vector<std::pair<std::string, double>> lines;
  if (in.optimum) lines.emplace_back("proven optimum", *in.optimum);
  h += "<div class=\"plot\" id=\"convergence\">" +
       lineChartSvg("Convergence: best feasible objective vs samples",
                    "samples (full design evaluations)",
                    fmt::format("{} ({})", search::objectiveName(p.spec().objective),
                                search::objectiveUnit(p.spec().objective)),
                    series, true, lines) +
       "</div>\n";

  // Per-layer allocation and cycles.
  auto allocations = search::allocationsOf(p, chosen.best);
  std::vector<std::string> names;
  std::vector<double> pes, buf, cycles;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    names.push_back(w.layers[i].name);
    pes.push_back(double(allocations[i].pes));
    buf.push_back(double(allocations[i].bufferBytes));
    cycles.push_back(double(in.layerCosts[i].cycles));
  }
  h += fmt::format(
      "<h2>Chosen design</h2>\n<p>The best feasible design of the search, found by "
      "<b>{}</b>.</p>\n",
      htmlEscape(chosen.algorithm));
  for (const auto& a : in.arrays) {
    if (in.arrays.size() > 1) break;
    h += fmt::format("<p>Accelerator <b>{}</b>: {} PEs, {} B buffer, area {:.3f} mm&sup2;.</p>\n",
                     a.name(), a.pes(), a.bufferBytes, in.model.areaUm2(a) / 1e6);
  }
  if (in.arrays.size() > 1) {
    double area = 0;
    for (const auto& a : in.arrays) area += in.model.areaUm2(a);
    h += fmt::format("<p>{} sub-accelerators (one per layer), total area {:.3f} mm&sup2;.</p>\n",
                     in.arrays.size(), area / 1e6);
  }
  h += "<div class=\"plot\" id=\"allocation-pes\">" +
       barChartSvg("Per-layer allocation: PEs", "PEs", names, {"PEs"}, {pes}) + "</div>\n";
  h += "<div class=\"plot\" id=\"allocation-buffer\">" +
       barChartSvg("Per-layer allocation: buffer bytes", "bytes", names, {"buffer"}, {buf}) +
       "</div>\n";
  h += "<div class=\"plot\" id=\"layer-cycles\">" +
       barChartSvg("Per-layer cycles (cost model)", "cycles", names, {"model"}, {cycles}, true) +
       "</div>\n";

  // Model vs RTL, layer by layer.
  if (!in.sim.empty()) {
    std::vector<std::string> simNames;
    std::vector<double> modelCycles, rtlCycles;
    h += "<h2>RTL simulation: model vs RTL</h2>\n<table><tr><th class=l>design</th><th "
         "class=l>layer</th>"
         "<th class=l>simulated shape</th><th>MACs</th><th>model cycles</th><th>RTL "
         "cycles</th><th>error</th>"
         "<th>outputs</th><th>util</th></tr>\n";
    for (const auto& row : in.sim) {
      const auto& l = row.layer;
      if (l.error.empty()) {
        simNames.push_back(l.name);
        modelCycles.push_back(double(l.modelCycles));
        rtlCycles.push_back(double(l.rtlCycles));
      }
      h += fmt::format(
          "<tr><td class=l>{}</td><td class=l>{}</td><td class=l>{}</td><td>{}</td><td>{}</td>"
          "<td>{}</td><td>{:.3f} %</td><td>{}</td><td>{:.1f}%</td></tr>\n",
          htmlEscape(row.design), htmlEscape(l.name), htmlEscape(l.shape), l.macs, l.modelCycles,
          l.error.empty() ? std::to_string(l.rtlCycles) : htmlEscape(l.error), l.errorPct,
          l.outputsMatch ? "bit-exact" : "MISMATCH", 100 * l.utilization);
    }
    h += "</table>\n";
    h += "<div class=\"plot\" id=\"model-vs-rtl\">" +
         barChartSvg("Model vs RTL cycles per simulated layer", "cycles", simNames,
                     {"model", "RTL"}, {modelCycles, rtlCycles}, true) +
         "</div>\n";
  }

  // Energy breakdown summed over layers; area breakdown of the design(s).
  double mac = 0, spad = 0, bufE = 0, dram = 0, leak = 0;
  for (const auto& c : in.layerCosts)
    mac += c.energy.macPj, spad += c.energy.spadPj, bufE += c.energy.bufferPj,
        dram += c.energy.dramPj, leak += c.energy.leakagePj;
  h += "<div class=\"plot\" id=\"energy-breakdown\">" +
       barChartSvg("Energy breakdown (pJ, all layers)", "pJ",
                   {"MAC", "PE-local", "buffer", "DRAM", "leakage"}, {"energy"},
                   {{mac, spad, bufE, dram, leak}}) +
       "</div>\n";
  std::map<std::string, double> area;
  std::vector<std::string> areaOrder;
  for (const auto& a : in.arrays)
    for (const auto& [part, um2] : in.model.areaBreakdownUm2(a)) {
      if (!area.count(part)) areaOrder.push_back(part);
      area[part] += um2;
    }
  std::vector<double> areaValues;
  for (const auto& part : areaOrder) areaValues.push_back(area[part] / 1e6);
  h += "<div class=\"plot\" id=\"area-breakdown\">" +
       barChartSvg("Area breakdown (mm^2)", "mm^2", areaOrder, {"area"}, {areaValues}) + "</div>\n";

  // Tables.
  h += "<h2>Per-layer figures</h2>\n<table><tr><th>#</th><th "
       "class=l>layer</th><th>PEs</th><th>buffer B</th>"
       "<th>MACs</th><th>cycles</th><th>stall</th><th>energy pJ</th><th>DRAM "
       "B</th><th>util</th></tr>\n";
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const Cost& c = in.layerCosts[i];
    h += fmt::format(
        "<tr><td>{}</td><td class=l>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td><td>{:.1f}%</td></tr>\n",
        i, htmlEscape(w.layers[i].name), allocations[i].pes, allocations[i].bufferBytes,
        w.layers[i].macs(), c.feasible ? std::to_string(c.cycles) : "infeasible", c.dmaStallCycles,
        num(c.energyPj()), c.dramReadBytes + c.dramWriteBytes, 100 * c.utilization);
  }
  h += "</table>\n";
  h += fpgaSection(in.fpga);
  h += "</body></html>\n";
  return h;
}

}  // namespace analects::flows
