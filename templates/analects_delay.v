// Delay line of DEPTH register stages (DEPTH = 0 is a wire), synchronously cleared.
// Carries pipeline control alongside the MAC datapath.
module analects_delay #(
  parameter integer WIDTH = 1,
  parameter integer DEPTH = 1
) (
  input  wire             clk,
  input  wire             rst_n,
  input  wire [WIDTH-1:0] din,
  output wire [WIDTH-1:0] dout
);
  wire [WIDTH-1:0] tap [0:DEPTH];
  assign tap[0] = din;

  genvar gi;
  generate
    if (DEPTH == 0) begin : g_wire
      wire unused_clock = clk ^ rst_n;
    end
    for (gi = 0; gi < DEPTH; gi = gi + 1) begin : g_stage
      reg [WIDTH-1:0] q;
      always @(posedge clk) begin
        if (!rst_n) q <= {WIDTH{1'b0}};
        else        q <= tap[gi];
      end
      assign tap[gi+1] = q;
    end
  endgenerate

  assign dout = tap[DEPTH];
endmodule
