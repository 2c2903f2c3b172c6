#include <gpucost/render/csv_util.hpp>
#include <gpucost/render/json_number.hpp>
#include <gpucost/render/render_reference.hpp>
#include <gpucost/render/render_util.hpp>
#include <gpucost/render/table_layout.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace gpucost {

namespace {

using Json = nlohmann::ordered_json;

Json flag(std::optional<bool> value) {
  return value ? Json(*value) : Json(nullptr);
}

std::string cell(std::optional<double> value) {
  return value ? render::format_shortest(*value) : std::string("?");
}

std::string cell(std::optional<bool> value) {
  if (!value) {
    return "?";
  }
  return *value ? "yes" : "no";
}

std::string range_cell(const std::optional<std::pair<double, double>>& range) {
  if (!range) {
    return "?";
  }
  return fmt::format(
      "{}-{}", render::format_shortest(range->first), render::format_shortest(range->second));
}

std::optional<double> nvenc_of(const GpuSpec& gpu) {
  return gpu.nvenc ? std::optional<double>(*gpu.nvenc) : std::nullopt;
}

render::Column column(std::string header, render::Align align, int drop_order = 0) {
  render::Column out;
  out.header = std::move(header);
  out.align = align;
  out.drop_order = drop_order;
  return out;
}

std::string table_of(std::vector<render::Column> columns, const TableStyle& style) {
  const render::TableFit fit = render::fit_columns(columns, style);
  const std::size_t rows = columns.empty() ? 0 : columns.front().cells.size();
  const std::string hidden = render::describe_fit(fit);
  return render::render_rows(columns, std::vector<bool>(rows, false), style)
         + (hidden.empty() ? std::string() : "\n" + hidden);
}

// A product's start-up as listed: its own, else its class default (and whether it is one).
std::pair<std::optional<double>, bool>
listed_cold_start(const ProviderTable& providers, Product product, const ProductTraits& traits) {
  if (traits.cold_start_s) {
    return {traits.cold_start_s, false};
  }
  if (const ColdStartDefault* fallback = providers.cold_start_default(product)) {
    return {fallback->cold_start_s, true};
  }
  return {std::nullopt, false};
}

// A serverless product's documented worker cap, or null.
Json worker_cap_json(const std::optional<WorkerCap>& cap) {
  if (!cap) {
    return nullptr;
  }
  const auto count = [](const std::optional<int>& value) {
    return value ? Json(*value) : Json(nullptr);
  };
  return Json{{"workers", count(cap->workers)},
              {"gpus", count(cap->gpus)},
              {"scope", cap->scope},
              {"source", cap->source},
              {"as_of", cap->as_of}};
}

} // namespace

std::string render_gpus_table(const GpuDatabase& gpus,
                              const BenchmarkTable& benchmarks,
                              const TableStyle& style) {
  using render::Align;
  std::vector<render::Column> columns = {column("GPU", Align::left),
                                         column("family", Align::left, 3),
                                         column("vendor", Align::left, 2),
                                         column("memory GB", Align::right),
                                         column("FP16 TFLOPS", Align::right),
                                         column("GB/s", Align::right, 4),
                                         column("NVENC", Align::right, 5),
                                         column("benchmark classes", Align::left, 1)};
  for (const auto& gpu : gpus.all()) {
    const auto classes = benchmarks.classes_covering(gpu, gpus);
    const std::vector<std::string> cells = {gpu.name,
                                            gpu.family.empty() ? std::string("?") : gpu.family,
                                            gpu.vendor.empty() ? std::string("?") : gpu.vendor,
                                            cell(gpu.memory_gb),
                                            cell(gpu.fp16_tflops),
                                            cell(gpu.memory_bandwidth_gbs),
                                            cell(nvenc_of(gpu)),
                                            classes.empty() ? std::string("-")
                                                            : render::join(classes, ", ")};
    for (std::size_t i = 0; i < columns.size(); ++i) {
      columns[i].cells.push_back(cells[i]);
    }
  }
  return table_of(std::move(columns), style) + "\n"
         + render::wrap("Benchmark classes name the data/benchmarks.json classes with a figure for "
                        "the GPU; other classes scale by the spec ratio (compute: FP16 TFLOPS, "
                        "memory: GB/s). MLPerf Offline figures (asr, diffusion, llm) are batched "
                        "throughput, not one job's latency.",
                        "",
                        "",
                        style.columns);
}

std::string render_gpus_csv(const GpuDatabase& gpus,
                            const BenchmarkTable& benchmarks,
                            render::CsvDialect dialect) {
  render::CsvWriter csv(dialect,
                        {"name",
                         "family",
                         "vendor",
                         "memory_gb",
                         "fp16_tflops",
                         "memory_bandwidth_gbs",
                         "nvenc",
                         "benchmark_classes"});
  for (const auto& gpu : gpus.all()) {
    csv.add_record(
        {render::csv_text_cell(gpu.name),
         render::csv_text_cell(gpu.family),
         render::csv_text_cell(gpu.vendor),
         render::csv_number_cell(gpu.memory_gb),
         render::csv_number_cell(gpu.fp16_tflops),
         render::csv_number_cell(gpu.memory_bandwidth_gbs),
         render::csv_number_cell(nvenc_of(gpu)),
         render::csv_text_cell(render::join(benchmarks.classes_covering(gpu, gpus), "; "))});
  }
  return std::move(csv).text();
}

std::string render_gpus_json(const GpuDatabase& gpus, const BenchmarkTable& benchmarks) {
  Json list = Json::array();
  for (const auto& gpu : gpus.all()) {
    list.push_back(Json{
        {"name", gpu.name},
        {"family", gpu.family.empty() ? Json(nullptr) : Json(gpu.family)},
        {"vendor", gpu.vendor.empty() ? Json(nullptr) : Json(gpu.vendor)},
        {"memory_gb", render::json_number(gpu.memory_gb)},
        {"fp16_tflops", render::json_number(gpu.fp16_tflops)},
        {"memory_bandwidth_gbs", render::json_number(gpu.memory_bandwidth_gbs)},
        {"nvenc", gpu.nvenc ? Json(*gpu.nvenc) : Json(nullptr)},
        {"benchmark_classes", benchmarks.classes_covering(gpu, gpus)},
    });
  }
  const Json document{
      {"schema", "gpucost/gpus-listing"}, {"schemaVersion", 1}, {"gpus", std::move(list)}};
  return document.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

std::string render_providers_table(const ProviderTable& providers, const TableStyle& style) {
  using render::Align;
  std::vector<render::Column> columns = {column("provider", Align::left),
                                         column("product", Align::left),
                                         column("billing s", Align::right),
                                         column("minimum s", Align::right, 3),
                                         column("start-up s", Align::right),
                                         column("start billed", Align::left, 4),
                                         column("keep-alive s", Align::right),
                                         column("allowed s", Align::right, 2),
                                         column("source", Align::left, 1)};
  bool any_default = false;
  for (const auto& provider : providers.all()) {
    for (const auto& [product, traits] : provider.products) {
      const auto [cold_start, is_default] = listed_cold_start(providers, product, traits);
      any_default = any_default || is_default;
      const std::vector<std::string> cells = {
          provider.display_name.empty()
              ? provider.id
              : fmt::format("{} ({})", provider.display_name, provider.id),
          std::string(to_string(product)),
          cell(traits.billing_granularity_s),
          cell(traits.billing_minimum_s),
          cell(cold_start) + (is_default ? " (default)" : ""),
          cell(traits.cold_start_billed),
          cell(traits.idle_timeout_s),
          range_cell(traits.idle_timeout_range_s),
          traits.source};
      for (std::size_t i = 0; i < columns.size(); ++i) {
        columns[i].cells.push_back(cells[i]);
      }
    }
  }
  std::string out = table_of(std::move(columns), style);
  if (any_default) {
    std::vector<std::string> defaults;
    for (const Product product :
         {Product::pod, Product::vm, Product::serverless, Product::training}) {
      if (const ColdStartDefault* fallback = providers.cold_start_default(product)) {
        defaults.push_back(fmt::format("{} {} s ({})",
                                       to_string(product),
                                       render::format_shortest(fallback->cold_start_s),
                                       fallback->source));
      }
    }
    out += "\n"
           + render::wrap("(default): the product's start-up is undocumented, so its class default "
                          "from providers.json cold_start_defaults is used: "
                              + render::join(defaults, "; "),
                          "",
                          "",
                          style.columns);
  }
  return out;
}

std::string render_providers_csv(const ProviderTable& providers, render::CsvDialect dialect) {
  render::CsvWriter csv(dialect,
                        {"provider",
                         "display_name",
                         "product",
                         "billing_granularity_s",
                         "billing_minimum_s",
                         "cold_start_s",
                         "cold_start_default",
                         "cold_start_billed",
                         "idle_billed",
                         "idle_timeout_s",
                         "idle_timeout_min_s",
                         "idle_timeout_max_s",
                         "always_on",
                         "source",
                         "as_of"});
  const auto yes_no = [](std::optional<bool> value) {
    return value ? std::string(*value ? "true" : "false") : std::string();
  };
  for (const auto& provider : providers.all()) {
    for (const auto& [product, traits] : provider.products) {
      const auto [cold_start, is_default] = listed_cold_start(providers, product, traits);
      const auto& range = traits.idle_timeout_range_s;
      csv.add_record(
          {render::csv_text_cell(provider.id),
           render::csv_text_cell(provider.display_name),
           render::csv_text_cell(to_string(product)),
           render::csv_number_cell(traits.billing_granularity_s),
           render::csv_number_cell(traits.billing_minimum_s),
           render::csv_number_cell(cold_start),
           render::csv_text_cell(is_default ? "true" : "false"),
           render::csv_text_cell(yes_no(traits.cold_start_billed)),
           render::csv_text_cell(yes_no(traits.idle_billed)),
           render::csv_number_cell(traits.idle_timeout_s),
           render::csv_number_cell(range ? std::optional<double>(range->first) : std::nullopt),
           render::csv_number_cell(range ? std::optional<double>(range->second) : std::nullopt),
           render::csv_text_cell(yes_no(traits.always_on)),
           render::csv_text_cell(traits.source),
           render::csv_text_cell(traits.as_of)});
    }
  }
  return std::move(csv).text();
}

std::string render_providers_json(const ProviderTable& providers) {
  Json list = Json::array();
  for (const auto& provider : providers.all()) {
    Json products = Json::array();
    for (const auto& [product, traits] : provider.products) {
      const auto [cold_start, is_default] = listed_cold_start(providers, product, traits);
      Json sources = Json::object();
      for (const auto& [trait, where] : traits.sources) {
        sources[trait] = where;
      }
      const auto& range = traits.idle_timeout_range_s;
      products.push_back(Json{
          {"product", to_string(product)},
          {"billing_granularity_s", render::json_number(traits.billing_granularity_s)},
          {"billing_minimum_s", render::json_number(traits.billing_minimum_s)},
          {"cold_start_s", render::json_number(cold_start)},
          {"cold_start_default", is_default},
          {"cold_start_billed", flag(traits.cold_start_billed)},
          {"idle_billed", flag(traits.idle_billed)},
          {"idle_timeout_s", render::json_number(traits.idle_timeout_s)},
          {"idle_timeout_range_s",
           range ? Json::array({range->first, range->second}) : Json(nullptr)},
          {"native_autoscaling", flag(traits.native_autoscaling)},
          {"always_on", flag(traits.always_on)},
          {"max_workers", worker_cap_json(traits.max_workers)},
          {"source", traits.source},
          {"sources", std::move(sources)},
          {"as_of", traits.as_of},
          {"notes", traits.notes},
      });
    }
    list.push_back(Json{{"id", provider.id},
                        {"display_name", provider.display_name},
                        {"tier", provider.tier},
                        {"egress_per_gb", render::json_number(provider.egress_per_gb)},
                        {"products", std::move(products)}});
  }
  Json defaults = Json::object();
  for (const Product product :
       {Product::pod, Product::vm, Product::serverless, Product::training}) {
    if (const ColdStartDefault* fallback = providers.cold_start_default(product)) {
      defaults[std::string(to_string(product))] = Json{{"cold_start_s", fallback->cold_start_s},
                                                       {"source", fallback->source},
                                                       {"as_of", fallback->as_of}};
    }
  }
  const Json document{{"schema", "gpucost/providers-listing"},
                      {"schemaVersion", 1},
                      {"providers", std::move(list)},
                      {"cold_start_defaults", std::move(defaults)}};
  return document.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

} // namespace gpucost
