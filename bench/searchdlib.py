"""searchdlib.py - what the vind-searchd bench scripts share (searchd-costly.py, searchd-held.py,
searchd-route-cost.py): starting $VIND_BUILD/bin/vind-searchd (default ./build) on a free port,
the daemon's CPU time, and the costly query. Standard library only."""

import itertools
import os
import re
import subprocess
import time
import urllib.parse

BUILD = os.environ.get("VIND_BUILD", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build"))
# 64 two-letter wildcards ("aa* ab* ..."), size 100: the costliest search the limits let through.
WILDCARDS = " ".join(a + b + "*" for a, b in itertools.islice(
    itertools.product("abdegiklmnoprstvwz", "aeioulnr"), 64))
COSTLY = "/api/search?" + urllib.parse.urlencode({"q": WILDCARDS, "size": 100})


def cpu_seconds(pid):
    """utime + stime of the process so far (all its threads)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Daemon:
    """vind-searchd over db on 127.0.0.1 (a free port: .port), --threads 4 and the extra options;
    stopped (SIGTERM) at the end of the with block."""

    def __init__(self, db, *extra, env=None):
        self.log = open(os.path.join("/tmp", "searchd-bench-%d.log" % os.getpid()), "w+b")
        self.process = subprocess.Popen([os.path.join(BUILD, "bin", "vind-searchd"), "--db", db, "--listen",
                                         "127.0.0.1:0", "--threads", "4"] + list(extra),
                                        stderr=self.log, env=env)
        self.pid = self.process.pid
        self.port = None
        for _ in range(200):
            self.log.seek(0)
            match = re.search(rb"listening on http://[^:]+:(\d+)/", self.log.read())
            if match:
                self.port = int(match.group(1))
                return
            time.sleep(0.05)
        self.stop()
        raise SystemExit("vind-searchd did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait()
        self.log.close()
        os.unlink(self.log.name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
