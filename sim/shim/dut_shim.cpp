// Compiled into every Verilated model library: binds the model (class Vdut, from
// `verilator --prefix Vdut`) to the testbench's signals and opens FST traces.
#include "Vdut.h"
#include "dut_ports.h"
#if VM_TRACE_FST
#include "verilated_fst_sc.h"
#endif

extern "C" {

int analects_dut_abi() {
  return analects_dut::kAbi;
}

sc_core::sc_module* analects_dut_create(const char* name, sc_core::sc_clock* clk,
                                        analects_dut::Signals* s) {
#if VM_TRACE_FST
  Verilated::traceEverOn(true);
#endif
  auto* d = new Vdut(name);
  d->clk(*clk);
  d->rst_n(s->rst_n);
  d->cfg_we(s->cfg_we);
  d->cfg_addr(s->cfg_addr);
  d->cfg_wdata(s->cfg_wdata);
  d->busy(s->busy);
  d->done(s->done);
  d->cycle_count(s->cycle_count);
  d->desc_pops(s->desc_pops);
  d->stall_cycles(s->stall_cycles);
  d->rd_req_valid(s->rd_req_valid);
  d->rd_req_ready(s->rd_req_ready);
  d->rd_req_addr(s->rd_req_addr);
  d->rd_req_bytes(s->rd_req_bytes);
  d->rd_req_n1(s->rd_req_n1);
  d->rd_req_n2(s->rd_req_n2);
  d->rd_req_n3(s->rd_req_n3);
  d->rd_req_s1(s->rd_req_s1);
  d->rd_req_s2(s->rd_req_s2);
  d->rd_req_s3(s->rd_req_s3);
  d->rd_req_last(s->rd_req_last);
  d->rd_valid(s->rd_valid);
  d->rd_data(s->rd_data);
  d->rd_ready(s->rd_ready);
  d->wr_valid(s->wr_valid);
  d->wr_ready(s->wr_ready);
  d->wr_addr(s->wr_addr);
  d->wr_data(s->wr_data);
  d->wr_bytes(s->wr_bytes);
  d->wr_last(s->wr_last);
  d->wr_ack(s->wr_ack);
  return d;
}

void* analects_dut_trace_open(sc_core::sc_module* dut, const char* path) {
#if VM_TRACE_FST
  auto* trace = new VerilatedFstSc;
  static_cast<Vdut*>(dut)->trace(trace, 99);
  trace->open(path);
  return trace;
#else
  (void)dut;
  (void)path;
  return nullptr;
#endif
}

void analects_dut_trace_close(void* trace) {
#if VM_TRACE_FST
  if (trace) static_cast<VerilatedFstSc*>(trace)->close();
#else
  (void)trace;
#endif
}

}  // extern "C"
