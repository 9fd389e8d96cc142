// The C++ ABI and libstdc++ entry points a freestanding image needs, all ending in a panic
// where a hosted program would throw or abort: the node has no exceptions.
#include "runtime/format.h"
#include "runtime/heap.h"

#include <cstddef>
#include <cstdint>
#include <new>

using hive::image::kernelHeap;
using hive::image::panic;

extern "C" {

void* __dso_handle = &__dso_handle;

// Static destructors never run: the kernel ends by powering off, not by returning.
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }

[[noreturn]] void __cxa_pure_virtual() { panic("pure virtual function called"); }

[[noreturn]] void abort() { panic("abort() called"); }

// -fstack-protector-strong: on x86_64 GCC reads the canary from %fs:0x28 (the boot code
// points FS at a block holding it); on aarch64 it reads this global, which the boot code
// fills before any protected function runs.
std::uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ull;
[[noreturn]] void __stack_chk_fail() { panic("stack smashing detected"); }

} // extern "C"

namespace {
void* allocateOrPanic(std::size_t size, std::size_t align)
{
    void* p = kernelHeap().allocateAligned(size == 0 ? 1 : size, align);
    if (p == nullptr)
        panic("out of memory allocating %zu bytes (heap %zu used of %zu)", size, kernelHeap().usedBytes(),
              kernelHeap().totalBytes());
    return p;
}
} // namespace

// The node never relies on bad_alloc (there are no exceptions), so running out of heap
// is fatal; nothrow variants return nullptr instead.
void* operator new(std::size_t size) { return allocateOrPanic(size, 16); }
void* operator new[](std::size_t size) { return allocateOrPanic(size, 16); }
void* operator new(std::size_t size, std::align_val_t align) { return allocateOrPanic(size, static_cast<std::size_t>(align)); }
void* operator new[](std::size_t size, std::align_val_t align) { return allocateOrPanic(size, static_cast<std::size_t>(align)); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return kernelHeap().allocate(size == 0 ? 1 : size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return kernelHeap().allocate(size == 0 ? 1 : size); }
void operator delete(void* p) noexcept { kernelHeap().free(p); }
void operator delete[](void* p) noexcept { kernelHeap().free(p); }
void operator delete(void* p, std::size_t) noexcept { kernelHeap().free(p); }
void operator delete[](void* p, std::size_t) noexcept { kernelHeap().free(p); }
void operator delete(void* p, std::align_val_t) noexcept { kernelHeap().free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { kernelHeap().free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { kernelHeap().free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { kernelHeap().free(p); }

// libstdc++'s out-of-line throw helpers (declared in <bits/functexcept.h>).
namespace std {
[[noreturn]] void __throw_bad_alloc() { panic("std::bad_alloc"); }
[[noreturn]] void __throw_bad_array_new_length() { panic("std::bad_array_new_length"); }
[[noreturn]] void __throw_length_error(const char* what) { panic("std::length_error: %s", what); }
[[noreturn]] void __throw_out_of_range(const char* what) { panic("std::out_of_range: %s", what); }
[[noreturn]] void __throw_out_of_range_fmt(const char* what, ...) { panic("std::out_of_range: %s", what); }
[[noreturn]] void __throw_logic_error(const char* what) { panic("std::logic_error: %s", what); }
[[noreturn]] void __throw_invalid_argument(const char* what) { panic("std::invalid_argument: %s", what); }
[[noreturn]] void __throw_bad_function_call() { panic("std::bad_function_call"); }
} // namespace std
