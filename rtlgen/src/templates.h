// The Verilog leaf modules of templates/, embedded at build time (embed_templates.cmake).
#pragma once

#include <string>
#include <vector>

namespace analects::rtlgen {

struct Template {
  std::string module;  // module name = file name without .v
  std::string text;
};

const std::vector<Template>& templates();
// Throws std::logic_error for an unknown module (a generator bug, not a user error).
const Template& templateOf(const std::string& module);

}  // namespace analects::rtlgen
