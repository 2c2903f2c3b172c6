// Refresh benchmark: the wall time of `gpucost catalog update` when every live provider answers
// slowly. Each of the seven live providers (vastai, runpod, lambda, aws, gcp, azure, oci) gets a
// loopback server of its own that serves the test fixtures after a simulated latency per request;
// the real CLI (cli::run, the code the binary runs) then updates a temporary cache with
// GPUCOST_<P>_URL pointing at those servers. A provider's simulated time is its latency times the
// requests it makes (AWS reads four regions' price lists and the Spot Advisor, Azure and GCP two
// pages, OCI three requests). Fetched one after the other, the refresh would take the sum of those
// times; fetched concurrently, it takes about the largest.
//
// Run by hand: bench_refresh [runs] [provider=ms ...] (defaults: 3 runs; latencies below).
// Not run by ctest; nothing leaves 127.0.0.1.

#include "app.hpp"
#include "loopback_server.hpp"

#include <gpucost/data/data_set.hpp>
#include <gpucost/sources/refresh.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;
using gpucost::test::LoopbackServer;
using gpucost::test::ScriptedResponse;

namespace {

struct Route {
  std::string path;
  std::vector<std::string> fixtures; // served in order; the last one repeats
};

struct ProviderSetup {
  std::string id;
  int latency_ms; // per request
  std::vector<Route> routes;
};

std::vector<ProviderSetup> default_setups() {
  const std::string aws_csv = "aws/offers-us-east-1.csv";
  std::vector<Route> aws_routes;
  for (const char* region : {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1"}) {
    aws_routes.push_back(
        {fmt::format("/offers/v1.0/aws/AmazonEC2/current/{}/index.csv", region), {aws_csv}});
  }
  aws_routes.push_back({"/spot-advisor-data.json", {"aws/spot-advisor-data.json"}});
  return {
      {"vastai", 200, {{"/api/v0/bundles/", {"vastai/bundles.json"}}}},
      {"runpod",
       500,
       {{"/graphql", {"runpod/gputypes.json"}},
        {"/v2/catalog/gpus", {"runpod/catalog-gpus.json"}}}},
      {"lambda", 200, {{"/api/v1/instance-types", {"lambda/instance-types.json"}}}},
      {"aws", 200, aws_routes},
      {"gcp",
       500,
       {{"/v1/services/6F81-5844-456A/skus", {"gcp/skus-page1.json", "gcp/skus-page2.json"}}}},
      {"azure",
       1000,
       {{"/api/retail/prices", {"azure/prices-page1.json", "azure/prices-page2.json"}}}},
      {"oci",
       500,
       {{"/pls/apex/cetools/api/v1/products/",
         {"oci/products-page1.json", "oci/products-page2.json"}},
        {"/a/ocom/docs/cloudestimator2/data/shapes.json", {"oci/shapes.json"}}}},
  };
}

std::string fixture(const std::string& relative) {
  return gpucost::value_or_throw(
      gpucost::read_text_file(std::string(GPUCOST_TEST_FIXTURES) + "/" + relative));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One provider's line of `catalog update`: "<id> ok <n> offers <seconds> s <url>".
struct UpdateLine {
  bool ok = false;
  double seconds = 0;
};

std::map<std::string, UpdateLine> parse_update_output(const std::string& out) {
  std::map<std::string, UpdateLine> lines;
  std::istringstream stream(out);
  std::string line;
  while (std::getline(stream, line)) {
    std::istringstream words(line);
    std::string id;
    std::string state;
    std::string offers;
    std::string unit;
    double seconds = 0;
    if (words >> id >> state && state == "ok" && words >> offers >> unit >> seconds) {
      lines[id] = UpdateLine{.ok = true, .seconds = seconds};
    } else if (!id.empty() && (state == "failed" || state == "skipped")) {
      lines[id] = UpdateLine{.ok = false, .seconds = 0};
    }
  }
  return lines;
}

struct RunResult {
  double wall_s = 0;
  std::map<std::string, UpdateLine> lines;
  std::map<std::string, std::size_t> requests;
};

// One `gpucost catalog update` against fresh servers and an empty cache.
std::optional<RunResult> run_once(const std::vector<ProviderSetup>& setups,
                                  const std::map<std::string, std::string>& fixtures) {
  std::map<std::string, std::string> env;
  std::vector<std::unique_ptr<LoopbackServer>> servers;
  for (const auto& setup : setups) {
    servers.push_back(std::make_unique<LoopbackServer>());
    for (const auto& route : setup.routes) {
      for (const auto& name : route.fixtures) {
        ScriptedResponse response;
        response.body = fixtures.at(name);
        response.delay_ms = setup.latency_ms;
        servers.back()->route(route.path, response);
      }
    }
    env[gpucost::base_url_env(setup.id)] = servers.back()->url();
  }
  std::string cache_pattern = (fs::temp_directory_path() / "gpucost-bench-XXXXXX").string();
  if (::mkdtemp(cache_pattern.data()) == nullptr) {
    fmt::print(stderr, "cannot create a temporary directory\n");
    return std::nullopt;
  }
  const fs::path cache = cache_pattern;
  env["GPUCOST_DATA_DIR"] = GPUCOST_SOURCE_DATADIR;
  env["XDG_CACHE_HOME"] = cache.string();
  env["HOME"] = cache.string();
  for (const char* key : {"VAST_API_KEY", "RUNPOD_API_KEY", "LAMBDA_API_KEY", "GCP_API_KEY"}) {
    env[key] = "bench-key";
  }

  std::ostringstream out;
  std::ostringstream err;
  gpucost::cli::Context context{
      .out = out, .err = err, .env = [&env](std::string_view name) -> std::optional<std::string> {
        const auto it = env.find(std::string(name));
        return it != env.end() ? std::optional(it->second) : std::nullopt;
      }};
  const std::vector<const char*> argv = {"gpucost", "catalog", "update", "--timeout", "30"};
  const auto start = std::chrono::steady_clock::now();
  const int code = gpucost::cli::run(static_cast<int>(argv.size()), argv.data(), context);
  RunResult result;
  result.wall_s = seconds_since(start);
  std::error_code ignored;
  fs::remove_all(cache, ignored);

  result.lines = parse_update_output(out.str());
  bool all_ok = code == 0;
  for (std::size_t i = 0; i < setups.size(); ++i) {
    result.requests[setups[i].id] = servers[i]->request_count();
    const auto line = result.lines.find(setups[i].id);
    all_ok = all_ok && line != result.lines.end() && line->second.ok;
  }
  if (!all_ok) {
    fmt::print(stderr,
               "catalog update did not fetch every provider (exit {}):\n{}{}",
               code,
               out.str(),
               err.str());
    return std::nullopt;
  }
  return result;
}

} // namespace

int main(int argc, char** argv) {
  int runs = 3;
  auto setups = default_setups();
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto equals = arg.find('=');
    if (equals == std::string_view::npos) {
      runs = std::max(1, std::atoi(argv[i]));
      continue;
    }
    const auto setup = std::find_if(setups.begin(), setups.end(), [&](const ProviderSetup& s) {
      return s.id == arg.substr(0, equals);
    });
    if (setup == setups.end()) {
      fmt::print(stderr, "usage: bench_refresh [runs] [provider=ms ...]; unknown \"{}\"\n", arg);
      return 1;
    }
    setup->latency_ms = std::max(0, std::atoi(argv[i] + equals + 1));
  }
  std::map<std::string, std::string> fixtures;
  for (const auto& setup : setups) {
    for (const auto& route : setup.routes) {
      for (const auto& name : route.fixtures) {
        fixtures.emplace(name, fixture(name));
      }
    }
  }

  std::vector<RunResult> results;
  for (int run = 0; run < runs; ++run) {
    auto result = run_once(setups, fixtures);
    if (!result) {
      return 1;
    }
    fmt::print("run {}: wall {:.3f} s\n", run + 1, result->wall_s);
    results.push_back(std::move(*result));
  }
  const auto best =
      std::min_element(results.begin(), results.end(), [](const RunResult& a, const RunResult& b) {
        return a.wall_s < b.wall_s;
      });

  fmt::print("\n{:<8}  {:>10}  {:>8}  {:>13}  {:>12}\n",
             "provider",
             "latency ms",
             "requests",
             "simulated s",
             "reported s");
  double sum_s = 0;
  double max_s = 0;
  for (const auto& setup : setups) {
    const std::size_t requests = best->requests.at(setup.id);
    const double simulated = static_cast<double>(requests) * setup.latency_ms / 1000.0;
    sum_s += simulated;
    max_s = std::max(max_s, simulated);
    fmt::print("{:<8}  {:>10}  {:>8}  {:>13.2f}  {:>12.1f}\n",
               setup.id,
               setup.latency_ms,
               requests,
               simulated,
               best->lines.at(setup.id).seconds);
  }
  fmt::print("\nsimulated latency, sum over providers: {:.2f} s\n", sum_s);
  fmt::print("simulated latency, largest provider:   {:.2f} s\n", max_s);
  fmt::print("catalog update wall time, best of {}:   {:.3f} s", runs, best->wall_s);
  if (max_s > 0) {
    fmt::print(
        " (wall / max {:.2f}, wall / sum {:.2f})", best->wall_s / max_s, best->wall_s / sum_s);
  }
  fmt::print("\n");
  return 0;
}
