#include <gpucost/model/api_price.hpp>
#include <gpucost/render/json_number.hpp>
#include <gpucost/render/render.hpp>
#include <gpucost/render/render_util.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <optional>
#include <string>

namespace gpucost {

namespace {

using Json = nlohmann::ordered_json;

// Bumped when a field changes meaning or goes away; adding a field is not a new version.
constexpr int k_schema_version = 1;

Json integer(std::optional<int> value) {
  return value ? Json(*value) : Json(nullptr);
}

// Strings whose empty value means "unknown" (timestamps, hashes, reference GPU) become null.
Json text_or_null(const std::string& text) {
  return text.empty() ? Json(nullptr) : Json(text);
}

Json by_provider(const std::map<std::string, double>& values) {
  Json out = Json::object();
  for (const auto& [key, seconds] : values) {
    out[key] = render::json_number(seconds);
  }
  return out;
}

Json units_json(const std::map<WorkUnit, double>& units) {
  Json out = Json::object();
  for (const auto& [unit, count] : units) {
    out[std::string(to_string(unit))] = render::json_number(count);
  }
  return out;
}

Json workload_json(const Workload& workload) {
  Json measured = Json::object();
  for (const auto& [gpu, seconds] : workload.measured_seconds) {
    measured[gpu] = render::json_number(seconds);
  }
  Json json{
      {"name", workload.name},
      {"description", workload.description},
      {"ref_gpu", text_or_null(workload.ref_gpu)},
      {"job_seconds", render::json_number(workload.job_seconds)},
      {"measured_seconds", std::move(measured)},
      {"workload_class", to_string(workload.workload_class)},
      {"gpus_per_job", workload.gpus_per_job},
      {"jobs_per_month", render::json_number(workload.jobs_per_month)},
      {"traffic", to_string(workload.traffic)},
      {"idle_timeout_s", render::json_number(workload.idle_timeout_s)},
      {"cold_start_s", render::json_number(workload.cold_start_s)},
      {"cold_start_by_provider", by_provider(workload.cold_start_by_provider)},
      {"idle_timeout_by_provider", by_provider(workload.idle_timeout_by_provider)},
      {"max_utilization", render::json_number(workload.max_utilization)},
      {"revenue_per_job", render::json_number(workload.revenue_per_job)},
      {"output_gb", render::json_number(workload.output_gb)},
      {"interruptions_per_hour", render::json_number(workload.interruptions_per_hour)},
      {"cross_vendor", workload.cross_vendor},
      {"gpu_bound_fraction", render::json_number(workload.gpu_bound_fraction)},
      {"split_frame", workload.split_frame},
  };
  if (!workload.units_per_job.empty()) {
    json["units_per_job"] = units_json(workload.units_per_job); // api offers' units
  }
  return json;
}

Json catalog_json(const CatalogInfo& catalog) {
  Json sources = Json::array();
  for (const auto& source : catalog.sources) {
    sources.push_back(Json{
        {"origin", to_string(source.origin)},
        {"location", source.location},
        {"provider", text_or_null(source.provider)},
        {"fetched_at", text_or_null(source.fetched_at)},
        {"offers", source.offers},
    });
  }
  return Json{{"sources", std::move(sources)}, {"sha256", text_or_null(catalog.sha256)}};
}

Json split_json(const CostSplit& split) {
  return Json{
      {"execution", render::json_number(split.execution)},
      {"cold_start", render::json_number(split.cold_start)},
      {"idle", render::json_number(split.idle)},
      {"rounding", render::json_number(split.rounding)},
      {"rerun", render::json_number(split.rerun)},
      {"egress", render::json_number(split.egress)},
  };
}

// The filters the result was made with, so `gpucost check` can reuse them; null where none.
Json filters_json(const OfferFilters& filters, std::optional<std::size_t> top) {
  Json products = Json::array();
  for (const Product product : filters.products) {
    products.push_back(to_string(product));
  }
  return Json{
      {"gpus", filters.gpus},
      {"providers", filters.providers},
      {"products", std::move(products)},
      {"regions", filters.regions},
      {"min_vram_gb", render::json_number(filters.min_vram_gb)},
      {"max_price_per_hour", render::json_number(filters.max_price_per_hour)},
      {"mode", filters.mode ? Json(to_string(*filters.mode)) : Json(nullptr)},
      {"pricing", filters.pricing ? Json(to_string(*filters.pricing)) : Json(nullptr)},
      {"top", top ? Json(*top) : Json(nullptr)},
  };
}

// The rate-independent traits a row was priced with: enough to price another workload on it at
// the same prices (`gpucost check --reprice-baseline`).
Json traits_json(const RankedOption& option) {
  const ModelOption& traits = option.option;
  return Json{
      {"billing_granularity_s", render::json_number(traits.granularity_s)},
      {"billing_minimum_s", render::json_number(traits.minimum_s)},
      {"cold_start_s", render::json_number(traits.cold_start_s)},
      {"cold_start_billed", traits.cold_start_billed},
      {"idle_timeout_s", render::json_number(traits.idle_timeout_s)},
      {"slots", traits.slots},
      {"egress_usd_per_job", render::json_number(traits.egress_usd_per_job)},
      {"egress_usd_per_gb", render::json_number(option.egress_usd_per_gb)},
      {"interruptions_per_hour", render::json_number(traits.interruptions_per_hour)},
  };
}

Json option_json(const RankedOption& option) {
  const Offer& offer = option.offer;
  const Estimate& estimate = option.estimate;
  Json json{
      {"rank", option.rank},
      {"key", option.key},
      {"provider", offer.provider},
      {"product", to_string(offer.product)},
      {"mode", to_string(estimate.mode)},
      {"pricing", to_string(estimate.pricing)},
      {"name", offer.name},
      {"gpu", offer.gpu},
      {"gpu_count", offer.gpu_count},
      {"gpu_memory_gb", render::json_number(offer.gpu_memory_gb)},
      {"region", offer.region},
      {"price_per_hour", render::json_number(option.usd_per_hour)},
      {"job_seconds", render::json_number(estimate.job_seconds)},
      {"job_seconds_basis", option.job_seconds_basis},
      {"job_seconds_source", option.job_seconds_source},
      {"billed_seconds_per_job", render::json_number(estimate.billed_seconds_per_job)},
      {"cost_per_job", render::json_number(estimate.cost_per_job)},
      {"split", split_json(estimate.split)},
      {"monthly_cost", render::json_number(estimate.monthly_cost)},
      {"capacity_jobs_per_month", render::json_number(estimate.capacity_jobs_per_month)},
      {"capacity_jobs_per_month_full", render::json_number(estimate.capacity_jobs_per_month_full)},
      {"workers",
       estimate.mean_workers ? render::json_number(estimate.mean_workers)
                             : integer(estimate.workers)},
      {"p_cold", render::json_number(estimate.p_cold)},
      {"busy_share", render::json_number(estimate.busy_share)},
      {"utilization", render::json_number(estimate.utilization)},
      {"margin", render::json_number(estimate.margin)},
      {"mean_added_latency_s", render::json_number(estimate.mean_added_latency_s)},
      {"best_case", estimate.best_case},
      {"defaulted", option.defaulted},
      {"notes", estimate.notes},
      {"source", offer.source},
      {"fetched_at", text_or_null(offer.fetched_at)},
      {"price_age_s", render::json_number(option.price_age_s)},
      {"traits", traits_json(option)},
  };
  if (estimate.peak_workers) {
    json["peak_workers"] = *estimate.peak_workers; // serverless fleets only
  }
  return json;
}

// An api row: no GPU, hourly rate, job time, utilization or GPU traits (null), and its unit price
// with the terms it was priced on.
Json api_option_json(const RankedOption& option, const Workload& workload) {
  Json json = option_json(option);
  const UnitPrice& terms = option.offer.per_unit;
  for (const char* key : {"gpu",
                          "gpu_count",
                          "gpu_memory_gb",
                          "price_per_hour",
                          "job_seconds",
                          "job_seconds_basis",
                          "job_seconds_source",
                          "billed_seconds_per_job",
                          "utilization",
                          "traits"}) {
    json[key] = nullptr;
  }
  json["unit"] = terms.unit ? Json(to_string(*terms.unit)) : Json(nullptr);
  json["price_per_unit"] = render::json_number(terms.price_per_unit);
  std::optional<double> units;
  if (terms.unit) {
    if (const auto found = workload.units_per_job.find(*terms.unit);
        found != workload.units_per_job.end()) {
      units = found->second;
    }
  }
  Json api = Json{
      {"units_per_job", render::json_number(units)},
      {"calls_per_job", nullptr},
      {"billed_units_per_job", nullptr},
      {"minimum_charge", render::json_number(terms.minimum_charge)},
      {"unit_increment", render::json_number(terms.unit_increment)},
      {"max_units_per_call", render::json_number(terms.max_units_per_call)},
      {"rate_limit_per_minute", render::json_number(terms.rate_limit_per_minute)},
  };
  if (units) {
    const ApiJob job = api_job(terms, *units);
    api["calls_per_job"] = render::json_number(job.calls);
    api["billed_units_per_job"] = render::json_number(job.billed_units);
  }
  json["api"] = std::move(api);
  return json;
}

} // namespace

std::string render_compare_json(const CompareResult& result) {
  Json options = Json::array();
  for (const auto& option : result.options) {
    options.push_back(option.offer.product == Product::api
                          ? api_option_json(option, result.workload)
                          : option_json(option));
  }
  const Json document{
      {"schema", "gpucost/compare"},
      {"schemaVersion", k_schema_version},
      {"tool_version", result.tool_version},
      {"generatedAt", text_or_null(result.generated_at)},
      {"currency", result.currency},
      {"workload", workload_json(result.workload)},
      {"catalog", catalog_json(result.catalog)},
      {"filters", filters_json(result.filters, result.top)},
      {"warnings", result.warnings},
      {"options", std::move(options)},
  };
  // Provider data may hold invalid UTF-8; replace it rather than throw from a pure renderer.
  return document.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

} // namespace gpucost
