// `gpucost catalog update`, `status` and `export` end to end: the real CLI (cli::run, in-process)
// with Vast.ai and OCI pointed at the loopback server through GPUCOST_<ID>_URL. Only those two
// providers are asked for, and the server records every request, so no test reaches the internet.

#include "cli_runner.hpp"
#include "loopback_server.hpp"
#include "temp_dir.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/sources/cache.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_catalog_cli {

namespace fs = std::filesystem;
using gpucost::test::CliOutcome;
using gpucost::test::LoopbackServer;
using gpucost::test::pinned_env;
using gpucost::test::run_cli;
using gpucost::test::ScriptedResponse;
using gpucost::test::TempDir;

namespace {

const std::string k_vastai_path = "/api/v0/bundles/";
const std::string k_oci_products_path = "/pls/apex/cetools/api/v1/products/";
const std::string k_oci_shapes_path = "/a/ocom/docs/cloudestimator2/data/shapes.json";

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  REQUIRE_MESSAGE(file, "cannot read " << path.string());
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string fixture(const std::string& relative) {
  return read_file(fs::path(GPUCOST_TEST_FIXTURES) / relative);
}

ScriptedResponse reply(int status, std::string body) {
  ScriptedResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// A server answering as OCI does, from the adapter's fixtures: both price-list pages share a path
// (page 1's next link asks for page 2), and a route's last answer repeats, so a second fetch reads
// page 2 alone.
void serve_oci(LoopbackServer& server) {
  server.route(k_oci_products_path, reply(200, fixture("oci/products-page1.json")));
  server.route(k_oci_products_path, reply(200, fixture("oci/products-page2.json")));
  server.route(k_oci_shapes_path, reply(200, fixture("oci/shapes.json")));
}

// A server answering as Vast.ai and OCI do.
void serve_vastai_and_oci(LoopbackServer& server) {
  server.route(k_vastai_path, reply(200, fixture("vastai/bundles.json")));
  serve_oci(server);
}

// How many requests `server` received for `path`.
std::size_t requests_for(const LoopbackServer& server, const std::string& path) {
  std::size_t count = 0;
  for (const auto& request : server.requests()) {
    if (request.path() == path) {
      ++count;
    }
  }
  return count;
}

// The pinned environment at `now`, online, with Vast.ai and OCI at `server`.
std::map<std::string, std::string>
online_env(const TempDir& temp, const LoopbackServer& server, const std::string& now) {
  auto env = pinned_env(temp.path().string());
  env.erase("GPUCOST_OFFLINE");
  env["GPUCOST_NOW"] = now;
  env["GPUCOST_VASTAI_URL"] = server.url();
  env["GPUCOST_OCI_URL"] = server.url();
  return env;
}

CliOutcome update_both(const std::map<std::string, std::string>& env) {
  return run_cli(
      {"catalog", "update", "--provider", "vastai", "--provider", "oci", "--timeout", "5"}, env);
}

fs::path cache_dir(const TempDir& temp) {
  return temp.path() / "gpucost"; // $XDG_CACHE_HOME/gpucost
}

// The lines of `text` that start with `prefix`.
std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    if (line.rfind(prefix, 0) == 0) {
      lines.push_back(line);
    }
  }
  return lines;
}

// `catalog status --format json`'s row for `provider`.
nlohmann::json status_row(const CliOutcome& outcome, const std::string& provider) {
  const auto document = nlohmann::json::parse(outcome.out, nullptr, false);
  REQUIRE_MESSAGE(!document.is_discarded(), outcome.out);
  for (const auto& row : document.at("providers")) {
    if (row.at("provider") == provider) {
      return row;
    }
  }
  FAIL("no status row for " << provider);
  return {};
}

} // namespace

TEST_SUITE("catalog_cli") {
  TEST_CASE("catalog update fetches each provider from the server into the cache") {
    LoopbackServer server;
    serve_vastai_and_oci(server);
    TempDir temp;
    const auto outcome = update_both(online_env(temp, server, "2026-11-23T12:00:00Z"));

    INFO(outcome.err);
    CHECK(outcome.code == 0);
    CHECK(outcome.err.find("gpucost: error") == std::string::npos);
    CHECK(outcome.err.find(" failed ") == std::string::npos);
    const auto vastai_line = lines_starting(outcome.out, "vastai   ok ");
    const auto oci_line = lines_starting(outcome.out, "oci      ok ");
    REQUIRE(vastai_line.size() == 1);
    REQUIRE(oci_line.size() == 1);
    CHECK(vastai_line[0].find(server.url() + k_vastai_path) != std::string::npos);
    CHECK(oci_line[0].find(server.url() + k_oci_products_path) != std::string::npos);
    CHECK(lines_starting(outcome.out, "cache: " + cache_dir(temp).string()).size() == 1);

    // Every request went to the loopback server: the bundles, two price-list pages, the shapes.
    std::multiset<std::string> paths;
    for (const auto& request : server.requests()) {
      paths.insert(request.path());
    }
    CHECK(paths
          == std::multiset<std::string>{
              k_vastai_path, k_oci_products_path, k_oci_products_path, k_oci_shapes_path});

    for (const std::string id : {"vastai", "oci"}) {
      CAPTURE(id);
      const auto cache = gpucost::read_provider_cache(cache_dir(temp), id);
      REQUIRE_MESSAGE(cache, (cache ? "" : cache.error().message));
      CHECK(cache->fetched_at == "2026-11-23T12:00:00Z");
      CHECK(cache->source_url.rfind(server.url(), 0) == 0);
      CHECK(!cache->offers.empty());
      // The count printed is the count cached.
      const auto& line = id == "vastai" ? vastai_line[0] : oci_line[0];
      CHECK(line.find(" " + std::to_string(cache->offers.size()) + " offers") != std::string::npos);
      const auto status = gpucost::read_provider_status(cache_dir(temp), id);
      REQUIRE(status);
      CHECK(status->ok);
      CHECK(status->offers == cache->offers.size());
    }
    // OCI's rows carry the billing rules of data/providers/oci-billing.json.
    const auto oci = gpucost::read_provider_cache(cache_dir(temp), "oci");
    REQUIRE(oci);
    bool bare_metal_seen = false;
    for (const auto& offer : oci->offers) {
      const std::string name = offer.at("name");
      CHECK(offer.at("billing_minimum_s") == (name.rfind("BM.", 0) == 0 ? 3600 : 60));
      bare_metal_seen = bare_metal_seen || name.rfind("BM.", 0) == 0;
    }
    CHECK(bare_metal_seen);
  }

  TEST_CASE("a provider failing in a later update keeps its last good cache; status says so") {
    TempDir temp;
    {
      LoopbackServer server;
      serve_vastai_and_oci(server);
      const auto first = update_both(online_env(temp, server, "2026-11-23T12:00:00Z"));
      REQUIRE_MESSAGE(first.code == 0, first.err);
    }
    const std::string vastai_cache = read_file(cache_dir(temp) / "vastai.json");

    // Six hours later Vast.ai answers with JSON cut short; OCI answers as before.
    LoopbackServer server;
    server.route(k_vastai_path, reply(200, fixture("vastai/truncated.json")));
    serve_oci(server);
    const auto env = online_env(temp, server, "2026-11-23T18:00:00Z");
    const auto second = update_both(env);

    CHECK(second.code == 1);
    CHECK(lines_starting(second.out, "oci      ok ").size() == 1);
    CHECK(lines_starting(second.out, "vastai").empty());
    const auto failed = lines_starting(second.err, "gpucost: vastai   failed   ");
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].find("truncated JSON") != std::string::npos);
    CHECK(
        second.err.find("gpucost: error: catalog update: 1 of 2 providers updated; failed: vastai "
                        "(the others' caches were updated; a failed one's was kept)\n")
        != std::string::npos);

    // The failed provider's cache is byte for byte the first run's; the other one is new.
    CHECK(read_file(cache_dir(temp) / "vastai.json") == vastai_cache);
    const auto oci = gpucost::read_provider_cache(cache_dir(temp), "oci");
    REQUIRE(oci);
    CHECK(oci->fetched_at == "2026-11-23T18:00:00Z");

    // Status, offline as always: Vast.ai still priced from its six-hour-old cache, stale at the
    // default 6 h, with the failure as its last error; OCI fresh.
    const auto before = server.request_count();
    const auto status = run_cli({"catalog", "status", "--format", "json"}, env);
    REQUIRE_MESSAGE(status.code == 0, status.err);
    CHECK(server.request_count() == before); // status never fetches
    const auto vastai = status_row(status, "vastai");
    CHECK(vastai.at("origin") == "cache");
    CHECK(vastai.at("fetched_at") == "2026-11-23T12:00:00Z");
    CHECK(vastai.at("age_s") == 21600);
    CHECK(vastai.at("stale") == true);
    CHECK(vastai.at("last_attempt") == "2026-11-23T18:00:00Z");
    CHECK(vastai.at("last_error").get<std::string>().find("truncated JSON") != std::string::npos);
    const auto oci_row = status_row(status, "oci");
    CHECK(oci_row.at("origin") == "cache");
    CHECK(oci_row.at("age_s") == 0);
    CHECK(oci_row.at("stale") == false);
    CHECK(oci_row.at("last_error").is_null());
  }

  TEST_CASE("catalog status marks a cache stale by --max-age, keeping it with its age") {
    TempDir temp;
    LoopbackServer server;
    serve_vastai_and_oci(server);
    const auto update = update_both(online_env(temp, server, "2026-11-23T12:00:00Z"));
    REQUIRE_MESSAGE(update.code == 0, update.err);
    const std::size_t vastai_offers =
        gpucost::read_provider_cache(cache_dir(temp), "vastai")->offers.size();

    // An hour later, the default 6 h: fresh.
    auto env = pinned_env(temp.path().string());
    env["GPUCOST_NOW"] = "2026-11-23T13:00:00Z";
    const auto fresh = run_cli({"catalog", "status"}, env);
    REQUIRE_MESSAGE(fresh.code == 0, fresh.err);
    const auto fresh_line = lines_starting(fresh.out, "vastai ");
    REQUIRE(fresh_line.size() == 1);
    CHECK(fresh_line[0]
          == fmt::format("vastai    {:<15}  {:<20}  {:>8}  {:>6}  ",
                         "cache",
                         "2026-11-23T12:00:00Z",
                         "1 h",
                         vastai_offers));
    CHECK(
        lines_starting(fresh.out, "cache: " + cache_dir(temp).string() + " (fresh for 6 h;").size()
        == 1);

    // The same cache with --max-age 30m: stale, still listed with its age and offers.
    const auto stale = run_cli({"catalog", "status", "--max-age", "30m"}, env);
    REQUIRE_MESSAGE(stale.code == 0, stale.err);
    const auto stale_line = lines_starting(stale.out, "vastai ");
    REQUIRE(stale_line.size() == 1);
    CHECK(stale_line[0]
          == fmt::format("vastai    {:<15}  {:<20}  {:>8}  {:>6}  ",
                         "cache (stale)",
                         "2026-11-23T12:00:00Z",
                         "1 h",
                         vastai_offers));
    CHECK(lines_starting(stale.out, "cache: " + cache_dir(temp).string() + " (fresh for 30 min;")
              .size()
          == 1);

    const auto json = run_cli({"catalog", "status", "--max-age", "30m", "--format", "json"}, env);
    REQUIRE_MESSAGE(json.code == 0, json.err);
    const auto row = status_row(json, "vastai");
    CHECK(row.at("stale") == true);
    CHECK(row.at("age_s") == 3600);
    CHECK(row.at("offers") == vastai_offers);
    CHECK(nlohmann::json::parse(json.out).at("max_age_s") == 1800);
    // A provider never fetched is priced from the bundled catalog and not marked stale by a cache.
    CHECK(status_row(json, "aws").at("origin") == "bundled");
  }

  TEST_CASE("catalog export writes the merged catalog to a file that reads back") {
    TempDir temp;
    LoopbackServer server;
    serve_vastai_and_oci(server);
    const auto update = update_both(online_env(temp, server, "2026-11-23T12:00:00Z"));
    REQUIRE_MESSAGE(update.code == 0, update.err);
    const auto cached = gpucost::read_provider_catalog(cache_dir(temp), "vastai", {});
    REQUIRE(cached);

    // An hour later, online. The live providers without a cache are pointed at a second server,
    // which answers 404 to everything: they fall back to their bundled rows.
    LoopbackServer sink;
    auto env = online_env(temp, server, "2026-11-23T13:00:00Z");
    for (const char* id : {"RUNPOD", "LAMBDA", "AWS", "GCP", "AZURE"}) {
      env[fmt::format("GPUCOST_{}_URL", id)] = sink.url();
    }
    const fs::path out = temp.path() / "pinned.json";
    const auto before = server.request_count();
    const auto exported = run_cli({"catalog", "export", "-o", out.string(), "--timeout", "5"}, env);
    REQUIRE_MESSAGE(exported.code == 0, exported.err);
    CHECK(server.request_count() == before); // Vast.ai's and OCI's caches are fresh at 6 h
    CHECK(exported.out.empty());
    CHECK(exported.err.find("gpucost: prices: cache: vastai 1 h, oci 1 h; bundled: runpod ")
          != std::string::npos);

    const std::string text = read_file(out);
    const auto offers = gpucost::parse_catalog(text, out.string(), {});
    REQUIRE_MESSAGE(offers, (offers ? "" : offers.error().message));
    CHECK(exported.err.find(fmt::format("gpucost: wrote {} offers to {} (use it with --catalog {})",
                                        offers->size(),
                                        out.string(),
                                        out.string()))
          != std::string::npos);
    // The cached Vast.ai rows are in the file as the cache holds them; bundled providers too.
    std::vector<gpucost::Offer> vastai;
    bool bundled_seen = false;
    for (const auto& offer : *offers) {
      if (offer.provider == "vastai") {
        vastai.push_back(offer);
      }
      bundled_seen = bundled_seen || offer.provider == "aws";
    }
    CHECK(bundled_seen);
    REQUIRE(vastai.size() == cached->offers.size());
    for (std::size_t i = 0; i < vastai.size(); ++i) {
      CHECK(vastai[i].name == cached->offers[i].name);
      CHECK(vastai[i].price_per_hour == cached->offers[i].price_per_hour);
      CHECK(vastai[i].fetched_at == "2026-11-23T12:00:00Z");
    }
    // The file is what --catalog takes, with no live source consulted.
    const auto listed = run_cli({"offers",
                                 "--catalog",
                                 out.string(),
                                 "--provider",
                                 "vastai",
                                 "--top",
                                 "1000",
                                 "--format",
                                 "json"},
                                env);
    REQUIRE_MESSAGE(listed.code == 0, listed.err);
    CHECK(listed.err.find("gpucost: prices") == std::string::npos);
    const auto listing = nlohmann::json::parse(listed.out, nullptr, false);
    REQUIRE(!listing.is_discarded());
    REQUIRE(listing.at("catalog").at("sources").size() == 1);
    CHECK(listing.at("catalog").at("sources")[0].at("origin") == "file");
    CHECK(listing.at("catalog").at("sources")[0].at("location") == out.string());
    CHECK(listing.at("catalog").at("sources")[0].at("offers") == offers->size());
    CHECK(listing.at("offers").size() == vastai.size());

    // With --max-age 30m the hour-old caches are stale: export fetches them again first.
    const auto refreshed = run_cli(
        {"catalog", "export", "-o", out.string(), "--max-age", "30m", "--timeout", "5"}, env);
    REQUIRE_MESSAGE(refreshed.code == 0, refreshed.err);
    CHECK(requests_for(server, k_vastai_path) == 2);
    CHECK(requests_for(server, k_oci_shapes_path) == 2);
    CHECK(refreshed.err.find("gpucost: prices: live: vastai 0 s, oci 0 s; bundled: runpod ")
          != std::string::npos);
    const auto refetched = gpucost::parse_catalog(read_file(out), out.string(), {});
    REQUIRE(refetched);
    std::size_t refetched_vastai = 0;
    for (const auto& offer : *refetched) {
      if (offer.provider == "vastai") {
        ++refetched_vastai;
        CHECK(offer.fetched_at == "2026-11-23T13:00:00Z");
      }
    }
    CHECK(refetched_vastai == vastai.size());

    // Another hour later and offline, the now stale caches are still used rather than dropped.
    env["GPUCOST_NOW"] = "2026-11-23T14:00:00Z";
    const auto offline =
        run_cli({"catalog", "export", "-o", "-", "--offline", "--max-age", "30m"}, env);
    REQUIRE_MESSAGE(offline.code == 0, offline.err);
    CHECK(offline.err.find("gpucost: prices (offline): cache: vastai 1 h, oci 1 h; bundled: ")
          != std::string::npos);
    CHECK(offline.out == read_file(out)); // "-o -" writes the same document to stdout
  }

  TEST_CASE("catalog update reads CURL_CA_BUNDLE (else SSL_CERT_FILE) for the CA certificates") {
    LoopbackServer server;
    TempDir temp;
    auto env = online_env(temp, server, "2026-11-23T12:00:00Z");
    // https to the plain-HTTP loopback server: curl reads the CA file before any handshake.
    env["GPUCOST_VASTAI_URL"] = "https://127.0.0.1:" + std::to_string(server.port());
    for (const char* variable : {"CURL_CA_BUNDLE", "SSL_CERT_FILE"}) {
      CAPTURE(variable);
      auto with_ca = env;
      with_ca[variable] = "/nonexistent/gpucost-ca.pem";
      const auto outcome =
          run_cli({"catalog", "update", "--provider", "vastai", "--timeout", "5"}, with_ca);
      CHECK(outcome.code == 1);
      CHECK(outcome.err.find("/nonexistent/gpucost-ca.pem") != std::string::npos);
    }
  }

  TEST_CASE("compare refreshes only the providers it shows, and within --deadline uses the cache") {
    TempDir temp;
    {
      LoopbackServer server;
      serve_vastai_and_oci(server);
      const auto update = update_both(online_env(temp, server, "2026-11-23T12:00:00Z"));
      REQUIRE_MESSAGE(update.code == 0, update.err);
    }
    // Eight hours later both caches are stale, and every API answers only after 20 s.
    LoopbackServer hanging;
    for (const auto& path : {k_vastai_path, k_oci_products_path, k_oci_shapes_path}) {
      auto late = reply(200, "{}");
      late.delay_ms = 20000;
      hanging.route(path, late);
    }
    auto env = online_env(temp, hanging, "2026-11-23T20:00:00Z");
    for (const char* id : {"RUNPOD", "LAMBDA", "AWS", "GCP", "AZURE"}) {
      env[fmt::format("GPUCOST_{}_URL", id)] = hanging.url();
    }
    const std::string workload =
        std::string(GPUCOST_SOURCE_DIR) + "/data/examples/video-render.json";

    const auto start = std::chrono::steady_clock::now();
    const auto outcome = run_cli(
        {"compare", "--workload", workload, "--provider", "oci", "--top", "1", "--deadline", "0.5"},
        env);
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    INFO(outcome.err);
    CHECK(outcome.code == 0);
    CHECK(elapsed < 4);
    // Only OCI, the provider shown, was asked for; Vast.ai's stale cache is used as it is.
    CHECK(hanging.request_count() >= 1);
    CHECK(requests_for(hanging, k_vastai_path) == 0);
    for (const auto& request : hanging.requests()) {
      CHECK(request.path().rfind("/pls/apex/", 0) == 0);
    }
    CHECK(outcome.err.find("gpucost: prices: cache: ") != std::string::npos);
    CHECK(outcome.err.find("oci 8 h (oci: ") != std::string::npos);
    CHECK(outcome.err.find("the 0.5 s deadline for this provider's requests passed")
          != std::string::npos);
    CHECK(outcome.err.find("vastai 8 h") != std::string::npos);
    CHECK(outcome.out.find("oci") != std::string::npos);
  }
}

} // namespace gpucost_test_catalog_cli
