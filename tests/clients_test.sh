#!/bin/sh
# Real ODBC clients through the shim print exactly what they print on the direct DSN:
# isql (A functions), iusql (W functions), and python3-pyodbc, PHP odbc, Perl DBD::ODBC and
# R RODBC scripts; on SQLite, PostgreSQL (psqlODBC Unicode and ANSI) and MariaDB, whose
# Connector/ODBC the shim passes through without caching.
set -u
here=$(cd "$(dirname "$0")" && pwd)
failures=0 passes=0

if [ -n "${SANITIZED_BUILD:-}" ]; then
  # The driver module was built with sanitizers; the clients were not, so preload the runtimes.
  LD_PRELOAD="$(g++ -print-file-name=libasan.so) $(g++ -print-file-name=libubsan.so)"
  # isql/iusql and unixODBC themselves trip ASan's string checks (overlapping strncpy) and leak;
  # only the shim is under test here.
  ASAN_OPTIONS=detect_leaks=0:replace_str=0:intercept_strlen=0:intercept_strchr=0:intercept_strndup=0
  export LD_PRELOAD ASAN_OPTIONS
fi

# PHP loads its extensions with RTLD_DEEPBIND, which the sanitizers' runtime refuses.
php_client=php
[ -n "${SANITIZED_BUILD:-}" ] && php_client=

pairs="sqlite:sqlite-cachalot"
if [ -n "${CACHALOT_TEST_PGPORT:-}" ]; then
  pairs="$pairs pg-unicode:pg-unicode-cachalot pg-ansi:pg-ansi-cachalot"
elif [ "${CACHALOT_TEST_REQUIRE_SERVERS:-}" = 1 ]; then
  echo "FAIL: PostgreSQL required but CACHALOT_TEST_PGPORT is not set"; exit 1
fi
if [ -n "${CACHALOT_TEST_MARIADB_PORT:-}" ]; then
  pairs="$pairs mariadb:mariadb-cachalot"
elif [ "${CACHALOT_TEST_REQUIRE_SERVERS:-}" = 1 ]; then
  echo "FAIL: MariaDB required but CACHALOT_TEST_MARIADB_PORT is not set"; exit 1
fi

setup_sql="DROP TABLE IF EXISTS cl_items
CREATE TABLE cl_items (id integer, name varchar(40), price real, amount numeric(10,2), born date, seen timestamp)
INSERT INTO cl_items VALUES (1, 'plain', 1.5, 12.5, '2024-02-29', '2024-02-29 12:34:56')
INSERT INTO cl_items VALUES (2, 'ünïcödé 😀', NULL, 0.05, NULL, '1999-12-31 23:59:59.25')
INSERT INTO cl_items VALUES (3, NULL, -2, -1234.5, '0001-01-01', NULL)"
queries="SELECT * FROM cl_items ORDER BY id
SELECT count(*), max(name) FROM cl_items
SELECT * FROM cl_no_such_table
SELECT name FROM cl_items WHERE id = 2
UPDATE cl_items SET price = 3 WHERE id = 3
SELECT id, price FROM cl_items ORDER BY id"

check() {  # name, direct output, shim output
  if [ "$2" = "$3" ]; then
    passes=$((passes + 1)); echo "PASS: $1"
  else
    failures=$((failures + 1)); echo "FAIL: $1"
    printf '%s\n' "$2" > /tmp/clients-direct.$$; printf '%s\n' "$3" > /tmp/clients-shim.$$
    diff -u /tmp/clients-direct.$$ /tmp/clients-shim.$$ | head -40
    rm -f /tmp/clients-direct.$$ /tmp/clients-shim.$$
  fi
}

for pair in $pairs; do
  direct=${pair%%:*} shim=${pair#*:}
  # The queries write, so each run starts from the same rows.
  run() { printf '%s\n' "$setup_sql" | isql -b "$direct" > /dev/null 2>&1; "$@"; }
  for client in isql iusql; do
    a=$(run sh -c "printf '%s\n' \"\$1\" | $client -v -b $direct 2>&1" - "$queries")
    b=$(run sh -c "printf '%s\n' \"\$1\" | $client -v -b $shim 2>&1" - "$queries")
    check "$client $direct vs $shim" "$a" "$b"
  done
  # Debian's python3 has python3-pyodbc; another python3 may come first on PATH.
  case $direct in *ansi*) encoding=ansi ;; *) encoding=unicode ;; esac
  a=$(run /usr/bin/python3 "$here/pyodbc_compare.py" "DSN=$direct" $encoding 2>&1)
  b=$(run /usr/bin/python3 "$here/pyodbc_compare.py" "DSN=$shim" $encoding 2>&1)
  check "pyodbc $direct vs $shim" "$a" "$b"
  case "$a" in *"rows: "*) ;; *) failures=$((failures + 1)); echo "FAIL: pyodbc printed no rows: $a" ;; esac
  # RODBC believes SQLRowCount for a result's rows unless told the driver does not count them.
  case $direct in sqlite*) counted=uncounted ;; *) counted=counted ;; esac
  for client in ${php_client:+"php $here/php_compare.php"} "perl $here/perl_compare.pl" \
                "Rscript $here/rodbc_compare.R"; do
    a=$(run $client "$direct" $counted 2>&1)
    b=$(run $client "$shim" $counted 2>&1)
    check "${client%% *} $direct vs $shim" "$a" "$b"
    case "$a" in *"rows: "*|*"row: "*) ;; *) failures=$((failures + 1)); echo "FAIL: ${client%% *} printed no rows: $a" ;; esac
  done
  # Each client is served from the cache too: a read run twice logs a hit (A and W connections;
  # psqlODBC answers differently once connected with a W function). MariaDB's reads pass through.
  case $direct in mariadb) served=' bypass ' ;; *) served=' hit |' ;; esac
  logged_ini=$(mktemp) log=$(mktemp)
  { cat "$ODBCINI"; printf '\n[clients-logged]\nDriver=Cachalot\nTargetDSN=%s\nCacheLog=%s\n' "$direct" "$log"; } > "$logged_ini"
  for client in isql iusql pyodbc $php_client perl R; do
    : > "$log"
    case $client in
      pyodbc) ODBCINI=$logged_ini /usr/bin/python3 -c 'import pyodbc
connection = pyodbc.connect("DSN=clients-logged", autocommit=True)
for run in range(2): connection.cursor().execute("SELECT count(*) FROM cl_items").fetchall()' > /dev/null 2>&1 ;;
      php) ODBCINI=$logged_ini php -r '$c = odbc_connect("clients-logged", "", "");
for ($run = 0; $run < 2; $run++) odbc_fetch_row(odbc_exec($c, "SELECT count(*) FROM cl_items"));' > /dev/null 2>&1 ;;
      perl) ODBCINI=$logged_ini perl -MDBI -e 'my $dbh = DBI->connect("dbi:ODBC:clients-logged", "", "");
$dbh->selectall_arrayref("SELECT count(*) FROM cl_items") for 1 .. 2;' > /dev/null 2>&1 ;;
      R) ODBCINI=$logged_ini Rscript -e 'channel <- RODBC::odbcConnect("clients-logged", believeNRows = FALSE)
for (run in 1:2) RODBC::sqlQuery(channel, "SELECT count(*) FROM cl_items")' > /dev/null 2>&1 ;;
      *) printf 'SELECT count(*) FROM cl_items\nSELECT count(*) FROM cl_items\n' | ODBCINI=$logged_ini $client -b clients-logged > /dev/null 2>&1 ;;
    esac
    check "$client on $direct through the shim logs '$served'" yes "$(grep -q "$served" "$log" && echo yes)"
  done
  rm -f "$logged_ini" "$log"
done

# `cachalot stats` sums what every process wrote to a DSN's CacheLog: two isql runs here.
log="$ODBCSYSINI/cache.log"
rm -f "$log"
for run in 1 2; do
  printf 'SELECT id FROM cl_items ORDER BY id\nSELECT id FROM cl_items ORDER BY id\nUPDATE cl_items SET price = 4 WHERE id = 3\n' |
    isql -b sqlite-cachalot-logged > /dev/null 2>&1
done
check "cachalot stats sqlite-cachalot-logged" \
  '{"hits":2,"misses":2,"stores":2,"invalidations":2,"store_errors":0,"bypasses":{"not_a_read":0,"unparsed":0,"not_pure":0,"system_catalog":0,"temporary_table":0,"unknown_view":0,"uncachable_table":0,"not_cachable_table":0,"transaction":0,"cursor":0,"session":0,"disabled":0,"store":0}}' \
  "$(../tools/cachalot stats sqlite-cachalot-logged 2>&1)"

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
