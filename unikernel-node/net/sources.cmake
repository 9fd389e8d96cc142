# Sources of the node's TCP/IP stack, shared by the hosted build (net/CMakeLists.txt) and the
# freestanding image builds, which compile them with their own toolchain and runtime.
set(HIVE_NET_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/arpcache.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dhcp.cpp
  ${CMAKE_CURRENT_LIST_DIR}/packet.cpp
  ${CMAKE_CURRENT_LIST_DIR}/siphash.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stack.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stacknet.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tcpconnection.cpp)
# Include directory that makes `#include "net/stack.h"` work.
set(HIVE_NET_INCLUDE_DIR ${CMAKE_CURRENT_LIST_DIR}/..)
