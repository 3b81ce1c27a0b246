// Internal: what batch.cpp shares with the per-style batched evaluators (batch_nvdla.cpp,
// batch_eyeriss.cpp).
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <stdexcept>
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

// A point's place in the per-style evaluators' grouping: they plan in (layer class, shape,
// buffer, point) order, so one planner serves each (class, shape) group over ascending buffers
// and equal points are adjacent. `shape` is a dense id of everything but the buffer that the
// grouping compares (the design's array and port for evaluate, the PE count for cost).
struct GroupKey {
  uint32_t cls, shape;
  int64_t buffer;
  uint32_t point;
};

// Puts each (cls, shape) group's points together, classes together, buffers ascending (then
// point order) inside a group: for a large batch a counting pass, and only groups whose buffers
// come out of order are sorted, so a grid is linear; a small batch is simply sorted. The order only decides which planner runs when: every
// point's result is the same in any order.
void sortGroups(std::vector<GroupKey>& keys, size_t classCount);

// Dense ids of shapes (small integer arrays), in order of first appearance.
template <size_t N>
class ShapeIds {
 public:
  uint32_t operator()(const std::array<int64_t, N>& shape) {
    if (haveLast_ && shape == last_) return lastId_;  // batches come in runs of one shape
    const auto it = ids_.emplace(shape, uint32_t(ids_.size())).first;
    haveLast_ = true;
    last_ = shape;
    return lastId_ = it->second;
  }

 private:
  std::map<std::array<int64_t, N>, uint32_t> ids_;
  bool haveLast_ = false;
  std::array<int64_t, N> last_{};
  uint32_t lastId_ = 0;
};

// ArrayConfig::valid() of many designs that mostly differ only in their buffer (a sweep's
// points): the last valid design is remembered, and one equal to it but for the buffer has only
// its buffer checked (validate() checks the buffer on its own).
class ValidDesigns {
 public:
  bool operator()(const ArrayConfig& c) {
    sameAsLast_ = have_ && sameButBuffer(c, last_);
    if (sameAsLast_) return c.bufferBytes >= 1 && c.bufferBytes <= kMaxBufferBytes;
    if (!c.valid()) return false;
    have_ = true;
    last_ = c;
    return true;
  }
  // The design just checked was the last valid one but for its buffer (what a caller derived
  // from that design still holds).
  bool sameAsLast() const { return sameAsLast_; }

 private:
  static_assert(sizeof(ArrayConfig) == 16 * sizeof(int64_t),
                "a field added to ArrayConfig must be compared in sameButBuffer()");
  static bool sameButBuffer(const ArrayConfig& a, const ArrayConfig& b) {
    return a.style == b.style && a.atomK == b.atomK && a.atomC == b.atomC && a.rows == b.rows &&
           a.cols == b.cols && a.filterSpad == b.filterSpad && a.ifmapSpad == b.ifmapSpad &&
           a.psumSpad == b.psumSpad && a.dataBits == b.dataBits && a.accBits == b.accBits &&
           a.outputBytes == b.outputBytes && a.accDepthPixels == b.accDepthPixels &&
           a.pipelineDepth == b.pipelineDepth && a.dramBytesPerCycle == b.dramBytesPerCycle &&
           a.dramLatencyCycles == b.dramLatencyCycles;
  }
  bool have_ = false, sameAsLast_ = false;
  ArrayConfig last_;
};

// Points whose closed-form arithmetic is evaluated together: the per-style finish() runs over
// chunks of this many planned points, so its temporaries stay in cache.
constexpr size_t kFinishChunk = 128;
// A chunk's arrays: sized at run time, at most kFinishChunk entries, kept inline (a chunk's
// arrays and the formulas' temporaries cost no heap allocation).
using ChunkReals = Eigen::Array<double, Eigen::Dynamic, 1, Eigen::ColMajor, kFinishChunk, 1>;
using ChunkInts = Eigen::Array<int64_t, Eigen::Dynamic, 1, Eigen::ColMajor, kFinishChunk, 1>;

// Copies every field of point `from` to point `to` (a point equal to one already evaluated).
void copyPoint(CostBatch& out, size_t from, size_t to);

// Gives `out` n entries without initializing them: for a batch that writes every entry.
void allocateUninitialized(CostBatch& out, size_t n);

// The planned points of a batch, handed to the style's finish() (the closed-form arithmetic,
// written into `out`) a chunk at a time: makeRoom() before adding a point, flush() at the end.
// A point equal to an earlier one (the same layer class on the same design) is not finished
// again: copy() records it, and the next flush copies the earlier point's results (by then
// final, and just written: the copies read cache-warm data).
template <typename Planned>
class FinishChunks {
 public:
  using Finish = void (*)(const TechTable&, const std::vector<Planned>&, CostBatch&);
  FinishChunks(Finish finish, const TechTable& tech, CostBatch& out, size_t points)
      : finish_(finish), tech_(tech), out_(out) {
    points_.reserve(std::min(points, kFinishChunk));
  }
  std::vector<Planned>& points() { return points_; }
  void makeRoom() {
    if (points_.size() >= kFinishChunk) flush();
  }
  // Point `to` gets point `from`'s results (from was added or set earlier; copies chain in order).
  void copy(uint32_t from, uint32_t to) { copies_.push_back({from, to}); }
  void flush() {
    // finish() holds a chunk in arrays of at most kFinishChunk entries (ChunkReals).
    if (points_.size() > kFinishChunk)
      throw std::logic_error("FinishChunks: a point added without makeRoom()");
    finish_(tech_, points_, out_);
    points_.clear();
    for (const auto& [from, to] : copies_) copyPoint(out_, from, to);
    copies_.clear();
  }

 private:
  Finish finish_;
  const TechTable& tech_;
  CostBatch& out_;
  std::vector<Planned> points_;
  std::vector<std::pair<uint32_t, uint32_t>> copies_;
};

// tech.sramPjPerByte(bytes), computed once per distinct size. Designs in a batch share few
// sizes: the first kFew are kept in a short list (a scan beats a tree there), the rest in a
// map, so a batch of many distinct sizes stays O(log n) per lookup.
class SramEnergyCache {
 public:
  explicit SramEnergyCache(const TechTable& tech) : tech_(tech) {}
  double operator()(int64_t bytes) {
    if (bytes == lastBytes_) return lastPj_;  // points come in runs of one design
    lastBytes_ = bytes;
    // A group's buffers ascend: the size after the last one found is the likely next.
    if (next_ < few_.size() && few_[next_].first == bytes) return lastPj_ = few_[next_++].second;
    for (size_t k = 0; k < few_.size(); ++k)
      if (few_[k].first == bytes) {
        next_ = k + 1;
        return lastPj_ = few_[k].second;
      }
    if (few_.size() < kFew) {
      few_.push_back({bytes, tech_.sramPjPerByte(double(bytes))});
      next_ = few_.size();
      return lastPj_ = few_.back().second;
    }
    auto it = many_.find(bytes);
    if (it == many_.end()) it = many_.emplace(bytes, tech_.sramPjPerByte(double(bytes))).first;
    return lastPj_ = it->second;
  }

 private:
  static constexpr size_t kFew = 16;
  const TechTable& tech_;
  std::vector<std::pair<int64_t, double>> few_;
  std::map<int64_t, double> many_;
  int64_t lastBytes_ = -1;  // sizes are positive
  double lastPj_ = 0;
  size_t next_ = 0;  // in few_: the entry after the last one found
};

}  // namespace analects
