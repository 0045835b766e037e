// Shared caches across processes, and what happens when the store fails. Every application
// here is a separate process (tests/sql_client.cpp) on the same DSN: process A caches, process
// B writes, A must read the new data; then the store is down at connect, killed mid-run and
// brought back, frozen while a write's invalidation is sent, and filled with garbage. And the
// in-process cache's CacheMemorySize, which needs a process of its own (one cache per process).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "tests/backend_test.hpp"
#include "tests/store_server.hpp"

namespace cachalot::test {
namespace {

using namespace std::chrono_literals;

// An ODBC application in another process, driven line by line. Its input is a socket, so that
// writing to a client that died is an error here rather than a SIGPIPE for the whole test.
class Client {
public:
    // `environment`: NAME=value entries that replace the test's own.
    explicit Client(const std::string& connection, const std::vector<std::string>& environment = {}) {
        int to_child[2], from_child[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, to_child) != 0 || pipe2(from_child, O_CLOEXEC) != 0)
            return;  // no other child may hold them
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
        posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
        posix_spawn_file_actions_addclose(&actions, to_child[1]);
        posix_spawn_file_actions_addclose(&actions, from_child[0]);
        std::string program = CACHALOT_SQL_CLIENT, argument = connection;
        char* argv[] = {program.data(), argument.data(), nullptr};
        std::vector<std::string> variables = environment;
        for (char** variable = environ; *variable; ++variable) {
            const std::string name = std::string(*variable).substr(0, std::string(*variable).find('=') + 1);
            if (std::none_of(environment.begin(), environment.end(), [&](const std::string& e) { return e.rfind(name, 0) == 0; }))
                variables.push_back(*variable);
        }
        std::vector<char*> envp;
        for (auto& variable : variables) envp.push_back(variable.data());
        envp.push_back(nullptr);
        if (posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv, envp.data()) != 0) pid_ = 0;
        posix_spawn_file_actions_destroy(&actions);
        close(to_child[0]);
        close(from_child[1]);
        in_ = to_child[1];
        out_ = fdopen(from_child[0], "r");
    }
    ~Client() {
        if (in_ >= 0) close(in_);
        if (out_) fclose(out_);
        if (pid_) waitpid(pid_, nullptr, 0);
    }

    // The answer to one line: rows, then the "=..." line.
    std::string run(const std::string& line) {
        const std::string sent = line + "\n";
        if (send(in_, sent.data(), sent.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(sent.size())) return "";
        std::string answer;
        char buffer[4096];
        while (fgets(buffer, sizeof buffer, out_)) {
            answer += buffer;
            if (buffer[0] == '=') break;
        }
        return answer;
    }
    // A counter from the DSN's SQL_ATTR_CACHALOT_STATS ("hits", "store_errors", "store"...).
    long counter(const std::string& name) {
        const std::string json = run("!stats"), key = "\"" + name + "\":";
        const auto at = json.find(key);
        return at == std::string::npos ? -1 : std::atol(json.c_str() + at + key.size());
    }

private:
    pid_t pid_ = 0;
    int in_ = -1;
    FILE* out_ = nullptr;
};

const std::string select_v = "SELECT v FROM xp WHERE id = 1";

// A fresh xp table (id 1, v 0), made through the cache DSN so that its entries go too.
void make_table(Client& client) {
    for (const char* sql : {"DROP TABLE IF EXISTS xp", "CREATE TABLE xp (id INTEGER PRIMARY KEY, v INTEGER)",
                            "INSERT INTO xp VALUES (1, 0)"})
        EXPECT_EQ(client.run(sql), "=miss\n") << sql;
}

class CrossProcess : public PerBackend {
protected:
    std::string connection() const { return "DSN=" + GetParam().shim + (GetParam().postgres ? "" : ";Timeout=20000"); }
};

TEST_P(CrossProcess, AWriteInOneProcessIsSeenByTheNextReadInAnother) {
    Client a(connection()), b(connection());
    make_table(b);
    EXPECT_EQ(a.run(select_v), "0\n=miss\n");
    EXPECT_EQ(a.run(select_v), "0\n=hit\n");
    EXPECT_EQ(b.run("UPDATE xp SET v = 1 WHERE id = 1"), "=miss\n");
    EXPECT_EQ(a.run(select_v), "1\n=miss\n");
    EXPECT_EQ(a.run(select_v), "1\n=hit\n");
    // A transaction in B (autocommit off): A keeps the committed value until B commits.
    EXPECT_EQ(b.run("!autocommit off"), "=ok\n");
    EXPECT_EQ(b.run("UPDATE xp SET v = 2 WHERE id = 1"), "=miss\n");
    EXPECT_EQ(a.run(select_v), "1\n=hit\n");
    EXPECT_EQ(b.run("!commit"), "=ok\n");
    EXPECT_EQ(a.run(select_v), "2\n=miss\n");
    EXPECT_EQ(b.run("!autocommit on"), "=ok\n");
    // BEGIN ... COMMIT in SQL.
    EXPECT_EQ(a.run(select_v), "2\n=hit\n");
    EXPECT_EQ(b.run("BEGIN"), "=miss\n");
    EXPECT_EQ(b.run("UPDATE xp SET v = 3 WHERE id = 1"), "=miss\n");
    EXPECT_EQ(a.run(select_v), "2\n=hit\n");
    EXPECT_EQ(b.run("COMMIT"), "=miss\n");
    EXPECT_EQ(a.run(select_v), "3\n=miss\n");
}

// Every query's second read is a hit, whichever server its entry lands on (with two memcached
// servers, tokens compared across lookups once came from different servers: no hits at all
// for about half the queries).
TEST_P(CrossProcess, EveryQueryHitsOnItsSecondRead) {
    Client a(connection());
    make_table(a);
    for (int i = 0; i < 24; ++i) {
        const std::string sql = select_v + " AND " + std::to_string(i) + " = " + std::to_string(i);
        EXPECT_EQ(a.run(sql), "0\n=miss\n") << sql;
        EXPECT_EQ(a.run(sql), "0\n=hit\n") << sql;
    }
}

// A driver reads defaults from its odbcinst.ini section (psqlODBC: BoolsAsChar=0 describes a
// boolean as SQL_BIT, not SQL_VARCHAR): a process whose section differs, on another machine or
// after an edit, must not be served entries that another one stored.
TEST_P(CrossProcess, TheRealDriversOdbcinstSectionIsPartOfTheKey) {
    if (!GetParam().postgres) GTEST_SKIP() << "psqlODBC's defaults";
    const std::string ini = std::getenv("ODBCSYSINI"), other = ini + "-bools-as-bit";
    ASSERT_EQ(std::system(("rm -rf '" + other + "' && cp -r '" + ini + "' '" + other + "'").c_str()), 0);
    std::stringstream odbcinst;
    odbcinst << std::ifstream(ini + "/odbcinst.ini").rdbuf();
    std::string text = odbcinst.str();
    const auto section = text.find("[PostgreSQL Unicode]\n");
    ASSERT_NE(section, std::string::npos);
    text.insert(section + std::strlen("[PostgreSQL Unicode]\n"), "BoolsAsChar=0\n");
    std::ofstream(other + "/odbcinst.ini") << text;
    const std::string sql = "SELECT true AS bits";
    Client as_char(connection());
    Client as_bit(connection(), {"ODBCSYSINI=" + other, "ODBCINI=" + other + "/odbc.ini"});
    as_char.run(sql);
    EXPECT_EQ(as_char.run(sql), "1\n=hit\n");
    EXPECT_EQ(as_bit.run(sql), "1\n=miss\n");
    EXPECT_EQ(as_bit.run(sql), "1\n=hit\n");
}

// Settings the client sends when it connects (libpq's PGOPTIONS, PGTZ) are part of the key:
// processes started with other ones are never served each other's entries.
TEST_P(CrossProcess, SettingsTheClientSendsArePartOfTheKey) {
    if (!GetParam().postgres) GTEST_SKIP() << "libpq's environment";
    Client setup(connection());
    for (const char* sql : {"DROP SCHEMA IF EXISTS xs1 CASCADE", "DROP SCHEMA IF EXISTS xs2 CASCADE", "CREATE SCHEMA xs1",
                            "CREATE SCHEMA xs2", "CREATE TABLE xs1.xs (v VARCHAR(5))", "CREATE TABLE xs2.xs (v VARCHAR(5))",
                            "INSERT INTO xs1.xs VALUES ('one')", "INSERT INTO xs2.xs VALUES ('two')"})
        EXPECT_EQ(setup.run(sql), "=miss\n") << sql;
    Client one(connection(), {"PGOPTIONS=-c search_path=xs1"}), two(connection(), {"PGOPTIONS=-c search_path=xs2"});
    EXPECT_EQ(one.run("SELECT v FROM xs"), "one\n=miss\n");
    EXPECT_EQ(one.run("SELECT v FROM xs"), "one\n=hit\n");
    EXPECT_EQ(two.run("SELECT v FROM xs"), "two\n=miss\n");
    EXPECT_EQ(two.run("SELECT v FROM xs"), "two\n=hit\n");
}

std::vector<Backend> shared_backends() {
    std::vector<Backend> shared;
    for (const auto& backend : cache_backends())
        if (!backend.store.empty()) shared.push_back(backend);
    return shared;
}

INSTANTIATE_TEST_SUITE_P(Stores, CrossProcess, ::testing::ValuesIn(shared_backends()),
                         [](const ::testing::TestParamInfo<Backend>& info) { return info.param.name; });

// A fresh SQLite xp table (id 1, v 0), made directly: the caches under test never saw it.
void make_direct_table() {
    Client setup("DSN=sqlite");
    for (const char* sql : {"DROP TABLE IF EXISTS xp", "CREATE TABLE xp (id INTEGER PRIMARY KEY, v INTEGER)",
                            "INSERT INTO xp VALUES (1, 0)"})
        ASSERT_EQ(setup.run(sql), "=miss\n") << sql;
}

// A store of the test's own, killed, frozen or garbled at will, in front of SQLite.
class StoreFault : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        make_direct_table();
        log_ = ::testing::TempDir() + "store_fault_" + GetParam() + ".log";
        std::remove(log_.c_str());
    }
    std::string connection(const std::string& cache) const {
        return "DSN=sqlite-cachalot;Timeout=20000;Cache=" + cache + ";CacheLog=" + log_;
    }
    // The CacheLog lines of the test's clients that contain `text`.
    int log_lines(const std::string& text) const {
        std::ifstream in(log_);
        int n = 0;
        for (std::string line; std::getline(in, line);) n += line.find(text) != std::string::npos;
        return n;
    }

    std::string log_;
};

TEST_P(StoreFault, DownAtConnectCostsTheCacheAndOneLogLine) {
    Client a(connection(GetParam() + "://127.0.0.1:" + std::to_string(free_port())));
    for (int i = 0; i < 5; ++i) EXPECT_EQ(a.run(select_v), "0\n=miss\n");
    EXPECT_EQ(log_lines("unavailable"), 1);
    EXPECT_EQ(a.counter("store_errors"), 1);  // then it backed off
    EXPECT_EQ(a.counter("store"), 5);         // every query passed through
}

TEST_P(StoreFault, KilledMidRunThenBackCachingResumes) {
    StoreServer server(GetParam());
    Client a(connection(server.location()));
    EXPECT_EQ(a.run(select_v), "0\n=miss\n");
    EXPECT_EQ(a.run(select_v), "0\n=hit\n");
    server.stop();
    for (int i = 0; i < 50; ++i) ASSERT_EQ(a.run(select_v), "0\n=miss\n") << i;
    EXPECT_LE(a.counter("store_errors"), 3) << "a store that is down must not cost every query its timeout";
    EXPECT_EQ(a.run("UPDATE xp SET v = 1 WHERE id = 1"), "=miss\n");  // its invalidation waits
    ASSERT_TRUE(server.start());
    std::string answer;
    for (int i = 0; i < 100 && answer != "1\n=hit\n"; ++i) {
        answer = a.run(select_v);
        ASSERT_EQ(answer.substr(0, 2), "1\n");
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(answer, "1\n=hit\n") << "caching did not resume";
    EXPECT_EQ(log_lines("answers again"), 1);
}

// The store freezes while process W writes: W's invalidation cannot be delivered. W keeps it,
// reads nothing of the database from the store meanwhile, and delivers it once the store
// answers; then process P, which had the old row cached, reads the new one.
TEST_P(StoreFault, AnUndeliveredInvalidationIsKeptAndRetried) {
    StoreServer server(GetParam());
    Client p(connection(server.location())), w(connection(server.location()));
    EXPECT_EQ(p.run(select_v), "0\n=miss\n");
    EXPECT_EQ(p.run(select_v), "0\n=hit\n");
    server.freeze();
    EXPECT_EQ(w.run("UPDATE xp SET v = 1 WHERE id = 1"), "=miss\n");
    EXPECT_EQ(log_lines("invalidation not delivered"), 1);
    EXPECT_EQ(w.run(select_v), "1\n=miss\n");
    server.resume();
    std::this_thread::sleep_for(1500ms);  // past W's backoff
    EXPECT_EQ(w.run(select_v).substr(0, 2), "1\n");  // delivers, then reads (and may store)
    EXPECT_EQ(p.run(select_v).substr(0, 2), "1\n");
    EXPECT_EQ(p.run(select_v), "1\n=hit\n");
}

// A table xp_big of one 1.4 MB value.
void make_big_table() {
    Client setup("DSN=sqlite");
    EXPECT_EQ(setup.run("DROP TABLE IF EXISTS xp_big"), "=miss\n");
    EXPECT_EQ(setup.run("CREATE TABLE xp_big AS SELECT hex(zeroblob(700000)) AS big"), "=miss\n");
}

// A 1.4 MB result (CacheMaxEntrySize allows it): memcached's 1 MB items cannot hold it, so it
// is served and not stored, and the store stays in use; Redis keeps it.
TEST_P(StoreFault, AnEntryOverTheStoresItemLimitIsServedNotStored) {
    StoreServer server(GetParam());
    make_big_table();
    Client a(connection(server.location()) + ";CacheMaxEntrySize=4000000");
    const std::string big = "SELECT length(big), big FROM xp_big";
    const std::string first = a.run(big);
    EXPECT_EQ(first.substr(0, 8), "1400000|");
    const std::string second = a.run(big);
    EXPECT_EQ(second, first.substr(0, first.find("\n=") + 1) + (GetParam() == "memcached" ? "=miss\n" : "=hit\n"));
    EXPECT_EQ(log_lines("the store refused it"), GetParam() == "memcached" ? 2 : 0);
    EXPECT_EQ(a.counter("store_errors"), 0);
    EXPECT_EQ(a.run(select_v).substr(0, 2), "0\n");
    EXPECT_EQ(a.run(select_v), "0\n=hit\n");
}

// The store dies while a slow query runs, after its lookup: storing the 1.4 MB result then
// writes to a connection the server has closed. That must cost the cache, never a SIGPIPE,
// which would kill an application that does not ignore it.
TEST_P(StoreFault, AStoreThatDiesBeforeAStoreCostsNoSignal) {
    StoreServer server(GetParam());
    make_big_table();
    Client a(connection(server.location()) + ";CacheMaxEntrySize=4000000");
    EXPECT_EQ(a.run(select_v), "0\n=miss\n");
    std::thread killer([&] {
        std::this_thread::sleep_for(300ms);
        server.stop();
    });
    const std::string answer = a.run(
        "SELECT length(big), big FROM xp_big WHERE (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
        "WHERE x < 3000000) SELECT count(*) FROM c) > 0");
    killer.join();
    EXPECT_EQ(answer.substr(0, 8), "1400000|");
    EXPECT_EQ(a.run(select_v).substr(0, 2), "0\n") << "the client process is gone";
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreFault, ::testing::Values("redis", "memcached"),
                         [](const auto& info) { return info.param; });

// A Redis that restarts from a snapshot taken before the last write gets the old tokens and
// the old entry back: the shim must not serve it (tokens are read through the server's run_id).
TEST(RedisRestart, FromAnOldSnapshotNeverServesAStaleRow) {
    make_direct_table();
    const std::string dir = ::testing::TempDir();
    const std::string file = "cachalot-snapshot-" + std::to_string(free_port()) + ".rdb";
    StoreServer server("redis", {"--dir", dir, "--dbfilename", file});
    Client a("DSN=sqlite-cachalot;Timeout=20000;Cache=" + server.location());
    EXPECT_EQ(a.run(select_v), "0\n=miss\n");
    EXPECT_EQ(a.run(select_v), "0\n=hit\n");
    EXPECT_EQ(server.redis("SAVE"), "OK\n");
    EXPECT_EQ(a.run("UPDATE xp SET v = 1 WHERE id = 1"), "=miss\n");
    server.stop();
    ASSERT_TRUE(server.start());
    EXPECT_NE(server.redis("DBSIZE"), "0\n") << "the snapshot was not loaded: the test proves nothing";
    std::string answer;
    for (int i = 0; i < 100 && answer != "1\n=hit\n"; ++i) {
        answer = a.run(select_v);
        ASSERT_EQ(answer.substr(0, 2), "1\n") << "a stale row from the reloaded snapshot";
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(answer, "1\n=hit\n");
    std::remove((dir + file).c_str());
}

class RedisFault : public ::testing::Test {
protected:
    void SetUp() override { make_direct_table(); }
};

// Bytes that are not ours under every key the shim wrote: misses, the right rows, no crash.
TEST_F(RedisFault, GarbageUnderEveryKeyIsAMiss) {
    StoreServer server("redis");
    Client a("DSN=sqlite-cachalot;Timeout=20000;Cache=" + server.location());
    EXPECT_EQ(a.run("UPDATE xp SET v = 0 WHERE id = 1"), "=miss\n");
    for (const std::string garbage : {"SETRANGE %s 30 garbage", "SET %s CCHL", "SET %s \\x01\\x02\\xff",
                                      "SET %s 0123456789abcdef0", "APPEND %s x"}) {
        EXPECT_EQ(a.run(select_v).substr(0, 2), "0\n") << garbage;
        EXPECT_EQ(a.run(select_v), "0\n=hit\n") << garbage;
        std::istringstream keys(server.redis("--scan --pattern 'cachalot1:*'"));
        int garbled = 0;
        for (std::string key; std::getline(keys, key); ++garbled) {
            char command[256];
            std::snprintf(command, sizeof command, garbage.c_str(), key.c_str());
            server.redis(command);
        }
        EXPECT_GT(garbled, 1);
        EXPECT_EQ(a.run(select_v), "0\n=miss\n") << garbage;
    }
}

// redis://:password@host:port/db and redis+unix:///path; a wrong password costs the cache only.
TEST_F(RedisFault, PasswordDatabaseAndUnixSocket) {
    StoreServer locked("redis", {"--requirepass", "s3cret"});
    const std::string socket = ::testing::TempDir() + "cachalot-redis-" + std::to_string(locked.port()) + ".sock";
    StoreServer local("redis", {"--unixsocket", socket});
    const std::string host_port = "127.0.0.1:" + std::to_string(locked.port());
    for (const std::string& cache : {"redis://:s3cret@" + host_port + "/3", "redis+unix://" + socket}) {
        Client a("DSN=sqlite-cachalot;Timeout=20000;Cache=" + cache);
        EXPECT_EQ(a.run(select_v), "0\n=miss\n") << cache;
        EXPECT_EQ(a.run(select_v), "0\n=hit\n") << cache;
    }
    EXPECT_NE(locked.redis("-a s3cret -n 3 --no-auth-warning DBSIZE"), "0\n");
    Client wrong("DSN=sqlite-cachalot;Timeout=20000;Cache=redis://:wrong@" + host_port);
    EXPECT_EQ(wrong.run(select_v), "0\n=miss\n");
    EXPECT_EQ(wrong.run(select_v), "0\n=miss\n");
    EXPECT_EQ(wrong.counter("store_errors"), 1);
    local.stop();
    std::remove(socket.c_str());  // a killed Redis leaves its socket file behind
}

// 200 distinct small results in a 640 KB cache (16 shards of 40 KB) do not all stay: the
// least recently used go, the last ones read stay; with the default 64 MB all stay. A result
// larger than a shard is served and never kept.
TEST(MemoryStoreSize, CacheMemorySizeBoundsTheProcessCacheWithLRU) {
    make_direct_table();
    auto query = [](int n) { return "SELECT v, '" + std::string(1000, 'p') + std::to_string(n) + "' FROM xp"; };
    auto misses_on_second_pass = [&](Client& client, int last_hits) {
        for (int n = 0; n < 200; ++n) EXPECT_EQ(client.run(query(n)).substr(0, 2), "0|");
        for (int n = 200 - last_hits; n < 200; ++n) EXPECT_NE(client.run(query(n)).find("=hit"), std::string::npos) << n;
        int misses = 0;
        for (int n = 0; n < 200 - last_hits; ++n) misses += client.run(query(n)).find("=miss") != std::string::npos;
        return misses;
    };
    // CacheEveryMiss: these 200 statements differ only in a value and none is read twice yet.
    Client small("DSN=sqlite-cachalot;CacheMemorySize=655360;CacheEveryMiss=1");
    EXPECT_GT(misses_on_second_pass(small, 5), 20);
    const std::string huge = "SELECT v, '" + std::string(50000, 'h') + "' FROM xp";
    EXPECT_EQ(small.run(huge).substr(0, 2), "0|");
    EXPECT_NE(small.run(huge).find("=miss"), std::string::npos);
    Client ample("DSN=sqlite-cachalot;CacheEveryMiss=1");
    EXPECT_EQ(misses_on_second_pass(ample, 5), 0);
    EXPECT_NE(ample.run(huge).find("=miss"), std::string::npos);
    EXPECT_NE(ample.run(huge).find("=hit"), std::string::npos);
}

}  // namespace
}  // namespace cachalot::test
