#include <fmt/format.h>

#include "analects/costmodel/cost_model.h"

namespace analects {

// Each model's translation unit defines its factory; the registry lists them with help text.
std::unique_ptr<CostModel> makeNvdlaModel();
std::unique_ptr<CostModel> makeEyerissModel();

const std::vector<CostModelInfo>& costModels() {
  static const std::vector<CostModelInfo> models = {
      {"nvdla", "NVDLA-style weight-stationary atomK x atomC MAC array with channel reduction",
       makeNvdlaModel},
      {"eyeriss", "Eyeriss-style row-stationary rows x cols PE array with scratchpads",
       makeEyerissModel},
  };
  return models;
}

std::unique_ptr<CostModel> makeCostModel(const std::string& name) {
  std::string known;
  for (const auto& m : costModels()) {
    if (m.name == name) return m.make();
    known += (known.empty() ? "" : ", ") + m.name;
  }
  throw ConfigError(fmt::format("unknown accelerator style '{}' (known: {})", name, known));
}

std::unique_ptr<CostModel> makeCostModel(Style style) { return makeCostModel(styleName(style)); }

}  // namespace analects
