#include "driver/caching.hpp"

#include <sqlext.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>

#include "driver/api_support.hpp"
#include "driver/conversions.hpp"
#include "driver/handles.hpp"
#include "driver/result_set.hpp"

namespace cachalot::driver {

namespace {

using cache::Bypass;

// The session statements a key can carry; past this the connection is no longer cached.
constexpr std::size_t max_session_bytes = 16384;

ConnectionCache& state(Dbc& dbc) { return *dbc.cache; }

// Whether the connection has a cache store to talk to.
bool has_store(Dbc& dbc) { return dbc.cache && dbc.cache->store; }

void log(Dbc& dbc, std::string_view event, std::string_view detail, std::string_view sql = {}) {
    if (dbc.cache->log) dbc.cache->log->write(dbc.data_source_name, event, detail, sql);
}

// Runs one of the shim's own catalog queries (or catalog function, through `run`) on the
// connection's helper statement and reads every row as text. False when the target refused.
template <class Run>
bool helper_rows(Dbc& dbc, Run&& run, std::vector<std::vector<std::string>>& rows) {
    const TargetApi& api = dbc.api();
    ConnectionCache& c = state(dbc);
    if (!c.helper && !SQL_SUCCEEDED(api.SQLAllocHandle(SQL_HANDLE_STMT, dbc.target, &c.helper))) {
        c.helper = nullptr;
        return false;
    }
    api.SQLFreeStmt(c.helper, SQL_CLOSE);
    if (!SQL_SUCCEEDED(run(c.helper))) return false;
    SQLSMALLINT columns = 0;
    api.SQLNumResultCols(c.helper, &columns);
    bool ok = true;
    for (SQLRETURN rc; ok && (rc = api.SQLFetch(c.helper)) != SQL_NO_DATA;) {
        if (!SQL_SUCCEEDED(rc)) ok = false;
        std::vector<std::string>& row = rows.emplace_back(static_cast<std::size_t>(std::max<SQLSMALLINT>(columns, 0)));
        for (SQLSMALLINT i = 1; ok && i <= columns; ++i) {
            char buffer[4096];
            for (;;) {
                SQLLEN length = 0;
                rc = api.SQLGetData(c.helper, static_cast<SQLUSMALLINT>(i), SQL_C_CHAR, buffer, sizeof buffer, &length);
                if (rc == SQL_NO_DATA || length == SQL_NULL_DATA) break;
                if (!SQL_SUCCEEDED(rc)) {
                    ok = false;
                    break;
                }
                const bool truncated = length == SQL_NO_TOTAL || length >= static_cast<SQLLEN>(sizeof buffer);
                row[static_cast<std::size_t>(i - 1)].append(buffer, strnlen(buffer, sizeof buffer - 1));
                if (!truncated) break;
            }
        }
    }
    api.SQLFreeStmt(c.helper, SQL_CLOSE);
    return ok;
}

bool helper_query(Dbc& dbc, const std::string& sql, std::vector<std::vector<std::string>>& rows) {
    return helper_rows(dbc, [&](SQLHSTMT helper) {
        return with_variant<SQLCHAR>(dbc.api().SQLExecDirect, dbc.api().SQLExecDirectW, [&](auto fn, auto strings) {
            auto text = strings(reinterpret_cast<SQLCHAR*>(const_cast<char*>(sql.c_str())), SQL_NTS);
            return fn(helper, text.ptr(), text.template length<SQLINTEGER>());
        });
    }, rows);
}

// Whether the store answered. A connection logs once when its shared store stops answering
// (and once when it answers again), not on every query; the counters count every query.
bool reached(Dbc& dbc, cache::Reach reach) {
    ConnectionCache& c = state(dbc);
    if (reach == cache::Reach::failed) c.counters->store_errors.fetch_add(1, std::memory_order_relaxed);
    const bool answered = reach == cache::Reach::answered;
    if (answered == !c.store_down) return answered;
    c.store_down = !answered;
    if (answered) log(dbc, "store", "answers again: caching resumes");
    else if (reach == cache::Reach::pending) log(dbc, "store", "unavailable: an invalidation is not delivered yet; not read until it is");
    else log(dbc, "store", "unavailable: " + c.store->problem() + "; queries go to the database uncached");
    return answered;
}

// The namespace's epoch; nullopt when the store does not answer.
std::optional<cache::Token> current_epoch(Dbc& dbc) {
    ConnectionCache& c = state(dbc);
    cache::Lookup found = c.store->lookup(cache::Key{}, c.name_space, {cache::epoch_token_key(c.name_space)});
    if (!reached(dbc, found.reach)) return std::nullopt;
    return found.tokens.at(0);
}

// `text` as an E'' literal, which escapes quotes and backslashes whatever the server's settings.
void append_literal(std::string& sql, const std::string& text) {
    sql += "E'";
    for (char ch : text) {
        if (ch == '\'' || ch == '\\') sql += '\\';
        sql += ch;
    }
    sql += '\'';
}

// What PostgreSQL says of the session, as (name, value, kind) rows: the settings the client
// (PGOPTIONS, PGTZ), the session, or ALTER ROLE/DATABASE ... SET before it connected set
// (application_name aside: it changes no result), the custom settings (app.tenant, which
// pg_settings does not list) the session's statements named, the current and session roles,
// and the connection's temporary tables. Custom settings only code the shim cannot read set
// are not seen: a read that can depend on one (through a function or a row-level security
// policy) is never cached.
std::string postgresql_session_query(const ConnectionCache& c) {
    std::string sql =
        "SELECT name::text, setting::text, 'setting' FROM pg_catalog.pg_settings WHERE source IN ('client', "
        "'session', 'user', 'database', 'database user') AND name <> 'application_name' UNION ALL SELECT 'role', "
        "current_user::text, 'setting' UNION ALL SELECT 'session role', session_user::text, 'setting' UNION ALL "
        "SELECT c.relname::text, NULL, 'temporary' FROM pg_catalog.pg_class c WHERE c.relnamespace = "
        "pg_catalog.pg_my_temp_schema()";
    if (c.custom_settings.empty()) return sql;
    sql += " UNION ALL SELECT n, pg_catalog.current_setting(n, true), 'setting' FROM (VALUES ";
    for (const auto& name : c.custom_settings) {
        sql += &name == &*c.custom_settings.begin() ? "(" : ", (";
        append_literal(sql, name);
        sql += "::text)";
    }
    return sql + ") AS custom (n) WHERE pg_catalog.current_setting(n, true) IS NOT NULL";
}

// A key carries the session's statements and its observation; past this size, nothing.
void check_session_size(ConnectionCache& c) {
    if (c.session.size() + c.observed_session.size() > max_session_bytes) c.session_unkeyable = true;
}

void append_session(ConnectionCache& c, std::string_view what) {
    c.session.append(what.data(), what.size());
    c.session += '\x1d';
    check_session_size(c);
}

// Takes in the rows of postgresql_session_query (among others): what they say of the session
// replaces what was last observed in every later key, so connections in the same state share
// entries and connections in different ones never do; temporary tables are never cached; a
// default isolation above READ COMMITTED is honoured (never lowered here: the driver may not
// have sent an isolation the application set yet).
void note_session(ConnectionCache& c, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::string> settings;
    for (const auto& row : rows) {
        if (row.size() != 3) continue;
        if (row[2] == "temporary") c.temporary_tables.insert(cache::normalize_table_name(row[0]));
        if (row[2] != "setting") continue;
        if (row[0] == "default_transaction_isolation" && row[1] != "read committed" && row[1] != "read uncommitted")
            c.transaction.set_above_read_committed(true);
        settings.push_back(row[0] + '=' + row[1]);
    }
    std::sort(settings.begin(), settings.end());
    c.observed_session = "-- observed:";
    for (const auto& setting : settings) c.observed_session += ' ' + setting;
    c.session_unobserved = false;
    check_session_size(c);
}

// A session statement, or code the shim cannot read (a procedure, a DO block, a volatile
// function, a statement the scanner cannot read) may have changed the session: PostgreSQL is asked.
void observe_session(Dbc& dbc) {
    ConnectionCache& c = state(dbc);
    std::vector<std::vector<std::string>> rows;
    if (helper_query(dbc, postgresql_session_query(c), rows)) note_session(c, rows);
    else c.session_unobserved = true;
}

// Asks what the session is before the next read: the statements it ran may have changed it,
// or been undone.
void observe_before_next_read(ConnectionCache& c) { c.session_unobserved = true; }

// What a view's definition, scanned, reads, and whether it is a read as cachable as a query would be.
ConnectionCache::View view_of(const std::vector<sqlscan::Statement>& statements) {
    ConnectionCache::View view;
    if (statements.size() != 1) return view;
    const sqlscan::Statement& s = statements.front();
    using K = sqlscan::StatementKind;
    view.known = (s.kind == K::select || s.kind == K::values || s.kind == K::create) && !s.random_function &&
                 !s.volatile_function && s.unknown_functions.empty() && !s.system_catalog && !s.locking_read;
    for (const auto& table : s.reads)
        if (std::find(s.writes.begin(), s.writes.end(), table) == s.writes.end()) view.tables.push_back(table);
    return view;
}

// Adds what `code` runs to what `into` runs (lists appended, not sorted again).
void merge_code(sqlscan::CodeWrites& into, const sqlscan::CodeWrites& code) {
    into.known = into.known && code.known;
    into.sets_session = into.sets_session || code.sets_session;
    auto append = [](std::vector<std::string>& to, const std::vector<std::string>& more) { to.insert(to.end(), more.begin(), more.end()); };
    append(into.tables, code.tables);
    append(into.calls, code.calls);
    append(into.built_ins, code.built_ins);
    append(into.custom_settings, code.custom_settings);
}

// Adds `code` to what `name` runs in `runs`.
void add_code(std::map<std::string, sqlscan::CodeWrites>& runs, const std::string& name, const sqlscan::CodeWrites& code) {
    auto [entry, added] = runs.try_emplace(name, code);
    if (!added) merge_code(entry->second, code);
}

// Whether `code` does anything a cached row may depend on (a CHECK (v > 0) does not).
bool runs_something(const sqlscan::CodeWrites& code) {
    return !code.known || code.sets_session || !code.tables.empty() || !code.calls.empty() || !code.built_ins.empty();
}

// Adds what a table's `code` runs, unless it runs nothing.
void add_table_code(std::map<std::string, sqlscan::CodeWrites>& runs, const std::string& table, const sqlscan::CodeWrites& code) {
    if (runs_something(code)) add_code(runs, table, code);
}

// Whether some statement may call a function without naming it (unnamed_calls).
bool has_unnamed_calls(const ConnectionCache::Schema& schema) {
    return !schema.operators.empty() || !schema.casts.empty() || !schema.unasked_casts.empty();
}

// The functions that `text` may call without naming them (PostgreSQL) and that may read or
// write tables: the operators' (c.schema->operators), found by their symbols, also inside a
// longer run of operator characters (the text is tokenized only when it holds a symbol), and the
// casts' (c.schema->casts), found by their types' names anywhere in the text, with those applied
// unasked.
std::vector<std::string> unnamed_calls(const ConnectionCache& c, std::string_view text) {
    std::vector<std::string> functions = c.schema->unasked_casts, runs;
    if (!c.schema->casts.empty()) {
        const std::string lower = sqlscan::lower(text);
        for (const auto& [type, called] : c.schema->casts)
            if (lower.find(type) != std::string::npos) functions.insert(functions.end(), called.begin(), called.end());
    }
    bool tokenized = false;
    for (const auto& [symbol, called] : c.schema->operators) {
        if (text.find(symbol) == std::string_view::npos) continue;
        if (!tokenized) runs = sqlscan::operator_runs(text, sqlscan::Dialect::postgresql);
        tokenized = true;
        for (const auto& run : runs)
            if (run.find(symbol) != std::string::npos) {
                functions.insert(functions.end(), called.begin(), called.end());
                break;
            }
    }
    return functions;
}

// What `code` the database runs writes and calls, with the functions of the operators and casts
// it uses (unnamed_calls).
sqlscan::CodeWrites scan_code(const ConnectionCache& c, std::string_view code, sqlscan::Dialect dialect,
                              sqlscan::CodeLanguage language = sqlscan::CodeLanguage::procedural) {
    sqlscan::CodeWrites writes = sqlscan::scan_code_writes(code, dialect, language);
    const std::vector<std::string> unnamed = unnamed_calls(c, code);
    writes.calls.insert(writes.calls.end(), unnamed.begin(), unnamed.end());
    return writes;
}

// The schemas this process's connections read, per namespace, with the epoch each holds for.
struct SharedSchemas {
    std::mutex mutex;
    std::map<std::string, std::pair<cache::Token, std::shared_ptr<const ConnectionCache::Schema>>> by_namespace;
};

SharedSchemas& shared_schemas() {
    static SharedSchemas schemas;
    return schemas;
}

// Takes the schema of c's database at `epoch` that another connection read; false when none.
bool take_shared_schema(ConnectionCache& c, cache::Token epoch) {
    SharedSchemas& shared = shared_schemas();
    std::lock_guard<std::mutex> lock(shared.mutex);
    auto found = shared.by_namespace.find(c.name_space);
    if (found == shared.by_namespace.end() || found->second.first != epoch) return false;
    c.schema = found->second.second;
    return true;
}

void share_schema(const ConnectionCache& c, cache::Token epoch) {
    SharedSchemas& shared = shared_schemas();
    std::lock_guard<std::mutex> lock(shared.mutex);
    shared.by_namespace[c.name_space] = {epoch, c.schema};
}

// Lists the views and what they read, by scanning their definitions with the scanner (a view
// calling a volatile function is as uncachable as the query would be), and the code a write to
// a table runs (its triggers; on PostgreSQL its rules, its columns' defaults, its CHECKs, the
// CHECKs and defaults of the domains its columns hold, its row security policies) and, on
// PostgreSQL, the code a read runs (the functions a view or a policy calls); on PostgreSQL also
// the relations whose rows change without a write the shim sees, the partitions and children of
// tables, and what it says of the session (note_session). On PostgreSQL a schema another
// connection of the process read at the same epoch is taken instead (its catalogs take tens of
// milliseconds to read on a new backend: a cost per connection), unless the connection made
// temporary objects of its own; the session is then asked alone. (SQLite's is read on the
// connection: cheap, and SQLite ODBC describes a table anew only once its connection read the
// schema after DDL.)
void read_schema(Dbc& dbc, std::optional<cache::Token> epoch) {
    ConnectionCache& c = state(dbc);
    c.schema_read = true;
    c.schema_epoch = epoch.value_or(0);
    c.cascades.clear();
    c.functions.clear();
    const bool shared = epoch && dbc.dialect == sqlscan::Dialect::postgresql;
    if (shared && !c.own_schema && take_shared_schema(c, *epoch)) {
        observe_session(dbc);
        return;
    }
    auto fresh = std::make_shared<ConnectionCache::Schema>();
    ConnectionCache::Schema& s = *fresh;
    c.schema = fresh;  // filled below, or left empty when the read fails
    // Functions outside pg_catalog that may read or write tables (operators' and casts' are not
    // IMMUTABLE then): VOLATILE, or STABLE in a language other than C.
    const std::string may_read_tables = "p.pronamespace NOT IN ('pg_catalog'::regnamespace, "
                                        "'information_schema'::regnamespace) AND (p.provolatile = 'v' OR (p.provolatile = "
                                        "'s' AND l.lanname NOT IN ('c', 'internal')))";
    std::string sql;
    if (dbc.dialect == sqlscan::Dialect::postgresql)
        sql = std::string("SELECT c.relname::text, CASE c.relkind WHEN 'v' THEN pg_catalog.pg_get_viewdef(c.oid) END, "
                          "c.relkind::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                          "c.relnamespace WHERE c.relkind IN ('v', 'S', 'f') AND n.nspname NOT IN ('pg_catalog', "
                          "'information_schema') UNION ALL SELECT child.relname::text, parent.relname::text, 'inherits' "
                          "FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class child ON child.oid = i.inhrelid JOIN "
                          "pg_catalog.pg_class parent ON parent.oid = i.inhparent UNION ALL SELECT relname::text, NULL, 'row security' "
                          "FROM pg_catalog.pg_class WHERE relrowsecurity UNION ALL SELECT DISTINCT p.proname::text, "
                          "NULL, 'overload' FROM pg_catalog.pg_proc p WHERE p.provolatile <> 'i' AND "
                          "p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace) AND "
                          "EXISTS (SELECT FROM pg_catalog.pg_proc b WHERE b.pronamespace = 'pg_catalog'::regnamespace "
                          "AND b.proname = p.proname) UNION ALL SELECT DISTINCT o.oprname::text, p.proname::text, "
                          "'operator' FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode JOIN "
                          "pg_catalog.pg_language l ON l.oid = p.prolang WHERE o.oprnamespace NOT IN "
                          "('pg_catalog'::regnamespace, 'information_schema'::regnamespace) AND ") + may_read_tables +
              // casts made after initdb (oids from 16384) by such a function to a type, and to the
              // domains over it (recursively)
              " UNION ALL SELECT DISTINCT s.name, s.function, s.kind FROM (WITH RECURSIVE casts (type, name, function, "
              "kind) AS (SELECT k.casttarget, b.typname::text, p.proname::text, CASE WHEN k.castcontext = 'e' AND "
              "b.typnamespace <> 'pg_catalog'::regnamespace THEN 'cast' ELSE 'unasked cast' END FROM pg_catalog.pg_cast "
              "k JOIN pg_catalog.pg_type b ON b.oid = k.casttarget JOIN pg_catalog.pg_proc p ON p.oid = k.castfunc JOIN "
              "pg_catalog.pg_language l ON l.oid = p.prolang WHERE k.oid >= 16384 AND " + may_read_tables +
              " UNION SELECT d.oid, d.typname::text, s.function, s.kind FROM casts s JOIN pg_catalog.pg_type d ON "
              "d.typbasetype = s.type) SELECT * FROM casts) s UNION ALL SELECT c.relname::text, CASE WHEN l.lanname = "
              "'plpgsql' "
                          "THEN p.prosrc END, CASE WHEN l.lanname = 'plpgsql' OR p.pronamespace = "
                          "'pg_catalog'::regnamespace THEN 'on write' ELSE 'unreadable on write' END FROM "
                          "pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN pg_catalog.pg_proc "
                          "p ON p.oid = t.tgfoid JOIN pg_catalog.pg_language l ON l.oid = p.prolang WHERE NOT "
                          "t.tgisinternal UNION ALL SELECT c.relname::text, pg_catalog.pg_get_ruledef(r.oid), 'on write' "
                          "FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class WHERE "
                          "r.ev_type <> '1' UNION ALL SELECT c.relname::text, pg_catalog.pg_get_expr(d.adbin, d.adrelid), "
                          "'on write' FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_class c ON c.oid = d.adrelid WHERE "
                          "c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace) UNION "
                          "ALL SELECT c.relname::text, pg_catalog.pg_get_expr(k.conbin, k.conrelid), 'on write' FROM "
                          "pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid WHERE k.contype = "
                          "'c' UNION ALL SELECT c.relname::text, pg_catalog.pg_get_expr(e.code, p.polrelid), 'policy' FROM "
                          "pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid CROSS JOIN LATERAL "
                          "(VALUES (p.polqual), (p.polwithcheck)) e (code) WHERE e.code IS NOT NULL UNION ALL "
                          // a domain's CHECKs and DEFAULT, with the relations holding it in a column, as
                          // another domain's base, an array's element or a composite's field (pg_depend)
                          "SELECT DISTINCT c.relname::text, h.code, 'on write' FROM (WITH RECURSIVE holders (class, obj, "
                          "code) AS (SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, k.contypid, "
                          "pg_catalog.pg_get_expr(k.conbin, 0) FROM pg_catalog.pg_constraint k WHERE k.contypid <> 0 AND "
                          "k.conbin IS NOT NULL UNION SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid, "
                          "pg_catalog.pg_get_expr(t.typdefaultbin, 0) FROM pg_catalog.pg_type t WHERE t.typtype = 'd' AND "
                          "t.typdefaultbin IS NOT NULL UNION SELECT n.class, n.obj, h.code FROM holders h CROSS JOIN LATERAL "
                          "(SELECT d.classid, d.objid FROM pg_catalog.pg_depend d WHERE h.class = "
                          "'pg_catalog.pg_type'::pg_catalog.regclass AND d.refclassid = h.class AND d.refobjid = h.obj AND "
                          "d.classid IN ('pg_catalog.pg_type'::pg_catalog.regclass, "
                          "'pg_catalog.pg_class'::pg_catalog.regclass) UNION ALL SELECT "
                          "'pg_catalog.pg_type'::pg_catalog.regclass, r.reltype FROM pg_catalog.pg_class r WHERE h.class = "
                          "'pg_catalog.pg_class'::pg_catalog.regclass AND r.oid = h.obj AND r.reltype <> 0) n (class, obj)) "
                          "SELECT * FROM holders) h JOIN pg_catalog.pg_class c ON h.class = "
                          "'pg_catalog.pg_class'::pg_catalog.regclass AND c.oid = h.obj WHERE c.relnamespace NOT IN "
                          "('pg_catalog'::regnamespace, 'information_schema'::regnamespace) UNION ALL SELECT "
                          "pg_catalog.current_setting('server_version_num'), NULL, 'version' UNION ALL " +
              postgresql_session_query(c);
    else if (dbc.dialect == sqlscan::Dialect::sqlite)
        sql = "SELECT name, sql, 'v' FROM sqlite_master WHERE type = 'view' UNION ALL "
              "SELECT name, sql, 'v' FROM sqlite_temp_master WHERE type = 'view' UNION ALL "
              "SELECT tbl_name, sql, 'on write' FROM sqlite_master WHERE type = 'trigger' UNION ALL "
              "SELECT tbl_name, sql, 'on write' FROM sqlite_temp_master WHERE type = 'trigger'";
    std::vector<std::vector<std::string>> rows;
    s.views_listed = !sql.empty() && helper_query(dbc, sql, rows);
    if (!s.views_listed) {
        c.schema_read = sql.empty();  // a failed read (an aborted transaction) is tried again
        return;
    }
    if (dbc.dialect == sqlscan::Dialect::postgresql) note_session(c, rows);
    for (const auto& row : rows) {  // first: the views' definitions are searched for them
        if (row.size() < 3) continue;
        if (row[2] == "operator") s.operators[row[0]].push_back(row[1]);
        if (row[2] == "cast") s.casts[sqlscan::lower(row[0])].push_back(row[1]);
        if (row[2] == "unasked cast") s.unasked_casts.push_back(row[1]);
    }
    for (const auto& row : rows) {
        if (row.size() < 3) continue;
        const std::string& kind = row[2];
        if (kind == "inherits") {  // a partition or child table holds rows its parent's reads return
            const std::string child = cache::normalize_table_name(row[0]), parent = cache::normalize_table_name(row[1]);
            s.family[child].push_back(parent);
            s.family[parent].push_back(child);
        } else if (kind == "S") {
            s.never_cached.emplace(cache::normalize_table_name(row[0]), "is a sequence: nextval changes it without a write");
        } else if (kind == "f") {
            s.never_cached.emplace(cache::normalize_table_name(row[0]), "is a foreign table: its rows change on another server");
        } else if (kind == "on write" || kind == "unreadable on write" || kind == "policy") {
            const std::string table = cache::normalize_table_name(row[0]);
            const sqlscan::CodeWrites code = kind != "unreadable on write" ? scan_code(c, row[1], dbc.dialect) : sqlscan::CodeWrites{};
            add_table_code(s.on_write, table, code);
            if (kind == "policy") add_table_code(s.on_read, table, code);
        } else if (kind == "version") {
            s.server_version = std::atoi(row[0].c_str());
        } else if (kind == "overload") {
            s.overloads.insert(row[0]);
        } else if (kind == "row security") {
            s.never_cached.emplace(cache::normalize_table_name(row[0]),
                                   "has row-level security: its policies may read settings and tables the shim does not see");
        } else if (kind == "v") {  // views of the same name in two schemas: what either reads
            const std::string name = cache::normalize_table_name(row[0]);
            const std::vector<sqlscan::Statement> statements = sqlscan::scan(row[1], dbc.dialect);
            ConnectionCache::View view = view_of(statements);
            if (dbc.dialect == sqlscan::Dialect::postgresql) {  // the functions it calls, followed after a read
                sqlscan::CodeWrites code = sqlscan::statements_code(statements);
                const std::vector<std::string> unnamed = unnamed_calls(c, row[1]);
                code.calls.insert(code.calls.end(), unnamed.begin(), unnamed.end());
                view.known = view.known && unnamed.empty();
                add_table_code(s.on_read, name, code);
            }
            auto [known, added] = s.views.emplace(name, view);
            if (added) continue;
            known->second.known = known->second.known && view.known;
            known->second.tables.insert(known->second.tables.end(), view.tables.begin(), view.tables.end());
        }
    }
    if (shared) share_schema(c, *epoch);
}

// Re-reads the schema when DDL moved the epoch since it was read (or when the epoch is unknown);
// the epoch is looked up once per execution (a round trip with a shared store): the statements
// have all run, so a schema read after the lookup sees what they made.
void refresh_schema(Dbc& dbc) {
    ConnectionCache& c = state(dbc);
    if (c.schema_checked && c.schema_read) return;
    const auto epoch = current_epoch(dbc);
    c.schema_checked = epoch.has_value();
    if (!epoch || !c.schema_read || c.schema_epoch != *epoch) read_schema(dbc, epoch);
}

bool listed(const std::vector<std::string>& list, const std::string& table) {
    return std::find(list.begin(), list.end(), table) != list.end();
}

// Reads what the PostgreSQL functions named `names` run, every schema's and overload's of a
// name together: PL/pgSQL and SQL bodies are scanned (whatever their volatility: a STABLE one
// may call a VOLATILE one that writes). Compiled ones (C, internal) are taken at their word
// that only VOLATILE ones may write, pg_catalog's too unless the scanner knows them; in other
// languages only IMMUTABLE ones are (PL/Python may call anything). The defaults of arguments
// count too: a call that omits them runs them, and so do an aggregate's support functions (its
// own entry says IMMUTABLE, whatever they do). Asked once per name while the schema stands
// (CREATE OR REPLACE FUNCTION moves the epoch), by one of the connections sharing it
// (take_known_functions); false when the catalog did not answer.
bool read_functions(Dbc& dbc, const std::vector<std::string>& names) {
    ConnectionCache& c = state(dbc);
    // PostgreSQL 14's BEGIN ATOMIC and RETURN bodies: prosrc is empty, prosqlbody holds them.
    const bool sql_bodies = c.schema->server_version >= 140000;
    std::string sql = "SELECT p.proname::text, CASE WHEN l.lanname IN ('plpgsql', 'sql') THEN ";
    sql += sql_bodies ? "COALESCE(pg_catalog.pg_get_function_sqlbody(p.oid), p.prosrc)" : "p.prosrc";
    sql += " END, CASE WHEN p.pronamespace = 'pg_catalog'::regnamespace THEN 'built-in' ";
    if (sql_bodies) sql += "WHEN l.lanname = 'sql' AND p.prosqlbody IS NOT NULL THEN 'sql body' ";
    sql += "WHEN l.lanname IN ('plpgsql', 'sql') AND p.prosrc <> '' THEN l.lanname::text WHEN l.lanname IN ('c', "
           "'internal') THEN 'compiled' ELSE 'other' END, p.provolatile::text, pg_catalog.pg_get_expr(p.proargdefaults, "
           "0), (SELECT pg_catalog.string_agg(f.proname::text, E'\\x1f') FROM pg_catalog.pg_aggregate a JOIN "
           "pg_catalog.pg_proc f ON f.oid IN (a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn, "
           "a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn, (SELECT o.oprcode FROM pg_catalog.pg_operator o WHERE o.oid = "
           "a.aggsortop)) WHERE a.aggfnoid = p.oid) FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = "
           "p.prolang WHERE p.proname IN (";
    for (const auto& name : names) {
        if (name.find('\0') != std::string::npos) return false;
        if (&name != &names.front()) sql += ", ";
        append_literal(sql, name);
    }
    sql += ')';
    std::vector<std::vector<std::string>> rows;
    if (!helper_query(dbc, sql, rows)) return false;
    sqlscan::CodeWrites nothing;  // not in the catalog: a call fails
    nothing.known = true;
    for (const auto& name : names) c.functions[name] = nothing;
    for (const auto& row : rows) {
        if (row.size() != 6) continue;
        const std::string &name = row[0], &body = row[1], &kind = row[2], &volatility = row[3], &defaults = row[4],
                          &aggregated_by = row[5];
        sqlscan::CodeWrites code;
        if (kind == "plpgsql" || kind == "sql" || kind == "sql body") {  // a sql body holds no DDL nor SELECT INTO
            using L = sqlscan::CodeLanguage;
            code = scan_code(c, body, dbc.dialect, kind == "sql" ? L::statements : L::procedural);
        } else {
            code.known = kind == "other" ? volatility == "i"
                                         : volatility != "v" || (kind == "built-in" && sqlscan::is_known_built_in(name));
        }
        merge_code(code, scan_code(c, defaults, dbc.dialect));  // a call's omitted arguments run them
        for (std::size_t start = 0; start < aggregated_by.size();) {
            const std::size_t end = std::min(aggregated_by.find('\x1f', start), aggregated_by.size());
            code.calls.push_back(aggregated_by.substr(start, end - start));
            start = end + 1;
        }
        if (listed(names, name)) {
            add_code(c.functions, name, code);
        } else {  // a name that came back spelled otherwise (a locale's encoding): which one is unknown
            for (const auto& asked : names) c.functions[asked].known = false;
        }
    }
    return true;
}

// Copies into c.functions what other connections holding c's schema read of `names`; returns
// the names none has read.
std::vector<std::string> take_known_functions(ConnectionCache& c, const std::vector<std::string>& names) {
    std::vector<std::string> unread;
    ConnectionCache::Schema::Functions& known = *c.schema->functions;
    std::lock_guard<std::mutex> lock(known.mutex);
    for (const auto& name : names) {
        auto found = known.by_name.find(name);
        if (found == known.by_name.end()) unread.push_back(name);
        else c.functions.emplace(name, found->second);
    }
    return unread;
}

// Adds what the connection read of `names` to its schema's functions, for the others.
void share_functions(const ConnectionCache& c, const std::vector<std::string>& names) {
    ConnectionCache::Schema::Functions& known = *c.schema->functions;
    std::lock_guard<std::mutex> lock(known.mutex);
    for (const auto& name : names) known.by_name.emplace(name, c.functions.at(name));
}

// What `code` runs with the functions it calls followed, and the ones they call: the tables
// all of it writes and whether it sets the session; unknown, with `unreadable` the function,
// when some of it cannot be read. SQLite's SQL cannot define a function; on databases other
// than PostgreSQL, which the shim does not read, any call may write. The schema must be
// current (refresh_schema).
sqlscan::CodeWrites follow_calls(Dbc& dbc, sqlscan::CodeWrites code, std::string& unreadable) {
    auto cannot_read = [&](const std::string& function) {
        code.known = false;
        unreadable = function;
        return code;
    };
    if (!code.known || dbc.dialect == sqlscan::Dialect::sqlite) return code;
    if (dbc.dialect != sqlscan::Dialect::postgresql) return code.calls.empty() ? code : cannot_read(code.calls.front());
    ConnectionCache& c = state(dbc);
    if (!c.schema->views_listed && !code.built_ins.empty()) return cannot_read(code.built_ins.front());  // overloads unknown
    std::set<std::string> seen;
    std::vector<std::string> pending;
    auto call = [&](const sqlscan::CodeWrites& caller) {
        for (const auto& name : caller.calls)
            if (seen.insert(name).second) pending.push_back(name);
        for (const auto& name : caller.built_ins)
            if (c.schema->overloads.count(name) && seen.insert(name).second) pending.push_back(name);
    };
    call(code);
    while (!pending.empty()) {  // a call's depth at a time: one catalog query each
        std::vector<std::string> unread;
        for (const auto& name : pending)
            if (!c.functions.count(name)) unread.push_back(name);
        if (!unread.empty()) unread = take_known_functions(c, unread);
        if (!unread.empty()) {
            if (!read_functions(dbc, unread)) return cannot_read(unread.front());
            share_functions(c, unread);
        }
        std::vector<std::string> depth;
        depth.swap(pending);
        for (const auto& name : depth) {
            const sqlscan::CodeWrites& called = c.functions.at(name);
            if (!called.known) return cannot_read(name);
            merge_code(code, called);
            call(called);
        }
    }
    return code;
}

// What reading `tables` runs (PostgreSQL): the code of their views and row security policies,
// and of the views those views read.
sqlscan::CodeWrites run_on_read(const ConnectionCache& c, std::vector<std::string> pending) {
    sqlscan::CodeWrites code;
    code.known = true;
    std::set<std::string> seen;
    while (!c.schema->on_read.empty() && !pending.empty()) {
        std::string table = std::move(pending.back());
        pending.pop_back();
        if (!seen.insert(table).second) continue;
        if (auto runs = c.schema->on_read.find(table); runs != c.schema->on_read.end()) merge_code(code, runs->second);
        if (auto view = c.schema->views.find(table); view != c.schema->views.end())
            pending.insert(pending.end(), view->second.tables.begin(), view->second.tables.end());
    }
    return code;
}

// What statement `s` of `sql` runs besides itself, with the calls followed (follow_calls): the
// functions it calls and, on PostgreSQL, those its operators and the views and policies of the
// tables it reads or writes call. The schema is made current first (a read the cache passed
// through may not have asked), unless a read calls nothing by the schema at hand: with a shared
// store that costs a round trip.
sqlscan::CodeWrites run_by_calls(Dbc& dbc, const sqlscan::Statement& s, std::string_view sql, std::string& unreadable) {
    ConnectionCache& c = state(dbc);
    sqlscan::CodeWrites statement;  // the statement as code that only calls
    statement.known = true;
    statement.calls = s.unknown_functions;
    const bool may_call = !s.writes.empty() || !s.unknown_functions.empty() || !s.unqualified_built_ins.empty() ||
                          has_unnamed_calls(*c.schema);
    if (dbc.dialect == sqlscan::Dialect::postgresql && (may_call || !c.schema->on_read.empty())) {
        std::vector<std::string> tables = s.reads;
        tables.insert(tables.end(), s.writes.begin(), s.writes.end());
        if (may_call || runs_something(run_on_read(c, tables))) {
            statement.built_ins = s.unqualified_built_ins;
            refresh_schema(dbc);
            merge_code(statement, run_on_read(c, std::move(tables)));
            const std::vector<std::string> unnamed = unnamed_calls(c, sql);
            statement.calls.insert(statement.calls.end(), unnamed.begin(), unnamed.end());
        }
    }
    return follow_calls(dbc, std::move(statement), unreadable);
}

// A temporary table of the connection among `table`'s parents and children, however far
// (PostgreSQL): a read of a parent returns its temporary children's rows, which only this
// connection sees. Empty when there is none.
std::string temporary_relative(const ConnectionCache& c, const std::string& table) {
    if (c.temporary_tables.empty()) return {};
    std::set<std::string> seen{table};
    std::vector<std::string> pending{table};
    while (!pending.empty()) {
        const std::string current = std::move(pending.back());
        pending.pop_back();
        auto related = c.schema->family.find(current);
        if (related == c.schema->family.end()) continue;
        for (const auto& relative : related->second) {
            if (c.temporary_tables.count(relative)) return relative;
            if (seen.insert(relative).second) pending.push_back(relative);
        }
    }
    return {};
}

// `tables` with every view replaced by itself and what it reads; false (with the view in
// `unknown`) when a view's tables are not known.
bool expand_views(ConnectionCache& c, const std::vector<std::string>& tables, std::vector<std::string>& expanded,
                  std::string& unknown) {
    std::vector<std::string> pending(tables.rbegin(), tables.rend());
    while (!pending.empty()) {
        std::string table = std::move(pending.back());
        pending.pop_back();
        if (std::find(expanded.begin(), expanded.end(), table) != expanded.end()) continue;
        expanded.push_back(table);
        auto view = c.schema->views.find(table);
        if (view == c.schema->views.end()) continue;
        if (!view->second.known) {
            unknown = table;
            return false;
        }
        pending.insert(pending.end(), view->second.tables.begin(), view->second.tables.end());
    }
    std::sort(expanded.begin(), expanded.end());
    return true;
}

// The tables whose rows change with `table`'s through a foreign key that cascades (ON DELETE
// or ON UPDATE CASCADE, SET NULL, SET DEFAULT); false when unknown. PostgreSQL's are read from
// pg_constraint for a table of that name in any schema and any case, as the shim names tables:
// not with SQLForeignKeys, whose internal query psqlODBC counts as read-only, so that it sets
// no savepoint before the application's next statement and, should that fail, rolls the whole
// transaction back. Other targets' come from SQLForeignKeys.
bool cascading_tables(Dbc& dbc, const std::string& table, std::vector<std::string>& referencing) {
    ConnectionCache& c = state(dbc);
    if (auto known = c.cascades.find(table); known != c.cascades.end()) {
        referencing = known->second;
        return true;
    }
    std::vector<std::vector<std::string>> rows;
    if (dbc.dialect == sqlscan::Dialect::postgresql) {
        std::string sql =
            "SELECT DISTINCT r.relname FROM pg_catalog.pg_constraint f JOIN pg_catalog.pg_class p ON p.oid = f.confrelid "
            "JOIN pg_catalog.pg_class r ON r.oid = f.conrelid WHERE f.contype = 'f' AND (f.confupdtype IN ('c', 'n', 'd') "
            "OR f.confdeltype IN ('c', 'n', 'd')) AND lower(p.relname) = ";
        append_literal(sql, table);
        if (!helper_query(dbc, sql, rows)) return false;
        for (const auto& row : rows) referencing.push_back(cache::normalize_table_name(row.at(0)));
    } else {
        const bool listed = helper_rows(dbc, [&](SQLHSTMT helper) {
            return with_variant<SQLCHAR>(dbc.api().SQLForeignKeys, dbc.api().SQLForeignKeysW, [&](auto fn, auto strings) {
                auto name = strings(reinterpret_cast<SQLCHAR*>(const_cast<char*>(table.c_str())), SQL_NTS);
                return fn(helper, nullptr, 0, nullptr, 0, name.ptr(), name.template length<SQLSMALLINT>(), nullptr, 0,
                          nullptr, 0, nullptr, 0);
            });
        }, rows);
        if (!listed) return false;
        auto cascades = [](const std::string& rule) {
            const int n = std::atoi(rule.c_str());
            return !rule.empty() && (n == SQL_CASCADE || n == SQL_SET_NULL || n == SQL_SET_DEFAULT);
        };
        for (const auto& row : rows)
            if (row.size() >= 11 && (cascades(row[9]) || cascades(row[10])))
                referencing.push_back(cache::normalize_table_name(row[6]));
    }
    c.cascades[table] = referencing;
    return true;
}

// Everything a write to `written` makes stale: the tables, InvalidateAlso's, the tables a view
// reads, the parents and children (partitions) of a table, those referencing them by cascading
// foreign keys, and those their triggers and rules write, transitively. A trigger whose code
// cannot be read stales everything, unless InvalidateAlso says what it writes.
cache::Invalidation widen(Dbc& dbc, cache::Invalidation written) {
    if (written.everything || written.tables.empty()) return written;
    ConnectionCache& c = state(dbc);
    refresh_schema(dbc);
    std::vector<std::string> pending(written.tables.begin(), written.tables.end());
    written.tables.clear();
    while (!pending.empty()) {
        std::string table = std::move(pending.back());
        pending.pop_back();
        if (!written.tables.insert(table).second) continue;
        if (auto also = dbc.settings.invalidate_also.find(table); also != dbc.settings.invalidate_also.end())
            pending.insert(pending.end(), also->second.begin(), also->second.end());
        if (auto view = c.schema->views.find(table); view != c.schema->views.end())
            pending.insert(pending.end(), view->second.tables.begin(), view->second.tables.end());
        if (auto related = c.schema->family.find(table); related != c.schema->family.end())
            pending.insert(pending.end(), related->second.begin(), related->second.end());
        if (auto runs = c.schema->on_write.find(table); runs != c.schema->on_write.end()) {
            std::string unreadable;
            const sqlscan::CodeWrites ran = follow_calls(dbc, runs->second, unreadable);
            if (dbc.dialect == sqlscan::Dialect::postgresql && (!ran.known || ran.sets_session)) {
                c.custom_settings.insert(ran.custom_settings.begin(), ran.custom_settings.end());
                observe_before_next_read(c);
            }
            if (!ran.known && !dbc.settings.invalidate_also.count(table)) {
                written.everything = true;
                return written;
            }
            pending.insert(pending.end(), ran.tables.begin(), ran.tables.end());
        }
        std::vector<std::string> referencing;
        if (!cascading_tables(dbc, table, referencing)) {
            written.everything = true;  // unsure: more rather than less
            return written;
        }
        pending.insert(pending.end(), referencing.begin(), referencing.end());
    }
    return written;
}

// Makes the invalidation visible to every connection sharing the store.
void announce(Dbc& dbc, const cache::Invalidation& invalidation, std::string_view why, std::string_view sql) {
    if (invalidation.empty()) return;
    ConnectionCache& c = state(dbc);
    std::vector<std::string> keys;
    std::string detail;
    if (invalidation.everything) {
        keys.push_back(cache::epoch_token_key(c.name_space));
        detail = "everything (" + std::string(why) + ")";
    }
    for (const auto& table : invalidation.tables) {
        keys.push_back(cache::table_token_key(c.name_space, table));
        if (!invalidation.everything) detail += (detail.empty() ? "" : " ") + table;
    }
    const bool delivered = c.store->invalidate(c.name_space, keys);
    c.counters->invalidations.fetch_add(1, std::memory_order_relaxed);
    log(dbc, "invalidate", detail, sql);
    if (!delivered) log(dbc, "store", "invalidation not delivered: " + c.store->problem() + "; kept and retried", sql);
}

// What a COMMIT, however it came, announces: the transaction's writes.
void announce_commit(Dbc& dbc, const cache::Invalidation& written, std::string_view how) {
    announce(dbc, written, "DDL or a function that may write, in the transaction", how);
}

// A write: announced now, or kept for COMMIT while a transaction is open.
void write(Dbc& dbc, cache::Invalidation invalidation, std::string_view why, std::string_view sql) {
    if (invalidation.empty()) return;
    cache::Invalidation now = state(dbc).transaction.write(widen(dbc, std::move(invalidation)));
    if (now.empty()) log(dbc, "deferred", "until the transaction ends", sql);
    announce(dbc, now, why, sql);
}

void append_number(std::string& out, long long n) {
    out += std::to_string(n);
    out += ',';
}

// A bound parameter's description and value bytes, for the key; false when its length cannot
// be known (SQL_C_DEFAULT, a length the application left to the driver, data at execution).
bool append_parameter(std::string& out, SQLUSMALLINT number, const Stmt::Parameter& p) {
    if (p.at_execution()) return false;
    for (long long n : {static_cast<long long>(number), static_cast<long long>(p.io_type), static_cast<long long>(p.c_type),
                        static_cast<long long>(p.sql_type), static_cast<long long>(p.size), static_cast<long long>(p.digits)})
        append_number(out, n);
    const SQLLEN indicator = p.indicator ? *p.indicator : SQL_NTS;
    if (indicator == SQL_NULL_DATA) {
        out += "N;";
        return true;
    }
    if (!p.value) return false;
    SQLLEN bytes = fixed_size(p.c_type);
    if (!bytes) {
        if (p.c_type == SQL_C_CHAR && indicator == SQL_NTS) bytes = static_cast<SQLLEN>(std::strlen(static_cast<const char*>(p.value)));
        else if (p.c_type == SQL_C_WCHAR && indicator == SQL_NTS) bytes = static_cast<SQLLEN>(input_length(static_cast<const SQLWCHAR*>(p.value), SQL_NTS) * sizeof(SQLWCHAR));
        else if ((p.c_type == SQL_C_CHAR || p.c_type == SQL_C_WCHAR || p.c_type == SQL_C_BINARY) && indicator >= 0) bytes = indicator;
        else return false;
    }
    append_number(out, bytes);
    out.append(static_cast<const char*>(p.value), static_cast<std::size_t>(bytes));
    out += ';';
    return true;
}

// Every parameter bound to `stmt`; false when one cannot be known, or when the statement runs
// for an array of them.
bool append_parameters(std::string& out, const Stmt& stmt) {
    if (stmt.blocking_attributes.count(SQL_ATTR_PARAMSET_SIZE)) return false;
    for (const auto& [number, parameter] : stmt.parameters)
        if (!append_parameter(out, number, parameter)) return false;
    return true;
}

// A session statement (SET, USE, set_config(), ATTACH...) ran. On PostgreSQL, when the server
// can be asked all it changed, it is asked before the next read, so the key carries the state
// and not the history: it stays small however many statements run, and connections that
// reached the same state by other statements share entries. Otherwise its text and the values
// bound to it join every later key. PostgreSQL undoes what a transaction set when it rolls
// back, and SET LOCAL when it ends, at once outside one.
void session_statement(Stmt& stmt, const sqlscan::Statement& s, std::string_view sql) {
    Dbc& dbc = stmt.dbc;
    ConnectionCache& c = state(dbc);
    const bool postgresql = dbc.dialect == sqlscan::Dialect::postgresql;
    if (postgresql && s.observable) {
        c.custom_settings.insert(s.custom_settings.begin(), s.custom_settings.end());
        observe_before_next_read(c);
    } else {
        if (s.unclear_target) c.session_unkeyable = true;  // ATTACH: other tables behind the same names
        std::string text(sql);
        if (s.parameter_markers && (stmt.parameters.empty() || dbc.descriptors_changed || !append_parameters(text, stmt)))
            c.session_unkeyable = true;
        session_changed(dbc, text);
    }
    if (!postgresql) return;
    if (c.transaction.open()) c.session_in_transaction = true;
    else if (s.transaction_scoped) observe_before_next_read(c);
}

// COMMIT, ROLLBACK or ROLLBACK TO SAVEPOINT (`goes_on`): what the transaction's session
// statements set may be undone.
void transaction_ended(ConnectionCache& c, bool goes_on = false) {
    if (!c.session_in_transaction) return;
    c.session_in_transaction = goes_on;
    observe_before_next_read(c);
}

// What names the SQLite database `name` in the namespace: a file by its real path, so every
// spelling of it shares tokens; a database no other connection opens (":memory:", "", an
// in-memory URI) with a random token of its own, or of this process's with cache=shared, which
// the process's connections share; never another connection's rows under the same name.
std::string sqlite_database(const std::string& name) {
    const bool uri = name.rfind("file:", 0) == 0;
    const bool in_memory = name.empty() || name == ":memory:" ||
                           (uri && (name.find(":memory:") != std::string::npos || name.find("mode=memory") != std::string::npos));
    if (!in_memory) {
        char resolved[PATH_MAX];
        return realpath(name.c_str(), resolved) ? std::string(resolved) : name;
    }
    static const cache::Token process = cache::random_token();
    const bool shared = uri && name.find("cache=shared") != std::string::npos;
    return name + "\x1f" + std::to_string(shared ? process : cache::random_token());
}

// Whether `results` would be described otherwise on another execution: SQLite ODBC describes
// an empty result of a statement it ran before by what that run read.
bool described_by_history(const Stmt& stmt, const Results& results) {
    if (!stmt.describes_by_previous_run()) return false;
    for (const ResultSet& set : results.sets)
        if (set.rows.row_count() == 0) return true;
    return false;
}

}  // namespace

void open_cache(Dbc& dbc) {
    dbc.cache = std::make_unique<ConnectionCache>();
    ConnectionCache& c = state(dbc);
    const cache::Settings& s = dbc.settings;
    c.counters = cache::counters_for(dbc.data_source_name);
    if (!s.log_path.empty()) {
        try {
            c.log = cache::DecisionLog::open(s.log_path);
        } catch (const std::exception& e) {
            throw cache::SettingError("CacheLog", e.what());
        }
    }
    if (s.cache.kind == cache::CacheLocation::Kind::memory) {
        c.store = cache::memory_store(static_cast<std::size_t>(s.memory_size));
        if (!s.every_miss) c.admission = &cache::admission();
    } else {
        c.store = cache::shared_store(s.cache, std::chrono::milliseconds(s.connect_timeout_ms),
                                      std::chrono::milliseconds(s.io_timeout_ms), decode_results);
    }
}

void learn_target(Dbc& dbc, const std::string& server, const std::string& database, const std::string& user,
                  const std::string& driver, SQLUINTEGER default_isolation) {
    ConnectionCache& c = state(dbc);
    const std::string db = dbc.dialect == sqlscan::Dialect::sqlite ? sqlite_database(database) : database;
    c.name_space = "cachalot1\x1f" + std::to_string(static_cast<int>(dbc.dialect)) + "\x1f" + server + "\x1f" + db +
                   "\x1f" + dbc.settings.key_prefix;
    c.identity = c.name_space + "\x1f" + user + "\x1f" + driver + "\x1f" + std::to_string(static_cast<int>(dbc.family)) +
                 (dbc.wide_text ? "w" : "n") + "\x1f" + dbc.target_options;
    c.transaction = cache::Transaction(default_isolation != SQL_TXN_READ_COMMITTED && default_isolation != SQL_TXN_READ_UNCOMMITTED);
}

bool cachable_statement(const sqlscan::Statement& s, bool cache_random) {
    return cache_random ? s.cachable_with_random : s.cachable;
}

void note_bypass(Stmt& stmt, Bypass reason, std::string_view detail, std::string_view sql) {
    if (!stmt.dbc.cache) return;
    stmt.dbc.cache->counters->bypassed(reason);
    log(stmt.dbc, std::string("bypass ") + cache::bypass_name(reason), detail, sql);
}

CachePlan plan_read(Stmt& stmt, const std::vector<sqlscan::Statement>& statements, std::string_view sql, bool wide) {
    Dbc& dbc = stmt.dbc;
    ConnectionCache& c = state(dbc);
    CachePlan plan;
    if (!c.store) return plan;
    auto bypass = [&](Bypass reason, std::string_view detail) {
        note_bypass(stmt, reason, detail, sql);
        return CachePlan{};
    };
    auto bypass_quietly = [&](Bypass reason) {  // counted; the log has the store's state already
        c.counters->bypassed(reason);
        return CachePlan{};
    };
    if (c.session_unobserved && c.schema_read) observe_session(dbc);  // a first schema read asks too
    std::vector<std::string> reads;
    for (const auto& s : statements) reads.insert(reads.end(), s.reads.begin(), s.reads.end());
    // Twice at most: when DDL moved the epoch since the schema was read, read it again.
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!c.schema_read) {  // before the key: on PostgreSQL it observes the session too
            const auto epoch = current_epoch(dbc);
            if (!epoch) return bypass_quietly(Bypass::store);
            read_schema(dbc, *epoch);
        }
        if (c.session_unobserved) return bypass(Bypass::session, "the session could not be asked what its statements, code the shim cannot read or the end of a transaction changed");
        if (c.session_unkeyable) return bypass(Bypass::session, "the session ran statements the key cannot capture");
        for (const auto& s : statements)
            for (const auto& name : s.unqualified_built_ins)
                if (c.schema->overloads.count(name))
                    return bypass(Bypass::not_pure, name + "() may call a function outside pg_catalog that is not IMMUTABLE");
        if (const auto unnamed = unnamed_calls(c, sql); !unnamed.empty())
            return bypass(Bypass::not_pure, "may call " + unnamed.front() + "() through an operator or a cast; it is not IMMUTABLE");
        for (const auto& table : reads) {
            if (c.temporary_tables.count(table)) return bypass(Bypass::temporary_table, table);
            if (!dbc.settings.only_cachable_tables.empty() && !listed(dbc.settings.only_cachable_tables, table))
                return bypass(Bypass::not_cachable_table, table);
        }
        // The material every key of this connection and statement shares.
        std::string material;
        material.reserve(c.identity.size() + c.session.size() + c.observed_session.size() + sql.size() + 64);
        material += c.identity;
        material += '\x1e';
        material += c.session;
        material += '\x1c';
        material += c.observed_session;
        material += '\x1e';
        material += wide ? 'W' : 'A';
        for (const auto& [attribute, value] : stmt.shaping_attributes)
            if (attribute != SQL_ATTR_QUERY_TIMEOUT) {
                append_number(material, attribute);
                append_number(material, static_cast<long long>(value.application));
            }
        material += '\x1e';
        material.append(sql.data(), sql.size());
        material += '\x1e';
        if (!append_parameters(material, stmt)) return bypass(Bypass::cursor, "a parameter's length is not known");
        if (!c.schema->views_listed) return bypass(Bypass::unknown_view, "the target's views cannot be listed");
        std::vector<std::string> tables;
        std::string unknown;
        if (!expand_views(c, reads, tables, unknown)) return bypass(Bypass::unknown_view, unknown);
        for (const auto& table : tables) {  // the tables named and those behind views
            if (listed(dbc.settings.uncachable_tables, table)) return bypass(Bypass::uncachable_table, table);
            if (auto never = c.schema->never_cached.find(table); never != c.schema->never_cached.end())
                return bypass(Bypass::not_pure, table + " " + never->second);
            if (const std::string relative = temporary_relative(c, table); !relative.empty())
                return bypass(Bypass::temporary_table, relative + ", in the inheritance of " + table);
        }
        if (c.transaction.bypasses(tables))
            return bypass(Bypass::transaction, c.transaction.failed()
                                                   ? "inside a transaction in which a statement failed"
                                                   : "inside a transaction that wrote these tables or isolated above READ COMMITTED");
        plan.token_keys.assign(1, cache::epoch_token_key(c.name_space));
        for (const auto& table : tables) plan.token_keys.push_back(cache::table_token_key(c.name_space, table));
        plan.key = cache::hash128(material);
        cache::Lookup found = c.store->lookup(plan.key, c.name_space, plan.token_keys);
        if (!reached(dbc, found.reach)) return bypass_quietly(Bypass::store);
        if (found.tokens.at(0) != c.schema_epoch) {
            c.schema_read = false;
            continue;
        }
        plan.use_cache = true;
        plan.tokens = std::move(found.tokens);
        if (c.admission)
            for (const auto& s : statements) plan.shape = plan.shape * 31 + s.shape;
        if (found.entry && found.entry->tokens == plan.tokens && found.entry->key_material == material) {
            plan.hit = std::dynamic_pointer_cast<const Results>(found.entry->payload);
            if (plan.hit) {
                c.counters->hits.fetch_add(1, std::memory_order_relaxed);
                if (c.admission) c.admission->hit(plan.shape);
                log(dbc, "hit", "", sql);
                return plan;
            }
        }
        c.counters->misses.fetch_add(1, std::memory_order_relaxed);
        if (c.admission && !c.admission->admits(plan.shape, plan.key.low)) {
            log(dbc, "miss",
                "not stored: " + std::to_string(cache::Admission::cold_after) +
                    " results of statements that differ from it only in values were stored without a hit; "
                    "stored if it misses again",
                sql);
            return CachePlan{};
        }
        plan.key_material = std::move(material);
        return plan;
    }
    return bypass(Bypass::unknown_view, "the schema changed while the statement was planned");
}

void note_not_captured(Stmt& stmt, std::string_view why, std::string_view sql) {
    log(stmt.dbc, "miss", std::string("not stored: ") + std::string(why) + "; the driver serves it", sql);
}

void store_results(Stmt& stmt, CachePlan&& plan, const std::shared_ptr<const Results>& results, bool whole,
                   std::string_view sql) {
    Dbc& dbc = stmt.dbc;
    ConnectionCache& c = state(dbc);
    const char* refused = whole ? nullptr : "larger than CacheMaxEntrySize";
    for (const ResultSet& set : results->sets)
        if (!refused && (!SQL_SUCCEEDED(set.rc) || set.end_rc != SQL_NO_DATA)) refused = "the target reported an error";
    if (!refused && described_by_history(stmt, *results))
        refused = "SQLite ODBC describes an empty result of a statement it ran before by what that run read";
    // CacheMaxEntrySize counts the values, as the capture does (CacheMemorySize counts all).
    std::size_t values = 0;
    for (const ResultSet& set : results->sets) values += set.rows.byte_size();
    if (!refused && static_cast<std::int64_t>(values) > dbc.settings.max_entry_size) refused = "larger than CacheMaxEntrySize";
    if (refused) {
        log(dbc, "miss", std::string("not stored: ") + refused, sql);
        return;
    }
    auto entry = std::make_shared<cache::Entry>();
    entry->key_material = std::move(plan.key_material);
    entry->tokens = std::move(plan.tokens);
    entry->payload = results;
    switch (c.store->store(plan.key, c.name_space, std::move(entry), std::chrono::seconds(dbc.settings.timeout_seconds))) {
    case cache::Stored::yes:
        c.counters->stores.fetch_add(1, std::memory_order_relaxed);
        if (c.admission) c.admission->stored(plan.shape);
        log(dbc, "miss", "stored", sql);
        break;
    case cache::Stored::refused: log(dbc, "miss", "not stored: the store refused it (too large for it, or full)", sql); break;
    case cache::Stored::unreachable: log(dbc, "miss", "not stored: the store did not answer", sql); break;
    }
}

void after_execution(Stmt& stmt, const std::vector<sqlscan::Statement>& statements, std::string_view sql) {
    Dbc& dbc = stmt.dbc;
    if (!has_store(dbc)) return;
    ConnectionCache& c = state(dbc);
    c.schema_checked = false;
    using K = sqlscan::StatementKind;
    bool unseen_code = false;  // that may have changed the session
    for (const auto& s : statements) {
        unseen_code = unseen_code || s.kind == K::call || s.kind == K::unknown;
        if (s.isolation != sqlscan::Statement::Isolation::none)
            c.transaction.set_above_read_committed(s.isolation == sqlscan::Statement::Isolation::above_read_committed);
        cache::Invalidation invalidation;
        invalidation.tables.insert(s.writes.begin(), s.writes.end());
        std::string why;
        switch (s.kind) {
        case K::begin: c.transaction.begin(); break;
        case K::commit:
            announce_commit(dbc, c.transaction.commit(), sql);
            transaction_ended(c);
            if (s.and_chain) c.transaction.begin();
            break;
        case K::rollback:
            if (!s.to_savepoint) {
                c.transaction.rollback();
                log(dbc, "rollback", "the transaction's writes are forgotten", sql);
            } else {
                c.transaction.rolled_back_to_savepoint();
            }
            transaction_ended(c, s.to_savepoint);
            if (s.and_chain) c.transaction.begin();
            break;
        case K::create: case K::alter: case K::drop: case K::rename: {
            // DDL can change views and foreign keys: every entry of the database goes (the
            // connection's own temporary tables excepted).
            c.temporary_tables.insert(s.temporary_tables.begin(), s.temporary_tables.end());
            bool temporary_only = !s.writes.empty();
            for (const auto& table : s.writes) temporary_only = temporary_only && c.temporary_tables.count(table);
            if (!temporary_only) {
                invalidation.everything = true;
                why = "DDL";
            } else {  // its triggers, rules, defaults and parents are read with the schema
                c.schema_read = false;
                c.own_schema = true;
            }
            break;
        }
        case K::finish_prepared: why = "a prepared transaction ended, its tables unknown"; break;
        case K::unknown:
            if (dbc.settings.invalidate_unparsed) {
                invalidation.everything = true;
                why = "a statement the scanner cannot read (InvalidateUnparsed)";
            }
            break;
        default: break;
        }
        if (s.unclear_target) {
            invalidation.everything = true;
            if (why.empty()) why = std::string(sqlscan::kind_name(s.kind)) + " with an unclear target";
        }
        if (s.kind == K::session || s.sets_session) session_statement(stmt, s, sql);
        if (!s.unknown_functions.empty() && invalidation.everything) {
            unseen_code = true;
        } else {
            std::string unreadable;
            const sqlscan::CodeWrites ran = run_by_calls(dbc, s, sql, unreadable);
            if (!ran.known) {
                unseen_code = invalidation.everything = true;
                why = "calls " + unreadable + "(), a function whose code may write and cannot be read";
            } else if (ran.sets_session) {
                c.custom_settings.insert(ran.custom_settings.begin(), ran.custom_settings.end());
                unseen_code = true;
            }
            invalidation.tables.insert(ran.tables.begin(), ran.tables.end());
        }
        write(dbc, std::move(invalidation), why, sql);
    }
    if (unseen_code && dbc.dialect == sqlscan::Dialect::postgresql) observe_session(dbc);
}

void end_transaction(Dbc& dbc, bool committed) {
    if (!has_store(dbc)) return;
    if (committed) announce_commit(dbc, state(dbc).transaction.commit(), "SQLEndTran(SQL_COMMIT)");
    else state(dbc).transaction.rollback();
    transaction_ended(state(dbc));
}

void set_autocommit(Dbc& dbc, bool on) {
    if (!has_store(dbc)) return;
    announce_commit(dbc, state(dbc).transaction.set_autocommit(on), "SQL_ATTR_AUTOCOMMIT on");
    if (on) transaction_ended(state(dbc));
}

void statement_failed(Dbc& dbc) noexcept {
    if (dbc.cache) state(dbc).transaction.statement_failed();
}

void set_isolation(Dbc& dbc, SQLULEN level) {
    if (!dbc.cache) return;
    state(dbc).transaction.set_above_read_committed(level != SQL_TXN_READ_COMMITTED && level != SQL_TXN_READ_UNCOMMITTED);
}

void session_changed(Dbc& dbc, std::string_view what) {
    if (!dbc.cache) return;
    ConnectionCache& c = state(dbc);
    append_session(c, what);
}

void invalidate_everything(Dbc& dbc, std::string_view why) {
    if (!has_store(dbc)) return;
    cache::Invalidation all;
    all.everything = true;
    write(dbc, std::move(all), why, {});
}

void close_cache(Dbc& dbc) {
    if (!dbc.cache || !dbc.cache->helper) return;
    dbc.api().SQLFreeHandle(SQL_HANDLE_STMT, dbc.cache->helper);
    dbc.cache->helper = nullptr;
}

}  // namespace cachalot::driver
