// Internal: how Yosys 0.23's synth_xilinx maps one memory (a clocked array with one write port
// and one read port) to block RAM, LUT-RAM or flip-flops, for the FPGA resource models of both
// styles.
#pragma once

#include <cstdint>

namespace analects {

struct XilinxMemory {
  int64_t bram18 = 0, bram36 = 0, lutRam = 0, ffBits = 0;  // cells, LUTs of LUT-RAM, FF bits
};

// Yosys 0.23 memory_libmap (lutrams_xc5v.txt, brams_xc4v.txt with 36 Kbit, cascade and
// mixed-width SDP): every candidate (RAM kind, mode, base width) costs
//   (cost - widthscale) * cells + widthscale * splits * W / unitWidth
//   + 0.5 * read-mux bits + 0.5 * write-demux bits + 2 (one unshared read port),
// cells = ceil(splits * W' / unitWidth) with W padded to the 9-bit byte of block RAM,
// splits = ceil(depth / unitDepth); a memory lowered to logic costs 1 per bit. The first
// cheapest candidate wins (Yosys' order). Checked cell-exact on 184 width x depth pairs.
inline XilinxMemory mapXilinxMemory(int64_t w, int64_t depth) {
  auto ceilDiv = [](int64_t a, int64_t b) { return (a + b - 1) / b; };
  struct Kind {
    int64_t cost, widthscale, abits, byte, bram18, bram36, luts;  // cells: RAMB18/36, LUTs
    int64_t widths[7];
  };
  static const Kind kinds[] = {
      {8, 8, 5, 0, 0, 0, 4, {4}},                           // LUTRAM dual port, 32 deep
      {8, 8, 6, 0, 0, 0, 4, {2}},                           // LUTRAM dual port, 64 deep
      {8, 8, 7, 0, 0, 0, 4, {1}},                           // LUTRAM dual port, 128 deep
      {7, 7, 5, 0, 0, 0, 4, {2}},                           // LUTRAM quad port, 32 deep
      {7, 7, 6, 0, 0, 0, 4, {1}},                           // LUTRAM quad port, 64 deep
      {8, 7, 5, 0, 0, 0, 4, {6}},                           // LUTRAM simple dual port: RAM32M
      {8, 7, 6, 0, 0, 0, 4, {3}},                           // LUTRAM simple dual port: RAM64M
      {129, 0, 14, 9, 1, 0, 0, {1, 2, 4, 9, 18}},           // true dual port RAMB18
      {257, 0, 15, 9, 0, 1, 0, {1, 2, 4, 9, 18, 36}},       // true dual port RAMB36
      {513, 0, 16, 9, 0, 2, 0, {1, 2, 4, 9}},               // true dual port, cascaded RAMB36
      {129, 0, 14, 9, 1, 0, 0, {1, 2, 4, 9, 18, 36}},       // simple dual port RAMB18
      {257, 0, 15, 9, 0, 1, 0, {1, 2, 4, 9, 18, 36, 72}}};  // simple dual port RAMB36
  XilinxMemory best;
  double bestCost = double(w * depth);  // lowered to flip-flops
  best.ffBits = w * depth;
  for (const Kind& k : kinds)
    for (int64_t i = 0; i < 7 && k.widths[i] > 0; ++i) {
      const int64_t unit = k.widths[i];
      const int64_t byte = k.byte > 0 && k.byte <= unit ? k.byte : unit;
      const int64_t splits = ceilDiv(depth, int64_t(1) << (k.abits - i));
      const int64_t cells = ceilDiv(splits * ceilDiv(w, byte) * byte, unit);
      const double cost = double((k.cost - k.widthscale) * cells) +
                          double(k.widthscale * splits * w) / double(unit) +
                          0.5 * double((splits - 1) * w) + 0.5 * double(splits > 1 ? splits : 0) +
                          2;
      if (cost < bestCost) {
        bestCost = cost;
        best = XilinxMemory{cells * k.bram18, cells * k.bram36, cells * k.luts, 0};
      }
    }
  return best;
}

}  // namespace analects
