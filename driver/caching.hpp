// The query cache seen from a connection (design.md "Invalidation protocol", "Transactions",
// "Never cached"): the keys, the lookups before a read runs, the entries stored after, and the
// invalidations a write announces. Nothing here may fail an application's call: a cache that
// cannot answer is bypassed.
#pragma once

#include <sql.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cache/admission.hpp"
#include "cache/observe.hpp"
#include "cache/store.hpp"
#include "cache/transaction.hpp"
#include "sqlscan/scan.hpp"

namespace cachalot::driver {

class Dbc;
class Stmt;
struct Results;

// What the cache keeps for one connection.
struct ConnectionCache {
    std::shared_ptr<cache::Store> store;
    bool store_down = false;  // the shared store did not answer this connection's last call
    // The process's count of statements that never come back, when the store is the process's
    // too; null: every miss is stored.
    cache::Admission* admission = nullptr;
    std::shared_ptr<cache::Counters> counters;
    std::shared_ptr<cache::DecisionLog> log;  // null without CacheLog
    std::string name_space;     // the database: tokens live here (every user shares them)
    std::string identity;       // namespace, user, target driver and options: every key starts so
    std::string session;        // the session statements the server cannot be asked about, in order
    bool session_unkeyable = false;
    // What PostgreSQL last said of the session; and whether something may have changed it
    // since (then it is asked before the next read, and nothing is cached until it answers).
    std::string observed_session;
    bool session_unobserved = false;
    std::set<std::string> custom_settings;  // app.tenant...: the session named them, the server is asked
    bool session_in_transaction = false;  // session statements ran in the open transaction (PostgreSQL)
    std::set<std::string> temporary_tables;
    cache::Transaction transaction;
    // The schema as last read, valid while the namespace's epoch is `schema_epoch` (DDL moves it).
    struct View {
        bool known = false;               // its definition scanned as a cachable read
        std::vector<std::string> tables;  // what it reads, views expanded
    };
    // What a schema read found: the same for every connection to the database while the epoch
    // stands (other sessions' temporary objects included: more invalidation, never less), so the
    // connections of a process share it; never changed once read, but for the functions read
    // since (under their lock).
    struct Schema {
        bool views_listed = false;  // false: the target could not list its views
        int server_version = 0;     // PostgreSQL's server_version_num
        std::map<std::string, View> views;
        // Relations whose reads the cache cannot keep, and why (PostgreSQL): sequences (nextval
        // changes them), foreign tables (another server does), tables with row-level security.
        std::map<std::string, const char*> never_cached;
        std::map<std::string, std::vector<std::string>> family;  // table -> its parents and children (PostgreSQL)
        // Code, its calls not yet followed (follow_calls), its lists merged and unsorted:
        // table -> what a write to it runs: its triggers and rules, and the functions its columns'
        // defaults, its CHECKs, its columns' domains and its row security policies call.
        std::map<std::string, sqlscan::CodeWrites> on_write;
        // table -> what a read of it runs (PostgreSQL): the functions a view or a policy calls.
        std::map<std::string, sqlscan::CodeWrites> on_read;
        // Built-ins a STABLE or VOLATILE function outside pg_catalog shares the name of (an
        // overload PostgreSQL may pick for a call without a schema).
        std::set<std::string> overloads;
        // Operators outside pg_catalog whose function may read or write tables (VOLATILE, or
        // STABLE in a language other than C: pg_trgm's STABLE % reads only a setting): symbol ->
        // functions.
        std::map<std::string, std::vector<std::string>> operators;
        // Casts by such functions outside pg_catalog: a user type's name (lowercase; a domain's
        // over it too) -> functions of casts to it a statement asks for by that name; and the
        // functions of casts PostgreSQL may apply unasked (implicit, on assignment) or to a
        // built-in type, whose name has other spellings (integer for int4).
        std::map<std::string, std::vector<std::string>> casts;
        std::vector<std::string> unasked_casts;
        // PostgreSQL function name -> what any of that name runs (read_functions), read once by
        // any connection holding this schema and added here for the others.
        struct Functions {
            std::mutex mutex;
            std::map<std::string, sqlscan::CodeWrites> by_name;
        };
        std::shared_ptr<Functions> functions = std::make_shared<Functions>();
    };
    std::shared_ptr<const Schema> schema = std::make_shared<const Schema>();
    bool schema_read = false;
    cache::Token schema_epoch = 0;
    bool schema_checked = false;  // the epoch was looked up for the execution being handled
    // DDL on its own temporary objects: its schema holds them, and is read for it alone.
    bool own_schema = false;
    std::map<std::string, std::vector<std::string>> cascades;  // table -> tables a write to it changes
    std::map<std::string, sqlscan::CodeWrites> functions;  // the connection's copy of schema->functions' entries
    SQLHSTMT helper = nullptr;  // a target statement for the shim's own catalog queries
};

// What is decided about an execution before it runs.
struct CachePlan {
    bool use_cache = false;  // looked up; stored on a miss
    std::string key_material;
    cache::Key key;
    std::vector<std::string> token_keys;  // the epoch's, then each table's
    std::vector<cache::Token> tokens;     // as read before the statement runs
    std::shared_ptr<const Results> hit;
    std::uint64_t shape = 0;  // the statements' shapes, when the cache counts them (cache/admission.hpp)
};

// At connect, after the settings are read: the store, the counters and the log.
void open_cache(Dbc& dbc);
// After connect: what names the database and the user in keys (SQLGetInfo), and the
// connection's default isolation level.
void learn_target(Dbc& dbc, const std::string& server, const std::string& database, const std::string& user,
                  const std::string& driver, SQLUINTEGER default_isolation);
// Whether a statement the scanner rejected may still be captured (CacheRandom).
bool cachable_statement(const sqlscan::Statement& statement, bool cache_random);
// For a read the shim can capture: whether the cache may serve or store it, and a hit when
// there is one. `sql` is the statement's UTF-8 text, `wide` whether the application called W.
CachePlan plan_read(Stmt& stmt, const std::vector<sqlscan::Statement>& statements, std::string_view sql, bool wide);
// Records why a statement is passed through uncached.
void note_bypass(Stmt& stmt, cache::Bypass reason, std::string_view detail, std::string_view sql);
// After a miss whose capture is dropped (`why`) and whose statement the target serves.
void note_not_captured(Stmt& stmt, std::string_view why, std::string_view sql);
// After a miss: stores the captured `results` when they may be (`whole`: nothing was left to
// stream, the result fit in CacheMaxEntrySize).
void store_results(Stmt& stmt, CachePlan&& plan, const std::shared_ptr<const Results>& results, bool whole,
                   std::string_view sql);
// After any execution (also a failed one): the session, the transaction and the invalidations.
void after_execution(Stmt& stmt, const std::vector<sqlscan::Statement>& statements, std::string_view sql);
// SQLEndTran, SQL_ATTR_AUTOCOMMIT and SQL_ATTR_TXN_ISOLATION, after the target accepted them.
void end_transaction(Dbc& dbc, bool commit);
void set_autocommit(Dbc& dbc, bool on);
void set_isolation(Dbc& dbc, SQLULEN level);
// A statement call failed (SQL_ERROR): reads bypass the cache until the transaction, if one
// is open, ends or rolls back to a savepoint.
void statement_failed(Dbc& dbc) noexcept;
// SQL_ATTR_CURRENT_CATALOG changed what unqualified names mean.
void session_changed(Dbc& dbc, std::string_view what);
// A write the shim cannot attribute to tables (SQLSetPos, SQLBulkOperations).
void invalidate_everything(Dbc& dbc, std::string_view why);
// Frees what the connection's cache holds on the target (before disconnecting).
void close_cache(Dbc& dbc);

}  // namespace cachalot::driver
