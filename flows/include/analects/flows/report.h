// report.html: a self-contained page (inline SVG plots, tables) for one flow run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analects/costmodel/cost_model.h"
#include "analects/flows/fpga.h"
#include "analects/flows/recipe.h"
#include "analects/search/search.h"
#include "analects/sim/sim.h"

namespace analects::flows {

// One simulated layer and the design it ran on.
struct SimRow {
  std::string design;
  sim::LayerSimResult layer;
};

// The flow's FPGA step: Yosys on the generated RTL (when the recipe synthesizes) and the cost
// model's total over every array of the design.
struct FlowFpga {
  FpgaPart part;
  bool synthesize = true;
  std::string selection;  // which designs have RTL for Yosys, and why those
  struct Design {
    size_t array = 0;             // index into the flow's arrays
    std::vector<int64_t> layers;  // workload layers it runs (LP: its own; LS: the simulated)
    std::string designJson;
    std::string top;
    FpgaReport report;  // valid when error is empty
    std::string error;  // why Yosys gave no numbers
  };
  std::vector<Design> designs;
  std::vector<std::string> notes;  // e.g. no RTL for the style
  FpgaResources modelTotal;        // every array of the design (LP: all sub-accelerators)
  size_t arrays = 0;
  int64_t modelTotalBram36Tiles() const { return modelTotal.bram36 + (modelTotal.bram18 + 1) / 2; }
  size_t synthesized() const;  // designs with Yosys numbers
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
  const FlowFpga& fpga;
  const std::vector<SimRow>& sim;  // empty when nothing was simulated
};

std::string renderReport(const ReportInput& in);

}  // namespace analects::flows
