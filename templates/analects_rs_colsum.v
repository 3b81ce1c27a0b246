// Column adder of the row-stationary array (pipeline stage S2): the sum over every PE row of one
// physical column's drained psums, registered. Rows a pass does not use hold psums of zero
// weights, so summing all of them needs no per-row enable; the vertical psum chain of Eyeriss
// becomes one adder per column because all rows drain the same k in the same cycle.
module analects_rs_colsum #(
  parameter integer ROWS = 12
) (
  input  wire              clk,
  input  wire [32*ROWS-1:0] psums,  // row i in bits [32i+31:32i]
  output reg  [31:0]        sum     // the sum, one cycle later
);
  reg [31:0] total;
  integer i;
  always @* begin
    total = 32'd0;
    for (i = 0; i < ROWS; i = i + 1) total = total + psums[32*i +: 32];
  end

  always @(posedge clk) sum <= total;
endmodule
