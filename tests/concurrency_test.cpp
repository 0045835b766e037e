// Writers and readers on several threads and connections at once: every read returns, for each
// row, a value at least as new as the last write that committed before the read began. Part
// of every run, and of the ThreadSanitizer build (test.sh).
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <sstream>
#include <thread>

#include "driver/cachalot_odbc.h"
#include "tests/backend_test.hpp"
#include "tests/store_server.hpp"

namespace cachalot::test {
namespace {

constexpr int writers = 2, readers = 3;
constexpr int writes_per_writer = 600, reads_per_reader = 2000;

class Concurrency : public PerBackend {
protected:
    // SQLite: wait for locks instead of failing at once, and skip fsync.
    std::string connection() const {
        return "DSN=" + GetParam().shim + (GetParam().postgres ? "" : ";Timeout=20000;SyncPragma=OFF");
    }
};

// Runs `sql` until it succeeds (SQLite may still report a busy database); false if it never does.
bool run_until_done(SQLHSTMT stmt, const std::string& sql) {
    for (int attempt = 0; attempt < 50; ++attempt) {
        SQLRETURN rc = SQLExecDirect(stmt, (SQLCHAR*)sql.c_str(), SQL_NTS);
        if (SQL_SUCCEEDED(rc) || rc == SQL_NO_DATA) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

// Writers and readers on `connection` while `disturb` (when given) runs on its own thread
// until they are done: no read may be older than the last write committed before it began.
void check_reads_never_older(const std::string& connection, const std::string& label,
                             const std::function<void(const std::atomic<bool>& done)>& disturb = {}) {
    {
        Session setup;
        ASSERT_TRUE(SQL_SUCCEEDED(setup.driver_connect(connection))) << diagnostics(SQL_HANDLE_DBC, setup.dbc);
        setup.run("DROP TABLE IF EXISTS c_conc");
        setup.run("DROP TABLE IF EXISTS c_conc_other");
        setup.run("CREATE TABLE c_conc (id INTEGER PRIMARY KEY, v INTEGER)");
        setup.run("CREATE TABLE c_conc_other (v INTEGER)");
        setup.run("INSERT INTO c_conc VALUES (0, 0), (1, 0)");
        setup.run("INSERT INTO c_conc_other VALUES (0)");
    }
    std::atomic<int> committed[writers] = {};
    std::atomic<long> violations{0}, hits{0}, failures{0}, reads_done{0};
    std::atomic<int> writers_left{writers};
    std::vector<std::thread> threads;
    std::atomic<bool> done{false};
    std::thread disturbance([&] {
        if (disturb) disturb(done);
    });
    for (int w = 0; w < writers; ++w)
        threads.emplace_back([&, w] {
            Session session;
            if (!SQL_SUCCEEDED(session.driver_connect(connection))) return void(++failures);
            SQLHSTMT stmt = session.statement();
            for (int n = 1; n <= writes_per_writer; ++n) {
                // Every fifth write goes to a table the readers do not read.
                if (n % 5 == 0 && !run_until_done(stmt, "UPDATE c_conc_other SET v = " + std::to_string(n))) ++failures;
                if (!run_until_done(stmt, "UPDATE c_conc SET v = " + std::to_string(n) + " WHERE id = " + std::to_string(w))) {
                    ++failures;
                    continue;
                }
                committed[w].store(n);
            }
            --writers_left;
        });
    for (int r = 0; r < readers; ++r)
        threads.emplace_back([&] {
            Session session;
            if (!SQL_SUCCEEDED(session.driver_connect(connection))) return void(++failures);
            SQLHSTMT stmt = session.statement();
            // Reads go on while writers write, and at least reads_per_reader times.
            for (int i = 0; i < reads_per_reader || writers_left.load() > 0; ++i) {
                int floor[writers];
                for (int w = 0; w < writers; ++w) floor[w] = committed[w].load();
                if (!run_until_done(stmt, "SELECT id, v FROM c_conc ORDER BY id")) {
                    ++failures;
                    continue;
                }
                SQLULEN hit = 0;
                SQLGetStmtAttr(stmt, SQL_ATTR_CACHALOT_HIT, &hit, 0, nullptr);
                hits += hit ? 1 : 0;
                SQLINTEGER id = 0, v = 0;
                SQLLEN length = 0;
                while (SQL_SUCCEEDED(SQLFetch(stmt))) {
                    SQLGetData(stmt, 1, SQL_C_SLONG, &id, 0, &length);
                    SQLGetData(stmt, 2, SQL_C_SLONG, &v, 0, &length);
                    if (id >= 0 && id < writers && v < floor[id]) ++violations;
                }
                SQLCloseCursor(stmt);
                ++reads_done;
            }
        });
    for (auto& thread : threads) thread.join();
    done = true;
    disturbance.join();
    EXPECT_EQ(violations.load(), 0);
    EXPECT_EQ(failures.load(), 0);
    EXPECT_GE(reads_done.load(), readers * reads_per_reader);
    EXPECT_GT(hits.load(), 0) << "the cache was never hit: the test proves nothing";
    std::cout << "[ concurrency ] " << label << ": " << hits.load() << " hits in " << reads_done.load() << " reads\n";
}

TEST_P(Concurrency, ReadsAreNeverOlderThanTheLastCommittedWrite) { check_reads_never_older(connection(), GetParam().name); }

// The in-process cache on both databases, and each shared store once.
std::vector<Backend> concurrency_backends() {
    std::vector<Backend> chosen;
    for (const auto& backend : cache_backends())
        for (const char* name : {"sqlite", "pg_unicode", "pg_unicode_redis", "sqlite_memcached"})
            if (backend.name == name) chosen.push_back(backend);
    return chosen;
}

INSTANTIATE_TEST_SUITE_P(Drivers, Concurrency, ::testing::ValuesIn(concurrency_backends()),
                         [](const ::testing::TestParamInfo<Backend>& info) { return info.param.name; });

// A shared store that forgets everything while readers and writers run: FLUSHALL every few
// milliseconds, or a maxmemory so small that allkeys-lru evicts tokens and entries all along.
std::string sqlite_on(const StoreServer& server) {
    return "DSN=sqlite-cachalot;Timeout=20000;SyncPragma=OFF;Cache=" + server.location();
}

TEST(StoreFaults, FlushAllMidRunNeverServesAStaleRow) {
    StoreServer redis("redis");
    int flushes = 0;
    check_reads_never_older(sqlite_on(redis), "redis flushed", [&](const std::atomic<bool>& done) {
        for (; !done; ++flushes) {
            redis.redis("FLUSHALL");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    EXPECT_GT(flushes, 3);
}

TEST(StoreFaults, TinyMaxmemoryEvictingUnderLoadNeverServesAStaleRow) {
    StoreServer redis("redis", {"--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"});
    check_reads_never_older(sqlite_on(redis), "redis evicting", [&](const std::atomic<bool>& done) {
        Session filler;  // distinct 20 KB results, stored one after the other
        if (!SQL_SUCCEEDED(filler.driver_connect(sqlite_on(redis)))) return;
        SQLHSTMT stmt = filler.statement();
        const std::string padding(20000, 'x');
        for (int n = 0; !done; ++n) {
            const std::string sql = "SELECT v, '" + padding + "' FROM c_conc_other WHERE v > -" + std::to_string(n);
            SQLExecDirect(stmt, (SQLCHAR*)sql.c_str(), SQL_NTS);
            while (SQL_SUCCEEDED(SQLFetch(stmt))) {
            }
            SQLCloseCursor(stmt);
        }
    });
    const std::string stats = redis.redis("INFO stats");
    const auto at = stats.find("evicted_keys:");
    ASSERT_NE(at, std::string::npos);
    EXPECT_GT(std::atol(stats.c_str() + at + 13), 0) << "nothing was evicted: the test proves nothing";
}

}  // namespace
}  // namespace cachalot::test
