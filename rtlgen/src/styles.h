// The per-style generators behind topVerilog() and generate(): one file pair per style.
#pragma once

#include <string>

#include "analects/costmodel/array_config.h"

namespace analects::rtlgen {

std::string nvdlaTopVerilog(const ArrayConfig& config);    // nvdla_top.cpp
std::string eyerissTopVerilog(const ArrayConfig& config);  // eyeriss_top.cpp

}  // namespace analects::rtlgen
