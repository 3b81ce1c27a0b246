// Compute sequencer of one step: the loop nest cb -> r -> s -> pixel (output row, column) of
// NVDLA's sequence controller, one input atom per cycle. Every quantity it needs comes from the
// layer registers and the step descriptor; addresses advance by adds only (no multipliers).
// Per issued cycle it names the input atom, the weight block, whether the pixel is padding,
// and the accumulator entry the products land in.
module analects_seq #(
  parameter integer DAW = 12,  // input-atom address bits
  parameter integer WAW = 8,   // weight-block address bits
  parameter integer PW  = 9    // accumulator pixel-index bits
) (
  input  wire               clk,
  input  wire               rst_n,
  input  wire               start,
  // Layer registers.
  input  wire [15:0]        rn,          // kernel rows R
  input  wire [15:0]        sn,          // kernel columns S
  input  wire [15:0]        sh,          // row stride
  input  wire [15:0]        sw,          // column stride
  input  wire [15:0]        dh,          // row dilation
  input  wire [15:0]        dw,          // column dilation
  input  wire signed [31:0] in_h,        // input rows H (padding test)
  input  wire signed [31:0] in_w,        // input columns W
  // Step descriptor (sampled at start).
  input  wire [15:0]        blocks,      // channel blocks of the step's channel tile
  input  wire [15:0]        rows,        // output rows of the band
  input  wire [15:0]        cols,        // output columns of the column tile
  input  wire [DAW-1:0]     data_base,   // atom of (row 0, column 0, tap 0, cb 0)
  input  wire [WAW-1:0]     w_base,      // weight block of (cb 0, r 0, s 0)
  input  wire signed [31:0] h0,          // input row of output row 0 at tap 0
  input  wire signed [31:0] w0,          // input column of output column 0 at tap 0
  input  wire [DAW-1:0]     row_stride,  // atoms between consecutive output rows' windows
  input  wire [DAW-1:0]     tap_stride,  // atoms between kernel rows
  input  wire [DAW-1:0]     col_stride,  // atoms between output columns
  input  wire [DAW-1:0]     s_stride,    // atoms between kernel columns
  input  wire               accumulate,  // add to partial sums of earlier channel tiles
  input  wire               bank,        // accumulator half of this step
  // One issue per cycle.
  output wire               issue,
  output wire [DAW-1:0]     d_addr,
  output wire [WAW-1:0]     w_addr,
  output wire               pad_ok,      // the atom is inside the image (else it reads as zero)
  output wire [PW-1:0]      pix,         // accumulator entry: row * cols + column
  output wire               first,       // write the products instead of adding them
  output wire               acc_bank,
  output wire               busy,
  output wire               last         // the step's final issue is in this cycle
);
  reg               busy_q, bank_q, accumulate_q;
  reg [15:0]        cb_q, r_q, s_q, pr_q, q_q, blocks_q, rows_q, cols_q;
  reg [DAW-1:0]     row_stride_q, tap_stride_q, col_stride_q, s_stride_q;
  reg [DAW-1:0]     a_c_q, a_cr_q, a_crs_q, a_row_q, a_q;  // addresses at loop starts
  reg signed [31:0] h0_q, w0_q, h_r_q, h_q, w_s_q, w_q;      // input coordinates
  reg [WAW-1:0]     wblk_q;
  reg [PW-1:0]      pix_q;

  wire q_end  = q_q  == cols_q - 16'd1;
  wire pr_end = pr_q == rows_q - 16'd1;
  wire s_end  = s_q  == sn - 16'd1;
  wire r_end  = r_q  == rn - 16'd1;
  wire cb_end = cb_q == blocks_q - 16'd1;
  assign last = busy_q && q_end && pr_end && s_end && r_end && cb_end;

  wire signed [31:0] sh32 = {16'd0, sh};
  wire signed [31:0] sw32 = {16'd0, sw};
  wire signed [31:0] dh32 = {16'd0, dh};
  wire signed [31:0] dw32 = {16'd0, dw};
  wire [DAW-1:0]     one  = {{(DAW-1){1'b0}}, 1'b1};

  always @(posedge clk) begin
    if (!rst_n) begin
      busy_q <= 1'b0;
    end else if (start) begin
      busy_q       <= 1'b1;
      bank_q       <= bank;
      accumulate_q <= accumulate;
      blocks_q     <= blocks;
      rows_q       <= rows;
      cols_q       <= cols;
      row_stride_q <= row_stride;
      tap_stride_q <= tap_stride;
      col_stride_q <= col_stride;
      s_stride_q   <= s_stride;
      cb_q    <= 16'd0;
      r_q     <= 16'd0;
      s_q     <= 16'd0;
      pr_q    <= 16'd0;
      q_q     <= 16'd0;
      a_c_q   <= data_base;
      a_cr_q  <= data_base;
      a_crs_q <= data_base;
      a_row_q <= data_base;
      a_q     <= data_base;
      h0_q    <= h0;
      h_r_q   <= h0;
      h_q     <= h0;
      w0_q    <= w0;
      w_s_q   <= w0;
      w_q     <= w0;
      wblk_q  <= w_base;
      pix_q   <= {PW{1'b0}};
    end else if (busy_q) begin
      if (last) begin
        busy_q <= 1'b0;
      end else if (!q_end) begin            // next output column
        q_q   <= q_q + 16'd1;
        a_q   <= a_q + col_stride_q;
        w_q   <= w_q + sw32;
        pix_q <= pix_q + {{(PW-1){1'b0}}, 1'b1};
      end else if (!pr_end) begin           // next output row
        q_q     <= 16'd0;
        pr_q    <= pr_q + 16'd1;
        a_row_q <= a_row_q + row_stride_q;
        a_q     <= a_row_q + row_stride_q;
        h_q     <= h_q + sh32;
        w_q     <= w_s_q;
        pix_q   <= pix_q + {{(PW-1){1'b0}}, 1'b1};
      end else begin                        // next (cb, r, s): next weight block
        q_q    <= 16'd0;
        pr_q   <= 16'd0;
        pix_q  <= {PW{1'b0}};
        wblk_q <= wblk_q + {{(WAW-1){1'b0}}, 1'b1};
        if (!s_end) begin
          s_q     <= s_q + 16'd1;
          a_crs_q <= a_crs_q + s_stride_q;
          a_row_q <= a_crs_q + s_stride_q;
          a_q     <= a_crs_q + s_stride_q;
          w_s_q   <= w_s_q + dw32;
          w_q     <= w_s_q + dw32;
          h_q     <= h_r_q;
        end else begin
          s_q   <= 16'd0;
          w_s_q <= w0_q;
          w_q   <= w0_q;
          if (!r_end) begin
            r_q     <= r_q + 16'd1;
            a_cr_q  <= a_cr_q + tap_stride_q;
            a_crs_q <= a_cr_q + tap_stride_q;
            a_row_q <= a_cr_q + tap_stride_q;
            a_q     <= a_cr_q + tap_stride_q;
            h_r_q   <= h_r_q + dh32;
            h_q     <= h_r_q + dh32;
          end else begin
            r_q     <= 16'd0;
            cb_q    <= cb_q + 16'd1;
            h_r_q   <= h0_q;
            h_q     <= h0_q;
            a_c_q   <= a_c_q + one;
            a_cr_q  <= a_c_q + one;
            a_crs_q <= a_c_q + one;
            a_row_q <= a_c_q + one;
            a_q     <= a_c_q + one;
          end
        end
      end
    end
  end

  assign issue    = busy_q;
  assign busy     = busy_q;
  assign d_addr   = a_q;
  assign w_addr   = wblk_q;
  assign pad_ok   = h_q >= 0 && h_q < in_h && w_q >= 0 && w_q < in_w;
  assign pix      = pix_q;
  assign first    = !accumulate_q && cb_q == 16'd0 && r_q == 16'd0 && s_q == 16'd0;
  assign acc_bank = bank_q;
endmodule
