#!/usr/bin/env bash
# Builds cachalot-odbc, creates a small SQLite database and queries it with isql through a
# Cachalot DSN in front of SQLite ODBC (in-process cache, no server): a miss, a hit, an
# invalidation by a write, and the fresh row after it, as the DSN's CacheLog records them.
# Installs what is missing (Debian).
set -euo pipefail
cd "$(dirname "$0")"
top=$(pwd)
export LANG=C.UTF-8

source tests/install-packages.sh
install_missing "${build_packages[@]}" libsqliteodbc sqlite3

echo "== building"
[ -x configure ] || autoreconf -fi > /dev/null 2>&1
mkdir -p build/plain
(cd build/plain && { [ -f Makefile ] || "$top/configure" -q; } && make -j2 > make.log 2>&1) || { tail -30 build/plain/make.log; exit 1; }

demo=$top/build/quickstart
rm -rf "$demo"
sh odbcinst/write-ini.sh "$demo" "$top/build/plain/driver/.libs/libcachalotodbc.so"
export ODBCSYSINI=$demo ODBCINI=$demo/odbc.ini
sqlite3 "$demo/test.db" <<'SQL'
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total REAL);
INSERT INTO orders VALUES (1, 'Ada', 12.5), (2, 'Grace', 99.0), (3, 'Linus', 7.25);
SQL

echo "== odbc.ini used (ODBCINI=$ODBCINI):"
sed -n '/\[sqlite-cachalot-logged\]/,/^$/p' "$ODBCINI"
echo "== isql -v sqlite-cachalot-logged"
isql -v -b -m20 sqlite-cachalot-logged <<'SQL'
SELECT customer, total FROM orders WHERE id = 3
SELECT customer, total FROM orders WHERE id = 3
UPDATE orders SET total = total + 1 WHERE id = 3
SELECT customer, total FROM orders WHERE id = 3
SQL
echo "== what the cache did (CacheLog=$demo/cache.log): a miss, a hit, the invalidation, a fresh miss"
cut -d' ' -f2- "$demo/cache.log"
echo "== cachalot stats sqlite-cachalot-logged"
build/plain/tools/cachalot stats sqlite-cachalot-logged
