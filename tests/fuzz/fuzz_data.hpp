#pragma once

// The bundled data the adapters' parse functions need (GPU names, instance tables), read once from
// the source tree's data/ (or $GPUCOST_DATA_DIR).

#include <gpucost/data/data_set.hpp>
#include <gpucost/sources/providers/adapter_util.hpp>

#include <cstdlib>
#include <string>

namespace gpucost::fuzz {

// The data directory the targets read.
inline const std::string& data_dir() {
  static const std::string dir = [] {
    const char* env = std::getenv("GPUCOST_DATA_DIR");
    return std::string(env != nullptr && *env != '\0' ? env : GPUCOST_SOURCE_DATADIR);
  }();
  return dir;
}

// The bundled data set; aborts when it cannot be read (a broken checkout, not a finding).
inline const DataSet& data_set() {
  static const DataSet data = [] {
    auto loaded = load_data_set(data_dir());
    if (!loaded) {
      std::abort();
    }
    return std::move(*loaded);
  }();
  return data;
}

// A parse context with the bundled GPU names.
inline ParseContext context() {
  return ParseContext{&data_set().gpus, "2026-11-23T12:00:00Z", "http://127.0.0.1/fuzz"};
}

} // namespace gpucost::fuzz
