#include "decision_inputs.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>

#include <set>

namespace gpucost::cli {

void add_pricing_options(CLI::App& command, PricingOptions& options) {
  add_workload_options(command, options.workload);
  add_filter_options(command, options.filters, RowFilters::included);
  add_catalog_options(command, options.catalog);
}

PricedSet price_all(const PricingOptions& options, Context& context) {
  PricedSet set{load_inputs(options.catalog, context), {}, {}, {}};
  set.workload = build_workload(options.workload, set.inputs.data);
  set.filters = resolve_filters(options.filters, set.inputs.data, set.inputs.catalog.offers);
  set.result = reprice(set, set.workload);
  auto stale = staleness_warnings(set.inputs.catalog.sources, set.inputs.now_s);
  set.result.warnings.insert(set.result.warnings.end(), stale.begin(), stale.end());
  if (set.result.options.empty()) {
    throw Error("no option matches: loosen the filters or check the catalog");
  }
  return set;
}

CompareResult reprice(const PricedSet& set, const Workload& workload) {
  if (auto status = validate_workload(workload); !status) {
    throw Error(status.error().message);
  }
  CompareResult result = rank_options(set.inputs.catalog.offers,
                                      set.inputs.data.gpus,
                                      set.inputs.data.providers,
                                      set.inputs.data.benchmarks,
                                      workload,
                                      set.filters,
                                      set.inputs.now_s);
  result.tool_version = GPUCOST_VERSION;
  result.generated_at = format_iso8601(set.inputs.now_s);
  result.catalog.sources = set.inputs.catalog.sources;
  result.catalog.sha256 = catalog_sha256(set.inputs.catalog);
  return result;
}

std::string option_label(const RankedOption& option) {
  const Offer& offer = option.offer;
  if (offer.product == Product::api) {
    // No GPU: the unit it is priced in says what it is ("mistral api audio_minute per-job").
    return fmt::format("{} api {} {}",
                       offer.provider,
                       offer.per_unit.unit ? to_string(*offer.per_unit.unit) : "-",
                       to_string(option.estimate.mode));
  }
  std::string gpu =
      offer.gpu_count > 1 ? fmt::format("{}x {}", offer.gpu_count, offer.gpu) : offer.gpu;
  std::string label = fmt::format("{} {} {} {}",
                                  offer.provider,
                                  to_string(offer.product),
                                  gpu,
                                  to_string(option.estimate.mode));
  if (option.estimate.pricing == Pricing::spot) {
    label += " spot";
  }
  return label;
}

std::vector<RankedOption> distinct_options(const std::vector<RankedOption>& options,
                                           std::size_t limit) {
  std::vector<RankedOption> kept;
  std::set<std::string> seen;
  for (const auto& option : options) {
    if (kept.size() >= limit) {
      break;
    }
    if (seen.insert(option_label(option)).second) {
      kept.push_back(option);
    }
  }
  return kept;
}

std::vector<Criterion> computed_criteria(const std::vector<RankedOption>& options,
                                         const DataSet& data,
                                         const Workload& workload,
                                         std::vector<std::string>& notes) {
  std::vector<Criterion> criteria;
  // Which way a criterion scores: a cost (less is better) or a benefit (more is better).
  enum class Better { less, more };
  const auto add = [&](std::string name, std::string unit, Better better, auto value_of) {
    Criterion criterion{.name = std::move(name),
                        .unit = std::move(unit),
                        .benefit = better == Better::more,
                        .values = {},
                        .normalisation = Normalisation::min_max};
    std::size_t missing = 0;
    for (const auto& option : options) {
      const std::optional<double> value = value_of(option);
      if (value) {
        criterion.values.push_back(*value);
      } else {
        ++missing;
      }
    }
    if (missing > 0) {
      notes.push_back(fmt::format("criterion \"{}\" left out: unknown for {} of {} options",
                                  criterion.name,
                                  missing,
                                  options.size()));
      return;
    }
    criteria.push_back(std::move(criterion));
  };
  using Value = std::optional<double>;
  add("cost_per_job", "USD", Better::less, [](const RankedOption& o) -> Value {
    return o.estimate.cost_per_job;
  });
  if (workload.jobs_per_month) {
    add("monthly_cost", "USD", Better::less, [](const RankedOption& o) -> Value {
      return o.estimate.monthly_cost;
    });
  }
  // An api row has no hourly rate, and its latency is not modelled (none is invented): unknown.
  add("usd_per_hour", "USD/h", Better::less, [](const RankedOption& o) -> Value {
    return o.offer.product == Product::api ? Value() : Value(o.usd_per_hour);
  });
  add("mean_added_latency_s", "s", Better::less, [](const RankedOption& o) -> Value {
    return o.offer.product == Product::api ? Value() : Value(o.estimate.mean_added_latency_s);
  });
  add("p_cold", "", Better::less, [](const RankedOption& o) -> Value { return o.estimate.p_cold; });
  add("reliability", "", Better::more, [](const RankedOption& o) -> Value {
    return o.offer.reliability;
  });
  // The provider's tier in providers.json as an ordinal (docs/decisions.md): a marketplace of
  // independent hosts 0, a GPU specialist 1, a hyperscaler or a dedicated server's own hardware 2.
  add("provider_tier", "", Better::more, [&](const RankedOption& o) -> Value {
    const ProviderInfo* info = data.providers.find(o.offer.provider);
    if (info == nullptr) {
      return std::nullopt;
    }
    if (info->tier == "marketplace") {
      return 0.0;
    }
    if (info->tier == "specialist") {
      return 1.0;
    }
    if (info->tier == "hyperscaler" || info->tier == "dedicated") {
      return 2.0;
    }
    return std::nullopt;
  });
  add("native_autoscaling", "", Better::more, [&](const RankedOption& o) -> Value {
    const ProductTraits* traits = data.providers.traits(o.offer.provider, o.offer.product);
    if (traits == nullptr || !traits->native_autoscaling) {
      return std::nullopt;
    }
    return *traits->native_autoscaling ? 1.0 : 0.0;
  });
  if (workload.output_gb) {
    add("egress_per_job", "USD", Better::less, [](const RankedOption& o) -> Value {
      return o.estimate.split.egress;
    });
  }
  return criteria;
}

} // namespace gpucost::cli
