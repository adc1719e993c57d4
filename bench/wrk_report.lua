-- bench/load.py's report hook for wrk: counts every answer that is not a 200 (wrk itself counts
-- only statuses over 399) and prints one JSON line with the throughput and the latencies in ms.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not200 = 0
  statuses = {}
end

function response(status, headers, body)
  if status ~= 200 then
    not200 = not200 + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  local seen = {}
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not200")
    local s = thread:get("statuses")
    for code, n in pairs(s) do
      table.insert(seen, string.format('"%d": %d', code, n))
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK-REPORT {"requests": %d, "duration_s": %.3f, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"not_200": %d, "statuses": {%s}, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    bad, table.concat(seen, ", "),
    errors.connect + errors.read + errors.write + errors.timeout))
end
