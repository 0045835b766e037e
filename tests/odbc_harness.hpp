// Helpers for tests that go through unixODBC like an application: sessions on a DSN and a
// trace of everything a call returned, so a direct run and a Cachalot run can be compared.
#pragma once

#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace cachalot::test {

// Everything the calls of one run returned, one line per fact, in order.
class Trace {
public:
    void add(const std::string& line) { lines_.push_back(line); }
    // Records a return code and, unless it is SQL_SUCCESS, every diagnostic record of `handle`.
    SQLRETURN check(const std::string& what, SQLRETURN rc, SQLSMALLINT type, SQLHANDLE handle);
    // The same through SQLGetDiagRecW.
    SQLRETURN check_wide(const std::string& what, SQLRETURN rc, SQLSMALLINT type, SQLHANDLE handle);
    const std::vector<std::string>& lines() const { return lines_; }

private:
    template <class C>
    SQLRETURN record(const std::string& what, SQLRETURN rc, SQLSMALLINT type, SQLHANDLE handle);
    std::vector<std::string> lines_;
};

// Bytes as text a human can compare: printable ASCII kept, the rest as \xNN.
std::string escape(const void* data, size_t size);
std::string wide_to_utf8(const SQLWCHAR* text, size_t length);
std::basic_string<SQLWCHAR> utf8_to_wide(const std::string& text);

// An environment and a connection, freed at the end.
class Session {
public:
    Session();
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    SQLRETURN connect(const std::string& dsn);                    // SQLConnect
    SQLRETURN driver_connect(const std::string& connection);      // SQLDriverConnect, NOPROMPT
    SQLHSTMT statement();                                         // a new statement (freed with the session)
    // Runs SQL that must succeed (test setup); throws with the diagnostics otherwise.
    void run(const std::string& sql);

    SQLHENV env = SQL_NULL_HENV;
    SQLHDBC dbc = SQL_NULL_HDBC;

private:
    std::vector<SQLHSTMT> statements_;
};

// All diagnostics of a handle as one line, for failure messages.
std::string diagnostics(SQLSMALLINT type, SQLHANDLE handle);

// Fetches a whole result set (and the ones after it) with SQLGetData as SQL_C_CHAR, or as
// SQL_C_WCHAR with the W metadata functions when `wide`, recording metadata and values.
void dump_results(Trace& trace, SQLHSTMT stmt, bool wide = false);

// Runs a scenario on two DSNs and returns the first line where the traces differ, or "" if
// they are the same; `lines` receives the direct trace's length for a sanity check.
// The scenario gets the DSN of its run, to open more sessions on it. A "DSN" holding '=' is a
// connection string.
using Scenario = std::function<void(Session&, Trace&, const std::string& dsn)>;
std::string compare_runs(const std::string& direct_dsn, const std::string& shim_dsn, const Scenario& scenario,
                         size_t* lines = nullptr);

// A target driver with its direct DSN and the Cachalot DSN in front of it.
struct Backend {
    std::string name;
    std::string direct;
    std::string shim;
    bool postgres;
    std::string store;  // the shim DSN's shared store: "redis", "memcached", or "" (in-process)
};
inline void PrintTo(const Backend& backend, std::ostream* out) { *out << backend.name; }
// SQLite ODBC, psqlODBC Unicode and psqlODBC ANSI.
std::vector<Backend> backends();

// backends() with the in-process cache, then SQLite and psqlODBC Unicode on Redis and on memcached.
std::vector<Backend> cache_backends();

// DSNs written by odbcinst/write-ini.sh; PostgreSQL ones exist only when test.sh started a server.
bool postgres_available();
// Whether test.sh started the shared store `store` ("redis" or "memcached").
bool store_available(const std::string& store);
// test.sh sets CACHALOT_TEST_REQUIRE_SERVERS=1: then a missing server fails tests instead of skipping them.
bool postgres_required();

}  // namespace cachalot::test
