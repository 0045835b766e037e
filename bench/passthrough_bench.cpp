// Pass-through overhead: the same query through the direct DSN and through the Cachalot DSN in
// front of the same driver, interleaved, median of many rounds, printed as a ratio.
#include <sql.h>
#include <sqlext.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct Connection {
    SQLHENV env = nullptr;
    SQLHDBC dbc = nullptr;
    SQLHSTMT stmt = nullptr;

    explicit Connection(const std::string& dsn) {
        SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
        SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
        SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
        if (!SQL_SUCCEEDED(SQLConnect(dbc, (SQLCHAR*)dsn.c_str(), SQL_NTS, nullptr, 0, nullptr, 0))) {
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

    // Executes the query and reads every value as text, as an application would.
    void run(const std::string& sql) {
        SQLExecDirect(stmt, (SQLCHAR*)sql.c_str(), SQL_NTS);
        SQLSMALLINT columns = 0;
        SQLNumResultCols(stmt, &columns);
        char buffer[256];
        SQLLEN indicator;
        while (SQL_SUCCEEDED(SQLFetch(stmt)))
            for (SQLUSMALLINT c = 1; c <= columns; ++c) SQLGetData(stmt, c, SQL_C_CHAR, buffer, sizeof buffer, &indicator);
        SQLCloseCursor(stmt);
    }
};

double microseconds_per_query(Connection& connection, const std::string& sql, int queries) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < queries; ++i) connection.run(sql);
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / queries;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::string direct = argc > 1 ? argv[1] : "pg-unicode";
    std::string shim = argc > 2 ? argv[2] : "pg-unicode-cachalot";
    int rounds = argc > 3 ? std::atoi(argv[3]) : 31;
    Connection a(direct), b(shim);
    a.run("CREATE TEMP TABLE bench_rows AS SELECT g AS id, 'name ' || g AS name, g * 1.5 AS price, "
          "now() AS created FROM generate_series(1, 125) g");
    b.run("CREATE TEMP TABLE bench_rows AS SELECT g AS id, 'name ' || g AS name, g * 1.5 AS price, "
          "now() AS created FROM generate_series(1, 125) g");
    struct Case {
        const char* name;
        std::string sql;
        int queries;
    } cases[] = {{"1 row", "SELECT id, name, price, created FROM bench_rows WHERE id = 42", 200},
                 {"125 rows", "SELECT id, name, price, created FROM bench_rows ORDER BY id", 40}};
    std::printf("pass-through overhead, %s vs %s, median of %d rounds\n", direct.c_str(), shim.c_str(), rounds);
    std::printf("%-10s %14s %14s %8s\n", "query", "direct (us)", "cachalot (us)", "ratio");
    for (auto& c : cases) {
        microseconds_per_query(a, c.sql, c.queries);  // warm both connections up
        microseconds_per_query(b, c.sql, c.queries);
        std::vector<double> direct_times, shim_times;
        for (int round = 0; round < rounds; ++round) {
            direct_times.push_back(microseconds_per_query(a, c.sql, c.queries));
            shim_times.push_back(microseconds_per_query(b, c.sql, c.queries));
        }
        double d = median(direct_times), s = median(shim_times);
        std::printf("%-10s %14.1f %14.1f %8.3f\n", c.name, d, s, s / d);
    }
    return 0;
}
