/* nvdla_k4_c4_b4096: configuration of the generated accelerator (analects rtlgen). */
/* Programming interface: analects/rtlgen/nvdla_regs.h. Do not edit. */
#ifndef NVDLA_K4_C4_B4096_CONFIG_H
#define NVDLA_K4_C4_B4096_CONFIG_H

#define ANALECTS_TOP                     "nvdla_k4_c4_b4096"
#define ANALECTS_ATOM_K                  4
#define ANALECTS_ATOM_C                  4
#define ANALECTS_BUFFER_BYTES            4096
#define ANALECTS_OUTPUT_BYTES            1
#define ANALECTS_ACC_DEPTH_PIXELS        512
#define ANALECTS_PIPELINE_DEPTH          4
#define ANALECTS_DRAM_BYTES_PER_CYCLE    8
#define ANALECTS_DRAM_LATENCY_CYCLES     20
#define ANALECTS_INPUT_CBUF_ATOMS        1024
#define ANALECTS_WEIGHT_CBUF_BLOCKS      256
#define ANALECTS_DESC_RING_ENTRIES       8
#define ANALECTS_DESC_WORDS              17
#define ANALECTS_DESC_MAX_REQUESTS       4
#define ANALECTS_CFG_LAYER_BASE          0
#define ANALECTS_CFG_DESC_WORD_BASE      256
#define ANALECTS_CFG_DESC_PUSH           511
#define ANALECTS_CFG_START               512

#endif /* NVDLA_K4_C4_B4096_CONFIG_H */
