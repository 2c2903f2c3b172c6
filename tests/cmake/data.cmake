# The bundled data check: sources, dates, GPU names, prices (tests/data/check_data.py).
include(${CMAKE_CURRENT_LIST_DIR}/python.cmake)
add_test(NAME data_check COMMAND ${GPUCOST_PYTHON} ${PROJECT_SOURCE_DIR}/tests/data/check_data.py
                                 ${PROJECT_SOURCE_DIR}/data)
add_test(NAME data_check_self_test
         COMMAND ${GPUCOST_PYTHON} ${PROJECT_SOURCE_DIR}/tests/data/check_data.py --self-test
                 ${PROJECT_SOURCE_DIR}/data)
