# Freestanding aarch64 toolchain for the node image (no OS, no libc, no libstdc++
# library: only its headers). Used by the `images` preset's aarch64 sub-build.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc-12)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++-12)
set(CMAKE_ASM_COMPILER aarch64-linux-gnu-gcc-12)
set(CMAKE_OBJCOPY aarch64-linux-gnu-objcopy)
set(CMAKE_NM aarch64-linux-gnu-nm)
set(CMAKE_LINKER aarch64-linux-gnu-ld)
set(CMAKE_STRIP aarch64-linux-gnu-strip)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# -mno-outline-atomics: the outlined helpers live in libgcc and probe HWCAPs through the
# OS, which we do not have.
set(_hive_arch_flags "-march=armv8-a -mno-outline-atomics")
set(_hive_common "-ffreestanding -nostdlib -fno-pie -fno-pic -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-omit-frame-pointer")
set(CMAKE_C_FLAGS_INIT "${_hive_arch_flags} ${_hive_common}")
set(CMAKE_CXX_FLAGS_INIT "${_hive_arch_flags} ${_hive_common} -fno-exceptions -fno-rtti -fno-threadsafe-statics")
set(CMAKE_ASM_FLAGS_INIT "${_hive_arch_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -static -no-pie -Wl,--gc-sections -Wl,-z,max-page-size=4096 -Wl,--build-id=none -Wl,-z,noexecstack")
