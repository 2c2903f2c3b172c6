#pragma once

#include <gpucost/model/optional_number.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gpucost {

// What kind of thing an offer rents: it decides which deployment modes the offer has.
// `training` is a managed job service that provisions a machine per job and bills it while the
// job runs (Vertex AI custom training: per job only); `prediction` is a managed endpoint that
// keeps at least one node up and cannot scale to zero (Vertex AI prediction: always on only).
// `api` is a service priced per unit of work (a transcription API per audio minute): no GPU, one
// per-job row (docs/cost-model.md "API offers").
enum class Product { pod, vm, serverless, dedicated, training, prediction, api };

// The catalog spelling of a product ("pod", "vm", "serverless", "dedicated", "training",
// "prediction", "api").
std::string_view to_string(Product product);

// Parses a catalog product name; nullopt when it is not one of the seven.
std::optional<Product> parse_product(std::string_view name);

// The products as a message lists them: "pod, vm, serverless, dedicated, training, prediction or
// api".
std::string_view product_names();

// The closed list of units an api offer is priced in (docs/catalog-format.md): minutes of input
// audio, thousands of input characters, millions of tokens, images made, seconds of generated
// output (audio or video), calls.
enum class WorkUnit : std::uint8_t {
  audio_minute,
  character_1k,
  token_1m,
  image,
  output_second,
  call
};

// The catalog and flag spelling of a unit ("audio_minute", ...).
std::string_view to_string(WorkUnit unit);

// Parses a unit spelling; nullopt when it is not one of the six.
std::optional<WorkUnit> parse_work_unit(std::string_view name);

// Every unit, in documented order.
std::span<const WorkUnit> all_work_units();

// The units as a message lists them: "audio_minute, character_1k, ... or call".
std::string work_unit_names();

// An api offer's price per unit of work, with the provider's own terms; every member is unknown
// when empty (and all are empty on a GPU offer). The minimum and the rounding apply to each call.
struct UnitPrice {
  std::optional<WorkUnit> unit;         // what one unit is
  OptionalNumber price_per_unit;        // USD per unit, > 0
  OptionalNumber minimum_charge;        // USD a call is billed at least, >= 0
  OptionalNumber unit_increment;        // a call's units are rounded up to a multiple
  OptionalNumber max_units_per_call;    // a job larger than this takes several calls
  OptionalNumber rate_limit_per_minute; // calls a minute the provider allows an account
};

// One rentable configuration at one price, in the catalog format (docs/catalog-format.md).
// Every optional field is unknown when empty: an unknown price is never zero. Number fields are
// OptionalNumber (8 bytes, the interface of std::optional<double>) to keep 100k offers small; a new
// number field should be one too, and be added to the readers in data/ (catalog.cpp,
// catalog_fast.cpp's number_rule) and offer_json.cpp.
struct Offer {
  std::string provider;                    // provider id, e.g. "runpod"
  Product product = Product::vm;           // pod, vm, serverless, dedicated, ...
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
  UnitPrice per_unit;                      // product api only: the price per unit of work
};

} // namespace gpucost
