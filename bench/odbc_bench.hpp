// What the ODBC benchmarks share: a connection with one statement, running a query and
// reading every value as text as an application would, and the clocks.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "driver/cachalot_odbc.h"

namespace bench {

struct Connection {
    SQLHENV env = nullptr;
    SQLHDBC dbc = nullptr;
    SQLHSTMT stmt = nullptr;

    explicit Connection(const std::string& dsn) {
        SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
        SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
        SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
        // A DSN, or a connection string (it has a '=').
        const SQLRETURN rc = dsn.find('=') == std::string::npos
                                 ? SQLConnect(dbc, (SQLCHAR*)dsn.c_str(), SQL_NTS, nullptr, 0, nullptr, 0)
                                 : SQLDriverConnect(dbc, nullptr, (SQLCHAR*)dsn.c_str(), SQL_NTS, nullptr, 0, nullptr,
                                                    SQL_DRIVER_NOPROMPT);
        if (!SQL_SUCCEEDED(rc)) {
            std::fprintf(stderr, "cannot connect to %s (run through ./test.sh bench)\n", dsn.c_str());
            std::exit(1);
        }
        SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt);
    }
    ~Connection() {
        SQLFreeHandle(SQL_HANDLE_STMT, stmt);
        SQLDisconnect(dbc);
        SQLFreeHandle(SQL_HANDLE_DBC, dbc);
        SQLFreeHandle(SQL_HANDLE_ENV, env);
    }

    // Executes the query and reads every value as text, as an application would; returns the
    // microseconds spent fetching (after the execution); `hit`, when given, says whether the
    // execution was a Cachalot cache hit.
    double run(const std::string& sql, bool* hit = nullptr);

    // Whether run() describes every column first (SQLDescribeCol with every output), as pyodbc,
    // DBD::ODBC, nanodbc (R) and PHP's ODBC drivers do on every execution.
    bool describe_columns = false;
};

struct Timing {
    double wall = 0;   // microseconds per query
    double cpu = 0;    // this process's CPU microseconds per query: the client side, where the shim runs
    double fetch = 0;  // microseconds per query spent fetching the rows
};

inline double now(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

inline Timing time_queries(Connection& connection, const std::string& sql, int queries) {
    double wall = now(CLOCK_MONOTONIC), cpu = now(CLOCK_PROCESS_CPUTIME_ID), fetch = 0;
    for (int i = 0; i < queries; ++i) fetch += connection.run(sql);
    return {(now(CLOCK_MONOTONIC) - wall) / queries, (now(CLOCK_PROCESS_CPUTIME_ID) - cpu) / queries, fetch / queries};
}

inline double Connection::run(const std::string& sql, bool* hit) {
    SQLExecDirect(stmt, (SQLCHAR*)sql.c_str(), SQL_NTS);
    if (hit) {
        SQLULEN served = 0;
        SQLGetStmtAttr(stmt, SQL_ATTR_CACHALOT_HIT, &served, 0, nullptr);
        *hit = served == 1;
    }
    const double start = now(CLOCK_MONOTONIC);
    SQLSMALLINT columns = 0;
    SQLNumResultCols(stmt, &columns);
    for (SQLUSMALLINT c = 1; describe_columns && c <= columns; ++c) {
        SQLCHAR name[256];
        SQLSMALLINT name_length = 0, type = 0, digits = 0, nullable = 0;
        SQLULEN size = 0;
        SQLDescribeCol(stmt, c, name, sizeof name, &name_length, &type, &size, &digits, &nullable);
    }
    char buffer[256];
    SQLLEN indicator;
    while (SQL_SUCCEEDED(SQLFetch(stmt)))
        for (SQLUSMALLINT c = 1; c <= columns; ++c) SQLGetData(stmt, c, SQL_C_CHAR, buffer, sizeof buffer, &indicator);
    const double fetching = now(CLOCK_MONOTONIC) - start;
    SQLCloseCursor(stmt);
    return fetching;
}

inline double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

}  // namespace bench
