# The Python that runs the data and schema checks: Debian's, which python3-jsonschema serves.
find_program(GPUCOST_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT GPUCOST_PYTHON)
  set(GPUCOST_PYTHON ${Python3_EXECUTABLE})
endif()
