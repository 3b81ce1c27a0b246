// The signals between the SystemC testbench and a Verilated NVDLA-style top. This header is
// compiled twice: into the analects_sim library and, copied next to it, into every Verilated
// model (shim/dut_shim.cpp), so both sides agree on the layout. Port widths follow Verilator's
// SystemC mapping: 1 bit -> bool, 2..32 bits -> uint32_t, 33..64 bits -> uint64_t.
#pragma once

#include <cstdint>
#include <systemc>

namespace analects_dut {

// Bump when the struct or the C entry points change: models built for another ABI are rebuilt.
constexpr int kAbi = 2;

struct Signals {
  sc_core::sc_signal<bool> rst_n{"rst_n"};
  sc_core::sc_signal<bool> cfg_we{"cfg_we"};
  sc_core::sc_signal<uint32_t> cfg_addr{"cfg_addr"};
  sc_core::sc_signal<uint64_t> cfg_wdata{"cfg_wdata"};
  sc_core::sc_signal<bool> busy{"busy"};
  sc_core::sc_signal<bool> done{"done"};
  sc_core::sc_signal<uint64_t> cycle_count{"cycle_count"};
  sc_core::sc_signal<uint32_t> desc_pops{"desc_pops"};
  sc_core::sc_signal<uint32_t> stall_cycles{"stall_cycles"};
  sc_core::sc_signal<bool> rd_req_valid{"rd_req_valid"};
  sc_core::sc_signal<bool> rd_req_ready{"rd_req_ready"};
  sc_core::sc_signal<uint32_t> rd_req_addr{"rd_req_addr"};
  sc_core::sc_signal<uint32_t> rd_req_bytes{"rd_req_bytes"};
  sc_core::sc_signal<uint32_t> rd_req_n1{"rd_req_n1"};
  sc_core::sc_signal<uint32_t> rd_req_n2{"rd_req_n2"};
  sc_core::sc_signal<uint32_t> rd_req_n3{"rd_req_n3"};
  sc_core::sc_signal<uint32_t> rd_req_s1{"rd_req_s1"};
  sc_core::sc_signal<uint32_t> rd_req_s2{"rd_req_s2"};
  sc_core::sc_signal<uint32_t> rd_req_s3{"rd_req_s3"};
  sc_core::sc_signal<bool> rd_req_last{"rd_req_last"};
  sc_core::sc_signal<bool> rd_valid{"rd_valid"};
  sc_core::sc_signal<uint64_t> rd_data{"rd_data"};
  sc_core::sc_signal<bool> rd_ready{"rd_ready"};
  sc_core::sc_signal<bool> wr_valid{"wr_valid"};
  sc_core::sc_signal<bool> wr_ready{"wr_ready"};
  sc_core::sc_signal<uint32_t> wr_addr{"wr_addr"};
  sc_core::sc_signal<uint64_t> wr_data{"wr_data"};
  sc_core::sc_signal<uint32_t> wr_bytes{"wr_bytes"};
  sc_core::sc_signal<bool> wr_last{"wr_last"};
  sc_core::sc_signal<bool> wr_ack{"wr_ack"};
};

// C entry points of a model library (dlsym names).
using AbiFn = int (*)();
using CreateFn = sc_core::sc_module* (*)(const char* name, sc_core::sc_clock* clk, Signals* s);
using TraceOpenFn = void* (*)(sc_core::sc_module* dut, const char* path);  // null: no tracing
using TraceCloseFn = void (*)(void* trace);

}  // namespace analects_dut
