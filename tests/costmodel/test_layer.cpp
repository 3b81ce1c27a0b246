#include <gtest/gtest.h>

#include "analects/costmodel/layer.h"

using namespace analects;

TEST(Layer, ConvOutputDimsAndMacs) {
  // ResNet-50 3x3 K=C=64 on 56x56 with pad 1: 115,605,504 MACs (REFERENCE.md worked example).
  Layer l = Layer::conv("c", 64, 64, 56, 56, 3, 3, 1, 1);
  EXPECT_EQ(l.P(), 56);
  EXPECT_EQ(l.Q(), 56);
  EXPECT_EQ(l.macs(), 115605504);
  EXPECT_NO_THROW(l.validate());
}

TEST(Layer, StridedPaddedDilatedConv) {
  Layer l = Layer::conv("conv1", 64, 3, 224, 224, 7, 7, 2, 3);
  EXPECT_EQ(l.P(), 112);
  EXPECT_EQ(l.Q(), 112);
  EXPECT_EQ(l.macs(), 64LL * 112 * 112 * 3 * 49);
  Layer d = Layer::conv("d", 8, 8, 16, 16, 3, 3, 1, 2);
  d.dilationH = d.dilationW = 2;
  EXPECT_EQ(d.effectiveR(), 5);
  EXPECT_EQ(d.P(), 16);
  Layer a = Layer::conv("a", 8, 8, 15, 15, 3, 3, 2, 0);
  a.padHEnd = 1;  // asymmetric "SAME" padding
  EXPECT_EQ(a.P(), 7);
  EXPECT_EQ(a.Q(), 7);
}

TEST(Layer, DepthwiseGroups) {
  Layer l = Layer::conv("dw", 32, 32, 112, 112, 3, 3, 1, 1, 32);
  EXPECT_TRUE(l.isDepthwise());
  EXPECT_EQ(l.macs(), 32LL * 112 * 112 * 9);
  EXPECT_EQ(l.weightElems(), 32 * 9);
  Layer g = Layer::conv("g", 64, 64, 8, 8, 3, 3, 1, 1, 32);
  EXPECT_FALSE(g.isDepthwise());
  EXPECT_EQ(g.macs(), 64LL * 64 * 2 * 9);
}

TEST(Layer, GemmAndFcMapping) {
  Layer g = Layer::gemm("qkv", 512, 768, 64);
  EXPECT_EQ(g.P(), 512);
  EXPECT_EQ(g.Q(), 1);
  EXPECT_EQ(g.macs(), 512LL * 768 * 64);
  EXPECT_EQ(g.gemmM(), 512);
  Layer f = Layer::fc("fc", 1000, 2048, 4);
  EXPECT_EQ(f.macs(), 4LL * 1000 * 2048);
  EXPECT_EQ(f.gemmM(), 4);
  EXPECT_NO_THROW(g.validate());
  EXPECT_NO_THROW(f.validate());
}

TEST(Layer, ValidationNamesLayerAndField) {
  auto expectError = [](Layer l, const std::string& fragment) {
    try {
      l.validate();
      FAIL() << "no error for " << fragment;
    } catch (const WorkloadError& e) {
      std::string msg = e.what();
      EXPECT_NE(msg.find(l.name), std::string::npos) << msg;
      EXPECT_NE(msg.find(fragment), std::string::npos) << msg;
    }
  };
  Layer l = Layer::conv("conv2", 8, 8, 8, 8, 3, 3);
  l.strideH = 0;
  expectError(l, "stride_h");
  l = Layer::conv("conv3", 0, 8, 8, 8, 3, 3);
  expectError(l, "K = 0");
  l = Layer::conv("conv4", 8, -3, 8, 8, 3, 3);
  expectError(l, "C = -3");
  l = Layer::conv("conv5", 8, 8, 4, 4, 7, 7);
  expectError(l, "larger than the padded input");
  l = Layer::conv("conv6", 8, 6, 8, 8, 3, 3, 1, 1, 4);
  expectError(l, "divisible by groups");
  Layer f = Layer::fc("fc7", 10, 10);
  f.R = 3;
  expectError(f, "R = S = 1");
  // Every dimension in range, their products beyond what 64-bit counts hold (MACs would wrap
  // to negative cycles): a named error, before any model sees the layer.
  l = Layer::conv("huge", 65536, 65536, 4096, 4096, 11, 11, 1, 5);
  expectError(l, "input N*C*H*W");
  l = Layer::conv("wide", 1 << 20, 1 << 20, 1, 1, 1, 1);
  expectError(l, "weights K*(C/groups)*R*S");
  l = Layer::gemm("long", 1 << 16, 1 << 16, 1 << 16);
  expectError(l, "MACs");
  l = Layer::conv("refetch", 1 << 15, 1 << 12, 4096, 4096, 1, 1, 1024);
  expectError(l, "input x kernels");
  Layer big = Layer::conv("big_but_real", 512, 512, 512, 512, 3, 3, 1, 1);  // 2^36 MACs
  big.N = 4;
  EXPECT_NO_THROW(big.validate());
}
