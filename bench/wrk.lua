-- wrk script for tools/bench.sh: sends POST /echo with a body of BENCH_BODY_SIZE bytes when set
-- (GET otherwise), and prints one machine-readable line with the run's summary at the end.
local size = tonumber(os.getenv("BENCH_BODY_SIZE") or "")
if size and size > 0 then
  local pattern = "0123456789abcdef"
  wrk.method = "POST"
  wrk.body = string.rep(pattern, math.ceil(size / #pattern)):sub(1, size)
  wrk.headers["Content-Type"] = "application/octet-stream"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
