// report.html: a self-contained page (inline SVG plots, tables) for one flow run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analects/costmodel/cost_model.h"
#include "analects/flows/recipe.h"
#include "analects/search/search.h"
#include "analects/sim/sim.h"

namespace analects::flows {

// One simulated layer and the design it ran on.
struct SimRow {
  std::string design;
  sim::LayerSimResult layer;
};

struct ReportInput {
  const Recipe& recipe;
  const search::Problem& problem;
  const std::vector<search::SearchResult>& results;
  const search::SearchResult& chosen;  // the generated design's search
  std::optional<double> optimum;
  const std::vector<ArrayConfig>& arrays;  // LS: one; LP: one per layer
  const std::vector<Cost>& layerCosts;     // chosen design, per layer
  const CostModel& model;
  FpgaResources fpga;
  const std::vector<SimRow>& sim;  // empty when nothing was simulated
};

std::string renderReport(const ReportInput& in);

}  // namespace analects::flows
