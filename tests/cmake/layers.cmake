# The layering rules of docs/ARCHITECTURE.md (tests/arch/check_layers.py), and proof that the
# check reports a breach of each rule.
include(${CMAKE_CURRENT_LIST_DIR}/python.cmake)
add_test(NAME architecture_layers
         COMMAND ${GPUCOST_PYTHON} ${PROJECT_SOURCE_DIR}/tests/arch/check_layers.py ${PROJECT_SOURCE_DIR})
add_test(NAME architecture_layers_self_test
         COMMAND ${GPUCOST_PYTHON} ${PROJECT_SOURCE_DIR}/tests/arch/check_layers.py --self-test)
