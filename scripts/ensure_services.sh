#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1 for the test suite; start them when they don't.
# Fails with a message a person can act on when they cannot be started.
set -u
PGHOST_ADDR=${PGHOST_ADDR:-127.0.0.1}
PGPORT_NUM=${PGPORT_NUM:-5432}
REDIS_PORT=${REDIS_PORT:-6379}

pg_up() { pg_isready -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM" 2>/dev/null || python3 - "$PGHOST_ADDR" "$PGPORT_NUM" <<'PY'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1).close()
except OSError:
    sys.exit(1)
PY
}
redis_up() { python3 - "$REDIS_PORT" <<'PY'
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
    s.sendall(b"PING\r\n")
    ok = s.recv(16).startswith(b"+PONG")
    s.close()
    sys.exit(0 if ok else 1)
except OSError:
    sys.exit(1)
PY
}
wait_for() { for _ in $(seq 1 30); do "$1" && return 0; sleep 0.5; done; return 1; }

if ! pg_up; then
  echo "PostgreSQL is not answering on $PGHOST_ADDR:$PGPORT_NUM; trying to start it..."
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for version in $(ls /etc/postgresql); do pg_ctlcluster --skip-systemctl-redirect "$version" main start || true; done
  fi
  if ! wait_for pg_up; then
    echo "ERROR: PostgreSQL is needed for the tests and could not be started." >&2
    echo "  Install it (apt-get install postgresql) and allow trust auth for user postgres on 127.0.0.1," >&2
    echo "  or point TEST_DATABASE_URL at a server you have." >&2
    exit 1
  fi
fi

if ! redis_up; then
  echo "Redis is not answering on 127.0.0.1:$REDIS_PORT; trying to start it..."
  if command -v redis-server >/dev/null 2>&1; then
    mkdir -p /tmp/publisher-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /tmp/publisher-redis --logfile /tmp/publisher-redis/redis.log || true
  fi
  if ! wait_for redis_up; then
    echo "ERROR: Redis is needed and could not be started. Install it (apt-get install redis-server)." >&2
    exit 1
  fi
fi
echo "services: PostgreSQL and Redis are up"
