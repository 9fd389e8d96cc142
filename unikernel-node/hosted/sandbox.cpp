#include "sandbox.h"

#include <cerrno>
#include <cstring>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>

namespace hive::node::hosted {

Status enterSandbox(SandboxOptions options)
{
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return Error(ErrorCode::PermissionDenied, "cannot set no_new_privs: ").append(std::strerror(errno));
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (!ctx)
        return Error(ErrorCode::Internal, "seccomp_init failed");

    // The event loop: epoll, accepting, reading and writing sockets and the store file.
    const int allowed[] = {
        SCMP_SYS(epoll_wait), SCMP_SYS(epoll_pwait), SCMP_SYS(epoll_ctl),
        SCMP_SYS(accept4), SCMP_SYS(recvfrom), SCMP_SYS(sendto), SCMP_SYS(setsockopt),
        SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(writev), SCMP_SYS(close),
        SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(fdatasync), SCMP_SYS(fsync),
        SCMP_SYS(getrandom), SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday),
        // The allocator and the C runtime.
        SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise), SCMP_SYS(futex),
        SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask),
        SCMP_SYS(sigaltstack), SCMP_SYS(sched_yield), SCMP_SYS(newfstatat), SCMP_SYS(fstat),
        SCMP_SYS(exit), SCMP_SYS(exit_group),
    };
    int rc = 0;
    for (int sys : allowed)
        rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, sys, 0);
    // Memory may be mapped and re-protected, but never made executable: no new code
    // can appear in a confined node.
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer probes whether memory is readable by writing it into a pipe; only
    // sanitizer builds need that, and a pipe reaches nothing outside the process.
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(pipe2), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(pipe), 0);
#endif
    if (options.allowSyslog) {
        const scmp_arg_cmp unixOnly {.arg = 0, .op = SCMP_CMP_EQ, .datum_a = AF_UNIX, .datum_b = 0};
        rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, unixOnly);
        rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(connect), 0);
    }
    if (rc != 0) {
        seccomp_release(ctx);
        return Error(ErrorCode::Internal, "cannot build the seccomp allow-list");
    }
    rc = seccomp_load(ctx);
    seccomp_release(ctx);
    if (rc != 0)
        return Error(ErrorCode::PermissionDenied, "cannot load the seccomp filter: ").append(std::strerror(-rc));
    return success();
}

} // namespace hive::node::hosted
