// Internal: what batch.cpp shares with the per-style batched evaluators (batch_nvdla.cpp,
// batch_eyeriss.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "analects/costmodel/batch.h"
#include "analects/costmodel/tech.h"

namespace analects {

// True for the built-in models (the batched path reproduces exactly those); other CostModels
// are batched point by point through their own evaluate() / cost().
bool isNvdlaModel(const CostModel& model);
bool isEyerissModel(const CostModel& model);

// Layers with identical shape fields cost the same on every design, so a batch plans each
// class once. A layer that fails validation gets class -1: its points take the scalar path,
// which reports why (with the layer's name).
struct LayerClasses {
  std::vector<int> classOf;            // per layer index
  std::vector<size_t> representative;  // per class: one of its layer indices
  explicit LayerClasses(const std::vector<Layer>& layers);
};

// Indices of the points one worker evaluates.
using PointList = std::vector<uint32_t>;

void nvdlaEvaluateBatch(const CostModel& model, const std::vector<Layer>& layers,
                        const LayerClasses& classes, const std::vector<EvalPoint>& points,
                        const PointList& mine, CostBatch& out);
void nvdlaCostBatch(const CostModel& model, const std::vector<Layer>& layers,
                    const LayerClasses& classes, const std::vector<AllocPoint>& points,
                    const HardwareParams& hw, const PointList& mine, CostBatch& out);
void eyerissEvaluateBatch(const CostModel& model, const std::vector<Layer>& layers,
                          const LayerClasses& classes, const std::vector<EvalPoint>& points,
                          const PointList& mine, CostBatch& out);
void eyerissCostBatch(const CostModel& model, const std::vector<Layer>& layers,
                      const LayerClasses& classes, const std::vector<AllocPoint>& points,
                      const HardwareParams& hw, const PointList& mine, CostBatch& out);

// tech.sramPjPerByte(bytes), computed once per distinct size (designs in a batch share few).
class SramEnergyCache {
 public:
  explicit SramEnergyCache(const TechTable& tech) : tech_(tech) {}
  double operator()(int64_t bytes) {
    if (bytes == lastBytes_) return lastPj_;
    auto it = cache_.find(bytes);
    if (it == cache_.end()) it = cache_.emplace(bytes, tech_.sramPjPerByte(double(bytes))).first;
    lastBytes_ = bytes;
    return lastPj_ = it->second;
  }

 private:
  const TechTable& tech_;
  std::map<int64_t, double> cache_;
  int64_t lastBytes_ = -1;
  double lastPj_ = 0;
};

}  // namespace analects
