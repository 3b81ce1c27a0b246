// analects search: per-layer PE/buffer allocation under a budget, with the proven optimum.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "analects/costmodel/cost_model.h"
#include "analects/costmodel/cost_table.h"
#include "analects/flows/progress_bar.h"
#include "analects/search/exact.h"
#include "analects/search/output.h"
#include "analects/search/search.h"
#include "commands.h"

namespace analects::cli {

namespace {

struct SearchCliOptions {
  std::string model, style = "nvdla", deploy = "lp", objective = "latency";
  std::string constraint = "area", budget = "0.5", algo = "confuciux", out;
  int64_t samples = 500;
  uint64_t seed = 1;
  int64_t dramBw = 8, dramLatency = 20;
  std::vector<std::string> params;
  bool json = false;
};

}  // namespace

Action addSearchCommand(CLI::App& app) {
  auto o = std::make_shared<SearchCliOptions>();
  auto* cmd = app.add_subcommand("search", "Search per-layer PE and buffer allocations under a budget");
  std::string algos;
  for (const auto& a : search::searchAlgorithms()) algos += fmt::format("\n  {:<13} {}", a.name, a.description);
  cmd->footer("Examples:\n  analects search --model mobilenet_v2 --deploy lp --objective latency "
              "--constraint area --budget 0.5 --algo confuciux --samples 500 -o out/\n"
              "  analects search --model resnet50 --deploy ls --budget edge --algo exact --json\n"
              "Budgets: a number in (0,1] is ConfuciuX's ratio r of the corner designs; edge "
              "(256 PEs, 4 KiB) and cloud (4096 PEs, 8 KiB) are platforms; abs:V or a number > 1 "
              "is absolute in the constraint's unit.\nAlgorithms:" + algos);
  cmd->add_option("--model", o->model, "Zoo name or workload file")->required();
  cmd->add_option("--style", o->style, "nvdla | eyeriss")->check(CLI::IsMember({"nvdla", "eyeriss"}));
  cmd->add_option("--deploy", o->deploy, "ls (one shared accelerator) | lp (one per layer)");
  cmd->add_option("--objective", o->objective, "latency | energy | edp | throughput");
  cmd->add_option("--constraint", o->constraint, "area | power | pes | buffer | fpga:<part>");
  cmd->add_option("--budget", o->budget, "0.5 | edge | cloud | abs:<value>");
  cmd->add_option("--algo", o->algo, "Search algorithm (see the list below)");
  cmd->add_option("--samples", o->samples, "Sample budget in full design evaluations");
  cmd->add_option("--seed", o->seed, "Random seed (same seed, same result)");
  cmd->add_option("--param", o->params, "Algorithm hyperparameter key=value (repeatable)");
  cmd->add_option("--dram-bw", o->dramBw, "DRAM bytes per cycle (default 8)");
  cmd->add_option("--dram-latency", o->dramLatency, "DRAM latency in cycles (default 20)");
  cmd->add_option("-o,--output", o->out, "Output directory for trace.csv and design.json");
  cmd->add_flag("--json", o->json, "Print JSON");
  return [o]() -> int {
    if (o->samples <= 0) throw search::SearchError("--samples must be positive");
    Workload w = loadWorkload(o->model);
    for (const auto& warning : w.warnings) fmt::print(stderr, "warning: {}\n", warning);
    search::ProblemSpec spec;
    spec.deployment = search::parseDeployment(o->deploy);
    spec.objective = search::parseObjective(o->objective);
    spec.constraint = search::Constraint::parse(o->constraint);
    spec.budget = search::Budget::fromUser(o->budget);
    search::ActionLevels levels = search::defaultActionLevels(spec);
    auto model = makeCostModel(o->style);
    HardwareParams hw{o->dramBw, o->dramLatency};
    auto t0 = std::chrono::steady_clock::now();
    if (!o->json) fmt::print(stderr, "building the cost table ({} layers x {} x {} points)...\n",
                             w.layers.size(), levels.pes.size(), levels.bufferBytes.size());
    CostTable table = CostTable::build(w, *model, levels.pes, levels.bufferBytes, hw);
    double tableSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    search::Problem problem(w, std::move(table), spec);

    search::SearchOptions options;
    options.samples = o->samples;
    options.seed = o->seed;
    for (const auto& p : o->params) {
      auto eq = p.find('=');
      if (eq == std::string::npos || eq == 0)
        throw search::SearchError(fmt::format("--param '{}' must be key=value", p));
      options.params[p.substr(0, eq)] = p.substr(eq + 1);
    }
    flows::ProgressBar bar(o->algo);
    if (!o->json)
      options.progress = [&](int64_t used, int64_t budget, double best) {
        bar.update(used, budget, std::isnan(best) ? "no feasible design yet" : fmt::format("best {:.6g}", best));
      };
    search::SearchResult result = search::runSearch(o->algo, problem, options);
    bar.finish(fmt::format("{} samples, {:.2f} s", result.samplesUsed, result.seconds));

    // The referee: the proven optimum, whenever the problem allows it.
    std::optional<double> optimum;
    std::string exactNote;
    if (result.provenOptimal && result.status == search::SearchStatus::Found) {
      optimum = result.bestEval.objective;
    } else if (search::exactSupported(problem, &exactNote)) {
      search::SearchResult exact = search::solveExact(problem);
      if (exact.status == search::SearchStatus::Found) optimum = exact.bestEval.objective;
    }
    bool found = result.status == search::SearchStatus::Found;
    std::optional<double> gapPct;
    if (found && optimum && *optimum > 0)
      gapPct = 100.0 * (result.bestEval.objective - *optimum) / *optimum;

    if (!o->out.empty()) {
      std::filesystem::create_directories(o->out);
      search::writeTraceCsv((std::filesystem::path(o->out) / "trace.csv").string(), result);
      search::writeDesignJson((std::filesystem::path(o->out) / "design.json").string(), problem, result);
    }

    auto allocations = found ? search::allocationsOf(problem, result.best) : std::vector<Allocation>{};
    if (o->json) {
      nlohmann::json j;
      j["algo"] = o->algo;
      j["objective"] = search::objectiveName(spec.objective);
      j["status"] = search::statusName(result.status);
      nlohmann::json alloc = nlohmann::json::array();
      for (size_t i = 0; i < allocations.size(); ++i)
        alloc.push_back({{"layer", w.layers[i].name}, {"pes", allocations[i].pes},
                         {"buffer_bytes", allocations[i].bufferBytes}});
      j["best"] = {{"value", found ? nlohmann::json(result.bestEval.objective) : nlohmann::json()},
                   {"feasible", found && result.bestEval.feasible},
                   {"allocation", alloc}};
      j["samples"] = result.samplesUsed;
      j["seconds"] = result.seconds;
      j["table_seconds"] = tableSeconds;
      j["optimum"] = {{"value", optimum ? nlohmann::json(*optimum) : nlohmann::json()}};
      j["gap_pct"] = gapPct ? nlohmann::json(*gapPct) : nlohmann::json();
      fmt::print("{}\n", j.dump(1));
    } else {
      fmt::print("{}\n", problem.describe());
      fmt::print("{}: {} after {} samples in {:.2f} s (cost table {:.2f} s)\n", o->algo,
                 search::statusName(result.status), result.samplesUsed, result.seconds, tableSeconds);
      if (!result.message.empty()) fmt::print("  {}\n", result.message);
      for (const auto& st : result.stages)
        fmt::print("  stage {:<10} {:>8} samples  best {}\n", st.name, st.samples,
                   st.found ? fmt::format("{:.6g}", st.bestObjective) : std::string("none"));
      if (found) {
        fmt::print("best {}: {:.6g} {} (budget use {:.1f}%)\n", search::objectiveName(spec.objective),
                   result.bestEval.objective, search::objectiveUnit(spec.objective),
                   100 * result.bestEval.budgetUse);
        if (optimum) fmt::print("proven optimum: {:.6g}  gap {:.3f}%\n", *optimum, gapPct.value_or(0));
        else if (!exactNote.empty()) fmt::print("proven optimum: not computable ({})\n", exactNote);
      }
      if (!o->out.empty()) fmt::print("wrote {}/trace.csv and {}/design.json\n", o->out, o->out);
    }
    if (result.status == search::SearchStatus::Impossible)
      throw search::SearchError(fmt::format("impossible budget: {}", result.message));
    return found ? 0 : 3;
  };
}

}  // namespace analects::cli
