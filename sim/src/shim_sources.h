// shim/dut_shim.cpp and shim/dut_ports.h as text (embedded at build time), written next to
// every Verilator build of a design.
#pragma once

namespace analects::sim {

extern const char* const kShimSource;
extern const char* const kPortsHeader;

}  // namespace analects::sim
