# Sourced by scripts/test.sh: a throwaway PostgreSQL cluster on a free loopback port.
# Installs Debian's postgresql package when no server binaries are present, creates a cluster in
# a temporary directory (trust auth, loopback only, no fsync: it is thrown away; no autovacuum,
# whose ANALYZE snapshots would let VACUUM FULL keep row versions a test checks are gone), exports
# HAVEN_TEST_DATABASE_URL and stops and deletes the cluster when the calling shell exits.

pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ -z "$(pg_bindir)" ]; then
  echo "test: PostgreSQL server not found; installing Debian's postgresql package" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PG_BIN="$(pg_bindir)"
[ -x "$PG_BIN/initdb" ] || { echo "test: no initdb in $PG_BIN" >&2; exit 1; }

PG_DIR="$(mktemp -d /tmp/haven-pg.XXXXXX)"
# initdb refuses to run as root; the package's postgres user owns the throwaway cluster.
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PG_DIR" postgres
  chown postgres "$PG_DIR"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

PG_PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -s start \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c autovacuum=off"

stop_test_postgres() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -s stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap stop_test_postgres EXIT

export HAVEN_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
echo "test: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT" >&2
