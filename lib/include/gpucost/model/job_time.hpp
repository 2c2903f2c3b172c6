#pragma once

#include <gpucost/model/gpu.hpp>
#include <gpucost/model/workload.hpp>
#include <gpucost/util/error.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace gpucost {

// The seconds one job takes on `gpu`: measured when the workload has a figure for it, else the
// reference time scaled by the class's figure; fails with the reason when it cannot be known.
Expected<double>
job_seconds_on(const Workload& workload, const GpuSpec& gpu, const GpuDatabase& gpus);

// Why many GPUs may lack a job time at once (no NVENC, another vendor, a figure gpus.json lacks),
// so that one warning names the reason and the GPUs; empty when the reason is this GPU's own.
std::string
shared_left_out_reason(const Workload& workload, const GpuSpec& gpu, const GpuDatabase& gpus);

} // namespace gpucost
