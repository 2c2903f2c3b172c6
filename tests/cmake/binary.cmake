# A few runs of the real binary (the rest run in-process): exit codes, offline default catalog,
# and the JSON output validated against docs/compare.schema.json.
include(${CMAKE_CURRENT_LIST_DIR}/python.cmake)
set(GPUCOST_BINARY_ENV "GPUCOST_NOW=2026-11-23T12:00:00Z;NO_COLOR=1;COLUMNS=120;GPUCOST_OFFLINE=1;GPUCOST_CACHE_DIR=${CMAKE_CURRENT_BINARY_DIR}/binary-test-cache")

add_test(NAME binary_version COMMAND gpucost --version)
set_tests_properties(binary_version PROPERTIES PASS_REGULAR_EXPRESSION "^gpucost ${PROJECT_VERSION}")

# Usage errors exit 1 exactly (not CLI11's 100+ codes), whichever word is wrong.
set(GPUCOST_EXPECT_EXIT ${GPUCOST_PYTHON} ${PROJECT_SOURCE_DIR}/tests/support/expect_exit.py)
add_test(NAME binary_usage_error_exits_1
         COMMAND ${GPUCOST_EXPECT_EXIT} 1 $<TARGET_FILE:gpucost> compare --no-such-flag)
add_test(NAME binary_unknown_command_exits_1
         COMMAND ${GPUCOST_EXPECT_EXIT} 1 $<TARGET_FILE:gpucost> compar)
add_test(NAME binary_missing_value_exits_1
         COMMAND ${GPUCOST_EXPECT_EXIT} 1 $<TARGET_FILE:gpucost> compare --top)
add_test(NAME binary_catalog_alone_exits_1
         COMMAND ${GPUCOST_EXPECT_EXIT} 1 $<TARGET_FILE:gpucost> catalog)

add_test(NAME binary_compare_example
         COMMAND gpucost compare --workload ${PROJECT_SOURCE_DIR}/data/examples/video-render.json --top 5)
set_tests_properties(binary_compare_example PROPERTIES ENVIRONMENT "${GPUCOST_BINARY_ENV}"
                     PASS_REGULAR_EXPRESSION "Prices from")

add_test(NAME binary_compare_json_matches_schema
         COMMAND ${CMAKE_COMMAND} -DBINARY=$<TARGET_FILE:gpucost> -DPYTHON=${GPUCOST_PYTHON}
                 -DSOURCE=${PROJECT_SOURCE_DIR} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/schema-check
                 -P ${PROJECT_SOURCE_DIR}/tests/schema/check_schema.cmake)

# Output that cannot be written is an error (exit 1, a message on stderr), never a silent 0.
add_test(NAME binary_compare_to_dev_full_exits_1
         COMMAND sh -c "\"$0\" compare --workload \"$1\" --top 5 >/dev/full; test $? -eq 1"
                 $<TARGET_FILE:gpucost> ${PROJECT_SOURCE_DIR}/data/examples/video-render.json)
set_tests_properties(binary_compare_to_dev_full_exits_1 PROPERTIES ENVIRONMENT "${GPUCOST_BINARY_ENV}")
