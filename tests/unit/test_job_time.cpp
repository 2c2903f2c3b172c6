// Job time on another GPU: benchmark classes of data/benchmarks.json, their spec fallbacks, one
// NVENC engine per encode stream, gpu_bound_fraction, and GPU families.

#include <gpucost/data/benchmark_file.hpp>
#include <gpucost/data/data_set.hpp>
#include <gpucost/data/gpu_file.hpp>
#include <gpucost/model/job_time.hpp>

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_job_time {

namespace {

struct Bundled {
  gpucost::GpuDatabase gpus;
  gpucost::BenchmarkTable benchmarks;
};

const Bundled& bundled() {
  static const Bundled data = [] {
    const std::string dir = std::string(GPUCOST_SOURCE_DIR) + "/data/";
    Bundled out;
    out.gpus =
        gpucost::parse_gpu_database(*gpucost::read_text_file(dir + "gpus.json"), dir + "gpus.json")
            .value();
    out.benchmarks = gpucost::parse_benchmark_table(
                         *gpucost::read_text_file(dir + "benchmarks.json"), dir + "benchmarks.json")
                         .value();
    return out;
  }();
  return data;
}

gpucost::Workload workload(gpucost::WorkloadClass workload_class, const char* ref, double seconds) {
  gpucost::Workload w;
  w.workload_class = workload_class;
  w.ref_gpu = ref;
  w.job_seconds = seconds;
  return w;
}

gpucost::JobTime time_on(const gpucost::Workload& w, const char* gpu) {
  const auto& data = bundled();
  return gpucost::job_time_on(w, *data.gpus.find(gpu), data.gpus, data.benchmarks).value();
}

double figure(gpucost::WorkloadClass workload_class, const char* gpu, const char* group) {
  const auto& data = bundled();
  for (const auto& f : data.benchmarks.find(workload_class)->figures) {
    if (data.gpus.find(f.gpu) == data.gpus.find(gpu) && f.source_group == group) {
      return f.value.value();
    }
  }
  FAIL("no figure");
  return 0;
}

// The encode figure of `gpu`: its max video clock over the clock its generation was measured at.
double clock_factor(const char* gpu) {
  const auto& data = bundled();
  for (const auto& f : data.benchmarks.find(gpucost::WorkloadClass::encode)->figures) {
    if (data.gpus.find(f.gpu) == data.gpus.find(gpu)) {
      return f.video_clock_mhz.value() / f.reference_video_clock_mhz.value();
    }
  }
  FAIL("no encode figure");
  return 0;
}

} // namespace

TEST_CASE("asr scales by the MLPerf Whisper ratio of one source group") {
  const auto w = workload(gpucost::WorkloadClass::asr, "L4", 420);
  const char* group = "mlperf-inference-v5.1-closed-offline-whisper";
  const auto b200 = time_on(w, "B200");
  CHECK(b200.basis == gpucost::JobSecondsBasis::benchmark);
  CHECK(b200.seconds
        == doctest::Approx(420 * figure(gpucost::WorkloadClass::asr, "L4", group)
                           / figure(gpucost::WorkloadClass::asr, "B200", group)));
  CHECK(b200.fallback.empty());
}

TEST_CASE("a GPU whose figure is in another source group falls back to the spec ratio") {
  const auto w = workload(gpucost::WorkloadClass::asr, "L4", 420);
  const auto& data = bundled();
  const auto rtx = time_on(w, "RTX 4090"); // its Whisper figure is a reference-vLLM run
  CHECK(rtx.basis == gpucost::JobSecondsBasis::spec);
  CHECK(rtx.seconds
        == doctest::Approx(420 * *data.gpus.find("L4")->fp16_tflops
                           / *data.gpus.find("RTX 4090")->fp16_tflops));
  CHECK_FALSE(rtx.fallback.empty());
}

TEST_CASE("llm falls back to memory bandwidth") {
  const auto w = workload(gpucost::WorkloadClass::llm, "H100 SXM", 100);
  const auto& data = bundled();
  const auto l4 = time_on(w, "L4");
  CHECK(l4.basis == gpucost::JobSecondsBasis::spec);
  CHECK(l4.seconds
        == doctest::Approx(100 * *data.gpus.find("H100 SXM")->memory_bandwidth_gbs
                           / *data.gpus.find("L4")->memory_bandwidth_gbs));
}

TEST_CASE("gpu_bound_fraction keeps the CPU share at the reference time") {
  auto w = workload(gpucost::WorkloadClass::compute, "L4", 400);
  const auto& data = bundled();
  const double speedup =
      *data.gpus.find("H100 SXM")->fp16_tflops / *data.gpus.find("L4")->fp16_tflops;
  w.gpu_bound_fraction = 0.25;
  CHECK(time_on(w, "H100 SXM").seconds == doctest::Approx(400 * 0.75 + 400 * 0.25 / speedup));
  w.gpu_bound_fraction = 0;
  CHECK(time_on(w, "H100 SXM").seconds == doctest::Approx(400));
  CHECK(time_on(w, "L4").basis == gpucost::JobSecondsBasis::measured);
}

TEST_CASE("encode: the per-engine speed of each NVENC generation, one engine a stream") {
  const auto w = workload(gpucost::WorkloadClass::encode, "RTX 3090", 60);
  const auto& data = bundled();
  const char* group = "nvenc-app-note-13.0-h264-hevc";
  const double ampere = figure(gpucost::WorkloadClass::encode, "RTX 3090", group);
  const double ada = figure(gpucost::WorkloadClass::encode, "RTX 6000 Ada", group);
  CHECK(ada > ampere); // the note's Ada engine is faster than its Ampere one
  // Three Ada engines, but one stream runs on one of them.
  const auto rtx6000 = time_on(w, "RTX 6000 Ada");
  CHECK(rtx6000.seconds
        == doctest::Approx(60 * ampere * clock_factor("RTX 3090")
                           / (ada * clock_factor("RTX 6000 Ada"))));
  CHECK(rtx6000.basis == gpucost::JobSecondsBasis::benchmark);
  CHECK(rtx6000.fallback.empty());
  // The same Ampere engine, at the A10's own clock.
  CHECK(time_on(w, "A10").seconds
        == doctest::Approx(60 * clock_factor("RTX 3090") / clock_factor("A10")));
  const auto h100 =
      gpucost::job_time_on(w, *data.gpus.find("H100 SXM"), data.gpus, data.benchmarks);
  REQUIRE_FALSE(h100);
  CHECK(h100.error().message
        == "H100 SXM has no NVENC engine, so an encode workload cannot run on it");
}

TEST_CASE("encode: an engine's speed scales by the GPU's max video clock") {
  const auto w = workload(gpucost::WorkloadClass::encode, "RTX 3090", 60);
  const char* group = "nvenc-app-note-13.0-h264-hevc";
  const double ampere = figure(gpucost::WorkloadClass::encode, "RTX 3090", group);
  const double turing = figure(gpucost::WorkloadClass::encode, "T4", group);
  // The note measured Ampere on an RTX 3090 at the clock that card runs: its factor is 1.
  CHECK(clock_factor("RTX 3090") == doctest::Approx(1));
  // A T4 runs its Turing engine below the Quadro RTX 8000's clock the note measured at.
  CHECK(clock_factor("T4") < 1);
  const auto t4 = time_on(w, "T4");
  CHECK(t4.seconds == doctest::Approx(60 * ampere / (turing * clock_factor("T4"))));
  CHECK(t4.seconds > 60 * ampere / turing); // slower than the generation's figure alone
  CHECK(t4.fallback.empty());
  CHECK(t4.source.find("max video clock") != std::string::npos);
  // The L4's Ada engine at its own clock against the RTX 4090's, at which the note measured Ada.
  const auto from_l4 = workload(gpucost::WorkloadClass::encode, "L4", 60);
  CHECK(time_on(from_l4, "RTX 4090").seconds == doctest::Approx(60 * clock_factor("L4")));
  // No sourced clock for the RTX A4000: its generation's speed, and the row says so.
  const auto a4000 = time_on(w, "RTX A4000");
  CHECK(a4000.seconds == doctest::Approx(60));
  CHECK(a4000.basis == gpucost::JobSecondsBasis::benchmark);
  CHECK(a4000.fallback.find("no max video clock of these GPUs") != std::string::npos);
  // The note names no clock for Blackwell: from an RTX 5090 nothing is clock-scaled.
  const auto from_5090 = workload(gpucost::WorkloadClass::encode, "RTX 5090", 60);
  const auto t4_from_5090 = time_on(from_5090, "T4");
  CHECK(
      t4_from_5090.seconds
      == doctest::Approx(60 * figure(gpucost::WorkloadClass::encode, "RTX 5090", group) / turing));
  CHECK(t4_from_5090.fallback.find("of the reference RTX 5090") != std::string::npos);
}

TEST_CASE("encode: split-frame spreads one stream over the engines of Ada and later GPUs only") {
  const char* group = "nvenc-app-note-13.0-h264-hevc";
  const double ampere = figure(gpucost::WorkloadClass::encode, "RTX 3090", group);
  const double ada = figure(gpucost::WorkloadClass::encode, "L4", group);
  auto from_ampere = workload(gpucost::WorkloadClass::encode, "RTX 3090", 60);
  from_ampere.split_frame = true;
  CHECK(time_on(from_ampere, "RTX 6000 Ada").seconds
        == doctest::Approx(60 * ampere / (3 * ada * clock_factor("RTX 6000 Ada"))));
  auto from_l4 = workload(gpucost::WorkloadClass::encode, "L4", 60);
  from_l4.split_frame = true; // the L4's two engines split the stream; an Ampere card cannot
  CHECK(time_on(from_l4, "RTX 3090").seconds
        == doctest::Approx(60 * 2 * ada * clock_factor("L4") / ampere));
  CHECK(time_on(from_l4, "L40S").seconds
        == doctest::Approx(60 * 2.0 * clock_factor("L4") / (3.0 * clock_factor("L40S"))));
}

TEST_CASE("render: Blender Open Data medians, OptiX and CUDA never mixed") {
  const auto w = workload(gpucost::WorkloadClass::render, "RTX 4090", 15);
  const auto& data = bundled();
  const char* optix = "blender-opendata-4.x-optix";
  const char* cuda = "blender-opendata-4.x-cuda";
  const auto l40s = time_on(w, "L40S"); // both have OptiX medians: the first group
  CHECK(l40s.basis == gpucost::JobSecondsBasis::benchmark);
  CHECK(l40s.seconds
        == doctest::Approx(15 * figure(gpucost::WorkloadClass::render, "RTX 4090", optix)
                           / figure(gpucost::WorkloadClass::render, "L40S", optix)));
  const auto b200 = time_on(w, "B200"); // only CUDA runs of the B200
  CHECK(b200.seconds
        == doctest::Approx(15 * figure(gpucost::WorkloadClass::render, "RTX 4090", cuda)
                           / figure(gpucost::WorkloadClass::render, "B200", cuda)));
  CHECK(b200.source == "blender-opendata-4.x-cuda (data/benchmarks.json)");
  const auto h100 = time_on(w, "H100 PCIe"); // too few runs: the compute spec ratio
  CHECK(h100.basis == gpucost::JobSecondsBasis::spec);
  CHECK(h100.seconds
        == doctest::Approx(15 * *data.gpus.find("RTX 4090")->fp16_tflops
                           / *data.gpus.find("H100 PCIe")->fp16_tflops));
}

TEST_CASE("GPU families match whole words") {
  const auto& gpus = bundled().gpus;
  const auto names = [&](const char* query) {
    std::vector<std::string> out;
    for (const auto* gpu : gpus.match_family(query)) {
      out.push_back(gpu->name);
    }
    return out;
  };
  CHECK(names("H100") == std::vector<std::string>{"H100 PCIe", "H100 SXM", "H100 NVL"});
  CHECK(names("h100").size() == 3);
  CHECK(names("4090") == std::vector<std::string>{"RTX 4090"});
  CHECK(names("A10") == std::vector<std::string>{"A10"});
  CHECK(names("L4") == std::vector<std::string>{"L4"});
  CHECK(names("A100").size() == 4);
  CHECK(names("Z999").empty());
}

TEST_CASE("per-provider overrides: provider/product beats provider beats every option") {
  const std::map<std::string, double> by_provider = {{"runpod/pod", 30}, {"runpod", 20}};
  const std::optional<double> all = 10.0;
  CHECK(gpucost::override_for(all, by_provider, "runpod", gpucost::Product::pod) == 30);
  CHECK(gpucost::override_for(all, by_provider, "runpod", gpucost::Product::serverless) == 20);
  CHECK(gpucost::override_for(all, by_provider, "vastai", gpucost::Product::pod) == 10);
  CHECK_FALSE(gpucost::override_for(std::nullopt, by_provider, "vastai", gpucost::Product::pod));
}

} // namespace gpucost_test_job_time
