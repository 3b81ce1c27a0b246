// analects fpga: Yosys resource estimate of a generated design for an FPGA part, next to the
// cost model's prediction and the part's capacity (iCE40: place and route when it fits).
#include <fmt/format.h>

#include <memory>

#include "analects/flows/fpga.h"
#include "commands.h"

namespace analects::cli {

Action addFpgaCommand(CLI::App& app) {
  struct Options {
    std::string design, part = "xc7z020";
    bool json = false, noCache = false, noPlace = false;
    int64_t seed = 1;
  };
  auto o = std::make_shared<Options>();
  auto* cmd =
      app.add_subcommand("fpga", "FPGA resources of a generated design (Yosys) vs the model");
  std::string parts;
  for (const auto& p : flows::fpgaParts()) parts += (parts.empty() ? "" : " | ") + p.name;
  cmd->footer(
      "Examples:\n"
      "  analects gen --atomk 4 --atomc 4 --buffer 4096 -o out/k4c4\n"
      "  analects fpga --design out/k4c4/design.json --part xc7z020\n"
      "  analects fpga --design out/k4c4/design.json --part ice40up5k --json\n"
      "Yosys runs once per design (20-90 s); results are cached in the design directory\n"
      "(fpga_<flow>_stat.json, fpga_<flow>.hash). Exit status: 0 fits, 2 does not fit, 1 error.");
  cmd->add_option("--design", o->design, "design.json of a generated design (analects gen)")
      ->required();
  cmd->add_option("--part", o->part, "FPGA part: " + parts + " (default xc7z020)");
  cmd->add_option("--seed", o->seed, "nextpnr placer seed (iCE40, default 1)");
  cmd->add_flag("--no-cache", o->noCache, "Run Yosys even when a cached result exists");
  cmd->add_flag("--no-place", o->noPlace, "iCE40: skip nextpnr / icepack");
  cmd->add_flag("--json", o->json, "Print JSON");
  return [o]() -> int {
    const flows::FpgaPart& part = flows::fpgaPart(o->part);  // unknown names list the known ones
    flows::FpgaOptions fo;
    fo.useCache = !o->noCache;
    fo.placeAndRoute = !o->noPlace;
    fo.seed = o->seed;
    fo.log = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };
    flows::FpgaReport r = flows::fpgaEstimate(o->design, part, fo);
    if (o->json)
      fmt::print("{}\n", flows::fpgaReportJson(r));
    else
      fmt::print("{}", flows::fpgaReportText(r));
    if (!r.fits) {
      fmt::print(stderr, "analects: {} does not fit the {}: {}\n", r.top, part.name,
                 fmt::join(r.overflows, ", "));
      return 2;
    }
    return 0;
  };
}

}  // namespace analects::cli
