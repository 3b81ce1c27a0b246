// Accumulator SRAM: two halves (ping-pong: one step accumulates while the previous one is
// written back), each SUBS interleaved banks of ATOM_K int32 per pixel so the write-back can
// read SUBS pixels a cycle and keep up with the DRAM port. Read-modify-write over two stages:
// stage A reads the entry, stage B adds the MAC array's partial sums and writes it back; a
// write in the cycle of the next read of the same entry is forwarded.
module analects_acc #(
  parameter integer ATOM_K = 16,
  parameter integer SUBS   = 1,   // banks per half, a power of two
  parameter integer LSUBS  = 0,   // log2(SUBS)
  parameter integer ROWS   = 512, // entries per bank
  parameter integer RW     = 9    // row address bits
) (
  input  wire                      clk,
  input  wire                      rst_n,
  // Stage A (read): the entry the next cycle's partial sums accumulate into.
  input  wire                      a_valid,
  input  wire                      a_bank,
  input  wire [RW+LSUBS-1:0]       a_pix,
  input  wire                      a_first,
  // Stage B (add and write): the MAC array's partial sums for stage A's entry.
  input  wire [32*ATOM_K-1:0]      b_psum,
  // Write-back read port: one row (SUBS consecutive pixels) of a half, data the next cycle.
  input  wire                      s_re,
  input  wire                      s_bank,
  input  wire [RW-1:0]             s_row,
  output wire [SUBS*32*ATOM_K-1:0] s_rdata
);
  localparam integer PW = RW + LSUBS;
  localparam integer EW = 32 * ATOM_K;

  reg          b_valid_q, b_bank_q, b_first_q;
  reg [PW-1:0] b_pix_q;
  reg          pw_valid_q, pw_bank_q;  // the write of the previous cycle
  reg [PW-1:0] pw_pix_q;
  reg [EW-1:0] pw_sum_q;
  reg          s_bank_q;

  always @(posedge clk) begin
    if (!rst_n) begin
      b_valid_q  <= 1'b0;
      pw_valid_q <= 1'b0;
    end else begin
      b_valid_q  <= a_valid;
      pw_valid_q <= b_valid_q;
    end
    b_bank_q  <= a_bank;
    b_pix_q   <= a_pix;
    b_first_q <= a_first;
    pw_bank_q <= b_bank_q;
    pw_pix_q  <= b_pix_q;
    if (s_re) s_bank_q <= s_bank;
  end

  // Row and bank of an entry (pixel index = row * SUBS + bank).
  wire [RW-1:0]      a_row = a_pix[PW-1:LSUBS];
  wire [RW-1:0]      b_row = b_pix_q[PW-1:LSUBS];
  wire [2*SUBS-1:0]  a_sel, b_sel;   // one-hot over the 2 * SUBS banks
  wire [2*SUBS*EW-1:0] rdata_all;

  genvar gh, gs;
  generate
    if (SUBS == 1) begin : g_sel1
      assign a_sel = {a_bank, ~a_bank};
      assign b_sel = {b_bank_q, ~b_bank_q};
    end else begin : g_seln
      assign a_sel = {{(2*SUBS-1){1'b0}}, 1'b1} << {a_bank, a_pix[LSUBS-1:0]};
      assign b_sel = {{(2*SUBS-1){1'b0}}, 1'b1} << {b_bank_q, b_pix_q[LSUBS-1:0]};
    end
  endgenerate

  // Stage B: the entry as read in stage A, or the previous cycle's write of the same entry.
  wire [EW-1:0] b_old;
  wire          forward = pw_valid_q && pw_bank_q == b_bank_q && pw_pix_q == b_pix_q;
  generate
    if (SUBS == 1) begin : g_old1
      assign b_old = rdata_all[b_bank_q*EW +: EW];
    end else begin : g_oldn
      assign b_old = rdata_all[{b_bank_q, b_pix_q[LSUBS-1:0]}*EW +: EW];
    end
  endgenerate

  reg [EW-1:0] b_sum;
  integer k;
  always @* begin
    for (k = 0; k < ATOM_K; k = k + 1)
      b_sum[32*k +: 32] = b_psum[32*k +: 32] +
                          (b_first_q ? 32'd0 : (forward ? pw_sum_q[32*k +: 32] : b_old[32*k +: 32]));
  end
  always @(posedge clk) pw_sum_q <= b_sum;

  generate
    for (gh = 0; gh < 2; gh = gh + 1) begin : g_half
      for (gs = 0; gs < SUBS; gs = gs + 1) begin : g_bank
        localparam integer IDX = gh * SUBS + gs;
        wire s_hit = s_re && (s_bank == gh[0]);
        analects_sram_1r1w #(.WIDTH(EW), .DEPTH(ROWS), .AW(RW)) u_sram (
          .clk(clk),
          .we(b_valid_q && b_sel[IDX]), .waddr(b_row), .wdata(b_sum),
          .re(s_hit || (a_valid && a_sel[IDX])), .raddr(s_hit ? s_row : a_row),
          .rdata(rdata_all[IDX*EW +: EW]));
      end
    end
  endgenerate

  assign s_rdata = rdata_all[s_bank_q*SUBS*EW +: SUBS*EW];
endmodule
