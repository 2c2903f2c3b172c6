#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gpucost {

// What kind of thing an offer rents: it decides which deployment modes the offer has.
// `training` is a managed job service that provisions a machine per job and bills it while the
// job runs (Vertex AI custom training: per job only); `prediction` is a managed endpoint that
// keeps at least one node up and cannot scale to zero (Vertex AI prediction: always on only).
enum class Product { pod, vm, serverless, dedicated, training, prediction };

// The catalog spelling of a product ("pod", "vm", "serverless", "dedicated", "training",
// "prediction").
std::string_view to_string(Product product);

// Parses a catalog product name; nullopt when it is not one of the six.
std::optional<Product> parse_product(std::string_view name);

// One rentable configuration at one price, in the catalog format (docs/catalog-format.md).
// Every optional field is unknown when empty: an unknown price is never zero.
struct Offer {
  std::string provider;                           // provider id, e.g. "runpod"
  Product product = Product::vm;                  // pod, vm, serverless, dedicated, ...
  std::string name;                               // instance type or SKU, may be empty
  std::string gpu;                                // canonical GPU name (data/gpus.json)
  int gpu_count = 1;                              // GPUs in the instance, >= 1
  std::optional<double> gpu_memory_gb;            // per GPU, as marketed (80 for an H100 80GB)
  std::optional<double> vcpus;                    // virtual CPUs of the instance
  std::optional<double> ram_gb;                   // host memory of the instance, GB
  std::string region;                             // provider region or country, may be empty
  std::optional<double> price_per_hour;           // whole instance, USD per hour, on demand
  std::optional<double> spot_price_per_hour;      // whole instance, USD per hour, interruptible
  std::optional<double> monthly_price;            // whole instance, USD per month (dedicated)
  std::optional<double> always_on_price_per_hour; // serverless always-on worker, USD per hour
  std::optional<double> billing_granularity_s;    // billing rounds sessions up to this, seconds
  std::optional<double> billing_minimum_s;        // smallest billed session, seconds
  std::optional<double> cold_start_s;             // seconds from "needs a worker" to "can run"
  std::optional<bool> cold_start_billed;          // whether start time is billed
  std::optional<double> idle_timeout_s;           // keep-alive after the last job, seconds
  std::optional<double> interruptions_per_hour;   // spot interruptions per hour
  std::optional<double> egress_per_gb;            // USD per GB leaving the provider
  std::optional<double> reliability;              // 0..1 where the provider publishes it
  std::string source;                             // where the price came from (URL or file)
  std::string fetched_at;                         // ISO 8601 UTC time the price was read
  std::string notes;                              // how the price was derived, caveats
};

} // namespace gpucost
