/* eyeriss_r4_c4_b4096_s64_12_16: configuration of the generated accelerator (analects rtlgen). */
/* Programming interface: analects/rtlgen/eyeriss_regs.h. Do not edit. */
#ifndef EYERISS_R4_C4_B4096_S64_12_16_CONFIG_H
#define EYERISS_R4_C4_B4096_S64_12_16_CONFIG_H

#define ANALECTS_TOP                     "eyeriss_r4_c4_b4096_s64_12_16"
#define ANALECTS_EYERISS                 1
#define ANALECTS_ROWS                    4
#define ANALECTS_COLS                    4
#define ANALECTS_FILTER_SPAD             64
#define ANALECTS_IFMAP_SPAD              12
#define ANALECTS_PSUM_SPAD               16
#define ANALECTS_BUFFER_BYTES            4096
#define ANALECTS_OUTPUT_BYTES            1
#define ANALECTS_PIPELINE_DEPTH          4
#define ANALECTS_DRAM_BYTES_PER_CYCLE    8
#define ANALECTS_DRAM_LATENCY_CYCLES     20
#define ANALECTS_IFMAP_BUS_BYTES         16
#define ANALECTS_FILTER_GLB_WORDS        1024
#define ANALECTS_IFMAP_GLB_WORDS         256
#define ANALECTS_PSUM_GLB_WORDS          256
#define ANALECTS_LAYER_REGS              26
#define ANALECTS_DESC_RING_ENTRIES       8
#define ANALECTS_DESC_WORDS              21
#define ANALECTS_DESC_MAX_REQUESTS       4
#define ANALECTS_CFG_LAYER_BASE          0
#define ANALECTS_CFG_DESC_WORD_BASE      256
#define ANALECTS_CFG_DESC_PUSH           511
#define ANALECTS_CFG_START               512

#endif /* EYERISS_R4_C4_B4096_S64_12_16_CONFIG_H */
