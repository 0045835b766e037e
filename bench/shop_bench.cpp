// The cache on a shop (customers, products, orders, order_items; tens of thousands of rows):
// direct vs Cachalot cold (every execution a miss: the text differs each time; read bare, and by
// a reader that describes the columns first as pyodbc does; and bare with CacheEveryMiss=1, every
// miss captured and stored) vs hot (hits),
// for a point select, a 4-table join with GROUP BY and a 125-row list, and hot reads while 10%
// of the statements write to another table or to the table read. Medians of interleaved rounds.
//   shop_bench DIRECT_DSN CACHALOT_DSN [ROUNDS]
#include <cstring>

#include "bench/odbc_bench.hpp"

using namespace bench;

namespace {

bool is_postgres(Connection& connection) {
    char name[64] = {};
    SQLSMALLINT length = 0;
    SQLGetInfo(connection.dbc, SQL_DBMS_NAME, name, sizeof name, &length);
    return std::strstr(name, "PostgreSQL") != nullptr;
}

void must(Connection& connection, const std::string& sql) {
    if (!SQL_SUCCEEDED(SQLExecDirect(connection.stmt, (SQLCHAR*)sql.c_str(), SQL_NTS))) {
        std::fprintf(stderr, "shop_bench: failed: %s\n", sql.c_str());
        std::exit(1);
    }
    SQLCloseCursor(connection.stmt);
}

// Creates the shop once (a marker table says it is there), through the direct DSN.
void load_shop(Connection& connection) {
    if (SQL_SUCCEEDED(SQLExecDirect(connection.stmt, (SQLCHAR*)"SELECT 1 FROM shop_loaded_v1", SQL_NTS))) {
        SQLCloseCursor(connection.stmt);
        return;
    }
    const bool pg = is_postgres(connection);
    // n rows numbered 1..n: generate_series, or a recursive CTE for SQLite.
    auto series = [&](int n) {
        return pg ? "SELECT g AS n FROM generate_series(1, " + std::to_string(n) + ") g"
                  : "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < " + std::to_string(n) + ") SELECT n FROM s";
    };
    for (const char* table : {"order_items", "orders", "products", "customers", "shop_other"})
        must(connection, std::string("DROP TABLE IF EXISTS ") + table);
    must(connection, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(40), email VARCHAR(60), city VARCHAR(20), visits INTEGER)");
    must(connection, "CREATE TABLE products (id INTEGER PRIMARY KEY, name VARCHAR(40), category VARCHAR(20), price NUMERIC(10,2))");
    must(connection, "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, status VARCHAR(10), total NUMERIC(12,2))");
    must(connection, "CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER, product_id INTEGER, quantity INTEGER, price NUMERIC(10,2))");
    must(connection, "CREATE TABLE shop_other (id INTEGER PRIMARY KEY, hits INTEGER)");
    must(connection, "INSERT INTO customers SELECT n, 'customer ' || n, 'c' || n || '@example.com', 'city-' || (n % 50), 0 FROM (" + series(10000) + ") s");
    must(connection, "INSERT INTO products SELECT n, 'product ' || n, 'cat-' || (n % 20), (n % 97) + 0.99 FROM (" + series(2000) + ") s");
    must(connection, "INSERT INTO orders SELECT n, (n * 7) % 10000 + 1, CASE WHEN n % 3 = 0 THEN 'shipped' ELSE 'open' END, n % 500 FROM (" + series(30000) + ") s");
    must(connection, "INSERT INTO order_items SELECT n, (n % 30000) + 1, (n * 13) % 2000 + 1, n % 5 + 1, (n % 97) + 0.99 FROM (" + series(90000) + ") s");
    must(connection, "INSERT INTO shop_other VALUES (1, 0)");
    must(connection, "CREATE INDEX orders_customer ON orders (customer_id)");
    must(connection, "CREATE INDEX items_order ON order_items (order_id)");
    must(connection, "CREATE TABLE shop_loaded_v1 (done INTEGER)");
    if (pg) must(connection, "ANALYZE");
}

struct Query {
    const char* name;
    std::string sql;
    std::string same_table_write;
    int per_round;
};

// Microseconds one read takes, fetch included.
double timed_read(Connection& connection, const std::string& sql, bool* hit = nullptr) {
    const double start = now(CLOCK_MONOTONIC);
    connection.run(sql, hit);
    return now(CLOCK_MONOTONIC) - start;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string direct_dsn = argc > 1 ? argv[1] : "sqlite";
    const std::string shim_dsn = argc > 2 ? argv[2] : "sqlite-cachalot";
    const int rounds = argc > 3 ? std::atoi(argv[3]) : 15;
    const std::vector<std::string> shared_dsns(argv + std::min(argc, 4), argv + argc);  // Cachalot on Redis, memcached...
    {
        Connection loader(direct_dsn);
        load_shop(loader);
    }
    const Query queries[] = {
        {"point select", "SELECT id, name, email, city FROM customers WHERE id = 4242",
         "UPDATE customers SET visits = visits + 1 WHERE id = 1", 200},
        {"4-table join", "SELECT c.city, p.category, COUNT(*), SUM(oi.quantity * oi.price) FROM customers c JOIN orders o ON "
                         "o.customer_id = c.id JOIN order_items oi ON oi.order_id = o.id JOIN products p ON p.id = oi.product_id "
                         "WHERE c.city = 'city-7' GROUP BY c.city, p.category ORDER BY 1, 2",
         "UPDATE order_items SET quantity = quantity WHERE id = 1", 10},
        {"125-row list", "SELECT id, name, category, price FROM products WHERE id <= 125 ORDER BY id",
         "UPDATE products SET price = price WHERE id = 2000", 40},
    };
    std::printf("shop: %s direct vs %s, median of %d rounds, microseconds per read\n", direct_dsn.c_str(), shim_dsn.c_str(), rounds);
    std::printf("%-13s %9s %9s %6s %9s %6s %9s %9s %6s %9s %8s %9s %8s %9s %8s\n", "query", "direct", "cold", "ratio",
                "stored", "ratio", "direct+d", "cold+d", "ratio", "hot", "speedup", "hot+10%o", "hit rate", "hot+10%s",
                "hit rate");
    double point_speedup = 0, worst_cold = 0, worst_cold_described = 0, worst_stored = 0, other_hit_rate = 1;
    std::vector<std::vector<double>> shared_rows;  // per query: direct, in-process hot, each shared store's hot
    for (const Query& q : queries) {
        std::vector<double> d, cold, stored, dd, cold_described, hot, other, same;
        std::vector<std::vector<double>> shared_hot(shared_dsns.size());
        long other_hits = 0, other_reads = 0, same_hits = 0, same_reads = 0;
        int unique = 0;
        for (int round = 0; round < rounds; ++round) {
            // A connection can land in a state where its short queries run twice as slow (see
            // passthrough_bench): every round has fresh connections, warmed up untimed.
            Connection direct(direct_dsn), shim(shim_dsn), writer(shim_dsn), every("DSN=" + shim_dsn + ";CacheEveryMiss=1");
            Connection direct_describing(direct_dsn), shim_describing(shim_dsn);
            direct_describing.describe_columns = shim_describing.describe_columns = true;
            for (int i = 0; i < 3; ++i)
                for (Connection* c : {&direct, &shim, &every, &direct_describing, &shim_describing})
                    c->run(q.sql), c->run("/* warm */ " + q.sql);
            // Direct and cold in turns, read by read, so drifts of the server touch both alike;
            // then the same with a reader that describes the columns.
            double direct_spent = 0, cold_spent = 0, stored_spent = 0, direct_described_spent = 0, cold_described_spent = 0,
                   hot_spent = 0;
            for (int i = 0; i < q.per_round; ++i) {
                direct_spent += timed_read(direct, q.sql);
                cold_spent += timed_read(shim, "/* cold " + std::to_string(++unique) + " */ " + q.sql);
                stored_spent += timed_read(every, "/* cold " + std::to_string(++unique) + " */ " + q.sql);
            }
            for (int i = 0; i < q.per_round; ++i) {
                direct_described_spent += timed_read(direct_describing, q.sql);
                cold_described_spent += timed_read(shim_describing, "/* cold " + std::to_string(++unique) + " */ " + q.sql);
            }
            for (int i = 0; i < q.per_round; ++i) hot_spent += timed_read(shim, q.sql);
            d.push_back(direct_spent / q.per_round);
            cold.push_back(cold_spent / q.per_round);
            stored.push_back(stored_spent / q.per_round);
            dd.push_back(direct_described_spent / q.per_round);
            cold_described.push_back(cold_described_spent / q.per_round);
            hot.push_back(hot_spent / q.per_round);
            // With writes: every tenth statement writes; each read's hit flag is counted.
            auto with_writes = [&](const std::string& write, long& hits, long& reads) {
                double spent = 0;
                for (int i = 0; i < q.per_round; ++i) {
                    if (i % 9 == 0) writer.run(write);
                    bool hit = false;
                    spent += timed_read(shim, q.sql, &hit);
                    hits += hit ? 1 : 0;
                    ++reads;
                }
                return spent / q.per_round;
            };
            other.push_back(with_writes("UPDATE shop_other SET hits = hits + 1 WHERE id = 1", other_hits, other_reads));
            same.push_back(with_writes(q.same_table_write, same_hits, same_reads));
            for (std::size_t s = 0; s < shared_dsns.size(); ++s) {
                Connection shared(shared_dsns[s]);
                for (int i = 0; i < 3; ++i) shared.run(q.sql);
                double spent = 0;
                for (int i = 0; i < q.per_round; ++i) spent += timed_read(shared, q.sql);
                shared_hot[s].push_back(spent / q.per_round);
            }
        }
        const double md = median(d), mc = median(cold), ms = median(stored), mdd = median(dd), mcd = median(cold_described),
                     mh = median(hot);
        const double other_rate = static_cast<double>(other_hits) / other_reads, same_rate = static_cast<double>(same_hits) / same_reads;
        std::printf("%-13s %9.1f %9.1f %6.3f %9.1f %6.3f %9.1f %9.1f %6.3f %9.1f %7.1fx %9.1f %7.1f%% %9.1f %7.1f%%\n", q.name,
                    md, mc, mc / md, ms, ms / md, mdd, mcd, mcd / mdd, mh, md / mh, median(other), 100 * other_rate,
                    median(same), 100 * same_rate);
        if (&q == &queries[0]) point_speedup = md / mh;
        worst_cold = std::max(worst_cold, mc / md);
        worst_cold_described = std::max(worst_cold_described, mcd / mdd);
        worst_stored = std::max(worst_stored, ms / md);
        other_hit_rate = std::min(other_hit_rate, other_rate);
        shared_rows.push_back({md, mh});
        for (const auto& times : shared_hot) shared_rows.back().push_back(median(times));
    }
    std::printf("targets: hot point select %.1fx faster than direct (>= 10x); %.1fx faster than a pgpool-II memqcache hit "
                "at 0.56x of direct (>= 5x); cold at most %.3fx of direct, %.3fx with a reader that describes its "
                "columns (<= 1.1x; %.3fx when every miss is stored); hit rate with writes to another table %.1f%% (the "
                "reads' own first miss aside: untouched)\n",
                point_speedup, point_speedup * 0.56, worst_cold, worst_cold_described, worst_stored, 100 * other_hit_rate);
    // A connection per request (CGI, PHP without persistent connections): connect, the point
    // select (a hit after the first time), disconnect; the two in turns.
    std::vector<double> connect_direct, connect_shim;
    for (int round = 0; round < rounds; ++round) {
        double spent[2] = {0, 0};
        for (int i = 0; i < 10; ++i)
            for (int shim = 0; shim < 2; ++shim) {
                const double start = now(CLOCK_MONOTONIC);
                Connection(shim ? shim_dsn : direct_dsn).run(queries[0].sql);
                spent[shim] += now(CLOCK_MONOTONIC) - start;
            }
        connect_direct.push_back(spent[0] / 10);
        connect_shim.push_back(spent[1] / 10);
    }
    std::printf("connect, point select, disconnect: direct %.1f, Cachalot %.1f (%.3fx), microseconds\n",
                median(connect_direct), median(connect_shim), median(connect_shim) / median(connect_direct));
    if (shared_dsns.empty()) return 0;
    // Hits from shared stores: a round trip to the store and the entry's decoding.
    std::printf("\nhot hits by store, microseconds per read (ratio: of direct)\n%-13s %9s %9s", "query", "direct", "memory");
    for (const auto& dsn : shared_dsns) std::printf(" %26s %6s", dsn.c_str(), "ratio");
    std::printf("\n");
    for (std::size_t i = 0; i < shared_rows.size(); ++i) {
        const auto& row = shared_rows[i];
        std::printf("%-13s %9.1f %9.1f", queries[i].name, row[0], row[1]);
        for (std::size_t s = 2; s < row.size(); ++s) std::printf(" %26.1f %6.3f", row[s], row[s] / row[0]);
        std::printf("\n");
    }
    std::printf("targets: a shared store's hit on the point select at most 0.333x of direct and faster than a pgpool-II "
                "memqcache hit (0.56x):");
    for (std::size_t s = 2; s < shared_rows[0].size(); ++s) std::printf(" %.3fx", shared_rows[0][s] / shared_rows[0][0]);
    std::printf("\n");
    return 0;
}
