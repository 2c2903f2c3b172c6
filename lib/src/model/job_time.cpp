#include <gpucost/model/job_time.hpp>

#include <fmt/format.h>

namespace gpucost {

namespace {

std::optional<double> spec_figure(const GpuSpec& gpu, WorkloadClass spec_class) {
  return spec_class == WorkloadClass::memory ? gpu.memory_bandwidth_gbs : gpu.fp16_tflops;
}

std::string_view spec_figure_name(WorkloadClass spec_class) {
  return spec_class == WorkloadClass::memory ? "memory bandwidth" : "FP16 tensor TFLOPS";
}

// Whether scaling the reference time to `gpu` would cross vendors (NVIDIA to AMD, say), which a
// workload allows only when it says so: the same job rarely runs on both software stacks, and
// never at the ratio of their spec sheets.
bool crosses_vendor(const Workload& workload, const GpuSpec& gpu, const GpuSpec& reference) {
  return !workload.cross_vendor && !gpu.vendor.empty() && !reference.vendor.empty()
         && gpu.vendor != reference.vendor;
}

const BenchmarkFigure* figure_of(const BenchmarkClass* table,
                                 const GpuSpec& gpu,
                                 const GpuDatabase& gpus,
                                 std::string_view group = {}) {
  if (table == nullptr) {
    return nullptr;
  }
  for (const auto& figure : table->figures) {
    if ((group.empty() || figure.source_group == group) && gpus.find(figure.gpu) == &gpu) {
      return &figure;
    }
  }
  return nullptr;
}

// Whether `gpu` has no NVENC engine, by gpus.json or by the encode class of benchmarks.json.
bool lacks_nvenc(const GpuSpec& gpu, const GpuDatabase& gpus, const BenchmarkTable& benchmarks) {
  if (gpu.nvenc && *gpu.nvenc == 0) {
    return true;
  }
  const BenchmarkFigure* figure = figure_of(benchmarks.find(WorkloadClass::encode), gpu, gpus);
  return figure != nullptr && figure->nvenc && !*figure->nvenc;
}

// Two figures of one source_group for the reference and the target, first group in file order.
std::optional<std::pair<const BenchmarkFigure*, const BenchmarkFigure*>>
shared_figures(const BenchmarkClass* table,
               const GpuSpec& reference,
               const GpuSpec& gpu,
               const GpuDatabase& gpus) {
  if (table == nullptr) {
    return std::nullopt;
  }
  for (const auto& base : table->figures) {
    if (!base.value || gpus.find(base.gpu) != &reference) {
      continue;
    }
    const BenchmarkFigure* target = figure_of(table, gpu, gpus, base.source_group);
    if (target != nullptr && target->value) {
      return std::make_pair(&base, target);
    }
  }
  return std::nullopt;
}

struct Speedup {
  double ratio = 1; // S_ref / S at f = 1
  JobSecondsBasis basis = JobSecondsBasis::spec;
  std::string source;
  std::string fallback;
};

Expected<Speedup>
spec_speedup(WorkloadClass spec_class, const GpuSpec& reference, const GpuSpec& gpu) {
  const auto target = spec_figure(gpu, spec_class);
  const auto base = spec_figure(reference, spec_class);
  if (!target || !base || *target <= 0 || *base <= 0) {
    const GpuSpec& missing = (!target || *target <= 0) ? gpu : reference;
    return make_error(
        fmt::format("data/gpus.json has no {} for {}, so the job time cannot be scaled "
                    "(measure it and give measured_seconds)",
                    spec_figure_name(spec_class),
                    missing.name));
  }
  Speedup speedup;
  speedup.ratio = *target / *base;
  speedup.source = fmt::format("{} ratio (data/gpus.json)", spec_figure_name(spec_class));
  return speedup;
}

// The NVENC engines one stream of `workload` runs on: all of them when the workload splits frames
// and the GPU can (Ada and later with two or more engines), else one.
double stream_engines(const Workload& workload, const GpuSpec& gpu, const BenchmarkFigure* figure) {
  const bool splits = workload.split_frame && (figure == nullptr || figure->split_frame);
  return splits ? static_cast<double>(*gpu.nvenc) : 1.0;
}

// A GPU's NVENC clock relative to the clock its generation's figure was measured at (the note's
// figures "scale according to the video clocks"), when data/benchmarks.json holds both.
std::optional<double> clock_factor(const BenchmarkFigure& figure) {
  if (!figure.video_clock_mhz || !figure.reference_video_clock_mhz) {
    return std::nullopt;
  }
  return *figure.video_clock_mhz / *figure.reference_video_clock_mhz;
}

Expected<Speedup> encode_speedup(const Workload& workload,
                                 const GpuSpec& reference,
                                 const GpuSpec& gpu,
                                 const GpuDatabase& gpus,
                                 const BenchmarkTable& benchmarks) {
  if (!gpu.nvenc || !reference.nvenc) {
    const GpuSpec& missing = !gpu.nvenc ? gpu : reference;
    return make_error(fmt::format(
        "data/gpus.json has no NVENC engine count for {}, so the job time cannot be scaled "
        "(measure it and give measured_seconds)",
        missing.name));
  }
  Speedup speedup;
  const BenchmarkClass* table = benchmarks.find(WorkloadClass::encode);
  if (const auto pair = shared_figures(table, reference, gpu, gpus)) {
    const auto base_clock = clock_factor(*pair->first);
    const auto target_clock = clock_factor(*pair->second);
    const bool clocked = base_clock && target_clock;
    const double base = *pair->first->value * (clocked ? *base_clock : 1.0)
                        * stream_engines(workload, reference, pair->first);
    const double target = *pair->second->value * (clocked ? *target_clock : 1.0)
                          * stream_engines(workload, gpu, pair->second);
    speedup.ratio = target / base;
    speedup.basis = JobSecondsBasis::benchmark;
    speedup.source = fmt::format("{}: per-engine speed of each GPU's NVENC generation{}, {} ({})",
                                 pair->first->source_group,
                                 clocked ? " times its max video clock over the note's measuring "
                                           "clock"
                                         : "",
                                 workload.split_frame ? "split-frame over the engines of Ada and "
                                                        "later GPUs"
                                                      : "one stream on one engine",
                                 table->source);
    if (!clocked) {
      speedup.fallback =
          base_clock
              ? std::string("encode: data/benchmarks.json has no max video clock of these "
                            "GPUs, or the NVENC note no measuring clock of their generation, "
                            "so their speed is their NVENC generation's, not scaled by clock")
              : fmt::format("encode: data/benchmarks.json has no max video clock of the "
                            "reference {}, or the NVENC note no measuring clock of its "
                            "generation, so NVENC speeds are per generation, not scaled by "
                            "clock, for",
                            reference.name);
    }
    return speedup;
  }
  if (workload.split_frame) {
    speedup.ratio =
        stream_engines(workload, gpu, nullptr) / stream_engines(workload, reference, nullptr);
    speedup.source = "NVENC engine count ratio, split-frame encoding (data/gpus.json)";
  } else {
    speedup.source = "one NVENC engine per stream, per-engine speed taken equal (no sourced "
                     "per-engine figure)";
  }
  speedup.fallback =
      fmt::format("encode: data/benchmarks.json has no NVENC figure of one "
                  "source_group for both {} and these GPUs: one engine each, taken "
                  "equally fast{}",
                  reference.name,
                  workload.split_frame ? ", times the engine count (split-frame)" : "");
  return speedup;
}

Expected<Speedup> scale(const Workload& workload,
                        const GpuSpec& reference,
                        const GpuSpec& gpu,
                        const GpuDatabase& gpus,
                        const BenchmarkTable& benchmarks) {
  const WorkloadClass workload_class = workload.workload_class;
  if (workload_class == WorkloadClass::encode) {
    return encode_speedup(workload, reference, gpu, gpus, benchmarks);
  }
  const WorkloadClass spec_class = spec_fallback(workload_class);
  if (spec_class == workload_class) {
    return spec_speedup(spec_class, reference, gpu);
  }
  const BenchmarkClass* table = benchmarks.find(workload_class);
  if (const auto pair = shared_figures(table, reference, gpu, gpus)) {
    Speedup speedup;
    speedup.ratio = *pair->second->value / *pair->first->value;
    speedup.basis = JobSecondsBasis::benchmark;
    speedup.source = fmt::format("{} (data/benchmarks.json)", pair->first->source_group);
    return speedup;
  }
  auto speedup = spec_speedup(spec_class, reference, gpu);
  if (speedup) {
    speedup->fallback = fmt::format(
        "{}: data/benchmarks.json has no figure of one source_group for both {} and these GPUs, "
        "so their job time uses the {} ratio",
        to_string(workload_class),
        reference.name,
        spec_figure_name(spec_class));
  }
  return speedup;
}

} // namespace

std::string_view to_string(JobSecondsBasis basis) {
  switch (basis) {
  case JobSecondsBasis::measured:
    return "measured";
  case JobSecondsBasis::benchmark:
    return "benchmark";
  case JobSecondsBasis::spec:
    return "spec";
  }
  return "spec";
}

WorkloadClass spec_fallback(WorkloadClass workload_class) {
  switch (workload_class) {
  case WorkloadClass::memory:
  case WorkloadClass::llm:
    return WorkloadClass::memory;
  case WorkloadClass::encode:
    return WorkloadClass::encode;
  case WorkloadClass::compute:
  case WorkloadClass::asr:
  case WorkloadClass::diffusion:
  case WorkloadClass::training:
  case WorkloadClass::render:
    return WorkloadClass::compute;
  }
  return WorkloadClass::compute;
}

Expected<JobTime> job_time_on(const Workload& workload,
                              const GpuSpec& gpu,
                              const GpuDatabase& gpus,
                              const BenchmarkTable& benchmarks) {
  for (const auto& [name, seconds] : workload.measured_seconds) {
    if (gpus.find(name) == &gpu) {
      return JobTime{
          seconds, JobSecondsBasis::measured, fmt::format("measured_seconds on {}", gpu.name), {}};
    }
  }
  if (!workload.job_seconds) {
    return make_error(fmt::format("no measured time for {} and no reference job time", gpu.name));
  }
  const GpuSpec* reference = gpus.find(workload.ref_gpu);
  if (reference == nullptr) {
    return make_error(fmt::format("reference GPU \"{}\" is unknown", workload.ref_gpu));
  }
  if (workload.workload_class == WorkloadClass::encode && lacks_nvenc(gpu, gpus, benchmarks)) {
    return make_error(
        fmt::format("{} has no NVENC engine, so an encode workload cannot run on it", gpu.name));
  }
  if (reference == &gpu) {
    return JobTime{*workload.job_seconds,
                   JobSecondsBasis::measured,
                   fmt::format("job_seconds on {}", reference->name),
                   {}};
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
  GPUCOST_TRY_ASSIGN(auto speedup, scale(workload, *reference, gpu, gpus, benchmarks));
  const double s_ref = *workload.job_seconds;
  const double f = workload.gpu_bound_fraction;
  JobTime time;
  time.seconds = s_ref * (1 - f) + s_ref * f / speedup.ratio;
  time.basis = speedup.basis;
  time.source = std::move(speedup.source);
  time.fallback = std::move(speedup.fallback);
  return time;
}

std::string shared_left_out_reason(const Workload& workload,
                                   const GpuSpec& spec,
                                   const GpuDatabase& gpus,
                                   const BenchmarkTable& benchmarks) {
  const GpuSpec* reference = gpus.find(workload.ref_gpu);
  if (workload.workload_class == WorkloadClass::encode) {
    if (lacks_nvenc(spec, gpus, benchmarks)) {
      return "without NVENC, which an encode workload needs";
    }
  }
  if (reference != nullptr && crosses_vendor(workload, spec, *reference)) {
    return fmt::format("of another vendor than the reference {} ({}): job time is not scaled "
                       "across vendors (measure the job there and add measured_seconds, or give "
                       "--cross-vendor)",
                       reference->name,
                       reference->vendor);
  }
  if (workload.workload_class == WorkloadClass::encode) {
    if (!spec.nvenc) {
      return "whose NVENC engine count data/gpus.json does not give (measure the job there and "
             "add measured_seconds)";
    }
    return {};
  }
  const WorkloadClass spec_class = spec_fallback(workload.workload_class);
  if (!spec_figure(spec, spec_class)) {
    return fmt::format("whose {} data/gpus.json does not give (measure the job there and add "
                       "measured_seconds)",
                       spec_figure_name(spec_class));
  }
  return {};
}
} // namespace gpucost
