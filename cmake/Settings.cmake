# Build settings shared by every first-party target: sanitizers and library assertions.
add_library(gpucost_settings INTERFACE)
if(GPUCOST_SANITIZERS)
  target_compile_options(gpucost_settings INTERFACE -fsanitize=${GPUCOST_SANITIZERS}
                                                    -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(gpucost_settings INTERFACE -fsanitize=${GPUCOST_SANITIZERS})
  target_compile_definitions(gpucost_settings INTERFACE _GLIBCXX_ASSERTIONS)
endif()

# GPUCOST_FUZZ (clang only): tests/fuzz builds one fuzz_<target> executable per parser
# (docs/reliability.md), and every first-party target is instrumented for libFuzzer's coverage.
# With GPUCOST_FUZZ_COVERAGE=OFF only the fuzz executables' own files are: the fuzzers then mutate
# their corpus nearly blind (a smoke run, as in CI), but the tests of the same tree run at plain
# sanitizer speed (the coverage instrumentation made CI's sanitizer ctest 3.5 times slower).
option(GPUCOST_FUZZ_COVERAGE "With GPUCOST_FUZZ, instrument all first-party code for coverage" ON)
if(GPUCOST_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "GPUCOST_FUZZ needs clang (CXX=clang++): libFuzzer is part of clang")
  endif()
  if(GPUCOST_FUZZ_COVERAGE)
    target_compile_options(gpucost_settings INTERFACE -fsanitize=fuzzer-no-link)
  endif()
  target_compile_options(gpucost_settings INTERFACE -fsanitize=address,undefined
                                                    -fno-omit-frame-pointer)
  target_link_options(gpucost_settings INTERFACE -fsanitize=address,undefined)
endif()

# ccache, when present, makes rebuilds (and CI on a machine that built before) cheap.
find_program(GPUCOST_CCACHE ccache)
if(GPUCOST_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${GPUCOST_CCACHE})
endif()

# Precompiled headers for the heavy header-only dependencies (nlohmann/json, CLI11, doctest, fmt):
# every translation unit of a target that uses them parses them once per target instead of once
# per file. With them comes util/fmt_extern.hpp, which stops each file compiling fmt's formatting
# engine again. GPUCOST_PCH=OFF turns them off.
option(GPUCOST_PCH "Precompile the dependencies' headers" ON)
function(gpucost_precompile target)
  if(GPUCOST_PCH)
    target_precompile_headers(${target} PRIVATE ${ARGN}
                              "${PROJECT_SOURCE_DIR}/lib/include/gpucost/util/fmt_extern.hpp")
  endif()
endfunction()

# Unity build: each target compiles its files in batches of GPUCOST_UNITY_BATCH, one translation
# unit per batch, so the dependencies' inline code (CLI11, nlohmann/json, doctest) is compiled once
# per batch instead of once per file. It makes a clean build (CI) about twice as fast; for an
# edit-compile loop on one file, configure with -DGPUCOST_UNITY=OFF. Files that cannot share a
# batch set the source property SKIP_UNITY_BUILD_INCLUSION (lib/CMakeLists.txt says which).
option(GPUCOST_UNITY "Compile each target's files in batches (unity build)" ON)
set(GPUCOST_UNITY_BATCH 16 CACHE STRING "Files per unity batch")
if(GPUCOST_UNITY)
  set(CMAKE_UNITY_BUILD ON)
  set(CMAKE_UNITY_BUILD_BATCH_SIZE ${GPUCOST_UNITY_BATCH})
endif()
