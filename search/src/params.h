// Params: an algorithm's hyperparameters read from SearchOptions::params with defaults; keys
// nobody asked for are reported as errors listing the known ones.
#pragma once

#include <map>
#include <set>
#include <string>

namespace analects::search {

class Params {
 public:
  Params(const std::map<std::string, std::string>& values, std::string algorithm)
      : values_(values), algorithm_(std::move(algorithm)) {}
  double real(const std::string& key, double fallback);
  int integer(const std::string& key, int fallback);
  bool flag(const std::string& key, bool fallback);
  // Throws SearchError naming unknown keys and the known ones.
  void finish() const;

 private:
  const std::string* find(const std::string& key);
  const std::map<std::string, std::string>& values_;
  std::string algorithm_;
  std::set<std::string> known_;
};

}  // namespace analects::search
