#pragma once

#include <gpucost/model/optional_number.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace gpucost {

// What kind of thing an offer rents: it decides which deployment modes the offer has.
enum class Product { pod, vm, serverless, dedicated };

// The catalog spelling of a product ("pod", "vm", "serverless", "dedicated").
std::string_view to_string(Product product);

// Parses a catalog product name; nullopt when it is not one of the four.
std::optional<Product> parse_product(std::string_view name);

// One rentable configuration at one price, in the catalog format (docs/catalog-format.md).
// Every optional field is unknown when empty: an unknown price is never zero. Number fields are
// OptionalNumber (8 bytes, the interface of std::optional<double>) to keep 100k offers small; a new
// number field should be one too, and be added to the readers in data/ (catalog.cpp,
// catalog_fast.cpp's number_rule) and offer_json.cpp.
struct Offer {
  std::string provider;                    // provider id, e.g. "runpod"
  Product product = Product::vm;           // pod, vm, serverless or dedicated
  std::string name;                        // instance type or SKU, may be empty
  std::string gpu;                         // canonical GPU name (data/gpus.json)
  int gpu_count = 1;                       // GPUs in the instance, >= 1
  OptionalNumber gpu_memory_gb;            // per GPU, as marketed (80 for an H100 80GB)
  OptionalNumber vcpus;                    // virtual CPUs of the instance
  OptionalNumber ram_gb;                   // host memory of the instance, GB
  std::string region;                      // provider region or country, may be empty
  OptionalNumber price_per_hour;           // whole instance, USD per hour, on demand
  OptionalNumber spot_price_per_hour;      // whole instance, USD per hour, interruptible
  OptionalNumber monthly_price;            // whole instance, USD per month (dedicated)
  OptionalNumber always_on_price_per_hour; // serverless always-on worker, USD per hour
  OptionalNumber billing_granularity_s;    // billing rounds sessions up to this, seconds
  OptionalNumber billing_minimum_s;        // smallest billed session, seconds
  OptionalNumber cold_start_s;             // seconds from "needs a worker" to "can run"
  std::optional<bool> cold_start_billed;   // whether start time is billed
  OptionalNumber idle_timeout_s;           // keep-alive after the last job, seconds
  OptionalNumber interruptions_per_hour;   // spot interruptions per hour
  OptionalNumber egress_per_gb;            // USD per GB leaving the provider
  OptionalNumber reliability;              // 0..1 where the provider publishes it
  std::string source;                      // where the price came from (URL or file)
  std::string fetched_at;                  // ISO 8601 UTC time the price was read
  std::string notes;                       // how the price was derived, caveats
};

} // namespace gpucost
