// refresh_providers against the loopback server, with a small provider defined here: concurrency,
// skipped providers, failures that keep the last good cache, and secrets kept out of every output.

#include "loopback_server.hpp"
#include "temp_dir.hpp"

#include <gpucost/sources/cache.hpp>
#include <gpucost/sources/refresh.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_refresh {

namespace fs = std::filesystem;
using gpucost::Expected;
using gpucost::FetchOptions;
using gpucost::FetchResult;
using gpucost::HttpClient;
using gpucost::HttpRequest;
using gpucost::Offer;
using gpucost::Provider;
using gpucost::RefreshOptions;
using gpucost::RefreshStatus;
using gpucost::test::LoopbackServer;
using gpucost::test::ScriptedResponse;

namespace {

// A provider that GETs <base_url>/offers, answering {"offers":[{"gpu":"H100","price":2.5}]}. It is
// careless on purpose: its errors, warnings and source URL carry the raw URL with the key in it,
// so the tests show that refresh redacts them anyway.
class TestProvider final : public Provider {
public:
  TestProvider(std::string id, std::string key_env, bool key_required)
      : m_id(std::move(id)), m_key_env(std::move(key_env)), m_key_required(key_required) {}

  std::string_view id() const override { return m_id; }
  std::string_view api_key_env() const override { return m_key_env; }
  bool key_required() const override { return m_key_required; }
  std::string_view default_base_url() const override { return "http://127.0.0.1:9"; }

  Expected<FetchResult> fetch(HttpClient& http, const FetchOptions& options) const override {
    if (m_throws) {
      throw std::runtime_error("boom with " + options.api_key);
    }
    HttpRequest request;
    request.url = options.base_url + "/offers";
    if (!options.api_key.empty()) {
      request.url += "?api_key=" + options.api_key;
      request.headers = {{"Authorization", "Bearer " + options.api_key}};
    }
    auto response = http.send(request);
    if (!response) {
      return gpucost::make_error(fmt::format("{}: {}", m_id, response.error().message));
    }
    if (response->status != 200) {
      return gpucost::make_error(fmt::format(
          "{}: GET {} returned HTTP {}: {}", m_id, request.url, response->status, response->body));
    }
    const auto json = nlohmann::json::parse(response->body, nullptr, false);
    if (json.is_discarded() || !json.contains("offers")) {
      return gpucost::make_error(fmt::format("{}: unexpected response", m_id));
    }
    FetchResult result;
    result.source_url = request.url;
    result.warnings.push_back("read " + request.url);
    for (const auto& row : json["offers"]) {
      Offer offer;
      offer.provider = m_id;
      offer.gpu = row.value("gpu", "");
      offer.price_per_hour = row.value("price", 0.0);
      offer.source = request.url;
      offer.fetched_at = options.now;
      result.offers.push_back(offer);
    }
    return result;
  }

  void set_throws() { m_throws = true; }

private:
  std::string m_id;
  std::string m_key_env;
  bool m_key_required;
  bool m_throws = false;
};

using gpucost::test::TempDir;

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

ScriptedResponse reply(int status, std::string body, int delay_ms = 0) {
  ScriptedResponse response;
  response.status = status;
  response.body = std::move(body);
  response.delay_ms = delay_ms;
  return response;
}

const std::string k_offers_body =
    R"({"offers":[{"gpu":"H100","price":2.5},{"gpu":"A100","price":1.2}]})";

gpucost::HttpClientFactory fast_clients() {
  return [] {
    gpucost::HttpOptions options;
    options.timeout_s = 5;
    options.max_attempts = 2;
    options.backoff_s = 0.01;
    options.max_backoff_s = 0.05;
    return gpucost::make_curl_client(options);
  };
}

RefreshOptions options_for(const fs::path& cache_dir, std::map<std::string, std::string> env) {
  RefreshOptions options;
  options.cache_dir = cache_dir;
  options.now = "2026-11-23T12:00:00Z";
  options.env = [env = std::move(env)](std::string_view name) -> std::optional<std::string> {
    const auto it = env.find(std::string(name));
    return it != env.end() ? std::optional<std::string>(it->second) : std::nullopt;
  };
  options.display_names = {{"runpod", "RunPod"}};
  return options;
}

std::vector<RefreshStatus> refresh(const std::vector<const Provider*>& providers,
                                   const RefreshOptions& options) {
  return gpucost::refresh_providers(providers, fast_clients(), options);
}

} // namespace

TEST_SUITE("refresh") {
  TEST_CASE("base_url_env names GPUCOST_<ID>_URL") {
    CHECK(gpucost::base_url_env("runpod") == "GPUCOST_RUNPOD_URL");
    CHECK(gpucost::base_url_env("lambda-labs") == "GPUCOST_LAMBDA_LABS_URL");
  }

  TEST_CASE("a successful fetch writes the cache and the status file") {
    LoopbackServer server;
    server.route("/offers", reply(200, k_offers_body));
    TempDir temp;
    const TestProvider provider("vastai", "", false);
    const auto options = options_for(temp.path(), {{"GPUCOST_VASTAI_URL", server.url()}});

    const auto statuses = refresh({&provider}, options);

    REQUIRE(statuses.size() == 1);
    const auto& status = statuses[0];
    CHECK(status.id == "vastai");
    CHECK(status.ok);
    CHECK(!status.skipped);
    CHECK(status.error.empty());
    CHECK(status.offers == 2);
    CHECK(status.source_url == server.url() + "/offers");
    CHECK(status.duration_s > 0);

    const auto cache = gpucost::read_provider_cache(temp.path(), "vastai");
    REQUIRE(cache);
    CHECK(cache->fetched_at == "2026-11-23T12:00:00Z");
    CHECK(cache->source_url == server.url() + "/offers");
    REQUIRE(cache->offers.size() == 2);
    CHECK(cache->offers[0]["gpu"] == "H100");
    CHECK(cache->offers[0]["price_per_hour"] == 2.5);

    const auto recorded = gpucost::read_provider_status(temp.path(), "vastai");
    REQUIRE(recorded);
    CHECK(recorded->ok);
    CHECK(recorded->offers == 2);
    CHECK(recorded->attempted_at == "2026-11-23T12:00:00Z");
    CHECK(recorded->error.empty());
  }

  TEST_CASE("providers are fetched concurrently") {
    LoopbackServer server;
    server.route("/offers", reply(200, k_offers_body, 500));
    TempDir temp;
    const TestProvider alpha("alpha", "", false);
    const TestProvider beta("beta", "", false);
    auto options = options_for(
        temp.path(), {{"GPUCOST_ALPHA_URL", server.url()}, {"GPUCOST_BETA_URL", server.url()}});
    std::mutex mutex;
    std::vector<std::string> finished;
    options.on_done = [&](const RefreshStatus& status) {
      const std::lock_guard lock(mutex);
      finished.push_back(status.id);
    };

    const auto start = std::chrono::steady_clock::now();
    const auto statuses = refresh({&alpha, &beta}, options);
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    REQUIRE(statuses.size() == 2);
    CHECK(statuses[0].id == "alpha");
    CHECK(statuses[1].id == "beta");
    CHECK(statuses[0].ok);
    CHECK(statuses[1].ok);
    CHECK(elapsed >= 0.5);
    CHECK(elapsed < 0.9);
    CHECK(finished.size() == 2);
    CHECK(server.request_count() == 2);
  }

  TEST_CASE("a provider whose required key is not set is skipped with a message") {
    LoopbackServer server;
    TempDir temp;
    const TestProvider provider("runpod", "RUNPOD_API_KEY", true);
    const auto options =
        options_for(temp.path(), {{"GPUCOST_RUNPOD_URL", server.url()}, {"RUNPOD_API_KEY", ""}});

    const auto statuses = refresh({&provider}, options);

    REQUIRE(statuses.size() == 1);
    CHECK(statuses[0].skipped);
    CHECK(!statuses[0].ok);
    CHECK(statuses[0].error
          == "runpod: RUNPOD_API_KEY is not set; skipping (set it to fetch RunPod prices)");
    CHECK(server.request_count() == 0);
    CHECK(!fs::exists(temp.path() / "runpod.json"));
    const auto recorded = gpucost::read_provider_status(temp.path(), "runpod");
    REQUIRE(recorded);
    CHECK(recorded->skipped);
    CHECK(recorded->error == statuses[0].error);
  }

  TEST_CASE("a provider whose key is optional is fetched without one") {
    LoopbackServer server;
    server.route("/offers", reply(200, k_offers_body));
    TempDir temp;
    const TestProvider provider("vastai", "VAST_API_KEY", false);
    const auto options = options_for(temp.path(), {{"GPUCOST_VASTAI_URL", server.url()}});

    const auto statuses = refresh({&provider}, options);

    CHECK(statuses[0].ok);
    REQUIRE(server.request_count() == 1);
    CHECK(server.requests()[0].header("authorization").empty());
  }

  TEST_CASE("an HTTP 500 keeps the last good cache and records the failure") {
    LoopbackServer server;
    server.route("/offers", reply(200, k_offers_body));
    server.route("/offers", reply(500, "upstream down"));
    TempDir temp;
    const TestProvider provider("lambda", "", false);
    auto options = options_for(temp.path(), {{"GPUCOST_LAMBDA_URL", server.url()}});

    REQUIRE(refresh({&provider}, options)[0].ok);
    const std::string good = read_file(temp.path() / "lambda.json");

    options.now = "2026-11-24T12:00:00Z";
    const auto statuses = refresh({&provider}, options);

    REQUIRE(statuses.size() == 1);
    CHECK(!statuses[0].ok);
    CHECK(!statuses[0].skipped);
    CHECK(statuses[0].error
          == "lambda: GET " + server.url() + "/offers returned HTTP 500: upstream down");
    CHECK(read_file(temp.path() / "lambda.json") == good);
    const auto cache = gpucost::read_provider_cache(temp.path(), "lambda");
    REQUIRE(cache);
    CHECK(cache->fetched_at == "2026-11-23T12:00:00Z");
    const auto recorded = gpucost::read_provider_status(temp.path(), "lambda");
    REQUIRE(recorded);
    CHECK(!recorded->ok);
    CHECK(recorded->attempted_at == "2026-11-24T12:00:00Z");
    CHECK(recorded->error == statuses[0].error);
    CHECK(server.request_count() == 3); // one good fetch, then a 500 retried once
  }

  TEST_CASE("an answer with no offers is a failure that keeps the cache") {
    LoopbackServer server;
    server.route("/offers", reply(200, k_offers_body));
    server.route("/offers", reply(200, R"({"offers":[]})"));
    TempDir temp;
    const TestProvider provider("gcp", "", false);
    const auto options = options_for(temp.path(), {{"GPUCOST_GCP_URL", server.url()}});

    REQUIRE(refresh({&provider}, options)[0].ok);
    const auto statuses = refresh({&provider}, options);

    CHECK(!statuses[0].ok);
    CHECK(statuses[0].error == "gcp: the price API returned no offers");
    const auto cache = gpucost::read_provider_cache(temp.path(), "gcp");
    REQUIRE(cache);
    CHECK(cache->offers.size() == 2);
  }

  TEST_CASE("one provider failing does not affect another") {
    LoopbackServer server;
    server.route("/offers", reply(200, k_offers_body));
    TempDir temp;
    TestProvider broken("azure", "", false);
    broken.set_throws();
    const TestProvider fine("aws", "", false);
    const auto options = options_for(
        temp.path(), {{"GPUCOST_AZURE_URL", server.url()}, {"GPUCOST_AWS_URL", server.url()}});

    const auto statuses = refresh({&broken, &fine}, options);

    CHECK(!statuses[0].ok);
    CHECK(statuses[0].error == "azure: internal error: boom with ");
    CHECK(statuses[1].ok);
    CHECK(!fs::exists(temp.path() / "azure.json"));
    CHECK(fs::exists(temp.path() / "aws.json"));
  }

  TEST_CASE("the API key never appears in errors, warnings, status files or the cache") {
    const std::string key = "sk-live-TOPSECRET-42";
    LoopbackServer server;
    // A key echoed into a data field (here the GPU name) is redacted in the cache too.
    server.route("/ok/offers",
                 reply(200,
                       R"({"offers":[{"gpu":"H100","price":2.5},{"gpu":"A100 )" + key
                           + R"(","price":1.2}]})"));
    server.route("/denied/offers", reply(401, "invalid key " + key));
    TempDir temp;
    TestProvider good("runpod", "RUNPOD_API_KEY", true);
    TestProvider denied("lambda", "LAMBDA_API_KEY", true);
    TestProvider refused("vastai", "VAST_API_KEY", true);
    TestProvider throwing("gcp", "GCP_API_KEY", true);
    throwing.set_throws();
    const std::string nothing_listening = "http://127.0.0.1:1";
    auto options = options_for(temp.path(),
                               {{"GPUCOST_RUNPOD_URL", server.url() + "/ok"},
                                {"GPUCOST_LAMBDA_URL", server.url() + "/denied"},
                                {"GPUCOST_VASTAI_URL", nothing_listening},
                                {"GPUCOST_GCP_URL", server.url()},
                                {"RUNPOD_API_KEY", key},
                                {"LAMBDA_API_KEY", key},
                                {"VAST_API_KEY", key},
                                {"GCP_API_KEY", key}});
    std::mutex mutex;
    std::string reported;
    options.on_done = [&](const RefreshStatus& status) {
      const std::lock_guard lock(mutex);
      reported += status.error + status.source_url;
      for (const auto& warning : status.warnings) {
        reported += warning;
      }
    };

    const auto statuses = refresh({&good, &denied, &refused, &throwing}, options);

    REQUIRE(statuses.size() == 4);
    CHECK(statuses[0].ok);
    CHECK(!statuses[1].ok);
    CHECK(!statuses[2].ok);
    CHECK(!statuses[3].ok);
    // The key did reach the server.
    for (const auto& request : server.requests()) {
      CHECK(request.header("authorization") == "Bearer " + key);
    }
    CHECK(statuses[0].source_url == server.url() + "/ok/offers?api_key=REDACTED");
    CHECK(statuses[0].warnings
          == std::vector<std::string>{"read " + server.url() + "/ok/offers?api_key=REDACTED"});
    CHECK(statuses[1].error
          == "lambda: GET " + server.url()
                 + "/denied/offers?api_key=REDACTED returned HTTP 401: invalid key REDACTED");
    CHECK(statuses[2].error.starts_with(
        "vastai: GET http://127.0.0.1:1/offers?api_key=REDACTED: cannot connect"));
    CHECK(statuses[3].error == "gcp: internal error: boom with REDACTED");

    for (const auto& status : statuses) {
      CAPTURE(status.id);
      CHECK(status.error.find(key) == std::string::npos);
      CHECK(status.source_url.find(key) == std::string::npos);
      for (const auto& warning : status.warnings) {
        CHECK(warning.find(key) == std::string::npos);
      }
    }
    CHECK(!reported.empty());
    CHECK(reported.find(key) == std::string::npos);
    for (const auto& entry : fs::directory_iterator(temp.path())) {
      CAPTURE(entry.path());
      CHECK(read_file(entry.path()).find(key) == std::string::npos);
    }
    CHECK(fs::exists(temp.path() / "runpod.json"));
    CHECK(fs::exists(temp.path() / "lambda.status.json"));
  }
}

} // namespace gpucost_test_refresh
