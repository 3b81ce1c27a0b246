// Psum region of the row-stationary GLB: two halves (ping-pong: one step accumulates while the
// previous one is stored), each ROWS words of COLS int32 lanes (lane j = physical PE column j).
// Compute does read-modify-write: a drain reads its word in stage S2 and writes
// (accumulate ? old : 0) + column sums in stage S3, only for a valid kernel. The store engine
// reads the other half through its own port (data the next cycle); the two never share a half.
module analects_rs_psum #(
  parameter integer COLS = 14,
  parameter integer ROWS = 1975,  // words per half
  parameter integer RW   = 11     // word address bits
) (
  input  wire                 clk,
  input  wire                 rst_n,
  // Drain, stage S2: read the word the column sums of the next cycle land in.
  input  wire                 d_re,
  input  wire                 d_half,
  input  wire [RW-1:0]        d_row,
  input  wire                 d_write,     // the drain's kernel is valid
  input  wire                 d_acc,       // add to the word (else overwrite)
  // Stage S3: the registered column sums.
  input  wire [32*COLS-1:0]   colsum,
  // Store read port.
  input  wire                 s_re,
  input  wire                 s_bank,
  input  wire [RW-1:0]        s_row,
  output wire [32*COLS-1:0]   s_rdata
);
  reg          w_valid_q, w_write_q, w_acc_q, w_half_q, s_bank_q;
  reg [RW-1:0] w_row_q;
  always @(posedge clk) begin
    if (!rst_n) begin
      w_valid_q <= 1'b0;
    end else begin
      w_valid_q <= d_re;
    end
    w_write_q <= d_write;
    w_acc_q   <= d_acc;
    w_half_q  <= d_half;
    w_row_q   <= d_row;
    if (s_re) s_bank_q <= s_bank;
  end

  wire [2*32*COLS-1:0] rdata;
  wire [32*COLS-1:0]   old = rdata[32*COLS*w_half_q +: 32*COLS];
  wire [32*COLS-1:0]   sum;
  genvar gj;
  generate
    for (gj = 0; gj < COLS; gj = gj + 1) begin : g_lane
      assign sum[32*gj +: 32] = (w_acc_q ? old[32*gj +: 32] : 32'd0) + colsum[32*gj +: 32];
    end
    for (gj = 0; gj < 2; gj = gj + 1) begin : g_half
      wire store = s_re && s_bank == gj[0];
      analects_sram_1r1w #(.WIDTH(32*COLS), .DEPTH(ROWS), .AW(RW)) u_sram (
        .clk(clk), .we(w_valid_q && w_write_q && w_half_q == gj[0]), .waddr(w_row_q),
        .wdata(sum), .re(store || (d_re && d_half == gj[0])), .raddr(store ? s_row : d_row),
        .rdata(rdata[32*COLS*gj +: 32*COLS]));
    end
  endgenerate

  assign s_rdata = rdata[32*COLS*s_bank_q +: 32*COLS];
endmodule
