// Write-back DMA of one step: waits for the MAC pipeline to drain (PIPE_DEPTH cycles, the
// first read overlapping the last), then reads the accumulator half a row (SUBS pixels) at a
// time, requantizes (int32, or int8 after a rounding shift and optional ReLU), and streams the
// bytes to DRAM at INB bytes per beat. Every beat but the last is full, so a step's store
// takes PIPE_DEPTH + ceil(bytes / INB) cycles when the port never stalls.
module analects_dma_wr #(
  parameter integer ATOM_K     = 16,
  parameter integer OUT_BYTES  = 1,   // 1: int8 after shift/ReLU, 4: int32
  parameter integer INB        = 8,   // bytes per DRAM beat
  parameter integer SUBS       = 1,   // accumulator banks per half (pixels per read)
  parameter integer RW         = 9,   // accumulator row bits
  parameter integer PIPE_DEPTH = 4
) (
  input  wire                      clk,
  input  wire                      rst_n,
  input  wire                      start,
  input  wire [31:0]               out_addr,  // DRAM byte address of the step's outputs
  input  wire [31:0]               pixels,    // output pixels of the step (rows * Q)
  input  wire                      bank,      // accumulator half holding them
  input  wire [4:0]                shift,
  input  wire                      relu,
  // Accumulator read port.
  output wire                      s_re,
  output wire                      s_bank,
  output wire [RW-1:0]             s_row,
  input  wire [SUBS*32*ATOM_K-1:0] s_rdata,
  // DRAM write port.
  output wire                      wr_valid,
  input  wire                      wr_ready,
  output wire [31:0]               wr_addr,
  output wire [8*INB-1:0]          wr_data,
  output wire [3:0]                wr_bytes,
  output wire                      wr_last,
  output wire                      busy,
  output wire                      last       // the step's final beat leaves in this cycle
);
  localparam integer KOB = ATOM_K * OUT_BYTES;  // bytes per pixel
  localparam integer G   = SUBS * KOB;          // bytes per accumulator row
  localparam integer QC  = G + INB - 1;         // window: queued bytes plus an arriving row
  localparam integer CW0 = $clog2(QC + 1);
  localparam integer CW  = (CW0 < 4) ? 4 : CW0;  // byte counts; a beat's count fits in 4 bits
  localparam integer NE  = SUBS * ATOM_K;       // int32 elements per row

  reg              busy_q, bank_q, relu_q, pend_q;
  reg [6:0]        wait_q;       // drain cycles left before the first read
  reg [4:0]        shift_q;
  reg [CW-1:0]     pend_n_q;     // valid bytes of the row arriving this cycle
  reg [RW-1:0]     row_q;        // next row to read
  reg [31:0]       pix_left_q;   // pixels not yet read
  reg [31:0]       bytes_left_q; // bytes not yet sent
  reg [31:0]       addr_q;
  reg [8*QC-1:0]   queue_q;      // bytes read but not sent; zero from count_q up
  reg [CW-1:0]     count_q;

  // Requantization of one accumulator row.
  wire [8*G-1:0] row_bytes;
  genvar ge;
  generate
    if (OUT_BYTES == 4) begin : g_raw
      wire unused_requant = relu_q ^ (^shift_q);  // int32 outputs are not requantized
    end
    for (ge = 0; ge < NE; ge = ge + 1) begin : g_elem
      wire [31:0] acc = s_rdata[32*ge +: 32];
      if (OUT_BYTES == 4) begin : g_int32
        assign row_bytes[32*ge +: 32] = acc;
      end else begin : g_int8
        // Round half up: (acc + 2^(shift-1)) >>> shift, in 33 bits so it cannot overflow.
        wire signed [32:0] rnd    = (shift_q == 5'd0) ? 33'sd0 : (33'sd1 <<< (shift_q - 5'd1));
        wire signed [32:0] scaled = ($signed({acc[31], acc}) + rnd) >>> shift_q;
        wire signed [32:0] lo     = relu_q ? 33'sd0 : -33'sd128;
        wire [7:0]         sat    = (scaled > 33'sd127) ? 8'sd127 :
                                    (scaled < lo) ? lo[7:0] : scaled[7:0];
        assign row_bytes[8*ge +: 8] = sat;
      end
    end
  endgenerate

  wire           streaming = busy_q && wait_q == 7'd0;
  wire [CW-1:0]  g_in      = pend_q ? pend_n_q : {CW{1'b0}};
  wire [8*G-1:0] g_mask    = ~({8*G{1'b1}} << {g_in, 3'b000});
  wire [8*QC-1:0] row_ext  = {{8*(QC-G){1'b0}}, row_bytes & g_mask};
  wire [8*QC-1:0] window   = queue_q | (row_ext << {count_q, 3'b000});
  wire [CW-1:0]  avail     = count_q + g_in;
  wire [CW-1:0]  need      = (bytes_left_q < INB) ? bytes_left_q[CW-1:0] : INB[CW-1:0];
  wire           valid     = streaming && bytes_left_q != 32'd0 && avail >= need;
  wire           fire      = valid && wr_ready;
  wire [CW-1:0]  sent      = fire ? need : {CW{1'b0}};
  wire [CW-1:0]  rest_n    = avail - sent;
  // Read the next row when fewer than a beat's bytes would be left: it arrives in time for the
  // next beat, and the window never overflows.
  wire           issue     = streaming && pix_left_q != 32'd0 && rest_n < INB[CW-1:0];
  wire [CW-1:0]  take      = (pix_left_q < SUBS) ? pix_left_q[CW-1:0] : SUBS[CW-1:0];
  wire [CW-1:0]  take_bytes = take * KOB[CW-1:0];

  always @(posedge clk) begin
    if (!rst_n) begin
      busy_q <= 1'b0;
      pend_q <= 1'b0;
    end else if (start) begin
      busy_q       <= 1'b1;
      bank_q       <= bank;
      relu_q       <= relu;
      shift_q      <= shift;
      wait_q       <= PIPE_DEPTH[6:0] - 7'd1;
      pend_q       <= 1'b0;
      row_q        <= {RW{1'b0}};
      pix_left_q   <= pixels;
      bytes_left_q <= pixels * KOB;
      addr_q       <= out_addr;
      queue_q      <= {8*QC{1'b0}};
      count_q      <= {CW{1'b0}};
    end else if (busy_q) begin
      if (wait_q != 7'd0) wait_q <= wait_q - 7'd1;
      pend_q   <= issue;
      pend_n_q <= take_bytes;
      if (issue) begin
        row_q      <= row_q + {{(RW-1){1'b0}}, 1'b1};
        pix_left_q <= pix_left_q - {{(32-CW){1'b0}}, take};
      end
      queue_q      <= window >> {sent, 3'b000};
      count_q      <= rest_n;
      bytes_left_q <= bytes_left_q - {{(32-CW){1'b0}}, sent};
      addr_q       <= addr_q + {{(32-CW){1'b0}}, sent};
      if (fire && bytes_left_q == {{(32-CW){1'b0}}, need}) busy_q <= 1'b0;
    end
  end

  assign s_re     = issue;
  assign s_bank   = bank_q;
  assign s_row    = row_q;
  assign wr_valid = valid;
  assign wr_addr  = addr_q;
  assign wr_data  = window[8*INB-1:0];
  assign wr_bytes = need[3:0];
  assign wr_last  = bytes_left_q == {{(32-CW){1'b0}}, need};
  assign busy     = busy_q;
  assign last     = fire && bytes_left_q == {{(32-CW){1'b0}}, need};
endmodule
