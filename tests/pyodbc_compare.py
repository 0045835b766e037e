"""Prints what pyodbc sees for a few queries, to compare a direct DSN with a Cachalot one."""
import sys

import pyodbc

connection = pyodbc.connect(sys.argv[1], autocommit=True)
if sys.argv[2:] == ["ansi"]:
    # An ANSI driver (psqlodbca) has no SQL_C_WCHAR: pyodbc must exchange UTF-8 text with it.
    connection.setdecoding(pyodbc.SQL_CHAR, encoding="utf-8")
    connection.setdecoding(pyodbc.SQL_WCHAR, encoding="utf-8")
    connection.setencoding(encoding="utf-8")
cursor = connection.cursor()
for sql, params in [
    ("SELECT * FROM cl_items ORDER BY id", ()),
    ("SELECT name, price FROM cl_items WHERE id = ?", (2,)),
    ("SELECT name FROM cl_items WHERE name = ?", ("ünïcödé 😀",)),
    ("SELECT * FROM cl_no_such_table", ()),
]:
    try:
        cursor.execute(sql, *params)
        print("description:", [(d[0], d[1].__name__ if d[1] else None, d[3], d[4], d[5], d[6]) for d in cursor.description])
        print("rows:", [tuple(row) for row in cursor.fetchall()])
    except pyodbc.Error as error:
        print("error:", error.args)
print("tables:", sorted(row.table_name for row in cursor.tables(table="cl_items")))
print("columns:", [(row.column_name, row.type_name) for row in cursor.columns(table="cl_items")])
