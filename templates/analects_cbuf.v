// Convolution buffer (CBUF) half of one kind (input atoms or weight blocks): BANKS interleaved
// SRAM banks so the DMA can write up to BANKS consecutive entries per cycle, one read per cycle
// for the MAC pipeline. Entry address = row * BANKS + bank.
module analects_cbuf #(
  parameter integer WIDTH  = 128,  // bits per entry
  parameter integer BANKS  = 1,    // power of two
  parameter integer LBANKS = 0,    // log2(BANKS)
  parameter integer ROWS   = 16,   // entries per bank
  parameter integer RW     = 4     // row address bits
) (
  input  wire                   clk,
  input  wire [BANKS-1:0]       we,
  input  wire [BANKS*RW-1:0]    waddr,  // per bank: row
  input  wire [BANKS*WIDTH-1:0] wdata,
  input  wire                   re,
  input  wire [RW+LBANKS-1:0]   raddr,  // entry address
  output wire [WIDTH-1:0]       rdata   // the entry read in the previous cycle
);
  wire [BANKS*WIDTH-1:0] bank_rdata;

  genvar gi;
  generate
    if (BANKS == 1) begin : g_single
      analects_sram_1r1w #(.WIDTH(WIDTH), .DEPTH(ROWS), .AW(RW)) u_sram (
        .clk(clk), .we(we[0]), .waddr(waddr), .wdata(wdata),
        .re(re), .raddr(raddr), .rdata(bank_rdata));
      assign rdata = bank_rdata;
    end else begin : g_banked
      reg [LBANKS-1:0] rbank_q;
      always @(posedge clk) if (re) rbank_q <= raddr[LBANKS-1:0];
      for (gi = 0; gi < BANKS; gi = gi + 1) begin : g_bank
        analects_sram_1r1w #(.WIDTH(WIDTH), .DEPTH(ROWS), .AW(RW)) u_sram (
          .clk(clk), .we(we[gi]), .waddr(waddr[gi*RW +: RW]), .wdata(wdata[gi*WIDTH +: WIDTH]),
          .re(re && raddr[LBANKS-1:0] == gi[LBANKS-1:0]), .raddr(raddr[RW+LBANKS-1:LBANKS]),
          .rdata(bank_rdata[gi*WIDTH +: WIDTH]));
      end
      assign rdata = bank_rdata[rbank_q*WIDTH +: WIDTH];
    end
  endgenerate
endmodule
