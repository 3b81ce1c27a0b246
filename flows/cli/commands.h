// The `analects` subcommands. Each file adds one subcommand to the app and returns the action
// that runs it once CLI11 has parsed the arguments.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace analects::cli {

using Action = std::function<int()>;

Action addZooCommand(CLI::App& app);
Action addEvalCommand(CLI::App& app);
Action addSearchCommand(CLI::App& app);
Action addFlowCommand(CLI::App& app);
Action addGenCommand(CLI::App& app);
Action addSimCommand(CLI::App& app);
Action addFpgaCommand(CLI::App& app);

}  // namespace analects::cli
