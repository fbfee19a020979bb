"""searchd-answers.py BUILD DB PATHS OUT - every /api/search answer of BUILD's vind-searchd for the
request paths of PATHS (one per line, as bench/searchd-queries.py writes them), with the result
cache off, written to OUT: "# PATH STATUS" and the body, per request. Run it with the build before
and after a change to the search path and `cmp` the two files: a change that only makes a search
cheaper must leave every answer byte-identical (docs/reliability.md, "session 9"). One daemon
thread, one keep-alive connection. Standard library only; not a timing.
"""

import http.client
import os
import re
import subprocess
import sys
import tempfile
import time


def start_daemon(build, db):
    env = dict(os.environ, VIND_DATADIR=os.path.join(build, "share", "vind"))
    log = tempfile.TemporaryFile()
    daemon = subprocess.Popen(
        [os.path.join(build, "bin", "vind-searchd"), "--db", db, "--listen", "127.0.0.1:0",
         "--cache-size", "0", "--threads", "1"], stderr=log, env=env)
    for _ in range(100):
        log.seek(0)
        found = re.search(rb"listening on http://[^:]*:(\d+)/", log.read())
        if found:
            return daemon, int(found.group(1))
        time.sleep(0.1)
    daemon.kill()
    sys.exit("searchd-answers.py: vind-searchd did not start")


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    build, db, paths_file, out_file = sys.argv[1:]
    daemon, port = start_daemon(build, db)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        with open(paths_file, encoding="utf-8") as paths, open(out_file, "wb") as out:
            for path in (line.strip() for line in paths):
                if not path:
                    continue
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
                out.write(("# %s %d\n" % (path, response.status)).encode())
                out.write(body + b"\n")
    finally:
        daemon.terminate()
        daemon.wait()


if __name__ == "__main__":
    main()
