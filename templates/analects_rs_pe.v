// One row-stationary PE (Eyeriss-style): a filter scratchpad (FSP int8 weights, written one a
// cycle, read asynchronously: LUT-RAM), an ifmap window (ISP int8 registers organized at run time
// as q segments of S taps that shift towards entry 0 as new pixels arrive), a psum scratchpad
// (PSP int32 entries, LUT-RAM) and one int8 x int8 MAC. Every command of the array's pipeline reaches
// the PE in stage S1 (load, feed, MAC) or S2 (drain), so the PE holds no pipeline state: it is
// storage plus one multiply-add, which is what Eyeriss's PE is.
module analects_rs_pe #(
  parameter integer FSP = 224,  // filter scratchpad entries
  parameter integer ISP = 12,   // ifmap window entries
  parameter integer PSP = 24,   // psum scratchpad entries
  parameter integer FW  = 8,    // filter index bits
  parameter integer IW  = 4,    // window index bits
  parameter integer KW  = 5     // psum index bits
) (
  input  wire          clk,
  // Load (S1): filter[fidx] <= load_byte.
  input  wire          load_en,
  input  wire [FW-1:0] fidx,
  input  wire [7:0]    load_byte,
  // Feed (S1): window entries seg_base..seg_end-1 take their successor, seg_end the new pixel.
  input  wire          feed_en,
  input  wire [IW-1:0] seg_base,
  input  wire [IW-1:0] seg_end,
  input  wire [7:0]    feed_byte,
  // MAC (S1): psum[k] <= (first ? 0 : psum[k]) + filter[fidx] * window[widx].
  input  wire          mac_en,
  input  wire [IW-1:0] widx,
  input  wire [KW-1:0] k,
  input  wire          first,
  // Drain (S2): psum[drain_k], read combinationally by the column adder.
  input  wire [KW-1:0] drain_k,
  output wire [31:0]   drain_psum
);
  reg [7:0]        filter [0:FSP-1];
  reg [8*ISP-1:0]  win_q;
  reg [31:0]       psum [0:PSP-1];  // one write port, two asynchronous reads: LUT-RAM

  always @(posedge clk)
    if (load_en) filter[fidx] <= load_byte;

  genvar ge;
  generate
    for (ge = 0; ge < ISP; ge = ge + 1) begin : g_win
      localparam [IW-1:0] E = ge;
      if (ge < ISP - 1) begin : g_shift
        always @(posedge clk)
          if (feed_en) begin
            if (E == seg_end)                      win_q[8*ge +: 8] <= feed_byte;
            else if (E >= seg_base && E < seg_end) win_q[8*ge +: 8] <= win_q[8*(ge+1) +: 8];
          end
      end else begin : g_top  // the top entry is only ever a segment's end
        if (ISP == 1) begin : g_single
          wire unused_seg_base = ^seg_base;  // a one-entry window has one segment
        end
        always @(posedge clk)
          if (feed_en && E == seg_end) win_q[8*ge +: 8] <= feed_byte;
      end
    end
  endgenerate

  wire signed [7:0]  f_val   = filter[fidx];
  wire signed [7:0]  a_val   = win_q[8*widx +: 8];
  wire signed [15:0] product = f_val * a_val;
  wire        [31:0] prod32  = {{16{product[15]}}, product};

  // One adder: the MAC's psum is read, added to and written back in the same cycle.
  wire [31:0] acc = (first ? 32'd0 : psum[k]) + prod32;
  always @(posedge clk)
    if (mac_en) psum[k] <= acc;

  assign drain_psum = psum[drain_k];
endmodule
