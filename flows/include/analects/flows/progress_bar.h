// A one-line progress bar on stderr for long steps (search samples, simulated layers).
#pragma once

#include <cstdint>
#include <string>

namespace analects::flows {

class ProgressBar {
 public:
  // Draws only when stderr is a terminal unless `force`; a finished bar ends its line.
  explicit ProgressBar(std::string label, bool force = false);
  ~ProgressBar();
  void update(int64_t done, int64_t total, const std::string& note = {});
  void finish(const std::string& note = {});

 private:
  std::string label_;
  bool enabled_;
  bool open_ = false;
};

}  // namespace analects::flows
