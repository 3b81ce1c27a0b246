#include "analects/costmodel/array_config.h"

#include <fmt/format.h>

namespace analects {

const char* styleName(Style s) { return s == Style::Nvdla ? "nvdla" : "eyeriss"; }

Style parseStyle(const std::string& text) {
  if (text == "nvdla") return Style::Nvdla;
  if (text == "eyeriss") return Style::Eyeriss;
  throw ConfigError(fmt::format("unknown accelerator style '{}' (known: nvdla, eyeriss)", text));
}

int64_t ArrayConfig::ifmapBusBytes() const {
  int64_t nb = 8;
  while (nb < 2 * cols + rows) nb *= 2;
  return nb;
}

std::string ArrayConfig::name() const {
  if (style == Style::Nvdla) return fmt::format("nvdla_k{}_c{}_b{}", atomK, atomC, bufferBytes);
  return fmt::format("eyeriss_r{}_c{}_b{}", rows, cols, bufferBytes);
}

void ArrayConfig::validate() const {
  auto check = [](const char* field, int64_t v, int64_t lo, int64_t hi) {
    if (v < lo || v > hi)
      throw ConfigError(fmt::format("{} = {} is out of range [{}, {}]", field, v, lo, hi));
  };
  if (style == Style::Nvdla) {
    check("atomK", atomK, 1, 1024);
    check("atomC", atomC, 1, 1024);
  } else {
    check("rows", rows, 1, 1024);
    check("cols", cols, 1, 1024);
    check("filter spad", filterSpad, 1, 1 << 16);
    check("ifmap spad", ifmapSpad, 1, 1 << 16);
    check("psum spad", psumSpad, 1, 1 << 16);
  }
  check("buffer bytes", bufferBytes, 1, kMaxBufferBytes);
  check("data bits", dataBits, 8, 8);
  check("acc bits", accBits, 32, 32);
  if (outputBytes != 1 && outputBytes != 4)
    throw ConfigError(fmt::format("output bytes = {} (must be 1 for int8 or 4 for int32)", outputBytes));
  check("accumulator depth", accDepthPixels, 1, 1 << 20);
  check("pipeline depth", pipelineDepth, 1, 64);
  check("DRAM bytes/cycle", dramBytesPerCycle, 1, int64_t(1) << 30);
  check("DRAM latency", dramLatencyCycles, 0, 100000);
}

bool ArrayConfig::valid() const {
  try {
    validate();
    return true;
  } catch (const ConfigError&) {
    return false;
  }
}

}  // namespace analects
