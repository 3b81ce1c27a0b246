// Simple dual-port SRAM: one write port, one registered read port (read-first on a collision).
// Written in the form Yosys infers as block RAM: a clocked array, a synchronous read.
module analects_sram_1r1w #(
  parameter integer WIDTH = 8,
  parameter integer DEPTH = 16,
  parameter integer AW    = 4   // address bits, at least clog2(DEPTH)
) (
  input  wire             clk,
  input  wire             we,
  input  wire [AW-1:0]    waddr,
  input  wire [WIDTH-1:0] wdata,
  input  wire             re,
  input  wire [AW-1:0]    raddr,
  output reg  [WIDTH-1:0] rdata
);
  reg [WIDTH-1:0] mem [0:DEPTH-1];

  always @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
    if (re) rdata <= mem[raddr];
  end
endmodule
