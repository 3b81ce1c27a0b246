// Helpers shared by the generated tops: sizes (log2, ceil) and Verilog text (@KEY@ substitution,
// sinks for bus bits no consumer reads, so `verilator -Wall` stays quiet without waivers).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace analects::rtlgen::text {

// The ports every generated top has (both styles), so one SystemC testbench drives them all.
inline std::string topPorts(int64_t dramBytes) {
  return fmt::format(R"(  input  wire        clk,
  input  wire        rst_n,
  // Configuration port: layer registers, step descriptors, start.
  input  wire        cfg_we,
  input  wire [15:0] cfg_addr,
  input  wire [63:0] cfg_wdata,
  // Status.
  output wire        busy,
  output wire        done,
  output wire [63:0] cycle_count,
  output wire [31:0] desc_pops,
  output wire [31:0] stall_cycles,
  // DRAM read port: 4-D requests (n3 x n2 x n1 chunks), then a byte stream of {} bytes per beat.
  output wire        rd_req_valid,
  input  wire        rd_req_ready,
  output wire [31:0] rd_req_addr,
  output wire [31:0] rd_req_bytes,
  output wire [15:0] rd_req_n1,
  output wire [15:0] rd_req_n2,
  output wire [15:0] rd_req_n3,
  output wire [31:0] rd_req_s1,
  output wire [31:0] rd_req_s2,
  output wire [31:0] rd_req_s3,
  output wire        rd_req_last,
  input  wire        rd_valid,
  input  wire [63:0] rd_data,
  output wire        rd_ready,
  // DRAM write port: addressed beats, acknowledged after the last beat of each store.
  output wire        wr_valid,
  input  wire        wr_ready,
  output wire [31:0] wr_addr,
  output wire [63:0] wr_data,
  output wire [3:0]  wr_bytes,
  output wire        wr_last,
  input  wire        wr_ack)", dramBytes);
}

inline int64_t ceilDiv(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}
inline int64_t pow2Ceil(int64_t v) {
  int64_t p = 1;
  while (p < v) p *= 2;
  return p;
}
inline int log2Ceil(int64_t v) {
  int n = 0;
  while ((int64_t(1) << n) < v) ++n;
  return n;
}
// Address bits of `rows` entries; at least 2 so every derived width stays positive.
inline int rowBits(int64_t rows) {
  return std::max(2, log2Ceil(rows));
}
// Tiny memories get a few spare rows so the address width is exactly the one they need.
inline int64_t spareRows(int64_t rows, int bits) {
  return std::max<int64_t>(rows, (int64_t(1) << (bits - 1)) + 1);
}

// Replaces every @KEY@ of text; a key left over is a generator bug.
inline std::string substitute(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    const std::string tag = "@" + key + "@";
    for (size_t at = text.find(tag); at != std::string::npos;
         at = text.find(tag, at + value.size()))
      text.replace(at, tag.size(), value);
  }
  for (size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 1))
    if (at + 1 < text.size() && std::isupper(static_cast<unsigned char>(text[at + 1])))
      throw std::logic_error("rtlgen: unreplaced placeholder near: " + text.substr(at, 40));
  return text;
}

// Which bits of each bus the generated text reads: slice() returns the Verilog slice and marks
// it, unread() lists every bit never marked, as slices to sink into one unused wire.
class BitUse {
 public:
  void declare(const std::string& bus, int width) { used_[bus].assign(size_t(width), false); }
  std::string slice(const std::string& bus, int lo, int width) {
    mark(bus, lo, width);
    return width == 1 ? fmt::format("{}[{}]", bus, lo)
                      : fmt::format("{}[{} +: {}]", bus, lo, width);
  }
  void mark(const std::string& bus, int lo, int width) {
    auto& bits = used_.at(bus);
    for (int b = lo; b < lo + width; ++b) bits.at(size_t(b)) = true;
  }
  std::vector<std::string> unread() const {
    std::vector<std::string> out;
    for (const auto& [bus, bits] : used_) {
      for (size_t b = 0; b < bits.size();) {
        if (bits[b]) {
          ++b;
          continue;
        }
        size_t e = b;
        while (e < bits.size() && !bits[e]) ++e;
        out.push_back(e - b == 1 ? fmt::format("{}[{}]", bus, b)
                                 : fmt::format("{}[{}:{}]", bus, e - 1, b));
        b = e;
      }
    }
    return out;
  }

 private:
  std::map<std::string, std::vector<bool>> used_;
};

}  // namespace analects::rtlgen::text
