// The workload reader: any input gives a workload or an error, never a crash or a long message.

#include "fuzz_target.hpp"

#include <gpucost/data/workload_file.hpp>

GPUCOST_FUZZ_TARGET(workload) {
  const auto workload = gpucost::parse_workload(input, "fuzz.json");
  if (!workload && workload.error().message.size() > 4096) {
    gpucost::fuzz::fail("an error message longer than 4 KiB");
  }
}
