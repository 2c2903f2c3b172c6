# gpucost check through the real binary: exit codes, attribution, schema, markdown, annotations,
# JUnit (xmllint) and every CSV export in every dialect (tests/schema/check_gate.py).
include(${CMAKE_CURRENT_LIST_DIR}/python.cmake)
add_test(NAME check_gate_end_to_end
         COMMAND ${GPUCOST_PYTHON} ${PROJECT_SOURCE_DIR}/tests/schema/check_gate.py
                 $<TARGET_FILE:gpucost> ${PROJECT_SOURCE_DIR})
# Where LibreOffice is installed, a headless conversion shows the numeric cells are numbers;
# reported skipped (exit 77) where it is absent.
add_test(NAME csv_libreoffice_numbers
         COMMAND ${GPUCOST_PYTHON} ${PROJECT_SOURCE_DIR}/tests/schema/check_csv_libreoffice.py
                 $<TARGET_FILE:gpucost> ${PROJECT_SOURCE_DIR})
set_tests_properties(csv_libreoffice_numbers PROPERTIES SKIP_RETURN_CODE 77)
