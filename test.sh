#!/usr/bin/env bash
# Installs what is missing (Debian packages), starts private PostgreSQL, MariaDB, Redis and
# memcached servers on 127.0.0.1 in a temporary directory, builds, runs `make check`, then
# builds again with AddressSanitizer+UBSan and runs `make check` there too. Servers stop at exit.
#   ./test.sh        everything above
#   ./test.sh bench  the same servers and plain build, then `make bench`
set -euo pipefail
cd "$(dirname "$0")"
top=$(pwd)
export LANG=C.UTF-8 LC_ALL=C.UTF-8

source tests/install-packages.sh
install_missing "${build_packages[@]}" odbc-postgresql libsqliteodbc sqlite3 postgresql redis-server memcached python3 \
  python3-pyodbc php-cli php-odbc libdbd-odbc-perl r-base-core r-cran-rodbc mariadb-server odbc-mariadb clang \
  libclang-rt-dev

work=$(mktemp -d /tmp/cachalot-test.XXXXXX)
# PostgreSQL refuses to run as root: as root, the server runs as the postgres user and owns $work.
[ "$(id -u)" = 0 ] && chown postgres "$work"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -f "$work/pg/postmaster.pid" ] && as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop > /dev/null 2>&1 || true
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2> /dev/null || true
  [ -f "$work/memcached.pid" ] && kill "$(cat "$work/memcached.pid")" 2> /dev/null || true
  [ -f "$work/memcached2.pid" ] && kill "$(cat "$work/memcached2.pid")" 2> /dev/null || true
  [ -f "$work/mariadb.pid" ] && kill "$(cat "$work/mariadb.pid")" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "== starting servers in $work"
pg_port=$(free_port)
as_postgres "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust --no-sync > "$work/initdb.log"
as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c max_prepared_transactions=4" start > /dev/null
psql_admin() { psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 "$@"; }
psql_admin -c "CREATE USER cachalot PASSWORD 'cachalot' SUPERUSER" -c "CREATE DATABASE cachalot OWNER cachalot"

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save '' --appendonly no \
  --daemonize yes --pidfile "$work/redis.pid" --logfile "$work/redis.log"
memcached_port=$(free_port)
memcached -d -l 127.0.0.1 -p "$memcached_port" -U 0 -P "$work/memcached.pid" -u "$(id -un)"
memcached_port2=$(free_port)  # a second server: keys spread over both
memcached -d -l 127.0.0.1 -p "$memcached_port2" -U 0 -P "$work/memcached2.pid" -u "$(id -un)"

# MariaDB, for the client comparison through MariaDB Connector/ODBC (passed through, not cached).
mariadb_port=$(free_port)
mariadb-install-db --user="$(id -un)" --datadir="$work/mariadb" --auth-root-authentication-method=normal \
  --skip-test-db > "$work/mariadb-install.log" 2>&1
mariadbd --user="$(id -un)" --datadir="$work/mariadb" --socket="$work/mariadb.sock" --port="$mariadb_port" \
  --bind-address=127.0.0.1 --pid-file="$work/mariadb.pid" --log-error="$work/mariadb.log" --skip-log-bin \
  --innodb-flush-log-at-trx-commit=0 > /dev/null 2>&1 &
for _ in $(seq 100); do mariadb-admin -S "$work/mariadb.sock" -uroot ping > /dev/null 2>&1 && break; sleep 0.2; done
mariadb -S "$work/mariadb.sock" -uroot -e "CREATE DATABASE cachalot; CREATE USER cachalot@'%' IDENTIFIED BY 'cachalot';
  GRANT ALL ON cachalot.* TO cachalot@'%'"

export CACHALOT_TEST_PGPORT=$pg_port CACHALOT_TEST_PGHOST=127.0.0.1 CACHALOT_TEST_PGUSER=cachalot \
       CACHALOT_TEST_PGDATABASE=cachalot CACHALOT_TEST_PGPASSWORD=cachalot \
       CACHALOT_TEST_REDIS_PORT=$redis_port CACHALOT_TEST_MEMCACHED_PORT=$memcached_port \
       CACHALOT_TEST_MEMCACHED_PORT2=$memcached_port2 CACHALOT_TEST_MARIADB_PORT=$mariadb_port \
       CACHALOT_TEST_REQUIRE_SERVERS=1

[ -x configure ] || autoreconf -fi > /dev/null 2>&1

build() {  # directory, configure options...
  local dir=$1; shift
  echo "== build $dir ($*)"
  mkdir -p "$dir"
  (cd "$dir" && "$top/configure" -q "$@" && make -j2 > make.log 2>&1) || { tail -50 "$dir/make.log"; exit 1; }
}
passed=0
check() {  # directory
  (cd "$1" && make -j2 check) || { for log in "$1"/tests/*.log; do echo "--- $log"; tail -80 "$log"; done; exit 1; }
  # Every GoogleTest case and client comparison that passed, for the closing line.
  local n
  n=$(cat "$1"/tests/*_tests.log "$1"/tests/clients_test.sh.log |
      sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\{0,1\}\.$/\1/p; s/^\([0-9]*\) passed, 0 failed$/\1/p' |
      awk '{ s += $1 } END { print s + 0 }')
  passed=$((passed + n))
}

build build/plain
if [ "${1:-}" = bench ]; then
  (cd build/plain && make bench)
  exit 0
fi
check build/plain
echo "== fuzzing the SQL scanner"
(cd build/plain/tests && make fuzz FUZZ_SECONDS=60 > fuzz.log 2>&1) || { tail -60 build/plain/tests/fuzz.log; exit 1; }
grep -h "stat::number_of_executed_units" build/plain/tests/fuzz.log
# LeakSanitizer: what the target drivers keep until exit is listed in tests/lsan.supp.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
build build/asan --enable-sanitizers
check build/asan
# ThreadSanitizer: the shared in-process store and the concurrency check.
build build/tsan --enable-tsan
echo "== ThreadSanitizer: the store's threads and the concurrency check"
(cd build/tsan/tests && make -j2 unit_tests sqlscan_tests integration_tests ini/odbcinst.ini > make-tests.log 2>&1 &&
 export ODBCSYSINI=$PWD/ini ODBCINI=$PWD/ini/odbc.ini TSAN_OPTIONS="halt_on_error=1 suppressions=$top/tests/tsan.supp" &&
 ./unit_tests --gtest_filter='MemoryStore.*' > tsan.log 2>&1 &&
 ./sqlscan_tests --gtest_filter='ParseCache.*' >> tsan.log 2>&1 &&
 ./integration_tests --gtest_filter='*Concurrency*' >> tsan.log 2>&1) || { tail -80 build/tsan/tests/tsan.log; exit 1; }
n=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\{0,1\}\.$/\1/p' build/tsan/tests/tsan.log | awk '{ s += $1 } END { print s + 0 }')
passed=$((passed + n))
echo "== all tests passed (plain, AddressSanitizer+UBSan and ThreadSanitizer builds)"
echo "tests: $passed passed, 0 failed"
