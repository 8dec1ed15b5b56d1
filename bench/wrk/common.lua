-- Shared by the bench's wrk scripts: thread ids, a per-thread request cap, and one JSON summary line.
-- Loaded with dofile(os.getenv("BENCH_WRK_COMMON")); the cap comes from BENCH_WRK_MAX_PER_THREAD.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
  thread:set("cap", tonumber(os.getenv("BENCH_WRK_MAX_PER_THREAD") or "1000000"))
end

function response(status, headers, body)
  answered = (answered or 0) + 1
  if answered >= cap then
    wrk.thread:stop()
  end
end

-- Latencies in microseconds.
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
