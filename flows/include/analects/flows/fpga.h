// FPGA estimate of a generated design: Yosys synthesis for a named part, resource counts
// against the part's capacity and against the cost model's prediction, and for iCE40 (when the
// design fits) place and route with nextpnr, a bitstream and Fmax. Yosys results are cached in
// the design directory, keyed by a hash of the sources, the script and the Yosys version.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analects/costmodel/cost.h"

namespace analects::flows {

// A prototyping part. Xilinx parts count DSP48 slices and 36 Kbit block RAMs (a RAMB18 is
// half of one); iCE40 counts SB_MAC16, 4 Kbit EBRs and 256 Kbit SPRAMs, LUT4s and FFs.
struct FpgaPart {
  std::string name;    // "xc7z020"
  std::string board;   // "PYNQ-Z2 / ZedBoard"
  std::string family;  // "xilinx" or "ice40"
  int64_t dsp = 0;
  int64_t bram36 = 0;  // Xilinx: RAMB36 sites (each holds two RAMB18)
  int64_t ebr = 0;     // iCE40: SB_RAM40_4K
  int64_t spram = 0;   // iCE40: SB_SPRAM256KA
  int64_t lut = 0, ff = 0;
  std::string package;  // iCE40: package nextpnr places into ("sg48")
  int64_t userIo = 0;   // iCE40: user I/O pins of that package
  bool isIce40() const { return family == "ice40"; }
};

// The known parts (shared/REFERENCE.md, "FPGA parts for prototyping budgets").
const std::vector<FpgaPart>& fpgaParts();
// Throws ConfigError listing the known names.
const FpgaPart& fpgaPart(const std::string& name);

struct FpgaOptions {
  bool useCache = true;       // reuse the design directory's cached Yosys / nextpnr results
  bool placeAndRoute = true;  // iCE40: nextpnr + icepack when the design fits
  int64_t seed = 1;           // nextpnr placer seed
  std::function<void(const std::string&)> log;  // progress lines (may be empty)
};

// One row of the comparison table. capacity < 0: the part has no such resource column;
// model < 0: the cost model does not predict it.
struct FpgaRow {
  std::string resource;  // "DSP", "BRAM36", ...
  int64_t yosys = 0;
  int64_t model = -1;
  int64_t capacity = -1;
  double utilizationPct() const {
    return capacity > 0 ? 100.0 * double(yosys) / double(capacity) : 0.0;
  }
  // (model - yosys) / yosys in percent; empty without a model value or when Yosys counts none
  // and the model predicts some.
  std::optional<double> modelDiffPct() const;
};

// iCE40 place and route (nextpnr-ice40, icepack).
struct FpgaPlacement {
  bool attempted = false;  // nextpnr ran (or its cached result was used)
  bool ok = false;         // placed, routed, bitstream written
  std::string note;        // why it did not run or failed (one line)
  int64_t logicCells = 0;  // ICESTORM_LC used
  double fmaxMhz = 0;      // nextpnr's timing analysis of clk after routing
  std::string bitstream;   // path of the .bin
  int64_t bitstreamBytes = 0;
};

struct FpgaReport {
  std::string top;
  std::string designDir;
  FpgaPart part;
  std::string synthCommand;  // the Yosys synthesis command used
  bool cached = false;       // Yosys did not run: the numbers come from the design dir's cache
  double yosysSeconds = 0;   // wall time of the Yosys run (0 when cached)
  std::string statPath;      // the `stat -json` output
  std::map<std::string, int64_t> cells;  // Yosys cell counts by type
  FpgaResources yosys;         // Xilinx: DSP48E1, RAMB18E1/RAMB36E1, LUT (logic + LUTRAM), FD*
  FpgaResources model;         // the cost model's prediction (makeCostModel(style))
  int64_t lutRam = 0;          // Xilinx: LUTs used as distributed RAM (within yosys.lut)
  int64_t ebr = 0, spram = 0;  // iCE40
  int64_t portBits = 0;        // top-level port bits (iCE40: pins needed)
  std::vector<FpgaRow> rows;
  bool fits = true;
  std::vector<std::string> overflows;  // e.g. "DSP 320 > 220"
  std::vector<std::string> notes;      // e.g. a fallback the synthesis needed
  FpgaPlacement placement;
};

// The Yosys synthesis command fpgaEstimate runs for the part ("synth_xilinx -flatten").
std::string fpgaSynthCommand(const FpgaPart& part);

// Synthesizes the design of designJsonPath (as written by rtlgen::generate) for the part:
// `synth_xilinx -flatten` for the Xilinx parts (7-series cells; the UltraScale+ parts have the
// same DSP / 18-36 Kbit BRAM / LUT6 granularity), `synth_ice40 -dsp` for the iCE40. Throws
// std::runtime_error with a one-line message when Yosys is missing or synthesis fails, and
// ConfigError for a bad design file or part.
FpgaReport fpgaEstimate(const std::string& designJsonPath, const FpgaPart& part,
                        const FpgaOptions& options = {});

// Places and routes a Yosys iCE40 netlist (synth_ice40 ... ; write_json) into part.package
// with nextpnr-ice40 and packs it with icepack; writes <stem>.asc, <stem>.bin, <stem>_pnr.json
// (nextpnr's report) and logs beside the netlist, cached by the netlist's hash. Tool failures
// do not throw: the result is not ok and its note says why in one line.
FpgaPlacement placeIce40(const std::string& netlistJson, const FpgaPart& part,
                         const FpgaOptions& options = {});

// The cost model against Yosys on one design, as the calibration is judged: DSP and block RAM
// (RAMB18 and RAMB36 each) exact, LUT within lutTolerancePct. Only Xilinx parts have a full
// prediction; on the iCE40 only DSPs are compared.
struct FpgaModelCheck {
  static constexpr double lutTolerancePct = 15;
  bool dspExact = false;
  bool bramExact = false;  // Xilinx; true on the iCE40 (not predicted)
  double lutDiffPct = 0;   // (model - yosys) / yosys; 0 on the iCE40
  double ffDiffPct = 0;
  bool withinTarget() const {
    return dspExact && bramExact && lutDiffPct <= lutTolerancePct && lutDiffPct >= -lutTolerancePct;
  }
};
FpgaModelCheck checkModel(const FpgaReport& report);

// Machine-readable form of a report (the `analects fpga --json` output).
std::string fpgaReportJson(const FpgaReport& report);
// Human-readable table: resource, yosys, model, capacity, utilization; then the verdict.
std::string fpgaReportText(const FpgaReport& report);

}  // namespace analects::flows
