#include "analects/costmodel/tech.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "analects/costmodel/array_config.h"

namespace analects {

double TechTable::sramPjPerByte(double bytes) const {
  // Piecewise-linear in log2(size) through the three published points; clamped outside.
  const double x = std::log2(std::max(bytes, 1.0));
  const double x0 = 13, x1 = 15, x2 = 20;  // 8 KB, 32 KB, 1 MB
  if (x <= x0) return sramPjPerByteSmall;
  if (x <= x1) return sramPjPerByteSmall + (x - x0) / (x1 - x0) * (sramPjPerByteMedium - sramPjPerByteSmall);
  if (x <= x2) return sramPjPerByteMedium + (x - x1) / (x2 - x1) * (sramPjPerByteLarge - sramPjPerByteMedium);
  return sramPjPerByteLarge;
}

TechTable TechTable::fromJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(fmt::format("{}: cannot open tech table", path));
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw ConfigError(fmt::format("{}: not valid JSON: {}", path, e.what()));
  }
  if (!j.is_object()) throw ConfigError(fmt::format("{}: a tech table must be a JSON object", path));
  TechTable t;
  struct Key { const char* name; double TechTable::*field; };
  const Key keys[] = {{"clock_mhz", &TechTable::clockMhz},
                      {"mac8_pj", &TechTable::mac8Pj},
                      {"add32_pj", &TechTable::add32Pj},
                      {"reg_access_pj", &TechTable::regAccessPj},
                      {"sram_pj_per_byte_8kb", &TechTable::sramPjPerByteSmall},
                      {"sram_pj_per_byte_32kb", &TechTable::sramPjPerByteMedium},
                      {"sram_pj_per_byte_1mb", &TechTable::sramPjPerByteLarge},
                      {"dram_pj_per_byte", &TechTable::dramPjPerByte},
                      {"mac8_area_um2", &TechTable::mac8AreaUm2},
                      {"add32_area_um2", &TechTable::add32AreaUm2},
                      {"sram_area_um2_per_bit", &TechTable::sramAreaUm2PerBit},
                      {"reg_area_um2_per_bit", &TechTable::regAreaUm2PerBit},
                      {"control_area_um2", &TechTable::controlAreaUm2},
                      {"leakage_fraction", &TechTable::leakageFraction}};
  for (const auto& [key, value] : j.items()) {
    if (key == "name") {
      if (!value.is_string()) throw ConfigError(fmt::format("{}: key 'name' must be a string", path));
      t.name = value.get<std::string>();
      continue;
    }
    if (key == "sources") continue;
    const Key* k = nullptr;
    for (const auto& c : keys)
      if (key == c.name) k = &c;
    if (!k) throw ConfigError(fmt::format("{}: unknown key '{}'", path, key));
    if (!value.is_number()) throw ConfigError(fmt::format("{}: key '{}' must be a number", path, key));
    double v = value.get<double>();
    if (!(v >= 0) || !std::isfinite(v) || (v == 0 && key != "leakage_fraction"))
      throw ConfigError(fmt::format("{}: key '{}' must be positive (got {})", path, key, v));
    t.*(k->field) = v;
  }
  return t;
}

}  // namespace analects
