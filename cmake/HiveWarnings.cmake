# Warnings as an INTERFACE target linked PRIVATE by every Hive target.
add_library(hive_warnings INTERFACE)
target_compile_options(hive_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wconversion -Wsign-conversion -Wnull-dereference -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough)
if(HIVE_WARNINGS_AS_ERRORS)
  target_compile_options(hive_warnings INTERFACE -Werror)
endif()
add_library(hive::warnings ALIAS hive_warnings)
