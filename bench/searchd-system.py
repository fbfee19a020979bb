#!/usr/bin/env python3
"""bench/searchd-system.py BUILD DB PATHS [SECONDS] [THREADS] - where a request's CPU goes on the
whole machine under /work/tools/thr.sh-style load (docs/searchd.md "Session 17: a search request at
the system level"). Timing only, never pass/fail; standard library only.

Starts BUILD's vind-searchd over DB as bench/searchd.sh does (--threads THREADS, default 4; the
result cache off; --heavy-search-ms 100000), warms it with 3 s of wrk over PATHS, then runs wrk
(2 threads, 64 connections, SECONDS, default 10) over PATHS and then over /health. For each run it
prints, per request wrk counted:
  worker   user and system CPU ms and context switches (voluntary, involuntary) of libmicrohttpd's
           threads (/proc/PID/task/*/stat and status);
  search   the same of the search threads (and the idle main thread);
  wrk      wrk's own user and system CPU and switches (wait4's rusage);
  machine  every CPU's busy time from /proc/stat (user+nice, system, irq+softirq) and idle;
  other    machine busy - daemon - wrk: the other jobs of a shared machine;
  daemon   read system calls (/proc/PID/io syscr: Xapian's pread64 and the eventfd's read);
then wrk's RESULT line and the load average. A clock tick is 10 ms: the figures are sums over the
run divided by the requests. The share of /health is the ratio of the two RESULT lines' rps.
With SEARCHD_PERF=FILE, perf records the daemon (dwarf call graphs, 499 Hz) during the /api/search
run into FILE, and bench/searchd_parts.py's table follows: the daemon's CPU a request split into
vind_search, JSON, HTTP, the hand-over, log and metrics, and the rest."""

import os
import re
import subprocess
import sys
import tempfile
import time

import searchd_parts

HERE = os.path.dirname(os.path.abspath(__file__))
TICK = os.sysconf("SC_CLK_TCK")


def threads_of(pid):
    """{tid: (kind, utime, stime, voluntary, involuntary)} of every thread of pid."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        base = "/proc/%d/task/%s/" % (pid, tid)
        try:
            with open(base + "comm") as f:
                kind = "worker" if f.read().startswith("MHD") else "search"
            with open(base + "stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(base + "status") as f:
                status = f.read()
        except OSError:
            continue
        voluntary = int(re.search(r"^voluntary_ctxt_switches:\s*(\d+)", status, re.M).group(1))
        involuntary = int(re.search(r"^nonvoluntary_ctxt_switches:\s*(\d+)", status, re.M).group(1))
        out[tid] = (kind, int(fields[11]), int(fields[12]), voluntary, involuntary)
    return out


def read_calls(pid):
    """The process's read system calls so far (read, pread64, readv: /proc/PID/io syscr)."""
    with open("/proc/%d/io" % pid) as f:
        return int(re.search(r"^syscr:\s*(\d+)", f.read(), re.M).group(1))


def machine():
    """(user+nice, system, irq+softirq, idle+iowait) ticks over every CPU (/proc/stat)."""
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    return (cpu[0] + cpu[1], cpu[2], cpu[5] + cpu[6], cpu[3] + cpu[4])


def run_wrk(port, paths, seconds):
    """wrk's RESULT line and its rusage (user s, system s, voluntary, involuntary switches)."""
    process = subprocess.Popen(["wrk", "-t2", "-c64", "-d%ds" % seconds, "--timeout", "30s", "-s",
                                os.path.join(HERE, "searchd.lua"), "http://127.0.0.1:%d" % port, "--",
                                paths], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode()
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    result = next((line for line in output.splitlines() if line.startswith("RESULT")), "")
    return result, (usage.ru_utime, usage.ru_stime, usage.ru_nvcsw, usage.ru_nivcsw)


def measure(daemon, port, paths, seconds, perf_data=None):
    """Prints the run's figures; returns the daemon's CPU ms a request (None: no requests)."""
    perf = None
    if perf_data:
        perf = subprocess.Popen(["perf", "record", "-q", "-F", "499", "--call-graph", "dwarf,16384", "-p",
                                 str(daemon), "-o", perf_data, "--", "sleep", str(seconds)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    before, machine_before, reads_before = threads_of(daemon), machine(), read_calls(daemon)
    result, wrk = run_wrk(port, paths, seconds)
    if perf:
        perf.wait()
    after, machine_after, reads_after = threads_of(daemon), machine(), read_calls(daemon)
    match = re.search(r"requests=(\d+)", result)
    requests = int(match.group(1)) if match else 0
    if requests == 0:
        print("no requests: " + result)
        return None
    per = {}
    for tid, (kind, *now) in after.items():
        then = before.get(tid, (kind, 0, 0, 0, 0))[1:]
        sums = per.setdefault(kind, [0, 0, 0, 0])
        for i in range(4):
            sums[i] += now[i] - then[i]
    ms = 1000.0 / TICK / requests
    daemon_ms = 0.0
    for kind in ("worker", "search"):
        user, system, voluntary, involuntary = per.get(kind, [0, 0, 0, 0])
        daemon_ms += (user + system) * ms
        print("  %-7s user %.4f sys %.4f ms a request, switches %.2f voluntary %.2f involuntary" %
              (kind, user * ms, system * ms, voluntary / requests, involuntary / requests))
    wrk_ms = (wrk[0] + wrk[1]) * 1000.0 / requests
    print("  %-7s user %.4f sys %.4f ms a request, switches %.2f voluntary %.2f involuntary" %
          ("wrk", wrk[0] * 1000.0 / requests, wrk[1] * 1000.0 / requests, wrk[2] / requests,
           wrk[3] / requests))
    delta = [a - b for a, b in zip(machine_after, machine_before)]
    busy_ms = sum(delta[:3]) * ms
    print("  machine user %.4f sys %.4f irq %.4f idle %.4f ms a request; daemon %.1f%%, wrk %.1f%%,"
          " other %.1f%% of the busy time" %
          (delta[0] * ms, delta[1] * ms, delta[2] * ms, delta[3] * ms, 100 * daemon_ms / busy_ms,
           100 * wrk_ms / busy_ms, 100 * (busy_ms - daemon_ms - wrk_ms) / busy_ms))
    print("  daemon  %.2f read system calls a request (pread64 of Xapian's blocks, eventfd reads)" %
          ((reads_after - reads_before) / requests))
    print("  " + result)
    return daemon_ms


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    build, db, paths = sys.argv[1:4]
    seconds = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    threads = sys.argv[5] if len(sys.argv) > 5 else "4"
    port = int(os.environ.get("PORT", 20000 + os.getpid() % 20000))
    env = dict(os.environ, VIND_DATADIR=os.environ.get("VIND_DATADIR", os.path.join(build, "share", "vind")))
    log = tempfile.TemporaryFile()
    daemon = subprocess.Popen([os.path.join(build, "bin", "vind-searchd"), "--db", db, "--listen",
                               "127.0.0.1:%d" % port, "--threads", threads, "--max-connections", "1024",
                               "--max-connections-per-ip", "1024", "--max-searches-per-ip", "64",
                               "--heavy-search-ms", "100000", "--cache-size", "0"], stderr=log, env=env)
    with tempfile.NamedTemporaryFile("w", suffix=".paths") as health:
        health.write("/health\n")
        health.flush()
        try:
            time.sleep(1.5)
            if daemon.poll() is not None:  # e.g. its port was taken: say why rather than "no requests"
                log.seek(0)
                sys.exit("vind-searchd ended: " + log.read().decode(errors="replace").strip())
            run_wrk(port, paths, 3)
            print("/api/search")
            perf_data = os.environ.get("SEARCHD_PERF")
            daemon_ms = measure(daemon.pid, port, paths, seconds, perf_data)
            print("/health")
            measure(daemon.pid, port, health.name, seconds)
        finally:
            daemon.terminate()
            daemon.wait()
    print("load average " + " ".join(open("/proc/loadavg").read().split()[:3]))
    if perf_data and daemon_ms:
        print("/api/search, where the daemon's CPU went (perf, %s)" % perf_data)
        searchd_parts.report(searchd_parts.perf_script(perf_data), daemon_ms)


if __name__ == "__main__":
    main()
