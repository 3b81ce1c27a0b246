// Pass sequencer of one row-stationary step (rtlgen/include/analects/rtlgen/eyeriss_regs.h):
// issues exactly one command a cycle, from the cycle after start until `last` (high in the
// final command's cycle), with no bubbles, so a step takes exactly
//   passes * (p*q*S + Q*(p*q*S + p) + q*chain*(S + (Q-1)*m))
// cycles, the cost model's figure. Loop nest, outer to inner:
//   gl < groups, kb < kernelBlocks, sg < stripGroups, cg < channelGroups, rf < rFolds: PASS
//     LOAD  k < p, c < q, s < S (t = k*q*S + c*S + s)
//                                           filter word filterPtr + t -> filter spad entry t;
//                                           the pass's block has kernels*q*S words (fewer
//                                           kernels in a tile's last block): filterPtr then
//                                           advances by the words that belong to the block
//     x < Q:
//       FEED  v < chain, c < q, jt < taps(x)  ifmap bytes of copy v, window segment c
//       MAC   c < q, s < S, k < p             psum[k] += filter[k*q*S+c*S+s] * window[c*S+s]
//       DRAIN k < p                           column sums of psum[k] -> GLB psum word
// Commands are Moore outputs of the loop registers; every address advances by adds only (one
// multiply, padLeft * colStride, is taken once at start, while the first filter word loads).
module analects_rs_seq #(
  parameter integer FAW = 8,   // filter-region word address bits
  parameter integer FW  = 8,   // filter spad index bits
  parameter integer IW  = 4,   // ifmap window index bits
  parameter integer KW  = 5,   // psum spad index bits
  parameter integer PAW = 10   // psum word address bits (one half)
) (
  input  wire               clk,
  input  wire               rst_n,
  input  wire               start,
  // Layer registers (stable during a layer).
  input  wire [15:0]        sn,           // filter columns S
  input  wire [15:0]        qn,           // output columns Q
  input  wire [15:0]        pk,           // kernels per PE p
  input  wire [15:0]        qc,           // channels per PE q
  input  wire [15:0]        chain,        // chained copies
  input  wire [15:0]        mtaps,        // m: taps fed per channel for x > 0
  input  wire [15:0]        rfolds,       // filter-row folds
  input  wire [15:0]        sw,           // output column stride
  input  wire [15:0]        dw,           // column dilation
  input  wire [15:0]        pad_left,
  input  wire [15:0]        skip_cols,    // (S - m) * dw
  input  wire [31:0]        sg_row_step,  // input rows between strip groups
  input  wire [31:0]        rf_row_step,  // input rows between filter-row folds
  // Step descriptor (sampled at start).
  input  wire [FAW-1:0]     filter_base,
  input  wire [31:0]        ifmap_base,
  input  wire [31:0]        y_rel0,
  input  wire [31:0]        y_abs0,
  input  wire [15:0]        groups,
  input  wire [15:0]        kernels,
  input  wire [15:0]        kblocks,
  input  wire [15:0]        sgroups,
  input  wire [15:0]        cgroups,
  input  wire               accumulate,
  input  wire               half,
  input  wire [31:0]        chan_stride,
  input  wire [31:0]        cg_stride,
  input  wire [31:0]        group_chan_stride,
  input  wire [31:0]        col_stride,
  input  wire [31:0]        sw_stride,
  input  wire [31:0]        dw_stride,
  input  wire [31:0]        skip_stride,
  input  wire [PAW-1:0]     k_stride,
  input  wire [PAW-1:0]     group_psum_stride,
  input  wire [PAW-1:0]     block_psum_stride,
  // The command of this cycle.
  output wire               issue,
  output wire [1:0]         kind,         // 0 load, 1 feed, 2 MAC, 3 drain
  output wire [FAW-1:0]     f_addr,       // load: filter word
  output wire [FW-1:0]      fidx,         // load, MAC: filter spad entry
  output wire [IW-1:0]      widx,         // MAC: window entry
  output wire [IW-1:0]      seg_base,     // feed: window segment
  output wire [IW-1:0]      seg_end,
  output wire [7:0]         copy,         // feed: chained copy v
  output wire [31:0]        i_addr,       // feed: ifmap byte address of lane 0
  output wire signed [31:0] col,          // feed: input column (column mask)
  output wire signed [31:0] y_abs,        // feed: input row of lane 0 (lane mask)
  output wire [KW-1:0]      k,            // MAC, drain: psum spad entry
  output wire               first,        // MAC: overwrite psum[k]
  output wire [PAW-1:0]     p_addr,       // drain: psum word
  output wire               p_valid,      // drain: kernel kb*p + k exists
  output wire               p_acc,        // drain: add to the word
  output wire               p_half,
  output wire               busy,
  output wire               last
);
  localparam [1:0] LOAD = 2'd0, FEED = 2'd1, MAC = 2'd2, DRAIN = 2'd3;

  reg               busy_q, acc_q, half_q;
  reg [1:0]         ph_q;
  // Descriptor, sampled at start.
  reg [31:0]        chan_stride_q, cg_stride_q, gcs_q;
  reg [31:0]        sw_stride_q, dw_stride_q, skip_stride_q;
  reg signed [31:0] y_rel0_q, y_abs0_q;
  reg [15:0]        groups_q, kernels_q, kblocks_q, sgroups_q, cgroups_q;
  reg [PAW-1:0]     k_stride_q, gps_q, bps_q;
  // Pass loops.
  reg [15:0]        gl_q, kb_q, sg_q, cg_q, rf_q, kbase_q;
  // Inner loops.
  reg [15:0]        x_q, v_q, c_q, s_q, k_q;
  reg [FW-1:0]      fidx_q, qs_q;  // filter spad entry; q*S (taken in the first LOAD sweep)
  reg [FAW-1:0]     fld_q;         // LOAD: words of this pass's block so far
  reg [IW-1:0]      widx_q, cs_q;  // MAC window entry; c*S
  // Addresses.
  reg [FAW-1:0]     fptr_q, fptr_glkb_q;
  reg [31:0]        a_gl_q, a_cg_q, ch_q;
  reg signed [31:0] yr_sg_q, yr_q, ya_sg_q, ya_q;
  reg [31:0]        col0_addr_q, cx_addr_q, tap_addr_q;
  reg signed [31:0] cx_col_q, tap_col_q;
  reg [PAW-1:0]     pw_gl_q, pw_glkb_q, pw_sg_q, pw_q;

  wire signed [31:0] sw32   = {16'd0, sw};
  wire signed [31:0] dw32   = {16'd0, dw};
  wire signed [31:0] skip32 = {16'd0, skip_cols};
  wire signed [31:0] pad32  = {16'd0, pad_left};
  wire [31:0]        pad_addr = {16'd0, pad_left} * col_stride;

  wire [15:0] taps    = (x_q == 16'd0) ? sn : mtaps;
  wire k_end  = k_q  == pk - 16'd1;
  wire s_end  = s_q  == sn - 16'd1;
  wire c_end  = c_q  == qc - 16'd1;
  wire t_end  = s_q  == taps - 16'd1;
  wire v_end  = v_q  == chain - 16'd1;
  wire x_end  = x_q  == qn - 16'd1;
  wire rf_end = rf_q == rfolds - 16'd1;
  wire cg_end = cg_q == cgroups_q - 16'd1;
  wire sg_end = sg_q == sgroups_q - 16'd1;
  wire kb_end = kb_q == kblocks_q - 16'd1;
  wire gl_end = gl_q == groups_q - 16'd1;
  wire csk_end  = c_end && s_end && k_end;     // LOAD and MAC: the (c, s, k) nest is done
  // Widths of the sums below: each operand zero-extended to one bit above the wider.
  localparam integer FSUMW = (FAW > FW) ? FAW : FW;
  wire [FSUMW:0]  f_sum     = {{(FSUMW - FAW + 1){1'b0}}, fptr_q} + {{(FSUMW - FW + 1){1'b0}}, fidx_q};
  wire [FW+IW:0]  widx_next = {{(FW + 1){1'b0}}, widx_q} + {{(FW + IW){1'b0}}, 1'b1};
  wire            unused_sums = ^f_sum[FSUMW:FAW] ^ ^widx_next[FW+IW:FW];
  // LOAD: the word of kernel k belongs to the pass's block (kernel kb*p + k exists).
  wire kw_valid = {1'b0, kbase_q} + {1'b0, k_q} < {1'b0, kernels_q};
  wire feed_end = v_end && c_end && t_end;
  wire pass_end = ph_q == DRAIN && k_end && x_end;
  assign last = busy_q && pass_end && rf_end && cg_end && sg_end && kb_end && gl_end;

  // The start of the pass's ifmap bytes (channel 0 of the chain, column 0, lane 0).
  wire [31:0] pass_addr = a_cg_q + yr_q;
  wire [IW-1:0] s_iw = sn[IW-1:0];
  wire [PAW-1:0] x_pw = x_q[PAW-1:0];

  // Feed positions of the column after x: column base, then its first tap (skip the taps the
  // window already holds).
  wire [31:0]        nx_addr     = cx_addr_q + sw_stride_q;
  wire signed [31:0] nx_col      = cx_col_q + sw32;

  always @(posedge clk) begin
    if (!rst_n) begin
      busy_q <= 1'b0;
    end else if (start) begin
      busy_q        <= 1'b1;
      ph_q          <= LOAD;
      acc_q         <= accumulate;
      half_q        <= half;
      chan_stride_q <= chan_stride;
      cg_stride_q   <= cg_stride;
      gcs_q         <= group_chan_stride;
      sw_stride_q   <= sw_stride;
      dw_stride_q   <= dw_stride;
      skip_stride_q <= skip_stride;
      y_rel0_q      <= y_rel0;
      y_abs0_q      <= y_abs0;
      groups_q      <= groups;
      kernels_q     <= kernels;
      kblocks_q     <= kblocks;
      sgroups_q     <= sgroups;
      cgroups_q     <= cgroups;
      k_stride_q    <= k_stride;
      gps_q         <= group_psum_stride;
      bps_q         <= block_psum_stride;
      gl_q <= 16'd0; kb_q <= 16'd0; sg_q <= 16'd0; cg_q <= 16'd0; rf_q <= 16'd0;
      kbase_q <= 16'd0;
      x_q <= 16'd0; v_q <= 16'd0; c_q <= 16'd0; s_q <= 16'd0; k_q <= 16'd0;
      fidx_q <= {FW{1'b0}};
      qs_q   <= {FW{1'b0}};
      fld_q  <= {FAW{1'b0}};
      widx_q <= {IW{1'b0}};
      cs_q   <= {IW{1'b0}};
      fptr_q      <= filter_base;
      fptr_glkb_q <= filter_base;
      a_gl_q  <= ifmap_base;
      a_cg_q  <= ifmap_base;
      ch_q    <= ifmap_base;
      yr_sg_q <= y_rel0;
      yr_q    <= y_rel0;
      ya_sg_q <= y_abs0;
      ya_q    <= y_abs0;
      col0_addr_q <= 32'd0 - pad_addr;
      pw_gl_q   <= {PAW{1'b0}};
      pw_glkb_q <= {PAW{1'b0}};
      pw_sg_q   <= {PAW{1'b0}};
      pw_q      <= {PAW{1'b0}};
    end else if (busy_q) begin
      case (ph_q)
        LOAD: begin  // k < p, c < q, s < S: spad entry t = k*q*S + c*S + s
          fidx_q <= fidx_q + {{(FW-1){1'b0}}, 1'b1};
          if (kw_valid) fld_q <= fld_q + {{(FAW-1){1'b0}}, 1'b1};
          if (!s_end) begin
            s_q <= s_q + 16'd1;
          end else begin
            s_q <= 16'd0;
            if (!c_end) begin
              c_q <= c_q + 16'd1;
            end else begin
              c_q <= 16'd0;
              k_q <= k_end ? 16'd0 : k_q + 16'd1;
              if (k_q == 16'd0) qs_q <= fidx_q + {{(FW-1){1'b0}}, 1'b1};
            end
          end
          if (csk_end) begin  // first column: tap 0 of column 0 is -padLeft
            fidx_q     <= {FW{1'b0}};
            widx_q     <= {IW{1'b0}};
            fptr_q     <= fptr_q + fld_q + {{(FAW-1){1'b0}}, kw_valid};
            fld_q      <= {FAW{1'b0}};
            ph_q       <= FEED;
            cs_q       <= {IW{1'b0}};
            ch_q       <= pass_addr;
            cx_addr_q  <= col0_addr_q;
            tap_addr_q <= col0_addr_q;
            cx_col_q   <= -pad32;
            tap_col_q  <= -pad32;
          end
        end
        MAC: begin  // c < q, s < S, k < p: spad entry k*q*S + c*S + s
          if (!k_end) begin
            k_q    <= k_q + 16'd1;
            fidx_q <= fidx_q + qs_q;
          end else begin
            k_q    <= 16'd0;
            fidx_q <= widx_next[FW-1:0];
            widx_q <= widx_q + {{(IW-1){1'b0}}, 1'b1};
            if (!s_end) begin
              s_q <= s_q + 16'd1;
            end else begin
              s_q <= 16'd0;
              c_q <= c_end ? 16'd0 : c_q + 16'd1;
            end
          end
          if (csk_end) begin
            fidx_q <= {FW{1'b0}};
            widx_q <= {IW{1'b0}};
            ph_q   <= DRAIN;
            pw_q   <= pw_glkb_q + pw_sg_q + x_pw;
          end
        end
        FEED: begin
          if (!t_end) begin
            s_q        <= s_q + 16'd1;
            tap_addr_q <= tap_addr_q + dw_stride_q;
            tap_col_q  <= tap_col_q + dw32;
          end else begin
            // Next (v, c): the channel index v*q + c advances by one either way.
            s_q        <= 16'd0;
            ch_q       <= ch_q + chan_stride_q;
            tap_addr_q <= (x_q == 16'd0) ? cx_addr_q : cx_addr_q + skip_stride_q;
            tap_col_q  <= (x_q == 16'd0) ? cx_col_q : cx_col_q + skip32;
            if (!c_end) begin
              c_q  <= c_q + 16'd1;
              cs_q <= cs_q + s_iw;
            end else begin
              c_q  <= 16'd0;
              cs_q <= {IW{1'b0}};
              v_q  <= v_end ? 16'd0 : v_q + 16'd1;
            end
            if (feed_end) ph_q <= MAC;
          end
        end
        default: begin  // DRAIN
          pw_q <= pw_q + k_stride_q;
          if (!k_end) begin
            k_q <= k_q + 16'd1;
          end else begin
            k_q <= 16'd0;
            if (!x_end) begin      // next output column
              ph_q       <= FEED;
              x_q        <= x_q + 16'd1;
              ch_q       <= pass_addr;
              cx_addr_q  <= nx_addr;
              tap_addr_q <= nx_addr + skip_stride_q;
              cx_col_q   <= nx_col;
              tap_col_q  <= nx_col + skip32;
            end else begin         // next pass
              ph_q <= LOAD;
              x_q  <= 16'd0;
              if (!rf_end) begin
                rf_q <= rf_q + 16'd1;
                yr_q <= yr_q + rf_row_step;
                ya_q <= ya_q + rf_row_step;
              end else begin
                rf_q <= 16'd0;
                yr_q <= yr_sg_q;
                ya_q <= ya_sg_q;
                if (!cg_end) begin
                  cg_q   <= cg_q + 16'd1;
                  a_cg_q <= a_cg_q + cg_stride_q;
                end else begin
                  cg_q   <= 16'd0;
                  a_cg_q <= a_gl_q;
                  if (!sg_end) begin     // same filters, next strip group: reload them
                    sg_q    <= sg_q + 16'd1;
                    yr_sg_q <= yr_sg_q + sg_row_step;
                    yr_q    <= yr_sg_q + sg_row_step;
                    ya_sg_q <= ya_sg_q + sg_row_step;
                    ya_q    <= ya_sg_q + sg_row_step;
                    pw_sg_q <= pw_sg_q + qn[PAW-1:0];
                    fptr_q  <= fptr_glkb_q;
                  end else begin
                    sg_q        <= 16'd0;
                    yr_sg_q     <= y_rel0_q;
                    yr_q        <= y_rel0_q;
                    ya_sg_q     <= y_abs0_q;
                    ya_q        <= y_abs0_q;
                    pw_sg_q     <= {PAW{1'b0}};
                    fptr_glkb_q <= fptr_q;
                    if (!kb_end) begin
                      kb_q      <= kb_q + 16'd1;
                      kbase_q   <= kbase_q + pk;
                      pw_glkb_q <= pw_glkb_q + bps_q;
                    end else begin
                      kb_q      <= 16'd0;
                      kbase_q   <= 16'd0;
                      gl_q      <= gl_q + 16'd1;
                      a_gl_q    <= a_gl_q + gcs_q;
                      a_cg_q    <= a_gl_q + gcs_q;
                      pw_gl_q   <= pw_gl_q + gps_q;
                      pw_glkb_q <= pw_gl_q + gps_q;
                    end
                  end
                end
              end
            end
          end
          if (last) busy_q <= 1'b0;
        end
      endcase
    end
  end

  assign issue    = busy_q;
  assign busy     = busy_q;
  assign kind     = ph_q;
  assign f_addr   = f_sum[FAW-1:0];
  assign fidx     = fidx_q;
  assign widx     = widx_q;
  assign seg_base = cs_q;
  assign seg_end  = cs_q + s_iw - {{(IW-1){1'b0}}, 1'b1};
  assign copy     = v_q[7:0];
  assign i_addr   = ch_q + tap_addr_q;
  assign col      = tap_col_q;
  assign y_abs    = ya_q;
  assign k        = k_q[KW-1:0];
  assign first    = widx_q == {IW{1'b0}};
  assign p_addr   = pw_q;
  assign p_valid  = {1'b0, kbase_q} + {1'b0, k_q} < {1'b0, kernels_q};
  assign p_acc    = acc_q || cg_q != 16'd0 || rf_q != 16'd0;
  assign p_half   = half_q;
endmodule
