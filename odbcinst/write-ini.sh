#!/bin/sh
# Writes odbcinst.ini and odbc.ini into DIR for using the build tree without installing:
#   write-ini.sh DIR MODULE        (MODULE: the built libcachalotodbc.so)
# then: export ODBCSYSINI=DIR ODBCINI=DIR/odbc.ini
# DSNs: sqlite (direct) and sqlite-cachalot always; with CACHALOT_TEST_PGPORT set, also
# pg-unicode, pg-ansi (direct) and pg-unicode-cachalot (TargetDSN), pg-ansi-cachalot (TargetDriver).
# With CACHALOT_TEST_REDIS_PORT / CACHALOT_TEST_MEMCACHED_PORT (and _PORT2, a second memcached):
# sqlite-cachalot-redis, sqlite-cachalot-memcached, and the same for pg-unicode. With
# CACHALOT_TEST_MARIADB_PORT: mariadb (direct, MariaDB Connector/ODBC) and mariadb-cachalot.
set -eu
dir=$1
module=$2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

cat > "$dir/odbcinst.ini" <<INI
[Cachalot]
Description=cachalot-odbc (build tree)
Driver=$module

# The same driver under another name, with a bad default: tests read it to check precedence.
[Cachalot Strict]
Driver=$module
CacheTimeout=not-a-number

[SQLite3]
Description=SQLite3 ODBC Driver
Driver=libsqlite3odbc.so

[PostgreSQL Unicode]
Description=PostgreSQL ODBC driver (Unicode version)
Driver=psqlodbcw.so

[PostgreSQL ANSI]
Description=PostgreSQL ODBC driver (ANSI version)
Driver=psqlodbca.so

[MariaDB Unicode]
Description=MariaDB Connector/ODBC (Unicode)
Driver=libmaodbc.so
INI

cat > "$dir/odbc.ini" <<INI
[sqlite]
Driver=SQLite3
Database=$dir/test.db

[sqlite-cachalot]
Driver=Cachalot
TargetDriver=SQLite3
Database=$dir/test.db

[sqlite-cachalot-logged]
Driver=Cachalot
TargetDriver=SQLite3
Database=$dir/test.db
CacheLog=$dir/cache.log

[sqlite-cachalot-off]
Driver=Cachalot
TargetDriver=SQLite3
Database=$dir/test.db
CacheEnabled=0
INI

if [ -n "${CACHALOT_TEST_PGPORT:-}" ]; then
  pg_keys="Servername=${CACHALOT_TEST_PGHOST:-127.0.0.1}
Port=$CACHALOT_TEST_PGPORT
Database=${CACHALOT_TEST_PGDATABASE:-cachalot}
Username=${CACHALOT_TEST_PGUSER:-cachalot}
Password=${CACHALOT_TEST_PGPASSWORD:-cachalot}"
  cat >> "$dir/odbc.ini" <<INI

[pg-unicode]
Driver=PostgreSQL Unicode
$pg_keys

[pg-ansi]
Driver=PostgreSQL ANSI
$pg_keys

[pg-unicode-cachalot]
Driver=Cachalot
TargetDSN=pg-unicode

[pg-ansi-cachalot]
Driver=Cachalot
TargetDriver=PostgreSQL ANSI
$pg_keys
INI
fi

if [ -n "${CACHALOT_TEST_MARIADB_PORT:-}" ]; then
  cat >> "$dir/odbc.ini" <<INI

[mariadb]
Driver=MariaDB Unicode
Server=127.0.0.1
Port=$CACHALOT_TEST_MARIADB_PORT
Database=cachalot
User=cachalot
Password=cachalot

[mariadb-cachalot]
Driver=Cachalot
TargetDSN=mariadb
INI
fi

# The shared stores, for SQLite and (with PostgreSQL) psqlODBC Unicode.
shared_dsn() {  # name suffix, Cache value
  cat >> "$dir/odbc.ini" <<INI

[sqlite-cachalot-$1]
Driver=Cachalot
TargetDriver=SQLite3
Database=$dir/test.db
Cache=$2
INI
  [ -n "${CACHALOT_TEST_PGPORT:-}" ] && cat >> "$dir/odbc.ini" <<INI

[pg-unicode-cachalot-$1]
Driver=Cachalot
TargetDSN=pg-unicode
Cache=$2
INI
  return 0
}
[ -n "${CACHALOT_TEST_REDIS_PORT:-}" ] && shared_dsn redis "redis://127.0.0.1:$CACHALOT_TEST_REDIS_PORT/1"
if [ -n "${CACHALOT_TEST_MEMCACHED_PORT:-}" ]; then
  shared_dsn memcached "memcached://127.0.0.1:$CACHALOT_TEST_MEMCACHED_PORT${CACHALOT_TEST_MEMCACHED_PORT2:+,127.0.0.1:$CACHALOT_TEST_MEMCACHED_PORT2}"
fi
exit 0
