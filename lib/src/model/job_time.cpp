#include <gpucost/model/job_time.hpp>

#include <fmt/format.h>

namespace gpucost {

namespace {

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

} // namespace

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

std::string
shared_left_out_reason(const Workload& workload, const GpuSpec& spec, const GpuDatabase& gpus) {
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
} // namespace gpucost
