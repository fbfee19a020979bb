"""searchd-keepalive.py URL PATHS PID [ROUNDS] - one client, one keep-alive connection: every path of
PATHS (one per line) in turn, ROUNDS times (default 2; the first round warms the page cache and is
not counted). Prints the median and p90 latency per request as the client sees it, and the
daemon's CPU time per request (utime + stime of /proc/PID/stat over the counted rounds): the cost
of an answer on a busy machine, where wall-clock figures wander with the neighbours' load. Every
answer must be 200. Timing only (bench/searchd.sh). Standard library only.
"""

import http.client
import os
import sys
import time
import urllib.parse


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    url, paths_file, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    paths = [line.strip() for line in open(paths_file, encoding="utf-8") if line.strip()]
    address = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    latencies, errors, cpu_start = [], 0, None
    for round_number in range(rounds):
        if round_number == min(1, rounds - 1):
            cpu_start, latencies = cpu_seconds(pid), []
        for path in paths:
            start = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            latencies.append((time.perf_counter() - start) * 1000)
            errors += response.status != 200
    cpu = (cpu_seconds(pid) - cpu_start) * 1000 / len(latencies)
    latencies.sort()
    print("median %.3f p90 %.3f cpu %.3f n %d errors %d" % (
        latencies[len(latencies) // 2], latencies[len(latencies) * 9 // 10], cpu, len(latencies), errors))


if __name__ == "__main__":
    main()
