#include <gpucost/model/api_price.hpp>
#include <gpucost/model/job_time.hpp>
#include <gpucost/model/reprice.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace gpucost {

Expected<Estimate> reprice_row(const RankedOption& row,
                               const Workload& workload,
                               const GpuDatabase& gpus,
                               const BenchmarkTable& benchmarks) {
  if (row.offer.product == Product::api) {
    // Priced per unit: the workload's units at the row's price and terms.
    const UnitPrice& terms = row.offer.per_unit;
    const auto units =
        terms.unit ? workload.units_per_job.find(*terms.unit) : workload.units_per_job.end();
    if (units == workload.units_per_job.end()) {
      return make_error(fmt::format("option \"{}\": the workload does not say how many {} units "
                                    "a job is",
                                    row.key,
                                    terms.unit ? to_string(*terms.unit) : "-"));
    }
    const double egress =
        workload.output_gb ? *workload.output_gb * row.egress_usd_per_gb.value_or(0.0) : 0.0;
    return estimate_api_cost(
        terms, units->second, workload.jobs_per_month, workload.revenue_per_job, egress);
  }
  if (!row.traits_known) {
    return make_error(fmt::format("option \"{}\": the baseline row carries no traits", row.key));
  }
  const GpuSpec* spec = gpus.find(row.offer.gpu);
  if (spec == nullptr) {
    return make_error(
        fmt::format("option \"{}\": GPU \"{}\" is not in gpus.json", row.key, row.offer.gpu));
  }
  if (row.offer.gpu_count < workload.gpus_per_job) {
    return make_error(fmt::format(
        "option \"{}\": fewer GPUs than the {} a job needs", row.key, workload.gpus_per_job));
  }
  GPUCOST_TRY_ASSIGN(const JobTime time, job_time_on(workload, *spec, gpus, benchmarks));
  ModelOption option = row.option;
  option.usd_per_hour = row.usd_per_hour;
  option.slots = std::max(1, row.offer.gpu_count / std::max(1, workload.gpus_per_job));
  option.egress_usd_per_job =
      workload.output_gb ? *workload.output_gb * row.egress_usd_per_gb.value_or(0.0) : 0.0;
  const Product product = row.offer.product;
  if (const auto cold = override_for(
          workload.cold_start_s, workload.cold_start_by_provider, row.offer.provider, product)) {
    option.cold_start_s = *cold;
  }
  Mode mode = row.estimate.mode;
  if (const auto idle = override_for(
          workload.idle_timeout_s, workload.idle_timeout_by_provider, row.offer.provider, product);
      mode == Mode::keep_alive && idle) {
    option.idle_timeout_s = *idle;
  }
  if (mode == Mode::per_job && row.offer.product == Product::serverless) {
    option.idle_timeout_s = 0; // the serverless per-job row is keep-alive with T = 0
    mode = Mode::keep_alive;
  }
  const ModelWorkload model_workload{time.seconds,
                                     workload.jobs_per_month,
                                     workload.traffic,
                                     workload.max_utilization,
                                     workload.revenue_per_job};
  GPUCOST_TRY_ASSIGN(auto estimate,
                     estimate_cost(mode, row.estimate.pricing, option, model_workload));
  estimate.mode = row.estimate.mode;
  return estimate;
}

} // namespace gpucost
