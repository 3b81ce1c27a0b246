#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "analects/costmodel/workload.h"

using namespace analects;
namespace fs = std::filesystem;

namespace {

std::string source(const std::string& rel) { return std::string(ANALECTS_SOURCE_DIR) + "/" + rel; }

std::string writeTemp(const std::string& name, const std::string& text) {
  fs::path dir = fs::temp_directory_path() / "analects_test_importers";
  fs::create_directories(dir);
  fs::path p = dir / name;
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

// Expects loadWorkloadFile to fail with a message containing every fragment.
void expectLoadError(const std::string& path, std::vector<std::string> fragments) {
  try {
    loadWorkloadFile(path);
    FAIL() << "no error for " << path;
  } catch (const WorkloadError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "error must be one line: " << msg;
    for (const auto& f : fragments) EXPECT_NE(msg.find(f), std::string::npos) << msg;
  }
}

}  // namespace

TEST(LayerTable, RoundTrip) {
  Workload w;
  w.name = "tiny";
  w.layers.push_back(Layer::conv("c1", 16, 3, 32, 32, 3, 3, 2, 1));
  w.layers.push_back(Layer::conv("dw", 16, 16, 16, 16, 3, 3, 1, 1, 16));
  w.layers.push_back(Layer::gemm("g", 128, 64, 32));
  w.layers.push_back(Layer::fc("fc", 10, 256, 2));
  Layer a = Layer::conv("same", 8, 16, 15, 15, 3, 3, 2, 0);
  a.padHEnd = a.padWEnd = 1;
  w.layers.push_back(a);
  std::string text = writeLayerTable(w);
  Workload back = parseLayerTable(text, "mem");
  EXPECT_EQ(back.name, "tiny");
  ASSERT_EQ(back.layers.size(), w.layers.size());
  for (size_t i = 0; i < w.layers.size(); ++i) {
    EXPECT_EQ(back.layers[i].name, w.layers[i].name);
    EXPECT_EQ(back.layers[i].op, w.layers[i].op);
    EXPECT_EQ(back.layers[i].macs(), w.layers[i].macs());
    EXPECT_EQ(back.layers[i].P(), w.layers[i].P());
    EXPECT_EQ(back.layers[i].padHEnd, w.layers[i].padHEnd);
  }
}

TEST(LayerTable, OptionalColumnsDefault) {
  Workload w = parseLayerTable("name,op,K,C,H,W,R,S\nc,conv,8,4,10,10,3,3\n", "mem");
  ASSERT_EQ(w.layers.size(), 1u);
  EXPECT_EQ(w.layers[0].P(), 8);
  EXPECT_EQ(w.layers[0].strideH, 1);
}

TEST(LayerTable, BadInputNamesFileLineAndField) {
  expectLoadError(writeTemp("empty.csv", ""), {"empty.csv", "empty"});
  expectLoadError(writeTemp("comments.csv", "# nothing\n\n"), {"comments.csv", "empty"});
  expectLoadError(writeTemp("nocol.csv", "name,op,K,H\nc,conv,8,10\n"),
                  {"nocol.csv", "line 1", "missing required column 'C'"});
  expectLoadError(writeTemp("zero.csv", "name,op,K,C,H,W\nc,conv,0,4,10,10\n"),
                  {"zero.csv", "line 2", "K = 0"});
  expectLoadError(writeTemp("neg.csv", "name,op,K,C,H,W\nc,conv,4,4,-10,10\n"),
                  {"neg.csv", "line 2", "H = -10"});
  expectLoadError(writeTemp("stride0.csv",
                            "name,op,K,C,H,W,R,S,stride_h\nc,conv,4,4,10,10,3,3,0\n"),
                  {"stride0.csv", "line 2", "stride_h"});
  expectLoadError(writeTemp("bigk.csv", "name,op,K,C,H,W,R,S,pad_h,pad_w\nc,conv,4,4,5,5,9,9,1,1\n"),
                  {"bigk.csv", "line 2", "larger than the padded input"});
  expectLoadError(writeTemp("text.csv", "name,op,K,C,H,W\nc,conv,four,4,10,10\n"),
                  {"text.csv", "line 2", "'K'", "not a whole number"});
  expectLoadError(writeTemp("cells.csv", "name,op,K,C,H,W\nc,conv,4,4,10\n"),
                  {"cells.csv", "line 2", "cells"});
  expectLoadError(writeTemp("op.csv", "name,op,K,C\nc,pool,4,4\n"), {"op.csv", "line 2", "pool"});
  expectLoadError(writeTemp("unk.csv", "name,op,K,C,colour\nc,conv,4,4,red\n"),
                  {"unk.csv", "unknown column 'colour'"});
  expectLoadError(writeTemp("garbage.csv", "\x01\x02hello world\n"), {"garbage.csv", "header"});
  expectLoadError(fs::temp_directory_path().string(), {"is a directory"});
  expectLoadError("/nonexistent/net.csv", {"/nonexistent/net.csv", "no such file"});
}

TEST(ConfuciuxCsv, ReadsAsStrideOneWithWarning) {
  std::string path = writeTemp("cx.csv",
                               "K,C,Y,X,R,S,T\n32,3,224,224,3,3,1\n1,32,112,112,3,3,2\n");
  Workload w = loadWorkloadFile(path);
  ASSERT_EQ(w.layers.size(), 2u);
  EXPECT_EQ(w.layers[0].P(), 222);  // stride 1, no padding, as ConfuciuX means it
  EXPECT_TRUE(w.layers[1].isDepthwise());
  EXPECT_EQ(w.layers[1].C, 32);
  EXPECT_EQ(w.layers[1].macs(), 32LL * 110 * 110 * 9);
  ASSERT_FALSE(w.warnings.empty());
  EXPECT_NE(w.warnings[0].find("no strides"), std::string::npos);
}

TEST(ConfuciuxCsv, GemmAndFcVariants) {
  Workload g = loadWorkloadFile(writeTemp("g.csv", "M,N,K,0,0,0,T\n512,768,64,1,1,1,3\n"));
  EXPECT_EQ(g.layers[0].op, OpType::Gemm);
  EXPECT_EQ(g.layers[0].macs(), 512LL * 768 * 64);
  Workload f = loadWorkloadFile(writeTemp("f.csv", "O,I,0,0,0,0,T\n256,128,1,1,1,1,0\n"));
  EXPECT_EQ(f.layers[0].op, OpType::Fc);
  EXPECT_EQ(f.layers[0].macs(), 256 * 128);
  expectLoadError(writeTemp("badt.csv", "K,C,Y,X,R,S,T\n4,4,8,8,3,3,7\n"),
                  {"badt.csv", "line 2", "'T'"});
  expectLoadError(writeTemp("short.csv", "K,C,Y,X,R,S,T\n4,4,8,8,3\n"), {"short.csv", "line 2"});
}

TEST(ConfuciuxCsv, ReferenceFilesLoad) {
  for (const auto& e : fs::directory_iterator(source("workloads/confuciux"))) {
    Workload w = loadWorkloadFile(e.path().string());
    EXPECT_GT(w.totalMacs(), 0) << e.path();
  }
}

class OnnxGroundTruth : public ::testing::TestWithParam<std::string> {};

TEST_P(OnnxGroundTruth, MatchesTorchLayerTable) {
  std::string model = GetParam();
  Workload w = loadWorkloadFile(source("workloads/onnx/" + model + ".onnx"));
  std::ifstream in(source("workloads/onnx/" + model + ".layers.json"));
  auto truth = nlohmann::json::parse(in);
  ASSERT_EQ(w.layers.size(), truth.size());
  int64_t truthMacs = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    const auto& t = truth[i];
    const Layer& l = w.layers[i];
    EXPECT_EQ(l.name, t["name"].get<std::string>()) << i;
    EXPECT_EQ(l.C, t["C"].get<int64_t>()) << l.name;
    EXPECT_EQ(l.K, t["K"].get<int64_t>()) << l.name;
    if (t["op"] == "conv") {
      EXPECT_EQ(l.op, OpType::Conv);
      EXPECT_EQ(l.H, t["H"].get<int64_t>()) << l.name;
      EXPECT_EQ(l.W, t["W"].get<int64_t>()) << l.name;
      EXPECT_EQ(l.R, t["R"].get<int64_t>()) << l.name;
      EXPECT_EQ(l.S, t["S"].get<int64_t>()) << l.name;
      EXPECT_EQ(l.strideH, t["stride"][0].get<int64_t>()) << l.name;
      EXPECT_EQ(l.padH, t["pad"][0].get<int64_t>()) << l.name;
      EXPECT_EQ(l.groups, t["groups"].get<int64_t>()) << l.name;
      EXPECT_EQ(l.P(), t["P"].get<int64_t>()) << l.name;
      EXPECT_EQ(l.Q(), t["Q"].get<int64_t>()) << l.name;
      truthMacs += t["K"].get<int64_t>() * t["P"].get<int64_t>() * t["Q"].get<int64_t>() *
                   (t["C"].get<int64_t>() / t["groups"].get<int64_t>()) * t["R"].get<int64_t>() *
                   t["S"].get<int64_t>();
    } else {
      EXPECT_EQ(l.op, OpType::Fc);
      truthMacs += t["C"].get<int64_t>() * t["K"].get<int64_t>();
    }
  }
  EXPECT_EQ(w.totalMacs(), truthMacs);
  EXPECT_FALSE(w.skippedOps.empty());  // Relu, Add, pooling ... are listed
}

INSTANTIATE_TEST_SUITE_P(Torchvision, OnnxGroundTruth,
                         ::testing::Values("resnet18", "mobilenet_v2", "resnet50"));

TEST(Onnx, BadFiles) {
  expectLoadError(writeTemp("garbage.onnx", "this is not a protobuf at all \xff\xfe"),
                  {"garbage.onnx"});
  std::ifstream in(source("workloads/onnx/resnet18.onnx"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  expectLoadError(writeTemp("truncated.onnx", bytes.substr(0, bytes.size() / 3)),
                  {"truncated.onnx"});
  expectLoadError(writeTemp("empty.onnx", ""), {"empty.onnx"});
  // Attribute lists of the wrong length (tests/costmodel/data/README.md) name node and attribute.
  expectLoadError(source("tests/costmodel/data/conv_bad_pads.onnx"),
                  {"conv_bad_pads.onnx", "node 0", "'pads' has 2 values"});
  expectLoadError(source("tests/costmodel/data/conv_bad_strides.onnx"),
                  {"conv_bad_strides.onnx", "strides"});
}
