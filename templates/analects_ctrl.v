// Step controller: runs a layer's steps in lockstep phases. Phase 0 loads step 0; phase j
// (1..steps) computes step j-1 while loading step j and storing step j-2; phase steps+1 stores
// the last step; then the controller waits for the DRAM's write acknowledges. A step whose
// descriptor has no store (a channel tile before the last) starts no store. A phase ends in
// the cycle every engine it started finishes, and the next begins on the following edge, so a
// phase lasts exactly max(compute, load, store) cycles. The cycle counter counts busy cycles.
module analects_ctrl (
  input  wire        clk,
  input  wire        rst_n,
  input  wire        start,
  input  wire [31:0] steps,
  // Descriptor ring.
  input  wire        dq_valid,
  input  wire        dq_loads,    // the descriptor at the ring's output has a load
  output wire        pop,
  output wire        advance,     // a phase ends: the steps in flight move one engine on
  // Engines.
  input  wire        ld_busy, ld_last,
  input  wire        cp_busy, cp_last,
  input  wire        st_busy, st_last,
  input  wire        st_has,      // the step to store next has outputs to store
  input  wire        wr_ack,
  output wire        ld_start,
  output wire        cp_start,
  output wire        st_start,
  // Status.
  output wire        busy,
  output reg         done,
  output reg  [63:0] cycles,
  output reg  [31:0] stalls       // cycles a finished phase waited for a descriptor
);
  reg        run_q, ackwait_q;
  reg [31:0] phase_q, acks_q, stores_q;

  wire [31:0] next     = phase_q + 32'd1;
  wire        all_done = (!ld_busy || ld_last) && (!cp_busy || cp_last) && (!st_busy || st_last);
  wire        epilogue = phase_q == steps + 32'd1;
  wire        need     = next < steps;                     // the next phase loads step `next`
  wire        adv      = run_q && !ackwait_q && all_done && !epilogue && (!need || dq_valid);
  wire        go       = start && !run_q;
  wire        acked    = ackwait_q && acks_q + {31'd0, wr_ack} == stores_q;

  assign pop      = (go && dq_valid) || (adv && need);
  assign advance  = adv;
  assign ld_start = pop && dq_loads;
  assign cp_start = adv && next >= 32'd1 && next <= steps;
  assign st_start = adv && next >= 32'd2 && st_has;

  always @(posedge clk) begin
    if (!rst_n) begin
      run_q     <= 1'b0;
      ackwait_q <= 1'b0;
      done      <= 1'b0;
      cycles    <= 64'd0;
      stalls    <= 32'd0;
      phase_q   <= 32'd0;
      acks_q    <= 32'd0;
      stores_q  <= 32'd0;
    end else if (go) begin
      run_q     <= 1'b1;
      ackwait_q <= 1'b0;
      done      <= 1'b0;
      cycles    <= 64'd0;
      stalls    <= 32'd0;
      phase_q   <= 32'd0;
      acks_q    <= 32'd0;
      stores_q  <= 32'd0;
    end else if (run_q) begin
      cycles <= cycles + 64'd1;
      if (wr_ack) acks_q <= acks_q + 32'd1;
      if (st_start) stores_q <= stores_q + 32'd1;
      if (adv) phase_q <= next;
      if (all_done && !epilogue && !ackwait_q && need && !dq_valid) stalls <= stalls + 32'd1;
      if (epilogue && !ackwait_q && all_done) ackwait_q <= 1'b1;
      if (acked) begin
        run_q <= 1'b0;
        done  <= 1'b1;
      end
    end
  end

  assign busy = run_q;
endmodule
