# Embeds the Verilog leaf modules of templates/ into the rtlgen library, so generated designs
# do not depend on where the sources are installed.
# Usage: cmake -DTEMPLATE_DIR=<dir> -DOUT=<file.cpp> -P embed_templates.cmake
file(GLOB sources ${TEMPLATE_DIR}/*.v)
list(SORT sources)
set(text "// Generated from templates/*.v by rtlgen/embed_templates.cmake -- do not edit.\n")
string(APPEND text "#include \"templates.h\"\n\nnamespace analects::rtlgen {\n\n")
string(APPEND text "const std::vector<Template>& templates() {\n  static const std::vector<Template> all = {\n")
foreach(source ${sources})
  get_filename_component(name ${source} NAME_WE)
  file(READ ${source} body)
  string(APPEND text "      {\"${name}\", R\"ANALECTS_V(${body})ANALECTS_V\"},\n")
endforeach()
string(APPEND text "  };\n  return all;\n}\n\n}  // namespace analects::rtlgen\n")
file(WRITE ${OUT}.tmp "${text}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
