#include "params.h"

#include <fmt/format.h>

#include <cmath>

#include "analects/search/problem.h"

namespace analects::search {

const std::string* Params::find(const std::string& key) {
  known_.insert(key);
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

double Params::real(const std::string& key, double fallback) {
  const std::string* v = find(key);
  if (!v) return fallback;
  size_t used = 0;
  double x = 0;
  try {
    x = std::stod(*v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != v->size() || !std::isfinite(x))
    throw SearchError(fmt::format("{}: parameter {}='{}' is not a number", algorithm_, key, *v));
  return x;
}

int Params::integer(const std::string& key, int fallback) {
  const std::string* v = find(key);
  if (!v) return fallback;
  size_t used = 0;
  long x = 0;
  try {
    x = std::stol(*v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != v->size() || x < -(1L << 30) || x > (1L << 30))
    throw SearchError(fmt::format("{}: parameter {}='{}' is not an integer", algorithm_, key, *v));
  return int(x);
}

bool Params::flag(const std::string& key, bool fallback) {
  const std::string* v = find(key);
  if (!v) return fallback;
  if (*v == "1" || *v == "true" || *v == "on" || *v == "yes") return true;
  if (*v == "0" || *v == "false" || *v == "off" || *v == "no") return false;
  throw SearchError(fmt::format("{}: parameter {}='{}' is not a boolean", algorithm_, key, *v));
}

void Params::finish() const {
  std::string unknown, known;
  for (const auto& [k, v] : values_)
    if (!known_.count(k)) unknown += (unknown.empty() ? "" : ", ") + k;
  if (unknown.empty()) return;
  for (const auto& k : known_) known += (known.empty() ? "" : ", ") + k;
  throw SearchError(fmt::format("{}: unknown parameter(s) {} (known: {})", algorithm_, unknown,
                                known.empty() ? "none" : known));
}

}  // namespace analects::search
