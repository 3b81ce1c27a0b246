// DMA gearbox from a byte stream (up to INB bytes a cycle) to buffer entries of UNIT bytes.
// Bytes that do not complete an entry wait in a queue; every entry that completes in a cycle,
// including one completed by the bytes arriving in that cycle, is written in that same cycle,
// so the buffer holds a transfer's data the cycle after its last beat. Up to NOUT entries can
// complete per cycle; they go to consecutive addresses, hence to distinct banks.
module analects_unpack #(
  parameter integer UNIT   = 16,  // bytes per buffer entry
  parameter integer INB    = 8,   // bytes per DRAM beat
  parameter integer NOUT   = 1,   // banks = max entries per cycle, a power of two
  parameter integer LNOUT  = 0,   // log2(NOUT)
  parameter integer RW     = 4,   // row address bits of one bank
  parameter integer FLUSH  = 0    // 1: `flush` writes a last, partial entry (zero-filled)
) (
  input  wire                       clk,
  input  wire                       rst_n,
  input  wire                       start,    // a new transfer: empty the queue, set the address
  input  wire [RW+LNOUT-1:0]        dst,      // entry address of the transfer's first entry
  input  wire [CIW-1:0]             in_cnt,   // bytes arriving this cycle (0..INB)
  input  wire [8*INB-1:0]           in_data,  // byte i in bits [8i+7:8i]
  input  wire                       flush,    // the transfer's last bytes arrive this cycle
  output wire [NOUT-1:0]            we,
  output wire [NOUT*RW-1:0]         waddr,
  output wire [NOUT*8*UNIT-1:0]     wdata
);
  localparam integer AW   = RW + LNOUT;
  localparam integer WIN0 = UNIT - 1 + INB;
  localparam integer WIN  = (WIN0 > NOUT * UNIT) ? WIN0 : NOUT * UNIT;  // window bytes
  localparam integer CW   = $clog2(WIN + 1);   // byte-count bits
  localparam integer CIW  = $clog2(INB + 1);
  localparam integer JW   = $clog2(NOUT + 1);  // entry-count bits

  reg  [8*WIN-1:0] queue_q;  // leftover bytes, in order; bytes at and above count_q are zero
  reg  [CW-1:0]    count_q;
  reg  [AW-1:0]    addr_q;   // address of the next entry

  // Arriving bytes, those past in_cnt cleared, placed behind the queued ones.
  wire [8*INB-1:0] in_mask = ~({8*INB{1'b1}} << {in_cnt, 3'b000});
  wire [8*WIN-1:0] in_ext  = {{8*(WIN-INB){1'b0}}, in_data & in_mask};
  wire [8*WIN-1:0] window  = queue_q | (in_ext << {count_q, 3'b000});
  wire [CW-1:0]    total   = count_q + {{(CW-CIW){1'b0}}, in_cnt};
  wire [31:0]      total32 = {{(32-CW){1'b0}}, total};

  // Entries completed this cycle, and what is left over.
  reg [JW-1:0]    done_n;
  reg [8*WIN-1:0] rest;
  reg [CW-1:0]    rest_n;
  integer t;
  always @* begin
    done_n = {JW{1'b0}};
    for (t = 1; t <= NOUT; t = t + 1)
      if (total32 >= t * UNIT) done_n = done_n + {{(JW-1){1'b0}}, 1'b1};
    rest   = window;
    rest_n = total;
    for (t = 1; t <= NOUT; t = t + 1)
      if ({{(32-JW){1'b0}}, done_n} == t) begin
        rest   = window >> (8 * UNIT * t);
        rest_n = total - UNIT[CW-1:0] * t[CW-1:0];
      end
    // A transfer that ends inside an entry writes it as well (the bytes past the end are the
    // queue's zeros); the caller sizes NOUT for the extra entry.
    if (FLUSH != 0 && flush && rest_n != {CW{1'b0}}) begin
      done_n = done_n + {{(JW-1){1'b0}}, 1'b1};
      rest   = {8*WIN{1'b0}};
      rest_n = {CW{1'b0}};
    end
  end

  always @(posedge clk) begin
    if (!rst_n) begin
      queue_q <= {8*WIN{1'b0}};
      count_q <= {CW{1'b0}};
      addr_q  <= {AW{1'b0}};
    end else if (start) begin
      queue_q <= {8*WIN{1'b0}};
      count_q <= {CW{1'b0}};
      addr_q  <= dst;
    end else begin
      queue_q <= rest;
      count_q <= rest_n;
      addr_q  <= addr_q + {{(AW-JW){1'b0}}, done_n};
    end
  end

  genvar gk;
  generate
    if (NOUT == 1) begin : g_one
      assign we    = done_n != {JW{1'b0}};
      assign waddr = addr_q;
      assign wdata = window[8*UNIT-1:0];
    end else begin : g_banked
      for (gk = 0; gk < NOUT; gk = gk + 1) begin : g_bank
        // This bank takes entry k of this cycle's run when (addr + k) mod NOUT == bank.
        wire [LNOUT-1:0] k     = gk[LNOUT-1:0] - addr_q[LNOUT-1:0];
        // Row of entry addr + k: the row of addr, plus one when the bank index wraps.
        wire             wraps = addr_q[LNOUT-1:0] > ~k;
        assign we[gk] = {{(JW-LNOUT){1'b0}}, k} < done_n;
        assign waddr[gk*RW +: RW] = addr_q[AW-1:LNOUT] + {{(RW-1){1'b0}}, wraps};
        assign wdata[gk*8*UNIT +: 8*UNIT] = window[8*UNIT*k +: 8*UNIT];
      end
    end
  endgenerate
endmodule
