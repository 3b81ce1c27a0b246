// DRAM model of the cost model's port (costmodel/README.md, "Shared timing rules"): a read
// request stream presented from cycle t returns its bytes packed B per beat, beat j in cycle
// t + L + j, so a load of n bytes takes L + ceil(n / B) cycles; writes are accepted every
// cycle and each store is acknowledged L cycles after its last beat. Backing store: a flat
// byte array.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <systemc>
#include <vector>

#include "dut_ports.h"

namespace analects::sim {

class DramModel : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk{"clk"};

  DramModel(const sc_core::sc_module_name& name, analects_dut::Signals& s, int64_t bytesPerCycle,
            int64_t latency);

  std::vector<uint8_t>& memory() { return mem_; }
  void clear();  // forget streams in flight (the DUT is being reset)
  const std::string& error() const { return error_; }
  const sc_core::sc_event& errorEvent() const { return errorEvent_; }
  int64_t bytesRead() const { return bytesRead_; }
  int64_t bytesWritten() const { return bytesWritten_; }

 private:
  struct Request {  // n3 x n2 x n1 chunks of `bytes`, i1 fastest
    uint64_t addr, bytes, n1, n2, n3, s1, s2, s3;
  };
  void onClock();
  void fail(const std::string& why);
  uint8_t nextByte();

  analects_dut::Signals& s_;
  const int64_t B_, L_;
  std::vector<uint8_t> mem_;
  std::string error_;
  sc_core::sc_event errorEvent_;
  int64_t edge_ = 0;  // posedges seen; edge e ends cycle e - 1

  // Read stream in flight.
  bool active_ = false, complete_ = false;
  int64_t start_ = 0;  // cycle its first request was presented
  int64_t known_ = 0, delivered_ = 0;
  std::vector<Request> reqs_;
  size_t cursorReq_ = 0;
  uint64_t cursorByte_ = 0, cursor1_ = 0, cursor2_ = 0, cursor3_ = 0;

  std::deque<int64_t> acks_;  // edges at which a write acknowledge is presented
  int64_t bytesRead_ = 0, bytesWritten_ = 0;
};

}  // namespace analects::sim
