-- POST /api/subscribe with a JSON body, a new address each time (the embedded-form endpoint).
dofile(os.getenv("BENCH_WRK_COMMON"))

function init(args)
  run = args[1] or "run"
  list = args[2] or "bench-web"
  counter = 0
end

function request()
  counter = counter + 1
  local body = '{"email": "api-' .. run .. "-" .. id .. "-" .. counter .. '@bench.example.org", "language": "ar", "lists": ["'
    .. list .. '"], "consent": true}'
  return wrk.format("POST", "/api/subscribe", {["Content-Type"] = "application/json"}, body)
end
