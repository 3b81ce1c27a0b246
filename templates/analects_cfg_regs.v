// Register file behind the narrow configuration port: layer registers (32 bits each), the
// step-descriptor staging words, and the push / start commands.
//   0x000 + i  layer register i (low 32 bits of the write)
//   0x100 + w  word w of the descriptor being staged
//   0x1ff      push the staged descriptor into the descriptor ring
//   0x200      start the layer
module analects_cfg_regs #(
  parameter integer NREG  = 18,  // layer registers
  parameter integer WORDS = 14   // 64-bit words per step descriptor
) (
  input  wire                clk,
  input  wire                rst_n,
  input  wire                cfg_we,
  input  wire [15:0]         cfg_addr,
  input  wire [63:0]         cfg_wdata,
  output wire [32*NREG-1:0]  layer,      // register i in bits [32i+31:32i]
  output reg  [64*WORDS-1:0] staged,     // descriptor being staged
  output wire                push,
  output wire                start
);
  reg [32*NREG-1:0] layer_q;

  integer i;
  always @(posedge clk) begin
    if (!rst_n) begin
      layer_q <= {32*NREG{1'b0}};
      staged  <= {64*WORDS{1'b0}};
    end else if (cfg_we) begin
      for (i = 0; i < NREG; i = i + 1)
        if (cfg_addr == i[15:0]) layer_q[32*i +: 32] <= cfg_wdata[31:0];
      for (i = 0; i < WORDS; i = i + 1)
        if (cfg_addr == 16'h100 + i[15:0]) staged[64*i +: 64] <= cfg_wdata;
    end
  end

  assign layer = layer_q;
  assign push  = cfg_we && cfg_addr == 16'h1ff;
  assign start = cfg_we && cfg_addr == 16'h200;
endmodule
