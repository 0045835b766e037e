#!/usr/bin/env bash
# Builds cachalot-odbc, creates a small SQLite database and queries it with isql through a
# Cachalot DSN in front of SQLite ODBC. No server needed. Installs what is missing (Debian).
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
sed -n '/\[sqlite-cachalot\]/,/^$/p' "$ODBCINI"
echo "== isql -v sqlite-cachalot"
isql -v -b -m20 sqlite-cachalot <<'SQL'
SELECT * FROM orders ORDER BY id
UPDATE orders SET total = total + 1 WHERE id = 3
SELECT customer, total FROM orders WHERE id = 3
SQL
