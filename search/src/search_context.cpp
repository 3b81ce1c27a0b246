#include "search_context.h"

#include <limits>

#include <fmt/format.h>

namespace analects::search {

SearchContext::SearchContext(const Problem& problem, const SearchOptions& options,
                             std::string algorithm)
    : problem_(problem),
      progress_(options.progress),
      algorithm_(std::move(algorithm)),
      rng_(options.seed),
      budget_(std::max<int64_t>(0, options.samples)),
      timeLimit_(options.timeLimitSeconds),
      start_(std::chrono::steady_clock::now()) {}

double SearchContext::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

bool SearchContext::exhausted() {
  if (used_ >= budget_) return true;
  return timeLimit_ > 0 && seconds() >= timeLimit_;
}

Evaluation SearchContext::evaluate(const Design& design) {
  Evaluation e = problem_.evaluate(design);
  ++used_;
  if (bestScored_.empty() || e.score < bestScore_) {
    bestScored_ = design;
    bestScore_ = e.score;
  }
  if (e.feasible && (!found_ || e.objective < bestEval_.objective)) {
    found_ = true;
    best_ = design;
    bestEval_ = e;
    trace_.push_back(TracePoint{used_, e.objective, seconds()});
  }
  report();
  return e;
}

void SearchContext::report() {
  if (!progress_ || used_ < nextReport_) return;
  nextReport_ = used_ + std::max<int64_t>(1, budget_ / 100);
  progress_(used_, budget_, found_ ? bestEval_.objective : std::numeric_limits<double>::quiet_NaN());
}

void SearchContext::addStage(const std::string& name, int64_t samplesAtStart) {
  StageResult s;
  s.name = name;
  s.samples = used_ - samplesAtStart;
  double now = seconds();
  s.seconds = now - stageStart_;
  stageStart_ = now;
  s.found = found_;
  s.bestObjective = found_ ? bestEval_.objective : 0;
  s.best = best_;
  stages_.push_back(std::move(s));
}

SearchResult SearchContext::finish() {
  SearchResult r;
  r.algorithm = algorithm_;
  r.samplesUsed = used_;
  r.seconds = seconds();
  r.stages = std::move(stages_);
  if (found_) {
    r.status = SearchStatus::Found;
    r.best = best_;
    // Re-evaluate what we report, in model order (ConfuciuX's GA reported a score that was not
    // the saved design's).
    r.bestEval = problem_.evaluate(best_);
    if (trace_.empty() || trace_.back().samples != used_)
      trace_.push_back(TracePoint{used_, r.bestEval.objective, r.seconds});
    r.message =
        fmt::format("best {} {:.6g} {} using {:.1f}% of the budget after {} samples",
                    objectiveName(problem_.spec().objective), r.bestEval.objective,
                    objectiveUnit(problem_.spec().objective), 100 * r.bestEval.budgetUse, used_);
  } else {
    r.status = SearchStatus::NoFeasible;
    if (!bestScored_.empty()) {
      r.best = bestScored_;
      r.bestEval = problem_.evaluate(bestScored_);
    }
    r.message = fmt::format(
        "no design met the budget in {} samples (closest uses {:.1f}% of "
        "the budget with {} infeasible layers)",
        used_, 100 * r.bestEval.budgetUse, r.bestEval.infeasibleLayers);
  }
  r.trace = std::move(trace_);
  return r;
}

Design randomDesign(const Problem& problem, Rng& rng) {
  Design d(problem.layers());
  for (auto& x : d) {
    x.pe = rng.below(problem.peLevelCount());
    x.buf = rng.below(problem.bufferLevelCount());
  }
  return d;
}

}  // namespace analects::search
