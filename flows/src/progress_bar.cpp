#include "analects/flows/progress_bar.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace analects::flows {

ProgressBar::ProgressBar(std::string label, bool force)
    : label_(std::move(label)), enabled_(force || isatty(STDERR_FILENO)) {}

ProgressBar::~ProgressBar() {
  if (open_) fmt::print(stderr, "\n");
}

void ProgressBar::update(int64_t done, int64_t total, const std::string& note) {
  if (!enabled_ || total <= 0) return;
  constexpr int kWidth = 30;
  const double f = std::clamp(double(done) / double(total), 0.0, 1.0);
  const int filled = int(f * kWidth);
  fmt::print(stderr, "\r{:<14} [{}{}] {:>3.0f}% {}/{} {}\x1b[K", label_, std::string(size_t(filled), '#'),
             std::string(size_t(kWidth - filled), '.'), 100 * f, done, total, note);
  std::fflush(stderr);
  open_ = true;
}

void ProgressBar::finish(const std::string& note) {
  if (!enabled_) return;
  if (!note.empty() || open_) fmt::print(stderr, "\r{:<14} {}\x1b[K\n", label_, note);
  open_ = false;
}

}  // namespace analects::flows
