// The shim's ENV, DBC, STMT and DESC handles. Each wraps the target's handle of the same kind,
// so the shim can answer a call itself (its own diagnostics, later its own result sets).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache/settings.hpp"
#include "driver/bindings.hpp"
#include "driver/target_library.hpp"
#include "sqlscan/token.hpp"

namespace cachalot::driver {

// An error the shim reports itself, as an ODBC diagnostic record.
class OdbcError : public std::runtime_error {
public:
    OdbcError(const char* sqlstate, const std::string& message)
        : std::runtime_error(message), sqlstate_(sqlstate) {}
    const char* sqlstate() const { return sqlstate_; }

private:
    const char* sqlstate_;
};

struct DiagRecord {
    std::string sqlstate;
    SQLINTEGER native = 0;
    std::string message;  // already carries the "[cachalot]" prefix
};

class Handle {
public:
    static constexpr std::uint32_t live_magic = 0xCA0D0BC0;

    explicit Handle(SQLSMALLINT type) : type_(type) {}
    virtual ~Handle() { magic_ = 0; }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    SQLSMALLINT type() const { return type_; }
    bool is_live(SQLSMALLINT type) const { return magic_ == live_magic && type_ == type; }

    // The target's handle of the same kind (null before it exists) and its entry points.
    virtual SQLHANDLE target_handle() const = 0;
    virtual const TargetApi* target_api() const = 0;

    // Every call but the diagnostic ones starts with a clean slate.
    void begin_call() {
        own_records_.clear();
        target_snapshot_.reset();
        target_diagnostics_ = false;
        next_error_record_ = 1;
    }
    // Calls the target's function; its diagnostics then belong to this call.
    template <class Fn, class... Args>
    SQLRETURN call(Fn fn, Args... args) {
        if (!fn) throw OdbcError("IM001", "the target driver does not support this function");
        target_diagnostics_ = true;
        return fn(args...);
    }
    // Adds a record of the shim's own after the target's; returns the code to hand back.
    SQLRETURN post(const char* sqlstate, const std::string& message, SQLRETURN rc = SQL_ERROR);

    // Adds records the target gave earlier (served from a capture) as they were.
    void adopt(const std::vector<DiagRecord>& records) { own_records_.insert(own_records_.end(), records.begin(), records.end()); }

    const std::vector<DiagRecord>& own_records() const { return own_records_; }
    bool target_diagnostics() const { return target_diagnostics_ && target_handle(); }
    // The target's records as read once through its SQLError (see api_diagnostics.cpp).
    std::optional<std::vector<DiagRecord>>& target_snapshot() { return target_snapshot_; }
    // SQLError walks the records one call at a time.
    SQLSMALLINT& next_error_record() { return next_error_record_; }

private:
    std::uint32_t magic_ = live_magic;
    SQLSMALLINT type_;
    std::vector<DiagRecord> own_records_;
    std::optional<std::vector<DiagRecord>> target_snapshot_;
    bool target_diagnostics_ = false;
    SQLSMALLINT next_error_record_ = 1;
};

class Env final : public Handle {
public:
    Env() : Handle(SQL_HANDLE_ENV) {}
    ~Env() override;

    SQLHANDLE target_handle() const override { return last_target_.load(); }
    const TargetApi* target_api() const override { return last_api_.load(); }

    // Attributes the application set, replayed on every target environment. Threads share an
    // environment, so these go through the environment's lock.
    void set_attribute(SQLINTEGER attribute, SQLPOINTER value);
    bool get_attribute(SQLINTEGER attribute, SQLPOINTER& value);
    // The target environment for a library, allocated on first use and shared by connections.
    SQLHENV target_for(const TargetLibrary& library);
    // Each target environment with its library, for SQLEndTran on the environment.
    std::vector<std::pair<const TargetLibrary*, SQLHENV>> targets();

private:
    std::mutex mutex_;
    std::map<SQLINTEGER, SQLPOINTER> attributes_{{SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3)},
                                                 {SQL_ATTR_OUTPUT_NTS, reinterpret_cast<SQLPOINTER>(SQL_TRUE)}};
    std::map<const TargetLibrary*, SQLHENV> targets_;
    std::atomic<SQLHENV> last_target_{nullptr};
    std::atomic<const TargetApi*> last_api_{nullptr};
};

class Desc;
class Stmt;
class Replay;
struct ConnectionCache;
struct ResultShape;
enum class TargetFamily : std::uint8_t;

class Dbc final : public Handle {
public:
    explicit Dbc(Env& env);
    ~Dbc() override;

    SQLHANDLE target_handle() const override { return target; }
    const TargetApi* target_api() const override { return library ? &library->api() : nullptr; }
    const TargetApi& api() const { return library->api(); }

    // Attributes set before the target existed, replayed on it before it connects.
    struct PendingAttribute {
        SQLINTEGER attribute;
        SQLPOINTER value;         // integer attributes
        std::string bytes;        // string attributes, in the caller's encoding
        bool wide = false;
        bool is_string = false;
    };

    // Drops the target connection handle (after a failed connect with another library, or at free).
    void release_target();

    Env& env;
    const TargetLibrary* library = nullptr;
    SQLHDBC target = nullptr;
    bool connected = false;
    std::vector<PendingAttribute> pending_attributes;
    cache::Settings settings;
    // The DSN the application connected with (SQL_DATA_SOURCE_NAME), empty without one.
    std::string data_source_name;
    // What the target is, learnt at connect: the scanner's dialect, and whether the shim
    // knows the target's conversions well enough to serve its results (then `family`).
    sqlscan::Dialect dialect = sqlscan::Dialect::generic;
    bool serves_results = false;
    TargetFamily family{};
    bool wide_target = false;  // the target has the W functions
    bool wide_text = false;    // captures read text as SQL_C_WCHAR
    // psqlODBC: whether a prepared statement it ran refuses to be described once its cursor
    // closed (under its default server-side prepare), as a capture statement last answered.
    std::optional<bool> closed_statements_refuse;
    // Statement attributes set on the connection (ODBC 2 style) and descriptors changed
    // directly reach statements past the shim's mirror of their bindings: from then on the
    // connection's results are passed through.
    bool statement_attributes_on_connection = false;
    bool descriptors_changed = false;
    // The keys the target connects with (password left out): entries of targets connected
    // differently never mix.
    std::string target_options;
    std::unique_ptr<ConnectionCache> cache;  // from connect on
    // The statements and descriptors allocated on this connection. The connection owns them:
    // a driver manager frees them by disconnecting, without calling SQLFreeHandle on each.
    Stmt* add_statement(SQLHSTMT target);
    void free_statement(Stmt* stmt);
    Desc* add_descriptor(SQLHDESC target);
    void free_descriptor(Desc* desc);
    Desc* find_descriptor(SQLHDESC target);
    // After a disconnect the target has freed their handles: the shim's follow.
    void drop_children();

private:
    std::mutex children_mutex_;
    std::unordered_map<Stmt*, std::unique_ptr<Stmt>> statements_;
    std::unordered_map<SQLHDESC, std::unique_ptr<Desc>> explicit_descriptors_;
};

class Desc final : public Handle {
public:
    Desc(Dbc& dbc, SQLHDESC target, bool implicit) : Handle(SQL_HANDLE_DESC), dbc(dbc), target(target), implicit(implicit) {}

    SQLHANDLE target_handle() const override { return target; }
    const TargetApi* target_api() const override { return &dbc.api(); }
    const TargetApi& api() const { return dbc.api(); }

    Dbc& dbc;
    SQLHDESC target;
    bool implicit;
    // For a statement's IRD: the statement, whose captured columns it describes while the
    // shim serves its results.
    Stmt* rows_of = nullptr;
};

class Stmt final : public Handle {
public:
    Stmt(Dbc& dbc, SQLHSTMT target);
    ~Stmt() override;

    SQLHANDLE target_handle() const override { return target; }
    const TargetApi* target_api() const override { return &dbc.api(); }
    const TargetApi& api() const { return dbc.api(); }

    // The shim's handle for a descriptor handle the target returned for this statement.
    Desc* wrap_descriptor(SQLHDESC target_desc, SQLINTEGER attribute);

    Dbc& dbc;
    SQLHSTMT target;

    // The results the shim serves itself; null while the target's are passed through.
    std::unique_ptr<Replay> replay;
    void drop_replay();
    // The cursor closed (SQLCloseCursor, or SQLMoreResults past the last result, whose columns
    // are `last`): drops the replay, keeping closed_shape.
    void close_replay(std::shared_ptr<const ResultShape> last);
    // An execution or SQLPrepare: what close_replay kept answers no more.
    void forget_closed_cursor();
    // The columns of the result the shim served for the prepared statement whose cursor the
    // application then closed. The target statement was only prepared, but SQLite ODBC
    // describes a statement it ran by the values it read (count(*) an integer, not the varchar
    // it says before), and psqlODBC by its catalog (below).
    std::shared_ptr<const ResultShape> closed_shape;
    // psqlODBC: the cursor of the prepared statement the shim served closed, and the driver's
    // own statement would refuse to describe it (Dbc::closed_statements_refuse); but for the
    // columns with a base table when the application had described the served result (which
    // makes psqlODBC read the catalog): those it answers, from closed_shape.
    bool refuses_description = false;
    bool described_served = false;
    bool served_hit = false;  // the last execution was answered from the cache
    // A second target statement on the same connection that cachable statements run on, so
    // the application's bindings on `target` never see the capture.
    SQLHSTMT capture_target = nullptr;
    // What the application bound and set, mirrored to serve results the way it asked.
    RowBindings bindings;
    struct Parameter {
        SQLSMALLINT io_type, c_type, sql_type;
        SQLULEN size;
        SQLSMALLINT digits;
        SQLPOINTER value;
        SQLLEN capacity;
        SQLLEN* indicator;

        // Its value comes later, through SQLParamData and SQLPutData.
        bool at_execution() const {
            return indicator && (*indicator == SQL_DATA_AT_EXEC || *indicator <= SQL_LEN_DATA_AT_EXEC_OFFSET);
        }
    };
    std::map<SQLUSMALLINT, Parameter> parameters;
    // The text of the last SQLPrepare, in the application's characters, and whether wide.
    std::string prepared_text;
    bool prepared_wide = false;
    // SQLite ODBC describes an empty result of a prepared statement it ran before by the values
    // that run read (a fresh statement: as VARCHAR(255)), where no type is declared.
    bool prepared_ran = false;  // since the last SQLPrepare
    bool runs_again = false;    // the current execution is of a statement prepared and run before
    // Whether the target describes an empty result of this execution by the previous run.
    bool describes_by_previous_run() const;
    // The columns of the first result the shim served for the last execution; null when the
    // target served it (or none ran since SQLPrepare).
    std::shared_ptr<const ResultShape> served_shape;
    std::string capture_prepared_text;  // what capture_target has prepared
    std::shared_ptr<const ResultShape> last_shape;  // of the last result captured here
    bool target_cursor_open = false;
    // The attributes the application set that a capture cannot serve (a scrollable or
    // updatable cursor, bookmarks, async, parameter arrays...): while any is set, pass through.
    std::set<SQLINTEGER> blocking_attributes;
    bool static_cursor = false;  // SQL_ATTR_CURSOR_TYPE: psqlODBC scrolls only a static one
    // MAX_ROWS, MAX_LENGTH, NOSCAN, QUERY_TIMEOUT: as the application set them and as last
    // set on capture_target.
    struct Shaping {
        SQLULEN application = 0, on_capture = 0;
    };
    std::map<SQLINTEGER, Shaping> shaping_attributes;

private:
    std::vector<std::unique_ptr<Desc>> implicit_descriptors_;
};

// Any live handle of the given ODBC handle type, or null.
Handle* any_handle_cast(SQLSMALLINT type, SQLHANDLE handle);

// The live handle of that kind behind an application's handle, or null.
template <class H>
H* handle_cast(SQLHANDLE handle) {
    constexpr SQLSMALLINT type = std::is_same_v<H, Env>   ? SQL_HANDLE_ENV
                                 : std::is_same_v<H, Dbc> ? SQL_HANDLE_DBC
                                 : std::is_same_v<H, Stmt> ? SQL_HANDLE_STMT
                                                           : SQL_HANDLE_DESC;
    return static_cast<H*>(any_handle_cast(type, handle));
}

}  // namespace cachalot::driver
