# Runs the real binary on several workloads, writes each JSON result, and validates every one
# against docs/compare.schema.json with Python's jsonschema.
set(ENV{GPUCOST_NOW} "2026-11-23T12:00:00Z")
set(ENV{NO_COLOR} "1")
set(ENV{GPUCOST_OFFLINE} "1")
set(ENV{GPUCOST_CACHE_DIR} "${OUT}/cache")
file(MAKE_DIRECTORY ${OUT})
# One run per line, its arguments separated by '|' (CMake lists would flatten ';').
set(runs
  "compare|--workload|${SOURCE}/data/examples/video-render.json|--format|json"
  "compare|--workload|${SOURCE}/data/examples/whisperx-transcription.json|--revenue-per-job|14|--format|json"
  "compare|--workload|${SOURCE}/data/examples/whisperx-transcription.json|--units|audio_minute=71|--units|character_1k=30|--top|0|--format|json"
  "compare|--catalog|${SOURCE}/tests/golden/cases/r3.catalog.json|--ref-gpu|RTX 3060|--job-seconds|60|--idle-timeout|300|--jobs-per-month|1000|--format|json"
  "compare|--ref-gpu|L4|--job-seconds|420|--jobs-per-month|3000|--output-gb|0.5|--interruptions-per-hour|0.1|--format|json")
set(index 0)
set(files)
foreach(run IN LISTS runs)
  math(EXPR index "${index} + 1")
  string(REPLACE "|" ";" arguments "${run}")
  execute_process(COMMAND ${BINARY} ${arguments} OUTPUT_FILE ${OUT}/result-${index}.json
                  RESULT_VARIABLE code ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "gpucost ${run} exited ${code}: ${err}")
  endif()
  list(APPEND files ${OUT}/result-${index}.json)
endforeach()
execute_process(COMMAND ${PYTHON} ${SOURCE}/tests/schema/validate_compare_json.py
                        ${SOURCE}/docs/compare.schema.json ${files}
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "schema validation failed:\n${out}${err}")
endif()
message(STATUS "${out}")

# The CSV of the same command, read back by Python's csv module, carries the JSON's values.
foreach(format csv json)
  execute_process(COMMAND ${BINARY} compare --ref-gpu L4 --job-seconds 420 --jobs-per-month 3000
                          --output-gb 0.5 --interruptions-per-hour 0.1 --units audio_minute=71
                          --units character_1k=25 --format ${format}
                  OUTPUT_FILE ${OUT}/same.${format} RESULT_VARIABLE code)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "gpucost compare --format ${format} exited ${code}")
  endif()
endforeach()
execute_process(COMMAND ${PYTHON} ${SOURCE}/tests/schema/check_csv_matches_json.py
                        ${OUT}/same.csv ${OUT}/same.json
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "CSV and JSON disagree:\n${out}${err}")
endif()
message(STATUS "${out}")

# The renderers' own fixture validates too.
execute_process(COMMAND ${PYTHON} ${SOURCE}/tests/schema/validate_compare_json.py
                        ${SOURCE}/docs/compare.schema.json
                        ${SOURCE}/tests/fixtures/render/sample_compare.json
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "fixture does not match the schema:\n${out}${err}")
endif()
