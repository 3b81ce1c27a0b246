#include "analects/search/problem.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace analects::search {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool finiteNonNegative(double v) {
  return std::isfinite(v) && v >= 0;
}

}  // namespace

const char* deploymentName(Deployment d) {
  return d == Deployment::LayerSequential ? "ls" : "lp";
}

Deployment parseDeployment(const std::string& text) {
  std::string t = lower(text);
  if (t == "ls" || t == "layer-sequential" || t == "sequential") return Deployment::LayerSequential;
  if (t == "lp" || t == "layer-pipelined" || t == "pipelined") return Deployment::LayerPipelined;
  throw SearchError(fmt::format("unknown deployment '{}' (known: ls, lp)", text));
}

const char* objectiveName(Objective o) {
  switch (o) {
    case Objective::Latency:
      return "latency";
    case Objective::Energy:
      return "energy";
    case Objective::Edp:
      return "edp";
    case Objective::Throughput:
      return "throughput";
  }
  return "?";
}

Objective parseObjective(const std::string& text) {
  std::string t = lower(text);
  if (t == "latency") return Objective::Latency;
  if (t == "energy") return Objective::Energy;
  if (t == "edp") return Objective::Edp;
  if (t == "throughput") return Objective::Throughput;
  throw SearchError(
      fmt::format("unknown objective '{}' (known: latency, energy, edp, throughput)", text));
}

const char* objectiveUnit(Objective o) {
  switch (o) {
    case Objective::Energy:
      return "pJ";
    case Objective::Edp:
      return "cycles*pJ";
    default:
      return "cycles";
  }
}

const std::vector<FpgaPart>& fpgaParts() {
  // DSP counts from the vendors' data sheets (shared/REFERENCE.md, FPGA parts table).
  static const std::vector<FpgaPart> parts = {
      {"xc7z020", 220}, {"xczu9eg", 2520}, {"xcvu9p", 6840}, {"ice40up5k", 8}};
  return parts;
}

const FpgaPart& findFpgaPart(const std::string& name) {
  std::string known;
  for (const auto& p : fpgaParts()) {
    if (p.name == lower(name)) return p;
    known += (known.empty() ? "" : ", ") + p.name;
  }
  throw SearchError(fmt::format("unknown FPGA part '{}' (known: {})", name, known));
}

const std::vector<Platform>& platforms() {
  // The ConfuciuX paper's layer-sequential platforms.
  static const std::vector<Platform> list = {{"edge", 256, 4096}, {"cloud", 4096, 8192}};
  return list;
}

Constraint Constraint::parse(const std::string& text) {
  std::string t = lower(text);
  Constraint c;
  if (t == "area")
    c.kind = ConstraintKind::Area;
  else if (t == "power")
    c.kind = ConstraintKind::Power;
  else if (t == "pes" || t == "pe")
    c.kind = ConstraintKind::Pes;
  else if (t == "buffer" || t == "buf")
    c.kind = ConstraintKind::Buffer;
  else if (t == "pes+buffer" || t == "platform")
    c.kind = ConstraintKind::PesAndBuffer;
  else if (t.rfind("fpga:", 0) == 0) {
    c.kind = ConstraintKind::Fpga;
    c.fpgaPart = findFpgaPart(t.substr(5)).name;
  } else {
    throw SearchError(fmt::format(
        "unknown constraint '{}' (known: area, power, pes, buffer, pes+buffer, fpga:<part>)",
        text));
  }
  return c;
}

std::string Constraint::name() const {
  switch (kind) {
    case ConstraintKind::Area:
      return "area";
    case ConstraintKind::Power:
      return "power";
    case ConstraintKind::Pes:
      return "pes";
    case ConstraintKind::Buffer:
      return "buffer";
    case ConstraintKind::Fpga:
      return "fpga:" + fpgaPart;
    case ConstraintKind::PesAndBuffer:
      return "pes+buffer";
  }
  return "?";
}

std::string Constraint::unit() const {
  switch (kind) {
    case ConstraintKind::Area:
      return "um^2";
    case ConstraintKind::Power:
      return "mW";
    case ConstraintKind::Pes:
      return "PEs";
    case ConstraintKind::Buffer:
      return "bytes";
    case ConstraintKind::Fpga:
      return "DSPs";
    case ConstraintKind::PesAndBuffer:
      return "PEs, bytes";
  }
  return "";
}

Budget Budget::absolute(double v) {
  return Budget{Kind::Absolute, v, {}};
}
Budget Budget::ratio(double r) {
  return Budget{Kind::Ratio, r, {}};
}
Budget Budget::fpgaDefault() {
  return Budget{Kind::Default, 0, {}};
}
Budget Budget::named(const std::string& platformName) {
  std::string known;
  for (const auto& p : platforms()) {
    if (p.name == lower(platformName)) return Budget{Kind::Platform, 0, p.name};
    known += (known.empty() ? "" : ", ") + p.name;
  }
  throw SearchError(fmt::format("unknown platform '{}' (known: {})", platformName, known));
}

Budget Budget::parse(const std::string& text) {
  std::string t = lower(text);
  if (t == "default") return fpgaDefault();
  std::string number = t;
  bool isRatio = false;
  if (t.rfind("ratio:", 0) == 0)
    number = t.substr(6), isRatio = true;
  else if (t.size() > 1 && t[0] == 'r' &&
           (std::isdigit(static_cast<unsigned char>(t[1])) || t[1] == '.'))
    number = t.substr(1), isRatio = true;
  else if (!t.empty() && !std::isdigit(static_cast<unsigned char>(t[0])) && t[0] != '.')
    return named(t);
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(number, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != number.size() || !std::isfinite(v) || v < 0)
    throw SearchError(fmt::format(
        "budget '{}' is not a non-negative number, ratio:<r>, or a platform (edge, cloud)", text));
  return isRatio ? ratio(v) : absolute(v);
}

Budget Budget::fromUser(const std::string& text) {
  auto number = [](const std::string& t, double& v) {
    char* end = nullptr;
    v = std::strtod(t.c_str(), &end);
    return !t.empty() && *end == '\0';
  };
  double v = 0;
  if (text.rfind("abs:", 0) == 0) {
    const std::string value = text.substr(4);
    if (!number(value, v) || !std::isfinite(v) || v < 0)
      throw SearchError(fmt::format("budget '{}': '{}' is not a number (at least 0)", text, value));
    return absolute(v);
  }
  if (number(text, v)) {
    if (!std::isfinite(v) || !(v > 0))
      throw SearchError(fmt::format("budget '{}' must be a positive, finite number", text));
    return v <= 1 ? ratio(v) : absolute(v);
  }
  return parse(text);
}

std::string Budget::describe() const {
  switch (kind) {
    case Kind::Absolute:
      return fmt::format("{:g}", value);
    case Kind::Ratio:
      return fmt::format("ratio {:g}", value);
    case Kind::Platform:
      return platform;
    case Kind::Default:
      return "part default";
  }
  return "?";
}

std::vector<int64_t> confuciuxPeLevels() {
  return {1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128};
}

std::vector<int64_t> defaultBufferLevels() {
  return {128, 256, 512, 768, 1024, 1536, 2048, 3072, 4096, 5120, 6144, 8192};
}

ActionLevels defaultActionLevels(const ProblemSpec& spec) {
  ActionLevels levels{confuciuxPeLevels(), defaultBufferLevels()};
  if (spec.deployment != Deployment::LayerSequential) return levels;
  double peTarget = 0, bufTarget = 0;
  const Budget& b = spec.budget;
  if (b.kind == Budget::Kind::Platform) {
    for (const auto& p : platforms())
      if (p.name == b.platform) peTarget = double(p.pes), bufTarget = double(p.bufferBytes);
  } else if (b.kind == Budget::Kind::Absolute && spec.constraint.kind == ConstraintKind::Pes) {
    peTarget = b.value;
  } else if (b.kind == Budget::Kind::Absolute && spec.constraint.kind == ConstraintKind::Buffer) {
    bufTarget = b.value;
  } else if (spec.constraint.kind == ConstraintKind::Fpga) {
    peTarget = b.kind == Budget::Kind::Absolute
                   ? b.value
                   : double(findFpgaPart(spec.constraint.fpgaPart).dsps);
  }
  auto scale = [](std::vector<int64_t>& v, double target) {
    int64_t f = 1;
    while (double(v.back() * f) < target && f < (int64_t(1) << 20)) f *= 2;
    for (auto& x : v) x *= f;
  };
  scale(levels.pes, peTarget);
  scale(levels.bufferBytes, bufTarget);
  return levels;
}

Problem::Problem(const Workload& workload, CostTable table, ProblemSpec spec)
    : workload_(workload), table_(std::move(table)), spec_(std::move(spec)) {
  if (spec_.budget.kind == Budget::Kind::Platform)
    spec_.constraint.kind = ConstraintKind::PesAndBuffer;  // a platform limits PEs and buffer
  validate();
  prepareTerms();
  prepareCaps();
  resolveBudget();
  findMinimal();
}

void Problem::validate() const {
  const CostTable& t = table_;
  if (t.layers == 0) throw SearchError("the cost table has no layers");
  if (!workload_.layers.empty() && workload_.layers.size() != t.layers)
    throw SearchError(fmt::format("the workload has {} layers but the cost table {}",
                                  workload_.layers.size(), t.layers));
  auto checkLevels = [](const std::vector<int64_t>& v, const char* what) {
    if (v.empty()) throw SearchError(fmt::format("no {} levels", what));
    if (v.size() > 255) throw SearchError(fmt::format("more than 255 {} levels", what));
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] <= 0)
        throw SearchError(fmt::format("{} level {} is {} (must be > 0)", what, i, v[i]));
      if (i > 0 && v[i] <= v[i - 1])
        throw SearchError(
            fmt::format("{} levels must be strictly ascending (level {} is {}, "
                        "level {} is {})",
                        what, i - 1, v[i - 1], i, v[i]));
    }
  };
  checkLevels(t.peLevels, "PE");
  checkLevels(t.bufferLevels, "buffer");
  size_t n = t.layers * t.peLevels.size() * t.bufferLevels.size();
  auto checkSize = [n](size_t got, const char* what) {
    if (got != n)
      throw SearchError(
          fmt::format("cost table '{}' has {} entries, expected {} "
                      "(layers x PE levels x buffer levels)",
                      what, got, n));
  };
  checkSize(t.feasible.size(), "feasible");
  checkSize(t.cycles.size(), "cycles");
  checkSize(t.energyPj.size(), "energyPj");
  checkSize(t.areaUm2.size(), "areaUm2");
  checkSize(t.powerMw.size(), "powerMw");
  if (spec_.constraint.kind == ConstraintKind::Fpga) findFpgaPart(spec_.constraint.fpgaPart);
}

void Problem::prepareTerms() {
  const CostTable& t = table_;
  size_t n = t.feasible.size();
  feasible_.assign(n, 0);
  term_.assign(n, 0);
  std::vector<double> worst(t.layers, 0);
  for (size_t l = 0; l < t.layers; ++l)
    for (int p = 0; p < peLevelCount(); ++p)
      for (int b = 0; b < bufferLevelCount(); ++b) {
        size_t i = index(l, p, b);
        double cycles = t.cycles[i], energy = t.energyPj[i];
        double term = 0;
        switch (spec_.objective) {
          case Objective::Latency:
          case Objective::Throughput:
            term = cycles;
            break;
          case Objective::Energy:
            term = energy;
            break;
          case Objective::Edp:
            term = cycles * energy;
            break;
        }
        // Non-finite or negative numbers are a cost-model failure: an infeasible point,
        // never a NaN that reaches the search (ConfuciuX issue #5).
        bool ok = t.feasible[i] && finiteNonNegative(cycles) && finiteNonNegative(energy) &&
                  finiteNonNegative(t.areaUm2[i]) && finiteNonNegative(t.powerMw[i]) &&
                  finiteNonNegative(term);
        feasible_[i] = ok ? 1 : 0;
        if (ok) {
          term_[i] = term;
          worst[l] = std::max(worst[l], term);
        }
      }
  double base = 0;
  for (size_t l = 0; l < t.layers; ++l) {
    for (int p = 0; p < peLevelCount(); ++p)
      for (int b = 0; b < bufferLevelCount(); ++b)
        if (!feasible_[index(l, p, b)]) term_[index(l, p, b)] = worst[l];
    base = bottleneckObjective() ? std::max(base, worst[l]) : base + worst[l];
  }
  penaltyBase_ = std::isfinite(base) ? std::max(base, 1.0) : std::numeric_limits<double>::max() / 8;
}

void Problem::prepareCaps() {
  int np = peLevelCount(), nb = bufferLevelCount();
  capArea_.assign(size_t(np * nb), 0);
  capPower_.assign(size_t(np * nb), 0);
  for (int p = 0; p < np; ++p)
    for (int b = 0; b < nb; ++b) {
      double area = 0, power = 0;
      for (size_t l = 0; l < layers(); ++l) {
        size_t i = index(l, p, b);
        if (!feasible_[i]) continue;
        area = std::max(area, table_.areaUm2[i]);
        power = std::max(power, table_.powerMw[i]);
      }
      // Envelope: a larger accelerator never costs less area or power than a smaller one,
      // which makes the LS constraint monotone in the cap (the exact solver relies on it).
      if (p > 0) area = std::max(area, capArea_[size_t((p - 1) * nb + b)]);
      if (b > 0) area = std::max(area, capArea_[size_t(p * nb + b - 1)]);
      if (p > 0) power = std::max(power, capPower_[size_t((p - 1) * nb + b)]);
      if (b > 0) power = std::max(power, capPower_[size_t(p * nb + b - 1)]);
      capArea_[size_t(p * nb + b)] = area;
      capPower_[size_t(p * nb + b)] = power;
    }
}

double Problem::capValue(int pe, int buf, int resource) const {
  size_t i = size_t(pe * bufferLevelCount() + buf);
  switch (spec_.constraint.kind) {
    case ConstraintKind::Area:
      return capArea_[i];
    case ConstraintKind::Power:
      return capPower_[i];
    case ConstraintKind::Pes:
    case ConstraintKind::Fpga:
      return double(table_.peLevels[size_t(pe)]);
    case ConstraintKind::Buffer:
      return double(table_.bufferLevels[size_t(buf)]);
    case ConstraintKind::PesAndBuffer:
      return resource == 0 ? double(table_.peLevels[size_t(pe)])
                           : double(table_.bufferLevels[size_t(buf)]);
  }
  return 0;
}

double Problem::resourceOfPoint(size_t layer, int pe, int buf, int resource) const {
  size_t i = index(layer, pe, buf);
  switch (spec_.constraint.kind) {
    // An infeasible point has no area/power of its own; the accelerator-size envelope stands
    // in so corner budgets stay meaningful.
    case ConstraintKind::Area:
      return feasible_[i] ? table_.areaUm2[i] : capValue(pe, buf);
    case ConstraintKind::Power:
      return feasible_[i] ? table_.powerMw[i] : capValue(pe, buf);
    default:
      return capValue(pe, buf, resource);
  }
}

double Problem::constraintTerm(size_t layer, int pe, int buf, int resource) const {
  return resourceOfPoint(layer, pe, buf, resource);
}

void Problem::extend(Partial& partial, size_t layer, int pe, int buf) const {
  if (!feasible_[index(layer, pe, buf)]) ++partial.infeasible;
  if (isLP()) {
    for (int r = 0; r < resources(); ++r) partial.sum[r] += resourceOfPoint(layer, pe, buf, r);
  } else {
    partial.maxPe = std::max(partial.maxPe, pe);
    partial.maxBuf = std::max(partial.maxBuf, buf);
  }
}

double Problem::budgetUse(const Partial& partial) const {
  double use = 0;
  for (int r = 0; r < resources(); ++r) {
    double v = isLP() ? partial.sum[r]
                      : (partial.maxPe < 0 ? 0 : capValue(partial.maxPe, partial.maxBuf, r));
    use = std::max(use, v / budget_[r]);
  }
  return use;
}

double Problem::budgetUse(const Design& design) const {
  Partial partial;
  for (size_t l = 0; l < design.size() && l < layers(); ++l)
    extend(partial, l, design[l].pe, design[l].buf);
  return budgetUse(partial);
}

double Problem::scoreOf(double objective, double use, int infeasibleLayers) const {
  if (infeasibleLayers == 0 && fits(use)) return objective;
  double over = std::isfinite(use) ? std::max(0.0, use - 1) : 1e12;
  return penaltyBase_ * (2 + std::min(over, 1e12) + infeasibleLayers);
}

Evaluation Problem::evaluate(const Design& design) const {
  if (design.size() != layers())
    throw SearchError(fmt::format("design has {} layers, the problem {}", design.size(), layers()));
  Evaluation e;
  Partial partial;
  double objective = 0;
  bool bottleneck = bottleneckObjective();
  for (size_t l = 0; l < layers(); ++l) {
    int p = design[l].pe, b = design[l].buf;
    if (p < 0 || p >= peLevelCount() || b < 0 || b >= bufferLevelCount())
      throw SearchError(fmt::format("layer {}: level ({}, {}) outside the {}x{} action space", l, p,
                                    b, peLevelCount(), bufferLevelCount()));
    double term = term_[index(l, p, b)];
    objective = bottleneck ? std::max(objective, term) : objective + term;
    extend(partial, l, p, b);
  }
  e.objective = objective;
  if (isLP()) {
    e.constraint = partial.sum[0];
    e.constraint2 = resources() > 1 ? partial.sum[1] : 0;
  } else {
    e.constraint = capValue(partial.maxPe, partial.maxBuf, 0);
    e.constraint2 = resources() > 1 ? capValue(partial.maxPe, partial.maxBuf, 1) : 0;
  }
  e.budgetUse = budgetUse(partial);
  e.infeasibleLayers = partial.infeasible;
  e.feasible = e.infeasibleLayers == 0 && fits(e.budgetUse);
  e.score = scoreOf(e.objective, e.budgetUse, e.infeasibleLayers);
  return e;
}

void Problem::resolveBudget() {
  int np = peLevelCount(), nb = bufferLevelCount();
  // ConfuciuX's four corner designs: every layer at (max, max), (min, min), (max, min), (min, max).
  const int corners[4][2] = {{np - 1, nb - 1}, {0, 0}, {np - 1, 0}, {0, nb - 1}};
  for (int r = 0; r < resources(); ++r) {
    double lo = std::numeric_limits<double>::max(), hi = 0;
    for (const auto& c : corners) {
      double v = 0;
      if (isLP()) {
        for (size_t l = 0; l < layers(); ++l) v += resourceOfPoint(l, c[0], c[1], r);
      } else {
        v = capValue(c[0], c[1], r);
      }
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    cornerMin_[r] = lo;
    cornerMax_[r] = hi;
  }
  const Budget& b = spec_.budget;
  const ConstraintKind kind = spec_.constraint.kind;
  if (!std::isfinite(b.value) || b.value < 0)
    throw SearchError(fmt::format("budget {} must be a finite non-negative number", b.value));
  switch (b.kind) {
    case Budget::Kind::Platform: {
      for (const auto& p : platforms())
        if (p.name == b.platform) budget_[0] = double(p.pes), budget_[1] = double(p.bufferBytes);
      if (budget_[0] <= 0) throw SearchError(fmt::format("unknown platform '{}'", b.platform));
      break;
    }
    case Budget::Kind::Ratio:
      for (int r = 0; r < resources(); ++r)
        budget_[r] = cornerMin_[r] + b.value * (cornerMax_[r] - cornerMin_[r]);
      break;
    case Budget::Kind::Absolute:
      if (kind == ConstraintKind::PesAndBuffer)
        throw SearchError(
            "a PEs-and-buffer budget needs a platform (edge, cloud) or a ratio, "
            "not a single number");
      budget_[0] = b.value;
      break;
    case Budget::Kind::Default:
      if (kind != ConstraintKind::Fpga)
        throw SearchError(
            fmt::format("constraint '{}' has no default budget; give a number, a "
                        "ratio (ratio:0.5) or a platform (edge, cloud)",
                        spec_.constraint.name()));
      budget_[0] = double(findFpgaPart(spec_.constraint.fpgaPart).dsps);
      break;
  }
  for (int r = 0; r < resources(); ++r)
    if (!(budget_[r] > 0) || !std::isfinite(budget_[r]))
      throw SearchError(
          fmt::format("the {} budget resolves to {} (must be > 0); corner range "
                      "is [{:g}, {:g}]",
                      spec_.constraint.name(), budget_[r], cornerMin_[r], cornerMax_[r]));
}

void Problem::findMinimal() {
  int np = peLevelCount(), nb = bufferLevelCount();
  // A layer the cost model cannot run at any level makes every design infeasible.
  for (size_t l = 0; l < layers(); ++l) {
    bool any = false;
    for (int p = 0; p < np && !any; ++p)
      for (int b = 0; b < nb && !any; ++b) any = feasible_[index(l, p, b)] != 0;
    if (!any) {
      std::string why = table_.reasons.size() == table_.feasible.size()
                            ? table_.reasons[index(l, np - 1, nb - 1)]
                            : std::string();
      if (why.empty()) why = "no finite cost at any level";
      impossible_ =
          fmt::format("layer {} ({}) has no feasible (PE, buffer) level: {}", l, layerName(l), why);
      minimal_.assign(layers(), LayerLevels{np - 1, nb - 1});
      return;
    }
  }
  minimal_.assign(layers(), LayerLevels{});
  double minUse = 0;
  if (isLP()) {
    double need[2] = {0, 0};
    for (size_t l = 0; l < layers(); ++l) {
      double bestKey = std::numeric_limits<double>::max(), bestTerm = 0;
      for (int p = 0; p < np; ++p)
        for (int b = 0; b < nb; ++b) {
          if (!feasible_[index(l, p, b)]) continue;
          double key = 0;
          for (int r = 0; r < resources(); ++r) key += resourceOfPoint(l, p, b, r) / budget_[r];
          double term = term_[index(l, p, b)];
          if (key < bestKey || (key == bestKey && term < bestTerm)) {
            bestKey = key, bestTerm = term;
            minimal_[l] = {p, b};
          }
        }
      for (int r = 0; r < resources(); ++r) {
        double least = std::numeric_limits<double>::max();
        for (int p = 0; p < np; ++p)
          for (int b = 0; b < nb; ++b)
            if (feasible_[index(l, p, b)]) least = std::min(least, resourceOfPoint(l, p, b, r));
        need[r] += least;
      }
    }
    for (int r = 0; r < resources(); ++r) minUse = std::max(minUse, need[r] / budget_[r]);
  } else {
    double bestUse = std::numeric_limits<double>::max(), bestObj = 0;
    for (int P = 0; P < np; ++P)
      for (int B = 0; B < nb; ++B) {
        double use = 0;
        for (int r = 0; r < resources(); ++r) use = std::max(use, capValue(P, B, r) / budget_[r]);
        if (use > bestUse) continue;
        Design d(layers());
        double obj = 0;
        bool all = true;
        for (size_t l = 0; l < layers() && all; ++l) {
          double best = std::numeric_limits<double>::max();
          for (int p = 0; p <= P; ++p)
            for (int b = 0; b <= B; ++b)
              if (feasible_[index(l, p, b)] && term_[index(l, p, b)] < best) {
                best = term_[index(l, p, b)];
                d[l] = {p, b};
              }
          all = best < std::numeric_limits<double>::max();
          obj += all ? best : 0;
        }
        if (!all) continue;
        if (use < bestUse || (use == bestUse && obj < bestObj)) {
          bestUse = use, bestObj = obj;
          minimal_ = d;
        }
      }
    minUse = bestUse;
  }
  if (!fits(minUse)) {
    std::string need;
    if (resources() == 2)
      need = fmt::format("{:.3g}x the PE or buffer budget", minUse);
    else
      need = fmt::format("{:.6g} {}", minUse * budget_[0], spec_.constraint.unit());
    impossible_ = fmt::format(
        "no design fits the {} budget of {}: the smallest feasible design needs {} ({})",
        spec_.constraint.name(),
        resources() == 2 ? fmt::format("{:g} PEs and {:g} bytes", budget_[0], budget_[1])
                         : fmt::format("{:.6g} {}", budget_[0], spec_.constraint.unit()),
        need, deploymentName(spec_.deployment));
  }

  // State features for the RL agents.
  features_ = Eigen::MatrixXd::Zero(7, Eigen::Index(layers()));
  for (size_t l = 0; l < workload_.layers.size(); ++l) {
    const Layer& L = workload_.layers[l];
    double type = L.op != OpType::Conv ? 3 : (L.isDepthwise() ? 2 : 1);
    double f[7] = {double(L.K), double(L.C), double(L.H), double(L.W),
                   double(L.R), double(L.S), type};
    for (int k = 0; k < 7; ++k) features_(k, Eigen::Index(l)) = f[k];
  }
  for (int k = 0; k < 7; ++k) {
    double m = features_.row(k).maxCoeff();
    if (m > 0) features_.row(k) /= m;
  }
}

std::string Problem::layerName(size_t layer) const {
  if (layer < workload_.layers.size() && !workload_.layers[layer].name.empty())
    return workload_.layers[layer].name;
  return fmt::format("layer{}", layer);
}

std::string Problem::describe() const {
  std::string budget = resources() == 2
                           ? fmt::format("{:g} PEs and {:g} bytes", budget_[0], budget_[1])
                           : fmt::format("{:.6g} {}", budget_[0], spec_.constraint.unit());
  return fmt::format(
      "{} {} ({}) under {} <= {} [{}; corner range {:.6g}..{:.6g}], {} layers, "
      "{} PE x {} buffer levels",
      deploymentName(spec_.deployment), objectiveName(spec_.objective),
      objectiveUnit(spec_.objective), spec_.constraint.name(), budget, spec_.budget.describe(),
      cornerMin_[0], cornerMax_[0], layers(), peLevelCount(), bufferLevelCount());
}

std::vector<Allocation> allocationsOf(const Problem& problem, const Design& design) {
  std::vector<Allocation> out;
  out.reserve(design.size());
  for (const auto& d : design)
    out.push_back(Allocation{problem.table().peLevels[size_t(d.pe)],
                             problem.table().bufferLevels[size_t(d.buf)]});
  return out;
}

}  // namespace analects::search
