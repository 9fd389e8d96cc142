// Enters the sandbox, then does what its argument names: "allowed" uses only permitted
// calls and exits 0; "socket" and "open" and "exec-map" try forbidden ones.
#include "hosted/sandbox.h"

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
// LeakSanitizer's exit-time check needs prctl/ptrace, which the sandbox forbids.
extern "C" const char* __lsan_default_options() { return "detect_leaks=0"; }
#endif

int main(int argc, char** argv)
{
    if (argc != 2)
        return 2;
    auto status = hive::node::hosted::enterSandbox();
    if (!status.ok()) {
        std::fprintf(stderr, "sandbox: %s\n", status.error().message());
        return 3;
    }
    std::string_view what = argv[1];
    if (what == "allowed") {
        unsigned char buf[16];
        if (getrandom(buf, sizeof buf, 0) != static_cast<ssize_t>(sizeof buf))
            return 4;
        std::vector<char> big(8 << 20, 'x'); // malloc through mmap
        const char line[] = "still alive\n";
        if (write(STDOUT_FILENO, line, sizeof line - 1) < 0)
            return 5;
        return big[100] == 'x' ? 0 : 6;
    }
    if (what == "socket")
        return socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 10 : 11;
    if (what == "open")
        return open("/etc/passwd", O_RDONLY) >= 0 ? 10 : 11;
    if (what == "exec-map") {
        void* p = mmap(nullptr, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return p != MAP_FAILED ? 10 : 11;
    }
    return 2;
}
