# Compiler warnings for first-party code; errors unless GPUCOST_WERROR is OFF.
add_library(gpucost_warnings INTERFACE)
target_compile_options(gpucost_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                                  -Wsign-conversion -Wnon-virtual-dtor
                                                  -Wold-style-cast -Woverloaded-virtual)
if(GPUCOST_WERROR)
  target_compile_options(gpucost_warnings INTERFACE -Werror)
endif()
