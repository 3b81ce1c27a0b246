// Technology table: energy per action, area per component, clock, and FPGA mapping factors.
// Defaults are published 45 nm figures (costmodel/data/tech_45nm.json names each source);
// users can load their own table.
#pragma once

#include <string>

namespace analects {

struct TechTable {
  std::string name = "45nm (Horowitz ISSCC 2014)";
  double clockMhz = 200;
  // Energy per action, pJ.
  double mac8Pj = 0.23;            // 8-bit multiply 0.2 + 8-bit add 0.03
  double add32Pj = 0.1;            // 32-bit add (accumulation, adder-tree tail)
  double regAccessPj = 0.03;       // one byte in a PE register / small scratchpad
  double sramPjPerByteSmall = 1.25;   // 8 KB SRAM: 10 pJ per 64-bit access
  double sramPjPerByteMedium = 2.5;   // 32 KB SRAM: 20 pJ per 64-bit access
  double sramPjPerByteLarge = 12.5;   // 1 MB SRAM: 100 pJ per 64-bit access
  double dramPjPerByte = 162.5;       // 1.3 nJ per 64-bit access (low end of 1.3-2.6 nJ)
  // Area, um^2.
  double mac8AreaUm2 = 282;        // 8-bit multiplier
  double add32AreaUm2 = 137;       // 32-bit adder
  double sramAreaUm2PerBit = 0.086; // SRAM bit-cell area used by GAMMA's area model
  double regAreaUm2PerBit = 6;     // flip-flop bit (scratchpads, pipeline registers)
  double controlAreaUm2 = 20000;   // controller, DMA, descriptor registers
  // Leakage, as a fraction of dynamic power at full utilization.
  double leakageFraction = 0.1;

  // Energy per byte of an SRAM of the given size (interpolated in log-size between the
  // 8 KB, 32 KB and 1 MB points).
  double sramPjPerByte(double bytes) const;
  // Reads a JSON table; unknown keys or non-positive values are errors naming the key.
  static TechTable fromJsonFile(const std::string& path);
};

}  // namespace analects
