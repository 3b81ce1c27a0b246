// Ifmap region of the row-stationary GLB: words of NB bytes in two banks (even / odd word), so
// one read returns the NB consecutive bytes starting at any byte address: both words w = A / NB
// and w + 1 are read in the same cycle (one per bank), concatenated and shifted right by
// A mod NB bytes. Lane l of the resulting ifmap bus is byte A + l, multicast to the PEs. Lanes
// outside the input (row yAbs + l outside [0, H), or the column outside [0, W)) read as zero,
// which is the padding. Word addresses wrap modulo 2^(RW+1); junk read past the end lands only
// in masked lanes or meets zero weights. The DMA writes consecutive words to alternating banks.
module analects_rs_ifmap #(
  parameter integer NB   = 64,  // bytes per word = ifmap bus bytes, a power of two
  parameter integer LNB  = 6,   // log2(NB)
  parameter integer ROWS = 864, // words per bank
  parameter integer RW   = 10   // row address bits
) (
  input  wire                  clk,
  // DMA write ports (analects_unpack, two banks: word address = row * 2 + bank).
  input  wire [1:0]            we,
  input  wire [2*RW-1:0]       waddr,
  input  wire [2*8*NB-1:0]     wdata,
  // Read (stage S0): byte address, the row of lane 0, whether the column is inside the input.
  input  wire                  re,
  input  wire [RW+LNB:0]       addr,
  input  wire signed [31:0]    y_abs,
  input  wire                  col_ok,
  input  wire signed [31:0]    in_h,
  // The masked ifmap bus (stage S1).
  output wire [8*NB-1:0]       bus
);
  wire [RW:0]   word     = addr[RW+LNB:LNB];
  wire [RW-1:0] even_row = word[RW:1] + {{(RW-1){1'b0}}, word[0]};  // row of w or of w + 1
  wire [8*NB-1:0] even_rdata, odd_rdata;

  analects_sram_1r1w #(.WIDTH(8*NB), .DEPTH(ROWS), .AW(RW)) u_even (
    .clk(clk), .we(we[0]), .waddr(waddr[0 +: RW]), .wdata(wdata[0 +: 8*NB]),
    .re(re), .raddr(even_row), .rdata(even_rdata));
  analects_sram_1r1w #(.WIDTH(8*NB), .DEPTH(ROWS), .AW(RW)) u_odd (
    .clk(clk), .we(we[1]), .waddr(waddr[RW +: RW]), .wdata(wdata[8*NB +: 8*NB]),
    .re(re), .raddr(word[RW:1]), .rdata(odd_rdata));

  reg               odd_q, col_ok_q;
  reg [LNB-1:0]     off_q;
  reg signed [31:0] lo_q, hi_q;  // lane l is inside the input iff lo <= l < hi
  always @(posedge clk)
    if (re) begin
      odd_q    <= word[0];
      off_q    <= addr[LNB-1:0];
      col_ok_q <= col_ok;
      lo_q     <= -y_abs;
      hi_q     <= in_h - y_abs;
    end

  wire [16*NB-1:0] pair    = odd_q ? {even_rdata, odd_rdata} : {odd_rdata, even_rdata};
  wire [16*NB-1:0] shifted = pair >> {off_q, 3'b000};
  wire [8*NB-1:0]  window  = shifted[8*NB-1:0];
  wire             unused_high = ^shifted[16*NB-1:8*NB];

  genvar gl;
  generate
    for (gl = 0; gl < NB; gl = gl + 1) begin : g_lane
      localparam signed [31:0] L = gl;
      wire in_input = col_ok_q && L >= lo_q && L < hi_q;
      assign bus[8*gl +: 8] = in_input ? window[8*gl +: 8] : 8'd0;
    end
  endgenerate
endmodule
