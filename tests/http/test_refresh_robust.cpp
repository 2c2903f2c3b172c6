// A refresh never makes the cache worse: rows the cache reader would refuse are dropped and
// counted, a partial fetch keeps the previous offers of what it did not get, invalid UTF-8 is
// replaced, and every provider's status is written whatever happens.

#include "temp_dir.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/sources/cache.hpp>
#include <gpucost/sources/http/http_client.hpp>
#include <gpucost/sources/refresh.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <signal.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_refresh_robust {

namespace fs = std::filesystem;
using namespace gpucost;
using gpucost::test::TempDir;

namespace {

// A provider whose fetch is a function of the test's (no network).
class ScriptedProvider final : public Provider {
public:
  using Fetch = std::function<Expected<FetchResult>(const FetchOptions&)>;
  ScriptedProvider(std::string id, Fetch fetch) : m_id(std::move(id)), m_fetch(std::move(fetch)) {}
  std::string_view id() const override { return m_id; }
  std::string_view api_key_env() const override { return {}; }
  bool key_required() const override { return false; }
  std::string_view default_base_url() const override { return "http://127.0.0.1:9"; }
  Expected<FetchResult> fetch(HttpClient& /*http*/, const FetchOptions& options) const override {
    return m_fetch(options);
  }

private:
  std::string m_id;
  Fetch m_fetch;
};

Offer offer(const std::string& gpu, double price, const std::string& region = "us-east-1") {
  Offer row;
  row.provider = "aws";
  row.product = Product::vm;
  row.name = gpu + " box";
  row.gpu = gpu;
  row.gpu_count = 1;
  row.region = region;
  row.price_per_hour = price;
  row.source = "http://127.0.0.1/prices";
  row.fetched_at = "2026-11-23T12:00:00Z";
  return row;
}

RefreshOptions options_for(const fs::path& dir) {
  RefreshOptions options;
  options.cache_dir = dir;
  options.now = "2026-11-23T12:00:00Z";
  options.env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  return options;
}

RefreshStatus run(const ScriptedProvider& provider, const RefreshOptions& options) {
  auto http = make_curl_client(HttpOptions{});
  return refresh_provider(provider, *http, options);
}

std::vector<Offer> cached(const fs::path& dir, const std::string& id) {
  auto cache = read_provider_cache(dir, id);
  REQUIRE(cache);
  auto offers = parse_catalog(cache->text, cache->path.string(), {});
  REQUIRE(offers);
  return *offers;
}

} // namespace

TEST_SUITE("refresh_robust") {
  TEST_CASE("rows the cache reader would refuse are dropped and counted, the rest cached") {
    TempDir temp;
    const ScriptedProvider provider("aws", [](const FetchOptions&) -> Expected<FetchResult> {
      FetchResult result;
      result.offers.push_back(offer("H100", 2.5));
      auto huge = offer("A100", 1.0);
      huge.gpu_count = std::numeric_limits<int>::min(); // num_gpus >= 2^31, wrapped
      result.offers.push_back(huge);
      result.offers.push_back(offer("L4", std::numeric_limits<double>::infinity())); // overflow
      auto tiny = offer("T4", 0.5);
      tiny.gpu_memory_gb = 0.0; // 0.01 GiB rounded to 0
      result.offers.push_back(tiny);
      return result;
    });
    const auto status = run(provider, options_for(temp.path()));
    CHECK(status.ok);
    CHECK(status.offers == 1);
    REQUIRE_FALSE(status.warnings.empty());
    CHECK(status.warnings.back().find("dropped 3 of 4 fetched offers") != std::string::npos);
    const auto offers = cached(temp.path(), "aws");
    REQUIRE(offers.size() == 1);
    CHECK(offers[0].gpu == "H100");
  }

  TEST_CASE("a fetch with no readable row fails and keeps the previous cache") {
    TempDir temp;
    bool broken = false;
    const ScriptedProvider provider("aws", [&](const FetchOptions&) -> Expected<FetchResult> {
      FetchResult result;
      result.offers.push_back(offer("H100", broken ? std::nan("") : 2.5));
      return result;
    });
    REQUIRE(run(provider, options_for(temp.path())).ok);
    broken = true;
    const auto status = run(provider, options_for(temp.path()));
    CHECK_FALSE(status.ok);
    CHECK(status.error.find("none of the 1 fetched offers is valid") != std::string::npos);
    CHECK(cached(temp.path(), "aws").size() == 1);
    const auto recorded = read_provider_status(temp.path(), "aws");
    REQUIRE(recorded);
    CHECK_FALSE(recorded->ok);
  }

  TEST_CASE("a partial fetch keeps the cached offers of the regions it did not get") {
    TempDir temp;
    bool partial = false;
    const ScriptedProvider provider("aws", [&](const FetchOptions&) -> Expected<FetchResult> {
      FetchResult result;
      result.offers.push_back(offer("H100", partial ? 2.0 : 2.5, "us-east-1"));
      if (partial) {
        result.missing_regions = {"eu-west-1", "ap-south-1"};
      } else {
        result.offers.push_back(offer("H100", 3.0, "eu-west-1"));
        result.offers.push_back(offer("A100", 1.5, "eu-west-1"));
        result.offers.push_back(offer("A100", 1.7, "ap-south-1"));
      }
      return result;
    });
    REQUIRE(run(provider, options_for(temp.path())).ok);
    partial = true;
    const auto status = run(provider, options_for(temp.path()));
    CHECK(status.ok);
    CHECK(status.offers == 4);
    const auto offers = cached(temp.path(), "aws");
    REQUIRE(offers.size() == 4);
    CHECK(offers[0].price_per_hour == 2.0); // the fresh region is fresh
    REQUIRE_FALSE(status.warnings.empty());
    CHECK(status.warnings.back().find("kept 3 cached offers") != std::string::npos);
  }

  TEST_CASE("invalid UTF-8 in offers and in errors is replaced, never an internal error") {
    TempDir temp;
    bool fail = false;
    const ScriptedProvider provider("vastai", [&](const FetchOptions&) -> Expected<FetchResult> {
      if (fail) {
        return make_error("vastai: HTTP 502: caf\xc3"); // cut inside a character
      }
      FetchResult result;
      auto row = offer("H100", 2.5);
      row.provider = "vastai";
      row.name = "bad \xff\xfe name";
      result.offers.push_back(row);
      return result;
    });
    const auto status = run(provider, options_for(temp.path()));
    CHECK(status.ok);
    CHECK(status.error.empty());
    CHECK(cached(temp.path(), "vastai")[0].name == "bad \xEF\xBF\xBD\xEF\xBF\xBD name");

    fail = true;
    auto options = options_for(temp.path());
    options.now = "2026-11-24T12:00:00Z";
    const auto failed = run(provider, options);
    CHECK_FALSE(failed.ok);
    CHECK(failed.error == "vastai: HTTP 502: caf\xEF\xBF\xBD");
    const auto recorded = read_provider_status(temp.path(), "vastai");
    REQUIRE(recorded);
    CHECK(recorded->attempted_at == "2026-11-24T12:00:00Z");
    CHECK(recorded->error == failed.error);
  }

  TEST_CASE("a provider that throws still has its status written") {
    TempDir temp;
    const ScriptedProvider provider("oci", [](const FetchOptions&) -> Expected<FetchResult> {
      throw std::runtime_error("boom");
    });
    const auto status = run(provider, options_for(temp.path()));
    CHECK_FALSE(status.ok);
    CHECK(status.error == "oci: internal error: boom");
    const auto recorded = read_provider_status(temp.path(), "oci");
    REQUIRE(recorded);
    CHECK(recorded->error == status.error);
  }
}

TEST_SUITE("refresh_robust") {
  TEST_CASE("a refresh removes temporary files of dead processes and keeps a live one's") {
    TempDir temp;
    const pid_t child = ::fork();
    if (child == 0) {
      ::_exit(0);
    }
    REQUIRE(child > 0);
    ::waitpid(child, nullptr, 0); // `child` is now a pid no process has
    const auto dead = temp.path() / fmt::format(".aws.json.tmp.{}.0123456789abcdef", child);
    const auto live = temp.path() / fmt::format(".aws.json.tmp.{}.0123456789abcdef", ::getpid());
    std::ofstream(dead) << "torn";
    std::ofstream(live) << "in progress";
    const ScriptedProvider provider("aws", [](const FetchOptions&) -> Expected<FetchResult> {
      FetchResult result;
      result.offers.push_back(offer("H100", 2.5));
      return result;
    });
    const std::vector<const Provider*> providers{&provider};
    const auto statuses = refresh_providers(
        providers, [] { return make_curl_client(HttpOptions{}); }, options_for(temp.path()));
    CHECK(statuses[0].ok);
    CHECK_FALSE(fs::exists(dead));
    CHECK(fs::exists(live));
  }

  TEST_CASE("a second refresh of one cache directory waits for the first (the update lock)") {
    TempDir temp;
    const ScriptedProvider provider("aws", [](const FetchOptions&) -> Expected<FetchResult> {
      FetchResult result;
      result.offers.push_back(offer("H100", 2.5));
      return result;
    });
    const std::vector<const Provider*> providers{&provider};
    std::atomic<bool> finished{false};
    std::optional<std::jthread> second;
    std::mutex mutex;
    std::string announced;
    auto options = options_for(temp.path());
    options.on_lock_wait = [&](const std::string& holder) {
      const std::lock_guard lock(mutex);
      announced = holder;
    };
    {
      const CacheLock held(temp.path()); // as another `catalog update` would
      second.emplace([&] {
        refresh_providers(
            providers, [] { return make_curl_client(HttpOptions{}); }, options);
        finished = true;
      });
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      CHECK_FALSE(finished.load());
      CHECK_FALSE(fs::exists(temp.path() / "aws.json"));
    }
    second.reset(); // joins
    CHECK(finished.load());
    // The wait was announced, naming the holder (this process: the lock file has its id).
    CHECK(announced
          == fmt::format(
              "another gpucost (process {}) is updating {}", ::getpid(), temp.path().string()));
    CHECK(fs::exists(temp.path() / "aws.json"));
  }

  TEST_CASE("a refresh that cannot take the update lock in time names the holder and writes "
            "nothing") {
    TempDir temp;
    const ScriptedProvider provider("aws", [](const FetchOptions&) -> Expected<FetchResult> {
      FetchResult result;
      result.offers.push_back(offer("H100", 2.5));
      return result;
    });
    const std::vector<const Provider*> providers{&provider};
    const CacheLock held(temp.path()); // as another `catalog update` would
    auto options = options_for(temp.path());
    options.lock_wait_s = 0.3;
    const auto start = std::chrono::steady_clock::now();
    const auto statuses = refresh_providers(
        providers, [] { return make_curl_client(HttpOptions{}); }, options);
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(statuses.size() == 1);
    CHECK_FALSE(statuses[0].ok);
    CHECK(statuses[0].error
          == fmt::format("aws: not fetched: another gpucost (process {}) is updating {} (waited "
                         "0.3 s for it)",
                         ::getpid(),
                         temp.path().string()));
    CHECK(elapsed >= 0.29);
    CHECK(elapsed < 1.5);
    CHECK_FALSE(fs::exists(temp.path() / "aws.json"));
    CHECK_FALSE(fs::exists(temp.path() / "aws.status.json"));
  }

  TEST_CASE("an update killed (kill -9) at random points leaves a readable cache, and the next "
            "one leaves no temporary file behind") {
    TempDir temp;
    constexpr std::size_t k_offers = 1000; // a cache of about 350 kB: writing it takes a while
    const ScriptedProvider provider("aws", [](const FetchOptions&) -> Expected<FetchResult> {
      FetchResult result;
      for (std::size_t i = 0; i < k_offers; ++i) {
        result.offers.push_back(
            offer("H100", 1 + static_cast<double>(i) / 1000, fmt::format("region-{}", i)));
      }
      return result;
    });
    const std::vector<const Provider*> providers{&provider};
    const auto refresh = [&] {
      return refresh_providers(
          providers, [] { return make_curl_client(HttpOptions{}); }, options_for(temp.path()));
    };
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(refresh()[0].ok);
    const auto one_refresh = std::chrono::steady_clock::now() - started;
    const auto temporaries = [&] {
      std::size_t count = 0;
      for (const auto& entry : fs::directory_iterator(temp.path())) {
        count += entry.path().filename().string().find(".tmp.") != std::string::npos ? 1U : 0U;
      }
      return count;
    };

    std::mt19937 random(11);
    std::size_t torn_writes = 0;
    constexpr int k_kills = 6;
    for (int kill = 0; kill < k_kills; ++kill) {
      const pid_t child = ::fork();
      REQUIRE(child >= 0);
      if (child == 0) {
        for (;;) { // updates one after another until killed
          refresh();
        }
      }
      if (kill % 2 == 0) {
        // Anywhere in the first two updates of the child: fetching, checking, writing, renaming.
        const auto delay = std::chrono::duration_cast<std::chrono::microseconds>(
            one_refresh * 2 * std::uniform_real_distribution<double>(0.05, 1)(random));
        std::this_thread::sleep_for(delay);
      } else {
        // While a file is being written (its temporary exists): a window of a millisecond or
        // two that random times seldom hit.
        const auto give_up = std::chrono::steady_clock::now() + one_refresh * 20;
        while (temporaries() == 0 && std::chrono::steady_clock::now() < give_up) {
        }
      }
      ::kill(child, SIGKILL);
      int status = 0;
      ::waitpid(child, &status, 0);
      CHECK(WIFSIGNALED(status));
      torn_writes += temporaries();
      // The cache reads back whole, whichever update was cut where.
      const auto cache = read_provider_catalog(temp.path(), "aws", {});
      REQUIRE_MESSAGE(cache, (cache ? "" : cache.error().message));
      CHECK(cache->offers.size() == k_offers);
      CHECK(read_provider_status(temp.path(), "aws"));
    }
    // Most kills in a write leave its temporary file (a kill just after the rename does not).
    WARN_MESSAGE(torn_writes > 0, "no kill landed in a write");
    MESSAGE(torn_writes << " temporary files left by " << k_kills << " kills");
    REQUIRE(refresh()[0].ok);
    CHECK(temporaries() == 0);
  }
}

} // namespace gpucost_test_refresh_robust
