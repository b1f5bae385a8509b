#!/usr/bin/env bash
# Entrypoint of the postgres stand-in image (offline machines only, see
# ../offline-images.sh). Like the official image's: on the first start with an empty
# PGDATA it creates the cluster with POSTGRES_USER (default postgres) and
# POSTGRES_PASSWORD (required), creates POSTGRES_DB if given, runs the *.sql and *.sh
# files of /docker-entrypoint-initdb.d on a server reachable only by socket, then
# starts postgres listening on every address with password auth over TCP.
set -Eeuo pipefail

if [ "${1:-}" != postgres ]; then exec "$@"; fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo 'error: database is uninitialized and POSTGRES_PASSWORD is not set' >&2
    exit 1
  fi
  initdb -D "$PGDATA" --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  printf "listen_addresses = '*'\n" >>"$PGDATA/postgresql.conf"

  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$user")
  if [ "$db" != postgres ]; then "${psql[@]}" --dbname postgres -c "CREATE DATABASE \"$db\""; fi
  for file in /docker-entrypoint-initdb.d/*; do
    case "$file" in
      *.sh) echo "running $file"; if [ -x "$file" ]; then "$file"; else . "$file"; fi ;;
      *.sql) echo "running $file"; "${psql[@]}" --dbname "$db" -f "$file" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo 'database initialized'
fi

exec "$@"
