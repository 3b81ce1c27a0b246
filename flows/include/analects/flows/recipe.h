// Recipe: one end-to-end flow, read from YAML (schema in README.md, "Recipes").
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace analects::flows {

// Thrown for a bad recipe; the message names the file, line and key.
class RecipeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Recipe {
  std::string name = "flow";
  std::string source;    // file the recipe came from ("built-in" for the quickstart)
  std::string workload;  // zoo name or file (relative paths resolve against the recipe's dir)
  std::string style = "nvdla";
  std::string deployment = "ls";
  std::string objective = "latency";
  std::string constraint = "pes+buffer";
  std::string budget = "edge";
  std::vector<std::string> algorithms = {"confuciux", "exact"};  // the best result is generated
  int64_t samples = 500;
  uint64_t seed = 1;
  int64_t dramBytesPerCycle = 8;
  int64_t dramLatencyCycles = 20;
  // Simulation of the chosen design (when the RTL flow is available).
  std::vector<int64_t> simulateLayers;  // empty: none
  double simulateScale = 1.0;           // spatial down-scaling of simulated layers (0, 1]
  std::string fpgaPart = "xc7z020";     // a name of fpgaParts()
  bool fpgaSynthesize = true;           // run Yosys on the generated RTL (else cost model only)
  std::string output = "analects-out";

  static Recipe parseFile(const std::string& path);
  // `source` names the text in error messages; `baseDir` resolves relative paths.
  static Recipe parse(const std::string& text, const std::string& source,
                      const std::string& baseDir);
};

// The recipe `analects flow` runs without an argument (flows/recipes/quickstart.yaml).
Recipe quickstartRecipe();

}  // namespace analects::flows
