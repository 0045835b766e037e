// The cache through unixODBC like an application: every write shape the scanner knows makes
// the next read fresh (read -> write -> read, compared with the direct DSN), transactions seen
// from a second connection, views, cascading foreign keys, temporary tables, sessions, users,
// and every setting.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "cache/admission.hpp"
#include "driver/cachalot_odbc.h"
#include "tests/backend_test.hpp"

namespace cachalot::test {
namespace {

struct Read {
    std::string rows;  // "a|b\n" per row, NULL as \N; or "error <SQLSTATE>"
    bool hit = false;
    bool served = false;  // by the shim (hit or capture), not straight from the target
};

// Runs `sql` on a new statement of `session` and reads every row as text.
Read read(Session& session, const std::string& sql) {
    Read result;
    SQLHSTMT stmt = session.statement();
    SQLRETURN rc = SQLExecDirect(stmt, (SQLCHAR*)sql.c_str(), SQL_NTS);
    if (!SQL_SUCCEEDED(rc)) {
        SQLCHAR state[6] = {};
        SQLINTEGER native = 0;
        SQLSMALLINT length = 0;
        SQLCHAR message[512];
        SQLGetDiagRec(SQL_HANDLE_STMT, stmt, 1, state, &native, message, sizeof message, &length);
        result.rows = "error " + std::string(reinterpret_cast<char*>(state));
        return result;
    }
    SQLULEN hit = 0;
    SQLGetStmtAttr(stmt, SQL_ATTR_CACHALOT_HIT, &hit, 0, nullptr);
    result.hit = hit == 1;
    SQLULEN served = 0;
    SQLGetStmtAttr(stmt, SQL_ATTR_CACHALOT_SERVED, &served, 0, nullptr);
    result.served = served == 1;
    SQLSMALLINT columns = 0;
    SQLNumResultCols(stmt, &columns);
    while (SQL_SUCCEEDED(SQLFetch(stmt))) {
        for (SQLSMALLINT i = 1; i <= columns; ++i) {
            char value[256];
            SQLLEN length = 0;
            SQLGetData(stmt, static_cast<SQLUSMALLINT>(i), SQL_C_CHAR, value, sizeof value, &length);
            result.rows += (i > 1 ? "|" : "") + (length == SQL_NULL_DATA ? std::string("\\N") : std::string(value));
        }
        result.rows += "\n";
    }
    SQLCloseCursor(stmt);
    return result;
}

void run_all(Session& session, const std::vector<std::string>& statements) {
    for (const auto& sql : statements) session.run(sql);
}

// The cache DSN's connection string with extra settings.
std::string with_settings(const std::string& dsn, const std::string& settings) { return "DSN=" + dsn + ";" + settings; }

void connect_or_fail(Session& session, const std::string& connection) {
    SQLRETURN rc = connection.find('=') == std::string::npos ? session.connect(connection) : session.driver_connect(connection);
    ASSERT_TRUE(SQL_SUCCEEDED(rc)) << connection << ": " << diagnostics(SQL_HANDLE_DBC, session.dbc);
}

class CacheTest : public PerBackend {
protected:
    void SetUp() override {
        PerBackend::SetUp();
        if (!ready()) return;
        connect_or_fail(direct, GetParam().direct);
        connect_or_fail(reader, GetParam().shim);
        connect_or_fail(writer, GetParam().shim);
    }
    bool postgres() const { return GetParam().postgres; }

    // Read, read again (a hit), write from the other connection, read: the new data, as the
    // direct DSN sees it.
    void expect_fresh_after(const std::vector<std::string>& setup, const std::string& query,
                            const std::vector<std::string>& writes, bool cached = true) {
        run_all(writer, setup);
        const Read first = read(reader, query);
        const Read second = read(reader, query);
        EXPECT_EQ(second.rows, first.rows);
        EXPECT_EQ(second.hit, cached) << query;
        run_all(writer, writes);
        const Read after = read(reader, query);
        EXPECT_FALSE(after.hit) << query << " after " << writes.front();
        // A fresh direct connection: SQLite ODBC's keeps describing a table as it was before DDL.
        Session now;
        connect_or_fail(now, GetParam().direct);
        EXPECT_EQ(after.rows, read(now, query).rows) << query << " after " << writes.front();
        EXPECT_NE(after.rows, first.rows) << "the write changed nothing the test can see: " << writes.front();
    }

    // Schemas c_s1 and c_s2, each with a table c_same holding 'one' and 'two'.
    void make_two_schemas() {
        run_all(writer, {"DROP SCHEMA IF EXISTS c_s1 CASCADE", "DROP SCHEMA IF EXISTS c_s2 CASCADE", "CREATE SCHEMA c_s1",
                         "CREATE SCHEMA c_s2", "CREATE TABLE c_s1.c_same (v VARCHAR(5))", "CREATE TABLE c_s2.c_same (v VARCHAR(5))",
                         "INSERT INTO c_s1.c_same VALUES ('one')", "INSERT INTO c_s2.c_same VALUES ('two')"});
    }

    // What `session` reads of c_same: "one\n" where its search path finds c_s1 first, "two\n" for c_s2.
    std::string c_same_rows(Session& session) { return read(session, "SELECT v FROM c_same").rows; }

    // A login role that owns nothing and is no superuser: grants and policies apply to it.
    void make_allowed_role() {
        writer.run("DO $$BEGIN CREATE ROLE c_allowed LOGIN PASSWORD 'allowed'; EXCEPTION WHEN duplicate_object THEN NULL; END$$");
    }
    void connect_as_allowed(Session& session) { connect_or_fail(session, "DSN=" + GetParam().shim + ";UID=c_allowed;PWD=allowed"); }

    Session direct, reader, writer;
};

TEST_P(CacheTest, UpdateInsertDeleteMakeTheNextReadFresh) {
    const std::vector<std::string> setup = {"DROP TABLE IF EXISTS c_basic", "CREATE TABLE c_basic (id INTEGER PRIMARY KEY, name VARCHAR(20))",
                                            "INSERT INTO c_basic VALUES (1, 'one'), (2, 'two')"};
    const std::string query = "SELECT id, name FROM c_basic ORDER BY id";
    expect_fresh_after(setup, query, {"UPDATE c_basic SET name = 'uno' WHERE id = 1"});
    expect_fresh_after({}, query, {"INSERT INTO c_basic VALUES (3, 'three')"});
    expect_fresh_after({}, query, {"DELETE FROM c_basic WHERE id = 2"});
    expect_fresh_after({}, query, {"INSERT INTO c_basic VALUES (4, 'four') ON CONFLICT (id) DO UPDATE SET name = 'x'"});
    expect_fresh_after({}, query, {"INSERT INTO c_basic VALUES (4, 'four') ON CONFLICT (id) DO UPDATE SET name = 'vier'"});
    expect_fresh_after({}, query, {"DELETE FROM c_basic WHERE id IN (SELECT id FROM c_basic WHERE name = 'vier')"});
    if (postgres()) {
        expect_fresh_after({}, query, {"TRUNCATE c_basic"});
        expect_fresh_after({}, query, {"WITH moved AS (INSERT INTO c_basic VALUES (9, 'nine') RETURNING id) SELECT id FROM moved"});
        expect_fresh_after({}, query, {"COPY c_basic FROM PROGRAM 'echo 10,ten' WITH (FORMAT csv)"});
    } else {
        expect_fresh_after({}, query, {"REPLACE INTO c_basic VALUES (1, 'eins')"});
        expect_fresh_after({}, query, {"INSERT OR REPLACE INTO c_basic VALUES (1, 'un')"});
    }
}

// The shapes django-cachalot's changelog lists as invalidation bugs.
TEST_P(CacheTest, JoinsSubqueriesAndHavingSeeWritesToEveryTableTheyRead) {
    run_all(writer, {"DROP TABLE IF EXISTS c_book_tag", "DROP TABLE IF EXISTS c_book", "DROP TABLE IF EXISTS c_tag",
                     "CREATE TABLE c_book (id INTEGER PRIMARY KEY, title VARCHAR(20))",
                     "CREATE TABLE c_tag (id INTEGER PRIMARY KEY, label VARCHAR(20))",
                     "CREATE TABLE c_book_tag (book_id INTEGER, tag_id INTEGER)",
                     "INSERT INTO c_book VALUES (1, 'a'), (2, 'b'), (3, 'c')", "INSERT INTO c_tag VALUES (1, 'x'), (2, 'y')",
                     "INSERT INTO c_book_tag VALUES (1, 1), (2, 1), (2, 2)"});
    // A many-to-many through table.
    expect_fresh_after({}, "SELECT b.title, t.label FROM c_book b JOIN c_book_tag bt ON bt.book_id = b.id JOIN c_tag t ON t.id = bt.tag_id ORDER BY 1, 2",
                       {"INSERT INTO c_book_tag VALUES (3, 2)"});
    // HAVING with a subquery on another table.
    expect_fresh_after({}, "SELECT tag_id, COUNT(*) FROM c_book_tag GROUP BY tag_id HAVING COUNT(*) > (SELECT COUNT(*) FROM c_tag WHERE label LIKE 'x%') ORDER BY 1",
                       {"INSERT INTO c_tag VALUES (3, 'xx')"});
    // Nested subqueries: the innermost table.
    expect_fresh_after({}, "SELECT title FROM c_book WHERE id IN (SELECT book_id FROM c_book_tag WHERE tag_id IN (SELECT id FROM c_tag WHERE label = 'y')) ORDER BY 1",
                       {"UPDATE c_tag SET label = 'y' WHERE id = 1"});
    // exclude(): NOT IN.
    expect_fresh_after({}, "SELECT title FROM c_book WHERE id NOT IN (SELECT book_id FROM c_book_tag) ORDER BY 1",
                       {"DELETE FROM c_book_tag WHERE book_id = 1"});
    // EXISTS in a derived table, UNION.
    expect_fresh_after({}, "SELECT n FROM (SELECT COUNT(*) AS n FROM c_book WHERE EXISTS (SELECT 1 FROM c_tag WHERE c_tag.id = c_book.id)) d UNION ALL SELECT COUNT(*) FROM c_book_tag",
                       {"DELETE FROM c_tag WHERE id = 1"});
    if (postgres()) {  // TABLE t, PostgreSQL's SELECT * FROM t: alone and in a set operation
        expect_fresh_after({}, "TABLE c_tag ORDER BY id", {"UPDATE c_tag SET label = 'z' WHERE id = 2"});
        expect_fresh_after({}, "SELECT id, label FROM c_tag UNION TABLE c_book ORDER BY 1, 2", {"INSERT INTO c_book VALUES (4, 'd')"});
    } else {  // SQLite's x IN t: x IN (SELECT * FROM t)
        expect_fresh_after({"DROP TABLE IF EXISTS c_pick", "CREATE TABLE c_pick (id INTEGER)", "INSERT INTO c_pick VALUES (1)"},
                           "SELECT title FROM c_book WHERE id IN c_pick ORDER BY 1", {"INSERT INTO c_pick VALUES (2)"});
    }
}

// What the scanner once misread: keywords as an alias or a table's name, columns named begin
// and event (also in a trigger's WHEN), a comment a bare carriage return ends (PostgreSQL), a
// quoted CTE name in upper case.
TEST_P(CacheTest, KeywordsAsNamesCommentsAndQuotedNamesSeeWrites) {
    run_all(writer, {"DROP TABLE IF EXISTS c_kw_a", "DROP TABLE IF EXISTS c_kw_b", "CREATE TABLE c_kw_a (v INTEGER)",
                     "CREATE TABLE c_kw_b (v INTEGER)", "INSERT INTO c_kw_a VALUES (1)", "INSERT INTO c_kw_b VALUES (1)"});
    const std::string b_rows = "SELECT count(*), sum(v) FROM c_kw_b";
    expect_fresh_after({}, postgres() ? "SELECT count(*) FROM c_kw_a AS set, c_kw_b" : "SELECT count(*) FROM c_kw_a window, c_kw_b",
                       {"INSERT INTO c_kw_b VALUES (2)"});
    expect_fresh_after({}, b_rows, {"CREATE TEMPORARY TABLE c_kw_begin (begin INTEGER); INSERT INTO c_kw_b VALUES (3)"});
    expect_fresh_after({}, b_rows, {"CREATE TEMPORARY TABLE c_kw_event AS SELECT 1 AS event, 2 AS begin; UPDATE c_kw_b SET v = 6"});
    for (const char* table : {"fail", "ignore"})
        expect_fresh_after({std::string("DROP TABLE IF EXISTS ") + table, std::string("CREATE TABLE ") + table + " (v INTEGER)",
                            std::string("INSERT INTO ") + table + " VALUES (1)"},
                           std::string("SELECT v FROM ") + table,
                           {table == std::string("fail") ? "UPDATE fail SET v = 2" : "INSERT INTO ignore VALUES (2)"});
    if (postgres()) {
        expect_fresh_after({}, "SELECT count(*) FROM c_kw_a --\r, c_kw_b", {"INSERT INTO c_kw_b VALUES (4)"});
        expect_fresh_after({}, "WITH \"C_KW_B\" AS (SELECT 1) SELECT count(*) FROM c_kw_b", {"INSERT INTO c_kw_b VALUES (5)"});
        expect_fresh_after({"CREATE TEMPORARY TABLE c_kw_tt (begin INTEGER)"}, b_rows,
                           {"CREATE TRIGGER c_kw_tr BEFORE UPDATE ON c_kw_tt FOR EACH ROW WHEN (OLD.begin IS DISTINCT FROM NEW.begin) "
                            "EXECUTE FUNCTION suppress_redundant_updates_trigger(); UPDATE c_kw_b SET v = 9"});
    }
}

// A table created in the temporary schema by name (temp.t, pg_temp.t) hides the table it names:
// never cached there. SQLite's PRAGMA x(v) sets as PRAGMA x = v does.
TEST_P(CacheTest, TemporarySchemaAndPragmasWithParenthesesSeparateEntries) {
    run_all(writer, {"DROP TABLE IF EXISTS c_kw_t", "CREATE TABLE c_kw_t (v VARCHAR(5))", "INSERT INTO c_kw_t VALUES ('A'), ('a')"});
    const std::string count = "SELECT count(*) FROM c_kw_t", like = "SELECT count(*) FROM c_kw_t WHERE v LIKE 'a%'";
    EXPECT_EQ(read(reader, count).rows, "2\n");
    Session other;
    connect_or_fail(other, GetParam().shim);
    other.run(postgres() ? "CREATE TABLE pg_temp.c_kw_t (v VARCHAR(5))" : "CREATE TABLE temp.c_kw_t (v VARCHAR(5))");
    EXPECT_EQ(read(other, count).rows, "0\n");
    EXPECT_EQ(read(other, count).rows, "0\n");
    EXPECT_EQ(read(reader, count).rows, "2\n");
    if (postgres()) return;
    EXPECT_EQ(read(reader, like).rows, "2\n");
    Session sensitive;
    connect_or_fail(sensitive, GetParam().shim);
    sensitive.run("PRAGMA case_sensitive_like(1)");
    EXPECT_EQ(read(sensitive, like).rows, "1\n");
}

TEST_P(CacheTest, DdlMakesTheNextReadFresh) {
    const std::string query = "SELECT * FROM c_ddl";
    expect_fresh_after({"DROP TABLE IF EXISTS c_ddl", "CREATE TABLE c_ddl (id INTEGER)", "INSERT INTO c_ddl VALUES (1)"}, query,
                       {"ALTER TABLE c_ddl ADD COLUMN extra INTEGER DEFAULT 7"});
    expect_fresh_after({}, query, {"DROP TABLE c_ddl", "CREATE TABLE c_ddl (other VARCHAR(5))", "INSERT INTO c_ddl VALUES ('new')"});
    // SELECT ... INTO / CREATE TABLE AS writes the new table.
    expect_fresh_after({"DROP TABLE IF EXISTS c_ddl_copy", "CREATE TABLE c_ddl_copy (other VARCHAR(5))"}, "SELECT * FROM c_ddl_copy",
                       {"DROP TABLE c_ddl_copy", "CREATE TABLE c_ddl_copy AS SELECT * FROM c_ddl"});
}

TEST_P(CacheTest, CascadingForeignKeysInvalidateTheReferencingTable) {
    run_all(writer, {"DROP TABLE IF EXISTS c_child", "DROP TABLE IF EXISTS c_parent"});
    if (!postgres()) writer.run("PRAGMA foreign_keys = ON");
    if (!postgres()) reader.run("PRAGMA foreign_keys = ON");
    if (!postgres()) direct.run("PRAGMA foreign_keys = ON");
    expect_fresh_after({"CREATE TABLE c_parent (id INTEGER PRIMARY KEY)",
                        "CREATE TABLE c_child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES c_parent (id) ON DELETE CASCADE)",
                        "INSERT INTO c_parent VALUES (1), (2)", "INSERT INTO c_child VALUES (10, 1), (20, 2)"},
                       "SELECT id, parent_id FROM c_child ORDER BY id", {"DELETE FROM c_parent WHERE id = 1"});
    // Tables named in mixed case, quoted.
    run_all(writer, {"DROP TABLE IF EXISTS \"C_Child\"", "DROP TABLE IF EXISTS \"C_Parent\""});
    expect_fresh_after({"CREATE TABLE \"C_Parent\" (id INTEGER PRIMARY KEY)",
                        "CREATE TABLE \"C_Child\" (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES \"C_Parent\" (id) ON DELETE SET NULL)",
                        "INSERT INTO \"C_Parent\" VALUES (1), (2)", "INSERT INTO \"C_Child\" VALUES (10, 1), (20, 2)"},
                       "SELECT id, parent_id FROM \"C_Child\" ORDER BY id", {"DELETE FROM \"C_Parent\" WHERE id = 1"});
}

// A partition holds rows its parent's reads return, and a write to the parent lands in a
// partition: each invalidates the other, as tables that INHERIT do.
TEST_P(CacheTest, PartitionsAndTheirParentInvalidateEachOther) {
    if (!postgres()) GTEST_SKIP() << "PostgreSQL's partitions and inheritance";
    run_all(writer, {"DROP TABLE IF EXISTS c_part", "DROP TABLE IF EXISTS c_inh_child", "DROP TABLE IF EXISTS c_inh",
                     "CREATE TABLE c_part (id INTEGER, v INTEGER) PARTITION BY RANGE (id)",
                     "CREATE TABLE c_part_low PARTITION OF c_part FOR VALUES FROM (0) TO (100)",
                     "CREATE TABLE c_part_high PARTITION OF c_part FOR VALUES FROM (100) TO (200) PARTITION BY RANGE (id)",
                     "CREATE TABLE c_part_high_a PARTITION OF c_part_high FOR VALUES FROM (100) TO (200)",
                     "INSERT INTO c_part VALUES (1, 1), (150, 1)", "CREATE TABLE c_inh (id INTEGER)",
                     "CREATE TABLE c_inh_child (extra INTEGER) INHERITS (c_inh)", "INSERT INTO c_inh_child VALUES (1, 1)"});
    expect_fresh_after({}, "SELECT id, v FROM c_part_low ORDER BY id", {"UPDATE c_part SET v = 2 WHERE id = 1"});
    expect_fresh_after({}, "SELECT id, v FROM c_part_high_a ORDER BY id", {"UPDATE c_part SET v = 2 WHERE id = 150"});
    expect_fresh_after({}, "SELECT id, v FROM c_part ORDER BY id", {"INSERT INTO c_part_high_a VALUES (160, 3)"});
    expect_fresh_after({}, "SELECT id FROM c_inh ORDER BY id", {"INSERT INTO c_inh_child VALUES (2, 2)"});
    expect_fresh_after({}, "SELECT id, extra FROM c_inh_child ORDER BY id", {"DELETE FROM c_inh WHERE id = 1"});
}

TEST_P(CacheTest, AViewIsFreshAfterAWriteToItsTables) {
    run_all(writer, {"DROP VIEW IF EXISTS c_view_outer", "DROP VIEW IF EXISTS c_view", "DROP TABLE IF EXISTS c_view_base",
                     "CREATE TABLE c_view_base (id INTEGER, amount INTEGER)", "INSERT INTO c_view_base VALUES (1, 10), (2, 20)",
                     "CREATE VIEW c_view AS SELECT id, amount * 2 AS doubled FROM c_view_base",
                     "CREATE VIEW c_view_outer AS SELECT SUM(doubled) AS total FROM c_view"});
    expect_fresh_after({}, "SELECT id, doubled FROM c_view ORDER BY id", {"UPDATE c_view_base SET amount = 11 WHERE id = 1"});
    expect_fresh_after({}, "SELECT total FROM c_view_outer", {"INSERT INTO c_view_base VALUES (3, 30)"});
}

TEST_P(CacheTest, AViewCallingAVolatileFunctionIsNeverCached) {
    const std::string now = postgres() ? "clock_timestamp()" : "strftime('%f', 'now')";
    run_all(writer, {"DROP VIEW IF EXISTS c_view_clock", "CREATE VIEW c_view_clock AS SELECT " + now + " AS at"});
    read(reader, "SELECT at FROM c_view_clock");
    EXPECT_FALSE(read(reader, "SELECT at FROM c_view_clock").hit);
}

// An application that connects with a W function (pyodbc, iusql) is cached like one that does
// not, in the same namespace, so each sees the other's writes: psqlODBC's Unicode driver then
// answers SQLGetInfo's A function in UTF-16, which the shim must not read for its target's name
// and database.
TEST_P(CacheTest, ConnectionsMadeWithWFunctionsAreCached) {
    Session wide;
    SQLWCHAR out[1024];
    SQLSMALLINT length = 0;
    ASSERT_TRUE(SQL_SUCCEEDED(SQLDriverConnectW(wide.dbc, nullptr, utf8_to_wide("DSN=" + GetParam().shim).data(), SQL_NTS,
                                                out, 1024, &length, SQL_DRIVER_NOPROMPT)));
    run_all(writer, {"DROP TABLE IF EXISTS c_wide", "CREATE TABLE c_wide (v INTEGER)", "INSERT INTO c_wide VALUES (1)"});
    EXPECT_EQ(read(wide, "SELECT v FROM c_wide").rows, "1\n");
    EXPECT_TRUE(read(wide, "SELECT v FROM c_wide").hit);
    writer.run("UPDATE c_wide SET v = 2");  // an A connection's write, in the same namespace
    EXPECT_EQ(read(wide, "SELECT v FROM c_wide").rows, "2\n");
    EXPECT_EQ(read(reader, "SELECT v FROM c_wide").rows, "2\n");
    EXPECT_TRUE(read(reader, "SELECT v FROM c_wide").hit);
    wide.run("UPDATE c_wide SET v = 3");  // and the W connection's, seen by A connections
    EXPECT_EQ(read(reader, "SELECT v FROM c_wide").rows, "3\n");
}

// Each connection to SQLite's :memory: (or to an in-memory URI) has a database of its own under
// the same name: one connection's entries are never another's rows. With cache=shared the
// connections of a process share one, and each sees the others' writes.
TEST_P(CacheTest, InMemoryDatabasesAreEachTheirOwn) {
    if (postgres()) GTEST_SKIP() << "SQLite's private databases";
    for (const std::string database : {":memory:", "file:c_private?mode=memory"}) {
        Session first, second;
        connect_or_fail(first, with_settings(GetParam().shim, "Database=" + database));
        connect_or_fail(second, with_settings(GetParam().shim, "Database=" + database));
        run_all(first, {"CREATE TABLE c_private (v INTEGER)", "INSERT INTO c_private VALUES (1)"});
        run_all(second, {"CREATE TABLE c_private (v INTEGER)", "INSERT INTO c_private VALUES (2)"});
        EXPECT_EQ(read(first, "SELECT v FROM c_private").rows, "1\n") << database;
        EXPECT_EQ(read(second, "SELECT v FROM c_private").rows, "2\n") << database;
        EXPECT_EQ(read(first, "SELECT v FROM c_private").rows, "1\n") << database;
        EXPECT_TRUE(read(first, "SELECT v FROM c_private").hit) << database;  // its own entry
    }
    Session first, second;
    const std::string shared = "Database=file:c_shared?mode=memory&cache=shared";
    connect_or_fail(first, with_settings(GetParam().shim, shared));
    connect_or_fail(second, with_settings(GetParam().shim, shared));
    run_all(first, {"CREATE TABLE c_shared (v INTEGER)", "INSERT INTO c_shared VALUES (1)"});
    EXPECT_EQ(read(second, "SELECT v FROM c_shared").rows, "1\n");
    EXPECT_TRUE(read(first, "SELECT v FROM c_shared").hit);
    second.run("UPDATE c_shared SET v = 2");
    EXPECT_EQ(read(first, "SELECT v FROM c_shared").rows, "2\n");
}

// SQLite ODBC's JDConv=1 reads numbers in date columns as Julian days, which the shim does not
// reproduce: such a connection's reads are passed through, never served, and see every write.
TEST_P(CacheTest, ADriverOptionTheShimCannotReproduceIsPassedThrough) {
    if (postgres()) GTEST_SKIP() << "SQLite ODBC's JDConv";
    run_all(writer, {"DROP TABLE IF EXISTS c_jd", "CREATE TABLE c_jd (d DATE)", "INSERT INTO c_jd VALUES (2460000.5)"});
    Session julian;
    connect_or_fail(julian, with_settings(GetParam().shim, "JDConv=1"));
    const Read before = read(julian, "SELECT d FROM c_jd");
    EXPECT_FALSE(before.served);
    EXPECT_FALSE(read(julian, "SELECT d FROM c_jd").served);
    writer.run("UPDATE c_jd SET d = 2460001.5");
    const Read after = read(julian, "SELECT d FROM c_jd");
    EXPECT_FALSE(after.served);
    EXPECT_NE(after.rows, before.rows);
    EXPECT_EQ(read(writer, "SELECT d FROM c_jd").rows, "2460001.5\n");
}

// Statements that differ only in a value, none read twice, stop being stored in the in-process
// cache after Admission::cold_after stores without a hit: they run as the target runs them. One
// that misses again is stored, and its hit stores every miss again. A shared store, whose other
// processes' hits this one cannot count, stores every miss. Every read is fresh all along.
TEST_P(CacheTest, StatementsThatNeverComeBackStopBeingStored) {
    const std::string table = "c_cold_" + GetParam().name;  // shapes are counted per process
    run_all(writer, {"DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + " (id INTEGER, v INTEGER)",
                     "INSERT INTO " + table + " VALUES (1, 10)"});
    auto by = [&](int n) { return "SELECT v FROM " + table + " WHERE id = 1 AND " + std::to_string(n) + " > 0"; };
    const int cold = static_cast<int>(cache::Admission::cold_after);
    for (int n = 1; n <= cold; ++n) EXPECT_TRUE(read(reader, by(n)).served) << n;  // captured and stored
    const Read once = read(reader, by(cold + 1));
    EXPECT_EQ(once.served, !GetParam().store.empty());
    EXPECT_EQ(once.rows, "10\n");
    Session every;
    connect_or_fail(every, with_settings(GetParam().shim, "CacheEveryMiss=1"));
    EXPECT_TRUE(read(every, by(cold + 2)).served);
    writer.run("UPDATE " + table + " SET v = 20");
    const Read again = read(reader, by(cold + 1));
    EXPECT_TRUE(again.served);
    EXPECT_FALSE(again.hit);
    EXPECT_EQ(again.rows, "20\n");
    const Read hit = read(reader, by(cold + 1));
    EXPECT_TRUE(hit.hit);
    EXPECT_EQ(hit.rows, "20\n");
    EXPECT_TRUE(read(reader, by(cold + 3)).served);  // the hit made the shape worth storing again
    writer.run("UPDATE " + table + " SET v = 30");
    const Read after = read(reader, by(cold + 1));
    EXPECT_FALSE(after.hit);
    EXPECT_EQ(after.rows, "30\n");
    EXPECT_EQ(read(direct, by(cold + 1)).rows, "30\n");
}

// A prepared statement run again and again, its results empty or not: SQLite ODBC describes an
// empty one by the previous run (an expression's column), which the shim serves without
// storing it. Every run sees the writes made before it.
TEST_P(CacheTest, APreparedStatementRunAgainSeesEachWrite) {
    run_all(writer, {"DROP TABLE IF EXISTS c_rerun", "CREATE TABLE c_rerun (id INTEGER, v INTEGER)",
                     "INSERT INTO c_rerun VALUES (1, 10)"});
    SQLHSTMT stmt = reader.statement();
    SQLINTEGER id = 0;
    SQLLEN indicator = 0;
    SQLBindParameter(stmt, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, 0, &indicator);
    ASSERT_TRUE(SQL_SUCCEEDED(SQLPrepare(stmt, (SQLCHAR*)"SELECT v + 0 FROM c_rerun WHERE id <= ? ORDER BY id", SQL_NTS)));
    auto run = [&](SQLINTEGER value) {
        id = value;
        std::string rows;
        EXPECT_TRUE(SQL_SUCCEEDED(SQLExecute(stmt))) << value;
        while (SQL_SUCCEEDED(SQLFetch(stmt))) {
            SQLINTEGER v = 0;
            SQLLEN length = 0;
            SQLGetData(stmt, 1, SQL_C_SLONG, &v, 0, &length);
            rows += std::to_string(v) + "\n";
        }
        SQLCloseCursor(stmt);
        return rows;
    };
    EXPECT_EQ(run(1), "10\n");
    EXPECT_EQ(run(0), "");
    EXPECT_EQ(run(1), "10\n");
    SQLULEN hit = 0;
    SQLGetStmtAttr(stmt, SQL_ATTR_CACHALOT_HIT, &hit, 0, nullptr);
    EXPECT_EQ(hit, 1u);  // the cache serves the run again
    EXPECT_EQ(run(0), "");
    writer.run("INSERT INTO c_rerun VALUES (0, 5)");
    EXPECT_EQ(run(0), "5\n");
    writer.run("UPDATE c_rerun SET v = 20 WHERE id = 1");
    EXPECT_EQ(run(1), "5\n20\n");
    writer.run("DELETE FROM c_rerun");
    EXPECT_EQ(run(1), "");
    EXPECT_EQ(run(0), "");
    EXPECT_EQ(read(direct, "SELECT count(*) FROM c_rerun").rows, "0\n");
}

// TABLESAMPLE draws rows at random: not cached; and its method (a handler PostgreSQL marks
// VOLATILE) is no call that could write, so no entry goes.
TEST_P(CacheTest, TableSamplesAreRandomNotWrites) {
    if (!postgres()) GTEST_SKIP() << "TABLESAMPLE is PostgreSQL's";
    run_all(writer, {"DROP TABLE IF EXISTS c_ts", "CREATE TABLE c_ts (v INTEGER)", "INSERT INTO c_ts VALUES (1)"});
    read(reader, "SELECT v FROM c_ts");
    const std::string sample = "SELECT count(*) FROM c_ts TABLESAMPLE BERNOULLI (100) REPEATABLE (7)";
    EXPECT_EQ(read(reader, sample).rows, "1\n");
    EXPECT_FALSE(read(reader, sample).hit);
    EXPECT_TRUE(read(reader, "SELECT v FROM c_ts").hit);
}

// PostgreSQL's VOLATILE built-ins that change no cachable table (sizes, recovery state, large
// objects) make a read uncachable, and no entry goes.
TEST_P(CacheTest, ServerStateFunctionsAreNotWrites) {
    if (!postgres()) GTEST_SKIP() << "PostgreSQL's built-ins";
    run_all(writer, {"DROP TABLE IF EXISTS c_state", "CREATE TABLE c_state (v INTEGER)", "INSERT INTO c_state VALUES (1)"});
    read(reader, "SELECT v FROM c_state");
    for (const char* state : {"SELECT NOT pg_is_in_recovery()", "SELECT pg_relation_size('c_state') >= 0",
                              "SELECT lo_unlink(lo_create(0)) = 1"}) {
        EXPECT_EQ(read(reader, state).rows, "1\n") << state;
        EXPECT_FALSE(read(reader, state).hit) << state;
    }
    EXPECT_TRUE(read(reader, "SELECT v FROM c_state").hit);
}

TEST_P(CacheTest, ATemporaryTableOfTheConnectionIsNeverCached) {
    reader.run("CREATE TEMP TABLE c_temp (id INTEGER)");
    reader.run("INSERT INTO c_temp VALUES (1)");
    const Read first = read(reader, "SELECT id FROM c_temp");
    EXPECT_EQ(first.rows, "1\n");
    EXPECT_FALSE(read(reader, "SELECT id FROM c_temp").hit);
    reader.run("DROP TABLE c_temp");
}

// DDL on a connection's temporary table does not move the epoch, yet it changes what a write to
// the table runs (a trigger) and what a read of a parent returns (a temporary child's rows, which
// no other connection sees): the connection reads its schema again.
TEST_P(CacheTest, CodeAndParentsOfATemporaryTableAreSeen) {
    run_all(writer, {"DROP TABLE IF EXISTS c_tmp_totals", "CREATE TABLE c_tmp_totals (n INTEGER)",
                     "INSERT INTO c_tmp_totals VALUES (0)"});
    if (postgres())
        writer.run("CREATE OR REPLACE FUNCTION c_tmp_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "UPDATE c_tmp_totals SET n = n + 1; RETURN NEW; END $$");
    writer.run("CREATE TEMP TABLE c_tmp_src (v INTEGER)");  // after the DDL that moved the epoch
    const std::string totals = "SELECT n FROM c_tmp_totals";
    if (!postgres()) {
        expect_fresh_after({"CREATE TRIGGER c_tmp_counting AFTER INSERT ON c_tmp_src BEGIN UPDATE c_tmp_totals SET n = n + 1; END"},
                           totals, {"INSERT INTO c_tmp_src VALUES (1)"});
        return;
    }
    expect_fresh_after({"CREATE TRIGGER c_tmp_counting AFTER INSERT ON c_tmp_src FOR EACH ROW EXECUTE FUNCTION c_tmp_count()"},
                       totals, {"INSERT INTO c_tmp_src VALUES (1)"});
    run_all(writer, {"DROP TABLE IF EXISTS c_tmp_parent CASCADE", "CREATE TABLE c_tmp_parent (v INTEGER)",
                     "INSERT INTO c_tmp_parent VALUES (1)"});
    const std::string parent = "SELECT count(*) FROM c_tmp_parent";
    EXPECT_EQ(read(writer, parent).rows, "1\n");
    run_all(reader, {"CREATE TEMP TABLE c_tmp_child () INHERITS (c_tmp_parent)", "INSERT INTO c_tmp_child VALUES (2)"});
    EXPECT_EQ(read(reader, parent).rows, "2\n");
    EXPECT_FALSE(read(reader, parent).hit);
    EXPECT_EQ(read(writer, parent).rows, "1\n");
    EXPECT_TRUE(read(writer, parent).hit);
    reader.run("DROP TABLE c_tmp_child");
}

TEST_P(CacheTest, SessionStatementsSeparateEntries) {
    if (!postgres()) GTEST_SKIP() << "search_path is PostgreSQL's";
    Session other;
    connect_or_fail(other, GetParam().shim);
    make_two_schemas();
    reader.run("SET search_path TO c_s1");
    other.run("SET search_path TO c_s2");
    EXPECT_EQ(c_same_rows(reader), "one\n");
    EXPECT_EQ(c_same_rows(other), "two\n");
    EXPECT_TRUE(read(reader, "SELECT v FROM c_same").hit);
    EXPECT_EQ(c_same_rows(other), "two\n");
    reader.run("SET search_path TO c_s2");
    EXPECT_EQ(c_same_rows(reader), "two\n");
}

// On PostgreSQL a key carries what the server says the session is, not the statements that
// made it so: a connection that sets search_path per request stays cached however long it
// lives, and shares the entries of connections in the same state.
TEST_P(CacheTest, KeysCarryTheSessionsStateNotItsHistory) {
    if (!postgres()) GTEST_SKIP() << "only PostgreSQL can be asked what the session is";
    Session other;
    connect_or_fail(other, GetParam().shim);
    make_two_schemas();
    for (int request = 1; request <= 800; ++request) {
        const bool second = request % 2;
        reader.run(second ? "SET search_path TO c_s2" : "SET search_path = c_s1");
        if (request % 100 < 2) {
            EXPECT_EQ(c_same_rows(reader), second ? "two\n" : "one\n");
        }
    }
    EXPECT_TRUE(read(reader, "SELECT v FROM c_same").hit);
    other.run("SET search_path TO c_s2, public");
    EXPECT_EQ(c_same_rows(other), "two\n");
    other.run("SET LOCAL search_path TO c_s1");  // outside a transaction: no effect
    other.run("SET search_path TO \"c_s1\"");
    EXPECT_TRUE(read(other, "SELECT v FROM c_same").hit);
    EXPECT_EQ(c_same_rows(other), "one\n");
}

// A custom setting (here pg_trgm's, set before its library is loaded) is not in pg_settings:
// the server is asked for it by name, and a connection without it does not share the entry.
TEST_P(CacheTest, CustomSettingsSeparateEntries) {
    if (!postgres()) GTEST_SKIP() << "custom settings are PostgreSQL's";
    run_all(writer, {"CREATE EXTENSION IF NOT EXISTS pg_trgm", "DROP TABLE IF EXISTS c_words", "CREATE TABLE c_words (w TEXT)",
                     "INSERT INTO c_words VALUES ('abcdef'), ('zzzzzz')"});
    const std::string query = "SELECT w FROM c_words WHERE w % 'abcdeg' ORDER BY w";
    Session strict, other;
    connect_or_fail(strict, GetParam().shim);
    connect_or_fail(other, GetParam().shim);
    strict.run("SET pg_trgm.similarity_threshold = 0.9");
    EXPECT_EQ(read(strict, query).rows, "");
    EXPECT_EQ(read(other, query).rows, "abcdef\n");
    EXPECT_TRUE(read(strict, query).hit);
    strict.run("SELECT set_config('pg_trgm.similarity_threshold', '0.3', false)");
    EXPECT_EQ(read(strict, query).rows, "abcdef\n");
    EXPECT_TRUE(read(strict, query).hit);
}

// A function called from a statement can write (PostgreSQL's way to run a procedure): a VOLATILE
// one makes every entry stale, however it is called; a STABLE one cannot write and leaves them.
TEST_P(CacheTest, AFunctionThatMayWriteMakesTheNextReadFresh) {
    if (!postgres()) GTEST_SKIP() << "SQLite's SQL cannot define a function";
    auto function = [](const std::string& name, const std::string& body, const char* volatility = "VOLATILE") {
        return "CREATE OR REPLACE FUNCTION " + name + "(i INTEGER) RETURNS SETOF INTEGER LANGUAGE sql " + volatility +
               " AS $$ " + body + " $$";
    };
    run_all(writer, {"DROP TABLE IF EXISTS c_fn", "CREATE TABLE c_fn (id INTEGER, v INTEGER)", "INSERT INTO c_fn VALUES (1, 0)",
                     function("c_fn_bump", "UPDATE c_fn SET v = v + 1 WHERE id = i RETURNING v"),
                     function("\"C_Fn_Bump\"", "UPDATE c_fn SET v = v + 10 WHERE id = i RETURNING v"),
                     function("c_fn_read", "SELECT v FROM c_fn WHERE id = i", "STABLE"),
                     function("public.format", "UPDATE c_fn SET v = v + 100 WHERE id = i RETURNING v")});
    const std::string query = "SELECT id, v FROM c_fn";
    expect_fresh_after({}, query, {"SELECT public.format(1)"});  // not the built-in format()
    expect_fresh_after({}, query, {"SELECT c_fn_bump(1)"});
    expect_fresh_after({}, query, {"SELECT \"C_Fn_Bump\"(1)"});
    expect_fresh_after({}, query, {"SELECT * FROM public.c_fn_bump(1) AS bumped"});
    expect_fresh_after({}, query, {"SELECT 1 WHERE 2 IN (SELECT c_fn_bump(1))"});
    expect_fresh_after({}, query, {"SELECT * FROM ROWS FROM (c_fn_bump(1))"});
    // In a transaction, the other connection sees the write at COMMIT.
    EXPECT_TRUE(read(reader, query).hit);
    writer.run("BEGIN");
    writer.run("SELECT c_fn_bump(1)");
    EXPECT_EQ(read(reader, query).rows, read(direct, query).rows);
    writer.run("COMMIT");
    EXPECT_FALSE(read(reader, query).hit);
    EXPECT_EQ(read(reader, query).rows, read(direct, query).rows);
    // A STABLE function cannot write: the entry stays, and so does the hit.
    EXPECT_TRUE(read(reader, query).hit);
    writer.run("SELECT c_fn_read(1)");
    EXPECT_TRUE(read(reader, query).hit);
}

// The shim reads the code of the functions a statement calls, and of the functions they call:
// what a STABLE function runs through a VOLATILE one it calls is seen; only the tables the code
// writes go stale, unless it runs DDL; a setting it sets joins the key.
TEST_P(CacheTest, FunctionsAreFollowedToWhatTheyWrite) {
    if (!postgres()) GTEST_SKIP() << "SQLite's SQL cannot define a function";
    run_all(writer, {"DROP TABLE IF EXISTS c_fw CASCADE", "DROP TABLE IF EXISTS c_fw_other", "DROP TABLE IF EXISTS c_fw_snap",
                     "CREATE TABLE c_fw (id INTEGER, v INTEGER)", "INSERT INTO c_fw VALUES (1, 0)",
                     "CREATE TABLE c_fw_other (v INTEGER)", "INSERT INTO c_fw_other VALUES (7)",
                     "CREATE TABLE c_fw_snap AS SELECT 0 AS n",
                     "CREATE OR REPLACE FUNCTION c_fw_writer(i INTEGER) RETURNS INTEGER LANGUAGE plpgsql VOLATILE AS "
                     "$$ BEGIN UPDATE c_fw SET v = v + 1 WHERE id = i; RETURN i; END $$",
                     "CREATE OR REPLACE FUNCTION c_fw_stable(i INTEGER) RETURNS INTEGER LANGUAGE sql STABLE AS "
                     "$$ SELECT c_fw_writer(i) $$",
                     "CREATE OR REPLACE FUNCTION c_fw_atomic(i INTEGER) RETURNS INTEGER LANGUAGE sql BEGIN ATOMIC "
                     "UPDATE c_fw SET v = v + 10 WHERE id = i; SELECT i; END",
                     "CREATE OR REPLACE FUNCTION c_fw_remake() RETURNS INTEGER LANGUAGE plpgsql AS $$ BEGIN "
                     "DROP TABLE c_fw_snap; CREATE TABLE c_fw_snap AS SELECT count(*) + 100 AS n FROM c_fw; RETURN 1; END $$",
                     "CREATE OR REPLACE FUNCTION c_fw_to(path TEXT) RETURNS INTEGER LANGUAGE plpgsql STABLE AS $$ BEGIN "
                     "PERFORM set_config('search_path', path, false); RETURN 1; END $$",
                     "CREATE OR REPLACE FUNCTION c_fw_on_other() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                     "PERFORM c_fw_stable(1); RETURN NEW; END $$",
                     "CREATE TRIGGER c_fw_calling AFTER INSERT ON c_fw_other FOR EACH ROW EXECUTE FUNCTION c_fw_on_other()"});
    const std::string query = "SELECT id, v FROM c_fw", other = "SELECT v FROM c_fw_other WHERE v = 7";
    expect_fresh_after({}, query, {"SELECT c_fw_stable(1)"});
    // What the code writes goes stale, and nothing else.
    EXPECT_EQ(read(reader, other).rows, "7\n");
    expect_fresh_after({}, query, {"SELECT c_fw_writer(1)"});
    EXPECT_TRUE(read(reader, other).hit);
    // A SQL-standard body (PostgreSQL 14), which prosrc does not hold.
    expect_fresh_after({}, query, {"SELECT c_fw_atomic(1)"});
    EXPECT_TRUE(read(reader, other).hit);
    // A trigger calling them: the same.
    expect_fresh_after({}, query, {"INSERT INTO c_fw_other VALUES (8)"});
    // DDL in a function: the table made again is another.
    expect_fresh_after({}, "SELECT n FROM c_fw_snap", {"SELECT c_fw_remake()"});
    // A setting a function sets: the session is asked again.
    make_two_schemas();
    reader.run("SET search_path TO c_s1, public");
    EXPECT_EQ(c_same_rows(reader), "one\n");
    EXPECT_TRUE(read(reader, "SELECT v FROM c_same").hit);
    reader.run("SELECT c_fw_to('c_s2, public')");
    EXPECT_EQ(c_same_rows(reader), "two\n");
    EXPECT_EQ(c_same_rows(reader), "two\n");
}

// Code runs where no statement names it: a column's DEFAULT, a CHECK, a domain's CHECK (held in
// a composite, in an array), a row security policy and a view call functions, and so does a call
// that leaves out an argument with a default. What those functions write goes stale.
TEST_P(CacheTest, CodeThatTablesViewsAndDefaultsRunIsFollowed) {
    if (!postgres()) GTEST_SKIP() << "SQLite's SQL cannot define a function";
    run_all(writer, {"DROP TABLE IF EXISTS c_ex_log, c_ex_def, c_ex_check, c_ex_held, c_ex_secret CASCADE",
                     "DROP VIEW IF EXISTS c_ex_outer, c_ex_view", "DROP TYPE IF EXISTS c_ex_pair",
                     "DROP DOMAIN IF EXISTS c_ex_dom", "CREATE TABLE c_ex_log (n INTEGER)",
                     "CREATE OR REPLACE FUNCTION c_ex_logged() RETURNS INTEGER LANGUAGE plpgsql AS "
                     "$$ BEGIN INSERT INTO c_ex_log VALUES (1); RETURN 1; END $$",
                     "CREATE OR REPLACE FUNCTION c_ex_with_default(a INTEGER DEFAULT c_ex_logged()) RETURNS INTEGER "
                     "LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN a; END $$",
                     "CREATE TABLE c_ex_def (id INTEGER, v INTEGER DEFAULT c_ex_logged())",
                     "CREATE TABLE c_ex_check (v INTEGER CHECK (c_ex_logged() = 1))",
                     "CREATE DOMAIN c_ex_dom AS INTEGER CHECK (c_ex_logged() = 1)", "CREATE TYPE c_ex_pair AS (a c_ex_dom)",
                     "CREATE TABLE c_ex_held (p c_ex_pair[])", "CREATE VIEW c_ex_view AS SELECT c_ex_logged() AS x",
                     "CREATE VIEW c_ex_outer AS SELECT x FROM c_ex_view"});
    const std::string logged = "SELECT count(*) FROM c_ex_log";
    expect_fresh_after({}, logged, {"INSERT INTO c_ex_def (id) VALUES (1)"});
    expect_fresh_after({}, logged, {"INSERT INTO c_ex_check VALUES (1)"});
    expect_fresh_after({}, logged, {"INSERT INTO c_ex_held VALUES (ARRAY[ROW(1)::c_ex_pair])"});
    expect_fresh_after({}, logged, {"SELECT x FROM c_ex_view"});
    expect_fresh_after({}, logged, {"SELECT x FROM c_ex_outer"});
    expect_fresh_after({}, logged, {"SELECT c_ex_with_default()"});
    // A policy runs for a role it applies to, on a read the cache passes through.
    make_allowed_role();
    run_all(writer, {"CREATE TABLE c_ex_secret (v INTEGER)", "INSERT INTO c_ex_secret VALUES (1)",
                     "ALTER TABLE c_ex_secret ENABLE ROW LEVEL SECURITY",
                     "CREATE POLICY c_ex_logging ON c_ex_secret USING (c_ex_logged() = 1)",
                     "GRANT SELECT ON c_ex_secret TO c_allowed", "GRANT INSERT ON c_ex_log TO c_allowed"});
    Session allowed;
    connect_as_allowed(allowed);
    const Read before = read(reader, logged);
    EXPECT_TRUE(read(reader, logged).hit);
    EXPECT_EQ(read(allowed, "SELECT v FROM c_ex_secret").rows, "1\n");
    const Read after = read(reader, logged);
    EXPECT_FALSE(after.hit);
    EXPECT_NE(after.rows, before.rows);
}

// An operator is a function call with another look: a user's operator whose function is not
// IMMUTABLE may read tables (a read using it is never cached, nor a view) or write them (what
// it writes goes stale). An IMMUTABLE one changes nothing.
TEST_P(CacheTest, OperatorsAreTheFunctionsTheyCall) {
    if (!postgres()) GTEST_SKIP() << "SQLite's SQL cannot define an operator";
    run_all(writer, {"DROP TABLE IF EXISTS c_op_t, c_op_map, c_op_log CASCADE",
                     "DROP OPERATOR IF EXISTS === (INTEGER, INTEGER)", "DROP OPERATOR IF EXISTS #! (INTEGER, INTEGER)",
                     "DROP OPERATOR IF EXISTS ~~~ (INTEGER, INTEGER)", "CREATE TABLE c_op_t (id INTEGER)",
                     "INSERT INTO c_op_t VALUES (1), (2)", "CREATE TABLE c_op_map (x INTEGER, y INTEGER)",
                     "CREATE TABLE c_op_log (n INTEGER)",
                     "CREATE OR REPLACE FUNCTION c_op_mapped(a INTEGER, b INTEGER) RETURNS BOOLEAN LANGUAGE sql STABLE AS "
                     "$$ SELECT EXISTS (SELECT FROM c_op_map WHERE x = a AND y = b) $$",
                     "CREATE OPERATOR === (LEFTARG = INTEGER, RIGHTARG = INTEGER, FUNCTION = c_op_mapped)",
                     "CREATE OR REPLACE FUNCTION c_op_logged(a INTEGER, b INTEGER) RETURNS INTEGER LANGUAGE plpgsql AS "
                     "$$ BEGIN INSERT INTO c_op_log VALUES (a); RETURN b; END $$",
                     "CREATE OPERATOR #! (LEFTARG = INTEGER, RIGHTARG = INTEGER, FUNCTION = c_op_logged)",
                     "CREATE OR REPLACE FUNCTION c_op_sum(a INTEGER, b INTEGER) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS "
                     "$$ SELECT a + b $$",
                     "CREATE OPERATOR ~~~ (LEFTARG = INTEGER, RIGHTARG = INTEGER, FUNCTION = c_op_sum)",
                     "CREATE VIEW c_op_view AS SELECT count(*) AS n FROM c_op_t WHERE id === 2",
                     "CREATE OR REPLACE FUNCTION c_op_inside() RETURNS INTEGER LANGUAGE sql AS $$ SELECT 3 #! 4 $$"});
    expect_fresh_after({}, "SELECT count(*) FROM c_op_t WHERE id === 1", {"INSERT INTO c_op_map VALUES (1, 1)"}, false);
    expect_fresh_after({}, "SELECT n FROM c_op_view", {"INSERT INTO c_op_map VALUES (2, 2)"}, false);
    expect_fresh_after({}, "SELECT count(*) FROM c_op_log", {"SELECT 1 #! 2"});
    expect_fresh_after({}, "SELECT count(*) FROM c_op_log", {"SELECT c_op_inside()"});  // in a function's code
    EXPECT_EQ(read(reader, "SELECT id ~~~ 1 FROM c_op_t ORDER BY id").rows, "2\n3\n");
    EXPECT_TRUE(read(reader, "SELECT id ~~~ 1 FROM c_op_t ORDER BY id").hit);
    writer.run("DROP OPERATOR === (INTEGER, INTEGER), #! (INTEGER, INTEGER), ~~~ (INTEGER, INTEGER) CASCADE");
}

// A user's aggregate says IMMUTABLE whatever its state and final functions do: a call runs them.
TEST_P(CacheTest, AggregatesRunTheirSupportFunctions) {
    if (!postgres()) GTEST_SKIP() << "SQLite's SQL cannot define an aggregate";
    run_all(writer, {"DROP TABLE IF EXISTS c_ag_t, c_ag_log, c_ag_weights CASCADE", "CREATE TABLE c_ag_t (v INTEGER)",
                     "INSERT INTO c_ag_t VALUES (1), (2)", "CREATE TABLE c_ag_log (v INTEGER)",
                     "CREATE TABLE c_ag_weights (w INTEGER)", "INSERT INTO c_ag_weights VALUES (1)",
                     "CREATE OR REPLACE FUNCTION c_ag_step(s INTEGER, v INTEGER) RETURNS INTEGER LANGUAGE plpgsql AS "
                     "$$ BEGIN INSERT INTO c_ag_log VALUES (v); RETURN coalesce(s, 0) + v; END $$",
                     "CREATE OR REPLACE AGGREGATE c_ag_logged(INTEGER) (SFUNC = c_ag_step, STYPE = INTEGER)",
                     "CREATE OR REPLACE FUNCTION c_ag_weigh(s INTEGER) RETURNS INTEGER LANGUAGE sql STABLE AS "
                     "$$ SELECT s * (SELECT sum(w) FROM c_ag_weights)::INTEGER $$",
                     "CREATE OR REPLACE AGGREGATE c_ag_weighted(INTEGER) (SFUNC = int4pl, STYPE = INTEGER, FINALFUNC = c_ag_weigh)",
                     "CREATE OR REPLACE VIEW c_ag_view AS SELECT c_ag_weighted(v) AS n FROM c_ag_t"});
    expect_fresh_after({}, "SELECT count(*) FROM c_ag_log", {"SELECT c_ag_logged(v) FROM c_ag_t"});
    expect_fresh_after({}, "SELECT count(*) FROM c_ag_log", {"INSERT INTO c_ag_t SELECT c_ag_logged(v) FROM c_ag_t"});
    expect_fresh_after({}, "SELECT c_ag_weighted(v) FROM c_ag_t", {"INSERT INTO c_ag_weights VALUES (1)"}, false);
    expect_fresh_after({}, "SELECT n FROM c_ag_view", {"INSERT INTO c_ag_weights VALUES (1)"}, false);
}

// A cast by a user's function runs it: asked for by the type's name (or a domain's over it), or
// unasked (implicit, on assignment); a read that may cast so is not cached.
TEST_P(CacheTest, CastsAreTheFunctionsTheyCall) {
    if (!postgres()) GTEST_SKIP() << "SQLite's SQL cannot define a cast";
    run_all(writer, {"DROP TABLE IF EXISTS c_ca_t, c_ca_map, c_ca_log, c_ca_tallies, c_ca_defaulted CASCADE",
                     "DROP TYPE IF EXISTS c_ca_code, c_ca_tally CASCADE", "CREATE TABLE c_ca_t (k TEXT)",
                     "INSERT INTO c_ca_t VALUES ('a')", "CREATE TABLE c_ca_map (k TEXT, v INTEGER)",
                     "CREATE TABLE c_ca_log (v INTEGER)", "CREATE TYPE c_ca_code AS (v INTEGER)",
                     "CREATE DOMAIN c_ca_checked AS c_ca_code",
                     "CREATE FUNCTION c_ca_lookup(t TEXT) RETURNS c_ca_code LANGUAGE sql STABLE AS "
                     "$$ SELECT ROW((SELECT v FROM c_ca_map WHERE k = t))::c_ca_code $$",
                     "CREATE CAST (TEXT AS c_ca_code) WITH FUNCTION c_ca_lookup(TEXT)",
                     "CREATE FUNCTION c_ca_logged(i INTEGER) RETURNS c_ca_code LANGUAGE plpgsql AS "
                     "$$ BEGIN INSERT INTO c_ca_log VALUES (i); RETURN ROW(i)::c_ca_code; END $$",
                     "CREATE CAST (INTEGER AS c_ca_code) WITH FUNCTION c_ca_logged(INTEGER)",
                     "CREATE VIEW c_ca_view AS SELECT (k::c_ca_code).v FROM c_ca_t",
                     "CREATE TABLE c_ca_defaulted (id INTEGER, c c_ca_code DEFAULT 8::c_ca_code)"});
    expect_fresh_after({}, "SELECT (k::C_CA_CODE).v FROM c_ca_t", {"INSERT INTO c_ca_map VALUES ('a', 1)"}, false);
    expect_fresh_after({}, "SELECT (CAST(k AS c_ca_checked)).v FROM c_ca_t", {"UPDATE c_ca_map SET v = 2"}, false);
    expect_fresh_after({}, "SELECT v FROM c_ca_view", {"UPDATE c_ca_map SET v = 3"}, false);
    expect_fresh_after({}, "SELECT count(*) FROM c_ca_log", {"SELECT (7::c_ca_code).v"});
    expect_fresh_after({}, "SELECT count(*) FROM c_ca_log", {"INSERT INTO c_ca_defaulted (id) VALUES (1)"});  // in a default
    run_all(writer, {"CREATE TYPE c_ca_tally AS (n INTEGER)",
                     "CREATE FUNCTION c_ca_count(i INTEGER) RETURNS c_ca_tally LANGUAGE plpgsql AS "
                     "$$ BEGIN INSERT INTO c_ca_log VALUES (i); RETURN ROW(i)::c_ca_tally; END $$",
                     "CREATE CAST (INTEGER AS c_ca_tally) WITH FUNCTION c_ca_count(INTEGER) AS ASSIGNMENT",
                     "CREATE TABLE c_ca_tallies (t c_ca_tally)"});
    expect_fresh_after({}, "SELECT count(*) FROM c_ca_log", {"INSERT INTO c_ca_tallies VALUES (5)"}, false);
    writer.run("DROP TYPE c_ca_code, c_ca_tally CASCADE");  // every read may cast while the assignment cast stands
}

// A trigger or a rule writes tables the statement does not name: the shim reads their code
// (PL/pgSQL trigger functions, rules, SQLite's triggers) for the tables it writes; code it cannot
// read (SQL built by EXECUTE) makes every write to the table stale everything.
TEST_P(CacheTest, TriggersAndRulesThatWriteMakeTheirTablesFresh) {
    run_all(writer, {"DROP TABLE IF EXISTS c_tg_src", "DROP TABLE IF EXISTS c_tg_totals", "DROP TABLE IF EXISTS c_tg_log",
                     "CREATE TABLE c_tg_src (v INTEGER)", "CREATE TABLE c_tg_totals (n INTEGER)", "CREATE TABLE c_tg_log (v INTEGER)",
                     "INSERT INTO c_tg_totals VALUES (0)"});
    const std::string totals = "SELECT n FROM c_tg_totals", logged = "SELECT count(*) FROM c_tg_log";
    if (!postgres()) {
        expect_fresh_after({"CREATE TRIGGER c_tg_counting AFTER INSERT ON c_tg_src BEGIN UPDATE c_tg_totals SET n = n + 1; END"},
                           totals, {"INSERT INTO c_tg_src VALUES (1)"});
        expect_fresh_after({"CREATE TRIGGER c_tg_logging AFTER UPDATE OF v ON c_tg_src BEGIN INSERT OR REPLACE INTO c_tg_log "
                            "VALUES (new.v); END"},
                           logged, {"UPDATE c_tg_src SET v = 2"});
        return;
    }
    expect_fresh_after({"CREATE OR REPLACE FUNCTION c_tg_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        "UPDATE c_tg_totals SET n = n + 1; RETURN NEW; END $$",
                        "CREATE TRIGGER c_tg_counting AFTER INSERT ON c_tg_src FOR EACH ROW EXECUTE FUNCTION c_tg_count()"},
                       totals, {"INSERT INTO c_tg_src VALUES (1)"});
    expect_fresh_after({"CREATE RULE c_tg_logging AS ON UPDATE TO c_tg_src DO ALSO INSERT INTO c_tg_log VALUES (new.v)"}, logged,
                       {"UPDATE c_tg_src SET v = 2"});
    expect_fresh_after({"CREATE OR REPLACE FUNCTION c_tg_dynamic() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        "EXECUTE 'UPDATE c_tg_totals SET n = n + 100'; RETURN OLD; END $$",
                        "CREATE TRIGGER c_tg_built AFTER DELETE ON c_tg_src FOR EACH ROW EXECUTE FUNCTION c_tg_dynamic()"},
                       totals, {"DELETE FROM c_tg_src"});
}

// A user's function of a built-in's name outside pg_catalog (lpad(integer) beside pg_catalog's
// lpad(text, integer)) is the one PostgreSQL runs for an unqualified call that fits it better:
// a VOLATILE one may write, a STABLE one may read tables; an IMMUTABLE one (citext's) does neither.
TEST_P(CacheTest, UserOverloadsOfBuiltInsAreNotTakenForThem) {
    if (!postgres()) GTEST_SKIP() << "SQLite's SQL cannot define a function";
    run_all(writer, {"DROP TABLE IF EXISTS c_ov", "CREATE TABLE c_ov (id INTEGER, v INTEGER)", "INSERT INTO c_ov VALUES (1, 0)",
                     "DROP TABLE IF EXISTS c_ov_log", "CREATE TABLE c_ov_log (v INTEGER)",
                     "CREATE OR REPLACE FUNCTION public.lpad(i INTEGER) RETURNS INTEGER LANGUAGE sql VOLATILE AS "
                     "$$ UPDATE c_ov SET v = v + 1 WHERE id = i RETURNING v $$",
                     "CREATE OR REPLACE FUNCTION public.initcap(i INTEGER) RETURNS TEXT LANGUAGE sql STABLE AS "
                     "$$ SELECT 'v=' || v FROM c_ov WHERE id = i $$",
                     "CREATE OR REPLACE FUNCTION public.ltrim(i INTEGER) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$ SELECT i + 1 $$"});
    const std::string query = "SELECT id, v FROM c_ov";
    expect_fresh_after({}, query, {"SELECT lpad(1)"});
    expect_fresh_after({}, query, {"INSERT INTO c_ov_log VALUES (lpad(1))"});
    EXPECT_EQ(read(reader, "SELECT lpad(1)").rows, "3\n");
    EXPECT_EQ(read(reader, "SELECT lpad(1)").rows, "4\n");
    expect_fresh_after({}, "SELECT initcap(1)", {"UPDATE c_ov SET v = 10"}, false);
    EXPECT_EQ(read(reader, "SELECT ltrim(1)").rows, "2\n");
    EXPECT_TRUE(read(reader, "SELECT ltrim(1)").hit);
    writer.run("DROP FUNCTION public.lpad(INTEGER), public.initcap(INTEGER), public.ltrim(INTEGER)");  // other tests call the built-ins
}

// A schema read that fails (a connection's first, inside an aborted transaction: psqlODBC's
// Protocol=7.4-0 leaves it so after an error) is tried again: the connection caches once the
// transaction is over.
TEST_P(CacheTest, AFailedSchemaReadIsTriedAgain) {
    if (!postgres()) GTEST_SKIP() << "PostgreSQL's aborted transactions";
    run_all(writer, {"DROP TABLE IF EXISTS c_abort", "CREATE TABLE c_abort (v INTEGER)", "INSERT INTO c_abort VALUES (1)"});
    Session fresh;
    connect_or_fail(fresh, "DSN=" + GetParam().shim + ";Protocol=7.4-0");
    fresh.run("BEGIN");
    EXPECT_EQ(read(fresh, "INSERT INTO c_abort VALUES ('one')").rows, "error 22P02");
    EXPECT_EQ(read(fresh, "SELECT v FROM c_abort").rows, "error 25P02");
    fresh.run("ROLLBACK");
    EXPECT_EQ(read(fresh, "SELECT v FROM c_abort").rows, "1\n");
    EXPECT_TRUE(read(fresh, "SELECT v FROM c_abort").hit);
}

// A sequence changes without a write the scanner sees (nextval, a serial column's default): its
// reads are never cached, also behind a view.
TEST_P(CacheTest, ASequenceIsNeverCached) {
    if (!postgres()) GTEST_SKIP() << "SQLite has no sequences";
    run_all(writer, {"DROP VIEW IF EXISTS c_seq_view", "DROP TABLE IF EXISTS c_serial", "DROP SEQUENCE IF EXISTS c_seq",
                     "CREATE SEQUENCE c_seq", "SELECT nextval('c_seq')", "CREATE TABLE c_serial (id SERIAL, v INTEGER)",
                     "CREATE VIEW c_seq_view AS SELECT last_value FROM c_serial_id_seq"});
    expect_fresh_after({}, "SELECT last_value FROM c_seq", {"SELECT nextval('c_seq')"}, false);
    expect_fresh_after({}, "SELECT last_value, is_called FROM public.c_serial_id_seq", {"INSERT INTO c_serial (v) VALUES (1)"}, false);
    expect_fresh_after({}, "SELECT * FROM c_seq_view", {"INSERT INTO c_serial (v) VALUES (2)"}, false);
}

// set_config() changes what later statements see, as SET does: the connection's entries part
// from those of connections that did not run it.
TEST_P(CacheTest, SetConfigSeparatesEntriesAsSetDoes) {
    if (!postgres()) GTEST_SKIP() << "set_config is PostgreSQL's";
    Session other;
    connect_or_fail(other, GetParam().shim);
    make_two_schemas();
    reader.run("SET search_path TO c_s1");
    other.run("SET search_path TO c_s1");
    EXPECT_EQ(c_same_rows(reader), "one\n");
    EXPECT_TRUE(read(other, "SELECT v FROM c_same").hit);  // the same session: shared
    other.run("SELECT pg_catalog.set_config('search_path', 'c_s2', false)");
    EXPECT_EQ(c_same_rows(reader), "one\n");
    EXPECT_EQ(c_same_rows(other), "two\n");
    EXPECT_EQ(c_same_rows(other), "two\n");
    EXPECT_EQ(c_same_rows(reader), "one\n");
}

// Full text search is cached (@@ is PostgreSQL's match operator, not a MySQL variable), each
// text search configuration apart: to_tsvector(text) reads default_text_search_config.
TEST_P(CacheTest, TextSearchIsCachedPerConfiguration) {
    if (!postgres()) GTEST_SKIP() << "text search is PostgreSQL's";
    run_all(writer, {"DROP TABLE IF EXISTS c_fts", "CREATE TABLE c_fts (id INTEGER, body TEXT)",
                     "INSERT INTO c_fts VALUES (1, 'the cache kept its rows')"});
    const std::string query = "SELECT id FROM c_fts WHERE to_tsvector(body) @@ to_tsquery('caching') ORDER BY id";
    reader.run("SET default_text_search_config = 'pg_catalog.english'");
    EXPECT_EQ(read(reader, query).rows, "1\n");  // cache and caching stem alike in English
    EXPECT_TRUE(read(reader, query).hit);
    reader.run("SET default_text_search_config = 'pg_catalog.simple'");
    EXPECT_EQ(read(reader, query).rows, "");
    reader.run("SET default_text_search_config = 'pg_catalog.english'");
    expect_fresh_after({}, query, {"INSERT INTO c_fts VALUES (2, 'caches')"});
}

// Code the shim cannot read (a function, a DO block) can change the session as SET does: the
// connection's keys part from those of connections it no longer resembles.
TEST_P(CacheTest, CodeThatChangesTheSessionSeparatesEntries) {
    if (!postgres()) GTEST_SKIP() << "PostgreSQL's functions and DO blocks";
    make_two_schemas();
    writer.run("CREATE OR REPLACE FUNCTION public.c_to_s2() RETURNS INTEGER LANGUAGE plpgsql AS $$ BEGIN "
               "SET search_path TO c_s2, public; RETURN 1; END $$");
    const std::string query = "SELECT v FROM c_same";
    for (const char* change : {"SELECT public.c_to_s2()", "DO $$BEGIN SET search_path TO c_s2, public; END$$",
                               "DO $$BEGIN PERFORM set_config('search_path', 'c_s2', false); END$$"}) {
        Session changed, unchanged;
        connect_or_fail(changed, GetParam().shim);
        connect_or_fail(unchanged, GetParam().shim);
        changed.run("SET search_path TO c_s1, public");
        unchanged.run("SET search_path TO c_s1, public");
        EXPECT_EQ(read(unchanged, query).rows, "one\n");
        EXPECT_TRUE(read(changed, query).hit);
        changed.run(change);
        EXPECT_EQ(read(changed, query).rows, "two\n") << change;
        EXPECT_EQ(read(changed, query).rows, "two\n") << change;
        EXPECT_EQ(read(unchanged, query).rows, "one\n") << change;
    }
    // Changed back and forth: the same observation after a SET of the session's own is news.
    const char* to_s1 = "DO $$BEGIN SET search_path TO c_s1, public; END$$";
    Session back, forth;
    connect_or_fail(back, GetParam().shim);
    connect_or_fail(forth, GetParam().shim);
    for (Session* session : {&back, &forth}) {
        session->run(to_s1);
        session->run("SET search_path TO c_s2, public");
    }
    back.run(to_s1);
    EXPECT_EQ(read(back, query).rows, "one\n");
    EXPECT_EQ(read(forth, query).rows, "two\n");
    EXPECT_EQ(read(back, query).rows, "one\n");
    // A temporary table created there hides the table of the same name: never cached.
    Session other;
    connect_or_fail(other, GetParam().shim);
    other.run("SET search_path TO c_s1");
    EXPECT_EQ(read(other, query).rows, "one\n");
    other.run("DO $$BEGIN CREATE TEMPORARY TABLE c_same (v VARCHAR(5)); INSERT INTO c_same VALUES ('temp'); END$$");
    EXPECT_EQ(read(other, query).rows, "temp\n");
    EXPECT_FALSE(read(other, query).served);
}

// PostgreSQL undoes a SET at ROLLBACK and ROLLBACK TO SAVEPOINT, and SET LOCAL or
// set_config(..., true) when the transaction ends: the key follows what the session is after
// that, not the statements it ran. Each case first runs its statements where they hold, so an
// entry under their text exists; where they were undone the read must not be served it.
TEST_P(CacheTest, SettingsUndoneWithTheTransactionLeaveTheKey) {
    if (!postgres()) GTEST_SKIP() << "PostgreSQL's transactional settings";
    make_two_schemas();
    const std::string query = "SELECT v FROM c_same", to_s2 = "SET search_path TO c_s2, public";
    struct Case {
        std::vector<std::string> holds, undone;
    };
    const std::vector<Case> cases = {
        {{"BEGIN", "SET LOCAL search_path TO c_s2, public"}, {"BEGIN", "SET LOCAL search_path TO c_s2, public", "COMMIT"}},
        {{"BEGIN", "SELECT set_config('search_path', 'c_s2, public', true)"},
         {"BEGIN", "SELECT set_config('search_path', 'c_s2, public', true)", "COMMIT"}},
        {{"BEGIN", to_s2}, {"BEGIN", to_s2, "ROLLBACK"}},
        {{"BEGIN", "SAVEPOINT a", to_s2}, {"BEGIN", "SAVEPOINT a", to_s2, "ROLLBACK TO SAVEPOINT a"}},
        {{"BEGIN", "SET LOCAL search_path TO c_s2, public"}, {"SET LOCAL search_path TO c_s2, public"}},  // no transaction: no effect
    };
    for (const Case& c : cases) {
        Session holds, undone;
        connect_or_fail(holds, GetParam().shim);
        connect_or_fail(undone, GetParam().shim);
        for (Session* session : {&holds, &undone}) {  // each has read: what a first read observes is known
            session->run("SET search_path TO c_s1, public");
            EXPECT_EQ(read(*session, query).rows, "one\n");
        }
        run_all(holds, c.holds);
        EXPECT_EQ(read(holds, query).rows, "two\n") << c.undone.back();
        run_all(undone, c.undone);
        EXPECT_EQ(read(undone, query).rows, "one\n") << c.undone.back();
        EXPECT_EQ(read(undone, query).rows, "one\n") << c.undone.back();
        EXPECT_EQ(read(holds, query).rows, "two\n") << c.undone.back();
    }
    // Without autocommit the transaction ends with SQLEndTran.
    Session holds, undone;
    connect_or_fail(holds, GetParam().shim);
    connect_or_fail(undone, GetParam().shim);
    for (Session* session : {&holds, &undone}) {
        session->run("SET search_path TO c_s1, public");
        EXPECT_EQ(read(*session, query).rows, "one\n");
        ASSERT_TRUE(SQL_SUCCEEDED(SQLSetConnectAttr(session->dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0)));
        session->run("SET LOCAL search_path TO c_s2, public");
    }
    EXPECT_EQ(read(holds, query).rows, "two\n");
    ASSERT_TRUE(SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, undone.dbc, SQL_COMMIT)));
    EXPECT_EQ(read(undone, query).rows, "one\n");
    EXPECT_EQ(read(undone, query).rows, "one\n");
    SQLEndTran(SQL_HANDLE_DBC, holds.dbc, SQL_ROLLBACK);
}

// A session statement's parameters are part of what it set (set_config with a bound value).
TEST_P(CacheTest, ASessionStatementsParametersArePartOfTheKey) {
    if (!postgres()) GTEST_SKIP() << "PostgreSQL's set_config";
    make_two_schemas();
    auto set_path = [](Session& session, const char* path) {
        SQLHSTMT stmt = session.statement();
        SQLLEN length = SQL_NTS;
        ASSERT_TRUE(SQL_SUCCEEDED(SQLBindParameter(stmt, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 40, 0,
                                                   const_cast<char*>(path), 0, &length)));
        ASSERT_TRUE(SQL_SUCCEEDED(SQLExecDirect(stmt, (SQLCHAR*)"SELECT set_config('search_path', ?, false)", SQL_NTS)));
        SQLCloseCursor(stmt);
    };
    Session first, second;
    connect_or_fail(first, GetParam().shim);
    connect_or_fail(second, GetParam().shim);
    for (Session* session : {&first, &second}) EXPECT_EQ(read(*session, "SELECT 1").rows, "1\n");  // the schema is read
    set_path(first, "c_s2, public");
    set_path(second, "c_s1, public");
    EXPECT_EQ(c_same_rows(first), "two\n");
    EXPECT_EQ(c_same_rows(second), "one\n");
    EXPECT_EQ(c_same_rows(first), "two\n");
}

// A row-level security policy can read settings PostgreSQL does not list (app.tenant) and other
// tables: a table with row-level security is never cached, also behind a view.
TEST_P(CacheTest, TablesWithRowLevelSecurityAreNeverCached) {
    if (!postgres()) GTEST_SKIP() << "row-level security is PostgreSQL's";
    make_allowed_role();
    run_all(writer, {"DROP TABLE IF EXISTS c_rls CASCADE", "CREATE TABLE c_rls (tenant TEXT, v TEXT)",
                     "INSERT INTO c_rls VALUES ('a', 'for a'), ('b', 'for b')", "ALTER TABLE c_rls ENABLE ROW LEVEL SECURITY",
                     "CREATE POLICY c_rls_tenant ON c_rls USING (tenant = current_setting('app.tenant', true))",
                     "CREATE VIEW c_rls_view WITH (security_invoker = true) AS SELECT v FROM c_rls",
                     "GRANT SELECT ON c_rls, c_rls_view TO c_allowed"});
    Session a, b;
    for (auto [session, tenant] : {std::pair{&a, "a"}, std::pair{&b, "b"}}) {
        connect_as_allowed(*session);
        session->run(std::string("DO $$BEGIN PERFORM set_config('app.tenant', '") + tenant + "', false); END$$");
    }
    for (const char* query : {"SELECT v FROM c_rls", "SELECT v FROM c_rls_view"}) {
        EXPECT_EQ(read(a, query).rows, "for a\n") << query;
        EXPECT_EQ(read(b, query).rows, "for b\n") << query;
        EXPECT_FALSE(read(a, query).served) << query;
    }
}

// A foreign table's rows change on another server (here the same one, through postgres_fdw):
// never cached.
TEST_P(CacheTest, ForeignTablesAreNeverCached) {
    if (!postgres()) GTEST_SKIP() << "foreign tables are PostgreSQL's";
    const std::string port = std::getenv("CACHALOT_TEST_PGPORT");
    run_all(writer, {"CREATE EXTENSION IF NOT EXISTS postgres_fdw", "DROP SERVER IF EXISTS c_loop CASCADE",
                     "CREATE SERVER c_loop FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '" + port +
                         "', dbname 'cachalot')",
                     "CREATE USER MAPPING FOR CURRENT_USER SERVER c_loop OPTIONS (user 'cachalot', password 'cachalot')",
                     "DROP TABLE IF EXISTS c_ft_base", "CREATE TABLE c_ft_base (v INTEGER)", "INSERT INTO c_ft_base VALUES (1)",
                     "CREATE FOREIGN TABLE c_ft (v INTEGER) SERVER c_loop OPTIONS (table_name 'c_ft_base')"});
    EXPECT_EQ(read(reader, "SELECT v FROM c_ft").rows, "1\n");
    EXPECT_FALSE(read(reader, "SELECT v FROM c_ft").served);
    writer.run("INSERT INTO c_ft_base VALUES (2)");
    EXPECT_EQ(read(reader, "SELECT v FROM c_ft ORDER BY v").rows, "1\n2\n");
}

// REFRESH MATERIALIZED VIEW writes the view, also where statements the scanner cannot read
// invalidate nothing.
TEST_P(CacheTest, RefreshingAMaterializedViewMakesTheNextReadFresh) {
    if (!postgres()) GTEST_SKIP() << "materialized views are PostgreSQL's";
    Session quiet;
    connect_or_fail(quiet, with_settings(GetParam().shim, "InvalidateUnparsed=0"));
    run_all(writer, {"DROP MATERIALIZED VIEW IF EXISTS c_mv", "DROP TABLE IF EXISTS c_mv_base", "CREATE TABLE c_mv_base (v INTEGER)",
                     "INSERT INTO c_mv_base VALUES (1)", "CREATE MATERIALIZED VIEW c_mv AS SELECT count(*) AS n FROM c_mv_base"});
    EXPECT_EQ(read(reader, "SELECT n FROM c_mv").rows, "1\n");
    EXPECT_TRUE(read(reader, "SELECT n FROM c_mv").hit);
    run_all(quiet, {"INSERT INTO c_mv_base VALUES (2)", "REFRESH MATERIALIZED VIEW c_mv"});
    EXPECT_EQ(read(reader, "SELECT n FROM c_mv").rows, "2\n");
}

// ALTER ROLE ... SET and ALTER DATABASE ... SET change the settings of later connections only:
// the earlier ones keep theirs, and neither shares entries with the other.
TEST_P(CacheTest, SettingsOfTheUserOrDatabaseArePartOfTheKey) {
    if (!postgres()) GTEST_SKIP() << "PostgreSQL's per-role settings";
    make_two_schemas();
    make_allowed_role();
    run_all(writer, {"GRANT USAGE ON SCHEMA c_s1, c_s2 TO c_allowed", "GRANT SELECT ON c_s1.c_same, c_s2.c_same TO c_allowed",
                     "ALTER ROLE c_allowed SET search_path = c_s1, public"});
    Session before, after;
    connect_as_allowed(before);
    EXPECT_EQ(read(before, "SELECT 1").rows, "1\n");  // the session is observed
    writer.run("ALTER ROLE c_allowed SET search_path = c_s2, public");
    connect_as_allowed(after);
    writer.run("ALTER ROLE c_allowed RESET search_path");
    EXPECT_EQ(c_same_rows(before), "one\n");
    EXPECT_EQ(c_same_rows(after), "two\n");
    EXPECT_EQ(c_same_rows(before), "one\n");
}

TEST_P(CacheTest, UsersNeverShareEntries) {
    if (!postgres()) GTEST_SKIP() << "grants are PostgreSQL's";
    make_allowed_role();
    run_all(writer, {"DROP TABLE IF EXISTS c_secret", "CREATE TABLE c_secret (v VARCHAR(10))", "INSERT INTO c_secret VALUES ('hidden')",
                     "DO $$BEGIN CREATE ROLE c_denied LOGIN PASSWORD 'denied'; EXCEPTION WHEN duplicate_object THEN NULL; END$$",
                     "GRANT SELECT ON c_secret TO c_allowed"});
    Session allowed, denied;
    connect_as_allowed(allowed);
    connect_or_fail(denied, "DSN=" + GetParam().shim + ";UID=c_denied;PWD=denied");
    EXPECT_EQ(read(allowed, "SELECT v FROM c_secret").rows, "hidden\n");
    EXPECT_TRUE(read(allowed, "SELECT v FROM c_secret").hit);
    EXPECT_EQ(read(denied, "SELECT v FROM c_secret").rows, "error 42501");
}

TEST_P(CacheTest, ATransactionsWritesReachOthersAtCommitAndNeverAfterRollback) {
    run_all(writer, {"DROP TABLE IF EXISTS c_tx", "CREATE TABLE c_tx (v INTEGER)", "INSERT INTO c_tx VALUES (1)"});
    const std::string query = "SELECT v FROM c_tx";
    EXPECT_EQ(read(reader, query).rows, "1\n");
    ASSERT_TRUE(SQL_SUCCEEDED(SQLSetConnectAttr(writer.dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0)));
    writer.run("UPDATE c_tx SET v = 2");
    // Inside: the writer reads its own write, never the cached 1.
    EXPECT_EQ(read(writer, query).rows, "2\n");
    EXPECT_FALSE(read(writer, query).hit);
    // Outside, before commit (SQLite locks the table while the write is pending).
    if (postgres()) {
        EXPECT_EQ(read(reader, query).rows, "1\n");
    }
    ASSERT_TRUE(SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, writer.dbc, SQL_COMMIT)));
    EXPECT_EQ(read(reader, query).rows, "2\n");
    EXPECT_TRUE(read(reader, query).hit);
    writer.run("UPDATE c_tx SET v = 3");
    ASSERT_TRUE(SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, writer.dbc, SQL_ROLLBACK)));
    EXPECT_EQ(read(reader, query).rows, "2\n");
    EXPECT_TRUE(read(reader, query).hit);
    // Turning autocommit back on commits.
    writer.run("UPDATE c_tx SET v = 4");
    ASSERT_TRUE(SQL_SUCCEEDED(SQLSetConnectAttr(writer.dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0)));
    EXPECT_EQ(read(reader, query).rows, "4\n");
}

TEST_P(CacheTest, TransactionsInSqlAndSavepoints) {
    run_all(writer, {"DROP TABLE IF EXISTS c_tx_sql", "CREATE TABLE c_tx_sql (v INTEGER)", "INSERT INTO c_tx_sql VALUES (1)"});
    const std::string query = "SELECT v FROM c_tx_sql";
    EXPECT_EQ(read(reader, query).rows, "1\n");
    run_all(writer, {"BEGIN", "UPDATE c_tx_sql SET v = 2", "SAVEPOINT s1", "UPDATE c_tx_sql SET v = 3", "ROLLBACK TO SAVEPOINT s1"});
    EXPECT_EQ(read(writer, query).rows, "2\n");
    writer.run("COMMIT");
    EXPECT_EQ(read(reader, query).rows, "2\n");
    run_all(writer, {"BEGIN", "UPDATE c_tx_sql SET v = 5", "ROLLBACK"});
    EXPECT_EQ(read(reader, query).rows, "2\n");
    EXPECT_TRUE(read(reader, query).hit);
    run_all(writer, {postgres() ? "START TRANSACTION" : "BEGIN TRANSACTION", "DELETE FROM c_tx_sql", "END"});
    EXPECT_EQ(read(reader, query).rows, "");
    if (!postgres()) return;  // SQLite has neither AND CHAIN nor two-phase commit
    // AND CHAIN begins another transaction at once: its writes reach others at its own end. (In
    // one batch: psqlODBC's savepoint around a statement in a transaction does not survive it.)
    writer.run("BEGIN; INSERT INTO c_tx_sql VALUES (6); COMMIT AND CHAIN; UPDATE c_tx_sql SET v = 7");
    EXPECT_EQ(read(reader, query).rows, "6\n");
    writer.run("COMMIT");
    EXPECT_EQ(read(reader, query).rows, "7\n");
    writer.run("BEGIN; UPDATE c_tx_sql SET v = 8; ROLLBACK AND CHAIN; UPDATE c_tx_sql SET v = 9");
    EXPECT_EQ(read(reader, query).rows, "7\n");
    writer.run("COMMIT");
    EXPECT_EQ(read(reader, query).rows, "9\n");
    // A prepared transaction's writes land at COMMIT PREPARED, which another connection may run.
    run_all(writer, {"BEGIN", "UPDATE c_tx_sql SET v = 10", "PREPARE TRANSACTION 'c_tx_sql'"});
    EXPECT_EQ(read(reader, query).rows, "9\n");
    EXPECT_EQ(read(reader, query).rows, "9\n");
    Session other;
    connect_or_fail(other, GetParam().shim);
    other.run("COMMIT PREPARED 'c_tx_sql'");
    EXPECT_EQ(read(reader, query).rows, "10\n");
}

// After a statement of a transaction failed, PostgreSQL may refuse every read until ROLLBACK or
// ROLLBACK TO SAVEPOINT (psqlODBC undoes only its own statements' failures): the cache must
// not answer for the transaction then. The same calls on the direct DSN say what each read
// gives; SQLite goes on reading.
TEST_P(CacheTest, AFailedStatementLeavesTheTransactionToTheTarget) {
    run_all(writer, {"DROP TABLE IF EXISTS c_failed", "CREATE TABLE c_failed (v INTEGER)", "INSERT INTO c_failed VALUES (1)"});
    const std::string query = "SELECT v FROM c_failed";
    read(reader, query);
    ASSERT_TRUE(read(reader, query).hit);
    auto on_both = [&](const std::string& sql) {
        const std::string answer = read(direct, sql).rows;
        EXPECT_EQ(read(reader, sql).rows, answer) << sql;
    };
    // Whether the read gives what the direct DSN gives, and was a hit.
    auto read_hit = [&](const std::string& when) {
        const std::string expected = read(direct, query).rows;
        const Read got = read(reader, query);
        EXPECT_EQ(got.rows, expected) << when;
        return got.hit;
    };
    on_both("BEGIN");
    EXPECT_EQ(read_hit("in the transaction"), postgres());  // SQLite's is serializable
    on_both("SAVEPOINT c_point");
    on_both("ROLLBACK TO SAVEPOINT c_nowhere");
    EXPECT_FALSE(read_hit("after a failed statement"));
    on_both("ROLLBACK TO SAVEPOINT c_point");
    EXPECT_EQ(read_hit("after ROLLBACK TO SAVEPOINT"), postgres());
    on_both("SELECT v FROM c_failed_nowhere");
    EXPECT_FALSE(read_hit("after a failed read"));
    on_both("ROLLBACK");
    EXPECT_TRUE(read_hit("after ROLLBACK"));
    // The same with autocommit off, ended by SQLEndTran.
    for (Session* session : {&direct, &reader})
        ASSERT_TRUE(SQL_SUCCEEDED(SQLSetConnectAttr(session->dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0)));
    EXPECT_EQ(read_hit("with autocommit off"), postgres());
    on_both("SELECT v FROM c_failed_nowhere");
    EXPECT_FALSE(read_hit("after a failed read, autocommit off"));
    for (Session* session : {&direct, &reader}) ASSERT_TRUE(SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, session->dbc, SQL_ROLLBACK)));
    EXPECT_EQ(read_hit("after SQLEndTran"), postgres());
    for (Session* session : {&direct, &reader})
        ASSERT_TRUE(SQL_SUCCEEDED(SQLSetConnectAttr(session->dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0)));
}

// What the shim asks the target after a write (the tables a foreign key cascades to) must not
// change how the target treats the application's transaction: psqlODBC undoes a failed
// statement alone, with its savepoint, unless the statement before was one it counts as
// read-only (its catalog functions'), and then rolls the whole transaction back.
TEST_P(CacheTest, WhatTheShimAsksAfterAWriteLeavesTheTransactionAlone) {
    run_all(writer, {"DROP TABLE IF EXISTS c_kept", "CREATE TABLE c_kept (id INTEGER PRIMARY KEY)"});
    auto answers = [&](Session& session) {
        std::string all;
        for (const char* sql : {"BEGIN", "INSERT INTO c_kept VALUES (1)", "INSERT INTO c_kept VALUES (1)",
                                "SELECT id FROM c_kept", "ROLLBACK", "SELECT id FROM c_kept"})
            all += std::string(sql) + " -> " + read(session, sql).rows + "\n";
        return all;
    };
    const std::string expected = answers(direct);
    EXPECT_NE(expected.find("SELECT id FROM c_kept -> 1"), std::string::npos) << expected;
    EXPECT_EQ(answers(reader), expected);  // the connection's first write to c_kept
}

TEST_P(CacheTest, AboveReadCommittedATransactionBypassesTheCache) {
    run_all(writer, {"DROP TABLE IF EXISTS c_iso", "CREATE TABLE c_iso (v INTEGER)", "INSERT INTO c_iso VALUES (1)"});
    const std::string query = "SELECT v FROM c_iso";
    read(reader, query);
    ASSERT_TRUE(read(reader, query).hit);
    if (postgres()) {
        run_all(reader, {"BEGIN ISOLATION LEVEL REPEATABLE READ"});
        EXPECT_FALSE(read(reader, query).served);
        reader.run("COMMIT");
        SQLSetConnectAttr(reader.dbc, SQL_ATTR_TXN_ISOLATION, (SQLPOINTER)SQL_TXN_SERIALIZABLE, 0);
    }
    // SQLite's transactions are serializable.
    ASSERT_TRUE(SQL_SUCCEEDED(SQLSetConnectAttr(reader.dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0)));
    EXPECT_FALSE(read(reader, query).served);
    SQLEndTran(SQL_HANDLE_DBC, reader.dbc, SQL_COMMIT);
    SQLSetConnectAttr(reader.dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0);
    EXPECT_TRUE(read(reader, query).hit);
}

// A default isolation above READ COMMITTED, set in SQL or by code the shim cannot read, makes
// later transactions bypass the cache as BEGIN ISOLATION LEVEL does for one.
TEST_P(CacheTest, ADefaultIsolationAboveReadCommittedBypassesTheCache) {
    if (!postgres()) GTEST_SKIP() << "SQLite's transactions are serializable";
    run_all(writer, {"DROP TABLE IF EXISTS c_iso", "CREATE TABLE c_iso (v INTEGER)", "INSERT INTO c_iso VALUES (1)"});
    const std::string query = "SELECT v FROM c_iso";
    auto served_in_transaction = [&] {
        reader.run("BEGIN");
        const bool served = read(reader, query).served;
        reader.run("COMMIT");
        return served;
    };
    EXPECT_TRUE(served_in_transaction());
    reader.run("SET default_transaction_isolation = 'repeatable read'");
    EXPECT_FALSE(served_in_transaction());
    reader.run("SET SESSION default_transaction_isolation TO 'read committed'");
    EXPECT_TRUE(served_in_transaction());
    reader.run("DO $$BEGIN PERFORM set_config('default_transaction_isolation', 'serializable', false); END$$");
    EXPECT_FALSE(served_in_transaction());
    // Lowered by code the shim cannot read, it is not trusted (the driver may hold an isolation
    // the application set and not sent yet); lowered in SQL, it is.
    reader.run("DO $$BEGIN SET default_transaction_isolation TO 'read committed'; END$$");
    EXPECT_FALSE(served_in_transaction());
    reader.run("SET default_transaction_isolation TO 'read committed'");
    EXPECT_TRUE(served_in_transaction());
}

TEST_P(CacheTest, ParametersAndAttributesArePartOfTheKey) {
    run_all(writer, {"DROP TABLE IF EXISTS c_param", "CREATE TABLE c_param (id INTEGER, v VARCHAR(5))",
                     "INSERT INTO c_param VALUES (1, 'a'), (2, 'b'), (3, 'c')"});
    SQLHSTMT stmt = reader.statement();
    ASSERT_TRUE(SQL_SUCCEEDED(SQLPrepare(stmt, (SQLCHAR*)"SELECT v FROM c_param WHERE id >= ? ORDER BY id", SQL_NTS)));
    SQLINTEGER id = 0;
    SQLBindParameter(stmt, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, 0, nullptr);
    auto run = [&](SQLINTEGER value, SQLULEN max_rows) {
        id = value;
        SQLSetStmtAttr(stmt, SQL_ATTR_MAX_ROWS, (SQLPOINTER)max_rows, 0);
        EXPECT_TRUE(SQL_SUCCEEDED(SQLExecute(stmt)));
        SQLULEN hit = 0;
        SQLGetStmtAttr(stmt, SQL_ATTR_CACHALOT_HIT, &hit, 0, nullptr);
        std::string rows;
        char v[8];
        SQLLEN length;
        while (SQL_SUCCEEDED(SQLFetch(stmt))) {
            SQLGetData(stmt, 1, SQL_C_CHAR, v, sizeof v, &length);
            rows += v;
        }
        SQLCloseCursor(stmt);
        return rows + (hit ? " hit" : "");
    };
    EXPECT_EQ(run(2, 0), "bc");
    EXPECT_EQ(run(2, 0), "bc hit");
    EXPECT_EQ(run(1, 0), "abc");
    EXPECT_EQ(run(1, 2), "ab");
    EXPECT_EQ(run(1, 2), "ab hit");
    EXPECT_EQ(run(1, 0), "abc hit");
}

INSTANTIATE_TEST_SUITE_P(Drivers, CacheTest, ::testing::ValuesIn(cache_backends()),
                         [](const ::testing::TestParamInfo<Backend>& info) { return info.param.name; });

}  // namespace
}  // namespace cachalot::test

namespace cachalot::test {
namespace {

// Every setting, each through a connection string or DSN as users write them (SQLite: the
// settings do not depend on the target).
class SettingsTest : public ::testing::Test {
protected:
    void SetUp() override {
        connect_or_fail(setup, "sqlite-cachalot");
        setup.run("DROP TABLE IF EXISTS c_set_a");
        setup.run("DROP TABLE IF EXISTS c_set_b");
        setup.run("CREATE TABLE c_set_a (id INTEGER, v VARCHAR(100))");
        setup.run("CREATE TABLE c_set_b (id INTEGER)");
        setup.run("INSERT INTO c_set_a VALUES (1, 'a'), (2, 'b')");
        setup.run("INSERT INTO c_set_b VALUES (1)");
    }
    // Whether the second of two reads on `connection` was a hit.
    bool cached(const std::string& connection, const std::string& query) {
        Session session;
        connect_or_fail(session, connection);
        read(session, query);
        return read(session, query).hit;
    }
    // Whether two reads on `connection` both came straight from the target: a read the cache
    // does not keep is not captured either.
    bool passed_through(const std::string& connection, const std::string& query) {
        Session session;
        connect_or_fail(session, connection);
        const bool first_served = read(session, query).served;
        return !first_served && !read(session, query).served;
    }
    Session setup;
};

constexpr const char* read_a = "SELECT id, v FROM c_set_a ORDER BY id";

TEST_F(SettingsTest, CacheEnabledZeroServesNothingButStillInvalidates) {
    Session on, off;
    connect_or_fail(on, "sqlite-cachalot");
    connect_or_fail(off, "sqlite-cachalot-off");  // CacheEnabled=0 in the DSN
    read(on, read_a);
    EXPECT_TRUE(read(on, read_a).hit);
    EXPECT_FALSE(read(off, read_a).served);
    EXPECT_FALSE(read(off, read_a).served);
    off.run("UPDATE c_set_a SET v = 'changed' WHERE id = 1");
    const Read after = read(on, read_a);
    EXPECT_FALSE(after.hit);
    EXPECT_EQ(after.rows, "1|changed\n2|b\n");
    EXPECT_TRUE(passed_through(with_settings("sqlite-cachalot", "CacheEnabled=0"), read_a));
}

TEST_F(SettingsTest, OnlyCachableTablesAndUncachableTables) {
    const std::string only_a = with_settings("sqlite-cachalot", "OnlyCachableTables=c_set_a");
    EXPECT_TRUE(cached(only_a, read_a));
    EXPECT_TRUE(passed_through(only_a, "SELECT id FROM c_set_b"));
    EXPECT_TRUE(passed_through(only_a, "SELECT a.id FROM c_set_a a JOIN c_set_b b ON a.id = b.id"));
    EXPECT_TRUE(passed_through(with_settings("sqlite-cachalot", "UncachableTables=C_SET_B"), "SELECT a.id FROM c_set_a a JOIN c_set_b b ON a.id = b.id"));
    EXPECT_TRUE(cached(with_settings("sqlite-cachalot", "UncachableTables=c_set_b"), read_a));
    // The blacklist wins over the whitelist.
    EXPECT_TRUE(passed_through(with_settings("sqlite-cachalot", "OnlyCachableTables=c_set_a;UncachableTables=c_set_a"), read_a));
}

TEST_F(SettingsTest, CacheRandom) {
    const std::string shuffled = "SELECT id FROM c_set_a ORDER BY random()";
    EXPECT_TRUE(passed_through("sqlite-cachalot", shuffled));
    EXPECT_TRUE(cached(with_settings("sqlite-cachalot", "CacheRandom=1"), shuffled));
}

TEST_F(SettingsTest, CacheTimeoutEndsAnEntry) {
    Session session;
    connect_or_fail(session, with_settings("sqlite-cachalot", "CacheTimeout=1"));
    read(session, read_a);
    EXPECT_TRUE(read(session, read_a).hit);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    EXPECT_FALSE(read(session, read_a).hit);
    EXPECT_TRUE(read(session, read_a).hit);
}

TEST_F(SettingsTest, CacheMaxEntrySizeServesButDoesNotStoreLargerResults) {
    for (int i = 0; i < 40; ++i) setup.run("INSERT INTO c_set_a VALUES (" + std::to_string(i + 10) + ", '" + std::string(90, 'x') + "')");
    const std::string small = with_settings("sqlite-cachalot", "CacheMaxEntrySize=2048");
    EXPECT_FALSE(cached(small, read_a));
    EXPECT_TRUE(cached(small, "SELECT id FROM c_set_b"));
    Session session, direct;
    connect_or_fail(session, small);
    connect_or_fail(direct, "sqlite");
    EXPECT_EQ(read(session, read_a).rows, read(direct, read_a).rows);
}

TEST_F(SettingsTest, InvalidateUnparsed) {
    for (bool invalidates : {true, false}) {
        Session session;
        connect_or_fail(session, with_settings("sqlite-cachalot", invalidates ? "InvalidateUnparsed=1" : "InvalidateUnparsed=0"));
        read(session, read_a);
        ASSERT_TRUE(read(session, read_a).hit);
        session.run("VACUUM");  // a statement the scanner does not classify
        EXPECT_EQ(read(session, read_a).hit, !invalidates) << "InvalidateUnparsed=" << invalidates;
    }
}

TEST_F(SettingsTest, InvalidateAlsoCoversWhatTriggersWrite) {
    setup.run("DROP TRIGGER IF EXISTS c_set_trigger");
    setup.run("CREATE TRIGGER c_set_trigger AFTER UPDATE ON c_set_a BEGIN UPDATE c_set_b SET id = id + 1; END");
    Session session;
    connect_or_fail(session, with_settings("sqlite-cachalot", "InvalidateAlso=c_set_a:c_set_b"));
    const std::string query = "SELECT id FROM c_set_b";
    EXPECT_EQ(read(session, query).rows, "1\n");
    EXPECT_TRUE(read(session, query).hit);
    session.run("UPDATE c_set_a SET v = 'z' WHERE id = 1");
    EXPECT_EQ(read(session, query).rows, "2\n");
}

TEST_F(SettingsTest, CacheKeyPrefixSeparatesCaches) {
    Session one, two;
    connect_or_fail(one, with_settings("sqlite-cachalot", "CacheKeyPrefix=one"));
    connect_or_fail(two, with_settings("sqlite-cachalot", "CacheKeyPrefix=two"));
    read(one, read_a);
    EXPECT_TRUE(read(one, read_a).hit);
    EXPECT_FALSE(read(two, read_a).hit);
    EXPECT_TRUE(read(two, read_a).hit);
}

TEST_F(SettingsTest, CacheLogHasALinePerDecision) {
    const std::string path = ::testing::TempDir() + "cachalot-settings-test.log";
    std::remove(path.c_str());
    Session session;
    connect_or_fail(session, with_settings("sqlite-cachalot", "CacheLog=" + path));
    read(session, read_a);
    read(session, read_a);
    read(session, "SELECT id FROM c_set_a ORDER BY random()");
    session.run("UPDATE c_set_b SET id = 5");
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    const std::string log = text.str();
    EXPECT_NE(log.find("sqlite-cachalot miss stored | SELECT id, v FROM c_set_a ORDER BY id\n"), std::string::npos) << log;
    EXPECT_NE(log.find("sqlite-cachalot hit | SELECT id, v FROM c_set_a ORDER BY id\n"), std::string::npos) << log;
    EXPECT_NE(log.find("sqlite-cachalot bypass not_pure uses a random function: random | SELECT id FROM c_set_a ORDER BY random()\n"),
              std::string::npos) << log;
    EXPECT_NE(log.find("sqlite-cachalot invalidate c_set_b | UPDATE c_set_b SET id = 5\n"), std::string::npos) << log;
}

TEST_F(SettingsTest, CountersAreReadThroughAConnectionAttribute) {
    Session session;
    connect_or_fail(session, "sqlite-cachalot");
    auto counter = [&](const std::string& name) {
        char json[1024] = {};
        SQLINTEGER length = 0;
        EXPECT_TRUE(SQL_SUCCEEDED(SQLGetConnectAttr(session.dbc, SQL_ATTR_CACHALOT_STATS, json, sizeof json, &length)));
        const std::string text = json;
        const auto at = text.find("\"" + name + "\":");
        return at == std::string::npos ? -1L : std::stol(text.substr(at + name.size() + 3));
    };
    const long hits = counter("hits"), stores = counter("stores"), invalidations = counter("invalidations");
    const long random = counter("not_pure");
    read(session, read_a);
    read(session, read_a);
    read(session, "SELECT id FROM c_set_a ORDER BY random()");
    session.run("UPDATE c_set_b SET id = 6");
    EXPECT_EQ(counter("hits"), hits + 1);
    EXPECT_EQ(counter("stores"), stores + 1);
    EXPECT_EQ(counter("not_pure"), random + 1);
    EXPECT_EQ(counter("invalidations"), invalidations + 1);
}

}  // namespace
}  // namespace cachalot::test
