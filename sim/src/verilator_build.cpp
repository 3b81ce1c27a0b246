// Verilator build driver: one shared library per (design, trace) in the model cache.
#include "verilator_build.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dut_ports.h"
#include "shim_sources.h"

extern char** environ;

namespace analects::sim {

namespace fs = std::filesystem;

namespace {

// FNV-1a, 64 bit: stable across runs and platforms (std::hash is not).
struct Fnv {
  uint64_t h = 1469598103934665603ull;
  void add(const std::string& s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;  // separator: "ab","c" != "a","bc"
  }
};

std::string readText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw SimError(fmt::format("cannot read '{}'", path));
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

void writeText(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  if (!f) throw SimError(fmt::format("cannot write '{}'", path.string()));
}

// Runs argv with stdout and stderr into logPath; returns the exit status (-1: not started).
int run(const std::vector<std::string>& args, const std::string& logPath) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string verilatorVersion() {
  static std::string version = [] {
    std::string out;
    if (FILE* p = popen("verilator --version 2>/dev/null", "r")) {
      char buf[256];
      while (fgets(buf, sizeof buf, p)) out += buf;
      pclose(p);
    }
    if (out.empty())
      throw SimError("verilator was not found on PATH (scripts/setup.sh installs it)");
    return out;
  }();
  return version;
}

std::string tail(const std::string& path, size_t lines) {
  std::ifstream f(path);
  std::vector<std::string> all;
  for (std::string line; std::getline(f, line);) all.push_back(line);
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
    out += all[i] + "\n";
  return out;
}

}  // namespace

std::string defaultCacheDir() {
  if (const char* d = std::getenv("ANALECTS_SIM_CACHE"); d && *d) return d;
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d && *d)
    return (fs::path(d) / "analects" / "verilated").string();
  if (const char* d = std::getenv("HOME"); d && *d)
    return (fs::path(d) / ".cache" / "analects" / "verilated").string();
  return (fs::temp_directory_path() / "analects-verilated").string();
}

ModelBuild buildVerilatedModel(const rtlgen::Design& design, bool trace, const SimOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  const int jobs = std::max(1, o.buildJobs);
  // Small C++ optimization: models are small and builds share two cores with everything else.
  const std::vector<std::string> flags = {
      "--sc",        "--build",    "--exe",
      "--no-timing", "-Wno-fatal", "--prefix",
      "Vdut",        "-MAKEFLAGS", "OPT_FAST=-O1 OPT_SLOW=-O0 OPT_GLOBAL=-O1",
      "-LDFLAGS",    "-shared"};
  Fnv hash;
  hash.add(fmt::format("abi {}", analects_dut::kAbi));
  hash.add(verilatorVersion());
  for (const auto& f : flags) hash.add(f);
  hash.add(trace ? "trace-fst" : "no-trace");
  hash.add(kShimSource);
  hash.add(kPortsHeader);
  hash.add(design.top);
  for (const auto& src : design.sources) {
    hash.add(fs::path(src).filename().string());
    hash.add(readText(src));
  }
  const fs::path cache = o.cacheDir.empty() ? defaultCacheDir() : o.cacheDir;
  const std::string key = fmt::format("{}-{:016x}{}", design.top, hash.h, trace ? "-fst" : "");
  const fs::path dir = cache / key;
  const fs::path library = dir / "libdut.so";
  ModelBuild b;
  b.library = library.string();
  if (fs::exists(library)) {
    b.cached = true;
    return b;
  }

  std::error_code ec;
  fs::create_directories(cache, ec);
  if (ec)
    throw SimError(
        fmt::format("cannot create the model cache '{}': {}", cache.string(), ec.message()));
  // One builder per model; others wait here and then find the library.
  const std::string lockPath = (cache / (key + ".lock")).string();
  int lock = ::open(lockPath.c_str(), O_CREAT | O_RDWR, 0644);
  if (lock < 0) throw SimError(fmt::format("cannot open '{}'", lockPath));
  while (flock(lock, LOCK_EX) != 0) {
  }
  struct Unlock {
    int fd;
    ~Unlock() { ::close(fd); }
  } unlock{lock};
  if (fs::exists(library)) {
    b.cached = true;
    return b;
  }
  if (o.log)
    o.log(fmt::format("building the Verilated model of {} (once; cached in {})", design.top,
                      dir.string()));

  const fs::path work = cache / (key + ".build");
  fs::remove_all(work, ec);
  fs::create_directories(work);
  writeText(work / "dut_shim.cpp", kShimSource);
  writeText(work / "dut_ports.h", kPortsHeader);
  std::vector<std::string> args = {"verilator"};
  args.insert(args.end(), flags.begin(), flags.end());
  if (trace) args.push_back("--trace-fst");
  args.insert(args.end(),
              {"-j", std::to_string(jobs), "--top-module", design.top, "-Mdir", work.string(),
               "-CFLAGS", fmt::format("-fPIC -std=c++17 -I{}", work.string())});
  for (const auto& src : design.sources) args.push_back(src);
  args.insert(args.end(), {(work / "dut_shim.cpp").string(), "-o", "libdut.so"});
  const std::string log = (work / "build.log").string();
  int rc = run(args, log);
  if (rc != 0 || !fs::exists(work / "libdut.so"))
    throw SimError(fmt::format("Verilator build of {} failed (exit {}); log {}:\n{}", design.top,
                               rc, log, tail(log, 25)));
  // Keep the library and the log; the objects are large and rebuilt from scratch if needed.
  fs::create_directories(dir);
  fs::rename(work / "libdut.so", dir / "libdut.so.tmp");
  fs::rename(work / "build.log", dir / "build.log");
  fs::rename(dir / "libdut.so.tmp", library);
  fs::remove_all(work, ec);
  b.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return b;
}

}  // namespace analects::sim
