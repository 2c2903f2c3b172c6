// Reading files whole: read_text_file and the mapped FileText, on regular files, empty files,
// pipes and paths that cannot be read; and load_catalog_files on a catalog big enough to be hashed
// on a second thread.

#include "temp_dir.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/data/data_set.hpp>
#include <gpucost/util/file_text.hpp>
#include <gpucost/util/sha256.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_file_text {

namespace fs = std::filesystem;

namespace {

using gpucost::test::TempDir;

void write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

} // namespace

TEST_CASE("a regular file reads the same mapped or copied, bytes included") {
  TempDir dir;
  std::string text = "{\"a\": 1}\n";
  text.push_back('\0');
  text += std::string(200000, 'x');
  write(dir.path() / "f.json", text);
  const auto mapped = gpucost::FileText::open((dir.path() / "f.json").string());
  REQUIRE(mapped);
  CHECK(mapped->view() == text);
  const auto copied = gpucost::read_text_file((dir.path() / "f.json").string());
  REQUIRE(copied);
  CHECK(*copied == text);

  gpucost::FileText moved = std::move(*gpucost::FileText::open((dir.path() / "f.json").string()));
  CHECK(moved.view() == text);
}

TEST_CASE("an empty file is empty text") {
  TempDir dir;
  write(dir.path() / "empty.json", "");
  const auto file = gpucost::FileText::open((dir.path() / "empty.json").string());
  REQUIRE(file);
  CHECK(file->view().empty());
  CHECK(gpucost::read_text_file((dir.path() / "empty.json").string()).value().empty());
}

TEST_CASE("a pipe is read to its end") {
  TempDir dir;
  const fs::path fifo = dir.path() / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string text(300000, 'y'); // more than a pipe's buffer and the first 64 KiB chunk
  std::thread writer([&] { write(fifo, text); });
  const auto file = gpucost::FileText::open(fifo.string());
  writer.join();
  REQUIRE(file);
  CHECK(file->view() == text);
}

TEST_CASE("a missing file or a directory names the path and the reason") {
  TempDir dir;
  const std::string missing = (dir.path() / "no-such.json").string();
  const auto absent = gpucost::FileText::open(missing);
  REQUIRE(!absent);
  CHECK(absent.error().message == "cannot read " + missing + ": No such file or directory");
  const auto directory = gpucost::FileText::open(dir.path().string());
  REQUIRE(!directory);
  CHECK(directory.error().message == "cannot read " + dir.path().string() + ": it is a directory");
}

TEST_CASE("a large catalog is parsed and hashed, the digest that of its bytes") {
  TempDir dir;
  std::string text = R"({"schema": "gpucost/catalog", "schemaVersion": 1, "offers": [)";
  const std::string offer =
      R"({"provider": "runpod", "product": "pod", "gpu": "RTX 4090", "gpu_count": 1,)"
      R"( "price_per_hour": 0.74, "source": "https://www.runpod.io/pricing",)"
      R"( "fetched_at": "2026-11-01T00:00:00Z"})";
  const int count = 8000; // about 1.4 MB: past the size hashed on a second thread
  for (int i = 0; i < count; ++i) {
    text += (i == 0 ? "" : ",\n") + offer;
  }
  text += "]}\n";
  REQUIRE(text.size() >= (1U << 20));
  const std::string path = (dir.path() / "big.json").string();
  write(path, text);
  const auto loaded = gpucost::load_catalog_files({path, path}, gpucost::PriceOrigin::file, {});
  REQUIRE(loaded);
  CHECK(loaded->offers.size() == 2 * count);
  REQUIRE(loaded->file_sha256.size() == 2);
  CHECK(loaded->file_sha256[0] == gpucost::sha256_hex(text));
  CHECK(loaded->file_sha256[1] == gpucost::sha256_hex(text));
  CHECK(loaded->sources.at(1).offers == count);
}

TEST_CASE("sha256_hex: the FIPS 180-4 examples, and small and large texts hashed alike") {
  CHECK(gpucost::sha256_hex("")
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(gpucost::sha256_hex("abc")
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(gpucost::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(gpucost::sha256_hex(std::string(1000000, 'a'))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Texts under 1 MiB are hashed by gpucost's own code, the streaming digest and larger texts by
  // libcrypto (where it loads): every length around a 64-byte block, and across the switch.
  std::string text;
  for (std::size_t length = 0; length <= 200; ++length) {
    CAPTURE(length);
    gpucost::Sha256 stream;
    stream.update(text.substr(0, length / 3));
    stream.update(text.substr(length / 3));
    CHECK(gpucost::sha256_hex(text) == stream.hex());
    text += static_cast<char>(length * 37 % 256);
  }
  // Just under the switch (gpucost's code) against the streaming digest (libcrypto's).
  std::string large((std::size_t{1} << 20) - 1, 'x');
  for (std::size_t i = 0; i < large.size(); i += 4099) {
    large[i] = static_cast<char>(i % 251);
  }
  gpucost::Sha256 stream;
  stream.update(large);
  CHECK(gpucost::sha256_hex(large) == stream.hex());
  // Past it: two million 'a' (Python's hashlib gives the same).
  CHECK(gpucost::sha256_hex(std::string(2000000, 'a'))
        == "bcf7f9d1b4311c3352e60502255ce09a6744df84e8f2c89f79c4b5d74933a95a");
}

TEST_CASE("sha256_hex: the CPU's SHA instructions and the plain code give the same digests") {
  MESSAGE("this CPU's SHA instructions used: " << gpucost::sha256_uses_cpu_instructions());
  CHECK(gpucost::sha256_hex_portable("abc")
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Every length over four blocks, then long texts of many blocks: one wrong word of the message
  // schedule or lane of the state changes every digest from the first block on.
  std::string text;
  std::uint32_t seed = 12345;
  for (std::size_t length = 0; length <= 300; ++length) {
    CAPTURE(length);
    CHECK(gpucost::sha256_hex(text) == gpucost::sha256_hex_portable(text));
    seed = seed * 1664525U + 1013904223U;
    text += static_cast<char>(seed >> 24);
  }
  for (const std::size_t length : {std::size_t{4096}, std::size_t{65537}, std::size_t{1} << 20}) {
    CAPTURE(length);
    while (text.size() < length) {
      seed = seed * 1664525U + 1013904223U;
      text += static_cast<char>(seed >> 24);
    }
    CHECK(gpucost::sha256_hex(text.substr(0, length))
          == gpucost::sha256_hex_portable(text.substr(0, length)));
  }
}

// The resident kB of the mapping that holds `address`, from /proc/self/smaps; -1 if not found.
long mapping_rss_kb(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    unsigned long long low = 0;
    unsigned long long high = 0;
    if (std::sscanf(line.c_str(), "%llx-%llx ", &low, &high) == 2) {
      inside = at >= low && at < high;
    } else if (inside && line.rfind("Rss:", 0) == 0) {
      return std::stol(line.substr(4));
    }
  }
  return -1;
}

TEST_CASE("drop lets a mapped file's pages go, and they read the same again") {
  TempDir dir;
  std::string text(std::size_t{3} << 20, '\0');
  for (std::size_t i = 0; i < text.size(); ++i) {
    text[i] = static_cast<char>('a' + i % 23);
  }
  const std::string path = (dir.path() / "pages.txt").string();
  write(path, text);
  const auto file = gpucost::FileText::open(path);
  REQUIRE(file);
  const std::string_view view = file->view();
  REQUIRE(view == text); // every page read
  const long before = mapping_rss_kb(view.data());
  if (before < 0) {
    MESSAGE("no /proc/self/smaps: resident size not checked");
  } else {
    CHECK(before >= 3000);
    file->drop(0, view.size() / 2 + 100); // the page that the end cuts stays
    // How much of the rest stays resident is the kernel's affair (large folios): less than before.
    CHECK(mapping_rss_kb(view.data()) < before);
    file->drop(view.size() / 2 + 100, view.size());
    CHECK(mapping_rss_kb(view.data()) <= 8);
  }
  CHECK(view == text);
  // Text read into memory (a pipe) is not dropped.
  const auto copied = gpucost::read_text_file(path);
  REQUIRE(copied);
  CHECK(*copied == text);
}

TEST_CASE("populate maps a mapped file's pages before they are read") {
  TempDir dir;
  const std::string text(std::size_t{3} << 20, 'x');
  const std::string path = (dir.path() / "ahead.txt").string();
  write(path, text);
  const auto file = gpucost::FileText::open(path);
  REQUIRE(file);
  REQUIRE(file->mapped());
  const long before = mapping_rss_kb(file->view().data());
  if (before < 0) {
    MESSAGE("no /proc/self/smaps: resident size not checked");
  } else {
    CHECK(before < 1000); // nothing read yet
    file->populate(0, text.size());
    CHECK(mapping_rss_kb(file->view().data()) >= 3000);
  }
  CHECK(file->view() == text);
}

TEST_CASE("a catalog of many MB is parsed and hashed as its pages are let go: offers and digest "
          "intact") {
  TempDir dir;
  std::string text = R"({"schema": "gpucost/catalog", "schemaVersion": 1, "offers": [)";
  const int count = 60000; // about 10 MB: several of the 4 MB steps of both readers
  for (int i = 0; i < count; ++i) {
    text += (i == 0 ? "" : ",\n")
            + fmt::format(R"({{"provider": "runpod", "product": "pod", "gpu": "RTX 4090",)"
                          R"( "gpu_count": 1, "region": "r{}", "price_per_hour": {}.5,)"
                          R"( "source": "https://www.runpod.io/pricing",)"
                          R"( "fetched_at": "2026-11-01T00:00:00Z"}})",
                          i,
                          i);
  }
  text += "]}\n";
  REQUIRE(text.size() >= (std::size_t{9} << 20));
  const std::string path = (dir.path() / "many.json").string();
  write(path, text);
  std::vector<std::size_t> told;
  const auto parsed =
      gpucost::parse_catalog(text, path, {}, [&](std::size_t read) { told.push_back(read); });
  REQUIRE(parsed);
  CHECK(told.size() == 2);
  CHECK(std::is_sorted(told.begin(), told.end()));
  CHECK(told.back() < text.size());
  const auto loaded = gpucost::load_catalog_files({path}, gpucost::PriceOrigin::file, {});
  REQUIRE(loaded);
  REQUIRE(loaded->offers.size() == count);
  for (std::size_t i = 0; i < parsed->size(); i += 997) {
    CHECK(loaded->offers[i].region == (*parsed)[i].region);
    CHECK(loaded->offers[i].price_per_hour == (*parsed)[i].price_per_hour);
  }
  CHECK(loaded->offers.back().region == fmt::format("r{}", count - 1));
  CHECK(loaded->file_sha256.at(0) == gpucost::sha256_hex(text));
}

TEST_CASE("load_catalog_files with `keep`: the sources count, date and name every offer read") {
  TempDir dir;
  const auto offer = [](const char* provider, const char* gpu, const char* fetched_at) {
    return fmt::format(R"({{"provider": "{}", "product": "pod", "gpu": "{}", "gpu_count": 1,)"
                       R"( "price_per_hour": 0.74, "source": "s", "fetched_at": "{}"}})",
                       provider,
                       gpu,
                       fetched_at);
  };
  const std::string one = (dir.path() / "one.json").string();
  write(one,
        R"({"schema": "gpucost/catalog", "schemaVersion": 1, "offers": [)"
            + offer("runpod", "L4", "2026-11-02T00:00:00Z") + ","
            + offer("runpod", "RTX 4090", "2026-11-03T00:00:00Z") + ","
            + offer("runpod", "L4", "2026-10-01T00:00:00Z") + "]}");
  const std::string two = (dir.path() / "two.json").string();
  write(two,
        R"({"schema": "gpucost/catalog", "schemaVersion": 1, "offers": [)"
            + offer("aws", "L4", "2026-11-05T00:00:00Z") + ","
            + offer("gcp", "L4", "2026-11-04T00:00:00Z") + "]}");
  std::vector<std::size_t> indices;
  const auto loaded =
      gpucost::load_catalog_files({one, two},
                                  gpucost::PriceOrigin::file,
                                  {},
                                  {},
                                  [&](gpucost::Offer& kept, const gpucost::OfferRead& read) {
                                    indices.push_back(read.index);
                                    CHECK(read.printable_ascii);
                                    return kept.gpu == "RTX 4090";
                                  });
  REQUIRE(loaded);
  CHECK(indices == std::vector<std::size_t>{0, 1, 2, 0, 1});
  REQUIRE(loaded->offers.size() == 1);
  CHECK(loaded->offers[0].fetched_at == "2026-11-03T00:00:00Z");
  REQUIRE(loaded->sources.size() == 2);
  CHECK(loaded->sources[0].offers == 3);
  CHECK(loaded->sources[0].fetched_at == "2026-10-01T00:00:00Z"); // of an offer left out
  CHECK(loaded->sources[0].provider == "runpod");
  CHECK(loaded->sources[1].offers == 2);
  CHECK(loaded->sources[1].fetched_at == "2026-11-04T00:00:00Z");
  CHECK(loaded->sources[1].provider.empty()); // two providers
}

TEST_CASE("load_catalog_files remembers a file's SHA-256 only for the very version it hashed") {
  TempDir dir;
  // Past 1 MB, so that a run that knows the digest maps the pages ahead of the reader instead.
  std::string text =
      R"({"schema": "gpucost/catalog", "schemaVersion": 1, "offers": [)"
      R"({"provider": "runpod", "product": "pod", "gpu": "RTX 4090", "gpu_count": 1,)"
      R"( "price_per_hour": 0.74, "source": "s",)"
      R"( "fetched_at": "2026-11-01T00:00:00Z"})";
  const int count = 12000;
  for (int i = 1; i < count; ++i) {
    text += fmt::format(R"(,{{"provider": "runpod", "product": "pod", "gpu": "RTX 4090",)"
                        R"( "gpu_count": 1, "region": "r{}", "price_per_hour": 1.5,)"
                        R"( "source": "s", "fetched_at": "2026-11-01T00:00:00Z"}})",
                        i);
  }
  text += "]}";
  REQUIRE(text.size() > (std::size_t{1} << 20));
  const std::string path = (dir.path() / "c.json").string();
  const fs::path digests = dir.path() / "cache" / "digests";
  write(path, text);
  // No record for a file changed in the last two seconds.
  auto loaded = gpucost::load_catalog_files({path}, gpucost::PriceOrigin::file, {}, digests);
  REQUIRE(loaded);
  CHECK((!fs::exists(digests) || fs::is_empty(digests)));
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  loaded = gpucost::load_catalog_files({path}, gpucost::PriceOrigin::file, {}, digests);
  REQUIRE(loaded);
  CHECK(loaded->file_sha256.at(0) == gpucost::sha256_hex(text));
  REQUIRE(fs::exists(digests));
  std::size_t records = 0;
  for (const auto& entry : fs::directory_iterator(digests)) {
    CHECK(entry.path().extension() == ".sha256");
    ++records;
  }
  CHECK(records == 1);
  loaded = gpucost::load_catalog_files({path}, gpucost::PriceOrigin::file, {}, digests);
  REQUIRE(loaded);
  CHECK(loaded->file_sha256.at(0) == gpucost::sha256_hex(text));
  REQUIRE(loaded->offers.size() == count); // read whole with the pages mapped ahead
  CHECK(loaded->offers.back().region == fmt::format("r{}", count - 1));

  // Rewritten in place, same size, modification time put back: the change time differs.
  std::string edited = text;
  edited.replace(edited.find("0.74"), 4, "0.75");
  const auto mtime = fs::last_write_time(path);
  write(path, edited);
  fs::last_write_time(path, mtime);
  loaded = gpucost::load_catalog_files({path}, gpucost::PriceOrigin::file, {}, digests);
  REQUIRE(loaded);
  CHECK(loaded->file_sha256.at(0) == gpucost::sha256_hex(edited));
}

TEST_CASE("an endless or oversized input fails with the limit named, never fills memory") {
  const auto endless = gpucost::FileText::open("/dev/zero", std::size_t{1} << 20);
  REQUIRE_FALSE(endless);
  CHECK(endless.error().message
        == "cannot read /dev/zero: larger than 1 MiB (the limit for an input file)");
  TempDir temp;
  const auto path = temp.path() / "big.json";
  std::ofstream(path) << std::string((std::size_t{1} << 20) + 1, ' ');
  const auto big = gpucost::FileText::open(path.string(), std::size_t{1} << 20);
  REQUIRE_FALSE(big);
  CHECK(big.error().message.find("larger than 1 MiB") != std::string::npos);
  CHECK(gpucost::FileText::open(path.string(), std::size_t{2} << 20));
}

} // namespace gpucost_test_file_text
