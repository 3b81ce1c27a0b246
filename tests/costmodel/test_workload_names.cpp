// Layer names in workloads: unique in every format (a layer table naming one twice is an error
// naming both lines; the ONNX importer makes repeated node names unique), and a UTF-8 byte-order
// mark before a CSV header is ignored.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "analects/costmodel/workload.h"

using namespace analects;
namespace fs = std::filesystem;

namespace {

std::string writeTemp(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / "analects_test_workload_names";
  fs::create_directories(dir);
  const fs::path p = dir / name;
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

std::string loadError(const std::string& path) {
  try {
    loadWorkloadFile(path);
  } catch (const WorkloadError& e) {
    return e.what();
  }
  return "";
}

const char kBom[] = "\xEF\xBB\xBF";

}  // namespace

TEST(WorkloadNames, DuplicateLayerTableNamesNameBothLines) {
  const std::string path =
      writeTemp("dup.csv",
                "# model: dup\nname,op,K,C,H,W\nconv1,conv,4,4,8,8\nconv2,conv,4,4,8,8\n"
                "conv1,conv,4,4,8,8\n");
  EXPECT_EQ(loadError(path), path + ": line 5: layer name 'conv1' is already used on line 3");
}

TEST(WorkloadNames, DuplicateNamesInAnyWorkloadAreAnError) {
  Workload w;
  w.source = "mem";
  w.layers = {Layer::conv("a", 4, 4, 8, 8, 1, 1), Layer::conv("b", 4, 4, 8, 8, 1, 1),
              Layer::conv("a", 4, 4, 8, 8, 1, 1)};
  try {
    w.validate();
    FAIL() << "no error";
  } catch (const WorkloadError& e) {
    EXPECT_STREQ(e.what(), "mem: layers 0 and 2 are both named 'a' (names must be unique)");
  }
}

TEST(WorkloadNames, ByteOrderMarkBeforeTheHeaderIsIgnored) {
  const std::string table = std::string(kBom) + "name,op,K,C,H,W\nc,conv,8,4,10,10\n";
  const Workload w = loadWorkloadFile(writeTemp("bom.csv", table));
  ASSERT_EQ(w.layers.size(), 1u);
  EXPECT_EQ(w.layers[0].name, "c");
  EXPECT_EQ(parseLayerTable(table, "mem").layers.size(), 1u);
  // Before a "# model:" line too, and in a ConfuciuX CSV.
  const Workload named =
      parseLayerTable(std::string(kBom) + "# model: tiny\nname,op,K,C\nfc,fc,8,4\n", "mem");
  EXPECT_EQ(named.name, "tiny");
  const Workload cx = loadWorkloadFile(
      writeTemp("bom_cx.csv", std::string(kBom) + "K,C,Y,X,R,S,T\n8,4,10,10,3,3,1\n"));
  EXPECT_EQ(cx.layers.size(), 1u);
}

TEST(WorkloadNames, OnnxRepeatedNodeNamesBecomeUnique) {
  const Workload w = loadWorkloadFile(std::string(ANALECTS_SOURCE_DIR) +
                                      "/tests/costmodel/data/conv_repeated_names.onnx");
  ASSERT_EQ(w.layers.size(), 4u);
  EXPECT_EQ(w.layers[0].name, "conv");
  EXPECT_EQ(w.layers[1].name, "conv_1");
  EXPECT_EQ(w.layers[2].name, "conv_1_1");  // its own name was taken by the second node
  EXPECT_EQ(w.layers[3].name, "conv_2");
}

TEST(WorkloadNames, ZooModelsHaveUniqueNames) {
  for (const std::string& name : zooNames()) EXPECT_NO_THROW(loadZoo(name)) << name;
  for (const char* net : {"resnet18", "mobilenet_v2", "resnet50"})
    EXPECT_NO_THROW(
        loadWorkloadFile(std::string(ANALECTS_SOURCE_DIR) + "/workloads/onnx/" + net + ".onnx"))
        << net;
}
