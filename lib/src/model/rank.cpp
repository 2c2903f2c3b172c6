#include <gpucost/model/api_price.hpp>
#include <gpucost/model/job_time.hpp>
#include <gpucost/model/option_key.hpp>
#include <gpucost/model/price_row.hpp>
#include <gpucost/model/rank.hpp>
#include <gpucost/model/row_plan.hpp>
#include <gpucost/model/traits.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <queue>
#include <set>
#include <tuple>
#include <unordered_map>

namespace gpucost {

namespace {

// No row kept: price the candidate again if it is shown.
constexpr std::uint32_t k_not_kept = std::numeric_limits<std::uint32_t>::max();

// A row to rank: its cost and what it takes to price it again in full if it is shown. Only the
// shown rows are priced twice, so ranking 100k offers keeps 40 bytes a row, not a whole Estimate;
// a simulated fleet row (about 15 ms to price) is kept whole instead, in `kept` of rank_options.
struct Candidate {
  double cost_per_job = 0;
  std::uint32_t offer_index = 0;
  std::uint32_t kept = k_not_kept; // index of the priced row in `kept`, or k_not_kept
  RowPlan plan;
  const GpuSpec* spec = nullptr;
};
static_assert(sizeof(void*) != 8 || sizeof(Candidate) == 40, "a candidate stays 40 bytes");

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

// A simulated fleet row whose pricing waits until the other rows are ranked, with the cost per job
// it cannot fall below (fleet_row_cost_floor).
struct DeferredFleet {
  double floor = 0;
  std::uint32_t offer_index = 0;
  RowPlan plan;
  const GpuSpec* spec = nullptr;
};

// What a GPU name in a catalog comes to, looked up once per distinct name.
struct GpuLookup {
  const GpuSpec* spec = nullptr;
  std::optional<Expected<JobTime>> seconds; // job time on it; empty until a matching offer asks
  std::string left_out_group; // when there is no job time: the reason shared by many GPUs, if any
};

// What a provider and product come to, looked up once per distinct pair.
struct ProviderLookup {
  const ProviderInfo* info = nullptr;
  const ProductTraits* traits = nullptr;
};

// A shown api offer's row, priced again in full (it costs microseconds).
RankedOption api_row(const Offer& offer,
                     const ProviderInfo* info,
                     const Workload& workload,
                     std::int64_t now_s) {
  PricedRow priced = value_or_throw(price_api_row(offer, info, workload));
  RankedOption row;
  row.offer = offer;
  row.estimate = std::move(priced.estimate);
  row.model_mode = Mode::per_job;
  row.option = priced.option;
  row.defaulted = trait_names(priced.defaulted);
  row.price_age_s = cache_age_s(offer.fetched_at, now_s);
  row.key = option_key(offer, Mode::per_job, Pricing::on_demand, info);
  row.egress_usd_per_gb = offer.egress_per_gb;
  if (!row.egress_usd_per_gb && info != nullptr) {
    row.egress_usd_per_gb = info->egress_per_gb;
  }
  return row;
}

// Hashes a provider and product, for the lookups below.
struct ProviderKeyHash {
  std::size_t operator()(const std::pair<std::string_view, Product>& key) const {
    return std::hash<std::string_view>{}(key.first) * 31 + static_cast<std::size_t>(key.second);
  }
};

} // namespace

CompareResult rank_options(const std::vector<Offer>& offers,
                           const GpuDatabase& gpus,
                           const ProviderTable& providers,
                           const BenchmarkTable& benchmarks,
                           const Workload& workload,
                           const OfferFilters& filters,
                           std::int64_t now_s,
                           std::size_t limit) {
  CompareResult result;
  result.workload = workload;
  result.filters = filters;
  if (limit != std::numeric_limits<std::size_t>::max()) {
    result.top = limit;
  }
  std::map<std::string, std::size_t> left_out;
  std::map<std::string, std::map<std::string, std::size_t>>
      without_figure; // reason shared by many GPUs -> GPU -> offers
  std::map<std::string, std::set<std::string>> fallbacks; // spec fallback reason -> GPUs
  bool benchmark_used = false; // some GPU's job time is scaled by a benchmark ratio

  // Catalogs repeat a few GPU names and providers over many offers: look each up once. The keys
  // view strings in `offers`, which outlive the maps.
  std::unordered_map<std::string_view, GpuLookup> gpu_lookups;
  std::unordered_map<std::pair<std::string_view, Product>, ProviderLookup, ProviderKeyHash>
      provider_lookups;
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
    return resolve_traits(offer,
                          provider.traits,
                          provider.info,
                          workload,
                          providers.cold_start_default(offer.product));
  };

  std::vector<Candidate> candidates;
  std::vector<PricedRow> kept; // fleet rows, too costly to simulate twice
  // Prices a row and adds it as a candidate, or counts why it is left out; true when added.
  const auto add_row = [&](std::size_t index,
                           const ResolvedTraits& traits,
                           const RowPlan& plan,
                           const GpuSpec& spec,
                           double seconds) {
    const Offer& offer = offers[index];
    const auto priced = price_row(offer, traits, plan, workload, seconds);
    if (!priced) {
      ++left_out[fmt::format("{} {} {}: {}",
                             offer.provider,
                             to_string(offer.product),
                             to_string(plan.mode),
                             priced.error().message)];
      return false;
    }
    const double cost_per_job = priced->estimate.cost_per_job;
    std::uint32_t kept_index = k_not_kept;
    if (priced->estimate.mean_workers) {
      kept_index = static_cast<std::uint32_t>(kept.size());
      kept.push_back(std::move(*priced));
    }
    candidates.push_back(
        {cost_per_job, static_cast<std::uint32_t>(index), kept_index, plan, &spec});
    return true;
  };
  // A ranking that shows only some rows defers the simulated fleet rows (milliseconds each) to
  // the end, where most need no simulation: see below.
  const bool prune = limit != std::numeric_limits<std::size_t>::max();
  std::vector<DeferredFleet> deferred;
  // At most five rows an offer (pods: per-job, keep-alive and always-on, spot per-job and
  // always-on); pages reserved but never filled cost no memory.
  candidates.reserve(offers.size() * 5);
  std::map<WorkUnit, std::size_t> missing_units; // api offers whose unit the workload lacks
  std::size_t without_job_time = 0;              // GPU offers, when the workload has no job time
  const bool job_time_given = has_job_time(workload);
  for (std::size_t index = 0; index < offers.size(); ++index) {
    const Offer& offer = offers[index];
    if (offer.product == Product::api) {
      // Priced per unit of work: one per-job, on-demand row with no hourly rate, so a
      // --max-price-per-hour filter (a rate it does not have) leaves it out.
      if (!offer_matches(offer, nullptr, filters)
          || !row_matches(Mode::per_job, Pricing::on_demand, 0, filters)
          || filters.max_price_per_hour) {
        continue;
      }
      if (offer.per_unit.unit && !workload.units_per_job.contains(*offer.per_unit.unit)) {
        ++missing_units[*offer.per_unit.unit];
        continue;
      }
      const auto priced = price_api_row(offer, lookup_provider(offer).info, workload);
      if (!priced) {
        ++left_out[fmt::format("{} api: {}", offer.provider, priced.error().message)];
        continue;
      }
      candidates.push_back({priced->estimate.cost_per_job,
                            static_cast<std::uint32_t>(index),
                            k_not_kept,
                            RowPlan{Mode::per_job, Pricing::on_demand, false, 0},
                            nullptr});
      continue;
    }
    GpuLookup& gpu = lookup_gpu(offer);
    if (!offer_matches(offer, gpu.spec, filters)) {
      continue;
    }
    if (!job_time_given) {
      ++without_job_time;
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
      gpu.seconds = job_time_on(workload, spec, gpus, benchmarks);
      if (!*gpu.seconds) {
        gpu.left_out_group = shared_left_out_reason(workload, spec, gpus, benchmarks);
      } else {
        if (!(*gpu.seconds)->fallback.empty()) {
          fallbacks[(*gpu.seconds)->fallback].insert(spec.name);
        }
        if ((*gpu.seconds)->basis == JobSecondsBasis::benchmark) {
          benchmark_used = true;
        }
      }
    }
    const Expected<JobTime>& seconds = *gpu.seconds;
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
      if (!row_matches(plan.mode, plan.pricing, plan.usd_per_hour, filters)) {
        continue;
      }
      if (plan.mode == Mode::keep_alive && traits.option.idle_timeout_s <= 0) {
        continue; // a zero timeout is the per-job row
      }
      if (prune) {
        if (const auto floor =
                fleet_row_cost_floor(offer, traits, plan, workload, seconds->seconds)) {
          deferred.push_back({*floor, static_cast<std::uint32_t>(index), plan, &spec});
          continue;
        }
      }
      add_row(index, traits, plan, spec, seconds->seconds);
    }
  }

  // Fleet rows last, cheapest floor first: once a floor is above the `limit` cheapest costs, that
  // row and every later one cannot be shown, and they are counted without being simulated.
  std::size_t pruned = 0;
  if (!deferred.empty()) {
    std::sort(deferred.begin(), deferred.end(), [](const DeferredFleet& x, const DeferredFleet& y) {
      return x.floor < y.floor;
    });
    std::priority_queue<double> cheapest; // the `limit` cheapest costs so far, the dearest on top
    const auto note_cost = [&](double cost) {
      cheapest.push(cost);
      if (cheapest.size() > limit) {
        cheapest.pop();
      }
    };
    for (const Candidate& candidate : candidates) {
      note_cost(candidate.cost_per_job);
    }
    for (std::size_t i = 0; i < deferred.size(); ++i) {
      const DeferredFleet& row = deferred[i];
      if (cheapest.size() >= limit && (limit == 0 || row.floor > cheapest.top())) {
        pruned = deferred.size() - i;
        break;
      }
      const Offer& offer = offers[row.offer_index];
      const double seconds = gpu_lookups.find(offer.gpu)->second.seconds.value().value().seconds;
      if (add_row(row.offer_index, resolve(offer), row.plan, *row.spec, seconds)) {
        note_cost(candidates.back().cost_per_job);
      }
    }
  }

  // Rank candidates, then price only the shown ones again in full.
  const auto before = [&](const Candidate& x, const Candidate& y) {
    if (x.cost_per_job != y.cost_per_job) {
      return x.cost_per_job < y.cost_per_job;
    }
    const Offer& a = offers[x.offer_index];
    const Offer& b = offers[y.offer_index];
    const auto x_key = sort_key(x, a, x.spec != nullptr ? x.spec->name : a.gpu);
    const auto y_key = sort_key(y, b, y.spec != nullptr ? y.spec->name : b.gpu);
    if (x_key < y_key || y_key < x_key) {
      return x_key < y_key;
    }
    // Equal rows of two equal offers: the catalog's order, so that the ranking is one order
    // whatever order the rows were priced in.
    return x.offer_index < y.offer_index;
  };
  const std::size_t shown = std::min(limit, candidates.size());
  std::partial_sort(candidates.begin(),
                    candidates.begin() + static_cast<std::ptrdiff_t>(shown),
                    candidates.end(),
                    before);
  result.total_options = candidates.size() + pruned;
  for (std::size_t position = 0; position < shown; ++position) {
    const Candidate& candidate = candidates[position];
    const Offer& offer = offers[candidate.offer_index];
    if (candidate.spec == nullptr) {
      result.options.push_back(api_row(offer, lookup_provider(offer).info, workload, now_s));
      result.options.back().rank = static_cast<int>(position + 1);
      continue;
    }
    const GpuSpec& spec = *candidate.spec;
    const JobTime& time = gpu_lookups.find(offer.gpu)->second.seconds.value().value();
    PricedRow priced = candidate.kept != k_not_kept
                           ? std::move(kept[candidate.kept])
                           : value_or_throw(price_row(
                               offer, resolve(offer), candidate.plan, workload, time.seconds));
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
    row.model_mode = candidate.plan.serverless_per_job ? Mode::keep_alive : candidate.plan.mode;
    row.usd_per_hour = candidate.plan.usd_per_hour;
    row.defaulted = trait_names(priced.defaulted);
    row.price_age_s = cache_age_s(row.offer.fetched_at, now_s);
    row.job_seconds_basis = std::string(to_string(time.basis));
    row.job_seconds_source = time.source;
    const ProviderInfo* info = lookup_provider(offer).info;
    row.key = option_key(row.offer, row.estimate.mode, row.estimate.pricing, info);
    row.option = priced.option;
    row.max_workers_origin = std::move(priced.max_workers_origin);
    row.egress_usd_per_gb = offer.egress_per_gb;
    if (!row.egress_usd_per_gb && info != nullptr) {
      row.egress_usd_per_gb = info->egress_per_gb;
    }
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
  for (const auto& [reason, names] : fallbacks) {
    result.warnings.push_back(fmt::format("{}: {}", reason, fmt::join(names, ", ")));
  }
  if (benchmark_used) {
    if (const BenchmarkClass* table = benchmarks.find(workload.workload_class);
        table != nullptr && !table->latency_note.empty()) {
      result.warnings.push_back(fmt::format("{} speed-ups are from {}: {}",
                                            to_string(workload.workload_class),
                                            table->source,
                                            table->latency_note));
    }
  }
  if (!missing_units.empty()) {
    std::size_t count = 0;
    std::vector<std::string> units;
    for (const auto& [unit, offers_of_unit] : missing_units) {
      count += offers_of_unit;
      units.push_back(fmt::format("{} ({})", to_string(unit), offers_of_unit));
    }
    result.warnings.push_back(fmt::format(
        "left out {} api offer{} whose unit of work the workload does not give: {} (say how many "
        "units one job is with --units UNIT=N, or units_per_job in the workload file)",
        count,
        count == 1 ? "" : "s",
        fmt::join(units, ", ")));
  }
  if (without_job_time > 0) {
    result.warnings.push_back(fmt::format(
        "left out {} GPU offer{}: the workload gives no job time (give --job-seconds with "
        "--ref-gpu, or measured_seconds in the workload file)",
        without_job_time,
        without_job_time == 1 ? "" : "s"));
  }
  for (const auto& [reason, count] : left_out) {
    result.warnings.push_back(
        fmt::format("left out {} offer{}: {}", count, count == 1 ? "" : "s", reason));
  }
  return result;
}

} // namespace gpucost