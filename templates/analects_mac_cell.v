// One NVDLA-style MAC cell: ATOM_C int8 x int8 products reduced by a binary adder tree into an
// int32 partial sum. Two register stages: the products, then the tree's sum. The cell holds no
// weights itself: the weight block read with each input atom is stationary for a whole stripe.
module analects_mac_cell #(
  parameter integer ATOM_C = 16
) (
  input  wire                clk,
  input  wire [8*ATOM_C-1:0] data,    // one input atom: ATOM_C int8 channels of one pixel
  input  wire [8*ATOM_C-1:0] weight,  // this cell's ATOM_C int8 weights
  output wire [31:0]         psum     // sum of the ATOM_C products, two cycles later
);
  // Leaves of the tree: ATOM_C products padded with zeros to a power of two.
  localparam integer LEAVES = (ATOM_C <= 1) ? 1 : (1 << $clog2(ATOM_C));

  wire [32*LEAVES-1:0] prods;  // stage 1 outputs: sign-extended products, zero padding

  genvar gi;
  generate
    for (gi = 0; gi < LEAVES; gi = gi + 1) begin : g_lane
      if (gi < ATOM_C) begin : g_mul
        wire signed [15:0] product = $signed(data[8*gi +: 8]) * $signed(weight[8*gi +: 8]);
        reg  signed [15:0] prod_q;
        always @(posedge clk) prod_q <= product;
        assign prods[32*gi +: 32] = {{16{prod_q[15]}}, prod_q};
      end else begin : g_pad
        assign prods[32*gi +: 32] = 32'd0;
      end
    end
  endgenerate

  // Binary adder tree, level by level in place: after the level of width w, entry j holds the
  // sum of the pair (2j, 2j+1) of the level below.
  reg [32*LEAVES-1:0] tree;
  integer w, j;
  always @* begin
    tree = prods;
    for (w = LEAVES / 2; w >= 1; w = w / 2)
      for (j = 0; j < w; j = j + 1)
        tree[32*j +: 32] = tree[64*j +: 32] + tree[64*j+32 +: 32];
  end

  reg [31:0] sum_q;  // stage 2: the tree's root
  always @(posedge clk) sum_q <= tree[31:0];
  assign psum = sum_q;
endmodule
