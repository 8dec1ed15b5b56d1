#!/usr/bin/env bash
# `make run` needs Redis: use the one that answers, or start a local one if the binary is installed.
set -u
url=${REDIS_URL:-redis://127.0.0.1:6379/0}
if .venv/bin/python -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()" "$url" 2>/dev/null; then
  exit 0
fi
if command -v redis-server >/dev/null 2>&1; then
  echo "Starting a local redis-server on 127.0.0.1:6379 (nothing is kept on disk)"
  redis_dir="${VAR_DIR:-var}/redis"  # with the rest of the local state (VAR_DIR, as in config/settings.py)
  mkdir -p "$redis_dir"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir "$redis_dir" --logfile redis.log
  for _ in $(seq 1 20); do
    .venv/bin/python -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()" "$url" 2>/dev/null && exit 0
    sleep 0.25
  done
fi
echo "ERROR: Redis is not reachable at $url and could not be started." >&2
echo "  Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL." >&2
exit 1
