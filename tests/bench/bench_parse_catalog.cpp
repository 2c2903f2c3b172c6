// Benchmark of parse_catalog alone, in MB/s, next to the nlohmann readers it replaced. Not a test:
// run it by hand on catalogs that bench_compare generated, and copy the figures into
// docs/performance.md ("Catalog parsing"):
//   build/tests/bench/bench_compare build/cli/gpucost 100000   # writes /tmp/gpucost-bench/...
//   build/tests/bench/bench_parse_catalog /tmp/gpucost-bench/catalog-100000.json

#include <gpucost/data/catalog.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace {

// A SAX handler that builds nothing: nlohmann's lexer alone, the floor of any nlohmann reader.
struct NullSax {
  bool null() { return true; }
  bool boolean(bool /*value*/) { return true; }
  bool number_integer(nlohmann::json::number_integer_t /*value*/) { return true; }
  bool number_unsigned(nlohmann::json::number_unsigned_t /*value*/) { return true; }
  bool number_float(double /*value*/, const std::string& /*text*/) { return true; }
  bool string(std::string& /*value*/) { return true; }
  bool binary(nlohmann::json::binary_t& /*value*/) { return true; }
  bool start_object(std::size_t /*size*/) { return true; }
  bool key(std::string& /*key*/) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t /*size*/) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t /*position*/,
                   const std::string& /*token*/,
                   const nlohmann::json::exception& /*error*/) {
    return false;
  }
};

// Runs `parse` `runs` times and prints the best time; `parse` returns false on failure.
void measure(const std::string& what,
             std::size_t bytes,
             int runs,
             const std::function<bool()>& parse) {
  double best_s = 0;
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    if (!parse()) {
      fmt::print(stderr, "{}: failed\n", what);
      std::exit(1);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best_s = run == 0 ? seconds : std::min(best_s, seconds);
  }
  fmt::print("  {:<44} {:>8.1f} ms {:>8.0f} MB/s\n",
             what,
             best_s * 1000,
             static_cast<double>(bytes) / 1e6 / best_s);
}

void bench(const std::string& label, const std::string& text, const std::string& origin) {
  fmt::print("{} ({:.1f} MB)\n", label, static_cast<double>(text.size()) / 1e6);
  const std::vector<gpucost::FxRate> rates;
  measure("parse_catalog", text.size(), 10, [&] {
    return gpucost::parse_catalog(text, origin, rates).has_value();
  });
  measure("nlohmann::ordered_json::parse (DOM only)", text.size(), 2, [&] {
    return !nlohmann::ordered_json::parse(text, nullptr, false).is_discarded();
  });
  measure("nlohmann::json::sax_parse (no handler work)", text.size(), 3, [&] {
    NullSax sax;
    return nlohmann::json::sax_parse(text, &sax);
  });
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: bench_parse_catalog CATALOG.json...\n");
    return 1;
  }
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    bench(argv[i], text, argv[i]);
    // The same offers as serialize_catalog writes them (indented, every field): the bundled
    // catalogs' layout, with twice the bytes per offer.
    const auto offers = gpucost::parse_catalog(text, argv[i], {});
    if (!offers) {
      fmt::print(stderr, "{}\n", offers.error().message);
      return 1;
    }
    bench(std::string(argv[i]) + " as serialize_catalog writes it",
          gpucost::serialize_catalog(*offers),
          argv[i]);
  }
  return 0;
}
