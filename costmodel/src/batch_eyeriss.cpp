// Batched Eyeriss-style evaluation (batch.h). STUB: point by point.
#include "batch_internal.h"

namespace analects {

void eyerissEvaluateBatch(const CostModel& model, const std::vector<Layer>& layers,
                          const LayerClasses&, const std::vector<EvalPoint>& points,
                          const PointList& mine, CostBatch& out) {
  for (uint32_t i : mine) out.set(i, model.evaluate(layers[points[i].layer], points[i].config));
}

void eyerissCostBatch(const CostModel& model, const std::vector<Layer>& layers, const LayerClasses&,
                      const std::vector<AllocPoint>& points, const HardwareParams& hw,
                      const PointList& mine, CostBatch& out) {
  for (uint32_t i : mine) {
    const Layer& l = layers[points[i].layer];
    out.configs[i] = model.configFor(l, points[i].alloc, hw);
    out.set(i, model.evaluate(l, out.configs[i]));
  }
}

}  // namespace analects
