# The SVG charts of compare, breakeven and matrix, from the real binary, parsed as XML and checked.
include(${CMAKE_CURRENT_LIST_DIR}/python.cmake)
add_test(NAME decide_charts
         COMMAND ${GPUCOST_PYTHON} ${PROJECT_SOURCE_DIR}/tests/decide/check_charts.py
                 $<TARGET_FILE:gpucost> ${PROJECT_SOURCE_DIR})
set_tests_properties(decide_charts PROPERTIES ENVIRONMENT
  "GPUCOST_DATA_DIR=${PROJECT_SOURCE_DIR}/data;GPUCOST_NOW=2026-11-23T12:00:00Z;NO_COLOR=1;GPUCOST_OFFLINE=1;GPUCOST_CACHE_DIR=${CMAKE_CURRENT_BINARY_DIR}/charts-cache")

# The HTML decision report: well-formed, self-contained, with its rows; chromium when installed.
add_test(NAME decide_report
         COMMAND ${GPUCOST_PYTHON} ${PROJECT_SOURCE_DIR}/tests/decide/check_report.py
                 $<TARGET_FILE:gpucost> ${PROJECT_SOURCE_DIR})
set_tests_properties(decide_report PROPERTIES ENVIRONMENT
  "GPUCOST_DATA_DIR=${PROJECT_SOURCE_DIR}/data;GPUCOST_NOW=2026-11-23T12:00:00Z;NO_COLOR=1;GPUCOST_OFFLINE=1;GPUCOST_CACHE_DIR=${CMAKE_CURRENT_BINARY_DIR}/report-cache")
