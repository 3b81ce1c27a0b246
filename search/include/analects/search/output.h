// Files for the user: the convergence trace (CSV) and the chosen design (JSON).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "analects/search/search.h"

namespace analects::search {

// Header "samples,best_objective,seconds", one row per trace point.
void writeTraceCsv(std::ostream& out, const SearchResult& result);
void writeTraceCsv(const std::string& path, const SearchResult& result);  // throws SearchError

// The problem, the result summary and per layer: name, levels, pes, buffer_bytes and the
// cost-table figures (cycles, energy_pj, area_um2, power_mw, feasible). LS designs also carry
// the shared accelerator's size (max PEs, max buffer).
nlohmann::json designJson(const Problem& problem, const SearchResult& result);
void writeDesignJson(const std::string& path, const Problem& problem, const SearchResult& result);

}  // namespace analects::search
