#pragma once

#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/gpu.hpp>
#include <gpucost/model/offer.hpp>

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

// The same, with the offer's GPU already looked up (nullptr when it is not in gpus.json: then the
// GPU filter compares the catalog's name).
bool offer_matches(const Offer& offer, const GpuSpec* gpu, const OfferFilters& filters);

// Whether a row of `mode` and `pricing` paying `usd_per_hour` passes the row-level filters.
bool row_matches(Mode mode, Pricing pricing, double usd_per_hour, const OfferFilters& filters);

} // namespace gpucost
