// The SQL scanner: a table of statements and what `cachalot explain` must print for them.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>

#include "sqlscan/lexer.hpp"
#include "sqlscan/parse_cache.hpp"
#include "sqlscan/scan.hpp"

namespace cachalot::sqlscan {
namespace {

struct Case {
    Dialect dialect;
    const char* sql;
    const char* json;  // one line per statement
};

void PrintTo(const Case& c, std::ostream* out) { *out << c.sql; }

constexpr Dialect pg = Dialect::postgresql, my = Dialect::mysql, lite = Dialect::sqlite, any = Dialect::generic;

std::string explain(Dialect dialect, const std::string& sql) {
    std::string out;
    for (const auto& statement : scan(sql, dialect)) out += to_json(statement) + "\n";
    return out;
}

class Corpus : public ::testing::TestWithParam<Case> {};

TEST_P(Corpus, ExplainsAsExpected) {
    const Case& c = GetParam();
    std::string expected = c.json;
    if (!expected.empty() && expected.back() != '\n') expected += '\n';
    EXPECT_EQ(explain(c.dialect, c.sql), expected) << c.sql;
}

const Case shapes[] = {
    {any, "SELECT * FROM orders", R"J({"kind":"select","reads":["orders"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "select o.id from orders o, customers c where c.id = o.customer_id",
     R"J({"kind":"select","reads":["customers","orders"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "SELECT * FROM a JOIN b ON a.id = b.a_id LEFT OUTER JOIN c USING (id) CROSS JOIN d NATURAL JOIN e",
     R"J({"kind":"select","reads":["a","b","c","d","e"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "select * from a join b on a.x = b.x, c where 1 = 1",
     R"J({"kind":"select","reads":["a","b","c"],"writes":[],"cachable":true,"reason":null})J"},
    {pg, "SELECT * FROM a, LATERAL (SELECT * FROM b WHERE b.a = a.id) x",
     R"J({"kind":"select","reads":["a","b"],"writes":[],"cachable":true,"reason":null})J"},
    {pg, "SELECT * FROM ONLY parent", R"J({"kind":"select","reads":["parent"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "SELECT (SELECT max(x) FROM a) AS m, b.y FROM b WHERE b.z IN (SELECT z FROM c) AND EXISTS (SELECT 1 FROM d) "
          "AND b.w = ANY (SELECT w FROM e) GROUP BY b.y HAVING count(*) > (SELECT count(*) FROM f)",
     R"J({"kind":"select","reads":["a","b","c","d","e","f"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "SELECT * FROM (SELECT * FROM (SELECT * FROM deep) d1) d2",
     R"J({"kind":"select","reads":["deep"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "SELECT a FROM x UNION SELECT a FROM y INTERSECT SELECT a FROM z EXCEPT SELECT a FROM w",
     R"J({"kind":"select","reads":["w","x","y","z"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "(SELECT a FROM x) UNION ALL (SELECT a FROM y)",
     R"J({"kind":"select","reads":["x","y"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "WITH t AS (SELECT * FROM orders) SELECT * FROM t JOIN items ON items.o = t.id",
     R"J({"kind":"select","reads":["items","orders"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "WITH t AS (SELECT * FROM t) SELECT * FROM t",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    {pg, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT * FROM r",
     R"J({"kind":"select","reads":[],"writes":[],"cachable":true,"reason":null})J"},
    {pg, "WITH moved AS (DELETE FROM queue WHERE id < 10 RETURNING *) INSERT INTO archive SELECT * FROM moved",
     R"J({"kind":"insert","reads":[],"writes":["archive","queue"],"cachable":false,"reason":"not a read: insert"})J"},
    {pg, "WITH d AS (UPDATE t SET x = 1 RETURNING *) SELECT * FROM d",
     R"J({"kind":"select","reads":[],"writes":["t"],"cachable":false,"reason":"writes (a data-modifying WITH or SELECT ... INTO)"})J"},
    {any, "VALUES (1, 'a'), (2, 'b')", R"J({"kind":"values","reads":[],"writes":[],"cachable":true,"reason":null})J"},
    {any, "SELECT * FROM (VALUES (1), (2)) v(x) JOIN t ON t.x = v.x",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "SELECT created_at, update_count, deleted, \"from\", \"select\" FROM t",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "SELECT * FROM \"Sales\".\"Order Items\" oi",
     R"J({"kind":"select","reads":["order items"],"writes":[],"cachable":true,"reason":null})J"},
    {pg, "SELECT * FROM generate_series(1, 10) g JOIN t ON t.id = g",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    {pg, "SELECT extract(year FROM created_at), substring(name FROM 2 FOR 3), trim(both ' ' from name) FROM t",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "SELECT CAST(x AS varchar(20)), CAST(y AS numeric(10, 2)), coalesce(z, 0) FROM t",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    // Writes
    {any, "INSERT INTO t (a, b) VALUES (1, 2)", R"J({"kind":"insert","reads":[],"writes":["t"],"cachable":false,"reason":"not a read: insert"})J"},
    {any, "INSERT INTO t SELECT * FROM s WHERE s.x IN (SELECT x FROM u)",
     R"J({"kind":"insert","reads":["s","u"],"writes":["t"],"cachable":false,"reason":"not a read: insert"})J"},
    {pg, "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET b = excluded.b RETURNING id",
     R"J({"kind":"insert","reads":[],"writes":["t"],"cachable":false,"reason":"not a read: insert"})J"},
    {my, "INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE b = VALUES(b)",
     R"J({"kind":"insert","reads":[],"writes":["t"],"cachable":false,"reason":"not a read: insert"})J"},
    {my, "REPLACE INTO t VALUES (1)", R"J({"kind":"replace","reads":[],"writes":["t"],"cachable":false,"reason":"not a read: replace"})J"},
    {lite, "INSERT OR REPLACE INTO t VALUES (1)",
     R"J({"kind":"replace","reads":[],"writes":["t"],"cachable":false,"reason":"not a read: replace"})J"},
    {any, "UPDATE t SET a = 1 WHERE id = 2", R"J({"kind":"update","reads":[],"writes":["t"],"cachable":false,"reason":"not a read: update"})J"},
    {pg, "UPDATE t SET a = s.a FROM s WHERE s.id = t.id",
     R"J({"kind":"update","reads":["s"],"writes":["t"],"cachable":false,"reason":"not a read: update"})J"},
    {my, "UPDATE a JOIN b ON a.id = b.a_id SET a.x = b.y, a.z = 1",
     R"J({"kind":"update","reads":[],"writes":["a","b"],"cachable":false,"reason":"not a read: update"})J"},
    {any, "UPDATE t SET a = (SELECT max(a) FROM s) WHERE id IN (SELECT id FROM u)",
     R"J({"kind":"update","reads":["s","u"],"writes":["t"],"cachable":false,"reason":"not a read: update"})J"},
    {any, "DELETE FROM t WHERE id = 1", R"J({"kind":"delete","reads":[],"writes":["t"],"cachable":false,"reason":"not a read: delete"})J"},
    {pg, "DELETE FROM t USING s WHERE s.id = t.id",
     R"J({"kind":"delete","reads":["s"],"writes":["t"],"cachable":false,"reason":"not a read: delete"})J"},
    {my, "DELETE t1, t2 FROM t1 JOIN t2 ON t1.id = t2.id WHERE t1.x = 1",
     R"J({"kind":"delete","reads":[],"writes":["t1","t2"],"cachable":false,"reason":"not a read: delete"})J"},
    {any, "DELETE FROM t WHERE id NOT IN (SELECT t_id FROM keep)",
     R"J({"kind":"delete","reads":["keep"],"writes":["t"],"cachable":false,"reason":"not a read: delete"})J"},
    {any, "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.v)",
     R"J({"kind":"merge","reads":["s"],"writes":["t"],"cachable":false,"reason":"not a read: merge"})J"},
    {pg, "TRUNCATE a, b", R"J({"kind":"truncate","reads":[],"writes":["a","b"],"cachable":false,"reason":"not a read: truncate"})J"},
    {pg, "TRUNCATE TABLE ONLY a", R"J({"kind":"truncate","reads":[],"writes":["a"],"cachable":false,"reason":"not a read: truncate"})J"},
    {pg, "COPY t FROM STDIN", R"J({"kind":"copy_from","reads":[],"writes":["t"],"cachable":false,"reason":"not a read: copy_from"})J"},
    {pg, "COPY t (a, b) TO STDOUT", R"J({"kind":"copy_to","reads":["t"],"writes":[],"cachable":false,"reason":"not a read: copy_to"})J"},
    {pg, "COPY (SELECT * FROM t JOIN s ON s.id = t.id) TO STDOUT",
     R"J({"kind":"copy_to","reads":["s","t"],"writes":[],"cachable":false,"reason":"not a read: copy_to"})J"},
    {pg, "SELECT * INTO new_table FROM t",
     R"J({"kind":"select","reads":["t"],"writes":["new_table"],"cachable":false,"reason":"writes (a data-modifying WITH or SELECT ... INTO)"})J"},
    {my, "SELECT a INTO @v FROM t", R"J({"kind":"select","reads":["t"],"writes":[],"cachable":false,"reason":"SELECT ... INTO"})J"},
    // DDL
    {any, "CREATE TABLE t (id integer PRIMARY KEY, p integer REFERENCES parent(id))",
     R"J({"kind":"create","reads":[],"writes":["t"],"cachable":false,"reason":"not a read: create"})J"},
    {pg, "CREATE TEMP TABLE tmp AS SELECT * FROM t",
     R"J({"kind":"create","reads":["t"],"writes":["tmp"],"cachable":false,"reason":"not a read: create"})J"},
    {any, "CREATE VIEW v AS SELECT * FROM a JOIN b ON a.id = b.id",
     R"J({"kind":"create","reads":["a","b"],"writes":["v"],"cachable":false,"reason":"not a read: create"})J"},
    {any, "CREATE UNIQUE INDEX i ON t (a, b)", R"J({"kind":"create","reads":[],"writes":["t"],"cachable":false,"reason":"not a read: create"})J"},
    {lite, "CREATE TRIGGER tr AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); END",
     R"J({"kind":"create","reads":[],"writes":["a"],"cachable":false,"reason":"not a read: create"})J"},
    {pg, "ALTER TABLE a RENAME TO b", R"J({"kind":"alter","reads":[],"writes":["a","b"],"cachable":false,"reason":"not a read: alter"})J"},
    {pg, "ALTER TABLE a ADD COLUMN c integer", R"J({"kind":"alter","reads":[],"writes":["a"],"cachable":false,"reason":"not a read: alter"})J"},
    {any, "DROP TABLE a, b", R"J({"kind":"drop","reads":[],"writes":["a","b"],"cachable":false,"reason":"not a read: drop"})J"},
    {any, "DROP TABLE IF EXISTS a", R"J({"kind":"drop","reads":[],"writes":["a"],"cachable":false,"reason":"not a read: drop"})J"},
    {my, "RENAME TABLE a TO b, c TO d", R"J({"kind":"rename","reads":[],"writes":["a","b","c","d"],"cachable":false,"reason":"not a read: rename"})J"},
    {any, "GRANT SELECT ON t TO bob", R"J({"kind":"grant","reads":[],"writes":[],"cachable":false,"reason":"not a read: grant"})J"},
    {any, "REVOKE ALL ON t FROM bob", R"J({"kind":"grant","reads":[],"writes":[],"cachable":false,"reason":"not a read: grant"})J"},
    // Transactions and sessions
    {any, "BEGIN", R"J({"kind":"begin","reads":[],"writes":[],"cachable":false,"reason":"not a read: begin"})J"},
    {my, "START TRANSACTION", R"J({"kind":"begin","reads":[],"writes":[],"cachable":false,"reason":"not a read: begin"})J"},
    {any, "COMMIT", R"J({"kind":"commit","reads":[],"writes":[],"cachable":false,"reason":"not a read: commit"})J"},
    {any, "ROLLBACK TO SAVEPOINT s1", R"J({"kind":"rollback","reads":[],"writes":[],"cachable":false,"reason":"not a read: rollback"})J"},
    {any, "SAVEPOINT s1", R"J({"kind":"savepoint","reads":[],"writes":[],"cachable":false,"reason":"not a read: savepoint"})J"},
    {any, "RELEASE SAVEPOINT s1", R"J({"kind":"release","reads":[],"writes":[],"cachable":false,"reason":"not a read: release"})J"},
    {pg, "SET search_path TO app, public", R"J({"kind":"session","reads":[],"writes":[],"cachable":false,"reason":"not a read: session"})J"},
    {my, "USE shop", R"J({"kind":"session","reads":[],"writes":[],"cachable":false,"reason":"not a read: session"})J"},
    {lite, "PRAGMA foreign_keys = ON", R"J({"kind":"session","reads":[],"writes":[],"cachable":false,"reason":"not a read: session"})J"},
    {lite, "PRAGMA table_info(t)", R"J({"kind":"show","reads":[],"writes":[],"cachable":false,"reason":"not a read: show"})J"},
    {lite, "ATTACH DATABASE 'x.db' AS x", R"J({"kind":"session","reads":[],"writes":[],"cachable":false,"reason":"not a read: session"})J"},
    {pg, "CALL refresh_all()", R"J({"kind":"call","reads":[],"writes":[],"cachable":false,"reason":"not a read: call"})J"},
    {any, "{call refresh(?)}", R"J({"kind":"call","reads":[],"writes":[],"cachable":false,"reason":"not a read: call"})J"},
    {any, "{? = call compute(?, ?)}", R"J({"kind":"call","reads":[],"writes":[],"cachable":false,"reason":"not a read: call"})J"},
    {pg, "EXPLAIN SELECT * FROM t", R"J({"kind":"explain","reads":["t"],"writes":[],"cachable":false,"reason":"not a read: explain"})J"},
    {pg, "EXPLAIN ANALYZE DELETE FROM t", R"J({"kind":"explain","reads":[],"writes":["t"],"cachable":false,"reason":"not a read: explain"})J"},
    {pg, "EXPLAIN (ANALYZE, BUFFERS) UPDATE t SET x = 1",
     R"J({"kind":"explain","reads":[],"writes":["t"],"cachable":false,"reason":"not a read: explain"})J"},
    {pg, "EXPLAIN DELETE FROM t", R"J({"kind":"explain","reads":[],"writes":[],"cachable":false,"reason":"not a read: explain"})J"},
    {my, "SHOW TABLES", R"J({"kind":"show","reads":[],"writes":[],"cachable":false,"reason":"not a read: show"})J"},
    // Not cachable reads
    {any, "SELECT * FROM t FOR UPDATE", R"J({"kind":"select","reads":["t"],"writes":[],"cachable":false,"reason":"locking read (FOR UPDATE/SHARE)"})J"},
    {pg, "SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":false,"reason":"locking read (FOR UPDATE/SHARE)"})J"},
    {my, "SELECT * FROM t LOCK IN SHARE MODE", R"J({"kind":"select","reads":["t"],"writes":[],"cachable":false,"reason":"locking read (FOR UPDATE/SHARE)"})J"},
    {pg, "SELECT * FROM t ORDER BY random()", R"J({"kind":"select","reads":["t"],"writes":[],"cachable":false,"reason":"uses a random function: random"})J"},
    {my, "SELECT * FROM t ORDER BY RAND() LIMIT 1", R"J({"kind":"select","reads":["t"],"writes":[],"cachable":false,"reason":"uses a random function: rand"})J"},
    {pg, "SELECT count(*) FROM t AS s TABLESAMPLE SYSTEM (10) REPEATABLE (42), u TABLESAMPLE public.system_rows ((SELECT n FROM v)) WHERE s.id = u.id",
     R"J({"kind":"select","reads":["t","u","v"],"writes":[],"cachable":false,"reason":"uses a random function: tablesample"})J"},
    {pg, "SELECT * FROM t JOIN u TABLESAMPLE BERNOULLI (50) ON true", R"J({"kind":"select","reads":["t","u"],"writes":[],"cachable":false,"reason":"uses a random function: tablesample"})J"},
    {pg, "SELECT now(), x FROM t", R"J({"kind":"select","reads":["t"],"writes":[],"cachable":false,"reason":"uses a volatile function: now"})J"},
    {any, "SELECT * FROM t WHERE created > CURRENT_TIMESTAMP",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":false,"reason":"uses a volatile function: current_timestamp"})J"},
    {pg, "SELECT nextval('s')", R"J({"kind":"select","reads":[],"writes":[],"cachable":false,"reason":"uses a volatile function: nextval"})J"},
    {pg, "SELECT gen_random_uuid()", R"J({"kind":"select","reads":[],"writes":[],"cachable":false,"reason":"uses a volatile function: gen_random_uuid"})J"},
    {pg, "SELECT pg_is_in_recovery(), pg_size_pretty(pg_total_relation_size('t'))", R"J({"kind":"select","reads":[],"writes":[],"cachable":false,"reason":"uses a volatile function: pg_is_in_recovery"})J"},
    {my, "SELECT LAST_INSERT_ID()", R"J({"kind":"select","reads":[],"writes":[],"cachable":false,"reason":"uses a volatile function: last_insert_id"})J"},
    {lite, "SELECT * FROM t WHERE d > date('now', '-1 day')",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":false,"reason":"uses a volatile function: date"})J"},
    {lite, "SELECT date(d) FROM t", R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "SELECT {fn NOW()} FROM t", R"J({"kind":"select","reads":["t"],"writes":[],"cachable":false,"reason":"uses a volatile function: now"})J"},
    {pg, "SELECT my_function(x) FROM t",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":false,"reason":"calls a function not known to be pure: my_function"})J"},
    {pg, "SELECT * FROM my_table_function(1)",
     R"J({"kind":"select","reads":[],"writes":[],"cachable":false,"reason":"calls a function not known to be pure: my_table_function"})J"},
    {pg, "SELECT relname FROM pg_catalog.pg_class",
     R"J({"kind":"select","reads":["pg_class"],"writes":[],"cachable":false,"reason":"reads a system catalog: pg_class"})J"},
    {pg, "SELECT * FROM information_schema.tables",
     R"J({"kind":"select","reads":["tables"],"writes":[],"cachable":false,"reason":"reads a system catalog: tables"})J"},
    {lite, "SELECT name FROM sqlite_master WHERE type = 'table'",
     R"J({"kind":"select","reads":["sqlite_master"],"writes":[],"cachable":false,"reason":"reads a system catalog: sqlite_master"})J"},
    // Lexing
    {pg, "SELECT 'it''s -- not a comment; FROM x' FROM t -- FROM y\n WHERE a = $1",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    {pg, "SELECT /* FROM a /* nested FROM b */ still FROM c */ x FROM t",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    {pg, "SELECT $$ FROM a; $$, $tag$ it's $$ FROM b $tag$ FROM t",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    {pg, "SELECT E'a\\' FROM x' FROM t", R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    {my, "SELECT 'a\\' FROM x', \"also ' a string\" FROM t # FROM y",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    {my, "SELECT `select` FROM `order`", R"J({"kind":"select","reads":["order"],"writes":[],"cachable":true,"reason":null})J"},
    {lite, "SELECT [from] FROM [my table]", R"J({"kind":"select","reads":["my table"],"writes":[],"cachable":true,"reason":null})J"},
    {pg, "SELECT a::text, b->>'k', c @> '{1}' FROM t WHERE d = :name",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "SELECT * FROM überschrift", R"J({"kind":"select","reads":["überschrift"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "SELECT * FROM {oj a LEFT OUTER JOIN b ON a.id = b.id}",
     R"J({"kind":"select","reads":["a","b"],"writes":[],"cachable":true,"reason":null})J"},
    {any, "SELECT * FROM t WHERE d = {d '2024-01-01'} AND s LIKE 'a%' {escape '\\'}",
     R"J({"kind":"select","reads":["t"],"writes":[],"cachable":true,"reason":null})J"},
    // Several statements, and what cannot be read
    {any, "SELECT 1 FROM a; UPDATE b SET x = 1;; SELECT 2 FROM c;",
     "{\"kind\":\"select\",\"reads\":[\"a\"],\"writes\":[],\"cachable\":true,\"reason\":null}\n"
     "{\"kind\":\"update\",\"reads\":[],\"writes\":[\"b\"],\"cachable\":false,\"reason\":\"not a read: update\"}\n"
     "{\"kind\":\"select\",\"reads\":[\"c\"],\"writes\":[],\"cachable\":true,\"reason\":null}"},
    {any, "SELECT 'unterminated FROM t",
     R"J({"kind":"unknown","reads":[],"writes":[],"cachable":false,"reason":"could not be parsed: an unterminated string, identifier or comment, or SQL in a MySQL comment"})J"},
    {any, "FROBNICATE t", R"J({"kind":"unknown","reads":[],"writes":[],"cachable":false,"reason":"could not be parsed: unknown statement frobnicate"})J"},
    {any, "SELECT * FROM (SELECT * FROM t", R"J({"kind":"unknown","reads":[],"writes":[],"cachable":false,"reason":"could not be parsed: unbalanced parentheses"})J"},
    {any, "SELECT * FROM", R"J({"kind":"unknown","reads":[],"writes":[],"cachable":false,"reason":"could not be parsed: expected a name"})J"},
};

INSTANTIATE_TEST_SUITE_P(Shapes, Corpus, ::testing::ValuesIn(shapes));

// tests/sqlscan_corpus.txt: real SQL (TPC-H, pgbench, ORMs, psql, pg_dump) and more shapes.
// Each case is "## <dialect> <what>", the SQL, then one "=> <json>" line per statement.
struct FileCase {
    std::string title;
    Dialect dialect = Dialect::generic;
    std::string sql;
    std::string expected;
};

void PrintTo(const FileCase& c, std::ostream* out) { *out << c.title; }

std::vector<FileCase> load_corpus() {
    std::ifstream in(std::string(CACHALOT_TEST_SRCDIR) + "/sqlscan_corpus.txt");
    std::vector<FileCase> cases;
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("## ", 0) == 0) {
            cases.emplace_back();
            std::istringstream header(line.substr(3));
            std::string dialect;
            header >> dialect;
            parse_dialect(dialect, cases.back().dialect);
            cases.back().title = line.substr(3);
        } else if (!cases.empty() && line.rfind("=> ", 0) == 0) {
            cases.back().expected += line.substr(3) + "\n";
        } else if (!cases.empty() && cases.back().expected.empty()) {
            cases.back().sql += (cases.back().sql.empty() ? "" : "\n") + line;
        }
    }
    return cases;
}

const std::vector<FileCase> corpus_file = load_corpus();

class CorpusFile : public ::testing::TestWithParam<FileCase> {};

TEST_P(CorpusFile, ExplainsAsExpected) {
    EXPECT_EQ(explain(GetParam().dialect, GetParam().sql), GetParam().expected) << GetParam().sql;
}

INSTANTIATE_TEST_SUITE_P(RealSql, CorpusFile, ::testing::ValuesIn(corpus_file));

TEST(Scanner, CorpusHasAtLeast300Statements) {
    size_t statements = std::size(shapes);
    for (const auto& c : corpus_file) statements += static_cast<size_t>(std::count(c.expected.begin(), c.expected.end(), '\n'));
    EXPECT_GE(statements, 300u);
}

TEST(Scanner, DeepNestingIsUnknownNotACrash) {
    std::string sql = "SELECT ";
    for (int i = 0; i < 100000; ++i) sql += '(';
    sql += '1';
    for (int i = 0; i < 100000; ++i) sql += ')';
    auto statements = scan(sql, Dialect::postgresql);
    ASSERT_EQ(statements.size(), 1u);
    EXPECT_EQ(statements[0].kind, StatementKind::unknown);
    EXPECT_FALSE(statements[0].cachable);
    std::string wrapped(100000, '(');
    wrapped += "SELECT 1" + std::string(100000, ')');
    EXPECT_EQ(scan(wrapped, Dialect::generic).at(0).kind, StatementKind::unknown);
    std::string comment = "SELECT 1 /*";
    for (int i = 0; i < 100000; ++i) comment += "/*";
    EXPECT_EQ(scan(comment, Dialect::postgresql).at(0).kind, StatementKind::unknown);
}

TEST(Scanner, FlagsParameterMarkersAndTemporaryTables) {
    auto s = scan("SELECT * FROM t WHERE a = ? AND b = $2", Dialect::postgresql).at(0);
    EXPECT_TRUE(s.parameter_markers);
    EXPECT_TRUE(s.cachable);
    auto created = scan("CREATE TEMPORARY TABLE scratch (x int)", Dialect::postgresql).at(0);
    EXPECT_EQ(created.temporary_tables, std::vector<std::string>{"scratch"});
    // A table created in the temporary schema is one too.
    EXPECT_EQ(scan("CREATE TABLE temp.scratch (x int)", Dialect::sqlite).at(0).temporary_tables, std::vector<std::string>{"scratch"});
    EXPECT_EQ(scan("CREATE TABLE pg_temp.scratch AS SELECT 1", Dialect::postgresql).at(0).temporary_tables,
              std::vector<std::string>{"scratch"});
    EXPECT_TRUE(scan("GRANT SELECT ON t TO bob", Dialect::generic).at(0).unclear_target);
    EXPECT_TRUE(scan("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql", Dialect::postgresql).at(0).unclear_target);
    EXPECT_TRUE(scan("DROP TABLE a CASCADE", Dialect::postgresql).at(0).unclear_target);
}

// The functions a statement calls that are not known to be pure, named as the database resolves
// them (a quoted name keeps its case): the driver asks whether they may write.
TEST(Scanner, NamesTheFunctionsNotKnownToBePure) {
    auto unknown = [](const char* sql) { return scan(sql, Dialect::postgresql).at(0).unknown_functions; };
    using Names = std::vector<std::string>;
    EXPECT_EQ(unknown("SELECT Archive(1), upper(x), archive(2), \"Archive\"(3) FROM t WHERE f(y)"), (Names{"Archive", "archive", "f"}));
    EXPECT_EQ(unknown("SELECT * FROM \"Rows\"(1) r, public.\"rows\"(2)"), (Names{"Rows", "rows"}));
    EXPECT_FALSE(scan("SELECT \"my_fn\"(1)", Dialect::postgresql).at(0).cachable);
    EXPECT_TRUE(scan("SELECT \"upper\"(x) FROM t", Dialect::postgresql).at(0).cachable);
    // Not calls: a column list, a parenthesized source, IN, EXISTS, a derived column list.
    EXPECT_EQ(unknown("INSERT INTO \"t\" (\"a\", \"b\") VALUES (1, 2)"), Names{});
    EXPECT_EQ(unknown("INSERT INTO t (a) SELECT a FROM u WHERE a IN (1) AND EXISTS (SELECT 1)"), Names{});
    EXPECT_EQ(unknown("SELECT * FROM (VALUES (1)) AS v (n)"), Names{});
    EXPECT_TRUE(scan("SELECT set_config('search_path', 's', false)", Dialect::postgresql).at(0).sets_session);
    EXPECT_FALSE(scan("SELECT upper('set_config')", Dialect::postgresql).at(0).sets_session);
}

// Built-ins called without a schema: a user's function of the same name may be the one that
// runs. pg_catalog.f() is the built-in however the schema is spelled; app.f() is no built-in.
TEST(Scanner, NamesTheBuiltInsCalledWithoutASchema) {
    auto built_ins = [](const char* sql) { return scan(sql, Dialect::postgresql).at(0).unqualified_built_ins; };
    using Names = std::vector<std::string>;
    EXPECT_EQ(built_ins("SELECT upper(a), now(), lower(b), pg_catalog.lpad(c, 2), \"pg_catalog\".ltrim(d), app.rtrim(e), f(g), "
                        "UPPER(h) FROM t"),
              (Names{"lower", "now", "upper"}));
    EXPECT_EQ(scan("SELECT app.rtrim(e), \"pg_catalog\".ltrim(d), \"PG_CATALOG\".btrim(d)", Dialect::postgresql).at(0).unknown_functions,
              (Names{"btrim", "rtrim"}));
    EXPECT_EQ(built_ins("SELECT * FROM generate_series(1, 3)"), Names{"generate_series"});
}

// COMMIT/ROLLBACK AND CHAIN begin another transaction at once; AND NO CHAIN does not.
TEST(Scanner, FindsTransactionsThatChain) {
    for (Dialect dialect : {Dialect::postgresql, Dialect::mysql}) {
        EXPECT_TRUE(scan("COMMIT AND CHAIN", dialect).at(0).and_chain);
        EXPECT_TRUE(scan("rollback work and chain", dialect).at(0).and_chain);
        EXPECT_FALSE(scan("COMMIT AND NO CHAIN", dialect).at(0).and_chain);
        EXPECT_FALSE(scan("ROLLBACK", dialect).at(0).and_chain);
    }
    EXPECT_TRUE(scan("END AND CHAIN", Dialect::postgresql).at(0).and_chain);
}

// What PostgreSQL undoes when the transaction ends: SET LOCAL, and set_config (whose third
// argument may say so).
TEST(Scanner, FindsSettingsThatLastUntilTheTransactionEnds) {
    auto scoped = [](const char* sql) { return scan(sql, Dialect::postgresql).at(0).transaction_scoped; };
    EXPECT_TRUE(scoped("SET LOCAL search_path TO s"));
    EXPECT_TRUE(scoped("set local timezone = 'UTC'"));
    EXPECT_TRUE(scoped("SELECT set_config('app.tenant', ?, true)"));
    EXPECT_FALSE(scoped("SET search_path TO s"));
    EXPECT_FALSE(scoped("SET SESSION search_path TO s"));
    EXPECT_FALSE(scoped("RESET search_path"));
}

// What PostgreSQL can be asked after a session statement: the settings pg_settings lists, the
// roles, and custom settings by the names the statement gives them.
TEST(Scanner, FindsWhatTheServerCanBeAskedASessionIs) {
    auto statement = [](const char* sql) { return scan(sql, Dialect::postgresql).at(0); };
    using Names = std::vector<std::string>;
    for (const char* sql : {"SET search_path TO s", "SET SESSION search_path = s", "set local TimeZone = 'UTC'",
                            "SET TIME ZONE 'UTC'", "SET ROLE r", "SET SESSION AUTHORIZATION r", "RESET ALL",
                            "RESET search_path", "DISCARD ALL", "LOCK TABLE t", "SELECT set_config('search_path', ?, false)"}) {
        EXPECT_TRUE(statement(sql).observable) << sql;
        EXPECT_EQ(statement(sql).custom_settings, Names{}) << sql;
    }
    EXPECT_EQ(statement("SET App.Tenant = 'x'").custom_settings, Names{"app.tenant"});
    EXPECT_EQ(statement("SET LOCAL app.tenant TO ?").custom_settings, Names{"app.tenant"});
    EXPECT_EQ(statement("RESET app.tenant").custom_settings, Names{"app.tenant"});
    EXPECT_EQ(statement("SELECT set_config('App.Tenant', ?, false), set_config('search_path', 'x', false)").custom_settings,
              Names{"app.tenant"});
    EXPECT_TRUE(statement("SET app.tenant = 'x'").observable);
    EXPECT_TRUE(statement("SELECT set_config('app.tenant', ?, false)").observable);
    // The server lists no seed, the name of a quoted or computed one is not read.
    for (const char* sql : {"SET seed = 0.5", "SET \"search_path\" TO s", "SET app.\"Tenant\" = 1", "SET a.b.c = 1",
                            "SELECT set_config(?, 'x', false)", "SELECT set_config('search_path', 'x', false), set_config(n, 'y', false) FROM t",
                            "SELECT set_config(E'search_path', 'x', false)", "SELECT set_config('seed', '0.5', false)",
                            "ATTACH 'x' AS y", "SELECT 1"})
        EXPECT_FALSE(statement(sql).observable) << sql;
}

// Where a connection's transactions are isolated: a level named for one transaction or for the
// session, and the settings that hold it (reset: the server's default, not known, so above).
TEST(Scanner, FindsTheIsolationLevelAStatementSets) {
    using I = Statement::Isolation;
    auto isolation = [](const char* sql) { return scan(sql, Dialect::postgresql).at(0).isolation; };
    EXPECT_EQ(isolation("BEGIN ISOLATION LEVEL REPEATABLE READ"), I::above_read_committed);
    EXPECT_EQ(isolation("START TRANSACTION ISOLATION LEVEL READ COMMITTED"), I::read_committed);
    EXPECT_EQ(isolation("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE"), I::above_read_committed);
    EXPECT_EQ(isolation("SET default_transaction_isolation = 'repeatable read'"), I::above_read_committed);
    EXPECT_EQ(isolation("SET SESSION default_transaction_isolation TO 'READ COMMITTED'"), I::read_committed);
    EXPECT_EQ(isolation("set transaction_isolation = serializable"), I::above_read_committed);
    EXPECT_EQ(isolation("SET default_transaction_isolation TO DEFAULT"), I::above_read_committed);
    EXPECT_EQ(isolation("RESET default_transaction_isolation"), I::above_read_committed);
    EXPECT_EQ(isolation("RESET ALL"), I::above_read_committed);
    EXPECT_EQ(isolation("DISCARD ALL"), I::above_read_committed);
    EXPECT_EQ(scan("SET SESSION tx_isolation = 'READ-UNCOMMITTED'", Dialect::mysql).at(0).isolation, I::read_committed);
    EXPECT_EQ(isolation("SELECT set_config('default_transaction_isolation', 'serializable', false)"), I::above_read_committed);
    EXPECT_EQ(isolation("SELECT set_config('transaction_isolation', 'READ COMMITTED', true)"), I::read_committed);
    EXPECT_EQ(isolation("SELECT set_config('search_path', 'serializable', false)"), I::none);
    EXPECT_EQ(isolation("SET search_path = s1"), I::none);
    EXPECT_EQ(isolation("RESET search_path"), I::none);
}

// CacheRandom lets random functions pass, and nothing else the scanner rejects.
TEST(Scanner, CachableWithRandom) {
    auto first = [](const char* sql) { return scan(sql, Dialect::postgresql).at(0); };
    EXPECT_FALSE(first("SELECT id FROM t ORDER BY random()").cachable);
    EXPECT_TRUE(first("SELECT id FROM t ORDER BY random()").cachable_with_random);
    EXPECT_TRUE(first("SELECT id FROM t").cachable_with_random);
    EXPECT_FALSE(first("SELECT random(), now() FROM t").cachable_with_random);
    EXPECT_FALSE(first("SELECT id FROM t ORDER BY random() FOR UPDATE").cachable_with_random);
    EXPECT_FALSE(first("SELECT random() FROM pg_class").cachable_with_random);
    EXPECT_FALSE(first("DELETE FROM t WHERE random() < 0.5").cachable_with_random);
}

// Statements that differ only in their values and comments share a shape; any other token
// makes another.
TEST(Scanner, ShapesLeaveValuesOut) {
    auto shape = [](const char* sql) { return scan(sql, Dialect::postgresql).at(0).shape; };
    const auto point = shape("SELECT v FROM t WHERE id = 1");
    EXPECT_EQ(shape("/* again */ SELECT v FROM t WHERE id = 4242"), point);
    EXPECT_EQ(shape("SELECT v FROM t WHERE id = 'x'"), shape("SELECT v FROM t WHERE id = 'it''s'"));
    EXPECT_NE(shape("SELECT v FROM t WHERE id = 'x'"), point);
    EXPECT_NE(shape("SELECT v FROM u WHERE id = 1"), point);
    EXPECT_NE(shape("SELECT v FROM t WHERE id = ?"), point);
    EXPECT_NE(shape("SELECT v FROM t WHERE id < 1"), point);
    EXPECT_NE(shape("SELECT vf FROM t WHERE id = 1"), shape("SELECT v FROM tf WHERE id = 1"));
}

TEST(ParseCache, ARepeatedStatementIsTheSameResult) {
    ParseCache cache(64);
    auto first = cache.scan("SELECT * FROM t", Dialect::postgresql);
    auto second = cache.scan("SELECT * FROM t", Dialect::postgresql);  // kept from its second scan on
    EXPECT_EQ(to_json(first->at(0)), to_json(second->at(0)));
    EXPECT_EQ(cache.scan("SELECT * FROM t", Dialect::postgresql), second);
    EXPECT_EQ(first->at(0).reads, std::vector<std::string>{"t"});
    // The same text reads differently by dialect ("a" is a string in MySQL, a name in PostgreSQL): not shared.
    for (int i = 0; i < 2; ++i) cache.scan("SELECT \"a\" FROM t", Dialect::mysql);
    auto mysql = cache.scan("SELECT \"a\" FROM t", Dialect::mysql);
    for (int i = 0; i < 2; ++i) cache.scan("SELECT \"a\" FROM t", Dialect::postgresql);
    EXPECT_NE(mysql, cache.scan("SELECT \"a\" FROM t", Dialect::postgresql));
    EXPECT_EQ(mysql->at(0).reads, std::vector<std::string>{"t"});
}

TEST(ParseCache, TextsSeenOnceDoNotPushOutTheOnesThatRepeat) {
    ParseCache cache(16);
    cache.scan("SELECT * FROM t", Dialect::generic);
    auto kept = cache.scan("SELECT * FROM t", Dialect::generic);
    for (int i = 0; i < 1000; ++i) cache.scan("SELECT * FROM t WHERE id = " + std::to_string(i), Dialect::generic);
    EXPECT_EQ(cache.scan("SELECT * FROM t", Dialect::generic), kept);
}

TEST(ParseCache, StaysWithinItsCapacity) {
    ParseCache cache(16);
    cache.scan("SELECT 0 FROM t", Dialect::generic);
    auto kept = cache.scan("SELECT 0 FROM t", Dialect::generic);
    for (int i = 1; i < 1000; ++i)
        for (int twice = 0; twice < 2; ++twice) cache.scan("SELECT " + std::to_string(i) + " FROM t", Dialect::generic);
    // The first text was evicted long ago: scanning it again gives a new result, still right.
    auto again = cache.scan("SELECT 0 FROM t", Dialect::generic);
    EXPECT_NE(again, kept);
    EXPECT_EQ(to_json(again->at(0)), to_json(kept->at(0)));
}

TEST(ParseCache, IsSafeToShareBetweenThreads) {
    ParseCache cache(32);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&cache, t] {
            for (int i = 0; i < 2000; ++i) {
                auto result = cache.scan("SELECT * FROM t" + std::to_string((i * (t + 1)) % 50), Dialect::generic);
                ASSERT_EQ(result->size(), 1u);
            }
        });
    for (auto& thread : threads) thread.join();
}

TEST(Scanner, DialectFromDbmsName) {
    EXPECT_EQ(dialect_from_dbms_name("PostgreSQL"), Dialect::postgresql);
    EXPECT_EQ(dialect_from_dbms_name("MariaDB"), Dialect::mysql);
    EXPECT_EQ(dialect_from_dbms_name("SQLite"), Dialect::sqlite);
    EXPECT_EQ(dialect_from_dbms_name("Oracle"), Dialect::generic);
}

// What code run besides a statement may write: the tables its writes name, the functions it
// calls (which the driver follows), whether it sets the session; unknown when it builds SQL,
// calls a procedure, runs DDL or sets a setting it does not name.
// A user's operator is found in the runs of operator characters, never in a string, a comment
// or a quoted name.
TEST(Scanner, FindsTheOperatorsATextMayUse) {
    using V = std::vector<std::string>;
    EXPECT_EQ(operator_runs("SELECT a === b, c <-> d FROM t WHERE e LIKE 'x===' -- ===", Dialect::postgresql),
              (V{"===", "<->"}));
    EXPECT_EQ(operator_runs("SELECT \"a===b\", x=-1, y->>'k' /* <-> */ FROM t", Dialect::postgresql), (V{"=-", "->>"}));
    EXPECT_EQ(operator_runs("SELECT $$ === $$, a::int, b = ? FROM t", Dialect::postgresql), (V{"="}));
    EXPECT_EQ(operator_runs("SELECT 'unterminated ===", Dialect::postgresql), (V{"==="}));  // unreadable: the raw text
}

TEST(Scanner, FindsWhatCodeWrites) {
    using Names = std::vector<std::string>;
    auto writes = [](const char* code, Dialect dialect = Dialect::postgresql,
                     CodeLanguage language = CodeLanguage::procedural) {
        CodeWrites found = scan_code_writes(code, dialect, language);
        return found.known ? found.tables : Names{"?"};
    };
    EXPECT_EQ(writes("BEGIN NEW.updated_at := now(); NEW.name := lower(NEW.name); RETURN NEW; END"), Names{});
    EXPECT_EQ(writes("BEGIN IF (TG_OP = 'DELETE') THEN INSERT INTO audit.log (op) VALUES ('d'); "
                     "ELSIF (TG_OP = 'UPDATE') THEN UPDATE ONLY \"Totals\" SET n = n + 1 WHERE id = NEW.id; END IF; "
                     "DELETE FROM cache_rows WHERE id = OLD.id; PERFORM pg_notify('c', 'x'); "
                     "SELECT v INTO x FROM t FOR UPDATE; INSERT INTO u VALUES (1) ON CONFLICT (id) DO UPDATE SET v = 2; "
                     "TRUNCATE a, b; RETURN NULL; END"),
              (Names{"a", "b", "cache_rows", "log", "totals", "u"}));
    EXPECT_EQ(writes("BEGIN EXECUTE format('DELETE FROM %I', TG_ARGV[0]); RETURN NULL; END"), Names{"?"});
    EXPECT_EQ(writes("BEGIN CALL archive(); RETURN NEW; END"), Names{"?"});
    EXPECT_EQ(writes("CREATE RULE r AS ON UPDATE TO public.t DO ALSO INSERT INTO t_log (v) VALUES (new.v)"), Names{"t_log"});
    EXPECT_EQ(writes("CREATE TRIGGER tr AFTER UPDATE OF v ON t WHEN new.v > 0 BEGIN INSERT OR REPLACE INTO totals "
                     "VALUES (new.id, new.v); UPDATE OR IGNORE counts SET n = n + 1; END",
                     Dialect::sqlite),
              (Names{"counts", "totals"}));
    EXPECT_EQ(writes("CREATE TRIGGER tr INSTEAD OF INSERT ON v BEGIN INSERT INTO t VALUES (new.a); END", Dialect::sqlite), Names{"t"});
    EXPECT_EQ(writes("BEGIN 'unterminated"), Names{"?"});
    // DDL: a table dropped and made again holds other rows.
    EXPECT_EQ(writes("BEGIN DROP TABLE IF EXISTS snapshot; CREATE TABLE snapshot AS SELECT * FROM t; RETURN NULL; END"), Names{"?"});
    EXPECT_EQ(writes("BEGIN ALTER TABLE t RENAME TO u; RETURN NULL; END"), Names{"?"});
    EXPECT_EQ(writes("BEGIN REFRESH MATERIALIZED VIEW totals; RETURN NULL; END"), Names{"?"});
    EXPECT_EQ(writes("BEGIN GRANT SELECT ON t TO PUBLIC; RETURN NULL; END"), Names{"?"});
    EXPECT_EQ(writes("BEGIN NEW.drop_at := NEW.created + 1; RETURN NEW; END"), Names{});

    // Calls: the functions a name may be (its schema dropped), and the built-ins called without one.
    auto calls = [](const char* code, CodeLanguage language = CodeLanguage::procedural) {
        return scan_code_writes(code, Dialect::postgresql, language).calls;
    };
    EXPECT_EQ(calls("BEGIN PERFORM log_change(NEW.id); PERFORM app.Archive(1); PERFORM \"Log\"(NEW.id); "
                    "NEW.v := pg_catalog.lower(NEW.v); NEW.w := app.lower(NEW.w); RETURN NEW; END"),
              (Names{"Log", "archive", "log_change", "lower"}));
    EXPECT_EQ(scan_code_writes("BEGIN NEW.v := lpad(NEW.v, 3) || pg_catalog.upper(NEW.v); RETURN NEW; END",
                               Dialect::postgresql).built_ins,
              Names{"lpad"});

    // Settings: SET at a statement's start (not UPDATE ... SET), RESET, DISCARD, set_config()
    // with a literal name; a computed name is unknown.
    auto session = [](const char* code, CodeLanguage language = CodeLanguage::procedural) {
        CodeWrites found = scan_code_writes(code, Dialect::postgresql, language);
        if (!found.known) return std::string("?");
        std::string text = found.sets_session ? "sets" : "no";
        for (const auto& name : found.custom_settings) text += ' ' + name;
        return text;
    };
    EXPECT_EQ(session("BEGIN UPDATE t SET v = 1; INSERT INTO t VALUES (1) ON CONFLICT DO UPDATE SET v = 2; RETURN 1; END"), "no");
    EXPECT_EQ(session("BEGIN SET search_path = b; RETURN 1; END"), "sets");
    EXPECT_EQ(session("BEGIN IF x THEN SET LOCAL App.Tenant = 'a'; END IF; RETURN 1; END"), "sets app.tenant");
    EXPECT_EQ(session("BEGIN PERFORM set_config('app.user', 'u', false); RETURN 1; END"), "sets app.user");
    EXPECT_EQ(session("BEGIN PERFORM pg_catalog.set_config('search_path', 'b', false); RETURN 1; END"), "sets");
    EXPECT_EQ(session("BEGIN RESET ALL; RETURN 1; END"), "sets");
    EXPECT_EQ(session("BEGIN PERFORM set_config(name, 'u', false); RETURN 1; END"), "?");

    // LANGUAGE sql: statements the scanner reads whole.
    constexpr CodeLanguage sql = CodeLanguage::statements;
    EXPECT_EQ(writes("UPDATE t SET v = $1; WITH d AS (DELETE FROM u RETURNING *) SELECT count(*) FROM d",
                     Dialect::postgresql, sql),
              (Names{"t", "u"}));
    EXPECT_EQ(writes("SELECT 1 AS a INTO made", Dialect::postgresql, sql), Names{"?"});
    EXPECT_EQ(writes("CREATE TABLE x (a int)", Dialect::postgresql, sql), Names{"?"});
    EXPECT_EQ(writes("SELECT 1; CALL p()", Dialect::postgresql, sql), Names{"?"});
    EXPECT_EQ(writes("SELECT 1; SET seed = 0.5", Dialect::postgresql, sql), Names{"?"});
    EXPECT_EQ(calls("SELECT archive($1), lower($2), app.x()", sql), (Names{"archive", "x"}));
    EXPECT_EQ(session("SELECT set_config('app.tenant', $1, false)", sql), "sets app.tenant");
    EXPECT_EQ(session("SET search_path = b", sql), "sets");
}

}  // namespace
}  // namespace cachalot::sqlscan
