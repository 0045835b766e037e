// Shared caches across processes, and what happens when the store fails. Every application
// here is a separate process (tests/sql_client.cpp) on the same DSN: process A caches, process
// B writes, A must read the new data; then the store is down at connect, killed mid-run and
// brought back, frozen while a write's invalidation is sent, and filled with garbage.
#include <gtest/gtest.h>

#include <fcntl.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "tests/backend_test.hpp"
#include "tests/store_server.hpp"

namespace cachalot::test {
namespace {

using namespace std::chrono_literals;

// An ODBC application in another process, driven line by line.
class Client {
public:
    explicit Client(const std::string& connection) {
        int to_child[2], from_child[2];
        if (pipe(to_child) != 0 || pipe(from_child) != 0) return;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
        posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
        posix_spawn_file_actions_addclose(&actions, to_child[1]);
        posix_spawn_file_actions_addclose(&actions, from_child[0]);
        std::string program = CACHALOT_SQL_CLIENT, argument = connection;
        char* argv[] = {program.data(), argument.data(), nullptr};
        if (posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv, environ) != 0) pid_ = 0;
        posix_spawn_file_actions_destroy(&actions);
        close(to_child[0]);
        close(from_child[1]);
        in_ = fdopen(to_child[1], "w");
        out_ = fdopen(from_child[0], "r");
    }
    ~Client() {
        if (in_) fclose(in_);
        if (out_) fclose(out_);
        if (pid_) waitpid(pid_, nullptr, 0);
    }

    // The answer to one line: rows, then the "=..." line.
    std::string run(const std::string& line) {
        fprintf(in_, "%s\n", line.c_str());
        fflush(in_);
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
    FILE* in_ = nullptr;
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

std::vector<Backend> shared_backends() {
    std::vector<Backend> shared;
    for (const auto& backend : cache_backends())
        if (!backend.store.empty()) shared.push_back(backend);
    return shared;
}

INSTANTIATE_TEST_SUITE_P(Stores, CrossProcess, ::testing::ValuesIn(shared_backends()),
                         [](const ::testing::TestParamInfo<Backend>& info) { return info.param.name; });

}  // namespace
}  // namespace cachalot::test
