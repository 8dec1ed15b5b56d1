-- POST /subscribe/ as the public form does: a CSRF cookie and the same token in the body, a new address each time.
dofile(os.getenv("BENCH_WRK_COMMON"))

local token = "benchcsrftokenbenchcsrftoken0123"

function init(args)
  run = args[1] or "run"
  list = args[2] or "bench-web"
  counter = 0
end

function request()
  counter = counter + 1
  local body = "email=form-" .. run .. "-" .. id .. "-" .. counter .. "%40bench.example.org&name=&language=fr&lists=" .. list
    .. "&consent=on&website=&csrfmiddlewaretoken=" .. token
  return wrk.format("POST", "/subscribe/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. token,
  }, body)
end
