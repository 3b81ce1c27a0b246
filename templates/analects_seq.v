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
  input  wire [15:0]        cbn,       // channel blocks
  input  wire [15:0]        rn,        // kernel rows R
  input  wire [15:0]        sn,        // kernel columns S
  input  wire [15:0]        qn,        // output columns Q
  input  wire [15:0]        sh,        // row stride
  input  wire [15:0]        sw,        // column stride
  input  wire [15:0]        dh,        // row dilation
  input  wire [15:0]        dw,        // column dilation
  input  wire signed [31:0] in_h,      // input rows H (padding test)
  input  wire signed [31:0] in_w,      // input columns W
  input  wire signed [31:0] w0,        // input column of output column 0, tap 0: -left pad
  input  wire [DAW-1:0]     pstride,   // atoms between consecutive output rows' windows
  input  wire [DAW-1:0]     rstride,   // atoms between kernel rows
  input  wire [DAW-1:0]     qstride,   // atoms between output columns (stride * channel blocks)
  input  wire [DAW-1:0]     sstride,   // atoms between kernel columns
  // Step descriptor.
  input  wire [15:0]        rows,      // output rows of the step's band
  input  wire [DAW-1:0]     data_base, // atom of (row 0, column 0, cb 0) of the band's window
  input  wire [WAW-1:0]     w_base,    // first weight block of the kernel group
  input  wire signed [31:0] h0,        // input row of the band's first output row, tap 0
  input  wire               bank,      // accumulator half of this step
  // One issue per cycle.
  output wire               issue,
  output wire [DAW-1:0]     d_addr,
  output wire [WAW-1:0]     w_addr,
  output wire               pad_ok,    // the atom is inside the image (else it reads as zero)
  output wire [PW-1:0]      pix,       // accumulator entry: row * Q + column within the band
  output wire               first,     // first (cb, r, s): write the sum instead of adding
  output wire               acc_bank,
  output wire               busy,
  output wire               last       // the step's final issue is in this cycle
);
  reg               busy_q, bank_q;
  reg [15:0]        cb_q, r_q, s_q, pr_q, q_q, rows_q;
  reg [DAW-1:0]     a_c_q, a_cr_q, a_crs_q, a_row_q, a_q;  // addresses at loop starts
  reg signed [31:0] h0_q, h_r_q, h_q, w_s_q, w_q;           // input coordinates
  reg [WAW-1:0]     wblk_q;
  reg [PW-1:0]      pix_q;

  wire q_end  = q_q  == qn - 16'd1;
  wire pr_end = pr_q == rows_q - 16'd1;
  wire s_end  = s_q  == sn - 16'd1;
  wire r_end  = r_q  == rn - 16'd1;
  wire cb_end = cb_q == cbn - 16'd1;
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
      busy_q  <= 1'b1;
      bank_q  <= bank;
      rows_q  <= rows;
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
      w_s_q   <= w0;
      w_q     <= w0;
      wblk_q  <= w_base;
      pix_q   <= {PW{1'b0}};
    end else if (busy_q) begin
      if (last) begin
        busy_q <= 1'b0;
      end else if (!q_end) begin            // next output column
        q_q   <= q_q + 16'd1;
        a_q   <= a_q + qstride;
        w_q   <= w_q + sw32;
        pix_q <= pix_q + {{(PW-1){1'b0}}, 1'b1};
      end else if (!pr_end) begin           // next output row of the band
        q_q     <= 16'd0;
        pr_q    <= pr_q + 16'd1;
        a_row_q <= a_row_q + pstride;
        a_q     <= a_row_q + pstride;
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
          a_crs_q <= a_crs_q + sstride;
          a_row_q <= a_crs_q + sstride;
          a_q     <= a_crs_q + sstride;
          w_s_q   <= w_s_q + dw32;
          w_q     <= w_s_q + dw32;
          h_q     <= h_r_q;
        end else begin
          s_q   <= 16'd0;
          w_s_q <= w0;
          w_q   <= w0;
          if (!r_end) begin
            r_q     <= r_q + 16'd1;
            a_cr_q  <= a_cr_q + rstride;
            a_crs_q <= a_cr_q + rstride;
            a_row_q <= a_cr_q + rstride;
            a_q     <= a_cr_q + rstride;
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
  assign first    = cb_q == 16'd0 && r_q == 16'd0 && s_q == 16'd0;
  assign acc_bank = bank_q;
endmodule
