# Embeds the model shim (shim/dut_shim.cpp, shim/dut_ports.h) into analects_sim: the sim driver
# writes them next to each Verilator build, wherever the library is installed.
# Usage: cmake -DSHIM_DIR=<dir> -DOUT=<file.cpp> -P embed_shim.cmake
file(READ ${SHIM_DIR}/dut_shim.cpp shim)
file(READ ${SHIM_DIR}/dut_ports.h ports)
set(text "// Generated from sim/shim by sim/embed_shim.cmake -- do not edit.\n")
string(APPEND text "#include \"shim_sources.h\"\n\nnamespace analects::sim {\n\n")
string(APPEND text "const char* const kShimSource = R\"ANALECTS_SHIM(${shim})ANALECTS_SHIM\";\n\n")
string(APPEND text "const char* const kPortsHeader = R\"ANALECTS_SHIM(${ports})ANALECTS_SHIM\";\n\n")
string(APPEND text "}  // namespace analects::sim\n")
file(WRITE ${OUT}.tmp "${text}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
