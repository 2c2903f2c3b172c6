#include <gpucost/model/compare.hpp>
#include <gpucost/model/simulate/fleet.hpp>
#include <gpucost/model/units.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>
#include <tuple>
#include <unordered_map>

namespace gpucost {

namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i]))
        != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

template<typename T> bool allowed(const std::vector<T>& list, const T& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

std::optional<double> class_figure(const GpuSpec& gpu, WorkloadClass workload_class) {
  switch (workload_class) {
  case WorkloadClass::compute:
    return gpu.fp16_tflops;
  case WorkloadClass::memory:
    return gpu.memory_bandwidth_gbs;
  case WorkloadClass::encode:
    if (gpu.nvenc) {
      return static_cast<double>(*gpu.nvenc);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// Whether scaling the reference time to `gpu` would cross vendors (NVIDIA to AMD, say), which a
// workload allows only when it says so: the same job rarely runs on both software stacks, and
// never at the ratio of their spec sheets.
bool crosses_vendor(const Workload& workload, const GpuSpec& gpu, const GpuSpec& reference) {
  return !workload.cross_vendor && !gpu.vendor.empty() && !reference.vendor.empty()
         && gpu.vendor != reference.vendor;
}

std::string_view figure_name(WorkloadClass workload_class) {
  switch (workload_class) {
  case WorkloadClass::compute:
    return "FP16 tensor TFLOPS";
  case WorkloadClass::memory:
    return "memory bandwidth";
  case WorkloadClass::encode:
    return "NVENC engine count";
  }
  return "";
}

// The traits gpucost may fill in from built-in defaults, in the order a row lists them.
enum DefaultedTrait : unsigned {
  k_interruptions = 1U << 0,
  k_granularity = 1U << 1,
  k_minimum = 1U << 2,
  k_cold_start = 1U << 3,
  k_cold_start_billed = 1U << 4,
  k_egress = 1U << 5,
};
constexpr std::array<std::string_view, 6> k_trait_names = {"interruptions_per_hour",
                                                           "billing_granularity_s",
                                                           "billing_minimum_s",
                                                           "cold_start_s",
                                                           "cold_start_billed",
                                                           "egress_per_gb"};
constexpr unsigned k_billing_traits = k_granularity | k_minimum; // relevant to per-job, keep-alive
constexpr unsigned k_start_traits = k_cold_start | k_cold_start_billed; // C, C_billed

std::vector<std::string> trait_names(unsigned mask) {
  std::vector<std::string> names;
  for (std::size_t bit = 0; bit < k_trait_names.size(); ++bit) {
    if ((mask & (1U << bit)) != 0) {
      names.emplace_back(k_trait_names[bit]);
    }
  }
  return names;
}

// Traits after the offer, then providers.json, then the built-in defaults; flags beat all.
struct ResolvedTraits {
  ModelOption option;
  unsigned defaulted = 0;     // DefaultedTrait bits
  bool timeout_known = false; // T came from somewhere other than a default
};

template<typename T>
T pick(const std::optional<T>& from_offer,
       const std::optional<T>& from_provider,
       T fallback,
       DefaultedTrait trait,
       unsigned& defaulted) {
  if (from_offer) {
    return *from_offer;
  }
  if (from_provider) {
    return *from_provider;
  }
  defaulted |= trait;
  return fallback;
}

ResolvedTraits resolve_traits(const Offer& offer,
                              const ProductTraits* found,
                              const ProviderInfo* info,
                              const Workload& workload) {
  const ProductTraits none;
  const ProductTraits& traits = found != nullptr ? *found : none;

  ResolvedTraits resolved;
  ModelOption& option = resolved.option;
  option.granularity_s = pick(offer.billing_granularity_s,
                              traits.billing_granularity_s,
                              1.0,
                              k_granularity,
                              resolved.defaulted);
  option.minimum_s =
      pick(offer.billing_minimum_s, traits.billing_minimum_s, 0.0, k_minimum, resolved.defaulted);
  if (workload.cold_start_s) {
    option.cold_start_s = *workload.cold_start_s;
  } else {
    option.cold_start_s =
        pick(offer.cold_start_s, traits.cold_start_s, 0.0, k_cold_start, resolved.defaulted);
  }
  option.cold_start_billed = pick(offer.cold_start_billed,
                                  traits.cold_start_billed,
                                  true,
                                  k_cold_start_billed,
                                  resolved.defaulted);
  if (workload.idle_timeout_s) {
    option.idle_timeout_s = *workload.idle_timeout_s;
    resolved.timeout_known = true;
  } else if (offer.idle_timeout_s || traits.idle_timeout_s) {
    option.idle_timeout_s = offer.idle_timeout_s ? *offer.idle_timeout_s : *traits.idle_timeout_s;
    resolved.timeout_known = true;
  }
  if (workload.output_gb) {
    const std::optional<double> provider_egress =
        info != nullptr ? info->egress_per_gb : std::optional<double>{};
    const double per_gb =
        pick(offer.egress_per_gb, provider_egress, 0.0, k_egress, resolved.defaulted);
    option.egress_usd_per_job = *workload.output_gb * per_gb;
  }
  option.slots = std::max(1, offer.gpu_count / std::max(1, workload.gpus_per_job));
  return resolved;
}

// One row to price: a mode, a pricing and the hourly rate it pays.
struct RowPlan {
  Mode mode;
  Pricing pricing;
  bool serverless_per_job; // keep-alive with T = 0, reported as per-job
  double usd_per_hour;
};

std::vector<RowPlan>
plan_rows(const Offer& offer, const ProductTraits* traits, bool timeout_known) {
  std::vector<RowPlan> rows;
  const auto& on_demand = offer.price_per_hour;
  const auto& spot = offer.spot_price_per_hour;
  switch (offer.product) {
  case Product::pod:
  case Product::vm:
    if (on_demand) {
      rows.push_back({Mode::per_job, Pricing::on_demand, false, *on_demand});
      if (timeout_known) {
        rows.push_back({Mode::keep_alive, Pricing::on_demand, false, *on_demand});
      }
      rows.push_back({Mode::always_on, Pricing::on_demand, false, *on_demand});
    }
    if (spot) {
      rows.push_back({Mode::per_job, Pricing::spot, false, *spot});
      rows.push_back({Mode::always_on, Pricing::spot, false, *spot});
    }
    break;
  case Product::serverless:
    if (on_demand) {
      rows.push_back({Mode::per_job, Pricing::on_demand, true, *on_demand});
      rows.push_back({Mode::keep_alive, Pricing::on_demand, false, *on_demand});
    }
    if (offer.always_on_price_per_hour) {
      rows.push_back({Mode::always_on, Pricing::on_demand, false, *offer.always_on_price_per_hour});
    } else if (on_demand && traits != nullptr && traits->always_on.value_or(false)) {
      rows.push_back({Mode::always_on, Pricing::on_demand, false, *on_demand});
    }
    break;
  case Product::dedicated:
    if (offer.monthly_price) {
      rows.push_back(
          {Mode::always_on, Pricing::on_demand, false, *offer.monthly_price / k_hours_per_month});
    } else if (on_demand) {
      rows.push_back({Mode::always_on, Pricing::on_demand, false, *on_demand});
    }
    break;
  }
  return rows;
}

// A row priced in full: what a shown row carries.
struct PricedRow {
  Estimate estimate;
  ModelOption option;
  unsigned defaulted = 0; // DefaultedTrait bits
};

// Prices one planned row of an offer; fails, naming the reason, as estimate_cost does.
Expected<PricedRow> price_row(const Offer& offer,
                              const ResolvedTraits& traits,
                              const RowPlan& plan,
                              const Workload& workload,
                              double seconds) {
  PricedRow row;
  row.option = traits.option;
  row.option.usd_per_hour = plan.usd_per_hour;
  if (plan.pricing == Pricing::spot) {
    if (offer.interruptions_per_hour) {
      row.option.interruptions_per_hour = *offer.interruptions_per_hour;
    } else if (workload.interruptions_per_hour) {
      row.option.interruptions_per_hour = *workload.interruptions_per_hour;
    } else {
      row.defaulted |= k_interruptions;
    }
  }
  if (plan.mode != Mode::always_on) {
    row.defaulted |= traits.defaulted & (k_billing_traits | k_start_traits);
  }
  row.defaulted |= traits.defaulted & k_egress;

  const ModelWorkload model_workload{seconds,
                                     workload.jobs_per_month,
                                     workload.traffic,
                                     workload.max_utilization,
                                     workload.revenue_per_job};
  ModelOption model_option = row.option;
  Mode model_mode = plan.mode;
  if (plan.serverless_per_job) {
    model_option.idle_timeout_s = 0;
    model_mode = Mode::keep_alive;
  }
  // A serverless platform adds workers once one would be busy half the time (cost-model.md).
  const bool fleet = offer.product == Product::serverless && plan.mode == Mode::keep_alive
                     && needs_fleet(model_option, model_workload);
  auto estimate = fleet ? estimate_fleet(model_option, model_workload)
                        : estimate_cost(model_mode, plan.pricing, model_option, model_workload);
  if (!estimate) {
    return Unexpected{estimate.error()};
  }
  row.option.idle_timeout_s = model_option.idle_timeout_s;
  row.estimate = std::move(*estimate);
  row.estimate.mode = plan.mode;
  if (plan.serverless_per_job) {
    // Priced as keep-alive with no timeout: the sparse-bound caveat says nothing here.
    std::erase_if(row.estimate.notes, [](const std::string& note) {
      return note.rfind("sparse-traffic bound", 0) == 0;
    });
  }
  if (plan.pricing == Pricing::spot && !offer.interruptions_per_hour
      && !workload.interruptions_per_hour) {
    row.estimate.notes.emplace_back(
        "interruption rate unknown: reruns are not priced (give --interruptions-per-hour)");
  }
  return row;
}

// A row to rank: its cost and what it takes to price it again in full if it is shown. Only the
// shown rows are priced twice, so ranking 100k offers keeps 40 bytes a row, not a whole Estimate.
struct Candidate { // 40 bytes
  double cost_per_job = 0;
  std::uint32_t offer_index = 0;
  RowPlan plan;
  const GpuSpec* spec = nullptr;
};

auto sort_key(const Candidate& row, const Offer& offer, const std::string& gpu) {
  return std::make_tuple(row.cost_per_job,
                         std::cref(offer.provider),
                         static_cast<int>(offer.product),
                         std::cref(gpu),
                         offer.gpu_count,
                         std::cref(offer.region),
                         std::cref(offer.name),
                         static_cast<int>(row.plan.mode),
                         static_cast<int>(row.plan.pricing));
}

bool spec_matches(const Offer& offer, const GpuSpec* spec, const OfferFilters& filters) {
  if (!allowed(filters.providers, offer.provider) || !allowed(filters.products, offer.product)) {
    return false;
  }
  if (!filters.gpus.empty()) {
    const std::string& name = spec != nullptr ? spec->name : offer.gpu;
    if (!allowed(filters.gpus, name)) {
      return false;
    }
  }
  if (!filters.regions.empty()
      && std::none_of(filters.regions.begin(), filters.regions.end(), [&](const auto& region) {
           return starts_with_ignoring_case(offer.region, region);
         })) {
    return false;
  }
  if (filters.min_vram_gb) {
    std::optional<double> memory = offer.gpu_memory_gb;
    if (!memory && spec != nullptr) {
      memory = spec->memory_gb;
    }
    if (!memory || *memory < *filters.min_vram_gb) {
      return false;
    }
  }
  return true;
}

// What a GPU name in a catalog comes to, looked up once per distinct name.
struct GpuLookup {
  const GpuSpec* spec = nullptr;
  std::optional<Expected<double>> seconds; // job time on it; empty until a matching offer asks
  std::string left_out_group; // when there is no job time: the reason shared by many GPUs, if any
};

// Why many GPUs may lack a job time at once, so that one warning names the reason and the GPUs;
// empty when the reason is this GPU's own (its error message says it).
std::string left_out_group(const Workload& workload, const GpuSpec& spec, const GpuDatabase& gpus) {
  const GpuSpec* reference = gpus.find(workload.ref_gpu);
  if (workload.workload_class == WorkloadClass::encode && spec.nvenc && *spec.nvenc == 0) {
    return "without NVENC, which an encode workload needs";
  }
  if (reference != nullptr && crosses_vendor(workload, spec, *reference)) {
    return fmt::format("of another vendor than the reference {} ({}): job time is not scaled "
                       "across vendors (measure the job there and add measured_seconds, or give "
                       "--cross-vendor)",
                       reference->name,
                       reference->vendor);
  }
  if (!class_figure(spec, workload.workload_class)) {
    return fmt::format("whose {} data/gpus.json does not give (measure the job there and add "
                       "measured_seconds)",
                       figure_name(workload.workload_class));
  }
  return {};
}

// What a provider and product come to, looked up once per distinct pair.
struct ProviderLookup {
  const ProviderInfo* info = nullptr;
  const ProductTraits* traits = nullptr;
};

} // namespace

bool offer_matches(const Offer& offer, const GpuDatabase& gpus, const OfferFilters& filters) {
  return spec_matches(offer, gpus.find(offer.gpu), filters);
}

Expected<double>
job_seconds_on(const Workload& workload, const GpuSpec& gpu, const GpuDatabase& gpus) {
  for (const auto& [name, seconds] : workload.measured_seconds) {
    if (gpus.find(name) == &gpu) {
      return seconds;
    }
  }
  if (!workload.job_seconds) {
    return make_error(fmt::format("no measured time for {} and no reference job time", gpu.name));
  }
  const GpuSpec* reference = gpus.find(workload.ref_gpu);
  if (reference == nullptr) {
    return make_error(fmt::format("reference GPU \"{}\" is unknown", workload.ref_gpu));
  }
  if (workload.workload_class == WorkloadClass::encode && gpu.nvenc && *gpu.nvenc == 0) {
    return make_error(
        fmt::format("{} has no NVENC engine, so an encode workload cannot run on it", gpu.name));
  }
  if (reference == &gpu) {
    return *workload.job_seconds;
  }
  if (crosses_vendor(workload, gpu, *reference)) {
    return make_error(fmt::format("{} is {} and the reference GPU {} is {}: job time is not scaled "
                                  "across vendors (measure it and give measured_seconds, or "
                                  "--cross-vendor)",
                                  gpu.name,
                                  gpu.vendor,
                                  reference->name,
                                  reference->vendor));
  }
  const auto target = class_figure(gpu, workload.workload_class);
  const auto base = class_figure(*reference, workload.workload_class);
  if (!target || !base || *target <= 0 || *base <= 0) {
    const GpuSpec& missing = (!target || *target <= 0) ? gpu : *reference;
    return make_error(
        fmt::format("data/gpus.json has no {} for {}, so the job time cannot be scaled "
                    "(measure it and give measured_seconds)",
                    figure_name(workload.workload_class),
                    missing.name));
  }
  return *workload.job_seconds * *base / *target;
}

CompareResult rank_options(const std::vector<Offer>& offers,
                           const GpuDatabase& gpus,
                           const ProviderTable& providers,
                           const Workload& workload,
                           const OfferFilters& filters,
                           std::int64_t now_s,
                           std::size_t limit) {
  CompareResult result;
  result.workload = workload;
  std::map<std::string, std::size_t> left_out;
  std::map<std::string, std::map<std::string, std::size_t>>
      without_figure; // reason shared by many GPUs -> GPU -> offers

  // Catalogs repeat a few GPU names and providers over many offers: look each up once. The keys
  // view strings in `offers`, which outlive the maps.
  std::unordered_map<std::string_view, GpuLookup> gpu_lookups;
  std::map<std::pair<std::string_view, Product>, ProviderLookup> provider_lookups;
  const auto lookup_gpu = [&](const Offer& offer) -> GpuLookup& {
    auto [it, inserted] = gpu_lookups.try_emplace(offer.gpu);
    if (inserted) {
      it->second.spec = gpus.find(offer.gpu);
    }
    return it->second;
  };
  const auto lookup_provider = [&](const Offer& offer) -> const ProviderLookup& {
    auto [it, inserted] = provider_lookups.try_emplace({offer.provider, offer.product});
    if (inserted) {
      it->second.info = providers.find(offer.provider);
      it->second.traits = providers.traits(offer.provider, offer.product);
    }
    return it->second;
  };
  const auto resolve = [&](const Offer& offer) {
    const ProviderLookup& provider = lookup_provider(offer);
    return resolve_traits(offer, provider.traits, provider.info, workload);
  };

  std::vector<Candidate> candidates;
  // At most five rows an offer (pods: per-job, keep-alive and always-on, spot per-job and
  // always-on); pages reserved but never filled cost no memory.
  candidates.reserve(offers.size() * 5);
  for (std::size_t index = 0; index < offers.size(); ++index) {
    const Offer& offer = offers[index];
    GpuLookup& gpu = lookup_gpu(offer);
    if (!spec_matches(offer, gpu.spec, filters)) {
      continue;
    }
    if (gpu.spec == nullptr) {
      ++left_out[fmt::format("GPU \"{}\" is not in data/gpus.json", offer.gpu)];
      continue;
    }
    const GpuSpec& spec = *gpu.spec;
    if (offer.gpu_count < workload.gpus_per_job) {
      ++left_out[fmt::format("fewer GPUs than the {} a job needs", workload.gpus_per_job)];
      continue;
    }
    if (!gpu.seconds) {
      gpu.seconds = job_seconds_on(workload, spec, gpus);
      if (!*gpu.seconds) {
        gpu.left_out_group = left_out_group(workload, spec, gpus);
      }
    }
    const Expected<double>& seconds = *gpu.seconds;
    if (!seconds) {
      if (gpu.left_out_group.empty()) {
        ++left_out[seconds.error().message];
      } else {
        ++without_figure[gpu.left_out_group][spec.name];
      }
      continue;
    }
    const ResolvedTraits traits = resolve(offer);
    for (const RowPlan& plan :
         plan_rows(offer, lookup_provider(offer).traits, traits.timeout_known)) {
      if ((filters.mode && *filters.mode != plan.mode)
          || (filters.pricing && *filters.pricing != plan.pricing)
          || (filters.max_price_per_hour && plan.usd_per_hour > *filters.max_price_per_hour)) {
        continue;
      }
      if (plan.mode == Mode::keep_alive && traits.option.idle_timeout_s <= 0) {
        continue; // a zero timeout is the per-job row
      }
      const auto priced = price_row(offer, traits, plan, workload, *seconds);
      if (!priced) {
        ++left_out[fmt::format("{} {} {}: {}",
                               offer.provider,
                               to_string(offer.product),
                               to_string(plan.mode),
                               priced.error().message)];
        continue;
      }
      candidates.push_back(
          {priced->estimate.cost_per_job, static_cast<std::uint32_t>(index), plan, &spec});
    }
  }

  // Rank candidates, then price only the shown ones again in full.
  const auto before = [&](const Candidate& x, const Candidate& y) {
    if (x.cost_per_job != y.cost_per_job) {
      return x.cost_per_job < y.cost_per_job;
    }
    return sort_key(x, offers[x.offer_index], x.spec->name)
           < sort_key(y, offers[y.offer_index], y.spec->name);
  };
  const std::size_t shown = std::min(limit, candidates.size());
  std::partial_sort(candidates.begin(),
                    candidates.begin() + static_cast<std::ptrdiff_t>(shown),
                    candidates.end(),
                    before);
  result.total_options = candidates.size();
  for (std::size_t position = 0; position < shown; ++position) {
    const Candidate& candidate = candidates[position];
    const Offer& offer = offers[candidate.offer_index];
    const GpuSpec& spec = *candidate.spec;
    const double seconds = *gpu_lookups.find(offer.gpu)->second.seconds.value();
    auto priced =
        value_or_throw(price_row(offer, resolve(offer), candidate.plan, workload, seconds));
    RankedOption row;
    row.rank = static_cast<int>(position + 1);
    row.offer = offer;
    row.offer.gpu = spec.name;
    if (!row.offer.gpu_memory_gb) {
      row.offer.gpu_memory_gb = spec.memory_gb;
    }
    row.offer.billing_granularity_s = priced.option.granularity_s;
    row.offer.billing_minimum_s = priced.option.minimum_s;
    row.offer.cold_start_s = priced.option.cold_start_s;
    row.offer.cold_start_billed = priced.option.cold_start_billed;
    row.offer.idle_timeout_s = priced.option.idle_timeout_s;
    row.estimate = std::move(priced.estimate);
    row.usd_per_hour = candidate.plan.usd_per_hour;
    row.defaulted = trait_names(priced.defaulted);
    row.price_age_s = cache_age_s(row.offer.fetched_at, now_s);
    result.options.push_back(std::move(row));
  }
  for (const auto& [reason, by_gpu] : without_figure) {
    std::size_t count = 0;
    std::vector<std::string> names;
    for (const auto& [gpu, offers_of_gpu] : by_gpu) {
      count += offers_of_gpu;
      names.push_back(gpu);
    }
    result.warnings.push_back(fmt::format("left out {} offer{} on GPUs {}: {}",
                                          count,
                                          count == 1 ? "" : "s",
                                          reason,
                                          fmt::join(names, ", ")));
  }
  for (const auto& [reason, count] : left_out) {
    result.warnings.push_back(
        fmt::format("left out {} offer{}: {}", count, count == 1 ? "" : "s", reason));
  }
  return result;
}

} // namespace gpucost
