# Freestanding x86_64 toolchain for the node image (no OS, no libc, no libstdc++
# library: only its headers). Used by the `images` preset's x86_64 sub-build.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(CMAKE_C_COMPILER gcc-12)
set(CMAKE_CXX_COMPILER g++-12)
set(CMAKE_ASM_COMPILER gcc-12)
set(CMAKE_OBJCOPY objcopy)
set(CMAKE_NM nm)
set(CMAKE_LINKER ld)
set(CMAKE_STRIP strip)
# A freestanding compiler cannot link a test executable without our runtime.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# -mno-red-zone: interrupts and exceptions run on the same stack as the interrupted code.
# SSE stays enabled (the boot code turns it on) because libsodium needs it later.
set(_hive_arch_flags "-m64 -march=x86-64 -mno-red-zone -mcmodel=small")
set(_hive_common "-ffreestanding -nostdlib -fno-pie -fno-pic -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-omit-frame-pointer")
set(CMAKE_C_FLAGS_INIT "${_hive_arch_flags} ${_hive_common}")
set(CMAKE_CXX_FLAGS_INIT "${_hive_arch_flags} ${_hive_common} -fno-exceptions -fno-rtti -fno-threadsafe-statics")
set(CMAKE_ASM_FLAGS_INIT "${_hive_arch_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -static -no-pie -Wl,--gc-sections -Wl,-z,max-page-size=4096 -Wl,--build-id=none -Wl,-z,noexecstack")
