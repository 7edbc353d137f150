#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1, starting them the way the development and CI
# machines do (shared/SERVICES.md) when they are down. Used by `make services-test` and .ci/run.
set -euo pipefail

wait_for() {  # wait_for NAME COMMAND...: up to 30 s
    local name="$1"; shift
    for _ in $(seq 1 30); do
        if "$@" >/dev/null 2>&1; then
            echo "ensure-services: $name is up"
            return 0
        fi
        sleep 1
    done
    echo "ensure-services: $name did not come up within 30 s" >&2
    return 1
}

if ! pg_isready -q -h 127.0.0.1; then
    echo "ensure-services: PostgreSQL is down; starting it"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
wait_for PostgreSQL pg_isready -q -h 127.0.0.1

if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
    echo "ensure-services: Redis is down; starting it"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
wait_for Redis redis-cli -h 127.0.0.1 ping
