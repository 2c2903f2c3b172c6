// The price cache: file format, atomic writes, and the helpers it rests on (time, SHA-256, offer
// rows). Everything happens in a fresh temporary directory.

#include "temp_dir.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/data/offer_json.hpp>
#include <gpucost/sources/cache.hpp>
#include <gpucost/util/clock.hpp>
#include <gpucost/util/sha256.hpp>
#include <gpucost/util/time.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/resource.h>
#include <thread>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_cache {

namespace fs = std::filesystem;
using namespace gpucost;

namespace {

using gpucost::test::TempDir;

EnvLookup fake_env(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
    const auto it = variables.find(std::string(name));
    return it != variables.end() ? std::optional<std::string>(it->second) : std::nullopt;
  };
}

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::vector<std::string> file_names(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Offer sample_offer(double price_per_hour = 0.59) {
  Offer offer;
  offer.provider = "runpod";
  offer.product = Product::pod;
  offer.name = "RTX 4090 secure";
  offer.gpu = "RTX 4090";
  offer.gpu_count = 1;
  offer.gpu_memory_gb = 24;
  offer.vcpus = 6;
  offer.ram_gb = 41;
  offer.region = "US";
  offer.price_per_hour = price_per_hour;
  offer.source = "https://api.runpod.io/graphql";
  offer.fetched_at = "2026-11-20T00:00:00Z";
  return offer;
}

} // namespace

TEST_SUITE("sha256") {
  TEST_CASE("sha256_hex matches the FIPS 180-2 test vectors") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}

TEST_SUITE("time_util") {
  TEST_CASE("parse_iso8601 reads dates, times, fractions and offsets") {
    CHECK(parse_iso8601("1970-01-01") == 0);
    CHECK(parse_iso8601("2026-11-20") == 1795132800);
    CHECK(parse_iso8601("2026-11-20T00:00:00Z") == 1795132800);
    CHECK(parse_iso8601("2026-11-20T08:30:15Z") == 1795132800 + 8 * 3600 + 30 * 60 + 15);
    CHECK(parse_iso8601("2026-11-20T08:30:15.999Z") == 1795132800 + 8 * 3600 + 30 * 60 + 15);
    CHECK(parse_iso8601("2026-11-20T08:30:15+00:00") == 1795132800 + 8 * 3600 + 30 * 60 + 15);
    CHECK(parse_iso8601("2026-11-20T10:30:15+02:00") == 1795132800 + 8 * 3600 + 30 * 60 + 15);
    CHECK(parse_iso8601("2026-11-20T03:30:15-0500") == 1795132800 + 8 * 3600 + 30 * 60 + 15);
    CHECK(parse_iso8601("2026-11-20T08:30Z") == 1795132800 + 8 * 3600 + 30 * 60);
    CHECK(parse_iso8601("2024-02-29") == 1709164800);
  }

  TEST_CASE("parse_iso8601 rejects malformed and impossible times") {
    for (const char* bad : {"",
                            "2026",
                            "2026-11",
                            "2026-13-01",
                            "2026-02-29",
                            "2026-11-31",
                            "2026-11-20T24:00:00Z",
                            "2026-11-20T08:60:00Z",
                            "2026-11-20T08:30:00",
                            "2026-11-20 08:30:00Z",
                            "2026-11-20T08:30:00.Z",
                            "2026-11-20T08:30:00Zjunk",
                            "20261120",
                            "yesterday"}) {
      CAPTURE(bad);
      CHECK(!parse_iso8601(bad));
    }
  }

  TEST_CASE("format_iso8601 is the inverse of parse_iso8601") {
    CHECK(format_iso8601(0) == "1970-01-01T00:00:00Z");
    CHECK(format_iso8601(1795132800 + 8 * 3600 + 30 * 60 + 15) == "2026-11-20T08:30:15Z");
    CHECK(format_iso8601(-1) == "1969-12-31T23:59:59Z");
    for (const char* text : {"2026-11-23T12:34:56Z", "2000-02-29T23:59:59Z"}) {
      CHECK(format_iso8601(*parse_iso8601(text)) == text);
    }
  }

  TEST_CASE("current_time honours GPUCOST_NOW") {
    const auto pinned = current_time(fake_env({{"GPUCOST_NOW", "2026-01-01T00:00:00Z"}}));
    REQUIRE(pinned);
    CHECK(*pinned == *parse_iso8601("2026-01-01"));

    const auto bad = current_time(fake_env({{"GPUCOST_NOW", "soon"}}));
    REQUIRE(!bad);
    CHECK(
        bad.error().message
        == "GPUCOST_NOW: invalid time \"soon\" (expected ISO 8601 UTC, e.g. 2026-01-01T00:00:00Z)");

    const auto clock = current_time(fake_env({}));
    REQUIRE(clock);
    CHECK(*clock > *parse_iso8601("2026-01-01"));
  }

  TEST_CASE("cache_age_s and ages in words") {
    const auto now = *parse_iso8601("2026-11-23T00:00:00Z");
    CHECK(cache_age_s("2026-11-22T00:00:00Z", now) == 86400.0);
    CHECK(cache_age_s("2026-11-22", now) == 86400.0);
    CHECK(cache_age_s("2026-11-23T00:00:10Z", now) == -10.0);
    CHECK(!cache_age_s("not a time", now));
    using gpucost::DurationStyle;
    CHECK(format_duration(-5, DurationStyle::words) == "0 s");
    CHECK(format_duration(45.9, DurationStyle::words) == "45 s");
    CHECK(format_duration(12 * 60 + 5, DurationStyle::words) == "12 min");
    CHECK(format_duration(5 * 3600, DurationStyle::words) == "5 h");
    CHECK(format_duration(47 * 3600, DurationStyle::words) == "47 h");
    CHECK(format_duration(3 * 86400 + 100, DurationStyle::words) == "3 days");
  }
}

TEST_SUITE("offer_json") {
  TEST_CASE("offer_to_json writes every field in catalog order, null when unknown") {
    Offer offer = sample_offer(0.59);
    offer.spot_price_per_hour = 0.345;
    offer.cold_start_billed = true;
    const auto row = offer_to_json(offer);
    CHECK(row.dump()
          == R"({"provider":"runpod","product":"pod","name":"RTX 4090 secure","gpu":"RTX 4090",)"
             R"("gpu_count":1,"gpu_memory_gb":24,"vcpus":6,"ram_gb":41,"region":"US",)"
             R"("price_per_hour":0.59,"spot_price_per_hour":0.345,"monthly_price":null,)"
             R"("always_on_price_per_hour":null,"billing_granularity_s":null,)"
             R"("billing_minimum_s":null,"cold_start_s":null,"cold_start_billed":true,)"
             R"("idle_timeout_s":null,"interruptions_per_hour":null,"egress_per_gb":null,)"
             R"("reliability":null,"source":"https://api.runpod.io/graphql",)"
             R"("fetched_at":"2026-11-20T00:00:00Z"})");
  }

  TEST_CASE("an empty region is null and notes appear only when set") {
    Offer offer = sample_offer();
    offer.region.clear();
    offer.notes = "per-GPU price times 1";
    const auto row = offer_to_json(offer);
    CHECK(row["region"].is_null());
    CHECK(row["notes"] == "per-GPU price times 1");
    CHECK(!row.contains("currency"));
    CHECK(!offer_to_json(sample_offer()).contains("notes"));
    CHECK(offers_to_json({sample_offer(), sample_offer()}).size() == 2);
  }
}

TEST_SUITE("cache") {
  TEST_CASE("default_cache_dir prefers GPUCOST_CACHE_DIR, then XDG_CACHE_HOME, then HOME") {
    CHECK(*default_cache_dir(fake_env(
              {{"GPUCOST_CACHE_DIR", "/pinned"}, {"XDG_CACHE_HOME", "/xdg"}, {"HOME", "/home/u"}}))
          == fs::path("/pinned"));
    CHECK(*default_cache_dir(fake_env({{"XDG_CACHE_HOME", "/xdg"}, {"HOME", "/home/u"}}))
          == fs::path("/xdg/gpucost"));
    CHECK(*default_cache_dir(fake_env({{"HOME", "/home/u"}}))
          == fs::path("/home/u/.cache/gpucost"));
    // The XDG spec: a relative or empty XDG_CACHE_HOME is ignored.
    CHECK(*default_cache_dir(fake_env({{"XDG_CACHE_HOME", "rel"}, {"HOME", "/home/u"}}))
          == fs::path("/home/u/.cache/gpucost"));
    CHECK(*default_cache_dir(fake_env({{"XDG_CACHE_HOME", ""}, {"HOME", "/home/u"}}))
          == fs::path("/home/u/.cache/gpucost"));
    const auto none = default_cache_dir(fake_env({}));
    REQUIRE(!none);
    CHECK(none.error().message
          == "cannot find a cache directory: HOME is not set (set XDG_CACHE_HOME or "
             "GPUCOST_CACHE_DIR)");
  }

  TEST_CASE("a provider cache round-trips") {
    TempDir temp;
    const auto dir = temp.path() / "cache" / "gpucost"; // created on first write
    const std::vector<Offer> offers{sample_offer(0.59), sample_offer(0.69)};

    const auto written = write_provider_cache(dir,
                                              "runpod",
                                              offers,
                                              "2026-11-23T10:00:00Z",
                                              "https://api.runpod.io/graphql?api_key=rp_SECRET");
    REQUIRE(written);
    CHECK(*written == dir / "runpod.json");

    const auto cache = read_provider_cache(dir, "runpod");
    REQUIRE(cache);
    CHECK(cache->path == dir / "runpod.json");
    CHECK(cache->provider == "runpod");
    CHECK(cache->fetched_at == "2026-11-23T10:00:00Z");
    CHECK(cache->source_url == "https://api.runpod.io/graphql?api_key=REDACTED");
    CHECK(cache->content_sha256 == sha256_hex(offers_to_json(offers).dump()));
    REQUIRE(cache->offers.size() == 2);
    CHECK(cache->offers[1]["price_per_hour"] == 0.69);
    CHECK(cache->offers[0]["gpu"] == "RTX 4090");
    CHECK(cache->text == read_file(dir / "runpod.json"));
    CHECK(cache->text.find("rp_SECRET") == std::string::npos);

    // The file is a catalog in the documented format, fields in order.
    const auto document = nlohmann::ordered_json::parse(cache->text);
    std::vector<std::string> keys;
    for (const auto& item : document.items()) {
      keys.push_back(item.key());
    }
    CHECK(keys
          == std::vector<std::string>{"schema",
                                      "schemaVersion",
                                      "provider",
                                      "fetched_at",
                                      "source_url",
                                      "content_sha256",
                                      "offers"});
    CHECK(document["schema"] == "gpucost/catalog");
    CHECK(document["schemaVersion"] == 1);
    CHECK(file_names(dir) == std::vector<std::string>{"runpod.json"});
  }

  TEST_CASE("a second write replaces the first") {
    TempDir temp;
    REQUIRE(write_provider_cache(temp.path(), "runpod", {sample_offer(1)}, "2026-11-22", "u"));
    REQUIRE(write_provider_cache(temp.path(), "runpod", {sample_offer(2)}, "2026-11-23", "u"));
    const auto cache = read_provider_cache(temp.path(), "runpod");
    REQUIRE(cache);
    CHECK(cache->fetched_at == "2026-11-23");
    CHECK(cache->offers[0]["price_per_hour"] == 2);
    CHECK(file_names(temp.path()) == std::vector<std::string>{"runpod.json"});
  }

  TEST_CASE("a failed write leaves the old file intact and no temporary file behind") {
    TempDir temp;
    REQUIRE(write_provider_cache(temp.path(), "runpod", {sample_offer(1)}, "2026-11-22", "u"));
    const std::string before = read_file(temp.path() / "runpod.json");

    // A file-size limit makes the write fail half-way, as a full disk would (even for root).
    rlimit saved{};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit tight = saved;
    tight.rlim_cur = 512;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &tight) == 0);
    const std::vector<Offer> many(50, sample_offer(2));
    const auto written = write_provider_cache(temp.path(), "runpod", many, "2026-11-23", "u");
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &saved) == 0);
    std::signal(SIGXFSZ, previous_handler);

    REQUIRE(!written);
    CHECK(written.error().message
          == (temp.path() / "runpod.json").string() + ": cannot write: file too large");
    CHECK(read_file(temp.path() / "runpod.json") == before);
    CHECK(file_names(temp.path()) == std::vector<std::string>{"runpod.json"});
    CHECK(read_provider_cache(temp.path(), "runpod"));
  }

  TEST_CASE("write_file_atomic fails cleanly when the target is a directory") {
    TempDir temp;
    fs::create_directory(temp.path() / "taken.json");
    const auto written = write_file_atomic(temp.path() / "taken.json", "{}");
    REQUIRE(!written);
    CHECK(written.error().message.starts_with((temp.path() / "taken.json").string()
                                              + ": cannot write: "));
    CHECK(file_names(temp.path()) == std::vector<std::string>{"taken.json"});
  }

  TEST_CASE("concurrent writes of one file leave one whole file and no temporary files") {
    TempDir temp;
    std::vector<std::thread> writers;
    for (int i = 0; i < 4; ++i) {
      writers.emplace_back([&, i] {
        for (int j = 0; j < 10; ++j) {
          write_provider_cache(
              temp.path(), "runpod", {sample_offer(i + 1)}, "2026-11-23T00:00:00Z", "u");
        }
      });
    }
    for (auto& writer : writers) {
      writer.join();
    }
    CHECK(read_provider_cache(temp.path(), "runpod"));
    CHECK(file_names(temp.path()) == std::vector<std::string>{"runpod.json"});
  }

  TEST_CASE("reading a missing, damaged or foreign cache file fails with the file's name") {
    TempDir temp;
    const auto path = (temp.path() / "runpod.json").string();

    auto missing = read_provider_cache(temp.path(), "runpod");
    REQUIRE(!missing);
    CHECK(missing.error().message
          == path + ": no cached prices (the provider has not been fetched yet)");

    REQUIRE(write_provider_cache(temp.path(), "runpod", {sample_offer(0.59)}, "2026-11-23", "u"));
    std::string text = read_file(path);
    const auto price = text.find("0.59");
    REQUIRE(price != std::string::npos);
    text.replace(price, 4, "0.01");
    REQUIRE(write_file_atomic(path, text));
    auto edited = read_provider_cache(temp.path(), "runpod");
    REQUIRE(!edited);
    CHECK(edited.error().message
          == path + ": content_sha256 does not match the offers (the file was damaged or edited)");

    REQUIRE(write_file_atomic(path, "{\"schema\": \"gpucost/catalog\", \"schemaVersion\": 1,"));
    auto broken = read_provider_cache(temp.path(), "runpod");
    REQUIRE(!broken);
    CHECK(broken.error().message == path + ": not a JSON object (damaged cache file)");

    REQUIRE(
        write_file_atomic(path, R"({"schema":"gpucost/catalog","schemaVersion":2,"offers":[]})"));
    auto newer = read_provider_cache(temp.path(), "runpod");
    REQUIRE(!newer);
    CHECK(newer.error().message == path + ": schemaVersion 2 is newer than this gpucost reads (1)");

    REQUIRE(write_provider_cache(temp.path(), "vastai", {sample_offer()}, "2026-11-23", "u"));
    fs::rename(temp.path() / "vastai.json", path);
    auto foreign = read_provider_cache(temp.path(), "runpod");
    REQUIRE(!foreign);
    CHECK(foreign.error().message
          == path + ": holds prices of provider \"vastai\", not \"runpod\"");
  }

  TEST_CASE("provider ids that are not plain names are refused") {
    TempDir temp;
    for (const char* id : {"", "../evil", "Runpod", "a/b", "a.b"}) {
      CAPTURE(id);
      CHECK(!is_valid_provider_id(id));
      const auto written = write_provider_cache(temp.path(), id, {sample_offer()}, "2026", "u");
      REQUIRE(!written);
      CHECK(written.error().message.starts_with("invalid provider id"));
    }
    CHECK(is_valid_provider_id("lambda_labs-2"));
    CHECK(fs::is_empty(temp.path()));
  }

  TEST_CASE("the status file round-trips") {
    TempDir temp;
    CacheStatus status;
    status.provider = "lambda";
    status.attempted_at = "2026-11-23T10:00:00Z";
    status.ok = false;
    status.error = "lambda: GET https://cloud.lambda.ai/api/v1/instance-types returned HTTP 503";
    status.warnings = {"lambda: skipped \"cpu_4x_general\" (no GPU)"};
    status.duration_s = 0.25;
    const auto written = write_provider_status(temp.path(), status);
    REQUIRE(written);
    CHECK(*written == temp.path() / "lambda.status.json");

    const auto read = read_provider_status(temp.path(), "lambda");
    REQUIRE(read);
    CHECK(read->provider == "lambda");
    CHECK(read->attempted_at == status.attempted_at);
    CHECK(!read->ok);
    CHECK(!read->skipped);
    CHECK(read->error == status.error);
    CHECK(read->offers == 0);
    CHECK(read->warnings == status.warnings);
    CHECK(read->duration_s == 0.25);

    const auto json = nlohmann::json::parse(read_file(*written));
    CHECK(json["ok"] == false);
    CHECK(json["offers"] == 0);
    CHECK(!read_provider_status(temp.path(), "runpod"));
  }

  TEST_CASE("read_provider_catalog reads what read_provider_cache and parse_catalog read") {
    TempDir temp;
    const std::vector<Offer> offers{sample_offer(0.59), sample_offer(0.69)};
    REQUIRE(write_provider_cache(temp.path(), "runpod", offers, "2026-11-23T10:00:00Z", "u?k=1"));
    const auto slow = read_provider_cache(temp.path(), "runpod");
    REQUIRE(slow);
    const auto expected = parse_catalog(slow->text, slow->path.string(), {});
    REQUIRE(expected);
    const auto fast = read_provider_catalog(temp.path(), "runpod", {});
    REQUIRE(fast);
    CHECK(fast->path == slow->path);
    CHECK(fast->fetched_at == slow->fetched_at);
    CHECK(fast->source_url == slow->source_url);
    CHECK(fast->file_sha256 == sha256_hex(slow->text));
    CHECK(offers_to_json(fast->offers) == offers_to_json(*expected));
  }

  TEST_CASE("read_provider_catalog gives read_provider_cache's messages") {
    TempDir temp;
    const auto path = (temp.path() / "runpod.json").string();
    auto missing = read_provider_catalog(temp.path(), "runpod", {});
    REQUIRE(!missing);
    CHECK(missing.error().message
          == path + ": no cached prices (the provider has not been fetched yet)");

    REQUIRE(write_provider_cache(temp.path(), "runpod", {sample_offer(0.59)}, "2026-11-23", "u"));
    std::string text = read_file(path);
    const auto price = text.find("0.59");
    REQUIRE(price != std::string::npos);
    text.replace(price, 4, "0.01");
    REQUIRE(write_file_atomic(path, text));
    auto edited = read_provider_catalog(temp.path(), "runpod", {});
    REQUIRE(!edited);
    CHECK(edited.error().message
          == path + ": content_sha256 does not match the offers (the file was damaged or edited)");

    REQUIRE(write_provider_cache(temp.path(), "vastai", {sample_offer()}, "2026-11-23", "u"));
    fs::rename(temp.path() / "vastai.json", path);
    auto foreign = read_provider_catalog(temp.path(), "runpod", {});
    REQUIRE(!foreign);
    CHECK(foreign.error().message
          == path + ": holds prices of provider \"vastai\", not \"runpod\"");
  }

  TEST_CASE("a compact (unindented) cache file with a matching content_sha256 is read") {
    TempDir temp;
    REQUIRE(write_provider_cache(temp.path(), "runpod", {sample_offer(0.59)}, "2026-11-23", "u"));
    const auto path = temp.path() / "runpod.json";
    REQUIRE(write_file_atomic(path, nlohmann::ordered_json::parse(read_file(path)).dump()));
    const auto cache = read_provider_catalog(temp.path(), "runpod", {});
    REQUIRE(cache);
    REQUIRE(cache->offers.size() == 1);
    CHECK(cache->offers[0].price_per_hour == 0.59);
  }

  TEST_CASE("a verified record skips the hashes only for the very file it was made for") {
    TempDir temp;
    REQUIRE(write_provider_cache(temp.path(), "runpod", {sample_offer(0.59)}, "2026-11-23", "u"));
    const auto path = (temp.path() / "runpod.json").string();
    const auto record = temp.path() / ".runpod.verified";
    // No record for a file changed in the last two seconds.
    REQUIRE(read_provider_catalog(temp.path(), "runpod", {}));
    CHECK(!fs::exists(record));
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    const auto first = read_provider_catalog(temp.path(), "runpod", {});
    REQUIRE(first);
    REQUIRE(fs::exists(record));
    CHECK(read_file(record).find(first->file_sha256) != std::string::npos);
    const auto second = read_provider_catalog(temp.path(), "runpod", {});
    REQUIRE(second);
    CHECK(second->file_sha256 == first->file_sha256);

    // Edited in place, same size, times put back: the change time differs, so it is checked.
    std::string text = read_file(path);
    const auto price = text.find("0.59");
    REQUIRE(price != std::string::npos);
    text.replace(price, 4, "0.01");
    const auto mtime = fs::last_write_time(path);
    {
      std::ofstream out(path, std::ios::binary | std::ios::in);
      out << text;
    }
    fs::last_write_time(path, mtime);
    auto edited = read_provider_catalog(temp.path(), "runpod", {});
    REQUIRE(!edited);
    CHECK(edited.error().message
          == path + ": content_sha256 does not match the offers (the file was damaged or edited)");

    // A record that is not one this program wrote is ignored.
    REQUIRE(write_provider_cache(temp.path(), "vastai", {sample_offer()}, "2026-11-23", "u"));
    std::ofstream(temp.path() / ".vastai.verified") << "gpucost-verified-1 garbage\n";
    CHECK(read_provider_catalog(temp.path(), "vastai", {}));
  }
}

} // namespace gpucost_test_cache
