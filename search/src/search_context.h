// SearchContext: what every algorithm spends its budget through. It counts evaluations,
// keeps the best feasible design (model order) and the convergence trace, and owns the RNG,
// so all algorithms are measured and reported the same way.
#pragma once

#include <chrono>
#include <string>

#include "analects/search/search.h"
#include "rng.h"

namespace analects::search {

class SearchContext {
 public:
  SearchContext(const Problem& problem, const SearchOptions& options, std::string algorithm);

  const Problem& problem() const { return problem_; }
  Rng& rng() { return rng_; }
  int64_t budget() const { return budget_; }
  int64_t used() const { return used_; }
  int64_t remaining() const { return budget_ > used_ ? budget_ - used_ : 0; }
  // Out of samples or out of time.
  bool exhausted();

  // Scores one complete design (one sample) and records it if it is the best feasible one.
  Evaluation evaluate(const Design& design);
  // Spends one sample without a complete design (an RL episode cut short by an overshoot).
  void spendSample() {
    ++used_;
    report();
  }

  bool found() const { return found_; }
  const Design& best() const { return best_; }
  const Evaluation& bestEval() const { return bestEval_; }
  // The lowest-score design seen, feasible or not (for seeding a next stage).
  const Design& bestScored() const { return bestScored_; }
  double bestScore() const { return bestScore_; }
  double seconds() const;

  // Records a stage that began when `samplesAtStart` samples had been used (and at the time of
  // the previous stage's end, or the start).
  void addStage(const std::string& name, int64_t samplesAtStart);
  SearchResult finish();

 private:
  void report();
  const Problem& problem_;
  std::function<void(int64_t, int64_t, double)> progress_;
  int64_t nextReport_ = 0;
  std::string algorithm_;
  Rng rng_;
  int64_t budget_;
  int64_t used_ = 0;
  double timeLimit_;
  std::chrono::steady_clock::time_point start_;
  bool found_ = false;
  Design best_;
  Evaluation bestEval_;
  Design bestScored_;
  double bestScore_ = 0;
  std::vector<TracePoint> trace_;
  std::vector<StageResult> stages_;
  double stageStart_ = 0;
};

// Shared helpers.
Design randomDesign(const Problem& problem, Rng& rng);

}  // namespace analects::search
