#include <fmt/format.h>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/workload.h"

namespace analects {

namespace {
void setShape(ArrayConfig& c, int64_t a, int64_t b) {
  if (c.style == Style::Nvdla) c.atomK = a, c.atomC = b;
  else c.rows = b, c.cols = a;
}
}  // namespace

bool chooseArrayShape(const CostModel& model, const Workload& workload, int64_t pes,
                      ArrayConfig& design, std::string* reason) {
  if (pes <= 0) {
    if (reason) *reason = fmt::format("{} PEs is not a design", pes);
    return false;
  }
  bool found = false;
  double bestCycles = 0;
  ArrayConfig best = design;
  std::string firstFailure;
  for (int64_t d = 1; d <= pes; ++d) {
    if (pes % d) continue;
    ArrayConfig c = design;
    setShape(c, pes / d, d);
    try {
      c.validate();
    } catch (const ConfigError& e) {
      if (firstFailure.empty()) firstFailure = e.what();
      continue;
    }
    double total = 0;
    bool ok = true;
    for (size_t i = 0; i < workload.layers.size() && ok; ++i) {
      Cost cost = model.evaluate(workload.layers[i], c);
      if (!cost.feasible) {
        ok = false;
        if (firstFailure.empty())
          firstFailure = fmt::format("layer {} ({}): {}", i, workload.layers[i].name, cost.reason);
      }
      total += double(cost.cycles);
    }
    if (ok && (!found || total < bestCycles)) found = true, bestCycles = total, best = c;
  }
  if (!found) {
    int64_t d = 1;
    for (int64_t x = 1; x * x <= pes; ++x)
      if (pes % x == 0) d = x;
    setShape(design, pes / d, d);
    if (reason) *reason = firstFailure;
    return false;
  }
  design = best;
  return true;
}

}  // namespace analects
