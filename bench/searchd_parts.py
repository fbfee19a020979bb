"""searchd_parts.py - where vind-searchd's CPU goes per request, from perf's samples (docs/searchd.md
"Session 19: a search request's cost in the daemon"). Timing only, never pass/fail; standard library
only (and the perf tool).

    python3 bench/searchd_parts.py PERF_DATA [DAEMON_MS]

reads a `perf record --call-graph dwarf -p PID` of the daemon (bench/searchd-system.py records one
with SEARCHD_PERF=FILE) and puts each sample in one of six parts by its call chain: vind_search (its
system calls too), the answer's JSON, HTTP (libmicrohttpd's parsing, pools and send, vind's guards
and the response's headers), the hand-over (suspend, queue, resume: the eventfd, epoll, futex and
the thread switches), the access log and metrics, and the rest of the search thread (admission,
searcher checkout, freeing the results). Prints each part's share of the daemon's samples, its
largest pieces, and with DAEMON_MS (the daemon's CPU ms a request, as searchd-system.py measures
it in the same run) its ms a request."""

import collections
import subprocess
import sys

# System calls named in the report, by the kernel function that enters each.
SYSCALL_ENTRIES = {
    "__x64_sys_pread64": "pread64", "__x64_sys_sendmsg": "sendmsg", "__sys_sendmsg": "sendmsg",
    "__x64_sys_recvfrom": "recvfrom", "__x64_sys_epoll_wait": "epoll_wait",
    "__x64_sys_epoll_ctl": "epoll_ctl", "__x64_sys_futex": "futex", "__x64_sys_write": "write",
    "ksys_write": "write", "__x64_sys_read": "read", "ksys_read": "read",
    "__x64_sys_getrusage": "getrusage", "__do_sys_getrusage": "getrusage",
    "__x64_sys_fadvise64": "fadvise64",
}
SEARCH = ("search_as_asked", "vind_searcher_retry", "vind_search")
JSON = ("search_json", "vind_results_to_json_capped")
LOG = ("vind_log_write", "vind_metrics_record")
RESPONSE = ("vind_respond_json_sized", "send_sized", "add_common_headers", "MHD_add_response_header")
HAND_OVER = ("dispatch_search", "MHD_resume_connection", "pthread_cond_wait", "___pthread_cond_wait",
             "pthread_cond_signal", "___pthread_cond_signal", "queue_push", "take_search")
HAND_OVER_CALLS = ("epoll_wait", "epoll_ctl", "futex", "read", "write")
SWITCHING = ("schedule", "__schedule", "finish_task_switch.isra.0", "finish_task_switch")


def samples(text):
    """(thread name, [(symbol, dso), ...] innermost first) of each sample of `perf script` text."""
    comm, frames = None, []
    for line in text.splitlines():
        if not line.strip():
            if comm is not None:
                yield comm, frames
            comm, frames = None, []
        elif not line[0].isspace():
            comm, frames = line.split()[0], []
        else:
            rest = line.strip().split(" ", 1)[1] if " " in line.strip() else ""
            symbol, _, dso = rest.rpartition(" (")
            frames.append((symbol, dso.rstrip(")")))
    if comm is not None:
        yield comm, frames


def system_call(frames):
    """The system call a kernel sample is in, or None (an interrupt, a page fault, a switch)."""
    for symbol, dso in frames:
        if "kernel" in dso and symbol in SYSCALL_ENTRIES:
            return SYSCALL_ENTRIES[symbol]
    return None


def part_of(comm, frames):
    """(part, piece) of one sample."""
    symbols = [s for s, _ in frames]
    has = lambda names: any(s in names for s in symbols)
    in_kernel = bool(frames) and "kernel" in frames[0][1]
    call = system_call(frames) if in_kernel else None
    where = ("kernel: " + (call or "other")) if in_kernel else "user"
    searching = comm != "MHD-worker"
    if has(JSON):
        return "2 the answer's JSON", where
    if has(SEARCH):
        return "1 vind_search", where
    if has(LOG):
        return "5 access log, metrics", where
    if has(HAND_OVER):
        return "4 hand-over", where
    if in_kernel and call in HAND_OVER_CALLS:
        return "4 hand-over", ("search thread " if searching else "worker ") + where
    if in_kernel and call is None and has(SWITCHING):
        return "4 hand-over", ("search thread " if searching else "worker ") + "thread switch"
    if not in_kernel and symbols and symbols[0] in ("epoll_wait", "__GI_epoll_ctl", "epoll_ctl"):
        return "4 hand-over", "worker user: " + symbols[0]
    if has(RESPONSE):
        return "3 HTTP", "the response's headers (search thread)"
    if searching:
        return "6 the search thread's rest", where
    if in_kernel:
        return "3 HTTP", "worker " + where
    if has(("MHD_pool_reset",)) or (symbols and "memset" in symbols[0]):
        return "3 HTTP", "worker user: libmicrohttpd's memset"
    if any("tcmalloc" in s for s in symbols):
        return "3 HTTP", "worker user: malloc's free lists"
    return "3 HTTP", "worker user: libmicrohttpd and vind's callbacks"


def report(text, daemon_ms=None):
    parts, pieces, total = collections.Counter(), collections.Counter(), 0
    for comm, frames in samples(text):
        part, piece = part_of(comm, frames)
        parts[part] += 1
        pieces[(part, piece)] += 1
        total += 1
    if total == 0:
        print("no samples")
        return
    for part in sorted(parts):
        ms = " %.4f ms a request" % (daemon_ms * parts[part] / total) if daemon_ms else ""
        print("%-32s %5.1f%%%s" % (part, 100.0 * parts[part] / total, ms))
        for (owner, piece), n in pieces.most_common():
            if owner == part and n * 200 >= total:
                print("    %-52s %5.1f%%" % (piece, 100.0 * n / total))
    print("%d samples" % total)


def perf_script(perf_data):
    return subprocess.run(["perf", "script", "-i", perf_data, "-F", "comm,tid,ip,sym,dso"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout.decode(
                              errors="replace")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    report(perf_script(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else None)


if __name__ == "__main__":
    main()
