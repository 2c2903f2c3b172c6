#pragma once

// The reference data listings: `gpucost gpus` (the GPU table with the benchmark classes covering
// each model) and `gpucost providers` (each provider's products and their traits). Pure.

#include <gpucost/model/benchmark.hpp>
#include <gpucost/model/gpu.hpp>
#include <gpucost/model/provider_info.hpp>
#include <gpucost/render/csv_util.hpp>
#include <gpucost/render/render.hpp>

#include <string>

namespace gpucost {

// The GPU table as aligned text fitting style.columns.
std::string render_gpus_table(const GpuDatabase& gpus,
                              const BenchmarkTable& benchmarks,
                              const TableStyle& style);

// The GPU table as CSV in `dialect` (render/csv_util.hpp), units in the column names; unknown
// figures are empty cells.
std::string render_gpus_csv(const GpuDatabase& gpus,
                            const BenchmarkTable& benchmarks,
                            render::CsvDialect dialect);

// The GPU table as JSON: {"schema": "gpucost/gpus-listing", "gpus": [{name, family, vendor,
// memory_gb, fp16_tflops, memory_bandwidth_gbs, nvenc, benchmark_classes}]}; unknown is null.
std::string render_gpus_json(const GpuDatabase& gpus, const BenchmarkTable& benchmarks);

// Providers with one row per product as aligned text fitting style.columns; a product without
// its own start-up shows its class default, marked "(default)".
std::string render_providers_table(const ProviderTable& providers, const TableStyle& style);

// The same as CSV in `dialect`, one record per provider product, units in the column names;
// unknown traits are empty cells.
std::string render_providers_csv(const ProviderTable& providers, render::CsvDialect dialect);

// The same as JSON: {"schema": "gpucost/providers-listing", "providers": [{id, display_name,
// products: [{product, billing_granularity_s, billing_minimum_s, cold_start_s,
// cold_start_default, cold_start_billed, idle_billed, idle_timeout_s, idle_timeout_range_s,
// always_on, source, sources, as_of}]}], "cold_start_defaults": {...}}.
std::string render_providers_json(const ProviderTable& providers);

} // namespace gpucost
