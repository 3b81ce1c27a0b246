// Problem: what a co-design search optimizes, in one place (objective, constraint, budget,
// deployment, action levels). Every algorithm sees only this interface; none knows about
// cost models, files or the CLI. Everything here is in model (workload) order.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analects/costmodel/cost_table.h"
#include "analects/costmodel/workload.h"

namespace analects::search {

// Thrown for malformed problem definitions and unknown names; the message says what to fix.
class SearchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// LS: one accelerator runs every layer in turn; it is sized by the largest PE and buffer
//     level any layer uses, and each layer runs on its own (pe, buffer) share of it.
// LP: one sub-accelerator per layer, all present at once; resources add up.
enum class Deployment { LayerSequential, LayerPipelined };
// All objectives are minimized. Latency = cycles, energy = pJ, EDP = per-layer cycles x pJ
// summed (ConfuciuX's definition), throughput = the bottleneck stage's cycles for LP (a frame
// leaves the pipeline every max-stage cycles) and total cycles for LS.
enum class Objective { Latency, Energy, Edp, Throughput };
// What the budget limits. PesAndBuffer is the two-resource limit of the named platforms.
// Fpga counts DSP slices: one per int8 MAC (Yosys synth_xilinx maps an int8 MAC to a DSP48).
enum class ConstraintKind { Area, Power, Pes, Buffer, Fpga, PesAndBuffer };

const char* deploymentName(Deployment d);             // "ls" | "lp"
Deployment parseDeployment(const std::string& text);  // ls|lp|layer-sequential|layer-pipelined
const char* objectiveName(Objective o);
Objective parseObjective(const std::string& text);  // latency|energy|edp|throughput
const char* objectiveUnit(Objective o);             // "cycles", "pJ", "cycles*pJ"

struct FpgaPart {
  std::string name;
  int64_t dsps = 0;
};
const std::vector<FpgaPart>& fpgaParts();               // xc7z020, xczu9eg, xcvu9p, ice40up5k
const FpgaPart& findFpgaPart(const std::string& name);  // throws SearchError listing parts

struct Platform {
  std::string name;
  int64_t pes = 0;
  int64_t bufferBytes = 0;
};
const std::vector<Platform>& platforms();  // edge (256 PEs, 4 KiB), cloud (4096 PEs, 8 KiB)

struct Constraint {
  ConstraintKind kind = ConstraintKind::Area;
  std::string fpgaPart;  // for kind == Fpga
  // area | power | pes | buffer | fpga:<part> | pes+buffer
  static Constraint parse(const std::string& text);
  std::string name() const;
  std::string unit() const;  // um^2, mW, PEs, bytes, DSPs
};

struct Budget {
  // Absolute: `value` in the constraint's unit. Ratio: ConfuciuX's min + r * (max - min) over
  // the four corner designs. Platform: a named platform (PEs and buffer both). Default: the
  // FPGA part's DSP count (only for fpga:<part>).
  enum class Kind { Absolute, Ratio, Platform, Default };
  Kind kind = Kind::Ratio;
  double value = 0.5;
  std::string platform;

  static Budget absolute(double v);
  static Budget ratio(double r);
  static Budget named(const std::string& platformName);
  static Budget fpgaDefault();
  // "edge" | "cloud" | "ratio:0.5" | "r0.5" | "default" | a number (absolute)
  static Budget parse(const std::string& text);
  // What users write (--budget, a recipe's budget): a number in (0, 1] is ConfuciuX's ratio r,
  // a number above 1 or "abs:V" an absolute budget in the constraint's unit, else parse().
  static Budget fromUser(const std::string& text);
  std::string describe() const;
};

struct ProblemSpec {
  Deployment deployment = Deployment::LayerPipelined;
  Objective objective = Objective::Latency;
  Constraint constraint;
  Budget budget;
};

// The per-layer choices (the RL action space): PE counts and buffer bytes, ascending.
struct ActionLevels {
  std::vector<int64_t> pes;
  std::vector<int64_t> bufferBytes;
};
// ConfuciuX's 12 PE levels {1,2,4,8,12,16,24,32,48,64,96,128}.
std::vector<int64_t> confuciuxPeLevels();
// Our 12 buffer levels (ConfuciuX's level is a tile size; ours is bytes):
// {128, 256, 512, 768, 1 Ki, 1.5 Ki, 2 Ki, 3 Ki, 4 Ki, 5 Ki, 6 Ki, 8 Ki}. The top level is the
// cloud platform's 8 KiB; the edge platform's 4 KiB is a level.
std::vector<int64_t> defaultBufferLevels();
// Defaults scaled to the spec: when one accelerator (LS) may hold more than 128 PEs (a
// platform, a PE budget or an FPGA part's DSPs), the PE levels are multiplied by the smallest
// power of two that lets the top level reach it (x2 for edge: 256; x32 for cloud: 4096).
// Buffer levels scale the same way for LS buffer budgets above 8 KiB. LP and ratio budgets
// keep ConfuciuX's levels.
ActionLevels defaultActionLevels(const ProblemSpec& spec);

// A design: one (PE level, buffer level) index pair per layer, in model order.
struct LayerLevels {
  int pe = 0;
  int buf = 0;
  bool operator==(const LayerLevels& o) const { return pe == o.pe && buf == o.buf; }
};
using Design = std::vector<LayerLevels>;

struct Evaluation {
  double objective = 0;      // finite; infeasible layer points count at their layer's worst
  double constraint = 0;     // constrained resource (PEs for two-resource budgets)
  double constraint2 = 0;    // buffer bytes for two-resource budgets, else 0
  double budgetUse = 0;      // max over resources of value / budget; <= 1 fits
  int infeasibleLayers = 0;  // layers whose (pe, buffer) point the cost model rejects
  bool feasible = false;     // every layer feasible and the budget met
  // What searches minimize: the objective when feasible, else a finite penalty that grows
  // with the overshoot and the infeasible-layer count and exceeds every feasible objective.
  double score = 0;
};

class Problem {
 public:
  // Validates sizes and level order; throws SearchError with an actionable message. Cost
  // table entries that are not finite or negative are treated as infeasible points.
  Problem(const Workload& workload, CostTable table, ProblemSpec spec);

  const ProblemSpec& spec() const { return spec_; }
  const CostTable& table() const { return table_; }
  const Workload& workload() const { return workload_; }
  size_t layers() const { return table_.layers; }
  int peLevelCount() const { return int(table_.peLevels.size()); }
  int bufferLevelCount() const { return int(table_.bufferLevels.size()); }
  bool isLP() const { return spec_.deployment == Deployment::LayerPipelined; }
  bool bottleneckObjective() const { return isLP() && spec_.objective == Objective::Throughput; }
  int resources() const { return spec_.constraint.kind == ConstraintKind::PesAndBuffer ? 2 : 1; }
  double budget(int resource = 0) const { return budget_[resource]; }
  // The corner range the ratio budget interpolates (also reported for absolute budgets).
  double cornerMin(int resource = 0) const { return cornerMin_[resource]; }
  double cornerMax(int resource = 0) const { return cornerMax_[resource]; }

  Evaluation evaluate(const Design& design) const;
  double budgetUse(const Design& design) const;  // constraint only, no objective
  // Budgets are met up to a relative slack of 1e-9, so sums taken in different orders agree.
  static bool fits(double budgetUse) { return budgetUse <= 1 + 1e-9; }

  // Per-point pieces for solvers and step-wise agents.
  bool pointFeasible(size_t layer, int pe, int buf) const {
    return feasible_[index(layer, pe, buf)] != 0;
  }
  // Objective contribution of a layer (cycles, pJ or cycles*pJ); finite for every point.
  double objectiveTerm(size_t layer, int pe, int buf) const { return term_[index(layer, pe, buf)]; }
  // LP: the layer's additive share of resource r. LS: unused (see capValue).
  double constraintTerm(size_t layer, int pe, int buf, int resource = 0) const;
  // LS: resource r of one accelerator with PE level `pe` and buffer level `buf`
  // (non-decreasing in both).
  double capValue(int pe, int buf, int resource = 0) const;

  // A design built layer by layer (any order), for agents that stop at the first overshoot.
  struct Partial {
    double sum[2] = {0, 0};
    int maxPe = -1, maxBuf = -1;
    int infeasible = 0;
  };
  void extend(Partial& partial, size_t layer, int pe, int buf) const;
  double budgetUse(const Partial& partial) const;

  // Why no design can meet the budget (a layer with no feasible point, or a budget below the
  // least any design needs), or nullopt. Exact for every case except LP with a two-resource
  // budget, where it checks a necessary condition only.
  const std::optional<std::string>& impossibleReason() const { return impossible_; }
  // The design using the least budget (ties: lower objective); fits whenever any design does
  // (except possibly LP with a two-resource budget).
  const Design& minimalDesign() const { return minimal_; }

  // 7 x layers: K, C, H, W, R, S, type (1 conv, 2 depthwise, 3 GEMM/FC), each divided by its
  // model-wide maximum (ConfuciuX's state encoding).
  const Eigen::MatrixXd& layerFeatures() const { return features_; }

  // An upper bound on any feasible design's objective; penalties start above it.
  double penaltyBase() const { return penaltyBase_; }
  double scoreOf(double objective, double budgetUse, int infeasibleLayers) const;

  std::string describe() const;
  std::string layerName(size_t layer) const;

 private:
  size_t index(size_t layer, int pe, int buf) const {
    return (layer * table_.peLevels.size() + size_t(pe)) * table_.bufferLevels.size() + size_t(buf);
  }
  void validate() const;
  void prepareTerms();
  void prepareCaps();
  void resolveBudget();
  void findMinimal();
  double resourceOfPoint(size_t layer, int pe, int buf, int resource) const;

  Workload workload_;
  CostTable table_;
  ProblemSpec spec_;
  std::vector<uint8_t> feasible_;           // table feasibility, also false for non-finite entries
  std::vector<double> term_;                // objective term per point
  std::vector<double> capArea_, capPower_;  // per (pe, buf): envelope over layers
  double budget_[2] = {0, 0};
  double cornerMin_[2] = {0, 0}, cornerMax_[2] = {0, 0};
  double penaltyBase_ = 1;
  std::optional<std::string> impossible_;
  Design minimal_;
  Eigen::MatrixXd features_;
};

// The per-layer allocation (PEs, buffer bytes) a design stands for.
std::vector<Allocation> allocationsOf(const Problem& problem, const Design& design);

}  // namespace analects::search
