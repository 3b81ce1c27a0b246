// Internal: closed-form cycles and traffic of an NvdlaSchedule (costmodel/README.md, "NVDLA").
#pragma once

#include <cstdint>

#include "analects/costmodel/nvdla_schedule.h"

namespace analects {

struct NvdlaTiming {
  int64_t cycles = 0;
  int64_t computeCycles = 0;
  int64_t dramReadBytes = 0;
  int64_t dramWriteBytes = 0;
};

NvdlaTiming nvdlaTiming(const NvdlaSchedule& s);
// Its cycles alone (the lockstep sum; replayNvdlaCycles() in closed form).
int64_t nvdlaCycles(const NvdlaSchedule& s);
// True when every step computes at least as long as any step's load or store, so no DMA ever
// stalls and the cycles are load_0 + sum compute + store_last + L: O(1), a sufficient test
// from bounds on the largest load and store and the smallest compute.
bool nvdlaComputeBound(const NvdlaSchedule& s);
// Traffic and compute only (cycles left 0): O(1), for ranking tilings before timing them.
NvdlaTiming nvdlaTraffic(const NvdlaSchedule& s);
// The same from the input rows summed over all bands and the input columns summed over all
// column tiles (nvdlaInputRowsTotal / nvdlaInputColsTotal, which depend on the layer view's
// geometry and the band height / column tile only): the mapper keeps them per candidate.
NvdlaTiming nvdlaTraffic(const NvdlaSchedule& s, int64_t inRowsTotal, int64_t inColsTotal);
// nvdlaTraffic() of every tiling with s's order, residency and channel tiling (one family of
// the mapper), as terms of the tiling's input rows and columns summed over its bands and column
// tiles and its (band, column tile) count: the mapper computes them once per family.
struct NvdlaTrafficTerms {
  int64_t computeCycles = 0, writeBytes = 0;  // do not depend on the tiling
  int64_t inputBytesPerRowCol = 0;            // per input row x column fetched
  int64_t weightBytesPerLoad = 0;             // every kernel group's weights, as often as loaded
  bool weightsPerTile = false;                // ... and again per (band, column tile)
  NvdlaTiming of(int64_t inRowsTotal, int64_t inColsTotal, int64_t tiles) const {
    NvdlaTiming t;
    t.computeCycles = computeCycles;
    t.dramReadBytes = inputBytesPerRowCol * inRowsTotal * inColsTotal +
                      weightBytesPerLoad * (weightsPerTile ? tiles : 1);
    t.dramWriteBytes = writeBytes;
    return t;
  }
};
NvdlaTrafficTerms nvdlaTrafficTerms(const NvdlaSchedule& s);
int64_t nvdlaInputRowsTotal(const NvdlaSchedule& s);
int64_t nvdlaInputColsTotal(const NvdlaSchedule& s);
// A lower bound on nvdlaTiming(s).cycles for every tiling of s's layer view on s's array
// (any bands, column and channel tiles, order and residency): O(1), for ruling out array
// shapes that cannot be the fastest before planning them.
int64_t nvdlaCyclesLowerBound(const NvdlaSchedule& s);
// The least input rows summed over the bands of any band tiling (those of one whole-image
// band: the bands' spans cover its span, or its tap rows), and the least input columns summed
// over the column tiles of any column tiling (every column some tap reads; W for whole rows).
int64_t nvdlaMinInputRows(const NvdlaSchedule& s);
int64_t nvdlaMinInputCols(const NvdlaSchedule& s);
// A lower bound on nvdlaTraffic(s).dramReadBytes over every tiling with s's order, residency
// and channel tiling (one family of the mapper) whose input rows and columns sum to at least
// minRows and minCols: lets the mapper skip a family that cannot move as little as a tiling it
// already has.
int64_t nvdlaReadBytesLowerBound(const NvdlaSchedule& s, int64_t minRows, int64_t minCols);
// A lower bound on nvdlaTiming(s).cycles for s's own tiling, given its traffic
// (nvdlaTraffic(s)): O(1), tight when compute hides the DMA (the exact compute, first load and
// last store). Lets the batched configFor skip timing a tiling that cannot beat a known design.
int64_t nvdlaTilingCyclesLowerBound(const NvdlaSchedule& s, const NvdlaTiming& traffic);

}  // namespace analects
