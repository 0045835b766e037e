// The same query through the direct DSN and through the Cachalot DSN in front of the same
// driver, interleaved, median of many rounds, printed as a ratio. The query reads a temporary
// table, which is never cached: the shim scans it and passes it through to the driver on every
// execution, so this measures what the shim costs a statement it does not cache, whole and in
// the fetch alone. Misses and hits are shop_bench's.
#include "bench/odbc_bench.hpp"

using namespace bench;

// A connection can land in a state where its short queries run twice as slow, direct or not
// (seen with the direct DSN on both sides), so every round uses fresh connections, in turns,
// and the medians over many rounds compare like with like. Connecting and warming up are not timed.
Timing measure_round(const std::string& dsn, const std::string& sql, int queries) {
    Connection connection(dsn);
    connection.run("CREATE TEMP TABLE bench_rows AS SELECT g AS id, 'name ' || g AS name, g * 1.5 AS price, "
                   "now() AS created FROM generate_series(1, 125) g");
    time_queries(connection, sql, queries / 4);
    return time_queries(connection, sql, queries);
}

int main(int argc, char** argv) {
    std::string direct = argc > 1 ? argv[1] : "pg-unicode";
    std::string shim = argc > 2 ? argv[2] : "pg-unicode-cachalot";
    int rounds = argc > 3 ? std::atoi(argv[3]) : 101;
    struct Case {
        const char* name;
        std::string sql;
        int queries;
    } cases[] = {{"1 row", "SELECT id, name, price, created FROM bench_rows WHERE id = 42", 400},
                 {"125 rows", "SELECT id, name, price, created FROM bench_rows ORDER BY id", 80}};
    std::printf("%s vs %s (never cached: passed through), median of %d rounds\n", direct.c_str(),
                shim.c_str(), rounds);
    std::printf("%-10s %10s %11s %7s %10s %12s %7s %11s %13s %7s\n", "query", "direct us", "cachalot us", "ratio",
                "direct cpu", "cachalot cpu", "ratio", "direct fetch", "cachalot fetch", "ratio");
    for (auto& c : cases) {
        std::vector<double> dw, sw, dc, sc, df, sf;
        for (int round = 0; round < rounds; ++round) {
            Timing d, s;
            if (round % 2) d = measure_round(direct, c.sql, c.queries), s = measure_round(shim, c.sql, c.queries);
            else s = measure_round(shim, c.sql, c.queries), d = measure_round(direct, c.sql, c.queries);
            dw.push_back(d.wall), sw.push_back(s.wall), dc.push_back(d.cpu), sc.push_back(s.cpu);
            df.push_back(d.fetch), sf.push_back(s.fetch);
        }
        std::printf("%-10s %10.1f %11.1f %7.3f %10.1f %12.1f %7.3f %11.1f %13.1f %7.3f\n", c.name, median(dw),
                    median(sw), median(sw) / median(dw), median(dc), median(sc), median(sc) / median(dc), median(df),
                    median(sf), median(sf) / median(df));
    }
    // The shim's own cost per call, without the network: a call the driver answers from memory.
    Connection a(direct), b(shim);
    auto per_call = [](Connection& connection) {
        connection.run("SELECT 1");
        SQLExecDirect(connection.stmt, (SQLCHAR*)"SELECT 1", SQL_NTS);
        std::vector<double> times;
        for (int round = 0; round < 21; ++round) {
            double start = now(CLOCK_MONOTONIC);
            SQLSMALLINT columns = 0;
            for (int i = 0; i < 100000; ++i) SQLNumResultCols(connection.stmt, &columns);
            times.push_back((now(CLOCK_MONOTONIC) - start) * 1000 / 100000);
        }
        SQLCloseCursor(connection.stmt);
        return median(times);
    };
    double d = per_call(a), s = per_call(b);
    std::printf("SQLNumResultCols: %.1f ns direct, %.1f ns through cachalot: the shim adds %.1f ns a call\n", d, s,
                s - d);
    return 0;
}
