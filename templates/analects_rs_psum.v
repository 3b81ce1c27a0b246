// Psum region of the row-stationary GLB: two halves (ping-pong: one step accumulates while the
// previous one is stored), each SUBS banks x ROWS words of COLS int32 lanes (lane j = physical
// PE column j; word w in bank w mod SUBS, row w / SUBS). Compute does read-modify-write of one
// word a cycle: a drain reads its word in stage S2 and writes (accumulate ? old : 0) + column
// sums in stage S3, only for a valid kernel. The store engine reads the other half a row (SUBS
// consecutive words) at a time, enough for the DRAM port; the two never share a half.
module analects_rs_psum #(
  parameter integer COLS  = 14,
  parameter integer ROWS  = 1975,  // words per bank
  parameter integer RW    = 11,    // row address bits
  parameter integer SUBS  = 1,     // banks, a power of two
  parameter integer LSUBS = 0      // log2(SUBS)
) (
  input  wire                      clk,
  input  wire                      rst_n,
  // Drain, stage S2: read the word the column sums of the next cycle land in.
  input  wire                      d_re,
  input  wire                      d_half,
  input  wire [RW+LSUBS-1:0]       d_row,       // word address
  input  wire                      d_write,     // the drain's kernel is valid
  input  wire                      d_acc,       // add to the word (else overwrite)
  // Stage S3: the registered column sums.
  input  wire [32*COLS-1:0]        colsum,
  // Store read port: one row of SUBS words.
  input  wire                      s_re,
  input  wire                      s_bank,
  input  wire [RW-1:0]             s_row,
  output wire [32*COLS*SUBS-1:0]   s_rdata
);
  localparam integer LB = (LSUBS > 0) ? LSUBS : 1;
  reg              w_valid_q, w_write_q, w_acc_q, w_half_q, s_bank_q;
  reg [RW+LSUBS-1:0] w_addr_q;
  always @(posedge clk) begin
    if (!rst_n) begin
      w_valid_q <= 1'b0;
    end else begin
      w_valid_q <= d_re;
    end
    w_write_q <= d_write;
    w_acc_q   <= d_acc;
    w_half_q  <= d_half;
    w_addr_q  <= d_row;
    if (s_re) s_bank_q <= s_bank;
  end

  // Bank and row of the drain's word (read in S2) and of the word written in S3.
  wire [LB-1:0] d_bank, w_bank;
  wire [RW-1:0] d_r = d_row[RW+LSUBS-1:LSUBS];
  wire [RW-1:0] w_r = w_addr_q[RW+LSUBS-1:LSUBS];
  generate
    if (LSUBS > 0) begin : g_banked
      assign d_bank = d_row[LB-1:0];
      assign w_bank = w_addr_q[LB-1:0];
    end else begin : g_single
      assign d_bank = 1'b0;
      assign w_bank = 1'b0;
    end
  endgenerate

  wire [2*SUBS*32*COLS-1:0] rdata;  // [half][bank]
  reg  [LB-1:0]             r_bank_q;
  always @(posedge clk) if (d_re) r_bank_q <= d_bank;
  wire [31:0]        old_word = SUBS * {31'd0, w_half_q} + {{(32-LB){1'b0}}, r_bank_q};
  wire [32*COLS-1:0] old = rdata[32*COLS*old_word +: 32*COLS];
  wire [32*COLS-1:0] sum;
  genvar gj, gh, gb;
  generate
    for (gj = 0; gj < COLS; gj = gj + 1) begin : g_lane
      assign sum[32*gj +: 32] = (w_acc_q ? old[32*gj +: 32] : 32'd0) + colsum[32*gj +: 32];
    end
    for (gh = 0; gh < 2; gh = gh + 1) begin : g_half
      for (gb = 0; gb < SUBS; gb = gb + 1) begin : g_bank
        wire store = s_re && s_bank == gh[0];
        wire drain = d_re && d_half == gh[0] && d_bank == gb[LB-1:0];
        analects_sram_1r1w #(.WIDTH(32*COLS), .DEPTH(ROWS), .AW(RW)) u_sram (
          .clk(clk),
          .we(w_valid_q && w_write_q && w_half_q == gh[0] && w_bank == gb[LB-1:0]),
          .waddr(w_r), .wdata(sum), .re(store || drain), .raddr(store ? s_row : d_r),
          .rdata(rdata[32*COLS*(SUBS*gh + gb) +: 32*COLS]));
      end
    end
  endgenerate

  assign s_rdata = rdata[32*COLS*SUBS*s_bank_q +: 32*COLS*SUBS];
endmodule
