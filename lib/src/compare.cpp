#include <gpucost/compare.hpp>
#include <gpucost/time_util.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

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

// Traits after the offer, then providers.json, then the built-in defaults; flags beat all.
struct ResolvedTraits {
  ModelOption option;
  std::vector<std::string> defaulted_billing; // g, m: relevant to per-job and keep-alive
  std::vector<std::string> defaulted_start;   // C, C_billed
  bool timeout_known = false;                 // T came from somewhere other than a default
  std::vector<std::string> defaulted_other;   // egress
};

template<typename T>
T pick(const std::optional<T>& from_offer,
       const std::optional<T>& from_provider,
       T fallback,
       std::string_view name,
       std::vector<std::string>& defaulted) {
  if (from_offer) {
    return *from_offer;
  }
  if (from_provider) {
    return *from_provider;
  }
  defaulted.emplace_back(name);
  return fallback;
}

ResolvedTraits
resolve_traits(const Offer& offer, const ProviderTable& providers, const Workload& workload) {
  const ProductTraits none;
  const ProductTraits* found = providers.traits(offer.provider, offer.product);
  const ProductTraits& traits = found != nullptr ? *found : none;
  const ProviderInfo* info = providers.find(offer.provider);

  ResolvedTraits resolved;
  ModelOption& option = resolved.option;
  option.granularity_s = pick(offer.billing_granularity_s,
                              traits.billing_granularity_s,
                              1.0,
                              "billing_granularity_s",
                              resolved.defaulted_billing);
  option.minimum_s = pick(offer.billing_minimum_s,
                          traits.billing_minimum_s,
                          0.0,
                          "billing_minimum_s",
                          resolved.defaulted_billing);
  if (workload.cold_start_s) {
    option.cold_start_s = *workload.cold_start_s;
  } else {
    option.cold_start_s = pick(
        offer.cold_start_s, traits.cold_start_s, 0.0, "cold_start_s", resolved.defaulted_start);
  }
  option.cold_start_billed = pick(offer.cold_start_billed,
                                  traits.cold_start_billed,
                                  true,
                                  "cold_start_billed",
                                  resolved.defaulted_start);
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
        pick(offer.egress_per_gb, provider_egress, 0.0, "egress_per_gb", resolved.defaulted_other);
    option.egress_usd_per_job = *workload.output_gb * per_gb;
  }
  option.slots = std::max(1, offer.gpu_count / std::max(1, workload.gpus_per_job));
  return resolved;
}

// One row to price: a mode, a pricing and the hourly rate it pays.
struct RowPlan {
  Mode mode;
  Pricing pricing;
  double usd_per_hour;
  bool serverless_per_job = false; // keep-alive with T = 0, reported as per-job
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
      rows.push_back({Mode::per_job, Pricing::on_demand, *on_demand});
      if (timeout_known) {
        rows.push_back({Mode::keep_alive, Pricing::on_demand, *on_demand});
      }
      rows.push_back({Mode::always_on, Pricing::on_demand, *on_demand});
    }
    if (spot) {
      rows.push_back({Mode::per_job, Pricing::spot, *spot});
      rows.push_back({Mode::always_on, Pricing::spot, *spot});
    }
    break;
  case Product::serverless:
    if (on_demand) {
      rows.push_back({Mode::per_job, Pricing::on_demand, *on_demand, true});
      rows.push_back({Mode::keep_alive, Pricing::on_demand, *on_demand});
    }
    if (offer.always_on_price_per_hour) {
      rows.push_back({Mode::always_on, Pricing::on_demand, *offer.always_on_price_per_hour});
    } else if (on_demand && traits != nullptr && traits->always_on.value_or(false)) {
      rows.push_back({Mode::always_on, Pricing::on_demand, *on_demand});
    }
    break;
  case Product::dedicated:
    if (offer.monthly_price) {
      rows.push_back({Mode::always_on, Pricing::on_demand, *offer.monthly_price / 730.0});
    } else if (on_demand) {
      rows.push_back({Mode::always_on, Pricing::on_demand, *on_demand});
    }
    break;
  }
  return rows;
}

// A priced row before it is ranked: the offer stays in the caller's vector until the row is shown.
struct PricedRow {
  std::size_t offer_index = 0;
  Estimate estimate;
  ModelOption option;
  double usd_per_hour = 0;
  std::vector<std::string> defaulted;
};

auto sort_key(const PricedRow& row, const Offer& offer, const std::string& gpu) {
  return std::make_tuple(row.estimate.cost_per_job,
                         std::cref(offer.provider),
                         static_cast<int>(offer.product),
                         std::cref(gpu),
                         offer.gpu_count,
                         std::cref(offer.region),
                         std::cref(offer.name),
                         static_cast<int>(row.estimate.mode),
                         static_cast<int>(row.estimate.pricing));
}

} // namespace

bool offer_matches(const Offer& offer, const GpuDatabase& gpus, const OfferFilters& filters) {
  if (!allowed(filters.providers, offer.provider) || !allowed(filters.products, offer.product)) {
    return false;
  }
  const GpuSpec* spec = gpus.find(offer.gpu);
  if (!filters.gpus.empty()) {
    const std::string name = spec != nullptr ? spec->name : offer.gpu;
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
      without_figure; // reason -> GPU -> offers

  std::vector<PricedRow> rows;
  std::vector<const GpuSpec*> specs(offers.size(), nullptr);
  for (std::size_t index = 0; index < offers.size(); ++index) {
    const Offer& source = offers[index];
    if (!offer_matches(source, gpus, filters)) {
      continue;
    }
    const GpuSpec* spec = gpus.find(source.gpu);
    if (spec == nullptr) {
      ++left_out[fmt::format("GPU \"{}\" is not in data/gpus.json", source.gpu)];
      continue;
    }
    if (source.gpu_count < workload.gpus_per_job) {
      ++left_out[fmt::format("fewer GPUs than the {} a job needs", workload.gpus_per_job)];
      continue;
    }
    const auto seconds = job_seconds_on(workload, *spec, gpus);
    if (!seconds) {
      // Many GPUs fail for one reason: group them so the warning names the reason once.
      if (workload.workload_class == WorkloadClass::encode && spec->nvenc && *spec->nvenc == 0) {
        ++without_figure["without NVENC, which an encode workload needs"][spec->name];
      } else if (!class_figure(*spec, workload.workload_class)) {
        ++without_figure[fmt::format("whose {} data/gpus.json does not give (measure the job there "
                                     "and add measured_seconds)",
                                     figure_name(workload.workload_class))][spec->name];
      } else {
        ++left_out[seconds.error().message];
      }
      continue;
    }
    specs[index] = spec;
    const Offer& offer = source;
    const ResolvedTraits traits = resolve_traits(offer, providers, workload);
    const ProductTraits* product_traits = providers.traits(offer.provider, offer.product);

    for (const RowPlan& plan : plan_rows(offer, product_traits, traits.timeout_known)) {
      if ((filters.mode && *filters.mode != plan.mode)
          || (filters.pricing && *filters.pricing != plan.pricing)
          || (filters.max_price_per_hour && plan.usd_per_hour > *filters.max_price_per_hour)) {
        continue;
      }
      if (plan.mode == Mode::keep_alive && traits.option.idle_timeout_s <= 0) {
        continue; // a zero timeout is the per-job row
      }
      ModelOption option = traits.option;
      option.usd_per_hour = plan.usd_per_hour;
      std::vector<std::string> defaulted;
      if (plan.pricing == Pricing::spot) {
        if (offer.interruptions_per_hour) {
          option.interruptions_per_hour = *offer.interruptions_per_hour;
        } else if (workload.interruptions_per_hour) {
          option.interruptions_per_hour = *workload.interruptions_per_hour;
        } else {
          defaulted.emplace_back("interruptions_per_hour");
        }
      }
      if (plan.mode != Mode::always_on) {
        defaulted.insert(
            defaulted.end(), traits.defaulted_billing.begin(), traits.defaulted_billing.end());
        defaulted.insert(
            defaulted.end(), traits.defaulted_start.begin(), traits.defaulted_start.end());
      }
      defaulted.insert(
          defaulted.end(), traits.defaulted_other.begin(), traits.defaulted_other.end());

      ModelWorkload model_workload{*seconds,
                                   workload.jobs_per_month,
                                   workload.traffic,
                                   workload.max_utilization,
                                   workload.revenue_per_job};
      Mode model_mode = plan.mode;
      if (plan.serverless_per_job) {
        option.idle_timeout_s = 0;
        model_mode = Mode::keep_alive;
      }
      auto estimate = estimate_cost(model_mode, plan.pricing, option, model_workload);
      if (!estimate) {
        ++left_out[fmt::format("{} {} {}: {}",
                               offer.provider,
                               to_string(offer.product),
                               to_string(plan.mode),
                               estimate.error().message)];
        continue;
      }
      estimate->mode = plan.mode;
      if (plan.serverless_per_job) {
        // Priced as keep-alive with no timeout: the sparse-bound caveat says nothing here.
        std::erase_if(estimate->notes, [](const std::string& note) {
          return note.rfind("sparse-traffic bound", 0) == 0;
        });
      }
      if (plan.pricing == Pricing::spot && !offer.interruptions_per_hour
          && !workload.interruptions_per_hour) {
        estimate->notes.emplace_back(
            "interruption rate unknown: reruns are not priced (give --interruptions-per-hour)");
      }

      PricedRow row;
      row.offer_index = index;
      row.estimate = std::move(*estimate);
      row.option = option;
      row.usd_per_hour = plan.usd_per_hour;
      row.defaulted = std::move(defaulted);
      rows.push_back(std::move(row));
    }
  }

  // Rank indices, not rows: with --top only the shown rows are ever fully sorted or copied.
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  const auto before = [&](std::size_t a, std::size_t b) {
    const PricedRow& x = rows[a];
    const PricedRow& y = rows[b];
    return sort_key(x, offers[x.offer_index], specs[x.offer_index]->name)
           < sort_key(y, offers[y.offer_index], specs[y.offer_index]->name);
  };
  const std::size_t shown = std::min(limit, order.size());
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(shown), order.end(), before);
  result.total_options = rows.size();
  for (std::size_t position = 0; position < shown; ++position) {
    PricedRow& priced = rows[order[position]];
    const GpuSpec* spec = specs[priced.offer_index];
    RankedOption row;
    row.rank = static_cast<int>(position + 1);
    row.offer = offers[priced.offer_index];
    row.offer.gpu = spec->name;
    if (!row.offer.gpu_memory_gb) {
      row.offer.gpu_memory_gb = spec->memory_gb;
    }
    row.offer.billing_granularity_s = priced.option.granularity_s;
    row.offer.billing_minimum_s = priced.option.minimum_s;
    row.offer.cold_start_s = priced.option.cold_start_s;
    row.offer.cold_start_billed = priced.option.cold_start_billed;
    row.offer.idle_timeout_s = priced.option.idle_timeout_s;
    row.estimate = std::move(priced.estimate);
    row.usd_per_hour = priced.usd_per_hour;
    row.defaulted = std::move(priced.defaulted);
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
