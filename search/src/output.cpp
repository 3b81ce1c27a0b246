#include "analects/search/output.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

namespace analects::search {

void writeTraceCsv(std::ostream& out, const SearchResult& result) {
  out << "samples,best_objective,seconds\n";
  for (const auto& p : result.trace)
    out << fmt::format("{},{:.17g},{:.6f}\n", p.samples, p.bestObjective, p.seconds);
}

void writeTraceCsv(const std::string& path, const SearchResult& result) {
  std::ofstream f(path);
  if (!f) throw SearchError(fmt::format("cannot write the search trace to '{}'", path));
  writeTraceCsv(f, result);
  if (!f) throw SearchError(fmt::format("writing the search trace to '{}' failed", path));
}

nlohmann::json designJson(const Problem& problem, const SearchResult& result) {
  using nlohmann::json;
  const ProblemSpec& spec = problem.spec();
  const CostTable& table = problem.table();
  json j;
  j["problem"] = {
      {"workload", problem.workload().name},
      {"deployment", deploymentName(spec.deployment)},
      {"objective", objectiveName(spec.objective)},
      {"objective_unit", objectiveUnit(spec.objective)},
      {"constraint", spec.constraint.name()},
      {"constraint_unit", spec.constraint.unit()},
      {"budget_spec", spec.budget.describe()},
      {"budget", problem.budget(0)},
      {"layers", problem.layers()},
      {"pe_levels", table.peLevels},
      {"buffer_levels", table.bufferLevels},
      {"description", problem.describe()},
  };
  if (problem.resources() == 2) j["problem"]["budget_buffer_bytes"] = problem.budget(1);
  const Evaluation& e = result.bestEval;
  j["result"] = {
      {"algorithm", result.algorithm}, {"status", statusName(result.status)},
      {"message", result.message},     {"samples", result.samplesUsed},
      {"seconds", result.seconds},     {"proven_optimal", result.provenOptimal},
  };
  if (!result.best.empty()) {
    j["result"]["objective"] = e.objective;
    j["result"]["constraint"] = e.constraint;
    j["result"]["budget_use"] = e.budgetUse;
    j["result"]["feasible"] = e.feasible;
    if (problem.resources() == 2) j["result"]["constraint_buffer_bytes"] = e.constraint2;
  }
  for (const auto& s : result.stages) {
    json st = {{"name", s.name}, {"samples", s.samples}, {"found", s.found}};
    if (s.found) st["best_objective"] = s.bestObjective;
    j["result"]["stages"].push_back(st);
  }
  json layers = json::array();
  int64_t maxPes = 0, maxBuf = 0;
  for (size_t l = 0; l < result.best.size(); ++l) {
    const LayerLevels& d = result.best[l];
    size_t i = table.index(l, size_t(d.pe), size_t(d.buf));
    int64_t pes = table.peLevels[size_t(d.pe)], buf = table.bufferLevels[size_t(d.buf)];
    maxPes = std::max(maxPes, pes), maxBuf = std::max(maxBuf, buf);
    json layer = {{"index", l},
                  {"name", problem.layerName(l)},
                  {"pe_level", d.pe},
                  {"buffer_level", d.buf},
                  {"pes", pes},
                  {"buffer_bytes", buf},
                  {"feasible", problem.pointFeasible(l, d.pe, d.buf)}};
    if (problem.pointFeasible(l, d.pe, d.buf)) {
      layer["cycles"] = table.cycles[i];
      layer["energy_pj"] = table.energyPj[i];
      layer["area_um2"] = table.areaUm2[i];
      layer["power_mw"] = table.powerMw[i];
    } else if (i < table.reasons.size()) {
      layer["reason"] = table.reasons[i];
    }
    layers.push_back(layer);
  }
  j["layers"] = layers;
  if (!problem.isLP() && !result.best.empty())
    j["accelerator"] = {{"pes", maxPes}, {"buffer_bytes", maxBuf}};
  if (!result.tradeoff.empty()) {
    json curve = json::array();
    for (const auto& p : result.tradeoff) curve.push_back({p.constraint, p.objective});
    j["tradeoff"] = {
        {"columns", {problem.resources() == 2 ? "budget_use" : "constraint", "objective"}},
        {"points", curve}};
  }
  return j;
}

void writeDesignJson(const std::string& path, const Problem& problem, const SearchResult& result) {
  std::ofstream f(path);
  if (!f) throw SearchError(fmt::format("cannot write the design to '{}'", path));
  f << designJson(problem, result).dump(2) << "\n";
  if (!f) throw SearchError(fmt::format("writing the design to '{}' failed", path));
}

}  // namespace analects::search
