// Self-checking Verilator bench of analects_rs_seq: for several layer / descriptor settings, the
// command the sequencer issues every cycle equals the loop nest of notes/eyeriss_rtl_spec.md
// (written here directly, with multiplications; the kernel-outer filter spad and short last
// kernel blocks of the 08:55 change), there are no bubbles, `last` is high exactly
// in the final command's cycle, and the count is passes * (p*q*S + Q*(p*q*S + p) +
// q*chain*(S + (Q-1)*m)). The second step of each case starts in the cycle of the first
// step's `last`, as analects_ctrl starts it. Built and run by test_eyeriss_rtl.cpp (EyerissRtlSeq).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "Vanalects_rs_seq.h"

namespace {

constexpr int kFAW = 12, kPAW = 12;  // -G parameters of the build

struct Case {
  uint32_t S, Q, p, q, chain, m, rfolds, sw, dw, padLeft;
  int32_t sgStep, rfStep;
  uint32_t groups, kernels, kblocks, sgroups, cgroups;
  bool accumulate, half;
  uint32_t filterBase, ifmapBase;
  int32_t yRel0, yAbs0;
  uint32_t colStride, chanStride, cgStride, gcs, kStride, gps, bps;
};

struct Cmd {
  int kind;
  uint32_t fAddr, fidx, widx, segBase, segEnd, copy, iAddr;
  int32_t col, yAbs;
  uint32_t k;
  bool first;
  uint32_t pAddr;
  bool pValid, pAcc, pHalf;
};

std::vector<Cmd> expected(const Case& c) {
  std::vector<Cmd> out;
  const uint32_t pqS = c.p * c.q * c.S, qS = c.q * c.S;
  const uint32_t skipCols = (c.S - c.m) * c.dw;
  uint32_t filterPtr = c.filterBase;
  for (uint32_t gl = 0; gl < c.groups; ++gl)
    for (uint32_t kb = 0; kb < c.kblocks; ++kb) {
      // A block's filter words: kernelsInBlock * q * S (the last block may be short).
      const uint32_t inBlock = std::min(c.p, c.kernels - std::min(c.kernels, kb * c.p));
      const uint32_t blockStart = filterPtr;
      for (uint32_t sg = 0; sg < c.sgroups; ++sg) {
        filterPtr = blockStart;
        for (uint32_t cg = 0; cg < c.cgroups; ++cg)
          for (uint32_t rf = 0; rf < c.rfolds; ++rf) {
            for (uint32_t t = 0; t < pqS; ++t) {
              Cmd m{};
              m.kind = 0;
              m.fAddr = (filterPtr + t) & ((1u << kFAW) - 1);
              m.fidx = t;
              out.push_back(m);
            }
            filterPtr += inBlock * qS;
            const int32_t yRel = c.yRel0 + int32_t(sg) * c.sgStep + int32_t(rf) * c.rfStep;
            const int32_t yAbs = c.yAbs0 + int32_t(sg) * c.sgStep + int32_t(rf) * c.rfStep;
            for (uint32_t x = 0; x < c.Q; ++x) {
              const uint32_t taps = x == 0 ? c.S : c.m;
              for (uint32_t v = 0; v < c.chain; ++v)
                for (uint32_t ch = 0; ch < c.q; ++ch)
                  for (uint32_t jt = 0; jt < taps; ++jt) {
                    Cmd m{};
                    m.kind = 1;
                    m.copy = v;
                    m.segBase = ch * c.S;
                    m.segEnd = ch * c.S + c.S - 1;
                    m.col = int32_t(x * c.sw) - int32_t(c.padLeft) +
                            (x == 0 ? 0 : int32_t(skipCols)) + int32_t(jt * c.dw);
                    m.iAddr = c.ifmapBase + gl * c.gcs + cg * c.cgStride +
                              (v * c.q + ch) * c.chanStride + uint32_t(m.col) * c.colStride +
                              uint32_t(yRel);
                    m.yAbs = yAbs;
                    out.push_back(m);
                  }
              for (uint32_t ch = 0; ch < c.q; ++ch)
                for (uint32_t s = 0; s < c.S; ++s)
                  for (uint32_t k = 0; k < c.p; ++k) {
                    Cmd m{};
                    m.kind = 2;
                    m.fidx = k * qS + ch * c.S + s;  // kernel-outer spad layout
                    m.widx = ch * c.S + s;
                    m.k = k;
                    m.first = ch == 0 && s == 0;
                    out.push_back(m);
                  }
              for (uint32_t k = 0; k < c.p; ++k) {
                Cmd m{};
                m.kind = 3;
                m.k = k;
                m.pAddr =
                    (gl * c.gps + kb * c.bps + k * c.kStride + sg * c.Q + x) & ((1u << kPAW) - 1);
                m.pValid = kb * c.p + k < c.kernels;
                m.pAcc = c.accumulate || cg > 0 || rf > 0;
                m.pHalf = c.half;
                out.push_back(m);
              }
            }
          }
      }
    }
  return out;
}

uint64_t formula(const Case& c) {
  const uint64_t passes = uint64_t(c.groups) * c.kblocks * c.sgroups * c.cgroups * c.rfolds;
  const uint64_t pqS = c.p * c.q * c.S;
  return passes * (pqS + c.Q * (pqS + c.p) + c.q * c.chain * (c.S + (c.Q - 1) * c.m));
}

void drive(Vanalects_rs_seq& d, const Case& c) {
  d.sn = c.S, d.qn = c.Q, d.pk = c.p, d.qc = c.q, d.chain = c.chain, d.mtaps = c.m;
  d.rfolds = c.rfolds, d.sw = c.sw, d.dw = c.dw, d.pad_left = c.padLeft;
  d.skip_cols = (c.S - c.m) * c.dw;
  d.sg_row_step = uint32_t(c.sgStep), d.rf_row_step = uint32_t(c.rfStep);
  d.filter_base = c.filterBase, d.ifmap_base = c.ifmapBase;
  d.y_rel0 = uint32_t(c.yRel0), d.y_abs0 = uint32_t(c.yAbs0);
  d.groups = c.groups, d.kernels = c.kernels, d.kblocks = c.kblocks;
  d.sgroups = c.sgroups, d.cgroups = c.cgroups, d.accumulate = c.accumulate, d.half = c.half;
  d.chan_stride = c.chanStride, d.cg_stride = c.cgStride, d.group_chan_stride = c.gcs;
  d.col_stride = c.colStride, d.sw_stride = c.sw * c.colStride, d.dw_stride = c.dw * c.colStride;
  d.skip_stride = (c.S - c.m) * c.dw * c.colStride;
  d.k_stride = c.kStride, d.group_psum_stride = c.gps, d.block_psum_stride = c.bps;
}

int check(const Cmd& e, Vanalects_rs_seq& d, size_t i) {
  auto bad = [&](const char* what, long long want, long long got) {
    std::printf("command %zu (kind %d): %s = %lld, expected %lld\n", i, e.kind, what, got, want);
    return 1;
  };
  if (!d.issue) return bad("issue", 1, 0);
  if (d.kind != e.kind) return bad("kind", e.kind, d.kind);
  switch (e.kind) {
    case 0:
      if (d.f_addr != e.fAddr) return bad("f_addr", e.fAddr, d.f_addr);
      if (d.fidx != e.fidx) return bad("fidx", e.fidx, d.fidx);
      break;
    case 1:
      if (d.copy != e.copy) return bad("copy", e.copy, d.copy);
      if (d.seg_base != e.segBase) return bad("seg_base", e.segBase, d.seg_base);
      if (d.seg_end != e.segEnd) return bad("seg_end", e.segEnd, d.seg_end);
      if (d.i_addr != e.iAddr) return bad("i_addr", e.iAddr, d.i_addr);
      if (int32_t(d.col) != e.col) return bad("col", e.col, int32_t(d.col));
      if (int32_t(d.y_abs) != e.yAbs) return bad("y_abs", e.yAbs, int32_t(d.y_abs));
      break;
    case 2:
      if (d.fidx != e.fidx) return bad("fidx", e.fidx, d.fidx);
      if (d.widx != e.widx) return bad("widx", e.widx, d.widx);
      if (d.k != e.k) return bad("k", e.k, d.k);
      if (bool(d.first) != e.first) return bad("first", e.first, d.first);
      break;
    default:
      if (d.k != e.k) return bad("k", e.k, d.k);
      if (d.p_addr != e.pAddr) return bad("p_addr", e.pAddr, d.p_addr);
      if (bool(d.p_valid) != e.pValid) return bad("p_valid", e.pValid, d.p_valid);
      if (bool(d.p_acc) != e.pAcc) return bad("p_acc", e.pAcc, d.p_acc);
      if (bool(d.p_half) != e.pHalf) return bad("p_half", e.pHalf, d.p_half);
  }
  return 0;
}

}  // namespace

int main() {
  const std::vector<Case> cases = {
      // S Q p q chain m rf sw dw pad sgStep rfStep | groups kernels kb sg cg acc half |
      // fBase iBase yRel0 yAbs0 | colStride chan cg gcs kStride gps bps
      {3, 4, 2,     2,     1, 1, 1,  1,  1, 1,  4,  3,  1, 4, 2,
       1, 1, false, false, 0, 0, -1, -1, 6, 24, 48, 48, 4, 8, 8},
      {1, 1, 1,    1,    1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1,
       1, 1, true, true, 5, 7, 0, 3, 1, 1, 1, 1, 1, 1, 1},
      {5, 3, 3,     2,    2,   2,    2,  2, 1, 2,  6,   2,   2, 5,  2,
       2, 2, false, true, 100, 1000, -2, 4, 8, 40, 160, 320, 6, 30, 18},
      {3, 5, 1,    1,     3,    3,           1, 3, 2, 0,  2,  1, 1,  1,  1,
       3, 2, true, false, 4090, 0xfffffff0u, 0, 0, 2, 20, 60, 0, 15, 15, 15},
  };
  Vanalects_rs_seq d;
  int errors = 0;
  d.clk = 0;
  d.rst_n = 0;
  d.start = 0;
  auto tick = [&] {
    d.clk = 0;
    d.eval();
    d.clk = 1;
    d.eval();
  };
  tick();
  d.rst_n = 1;
  for (size_t ci = 0; ci < cases.size(); ++ci) {
    const Case& c = cases[ci];
    const std::vector<Cmd> want = expected(c);
    if (want.size() != formula(c)) {
      std::printf("case %zu: the reference nest has %zu commands, the formula %llu\n", ci,
                  want.size(), (unsigned long long)formula(c));
      return 1;
    }
    drive(d, c);
    d.start = 1;
    tick();  // start sampled
    d.start = 0;
    for (int step = 0; step < 2 && !errors; ++step) {
      for (size_t i = 0; i < want.size(); ++i) {
        d.eval();
        if (check(want[i], d, i)) {
          std::printf("case %zu, step %d\n", ci, step);
          return 1;
        }
        const bool final = i + 1 == want.size();
        if (bool(d.last) != final) {
          std::printf("case %zu, step %d: last = %d in command %zu of %zu\n", ci, step, d.last, i,
                      want.size());
          return 1;
        }
        if (final && step == 0) d.start = 1;  // the controller's next cp_start
        tick();
        d.start = 0;
      }
    }
    d.eval();
    if (d.busy) {
      std::printf("case %zu: still busy after the last command\n", ci);
      return 1;
    }
    std::printf("case %zu: %zu commands per step, as the formula\n", ci, want.size());
  }
  std::printf("OK\n");
  return 0;
}
