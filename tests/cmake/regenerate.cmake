# The bundled rows of the live providers (data/catalog/<provider>.json) are what gpucost's own
# parsers make of the recorded API answers in data/recorded/: regenerate them through the built
# binary and a loopback server (no network) and fail on any difference, e.g. a hand edit. The
# self-test proves the check catches an edited price and a removed row.
include(${CMAKE_CURRENT_LIST_DIR}/python.cmake)
add_test(NAME data_regenerate_live_catalog
         COMMAND ${GPUCOST_PYTHON} ${PROJECT_SOURCE_DIR}/data/regenerate-live-catalog.py --check
                 --gpucost $<TARGET_FILE:gpucost>)
add_test(NAME data_regenerate_live_catalog_self_test
         COMMAND ${GPUCOST_PYTHON} ${PROJECT_SOURCE_DIR}/data/regenerate-live-catalog.py --self-test
                 --gpucost $<TARGET_FILE:gpucost>)
set_tests_properties(data_regenerate_live_catalog data_regenerate_live_catalog_self_test
                     PROPERTIES TIMEOUT 300)
