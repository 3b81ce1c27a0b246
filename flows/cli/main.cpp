// analects: the command-line front end. Subcommands live one per file in flows/cli/.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <vector>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Analects: hardware-generator co-design for DNN accelerators"};
  app.require_subcommand(1);
  app.footer("Example:\n  analects zoo show resnet50\nRun 'analects <command> --help' for more.");
  std::vector<std::pair<CLI::App*, analects::cli::Action>> actions;
  auto add = [&](analects::cli::Action action) {
    actions.emplace_back(app.get_subcommands({}).back(), std::move(action));
  };
  add(analects::cli::addZooCommand(app));
  add(analects::cli::addEvalCommand(app));
  add(analects::cli::addSearchCommand(app));
  add(analects::cli::addGenCommand(app));
  add(analects::cli::addSimCommand(app));
  add(analects::cli::addFpgaCommand(app));
  add(analects::cli::addFlowCommand(app));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    for (auto& [sub, action] : actions)
      if (sub->parsed()) return action();
  } catch (const std::exception& e) {
    fmt::print(stderr, "analects: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
