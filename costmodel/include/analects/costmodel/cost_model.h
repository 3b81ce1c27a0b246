// CostModel: one interface per accelerator style, registered by name ("nvdla", "eyeriss").
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "analects/costmodel/array_config.h"
#include "analects/costmodel/cost.h"
#include "analects/costmodel/layer.h"
#include "analects/costmodel/tech.h"

namespace analects {

class CostModel {
 public:
  virtual ~CostModel() = default;
  virtual Style style() const = 0;

  // Cost of one layer on a fixed, generated design (the array shape is given).
  // Never throws for an infeasible point: returns Cost{feasible = false, reason}.
  virtual Cost evaluate(const Layer& layer, const ArrayConfig& config) const = 0;

  // The design the search means by an allocation: the best array shape with exactly
  // `alloc.pes` PEs (the mapper's factorization choice for this layer) and the allocated buffer.
  virtual ArrayConfig configFor(const Layer& layer, const Allocation& alloc,
                                const HardwareParams& hw) const = 0;

  // cost(layer, PEs, buffer): configFor then evaluate. Memoizable per (layer, PEs, buffer).
  Cost cost(const Layer& layer, const Allocation& alloc, const HardwareParams& hw) const {
    return evaluate(layer, configFor(layer, alloc, hw));
  }

  // Whole-design figures (independent of the layer).
  // Area by component (names in the field's words).
  virtual std::vector<std::pair<std::string, double>> areaBreakdownUm2(
      const ArrayConfig& config) const = 0;
  double areaUm2(const ArrayConfig& config) const {
    double total = 0;
    for (const auto& part : areaBreakdownUm2(config)) total += part.second;
    return total;
  }
  virtual FpgaResources fpgaResources(const ArrayConfig& config) const = 0;

  const TechTable& tech() const { return tech_; }
  void setTech(const TechTable& t) { tech_ = t; }

 protected:
  TechTable tech_;
};

// Registry: models register by name with a one-line description next to their code.
struct CostModelInfo {
  std::string name;
  std::string description;
  std::function<std::unique_ptr<CostModel>()> make;
};
const std::vector<CostModelInfo>& costModels();
// Throws ConfigError listing the known names.
std::unique_ptr<CostModel> makeCostModel(const std::string& name);
std::unique_ptr<CostModel> makeCostModel(Style style);

}  // namespace analects

namespace analects {

struct Workload;

// One generated design for a whole workload: the array shape with exactly `pes` PEs
// (NVDLA-style atomK x atomC, Eyeriss-style rows x cols) that runs every layer in the fewest
// total cycles. `design` supplies style, buffer, DRAM and datapath fields and receives the
// shape. Returns false (design unchanged but for a square-ish shape) when no shape runs every
// layer; `reason` then names the first layer that fails.
bool chooseArrayShape(const CostModel& model, const Workload& workload, int64_t pes,
                      ArrayConfig& design, std::string* reason = nullptr);

}  // namespace analects
