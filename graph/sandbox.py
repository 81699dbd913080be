"""Confining a query worker process: no network unless federation is on, a memory ceiling, low priority.

The checks on a query's text decide what it may do; these limits hold even if a check is ever fooled.
pyoxigraph makes its SERVICE requests from Rust, so Python's socket module cannot stop them: the
kernel must. A seccomp filter makes `socket(AF_INET | AF_INET6, ...)` fail with EACCES in the worker
(the pipe to the server, a Unix socket made before, keeps working). A ceiling on the worker's data
segment makes a query that allocates without bound fail inside its own worker, not take the machine.
"""
from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import signal
import struct
import sys
import threading
import time

# seccomp and BPF constants (linux/seccomp.h, linux/filter.h, linux/audit.h)
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_LD_W_ABS = 0x20          # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15             # BPF_JMP | BPF_JEQ | BPF_K
_RET_K = 0x06             # BPF_RET | BPF_K
_AF_INET, _AF_INET6 = 2, 10
_PR_SET_PDEATHSIG = 1
# How often a worker's watchdog checks that its parent process still exists, in seconds.
PARENT_CHECK_SECONDS = 0.5
# machine -> (AUDIT_ARCH_*, syscall numbers of socket(2), x32 variant included)
_ARCHES = {
    "x86_64": (0xC000003E, (41, 0x40000000 | 41)),
    "aarch64": (0xC00000B7, (198,)),
}


def _instruction(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def _socket_filter(arch: int, socket_calls: tuple[int, ...]) -> bytes:
    """BPF: socket(AF_INET or AF_INET6, ...) and any call of another ABI fail with EACCES; all else runs."""
    deny, allow = _SECCOMP_RET_ERRNO | errno.EACCES, _SECCOMP_RET_ALLOW
    calls = len(socket_calls)
    program = [
        _instruction(_LD_W_ABS, 0, 0, 4),                   # seccomp_data.arch
        _instruction(_JEQ_K, 0, calls + 4, arch),           # another ABI (int 0x80...): refused
        _instruction(_LD_W_ABS, 0, 0, 0),                   # seccomp_data.nr
    ]
    for n, call in enumerate(socket_calls):                 # socket(): on to the family check
        program.append(_instruction(_JEQ_K, calls - n - 1, 0 if n < calls - 1 else 4, call))
    program += [
        _instruction(_LD_W_ABS, 0, 0, 16),                  # args[0], low word: the address family
        _instruction(_JEQ_K, 1, 0, _AF_INET),
        _instruction(_JEQ_K, 0, 1, _AF_INET6),
        _instruction(_RET_K, 0, 0, deny),
        _instruction(_RET_K, 0, 0, allow),
    ]
    return b"".join(program)


def deny_network() -> bool:
    """Forbid this process (and the threads it starts later) to open IPv4 and IPv6 sockets.

    Call it while the process has one thread: a filter set with prctl binds the calling thread and
    what it starts. True when the filter is in force; False where the platform has no seccomp.
    """
    machine = platform.machine()
    if not sys.platform.startswith("linux") or machine not in _ARCHES or sys.byteorder != "little":
        return False
    arch, calls = _ARCHES[machine]
    program = _socket_filter(arch, calls)
    libc = ctypes.CDLL(None, use_errno=True)
    filters = ctypes.create_string_buffer(program)

    class _Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = _Program(len(program) // 8, ctypes.cast(filters, ctypes.c_void_p))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        return False
    return True


def limit_memory(max_bytes: int | None) -> None:
    """Cap this process's data segment (heap and anonymous mappings; not the store's mapped files).
    An allocation past it fails, and the worker dies alone: the server replaces it."""
    if not max_bytes:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    ceiling = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (ceiling, hard))


def lower_priority(increment: int = 10) -> None:
    """Let the server's own threads (pages, search) win the CPU over long queries."""
    try:
        os.nice(increment)
    except OSError:
        pass


def end_with_process(pid: int) -> None:
    """End this process when process `pid` (not its parent: a query worker's parent is the forkserver,
    which may outlive the server) is gone: a daemon thread checks every PARENT_CHECK_SECONDS."""
    threading.Thread(target=_watch_process, args=(pid,), name="r2pkg-server-watch", daemon=True).start()


def _watch_process(pid: int) -> None:
    while _alive(pid):
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:   # a zombie (dead, not yet reaped) answers the signal check
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


def end_with_parent(parent: int) -> None:
    """End this worker process when `parent` is gone, instead of living on reparented to init (a loader
    holding 100 MB, a query worker running a runaway query for good). On Linux the kernel kills it at once
    (PR_SET_PDEATHSIG, which fires when the forking *thread* ends); everywhere a daemon thread checks
    every PARENT_CHECK_SECONDS and exits when the process is reparented."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:   # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="r2pkg-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def confine_worker(*, network: bool, max_memory: int | None, server: int) -> dict[str, bool]:
    """Everything a query worker does to itself before it opens the store; what took effect. The network
    filter comes first, while the process has one thread, so the threads started after it have it too.
    The worker ends with the server process, even in the middle of a query."""
    lower_priority()
    limit_memory(max_memory)
    denied = False if network else deny_network()
    end_with_parent(os.getppid())     # the forkserver
    end_with_process(server)
    return {"network_denied": denied, "memory_limited": bool(max_memory)}
