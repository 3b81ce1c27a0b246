#!/usr/bin/env python3
"""Generates the Analects model zoo: workloads/<model>.csv ("Analects layer table" format).

Every architecture is written out here by hand, following the torchvision 0.14 model
definitions (torchvision/models/*.py) for the CNNs and the papers / reference files named
per model for the GEMM workloads. Nothing outside this repository is read.

Usage:
  scripts/gen_zoo.py            regenerate workloads/*.csv and print the MAC totals table
  scripts/gen_zoo.py --check    regenerate in memory, fail if any workloads/*.csv differs
                                 or if resnet18/resnet50/mobilenet_v2 differ from the
                                 torch-reported tables in workloads/onnx/<m>.layers.json

Format (see workloads/README.md): header
  name,op,N,K,C,H,W,R,S,stride_h,stride_w,pad_h,pad_w,dilation_h,dilation_w,groups
H,W are the layer's INPUT height/width; P,Q are derived:
  P = (H + 2*pad_h - dilation_h*(R-1) - 1) // stride_h + 1
GEMM out[M][N] = A[M][K] x B[K][N]  ->  op=gemm, N=1, K=<N>, C=<K>, H=<M>, W=1.
Linear(I -> O) at batch b              ->  op=fc,   N=b, K=O,   C=I,   H=W=1.
MACs = N*K*P*Q*(C/groups)*R*S.
"""

import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "workloads")

HEADER = ("name,op,N,K,C,H,W,R,S,stride_h,stride_w,pad_h,pad_w,"
          "dilation_h,dilation_w,groups")

TV = "torchvision 0.14"


# --------------------------------------------------------------------------------------
# Layer rows and shape arithmetic
# --------------------------------------------------------------------------------------

def conv_out(h, r, stride, pad, dil=1):
    return (h + 2 * pad - dil * (r - 1) - 1) // stride + 1


def pool_out(h, k, stride, pad=0, ceil_mode=False):
    """torch MaxPool2d/AvgPool2d output size (torch's pooling_output_shape)."""
    num = h + 2 * pad - k
    if ceil_mode:
        out = -(-num // stride) + 1
        # the last window must start inside the (left-padded) input
        if (out - 1) * stride >= h + pad:
            out -= 1
    else:
        out = num // stride + 1
    return out


class Net:
    """Collects layers in forward order and tracks nothing else: callers pass input sizes."""

    def __init__(self, name):
        self.name = name
        self.rows = []

    def conv(self, name, c, k, h, r, stride=1, pad=0, dil=1, groups=1, w=None):
        """Square-kernel conv on an h x w input (w defaults to h); returns the output size."""
        w = h if w is None else w
        assert c % groups == 0 and k % groups == 0, name
        self.rows.append(dict(name=name, op="conv", N=1, K=k, C=c, H=h, W=w, R=r, S=r,
                              stride_h=stride, stride_w=stride, pad_h=pad, pad_w=pad,
                              dilation_h=dil, dilation_w=dil, groups=groups))
        return conv_out(h, r, stride, pad, dil)

    def fc(self, name, in_features, out_features, batch=1):
        self.rows.append(dict(name=name, op="fc", N=batch, K=out_features, C=in_features,
                              H=1, W=1, R=1, S=1, stride_h=1, stride_w=1, pad_h=0, pad_w=0,
                              dilation_h=1, dilation_w=1, groups=1))

    def gemm(self, name, M, N, K):
        """out[M][N] = A[M][K] x B[K][N]."""
        self.rows.append(dict(name=name, op="gemm", N=1, K=N, C=K, H=M, W=1, R=1, S=1,
                              stride_h=1, stride_w=1, pad_h=0, pad_w=0,
                              dilation_h=1, dilation_w=1, groups=1))


COLS = HEADER.split(",")


def row_macs(r):
    p = conv_out(r["H"], r["R"], r["stride_h"], r["pad_h"], r["dilation_h"])
    q = conv_out(r["W"], r["S"], r["stride_w"], r["pad_w"], r["dilation_w"])
    return r["N"] * r["K"] * p * q * (r["C"] // r["groups"]) * r["R"] * r["S"]


def total_macs(rows):
    return sum(row_macs(r) for r in rows)


# --------------------------------------------------------------------------------------
# CNNs (torchvision 0.14, batch 1, 3x224x224 input)
# --------------------------------------------------------------------------------------

def resnet(name, block, layers, groups=1, width_per_group=64):
    """torchvision/models/resnet.py: ResNet-v1.5 (stride on the 3x3 conv of Bottleneck)."""
    n = Net(name)
    h = n.conv("conv1", 3, 64, 224, 7, stride=2, pad=3)            # 112
    h = pool_out(h, 3, 2, 1)                                        # maxpool -> 56
    inplanes = 64
    expansion = 1 if block == "basic" else 4
    for li, (planes, blocks) in enumerate(zip([64, 128, 256, 512], layers)):
        stage_stride = 1 if li == 0 else 2
        for b in range(blocks):
            s = stage_stride if b == 0 else 1
            pre = "layer%d.%d." % (li + 1, b)
            out_ch = planes * expansion
            if block == "basic":
                h1 = n.conv(pre + "conv1", inplanes, planes, h, 3, stride=s, pad=1)
                n.conv(pre + "conv2", planes, planes, h1, 3, stride=1, pad=1)
            else:
                width = int(planes * (width_per_group / 64.0)) * groups
                n.conv(pre + "conv1", inplanes, width, h, 1)
                h1 = n.conv(pre + "conv2", width, width, h, 3, stride=s, pad=1, groups=groups)
                n.conv(pre + "conv3", width, out_ch, h1, 1)
            # downsample runs after the main branch in Bottleneck/BasicBlock.forward
            if s != 1 or inplanes != out_ch:
                n.conv(pre + "downsample.0", inplanes, out_ch, h, 1, stride=s)
            inplanes = out_ch
            h = h1
    n.fc("fc", 512 * expansion, 1000)
    return n


def make_divisible(v, divisor=8, min_value=None):
    """torchvision/models/_utils.py _make_divisible."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def mobilenet_v2():
    """torchvision/models/mobilenetv2.py, width_mult 1.0."""
    n = Net("mobilenet_v2")
    setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2],
               [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]]
    inp = make_divisible(32)
    last = make_divisible(1280)
    h = n.conv("features.0.0", 3, inp, 224, 3, stride=2, pad=1)
    idx = 1
    for t, c, reps, s in setting:
        oup = make_divisible(c)
        for i in range(reps):
            stride = s if i == 0 else 1
            hidden = int(round(inp * t))
            pre = "features.%d.conv." % idx
            j = 0
            if t != 1:
                n.conv(pre + "0.0", inp, hidden, h, 1)
                j = 1
            h2 = n.conv(pre + "%d.0" % j, hidden, hidden, h, 3, stride=stride, pad=1,
                        groups=hidden)
            n.conv(pre + "%d" % (j + 1), hidden, oup, h2, 1)
            h = h2
            inp = oup
            idx += 1
    n.conv("features.%d.0" % idx, inp, last, h, 1)
    n.fc("classifier.1", last, 1000)
    return n


def mnasnet1_0():
    """torchvision/models/mnasnet.py, alpha 1.0: depths [32,16,24,40,80,96,192,320]."""
    n = Net("mnasnet1_0")
    h = n.conv("layers.0", 3, 32, 224, 3, stride=2, pad=1)          # 112
    n.conv("layers.3", 32, 32, h, 3, stride=1, pad=1, groups=32)
    n.conv("layers.6", 32, 16, h, 1)
    # _stack(in, out, kernel, stride, expansion, repeats) at layers.8 .. layers.13
    stacks = [(16, 24, 3, 2, 3, 3), (24, 40, 5, 2, 3, 3), (40, 80, 5, 2, 6, 3),
              (80, 96, 3, 1, 6, 2), (96, 192, 5, 2, 6, 4), (192, 320, 3, 1, 6, 1)]
    for si, (cin, cout, k, s, e, reps) in enumerate(stacks):
        for b in range(reps):
            i_ch = cin if b == 0 else cout
            stride = s if b == 0 else 1
            mid = i_ch * e
            pre = "layers.%d.%d.layers." % (8 + si, b)
            n.conv(pre + "0", i_ch, mid, h, 1)
            h2 = n.conv(pre + "3", mid, mid, h, k, stride=stride, pad=k // 2, groups=mid)
            n.conv(pre + "6", mid, cout, h2, 1)
            h = h2
    n.conv("layers.14", 320, 1280, h, 1)
    n.fc("classifier.1", 1280, 1000)
    return n


def alexnet():
    """torchvision/models/alexnet.py."""
    n = Net("alexnet")
    h = n.conv("features.0", 3, 64, 224, 11, stride=4, pad=2)       # 55
    h = pool_out(h, 3, 2)                                           # 27
    h = n.conv("features.3", 64, 192, h, 5, pad=2)                  # 27
    h = pool_out(h, 3, 2)                                           # 13
    h = n.conv("features.6", 192, 384, h, 3, pad=1)
    h = n.conv("features.8", 384, 256, h, 3, pad=1)
    h = n.conv("features.10", 256, 256, h, 3, pad=1)
    h = pool_out(h, 3, 2)                                           # 6; avgpool(6,6) keeps it
    n.fc("classifier.1", 256 * 6 * 6, 4096)
    n.fc("classifier.4", 4096, 4096)
    n.fc("classifier.6", 4096, 1000)
    return n


def vgg16():
    """torchvision/models/vgg.py, cfg "D", no batch norm."""
    n = Net("vgg16")
    cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
           512, 512, 512, "M"]
    h, c, idx = 224, 3, 0
    for v in cfg:
        if v == "M":
            h = pool_out(h, 2, 2)
            idx += 1
        else:
            h = n.conv("features.%d" % idx, c, v, h, 3, pad=1)
            c = v
            idx += 2                                                # Conv2d, ReLU
    assert h == 7
    n.fc("classifier.0", 512 * 7 * 7, 4096)
    n.fc("classifier.3", 4096, 4096)
    n.fc("classifier.6", 4096, 1000)
    return n


def squeezenet1_0():
    """torchvision/models/squeezenet.py, version 1_0."""
    n = Net("squeezenet1_0")
    h = n.conv("features.0", 3, 96, 224, 7, stride=2)               # 109
    h = pool_out(h, 3, 2, ceil_mode=True)                           # 54

    def fire(i, h, inplanes, sq, e1, e3):
        pre = "features.%d." % i
        n.conv(pre + "squeeze", inplanes, sq, h, 1)
        n.conv(pre + "expand1x1", sq, e1, h, 1)
        n.conv(pre + "expand3x3", sq, e3, h, 3, pad=1)

    fire(3, h, 96, 16, 64, 64)
    fire(4, h, 128, 16, 64, 64)
    fire(5, h, 128, 32, 128, 128)
    h = pool_out(h, 3, 2, ceil_mode=True)                           # 27
    fire(7, h, 256, 32, 128, 128)
    fire(8, h, 256, 48, 192, 192)
    fire(9, h, 384, 48, 192, 192)
    fire(10, h, 384, 64, 256, 256)
    h = pool_out(h, 3, 2, ceil_mode=True)                           # 13
    fire(12, h, 512, 64, 256, 256)
    n.conv("classifier.1", 512, 1000, h, 1)                         # final_conv
    return n


def shufflenet_v2_x1_0():
    """torchvision/models/shufflenetv2.py, stages_repeats [4,8,4], channels [24,116,232,464,1024]."""
    n = Net("shufflenet_v2_x1_0")
    h = n.conv("conv1.0", 3, 24, 224, 3, stride=2, pad=1)           # 112
    h = pool_out(h, 3, 2, 1)                                        # 56
    inp = 24
    for si, (reps, oup) in enumerate(zip([4, 8, 4], [116, 232, 464])):
        bf = oup // 2
        for b in range(reps):
            pre = "stage%d.%d." % (si + 2, b)
            if b == 0:
                # stride 2: out = cat(branch1(x), branch2(x)); branch1 runs first
                h2 = n.conv(pre + "branch1.0", inp, inp, h, 3, stride=2, pad=1, groups=inp)
                n.conv(pre + "branch1.2", inp, bf, h2, 1)
                n.conv(pre + "branch2.0", inp, bf, h, 1)
                n.conv(pre + "branch2.3", bf, bf, h, 3, stride=2, pad=1, groups=bf)
                n.conv(pre + "branch2.5", bf, bf, h2, 1)
                h = h2
            else:
                # stride 1: x1, x2 = chunk(2); branch2 sees bf channels
                n.conv(pre + "branch2.0", bf, bf, h, 1)
                n.conv(pre + "branch2.3", bf, bf, h, 3, stride=1, pad=1, groups=bf)
                n.conv(pre + "branch2.5", bf, bf, h, 1)
        inp = oup
    n.conv("conv5.0", inp, 1024, h, 1)
    n.fc("fc", 1024, 1000)
    return n


def googlenet():
    """torchvision/models/googlenet.py, eval mode, aux heads not run (aux_logits=False)."""
    n = Net("googlenet")
    h = n.conv("conv1.conv", 3, 64, 224, 7, stride=2, pad=3)        # 112
    h = pool_out(h, 3, 2, ceil_mode=True)                           # 56
    n.conv("conv2.conv", 64, 64, h, 1)
    n.conv("conv3.conv", 64, 192, h, 3, pad=1)
    h = pool_out(h, 3, 2, ceil_mode=True)                           # 28

    def inception(name, h, cin, c1, c3r, c3, c5r, c5, pp):
        pre = name + "."
        n.conv(pre + "branch1.conv", cin, c1, h, 1)
        n.conv(pre + "branch2.0.conv", cin, c3r, h, 1)
        n.conv(pre + "branch2.1.conv", c3r, c3, h, 3, pad=1)
        n.conv(pre + "branch3.0.conv", cin, c5r, h, 1)
        # torchvision uses a 3x3 here (pytorch/vision issue 906), not the paper's 5x5
        n.conv(pre + "branch3.1.conv", c5r, c5, h, 3, pad=1)
        # branch4.0 is MaxPool2d(3, stride 1, pad 1, ceil_mode): size unchanged
        n.conv(pre + "branch4.1.conv", cin, pp, h, 1)
        return c1 + c3 + c5 + pp

    c = inception("inception3a", h, 192, 64, 96, 128, 16, 32, 32)
    c = inception("inception3b", h, c, 128, 128, 192, 32, 96, 64)
    h = pool_out(h, 3, 2, ceil_mode=True)                           # 14
    c = inception("inception4a", h, c, 192, 96, 208, 16, 48, 64)
    c = inception("inception4b", h, c, 160, 112, 224, 24, 64, 64)
    c = inception("inception4c", h, c, 128, 128, 256, 24, 64, 64)
    c = inception("inception4d", h, c, 112, 144, 288, 32, 64, 64)
    c = inception("inception4e", h, c, 256, 160, 320, 32, 128, 128)
    h = pool_out(h, 2, 2, ceil_mode=True)                           # 7
    c = inception("inception5a", h, c, 256, 160, 320, 32, 128, 128)
    c = inception("inception5b", h, c, 384, 192, 384, 48, 128, 128)
    assert c == 1024 and h == 7
    n.fc("fc", 1024, 1000)
    return n


def densenet121():
    """torchvision/models/densenet.py: growth 32, blocks (6,12,24,16), init 64, bn_size 4."""
    n = Net("densenet121")
    growth, bn_size = 32, 4
    h = n.conv("features.conv0", 3, 64, 224, 7, stride=2, pad=3)    # 112
    h = pool_out(h, 3, 2, 1)                                        # pool0 -> 56
    c = 64
    for bi, layers in enumerate([6, 12, 24, 16]):
        for li in range(layers):
            pre = "features.denseblock%d.denselayer%d." % (bi + 1, li + 1)
            n.conv(pre + "conv1", c + li * growth, bn_size * growth, h, 1)
            n.conv(pre + "conv2", bn_size * growth, growth, h, 3, pad=1)
        c = c + layers * growth
        if bi != 3:
            n.conv("features.transition%d.conv" % (bi + 1), c, c // 2, h, 1)
            c = c // 2
            h = pool_out(h, 2, 2)                                   # AvgPool2d(2, 2)
    assert c == 1024 and h == 7
    n.fc("classifier", 1024, 1000)
    return n


# --------------------------------------------------------------------------------------
# GEMM workloads
# --------------------------------------------------------------------------------------

def bert_base():
    """BERT-base encoder (Devlin et al. 2018): L=12, hidden 768, 12 heads of 64, FFN 3072.

    Sequence length 512, one sequence. Names follow the HuggingFace BertModel modules.
    Per-head attention GEMMs are written as 12 separate rows per layer (one per head),
    since a gemm row has no batch/repeat count."""
    n = Net("bert_base")
    seq, hid, heads, ffn, layers = 512, 768, 12, 3072, 12
    dh = hid // heads
    for l in range(layers):
        pre = "encoder.layer.%d." % l
        for proj in ("query", "key", "value"):
            n.gemm(pre + "attention.self." + proj, seq, hid, hid)
        for hd in range(heads):
            # scores = Q_h [seq x 64] x K_h^T [64 x seq]
            n.gemm(pre + "attention.self.scores.head%d" % hd, seq, seq, dh)
        for hd in range(heads):
            # context = softmax(scores) [seq x seq] x V_h [seq x 64]
            n.gemm(pre + "attention.self.context.head%d" % hd, seq, dh, seq)
        n.gemm(pre + "attention.output.dense", seq, hid, hid)
        n.gemm(pre + "intermediate.dense", seq, ffn, hid)
        n.gemm(pre + "output.dense", seq, hid, ffn)
    return n


def gnmt():
    """GNMT (Wu et al. 2016) LSTM stack as GEMMs, one time step per layer at batch 128.

    Each LSTM cell step computes all four gates with one GEMM:
      [x_t ; h_{t-1}] (M=batch x K=input+hidden) x W (K x N=4*hidden).
    Layer inputs follow the paper / MLPerf GNMT reference:
      encoder 0 : bidirectional, input = 1024 embedding -> fwd and bwd rows, K = 1024+1024
      encoder 1 : input = concat(fwd, bwd) = 2048      -> K = 2048+1024
      encoder 2-7: input 1024 (residual)                -> K = 1024+1024
      decoder 0 : input = 1024 embedding                -> K = 1024+1024
      decoder 1-7: input = 1024 + 1024 attention ctx    -> K = 2048+1024
    Attention (normalized Bahdanau, as GNMT/MLPerf): per decoder step, over S = 50 source
    positions: query projection, memory (key) projection (one encoder output per source
    step, i.e. per time step), score = v . tanh(q + k) as a GEMV (M = batch*S, N = 1,
    K = 1024) and context = weights [1 x S] x memory [S x 1024] per sentence, written as one
    GEMM of M = batch (same MACs; strictly 128 independent M = 1 products).
    Softmax projection: 1024 -> 32000 wordpiece vocabulary per decoder step."""
    n = Net("gnmt")
    b, hid, vocab, src = 128, 1024, 32000, 50
    g = 4 * hid
    n.gemm("encoder.layer0.fwd", b, g, hid + hid)
    n.gemm("encoder.layer0.bwd", b, g, hid + hid)
    n.gemm("encoder.layer1", b, g, 2 * hid + hid)
    for l in range(2, 8):
        n.gemm("encoder.layer%d" % l, b, g, hid + hid)
    n.gemm("attention.memory_proj", b, hid, hid)
    n.gemm("decoder.layer0", b, g, hid + hid)
    n.gemm("attention.query_proj", b, hid, hid)
    n.gemm("attention.score", b * src, 1, hid)
    n.gemm("attention.context", b, hid, src)
    for l in range(1, 8):
        n.gemm("decoder.layer%d" % l, b, g, 2 * hid + hid)
    n.gemm("classifier", b, vocab, hid)
    return n


# GAMMA data/model/ncf_m.csv (commit 3d6caf8), rows "O,I": output and input features.
NCF_M_ROWS = [(256, 128), (128, 64), (256, 256), (256, 256), (256, 256), (128, 256),
              (256, 128), (128, 64), (64, 128), (128, 2048), (2048, 128), (2048, 128)]


def ncf():
    """NCF MLP layers with exactly the (O, I) sizes of GAMMA's ncf_m.csv, batch 1."""
    n = Net("ncf")
    for i, (o, inp) in enumerate(NCF_M_ROWS):
        n.fc("fc%d" % i, inp, o, batch=1)
    return n


# GAMMA data/model/transformer.csv (commit 3d6caf8): 16 repeats of these rows, read as the
# file's header says, "M,N,K" (the project's ConfuciuX reader reads them the same way).
TRANSFORMER_BLOCK = [("attn.in_proj", 512, 768, 768), ("attn.head_gemm1", 512, 64, 512),
                     ("attn.head_gemm2", 64, 512, 512), ("attn.out_proj", 512, 768, 768),
                     ("ffn.gemm1", 512, 768, 3072), ("ffn.gemm2", 512, 3072, 768)]


def transformer():
    """Row for row the GEMMs of GAMMA's transformer.csv (M,N,K taken verbatim)."""
    n = Net("transformer")
    for l in range(16):
        for name, M, N, K in TRANSFORMER_BLOCK:
            n.gemm("block%d.%s" % (l, name), M, N, K)
    return n


# --------------------------------------------------------------------------------------
# Zoo table
# --------------------------------------------------------------------------------------

def _src(fn, extra=""):
    return "%s torchvision.models.%s() architecture%s; batch 1; 3x224x224 input" % (TV, fn, extra)


# (file stem, builder, "# model:" name, "# source:" text, extra comment lines,
#  published GMACs or None)
ZOO = [
    ("resnet18", lambda: resnet("resnet18", "basic", [2, 2, 2, 2]), "resnet18",
     _src("resnet18") + "; matches workloads/onnx/resnet18.layers.json (torch-reported)",
     [], 1.81),
    ("resnet50", lambda: resnet("resnet50", "bottleneck", [3, 4, 6, 3]), "resnet50",
     _src("resnet50") + "; matches workloads/onnx/resnet50.layers.json (torch-reported)",
     ["ResNet v1.5: stride 2 on the 3x3 conv2 of the first block of layer2-4"], 4.09),
    ("mobilenet_v2", mobilenet_v2, "mobilenet_v2",
     _src("mobilenet_v2") + "; matches workloads/onnx/mobilenet_v2.layers.json (torch-reported)",
     [], 0.30),
    ("mnasnet", mnasnet1_0, "mnasnet1_0", _src("mnasnet1_0"), [], 0.31),
    ("vgg16", vgg16, "vgg16", _src("vgg16"), [], 15.47),
    ("alexnet", alexnet, "alexnet", _src("alexnet"),
     ["classifier.1 input = 256*6*6 after AdaptiveAvgPool2d((6,6)) (identity at 224x224)"], 0.71),
    ("squeezenet", squeezenet1_0, "squeezenet1_0", _src("squeezenet1_0"),
     ["MaxPool2d(3, 2, ceil_mode=True): 109 -> 54 -> 27 -> 13; classifier.1 is the final 1x1 conv"],
     0.82),
    ("shufflenet_v2", shufflenet_v2_x1_0, "shufflenet_v2_x1_0", _src("shufflenet_v2_x1_0"),
     ["stride-2 units run branch1 then branch2; stride-1 units convolve half the channels"], 0.14),
    ("googlenet", googlenet, "googlenet",
     _src("googlenet", " (eval mode; aux1/aux2 heads not run)"),
     ["branch3.1 is 3x3 as in torchvision (not the paper's 5x5); MaxPool2d ceil_mode=True"], 1.50),
    ("densenet121", densenet121, "densenet121", _src("densenet121"), [], 2.83),
    ("resnext50", lambda: resnet("resnext50_32x4d", "bottleneck", [3, 4, 6, 3], groups=32,
                                 width_per_group=4), "resnext50_32x4d", _src("resnext50_32x4d"),
     ["conv2 width = int(planes * 4/64) * 32 = 2*planes, groups = 32"], 4.23),
    ("bert_base", bert_base, "bert_base",
     "BERT-base encoder (Devlin et al. 2018, arXiv:1810.04805): 12 layers; hidden 768; "
     "12 heads x 64; FFN 3072; sequence length 512; batch 1",
     ["rows per layer: query/key/value projections [M=512 N=768 K=768];",
      "  12 per-head score GEMMs Q_h x K_h^T [M=512 N=512 K=64] (one row per head);",
      "  12 per-head context GEMMs P_h x V_h [M=512 N=64 K=512] (one row per head);",
      "  attention.output.dense [512 768 768]; intermediate.dense (FFN1) [512 3072 768];",
      "  output.dense (FFN2) [512 768 3072]",
      "per-head GEMMs are separate rows because a gemm row has no repeat count (N must be 1)",
      "not included: embeddings (lookups), pooler, softmax/layernorm/GELU (no MACs of GEMM form)",
      "gemm encoding: H=M, K=N, C=K (out[M][N] = A[M][K] x B[K][N])"], None),
    ("gnmt", gnmt, "gnmt",
     "GNMT (Wu et al. 2016, arXiv:1609.08144) LSTM layers as gate GEMMs; layer inputs as in "
     "the MLPerf GNMT reference; one time step of every layer; batch 128",
     ["LSTM step: gates = [x_t ; h_{t-1}] x W -> M = batch 128, N = 4*hidden = 4096, "
      "K = input + hidden (hidden 1024)",
      "encoder.layer0: bidirectional (fwd and bwd rows), input = 1024-d embedding -> K = 2048",
      "encoder.layer1: input = concat(fwd, bwd) 2048 -> K = 3072; encoder.layer2-7: K = 2048",
      "decoder.layer0: input = 1024-d embedding -> K = 2048 (its output is the attention query)",
      "decoder.layer1-7: input = 1024 + 1024 attention context -> K = 3072",
      "attention (normalized Bahdanau, source length S = 50 assumed): memory_proj = key "
      "projection of one encoder output [128 1024 1024] per source step;",
      "  query_proj [128 1024 1024]; score = v . tanh(q + k) as GEMV [M = 128*50 N = 1 K = 1024];",
      "  context = weights x memory per sentence written as one GEMM [M = 128 N = 1024 K = 50] "
      "(same MACs as 128 batched M = 1 products)",
      "classifier: softmax projection to the 32000 wordpiece vocabulary [128 32000 1024]",
      "the gate GEMM shapes agree with GAMMA data/modelfile/gnmt_gemm_m.csv "
      "(128 x 2048/3072 x 4096)",
      "gemm encoding: H=M, K=N, C=K"], None),
    ("ncf", ncf, "ncf",
     "NCF MLP (He et al. 2017) FC layers: (out, in) sizes row for row from GAMMA "
     "maestro-project/gamma data/model/ncf_m.csv (commit 3d6caf8); batch 1",
     ["row i of ncf_m.csv 'O,I' -> fc<i>: K = O, C = I",
      "batch 1 assumed (the reference file has no batch; its MACs per row are O*I);",
      "  GAMMA's data/modelfile/ncf_gemm_m.csv uses the same sizes at batch 2048",
      "the reference does not name the rows; fc0..fc11 keep its order"], None),
    ("transformer", transformer, "transformer",
     "GAMMA maestro-project/gamma data/model/transformer.csv (commit 3d6caf8): 16 blocks "
     "of 6 GEMMs; M,N,K taken verbatim from each row",
     ["reference rows 'M,N,K' -> op=gemm H=M, K=N, C=K; row order and values unchanged",
      "per block, in reference order: [512 768 768] in_proj (one 768->768 projection), "
      "[512 64 512] head_gemm1 (= P_h x V_h of one 64-wide head),",
      "  [64 512 512] head_gemm2 (same MACs as one head's Q_h x K_h^T = [512 512 64], dims "
      "permuted as in the reference), [512 768 768] out_proj,",
      "  [512 768 3072] ffn.gemm1 (reduces 3072 -> 768), [512 3072 768] ffn.gemm2 (768 -> 3072)",
      "read as M,K,N instead, the block would be QK^T, (PV)^T, FFN1, FFN2 in order; we keep "
      "the header's M,N,K so shapes and MACs equal the reference read by the project",
      "the reference lists ONE projection and ONE head per attention GEMM per block "
      "(not Q,K,V and 12 heads): it is a per-block shape list; bert_base.csv has the full count",
      "row names are ours (the reference has none)"], None),
]


# torchvision 0.14 weights metadata "_ops" (GFLOPS as torchvision publishes them, which are
# multiply-accumulates of Conv2d and Linear layers, in G) for each model's default weights.
TV_OPS = {"resnet18": 1.814, "resnet50": 4.089, "mobilenet_v2": 0.301, "mnasnet": 0.314,
          "vgg16": 15.47, "alexnet": 0.714, "squeezenet": 0.819, "shufflenet_v2": 0.145,
          "googlenet": 1.498, "densenet121": 2.834, "resnext50": 4.23}


def render(stem, net, model, source, extra):
    lines = ["# model: %s" % model, "# source: %s" % source]
    for e in extra:
        lines.append("# " + e)
    lines.append("# layers: %d; MACs: %d" % (len(net.rows), total_macs(net.rows)))
    lines.append("# generated by scripts/gen_zoo.py")
    lines.append(HEADER)
    for r in net.rows:
        assert "," not in r["name"]
        lines.append(",".join(str(r[c]) for c in COLS))
    return "\n".join(lines) + "\n"


def check_against_json(stem, net):
    """Compare with workloads/onnx/<stem>.layers.json (torch-reported shapes). Returns errors."""
    path = os.path.join(OUT, "onnx", stem + ".layers.json")
    if not os.path.exists(path):
        return []
    ref = json.load(open(path))
    errs = []
    if len(ref) != len(net.rows):
        errs.append("%s: %d layers, json has %d" % (stem, len(net.rows), len(ref)))
    for r, j in zip(net.rows, ref):
        if j["op"] == "linear":
            want = dict(name=j["name"], op="fc", N=j["in_shape"][0], K=j["K"], C=j["C"],
                        H=1, W=1, R=1, S=1, stride_h=1, stride_w=1, pad_h=0, pad_w=0,
                        dilation_h=1, dilation_w=1, groups=1)
        else:
            want = dict(name=j["name"], op="conv", N=j["N"], K=j["K"], C=j["C"], H=j["H"],
                        W=j["W"], R=j["R"], S=j["S"], stride_h=j["stride"][0],
                        stride_w=j["stride"][1], pad_h=j["pad"][0], pad_w=j["pad"][1],
                        dilation_h=j["dilation"][0], dilation_w=j["dilation"][1],
                        groups=j["groups"])
            p = conv_out(r["H"], r["R"], r["stride_h"], r["pad_h"], r["dilation_h"])
            q = conv_out(r["W"], r["S"], r["stride_w"], r["pad_w"], r["dilation_w"])
            if (p, q) != (j["P"], j["Q"]):
                errs.append("%s: %s: P,Q %s vs json %s" % (stem, r["name"], (p, q),
                                                           (j["P"], j["Q"])))
        if want != r:
            errs.append("%s: %s differs from json %s" % (stem, r, want))
    return errs


def check_against_reference(stem, net):
    """transformer/ncf must equal GAMMA's rows in workloads/confuciux/ row for row."""
    ref_file = {"transformer": "transformer.csv", "ncf": "ncf_m.csv"}.get(stem)
    path = os.path.join(OUT, "confuciux", ref_file) if ref_file else None
    if not path or not os.path.exists(path):
        return []
    rows = [l.strip().split(",") for l in open(path) if l.strip()][1:]
    if stem == "transformer":   # M,N,K,1,1,1,3  ->  H=M, K=N, C=K
        ref = [(int(r[0]), int(r[1]), int(r[2])) for r in rows]
        got = [(r["H"], r["K"], r["C"]) for r in net.rows]
    else:                       # O,I,1,1,1,1,0  ->  K=O, C=I
        ref = [(int(r[0]), int(r[1])) for r in rows]
        got = [(r["K"], r["C"]) for r in net.rows]
    return [] if ref == got else ["%s differs from %s" % (stem, path)]


def main(argv):
    check = "--check" in argv
    errors = []
    table = []
    for stem, build, model, source, extra, published in ZOO:
        net = build()
        # "# model:" is the file stem, the name the zoo is looked up by; the torchvision
        # builder name is in the "# source:" line
        text = render(stem, net, stem, source, extra)
        errors += check_against_json(stem, net)
        errors += check_against_reference(stem, net)
        path = os.path.join(OUT, stem + ".csv")
        if check:
            if not os.path.exists(path) or open(path).read() != text:
                errors.append("%s is missing or differs from the generator" % path)
        else:
            with open(path, "w") as f:
                f.write(text)
        table.append((stem, model, len(net.rows), total_macs(net.rows), published))
        if stem in TV_OPS and abs(total_macs(net.rows) / 1e9 - TV_OPS[stem]) > 0.0006 * TV_OPS[stem] + 5e-4:
            errors.append("%s: %d MACs vs torchvision _ops %s G" % (stem, total_macs(net.rows),
                                                                 TV_OPS[stem]))

    print("%-18s %-19s %6s %14s %9s %9s %8s %8s" % ("file", "model", "layers", "MACs", "GMACs",
                                                   "published", "tv _ops", "diff%"))
    for stem, model, nl, macs, pub in table:
        g = macs / 1e9
        ops = TV_OPS.get(stem)
        if ops:
            print("%-18s %-19s %6d %14d %9.3f %9.2f %8.3f %+8.2f" % (
                stem + ".csv", model, nl, macs, g, pub, ops, 100.0 * (g - ops) / ops))
        else:
            print("%-18s %-19s %6d %14d %9.3f %9s %8s %8s" % (stem + ".csv", model, nl, macs, g,
                                                          "-", "-", "-"))
    for e in errors:
        print("ERROR:", e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
