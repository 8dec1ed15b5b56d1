-- RFC 8058 one-click POST to /u/<token>/: each request unsubscribes a different subscriber (tokens from a file).
dofile(os.getenv("BENCH_WRK_COMMON"))

function init(args)
  tokens = {}
  for line in io.lines(args[1]) do
    tokens[#tokens + 1] = line
  end
  -- Threads take interleaved tokens, so no two threads unsubscribe the same person.
  nthreads = tonumber(args[2]) or 1
  position = id
end

function request()
  local token = tokens[((position - 1) % #tokens) + 1]
  position = position + nthreads
  return wrk.format("POST", "/u/" .. token .. "/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "List-Unsubscribe=One-Click")
end
