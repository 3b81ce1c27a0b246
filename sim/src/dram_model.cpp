#include "dram_model.h"

#include <fmt/format.h>

namespace analects::sim {

DramModel::DramModel(const sc_core::sc_module_name& name, analects_dut::Signals& s,
                     int64_t bytesPerCycle, int64_t latency)
    : sc_core::sc_module(name), s_(s), B_(bytesPerCycle), L_(latency) {
  SC_HAS_PROCESS(DramModel);
  SC_METHOD(onClock);
  sensitive << clk.pos();
  dont_initialize();
}

void DramModel::clear() {
  active_ = complete_ = false;
  reqs_.clear();
  acks_.clear();
  error_.clear();
}

void DramModel::fail(const std::string& why) {
  if (!error_.empty()) return;
  error_ = fmt::format("DRAM model, cycle {}: {}", edge_ - 1, why);
  errorEvent_.notify(sc_core::SC_ZERO_TIME);
}

uint8_t DramModel::nextByte() {
  const Request& r = reqs_[cursorReq_];
  const uint64_t addr = r.addr + cursor3_ * r.s3 + cursor2_ * r.s2 + cursor1_ * r.s1 + cursorByte_;
  uint8_t v = 0;
  if (addr < mem_.size()) {
    v = mem_[addr];
  } else {
    fail(fmt::format("read of address {:#x} beyond the {} bytes of memory", addr, mem_.size()));
  }
  if (++cursorByte_ == r.bytes) {
    cursorByte_ = 0;
    if (++cursor1_ == r.n1) {
      cursor1_ = 0;
      if (++cursor2_ == r.n2) {
        cursor2_ = 0;
        if (++cursor3_ == r.n3) cursor3_ = 0, ++cursorReq_;
      }
    }
  }
  return v;
}

void DramModel::onClock() {
  const int64_t e = edge_++;
  // Requests presented in cycle e - 1.
  if (s_.rd_req_valid.read()) {
    if (!active_) {
      active_ = true;
      complete_ = false;
      start_ = e - 1;
      known_ = delivered_ = 0;
      reqs_.clear();
      cursorReq_ = 0, cursorByte_ = cursor1_ = cursor2_ = cursor3_ = 0;
    } else if (complete_) {
      fail("a read request arrived before the previous stream was delivered");
    }
    Request r{s_.rd_req_addr.read(), s_.rd_req_bytes.read(), s_.rd_req_n1.read(),
              s_.rd_req_n2.read(),   s_.rd_req_n3.read(),    s_.rd_req_s1.read(),
              s_.rd_req_s2.read(),   s_.rd_req_s3.read()};
    if (r.bytes == 0 || r.n1 == 0 || r.n2 == 0 || r.n3 == 0) fail("empty read request");
    reqs_.push_back(r);
    known_ += int64_t(r.bytes * r.n1 * r.n2 * r.n3);
    if (s_.rd_req_last.read()) complete_ = true;
  }
  // Beat j of the stream is presented in cycle start + L + j.
  bool beat = false;
  if (active_ && e >= start_ + L_) {
    const int64_t j = e - start_ - L_;
    if (delivered_ != j * B_) fail("read stream out of step");
    int64_t n = B_;
    if (known_ - delivered_ < B_) {
      if (!complete_)
        fail(
            fmt::format("beat {} of the load started in cycle {} needs bytes of a request not yet "
                        "issued (latency {} is too short for this request list)",
                        j, start_, L_));
      n = known_ - delivered_;
    }
    if (n > 0 && error_.empty()) {
      uint64_t data = 0;
      for (int64_t i = 0; i < n; ++i) data |= uint64_t(nextByte()) << (8 * i);
      s_.rd_data.write(data);
      delivered_ += n;
      bytesRead_ += n;
      beat = true;
    }
    if (complete_ && delivered_ == known_) active_ = false;
  }
  s_.rd_valid.write(beat);

  // Writes presented in cycle e - 1 (the port is always ready).
  if (s_.wr_valid.read()) {
    const uint64_t addr = s_.wr_addr.read(), data = s_.wr_data.read();
    const int64_t n = s_.wr_bytes.read();
    if (n < 1 || n > B_) fail(fmt::format("write beat of {} bytes on a {}-byte port", n, B_));
    if (addr + uint64_t(n) > mem_.size())
      fail(fmt::format("write of address {:#x} beyond the {} bytes of memory", addr, mem_.size()));
    for (int64_t i = 0; i < n && addr + uint64_t(i) < mem_.size(); ++i)
      mem_[addr + uint64_t(i)] = uint8_t(data >> (8 * i));
    bytesWritten_ += n;
    if (s_.wr_last.read()) acks_.push_back(e + L_ - 1);  // sampled by the DUT at edge e + L
  }
  bool ack = false;
  if (!acks_.empty() && acks_.front() <= e) {
    if (acks_.front() < e) fail("write acknowledge missed");
    acks_.pop_front();
    ack = true;
  }
  s_.wr_ack.write(ack);
}

}  // namespace analects::sim
