-- wrk's summary as one JSON line for scripts/bench_http.py: requests, errors and the latency
-- percentiles (microseconds) from wrk's own latency distribution.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %.0f, "p95_us": %.0f, '
      .. '"p99_us": %.0f, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout
  ))
end
