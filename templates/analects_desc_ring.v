// Ring of step descriptors, written by the driver ahead of the controller, read in order with a
// one-entry look-ahead (the next descriptor is always at the output, so the controller can take
// one every cycle). An entry pushed in cycle t is visible from cycle t + 2.
module analects_desc_ring #(
  parameter integer WIDTH  = 896,
  parameter integer DEPTH  = 32,  // power of two
  parameter integer LDEPTH = 5
) (
  input  wire             clk,
  input  wire             rst_n,
  input  wire             push,
  input  wire [WIDTH-1:0] wdata,
  input  wire             pop,
  output wire             valid,  // an unread descriptor is at the output
  output wire [WIDTH-1:0] rdata,
  output wire [31:0]      pops    // descriptors taken since reset (for the driver's flow control)
);
  reg [LDEPTH-1:0] wptr_q, wptr_d_q, rptr_q;
  reg [31:0]       pops_q;

  wire [LDEPTH-1:0] rptr_next = rptr_q + {{(LDEPTH-1){1'b0}}, pop};

  always @(posedge clk) begin
    if (!rst_n) begin
      wptr_q   <= {LDEPTH{1'b0}};
      wptr_d_q <= {LDEPTH{1'b0}};
      rptr_q   <= {LDEPTH{1'b0}};
      pops_q   <= 32'd0;
    end else begin
      if (push) wptr_q <= wptr_q + {{(LDEPTH-1){1'b0}}, 1'b1};
      wptr_d_q <= wptr_q;
      rptr_q   <= rptr_next;
      if (pop) pops_q <= pops_q + 32'd1;
    end
  end

  analects_sram_1r1w #(.WIDTH(WIDTH), .DEPTH(DEPTH), .AW(LDEPTH)) u_mem (
    .clk(clk), .we(push), .waddr(wptr_q), .wdata(wdata),
    .re(1'b1), .raddr(rptr_next), .rdata(rdata));

  assign valid = rptr_q != wptr_d_q;
  assign pops  = pops_q;
endmodule
