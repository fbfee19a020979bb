-- bench/searchd.lua - the wrk script of bench/searchd.sh: every request takes the next path
-- of a list (one per line; the file is given after `--`), each wrk thread starting elsewhere
-- in it, so 1,000 different searches with facets are mixed rather than one cached query
-- repeated. done() prints one line the shell script parses (latencies in milliseconds).
--
--   wrk -t2 -c64 -d60s -s bench/searchd.lua http://127.0.0.1:8080 -- queries.txt

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("start", threads * 389)
end

local paths = {}
local position = 1

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  position = ((start or 0) % #paths) + 1
end

function request()
  local path = paths[position]
  position = position % #paths + 1
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
