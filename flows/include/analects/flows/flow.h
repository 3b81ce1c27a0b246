// The end-to-end flow: search -> design -> (RTL, simulation) -> FPGA estimate -> report.
#pragma once

#include <functional>
#include <string>

#include "analects/flows/recipe.h"
#include "analects/flows/report.h"

namespace analects::flows {

struct FlowOptions {
  bool quiet = false;  // no progress on stderr
  // Tool processes at a time: with 2, Yosys runs in the background while the layers simulate
  // (one Verilator build beside one Yosys) and on two lanes after; 1 runs one after the other.
  int jobs = 2;
};

struct FlowSummary {
  std::string outputDir;
  std::string design;    // chosen design's name
  double objective = 0;  // chosen design's objective
  std::string objectiveUnit;
  double optimum = -1;  // proven optimum, -1 when not computable
  double gapPct = -1;
  std::vector<std::string> written;      // files written, in order
  size_t simulated = 0;                  // layers simulated in RTL
  std::vector<std::string> notRunnable;  // selected layers the generated design cannot run
  bool simOk = true;                     // every simulated layer bit-exact and cycle-exact
  FlowFpga fpga;                         // the FPGA step (fpga.json)
  // Designs Yosys gave no numbers for (a failed or missing Yosys), "top: why".
  std::vector<std::string> fpgaErrors() const;
};

// Runs the recipe; every output is written (atomically) as soon as its step finishes, so an
// interrupted flow leaves the finished outputs intact. Throws on bad input.
FlowSummary runFlow(const Recipe& recipe, const FlowOptions& options = {});

// Writes `text` to `path` through a temporary file and a rename.
void writeFileAtomic(const std::string& path, const std::string& text);

}  // namespace analects::flows
