#pragma once

#include <gpucost/model/compare_result.hpp>
#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/gpu.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/model/provider_info.hpp>
#include <gpucost/model/workload.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace gpucost {

// Which offers and rows a user asked to see; empty means no restriction.
struct OfferFilters {
  std::vector<std::string> gpus;      // canonical GPU names
  std::vector<std::string> providers; // provider ids
  std::vector<Product> products;
  std::vector<std::string> regions;  // case-insensitive prefix match ("us" matches "us-east-1")
  std::optional<double> min_vram_gb; // per GPU, marketed GB
  std::optional<double> max_price_per_hour; // USD per hour of the rate a row pays
  std::optional<Mode> mode;
  std::optional<Pricing> pricing;
};

// Whether an offer passes the offer-level filters (GPU, provider, product, region, memory).
bool offer_matches(const Offer& offer, const GpuDatabase& gpus, const OfferFilters& filters);

// The seconds one job takes on `gpu`: measured when the workload has a figure for it, else the
// reference time scaled by the class's figure; fails with the reason when it cannot be known.
Expected<double>
job_seconds_on(const Workload& workload, const GpuSpec& gpu, const GpuDatabase& gpus);

// Prices every offer in every mode it has and ranks the rows by cost per job (ties broken by
// provider, product, GPU, region, name, mode, pricing), keeping the `limit` cheapest. Offers that
// cannot run the workload are left out with a warning. `now_s` gives price ages. Pure: no files,
// network or clock.
CompareResult rank_options(const std::vector<Offer>& offers,
                           const GpuDatabase& gpus,
                           const ProviderTable& providers,
                           const Workload& workload,
                           const OfferFilters& filters,
                           std::int64_t now_s,
                           std::size_t limit = std::numeric_limits<std::size_t>::max());

} // namespace gpucost
