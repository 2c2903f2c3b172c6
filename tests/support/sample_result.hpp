#pragma once

// A small hand-built compare result for the renderer tests: four rows covering every mode, a spot
// row, unknown values, notes, defaulted traits and a negative margin. The figures follow the cost
// model closely enough to read naturally; the renderers do not recompute them.

#include <gpucost/model/compare_result.hpp>

namespace gpucost::test {

// R1: RunPod RTX 4090 pod, per-job, 15 s at 0.74 $/h (cost-model.md), revenue 0.004 $ per job.
inline RankedOption sample_runpod_pod() {
  RankedOption option;
  option.rank = 1;
  option.job_seconds_basis = "measured";
  option.job_seconds_source = "job_seconds on RTX 4090";
  option.offer.provider = "runpod";
  option.offer.product = Product::pod;
  option.offer.gpu = "RTX 4090";
  option.offer.gpu_memory_gb = 24;
  option.offer.vcpus = 16;
  option.offer.ram_gb = 62;
  option.offer.region = "EU-RO-1";
  option.offer.price_per_hour = 0.74;
  option.offer.cold_start_s = 0;
  option.offer.source = "data/catalog/runpod.json";
  option.offer.fetched_at = "2026-11-20T00:00:00Z";
  option.usd_per_hour = 0.74;
  option.estimate.mode = Mode::per_job;
  option.estimate.job_seconds = 15;
  option.estimate.billed_seconds_per_job = 15;
  option.estimate.cost_per_job = 0.0030833333333333333;
  option.estimate.split.execution = 0.0030833333333333333;
  option.estimate.monthly_cost = 3.0833333333333335;
  option.estimate.p_cold = 1;
  option.estimate.utilization = 1;
  option.estimate.margin = 0.22916666666666663;
  option.price_age_s = 302400; // 3.5 days
  return option;
}

// RunPod serverless keep-alive with Poisson arrivals, a defaulted trait and a note.
inline RankedOption sample_runpod_serverless() {
  RankedOption option;
  option.rank = 2;
  option.job_seconds_basis = "measured";
  option.job_seconds_source = "job_seconds on RTX 4090";
  option.offer.provider = "runpod";
  option.offer.product = Product::serverless;
  option.offer.gpu = "RTX 4090";
  option.offer.gpu_memory_gb = 24;
  option.offer.price_per_hour = 1.116;
  option.offer.cold_start_s = 1;
  option.offer.idle_timeout_s = 5;
  option.offer.source = "data/catalog/runpod.json";
  option.offer.fetched_at = "2026-11-20T00:00:00Z";
  option.usd_per_hour = 1.116;
  option.estimate.mode = Mode::keep_alive;
  option.estimate.job_seconds = 15;
  option.estimate.billed_seconds_per_job = 21;
  option.estimate.cost_per_job = 0.00651;
  option.estimate.split = {.execution = 0.00465,
                           .cold_start = 0.00031,
                           .idle = 0.00155,
                           .rounding = 0.000155,
                           .rerun = 0,
                           .egress = -0.000155}; // a credit: checks that negatives pass through
  option.estimate.monthly_cost = 6.51;
  option.estimate.p_cold = 0.99;
  option.estimate.busy_share = 0.0062;
  option.estimate.utilization = 0.7142857142857143;
  option.estimate.margin = -0.6275;
  option.estimate.mean_added_latency_s = 0.99;
  option.estimate.notes = {
      "keep-alive treats the instance as one worker running one job at a time"};
  option.defaulted = {"billing_minimum_s"};
  option.price_age_s = 302400;
  return option;
}

// R6: AWS g5.xlarge per-job on spot with a 60 s minimum; cold start unknown, price 5 h old.
inline RankedOption sample_aws_spot() {
  RankedOption option;
  option.rank = 3;
  option.job_seconds_basis = "spec";
  option.job_seconds_source = "FP16 tensor TFLOPS ratio (data/gpus.json)";
  option.offer.provider = "aws";
  option.offer.product = Product::vm;
  option.offer.name = "g5.xlarge";
  option.offer.gpu = "A10G";
  option.offer.gpu_memory_gb = 24;
  option.offer.vcpus = 4;
  option.offer.ram_gb = 16;
  option.offer.region = "us-east-1";
  option.offer.price_per_hour = 1.006;
  option.offer.spot_price_per_hour = 1.006;
  option.offer.source = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2";
  option.offer.fetched_at = "2026-11-23T07:00:00Z";
  option.usd_per_hour = 1.006;
  option.estimate.mode = Mode::per_job;
  option.estimate.pricing = Pricing::spot;
  option.estimate.job_seconds = 15;
  option.estimate.billed_seconds_per_job = 60;
  option.estimate.cost_per_job = 0.016766666666666666;
  option.estimate.split.execution = 0.0041916666666666665;
  option.estimate.split.rounding = 0.012575;
  option.estimate.monthly_cost = 16.766666666666666;
  option.estimate.p_cold = 1;
  option.estimate.utilization = 0.25;
  option.estimate.margin = -3.1916666666666664;
  option.estimate.notes = {"spot: 0.05 interruptions per hour assumed; a rerun fits in the 60 s "
                           "minimum",
                           "billed at least 60 s per session"};
  option.defaulted = {"interruptions_per_hour", "cold_start_billed"};
  option.price_age_s = 18000;
  return option;
}

// A dedicated server always on: no region, no fetch time, so no price age.
inline RankedOption sample_hetzner_dedicated() {
  RankedOption option;
  option.rank = 4;
  option.job_seconds_basis = "spec";
  option.job_seconds_source = "FP16 tensor TFLOPS ratio (data/gpus.json)";
  option.offer.provider = "hetzner";
  option.offer.product = Product::dedicated;
  option.offer.name = "GEX44";
  option.offer.gpu = "RTX 4000 SFF Ada";
  option.offer.gpu_memory_gb = 20;
  option.offer.monthly_price = 184;
  option.offer.source = "data/catalog/hetzner.json";
  option.usd_per_hour = 0.25205479452054796;
  option.estimate.mode = Mode::always_on;
  option.estimate.p_cold = 0;
  option.estimate.job_seconds = 30;
  option.estimate.billed_seconds_per_job = 2628;
  option.estimate.cost_per_job = 0.184;
  option.estimate.split.execution = 0.0021004566210045663;
  option.estimate.split.idle = 0.18189954337899544;
  option.estimate.monthly_cost = 184;
  option.estimate.capacity_jobs_per_month = 70080;
  option.estimate.capacity_jobs_per_month_full = 87600;
  option.estimate.workers = 1;
  option.estimate.utilization = 0.011415525114155251;
  option.estimate.margin = -45;
  return option;
}

// The whole sample: workload, two catalog sources, a warning and the four rows in rank order.
inline CompareResult sample_result() {
  CompareResult result;
  result.tool_version = "0.1.0";
  result.generated_at = "2026-11-23T12:00:00Z";
  result.workload.name = "render-60s";
  result.workload.description = "a 60 s video rendered with ffmpeg";
  result.workload.ref_gpu = "RTX 4090";
  result.workload.job_seconds = 15;
  result.workload.jobs_per_month = 1000;
  result.workload.revenue_per_job = 0.004;
  result.catalog.sources = {
      {PriceOrigin::bundled, "data/catalog/runpod.json", "runpod", "2026-11-20T00:00:00Z", 12},
      {PriceOrigin::cache, "/home/u/.cache/gpucost/aws.json", "aws", "2026-11-23T07:00:00Z", 340},
      {PriceOrigin::file, "data/catalog/hetzner.json", "", "", 1},
  };
  result.catalog.sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  result.options = {sample_runpod_pod(),
                    sample_runpod_serverless(),
                    sample_aws_spot(),
                    sample_hetzner_dedicated()};
  result.warnings = {"lambda: no offer has an RTX 4090; left out"};
  return result;
}

} // namespace gpucost::test
