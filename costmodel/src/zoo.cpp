#include <fmt/format.h>

#include "analects/costmodel/workload.h"
#include "zoo_data.h"

namespace analects {

std::vector<std::string> zooNames() {
  std::vector<std::string> names;
  for (const auto& e : detail::zooEntries()) names.emplace_back(e.name);
  return names;
}

bool isZooName(const std::string& name) {
  for (const auto& e : detail::zooEntries())
    if (name == e.name) return true;
  return false;
}

Workload loadZoo(const std::string& name) {
  for (const auto& e : detail::zooEntries()) {
    if (name != e.name) continue;
    std::string source = fmt::format("zoo:{}", name);
    std::string text = e.table;
    Workload w = name.rfind("confuciux/", 0) == 0 ? parseConfuciuxCsv(text, source)
                                                   : parseLayerTable(text, source);
    if (w.name.empty()) w.name = name;
    w.source = source;
    w.validate();
    return w;
  }
  throw WorkloadError(fmt::format("unknown zoo model '{}' (see 'analects zoo list')", name));
}

}  // namespace analects
