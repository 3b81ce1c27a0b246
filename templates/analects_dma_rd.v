// Read DMA of one step: issues the step's request list (up to four 4-D requests: n3 x n2 x n1
// chunks, strides from the layer registers) on the DRAM read port, one a cycle, and splits
// the returning byte stream, INB bytes a beat, into weight blocks (the first w_bytes bytes) and
// input atoms (the rest) written into the two CBUF parts. The DRAM port streams a step's
// requests back to back, so the load takes latency + ceil(bytes / INB) cycles; the last beat's
// bytes are written in the cycle they arrive. Weights go first: their single request is the
// largest, which gives the later requests the most time to reach the port.
module analects_dma_rd #(
  parameter integer INB   = 8,    // bytes per DRAM beat
  parameter integer DUNIT = 16,   // bytes per input atom (atomC)
  parameter integer DNOUT = 1,    // input-atom banks
  parameter integer DLN   = 0,
  parameter integer DRW   = 8,
  parameter integer WUNIT = 256,  // bytes per weight block (atomK * atomC)
  parameter integer WNOUT = 1,    // weight-block banks
  parameter integer WLN   = 0,
  parameter integer WRW   = 4,
  parameter integer DFLUSH = 0    // 1: a transfer's input ends may fill part of an atom
) (
  input  wire                     clk,
  input  wire                     rst_n,
  input  wire                     start,
  input  wire [2:0]               nreq,      // requests in the list (1..4)
  input  wire [4*128-1:0]         reqs,      // request i: {16'b0, n3, n2, n1, bytes, addr}
  input  wire [31:0]              stride1,   // byte strides of the request dimensions
  input  wire [31:0]              stride2,
  input  wire [31:0]              stride3,
  input  wire [31:0]              in_bytes,  // input bytes of the stream (after the weights)
  input  wire [31:0]              w_bytes,   // weight bytes of the stream (first)
  input  wire [DRW+DLN-1:0]       in_dst,    // first input atom written
  input  wire [WRW+WLN-1:0]       w_dst,     // first weight block written
  // DRAM read port.
  output wire                     rd_req_valid,
  input  wire                     rd_req_ready,
  output wire [31:0]              rd_req_addr,
  output wire [31:0]              rd_req_bytes,
  output wire [15:0]              rd_req_n1,
  output wire [15:0]              rd_req_n2,
  output wire [15:0]              rd_req_n3,
  output wire [31:0]              rd_req_s1,
  output wire [31:0]              rd_req_s2,
  output wire [31:0]              rd_req_s3,
  output wire                     rd_req_last,
  input  wire                     rd_valid,
  input  wire [8*INB-1:0]         rd_data,
  // CBUF write ports.
  output wire [DNOUT-1:0]         d_we,
  output wire [DNOUT*DRW-1:0]     d_waddr,
  output wire [DNOUT*8*DUNIT-1:0] d_wdata,
  output wire [WNOUT-1:0]         w_we,
  output wire [WNOUT*WRW-1:0]     w_waddr,
  output wire [WNOUT*8*WUNIT-1:0] w_wdata,
  output wire                     busy,
  output wire                     last       // the transfer's final beat arrives in this cycle
);
  localparam integer CIW = $clog2(INB + 1);

  reg             busy_q;
  reg [2:0]       nreq_q, idx_q;
  reg [4*128-1:0] reqs_q;
  reg [31:0]      rem_q;     // bytes still to arrive
  reg [31:0]      w_rem_q;   // weight bytes still to arrive

  wire [127:0] req = reqs_q[idx_q*128 +: 128];
  assign rd_req_valid     = busy_q && idx_q < nreq_q;
  assign rd_req_addr      = req[31:0];
  assign rd_req_bytes     = req[63:32];
  assign rd_req_n1        = req[79:64];
  assign rd_req_n2        = req[95:80];
  assign rd_req_n3        = req[111:96];
  assign rd_req_s1        = stride1;
  assign rd_req_s2        = stride2;
  assign rd_req_s3        = stride3;
  wire   unused_req_bits  = ^req[127:112];
  assign rd_req_last      = idx_q == nreq_q - 3'd1;

  // This beat's bytes: weights first, the rest input.
  wire           beat = busy_q && rd_valid;
  wire [CIW-1:0] nb   = (rem_q < INB) ? rem_q[CIW-1:0] : INB[CIW-1:0];
  wire [CIW-1:0] nw   = (w_rem_q < {{(32-CIW){1'b0}}, nb}) ? w_rem_q[CIW-1:0] : nb;
  wire [CIW-1:0] nd   = nb - nw;
  assign last = beat && rem_q <= INB;

  always @(posedge clk) begin
    if (!rst_n) begin
      busy_q <= 1'b0;
    end else if (start) begin
      busy_q   <= 1'b1;
      nreq_q   <= nreq;
      idx_q    <= 3'd0;
      reqs_q   <= reqs;
      rem_q    <= in_bytes + w_bytes;
      w_rem_q  <= w_bytes;
    end else if (busy_q) begin
      if (rd_req_valid && rd_req_ready) idx_q <= idx_q + 3'd1;
      if (beat) begin
        rem_q    <= rem_q - {{(32-CIW){1'b0}}, nb};
        w_rem_q  <= w_rem_q - {{(32-CIW){1'b0}}, nw};
      end
      if (last) busy_q <= 1'b0;
    end
  end

  analects_unpack #(.UNIT(DUNIT), .INB(INB), .NOUT(DNOUT), .LNOUT(DLN), .RW(DRW),
                    .FLUSH(DFLUSH)) u_unpack_data (
    .clk(clk), .rst_n(rst_n), .start(start), .dst(in_dst),
    .in_cnt(beat ? nd : {CIW{1'b0}}), .in_data(rd_data >> {nw, 3'b000}), .flush(last),
    .we(d_we), .waddr(d_waddr), .wdata(d_wdata));

  analects_unpack #(.UNIT(WUNIT), .INB(INB), .NOUT(WNOUT), .LNOUT(WLN), .RW(WRW)) u_unpack_weight (
    .clk(clk), .rst_n(rst_n), .start(start), .dst(w_dst),
    .in_cnt(beat ? nw : {CIW{1'b0}}), .in_data(rd_data), .flush(1'b0),
    .we(w_we), .waddr(w_waddr), .wdata(w_wdata));

  assign busy = busy_q;
endmodule
