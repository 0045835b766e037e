// What an SQL statement reads, writes and whether its result may be cached. The scanner
// says "unknown" rather than guess: callers treat an unknown statement as a possible write.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sqlscan/token.hpp"

namespace cachalot::sqlscan {

enum class StatementKind {
    select, values, insert, update, delete_, merge, replace, truncate, copy_from, copy_to,
    refresh,  // REFRESH MATERIALIZED VIEW
    create, alter, drop, rename, grant, begin, commit, rollback, savepoint, release,
    finish_prepared,  // COMMIT PREPARED, ROLLBACK PREPARED: a prepared transaction's writes land anywhere
    session,  // SET, USE, RESET, ATTACH ...: changes what later statements see
    call, explain, show, unknown,
};

struct Statement {
    StatementKind kind = StatementKind::unknown;
    std::vector<std::string> reads;             // sorted, unique, unquoted, lower-case, no schema
    std::vector<std::string> writes;
    std::vector<std::string> temporary_tables;  // created by this statement
    bool locking_read = false;                  // FOR UPDATE/SHARE, LOCK IN SHARE MODE
    bool select_into = false;
    bool random_function = false;
    bool volatile_function = false;
    // Called and not known to be pure, as the database names them (unquoted ones lower-case):
    // sorted, unique. Such a function may also write (a PostgreSQL VOLATILE one, a MySQL one).
    std::vector<std::string> unknown_functions;
    // Built-ins called by a name without a schema, sorted, unique: on PostgreSQL a user's
    // function of the same name (public.format(integer)) may be the one that runs.
    std::vector<std::string> unqualified_built_ins;
    bool sets_session = false;  // calls set_config(): what later statements see may change
    // SET LOCAL, set_config() (its third argument may say so): PostgreSQL undoes the setting
    // when the transaction ends, at once outside one.
    bool transaction_scoped = false;
    // PostgreSQL: all a session statement (or set_config()) changes the server can be asked
    // (pg_settings, the roles, the custom settings below), or no read depends on it (LOCK).
    bool observable = false;
    std::vector<std::string> custom_settings;  // app.tenant, lower-case: pg_settings does not list them
    bool system_catalog = false;
    bool parameter_markers = false;
    bool unclear_target = false;  // DDL, GRANT... whose effect on tables is not known: invalidate all
    bool to_savepoint = false;    // ROLLBACK TO [SAVEPOINT]: the transaction goes on
    bool and_chain = false;       // COMMIT/ROLLBACK AND CHAIN: another transaction begins
    // An ISOLATION LEVEL clause (SET TRANSACTION, SET SESSION CHARACTERISTICS, BEGIN, START
    // TRANSACTION): none, READ COMMITTED or lower, or above (REPEATABLE READ, SERIALIZABLE, SNAPSHOT).
    enum class Isolation : unsigned char { none, read_committed, above_read_committed } isolation = Isolation::none;
    bool cachable = false;
    bool cachable_with_random = false;  // cachable if random functions are allowed (CacheRandom)
    std::string reason;           // why not cachable; empty when cachable
    std::string function;         // the function a function flag names
    std::string catalog_table;    // the system catalog that system_catalog names
    // A hash of the tokens with the literals' values left out: the same for statements that
    // differ only in their values and comments (a point select by id), for the cache's
    // statistics of which statements come back.
    std::uint64_t shape = 0;
};

// One record per statement of `sql` (statements are separated by ';'). Never throws.
std::vector<Statement> scan(std::string_view sql, Dialect dialect);

// What code run besides a statement may write: a PostgreSQL function's body, a trigger
// function's, a rule's definition, SQLite's CREATE TRIGGER. Unknown when it runs SQL it builds
// (EXECUTE), calls a procedure, runs DDL or GRANT (a table dropped and made again holds other
// rows; SELECT ... INTO makes one), or sets a setting it does not name.
struct CodeWrites {
    bool known = false;
    // Sorted, unique. Tables lower-case, no schema; functions as the database names them
    // (unquoted ones lower-case), no schema.
    std::vector<std::string> tables;
    std::vector<std::string> calls;      // not known built-ins: what they run, the code runs
    std::vector<std::string> built_ins;  // called without a schema: a user's function of the name may run
    bool sets_session = false;           // SET, RESET, DISCARD, set_config(): the session may differ after it
    std::vector<std::string> custom_settings;  // app.tenant, lower-case: the ones it sets
};
// PL/pgSQL, a rule, a trigger (walked token by token), or LANGUAGE sql's statements.
enum class CodeLanguage { procedural, statements };
CodeWrites scan_code_writes(std::string_view code, Dialect dialect, CodeLanguage language = CodeLanguage::procedural);
// CodeLanguage::statements for text already scanned (a view's definition); throws only when
// memory runs out.
CodeWrites statements_code(const std::vector<Statement>& statements);

// The operators `sql` may use: each run of operator characters (+-*/<>=~!@#%^&|`?) outside
// strings, comments and quoted names, whole (PostgreSQL may split `=-` into `=` and `-`).
// Unreadable text gives every run the raw text holds.
std::vector<std::string> operator_runs(std::string_view sql, Dialect dialect);

// `text` with ASCII letters folded to lower case, as the scanner folds names (no locale).
std::string lower(std::string_view text);

// A built-in the scanner knows what to make of (lower-case): pure, volatile, random, or "now"
// with some arguments; none writes a table.
bool is_known_built_in(std::string_view name);

const char* kind_name(StatementKind kind);
// The dialect for what SQLGetInfo(SQL_DBMS_NAME) reports.
Dialect dialect_from_dbms_name(std::string_view dbms_name);
bool parse_dialect(std::string_view name, Dialect& dialect);
// {"kind":"select","reads":["orders"],"writes":[],"cachable":true,"reason":null}
std::string to_json(const Statement& statement);

}  // namespace cachalot::sqlscan
