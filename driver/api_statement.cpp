// Statements: forwarded to the target statement, converting strings where the target lacks
// the variant called, and translating descriptor handles between the shim's and the target's.
#include <algorithm>

#include "driver/api.hpp"
#include "driver/api_support.hpp"
#include "driver/cachalot_odbc.h"
#include "driver/caching.hpp"
#include "driver/replay.hpp"
#include "sqlscan/parse_cache.hpp"

namespace cachalot::driver::api {

namespace {

sqlscan::ParseCache& parse_cache() {
    static sqlscan::ParseCache cache(20000);
    return cache;
}

// Why the shim cannot serve this execution from a capture, or null when it can: the target's
// conversions must be known, and the application must ask for a read-only cursor without
// bookmarks (the drivers' defaults: forward-only, or SQLite ODBC's static one), synchronous,
// with single input parameters.
const char* capture_refusal(Stmt& stmt) {
    if (!stmt.dbc.serves_results) return "the shim does not know this target driver's conversions";
    if (stmt.dbc.descriptors_changed) return "the application changed descriptors directly";
    if (stmt.dbc.statement_attributes_on_connection) return "statement attributes were set on the connection";
    if (!stmt.blocking_attributes.empty()) return "the cursor or parameter attributes the application set";
    if (stmt.describes_by_previous_run() && !stmt.served_shape)
        return "SQLite ODBC describes an empty result by the statement's previous run, which it served itself";
    for (const auto& [number, parameter] : stmt.parameters) {
        if (parameter.io_type != SQL_PARAM_INPUT) return "an output parameter";
        if (parameter.at_execution()) return "a data-at-execution parameter";
    }
    return nullptr;
}

// Whether every statement of the text is a read the cache may hold; otherwise the first
// scanner reason against it.
const sqlscan::Statement* first_uncachable(Stmt& stmt, const std::vector<sqlscan::Statement>& statements) {
    for (const auto& statement : statements)
        if (!cachable_statement(statement, stmt.dbc.settings.cache_random)) return &statement;
    return nullptr;
}

// Calls a target function taking (statement, SQL text, length), A or W as the target has it.
template <class C, class A, class W>
SQLRETURN with_sql_text(A ansi, W wide, SQLHSTMT target, const C* sql, SQLINTEGER length) {
    return with_variant<C>(ansi, wide, [&](auto fn, auto strings) {
        auto text = strings(const_cast<C*>(sql), length);
        return fn(target, text.ptr(), text.template length<SQLINTEGER>());
    });
}

// Closes what an earlier execution left open on the application's target statement: from
// now on the shim serves its results.
void close_target_cursor(Stmt& stmt) {
    if (!stmt.target_cursor_open) return;
    stmt.api().SQLFreeStmt(stmt.target, SQL_CLOSE);
    stmt.target_cursor_open = false;
}

// Serves a statement's results from `replay` (a capture or a hit), with its execution's code
// and records.
SQLRETURN serve(Stmt& stmt, std::unique_ptr<Replay> replay) {
    stmt.replay = std::move(replay);
    stmt.served_shape = stmt.replay->result().shape;
    stmt.adopt(stmt.replay->result().diagnostics);
    return stmt.replay->result().rc;
}

// Whether a capture reads psqlODBC's rows through bound columns, which spares the cost of its
// SQLGetData per value. Not under SQL_ATTR_MAX_LENGTH, which the tests do not cover there.
bool binds_capture_columns(const Stmt& stmt) {
    if (stmt.dbc.family != TargetFamily::psqlodbc && stmt.dbc.family != TargetFamily::psqlodbc_ansi) return false;
    const auto max_length = stmt.shaping_attributes.find(SQL_ATTR_MAX_LENGTH);
    return max_length == stmt.shaping_attributes.end() || max_length->second.application == 0;
}

// Runs the application's statement on its own target statement, for the target to serve.
// Through stmt.call, so the target's diagnostics of the execution become the statement's.
template <class C>
SQLRETURN run_on_target(Stmt& stmt, const C* sql, SQLINTEGER length, bool prepared) {
    const TargetApi& api = stmt.api();
    auto* exec_direct = &with_sql_text<C, decltype(api.SQLExecDirect), decltype(api.SQLExecDirectW)>;
    SQLRETURN rc = prepared ? stmt.call(api.SQLExecute, stmt.target)
                            : stmt.call(exec_direct, api.SQLExecDirect, api.SQLExecDirectW, stmt.target, sql, length);
    stmt.target_cursor_open = SQL_SUCCEEDED(rc);
    stmt.served_shape.reset();
    return rc;
}

// SQLite ODBC describes an empty result of a prepared statement it ran before by what the
// previous run read (a column with no declared type): such a result is served with the
// columns served last, whether it came from the cache or from the capture statement.
std::shared_ptr<const Results> as_run_again(const Stmt& stmt, std::shared_ptr<const Results> results) {
    if (!stmt.describes_by_previous_run() || !stmt.served_shape || results->sets.empty())
        return results;
    const ResultSet& first = results->sets.front();
    if (first.rows.row_count() != 0 || !first.shape || first.shape->columns.size() != stmt.served_shape->columns.size())
        return results;
    auto described = std::make_shared<Results>(*results);
    described->sets.front().shape = stmt.served_shape;
    return described;
}

// A miss: runs the application's statement on the capture statement and reads its results
// whole (up to CacheMaxEntrySize; the rest streams), then stores and serves them.
template <class C>
SQLRETURN execute_and_capture(Stmt& stmt, const C* sql, SQLINTEGER length, bool prepared, CachePlan&& plan,
                              std::string_view text) {
    const TargetApi& api = stmt.api();
    if (!stmt.capture_target) {
        SQLHSTMT capture = nullptr;
        SQLRETURN rc = api.SQLAllocHandle(SQL_HANDLE_STMT, stmt.dbc.target, &capture);
        if (!SQL_SUCCEEDED(rc)) {
            stmt.adopt(read_target_diagnostics(api, SQL_HANDLE_DBC, stmt.dbc.target));
            return rc;
        }
        stmt.capture_target = capture;
    }
    SQLHSTMT capture = stmt.capture_target;
    // Calls on the capture statement leave `stmt`'s diagnostics alone: the ones that matter are adopted.
    auto failed = [&](SQLRETURN rc) {
        if (rc != SQL_NO_DATA) stmt.adopt(read_target_diagnostics(api, SQL_HANDLE_STMT, capture));
        return rc;
    };
    close_target_cursor(stmt);
    // The attributes that shape a result go along; the rest stay at their defaults there.
    auto set_attribute = api.SQLSetStmtAttr ? api.SQLSetStmtAttr : api.SQLSetStmtAttrW;
    for (auto& [attribute, value] : stmt.shaping_attributes) {
        if (value.on_capture == value.application) continue;
        SQLRETURN rc = set_attribute(capture, attribute, reinterpret_cast<SQLPOINTER>(value.application), 0);
        if (!SQL_SUCCEEDED(rc)) return failed(rc);
        value.on_capture = value.application;
    }
    api.SQLFreeStmt(capture, SQL_RESET_PARAMS);
    for (const auto& [number, p] : stmt.parameters) {
        SQLRETURN rc = api.SQLBindParameter(capture, number, p.io_type, p.c_type, p.sql_type, p.size, p.digits,
                                            p.value, p.capacity, p.indicator);
        if (!SQL_SUCCEEDED(rc)) return failed(rc);
    }
    // A prepared statement is prepared there too: drivers word its errors differently.
    SQLRETURN rc = SQL_SUCCESS;
    if (prepared && stmt.capture_prepared_text != stmt.prepared_text) {
        stmt.capture_prepared_text.clear();
        rc = with_sql_text<C>(api.SQLPrepare, api.SQLPrepareW, capture, sql, length);
        if (SQL_SUCCEEDED(rc)) stmt.capture_prepared_text = stmt.prepared_text;
    }
    if (SQL_SUCCEEDED(rc) && prepared) {
        rc = api.SQLExecute(capture);
    } else if (SQL_SUCCEEDED(rc)) {
        stmt.capture_prepared_text.clear();
        rc = with_sql_text<C>(api.SQLExecDirect, api.SQLExecDirectW, capture, sql, length);
    }
    if (!SQL_SUCCEEDED(rc)) return failed(rc);
    const size_t limit = static_cast<size_t>(std::min<std::int64_t>(stmt.dbc.settings.max_entry_size, Rows::max_bytes / 2));
    auto source = std::make_unique<Capture>(api, capture, stmt.dbc.family, stmt.dbc.wide_text, binds_capture_columns(stmt));
    auto results = std::make_shared<Results>();
    std::optional<ResultSet> partial;
    for (SQLRETURN next = rc;;) {
        ResultSet result = source->read_result(next, limit, results->sets.empty() && !partial ? stmt.last_shape : nullptr);
        if (!source->servable()) {
            // A read with no side effects: running it again costs a round trip, never a row.
            source.reset();
            api.SQLFreeStmt(capture, SQL_CLOSE);
            note_not_captured(stmt, "a value the capture cannot give back as the driver would", text);
            return run_on_target<C>(stmt, sql, length, prepared);
        }
        if (!result.complete) {
            partial = std::move(result);
            break;
        }
        results->sets.push_back(std::move(result));
        next = source->more_results();
        if (next == SQL_NO_DATA) {
            source.reset();
            break;
        }
        if (next == SQL_ERROR) {
            ResultSet failed;
            failed.rc = next;
            failed.diagnostics = source->diagnostics();
            results->sets.push_back(std::move(failed));
            source.reset();
            break;
        }
    }
    stmt.last_shape = results->sets.empty() ? partial->shape : results->sets.front().shape;
    store_results(stmt, std::move(plan), results, !partial, text);
    return serve(stmt, std::make_unique<Replay>(stmt.dbc.family, as_run_again(stmt, std::move(results)), std::move(partial),
                                                std::move(source), limit));
}

// The bindings to serve a fetch with. Once the application changed descriptors directly, the
// mirror of SQLBindCol is not the whole truth: the target's ARD and IRD are read instead.
const RowBindings& bindings_for_fetch(Stmt& stmt) {
    if (!stmt.dbc.descriptors_changed) return stmt.bindings;
    const TargetApi& api = stmt.api();
    auto get_attribute = api.SQLGetStmtAttr ? api.SQLGetStmtAttr : api.SQLGetStmtAttrW;
    auto get_field = api.SQLGetDescField ? api.SQLGetDescField : api.SQLGetDescFieldW;
    SQLHDESC ard = nullptr, ird = nullptr;
    if (!get_attribute || !get_field || !SQL_SUCCEEDED(get_attribute(stmt.target, SQL_ATTR_APP_ROW_DESC, &ard, 0, nullptr)) ||
        !SQL_SUCCEEDED(get_attribute(stmt.target, SQL_ATTR_IMP_ROW_DESC, &ird, 0, nullptr)))
        throw OdbcError("HY000", "the application row descriptor cannot be read from the target driver");
    RowBindings& b = stmt.bindings;
    auto field = [&](SQLHDESC desc, SQLSMALLINT record, SQLSMALLINT id, auto& out) {
        out = {};
        get_field(desc, record, id, &out, 0, nullptr);
    };
    SQLSMALLINT count = 0;
    SQLINTEGER bind_type = 0;
    field(ard, 0, SQL_DESC_COUNT, count);
    field(ard, 0, SQL_DESC_ARRAY_SIZE, b.array_size);
    field(ard, 0, SQL_DESC_BIND_TYPE, bind_type);
    field(ard, 0, SQL_DESC_BIND_OFFSET_PTR, b.bind_offset);
    field(ird, 0, SQL_DESC_ARRAY_STATUS_PTR, b.row_status);
    field(ird, 0, SQL_DESC_ROWS_PROCESSED_PTR, b.rows_fetched);
    b.bind_type = static_cast<SQLULEN>(bind_type);
    b.columns.assign(static_cast<size_t>(std::max<SQLSMALLINT>(count, 0)), ColumnBinding{});
    for (SQLSMALLINT i = 1; i <= count; ++i) {
        ColumnBinding& column = b.columns[static_cast<size_t>(i - 1)];
        field(ard, i, SQL_DESC_CONCISE_TYPE, column.c_type);
        field(ard, i, SQL_DESC_DATA_PTR, column.data);
        field(ard, i, SQL_DESC_OCTET_LENGTH, column.capacity);
        field(ard, i, SQL_DESC_INDICATOR_PTR, column.indicator);
        field(ard, i, SQL_DESC_OCTET_LENGTH_PTR, column.length);
    }
    return b;
}

// SQLExecDirect and SQLExecute on the UTF-8 `text` the scanner reads: served from the cache,
// captured (and stored), or passed through; then what it wrote is invalidated.
template <class C>
SQLRETURN run_scanned(Stmt& stmt, const C* sql, SQLINTEGER length, bool prepared, std::string_view text, bool wide) {
    auto statements = parse_cache().scan(text, stmt.dbc.dialect);
    const sqlscan::Statement* rejected = statements->empty() ? nullptr : first_uncachable(stmt, *statements);
    const char* refusal = statements->empty() || rejected ? nullptr : capture_refusal(stmt);
    if (!statements->empty() && !rejected && !refusal) {
        CachePlan plan;
        if (!stmt.dbc.settings.enabled) {
            note_bypass(stmt, cache::Bypass::disabled, "CacheEnabled=0", text);
        } else {
            try {
                plan = plan_read(stmt, *statements, text, wide);
            } catch (const std::exception& e) {
                plan = CachePlan{};
                note_bypass(stmt, cache::Bypass::session, std::string("the cache could not plan: ") + e.what(), text);
            }
        }
        if (plan.hit) {
            close_target_cursor(stmt);
            stmt.served_hit = true;
            return serve(stmt, std::make_unique<Replay>(stmt.dbc.family, as_run_again(stmt, std::move(plan.hit))));
        }
        // A read the cache will not keep runs as it is: capturing it would cost and give nothing.
        if (plan.use_cache) return execute_and_capture<C>(stmt, sql, length, prepared, std::move(plan), text);
    }
    using K = sqlscan::StatementKind;
    if (refusal) note_bypass(stmt, cache::Bypass::cursor, refusal, text);
    else if (rejected && rejected->writes.empty() && (rejected->kind == K::select || rejected->kind == K::values || rejected->kind == K::unknown))
        note_bypass(stmt, cache::bypass_for_scanner_reason(rejected->reason), rejected->reason, text);
    SQLRETURN rc = run_on_target<C>(stmt, sql, length, prepared);
    // The cache's bookkeeping must not fail a statement that ran.
    try {
        after_execution(stmt, *statements, text);
    } catch (const std::exception& e) {
        try {
            invalidate_everything(stmt.dbc, std::string("the cache could not account for a statement: ") + e.what());
        } catch (const std::exception&) {
        }
    }
    return rc;
}

template <class C>
SQLRETURN run_text(Stmt& stmt, const C* sql, SQLINTEGER length, bool prepared) {
    stmt.drop_replay();
    stmt.forget_closed_cursor();
    stmt.served_hit = false;
    stmt.runs_again = prepared && stmt.prepared_ran;
    stmt.prepared_ran = prepared;
    // The scanner reads UTF-8: an A application's text as it is, a W one's converted.
    if constexpr (std::is_same_v<C, SQLCHAR>)
        return run_scanned<C>(stmt, sql, length, prepared,
                              std::string_view(reinterpret_cast<const char*>(sql), input_length(sql, length)), false);
    else
        return run_scanned<C>(stmt, sql, length, prepared, convert_string<char>(sql, input_length(sql, length)), true);
}

// Forwards a call whose only handle is the statement's and whose arguments need no change.
template <class Fn, class... Args>
SQLRETURN forward(SQLHSTMT hstmt, Fn TargetApi::*function, Args... args) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN { return stmt.call(stmt.api().*function, stmt.target, args...); });
}

bool is_descriptor_attribute(SQLINTEGER attribute) {
    return attribute == SQL_ATTR_APP_ROW_DESC || attribute == SQL_ATTR_APP_PARAM_DESC ||
           attribute == SQL_ATTR_IMP_ROW_DESC || attribute == SQL_ATTR_IMP_PARAM_DESC;
}

}  // namespace

template <class C>
SQLRETURN prepare(SQLHSTMT hstmt, C* sql, SQLINTEGER length) {
    if (Stmt* stmt = handle_cast<Stmt>(hstmt)) {
        stmt->prepared_text.clear();
        stmt->forget_closed_cursor();
        stmt->prepared_ran = false;
        stmt->served_shape.reset();
        stmt->capture_prepared_text.clear();  // prepared anew there too, as SQLite ODBC describes by it
    }
    SQLRETURN rc = forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLPrepare, &TargetApi::SQLPrepareW, text(sql, length));
    if (SQL_SUCCEEDED(rc))
        if (Stmt* stmt = handle_cast<Stmt>(hstmt)) {
            stmt->prepared_text.assign(reinterpret_cast<const char*>(sql), input_length(sql, length) * sizeof(C));
            stmt->prepared_wide = std::is_same_v<C, SQLWCHAR>;
        }
    return rc;
}

template <class C>
SQLRETURN exec_direct(SQLHSTMT hstmt, C* sql, SQLINTEGER length) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) { return run_text<C>(stmt, sql, length, false); });
}

SQLRETURN execute(SQLHSTMT hstmt) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) {
        const auto units = static_cast<SQLINTEGER>(stmt.prepared_text.size() / (stmt.prepared_wide ? sizeof(SQLWCHAR) : 1));
        if (stmt.prepared_wide)
            return run_text<SQLWCHAR>(stmt, reinterpret_cast<const SQLWCHAR*>(stmt.prepared_text.data()), units, true);
        return run_text<SQLCHAR>(stmt, reinterpret_cast<const SQLCHAR*>(stmt.prepared_text.data()), units, true);
    });
}

// Remembers a parameter binding that the target accepted, to bind it on the capture statement.
SQLRETURN remember_parameter(SQLHSTMT hstmt, SQLRETURN rc, SQLUSMALLINT number, Stmt::Parameter parameter) {
    if (SQL_SUCCEEDED(rc))
        if (Stmt* stmt = handle_cast<Stmt>(hstmt)) stmt->parameters[number] = parameter;
    return rc;
}

SQLRETURN bind_parameter(SQLHSTMT hstmt, SQLUSMALLINT number, SQLSMALLINT io_type, SQLSMALLINT c_type,
                         SQLSMALLINT sql_type, SQLULEN size, SQLSMALLINT digits, SQLPOINTER value, SQLLEN capacity,
                         SQLLEN* indicator) {
    SQLRETURN rc = forward(hstmt, &TargetApi::SQLBindParameter, number, io_type, c_type, sql_type, size, digits,
                           value, capacity, indicator);
    return remember_parameter(hstmt, rc, number, {io_type, c_type, sql_type, size, digits, value, capacity, indicator});
}

SQLRETURN bind_param(SQLHSTMT hstmt, SQLUSMALLINT number, SQLSMALLINT c_type, SQLSMALLINT sql_type, SQLULEN size,
                     SQLSMALLINT digits, SQLPOINTER value, SQLLEN* indicator) {
    SQLRETURN rc = guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (stmt.api().SQLBindParam)
            return stmt.call(stmt.api().SQLBindParam, stmt.target, number, c_type, sql_type, size, digits, value, indicator);
        return stmt.call(stmt.api().SQLBindParameter, stmt.target, number, SQL_PARAM_INPUT, c_type, sql_type, size,
                         digits, value, SQLLEN{0}, indicator);
    });
    return remember_parameter(hstmt, rc, number, {SQL_PARAM_INPUT, c_type, sql_type, size, digits, value, 0, indicator});
}

SQLRETURN set_param(SQLHSTMT hstmt, SQLUSMALLINT number, SQLSMALLINT c_type, SQLSMALLINT sql_type, SQLULEN size,
                    SQLSMALLINT digits, SQLPOINTER value, SQLLEN* indicator) {
    SQLRETURN rc = guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (stmt.api().SQLSetParam)
            return stmt.call(stmt.api().SQLSetParam, stmt.target, number, c_type, sql_type, size, digits, value, indicator);
        return stmt.call(stmt.api().SQLBindParameter, stmt.target, number, SQL_PARAM_INPUT_OUTPUT, c_type, sql_type,
                         size, digits, value, SQLLEN{SQL_SETPARAM_VALUE_MAX}, indicator);
    });
    return remember_parameter(hstmt, rc, number,
                              {SQL_PARAM_INPUT_OUTPUT, c_type, sql_type, size, digits, value, SQL_SETPARAM_VALUE_MAX, indicator});
}

// The target keeps the bindings too (for results it serves); the shim mirrors them.
SQLRETURN bind_col(SQLHSTMT hstmt, SQLUSMALLINT column, SQLSMALLINT c_type, SQLPOINTER value, SQLLEN capacity,
                   SQLLEN* indicator) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        SQLRETURN rc = stmt.call(stmt.api().SQLBindCol, stmt.target, column, c_type, value, capacity, indicator);
        if (!SQL_SUCCEEDED(rc) || column == 0) return rc;
        if (stmt.replay) stmt.replay->read_anew(column);
        auto& columns = stmt.bindings.columns;
        if (columns.size() < column) columns.resize(column);
        columns[column - 1] = {c_type, value, capacity, indicator, indicator};
        return rc;
    });
}

SQLRETURN fetch(SQLHSTMT hstmt) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (!stmt.replay) return stmt.call(stmt.api().SQLFetch, stmt.target);
        const RowBindings& b = bindings_for_fetch(stmt);
        return stmt.replay->fetch(stmt, b, SQL_FETCH_NEXT, 0, b.array_size, b.rows_fetched, b.row_status,
                                  stmt.static_cursor);
    });
}

SQLRETURN fetch_scroll(SQLHSTMT hstmt, SQLSMALLINT orientation, SQLLEN offset) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (!stmt.replay) return stmt.call(stmt.api().SQLFetchScroll, stmt.target, orientation, offset);
        const RowBindings& b = bindings_for_fetch(stmt);
        return stmt.replay->fetch(stmt, b, orientation, offset, b.array_size, b.rows_fetched, b.row_status,
                                  stmt.static_cursor);
    });
}

SQLRETURN extended_fetch(SQLHSTMT hstmt, SQLUSMALLINT orientation, SQLLEN offset, SQLULEN* row_count,
                         SQLUSMALLINT* row_status) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (!stmt.replay)
            return stmt.call(stmt.api().SQLExtendedFetch, stmt.target, orientation, offset, row_count, row_status);
        const RowBindings& b = bindings_for_fetch(stmt);
        return stmt.replay->fetch(stmt, b, static_cast<SQLSMALLINT>(orientation), offset, b.rowset_size, row_count,
                                  row_status, stmt.static_cursor);
    });
}

SQLRETURN put_data(SQLHSTMT hstmt, SQLPOINTER data, SQLLEN length) {
    return forward(hstmt, &TargetApi::SQLPutData, data, length);
}

SQLRETURN param_data(SQLHSTMT hstmt, SQLPOINTER* value) { return forward(hstmt, &TargetApi::SQLParamData, value); }

namespace {

// Whether the shim describes the columns itself (of the served result or closed_shape) rather
// than the target statement.
bool describes_itself(const Stmt& stmt) { return stmt.replay || stmt.closed_shape; }

// How many columns the shim describes.
size_t described_count(const Stmt& stmt) {
    return stmt.replay ? stmt.replay->result().column_count() : stmt.closed_shape->columns.size();
}

// psqlODBC's own statement, prepared and run, once its cursor closed (Stmt::refuses_description).
SQLRETURN no_query(Stmt& stmt) {
    stmt.adopt({DiagRecord{"HY000", 1, "No query has been executed with that handle"}});
    return SQL_ERROR;
}

// Whether psqlODBC, once the cursor closed, still describes column `number`: one with a base
// table, when the served result was described (Stmt::refuses_description).
bool describable_after_close(const Stmt& stmt, SQLUSMALLINT number) {
    if (!stmt.closed_shape || number == 0 || number > stmt.closed_shape->columns.size()) return false;
    const FieldAnswer* table = stmt.closed_shape->columns[number - 1].field(SQL_DESC_BASE_TABLE_NAME);
    return table && !table->text.empty();
}

// The SQLColAttribute fields after which psqlODBC describes by the table's catalog, as
// SQLDescribeCol does.
bool reads_catalog(SQLUSMALLINT field) {
    switch (field) {
    case SQL_COLUMN_TYPE: case SQL_DESC_UPDATABLE: case SQL_DESC_AUTO_UNIQUE_VALUE: case SQL_DESC_TYPE_NAME:
    case SQL_DESC_TABLE_NAME: case SQL_DESC_SCHEMA_NAME: case SQL_DESC_BASE_COLUMN_NAME:
    case SQL_DESC_BASE_TABLE_NAME: case SQL_DESC_NULLABLE: return true;
    default: return false;
    }
}

// A column number past the described ones, refused in the target's words.
SQLRETURN invalid_column(Stmt& stmt, const char* psql_message) {
    stmt.adopt({invalid_column_record(stmt.dbc.family, psql_message)});
    return SQL_ERROR;
}

// Column `number` of what the shim describes; null when there is none.
const Column* described_column(const Stmt& stmt, SQLUSMALLINT number) {
    if (stmt.replay) return stmt.replay->column(number);
    const auto& columns = stmt.closed_shape->columns;
    return number == 0 || number > columns.size() ? nullptr : &columns[number - 1];
}

}  // namespace

SQLRETURN get_data(SQLHSTMT hstmt, SQLUSMALLINT column, SQLSMALLINT c_type, SQLPOINTER value, SQLLEN capacity,
                   SQLLEN* indicator) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (!stmt.replay) return stmt.call(stmt.api().SQLGetData, stmt.target, column, c_type, value, capacity, indicator);
        return stmt.replay->get_data(stmt, column, c_type, value, capacity, indicator);
    });
}

SQLRETURN num_result_cols(SQLHSTMT hstmt, SQLSMALLINT* count) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (stmt.refuses_description) return no_query(stmt);
        if (!describes_itself(stmt)) return stmt.call(stmt.api().SQLNumResultCols, stmt.target, count);
        if (count) *count = static_cast<SQLSMALLINT>(described_count(stmt));
        return SQL_SUCCESS;
    });
}

SQLRETURN num_params(SQLHSTMT hstmt, SQLSMALLINT* count) { return forward(hstmt, &TargetApi::SQLNumParams, count); }

namespace {

// Copies the first `written` units of `text` into `buffer` of `room` units, then NULs: to the
// end of the buffer when `pad` (as strncpy does), else one where there is room for it.
template <class C>
void copy_cut(const std::basic_string<C>& text, size_t written, C* buffer, size_t room, bool pad) {
    std::copy_n(text.data(), written, buffer);
    if (written < room) std::fill(buffer + written, buffer + (pad ? room : written + 1), C{});
}

// A served column's name, written as the target writes it into a buffer of `capacity`
// characters. psqlODBC's A function terminates what fits and warns when it cuts; its Unicode
// driver's W function leaves a name that fills the buffer unterminated, and warns only when it
// cuts; SQLite ODBC cuts without a word, reports the length it wrote, and its A function pads
// the buffer with NULs as strncpy does.
template <class C>
SQLRETURN describe_name(Stmt& stmt, const std::string& name, C* buffer, SQLSMALLINT capacity, SQLSMALLINT* length) {
    const std::basic_string<C> converted = convert_string<C>(name.data(), name.size());
    const size_t full = converted.size();
    const size_t room = capacity > 0 ? static_cast<size_t>(capacity) : 0;
    if (stmt.dbc.family == TargetFamily::sqliteodbc) {
        const size_t written = room == 0 ? full : std::min(full, room - 1);
        if (buffer && room > 0) copy_cut(converted, written, buffer, room, std::is_same_v<C, SQLCHAR>);
        store_length(length, static_cast<SQLLEN>(written));
        return SQL_SUCCESS;
    }
    store_length(length, static_cast<SQLLEN>(full));
    if (!buffer || room == 0) return SQL_SUCCESS;
    if (std::is_same_v<C, SQLWCHAR> && stmt.dbc.family == TargetFamily::psqlodbc) {
        copy_cut(converted, std::min(full, room), buffer, room, false);
        if (full <= room) return SQL_SUCCESS;
        stmt.adopt({DiagRecord{"01004", -2, "Column name too large"}});
        return SQL_SUCCESS_WITH_INFO;
    }
    copy_cut(converted, std::min(full, room - 1), buffer, room, false);
    if (full < room) return SQL_SUCCESS;
    stmt.adopt({DiagRecord{"01004", -2, "The buffer was too small for the colName."}});
    return SQL_SUCCESS_WITH_INFO;
}

}  // namespace

template <class C>
SQLRETURN describe_col(SQLHSTMT hstmt, SQLUSMALLINT column, C* name, SQLSMALLINT capacity, SQLSMALLINT* length,
                       SQLSMALLINT* type, SQLULEN* size, SQLSMALLINT* digits, SQLSMALLINT* nullable) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (stmt.refuses_description && !describable_after_close(stmt, column)) return no_query(stmt);
        if (stmt.replay) stmt.described_served = true;
        if (describes_itself(stmt)) {
            const Column* served = described_column(stmt, column);
            if (!served) return invalid_column(stmt, "Invalid column number in DescribeCol.");
            store_length(type, served->sql_type);
            store_length(size, static_cast<SQLLEN>(served->size));
            store_length(digits, served->digits);
            store_length(nullable, served->nullable);
            return describe_name(stmt, served->name, name, capacity, length);
        }
        return get_string<C, Count::characters>(
            &stmt, stmt.api().SQLDescribeCol, stmt.api().SQLDescribeColW, name, capacity, length,
            [&](auto fn, auto strings, SQLPOINTER buffer, SQLLEN units, SQLLEN* n) {
                using T = std::remove_pointer_t<decltype(strings(name, 0).ptr())>;
                SQLSMALLINT got = 0;
                SQLRETURN rc = stmt.call(fn, stmt.target, column, static_cast<T*>(buffer), small_capacity(units), &got,
                                         type, size, digits, nullable);
                *n = got;
                return rc;
            });
    });
}

SQLRETURN describe_param(SQLHSTMT hstmt, SQLUSMALLINT number, SQLSMALLINT* type, SQLULEN* size,
                         SQLSMALLINT* digits, SQLSMALLINT* nullable) {
    return forward(hstmt, &TargetApi::SQLDescribeParam, number, type, size, digits, nullable);
}

// psqlODBC's length of 0 for a number or an error, but for a string field asked through its
// Unicode driver's SQLColAttributeW.
template <class C>
void psql_field_length(const Stmt& stmt, SQLUSMALLINT field, SQLSMALLINT* length) {
    const bool wide_string = std::is_same_v<C, SQLWCHAR> && stmt.dbc.family == TargetFamily::psqlodbc &&
                             is_string_field(static_cast<SQLSMALLINT>(field));
    if (length && !wide_string) *length = 0;
}

// A column past the described ones: SQLite ODBC refuses it; psqlODBC answers SQL_DESC_COUNT
// (which it does not know for a column it has) and refuses the rest.
template <class C>
SQLRETURN field_of_no_column(Stmt& stmt, SQLUSMALLINT field, SQLSMALLINT* length, SQLLEN* numeric) {
    if (stmt.dbc.family != TargetFamily::sqliteodbc) {
        psql_field_length<C>(stmt, field, length);
        if (field == SQL_DESC_COUNT) {
            if (numeric) *numeric = static_cast<SQLLEN>(described_count(stmt));
            return SQL_SUCCESS;
        }
    }
    return invalid_column(stmt, "Invalid column number in ColAttributes.");
}

// SQL_CA_SS_COLUMN_KEY, SQL Server's: whether a column is in a key, which psqlODBC answers
// with a catalog query of its own. The capture does not ask it, sparing misses that query.
constexpr SQLUSMALLINT column_key_field = 1212;

// A field the capture did not ask the target, answered as the target answers fields it does
// not know: psqlODBC's HY092 (with psql_field_length), SQLite ODBC's HY091. psqlODBC's
// SQL_CA_SS_COLUMN_KEY is answered 0, not in a key (README).
template <class C>
SQLRETURN unasked_field(Stmt& stmt, SQLUSMALLINT field, SQLSMALLINT* length, SQLLEN* numeric) {
    if (stmt.dbc.family == TargetFamily::sqliteodbc) {
        stmt.adopt({DiagRecord{"HY091", -1, "[SQLite]unsupported column attribute " + std::to_string(field)}});
        return SQL_ERROR;
    }
    psql_field_length<C>(stmt, field, length);
    if (field != column_key_field) {
        stmt.adopt({DiagRecord{"HY092", 27, "ColAttribute for this type not implemented yet"}});
        return SQL_ERROR;
    }
    if (numeric) *numeric = 0;
    return SQL_SUCCESS;
}

// A served string field, written as the target writes it into `capacity` bytes: cut and
// terminated, with the target's warning in its words. psqlODBC's Unicode driver's W function
// fills the buffer without terminating, and warns when the value takes all of it; its A
// function leaves the buffer of an empty value it holds none for alone. SQLite ODBC cuts its
// type names without a word, reporting what it wrote, answers a base column name asked into
// no room with nothing, and its A function pads the buffer with NULs as strncpy does.
template <class C>
SQLRETURN field_text(Stmt& stmt, const FieldAnswer& answer, C* buffer, SQLSMALLINT capacity, SQLSMALLINT* length) {
    const std::basic_string<C> converted = convert_string<C>(answer.text.data(), answer.text.size());
    const size_t full = converted.size(), room = capacity > 0 ? static_cast<size_t>(capacity) / sizeof(C) : 0;
    const bool sqlite = stmt.dbc.family == TargetFamily::sqliteodbc;
    const bool unicode_w = std::is_same_v<C, SQLWCHAR> && stmt.dbc.family == TargetFamily::psqlodbc;
    if (sqlite && answer.field == SQL_DESC_BASE_COLUMN_NAME && room == 0) return answer.rc;
    const bool silent = sqlite && answer.field == SQL_DESC_TYPE_NAME && room > 0;
    const bool untouched = answer.leaves_text && !unicode_w;
    const size_t bytes = static_cast<size_t>(std::max<SQLSMALLINT>(capacity, 0));
    const bool cut = !untouched && (unicode_w ? full * sizeof(C) >= bytes : full >= room);
    size_t written = 0;
    if (buffer && room > 0 && !untouched) {
        written = unicode_w ? std::min(full, room) : std::min(full, room - 1);
        copy_cut(converted, written, buffer, room, sqlite && !cut && std::is_same_v<C, SQLCHAR>);
    }
    store_length(length, static_cast<SQLLEN>((silent ? written : full) * sizeof(C)));
    if (!cut || silent) return answer.rc;
    if (sqlite) stmt.adopt({DiagRecord{"01004", -1, "[SQLite]data right truncated"}});
    else stmt.adopt({DiagRecord{"01004", -2, unicode_w ? "The buffer was too small for the pCharAttr."
                                                       : "The buffer was too small for the rgbDesc."}});
    return SQL_SUCCESS_WITH_INFO;
}

// SQLColAttribute and the ODBC 2 SQLColAttributes share their shape and their string fields.
template <class C, class A, class W>
SQLRETURN column_attribute(Stmt& stmt, A ansi, W wide, SQLUSMALLINT column, SQLUSMALLINT field, SQLPOINTER value,
                           SQLSMALLINT capacity, SQLSMALLINT* length, SQLLEN* numeric) {
    if (stmt.refuses_description && !describable_after_close(stmt, column)) {
        store_length(length, 0);  // as psqlODBC's SQLColAttribute does on any error
        return no_query(stmt);
    }
    if (stmt.replay && reads_catalog(field)) stmt.described_served = true;
    if (describes_itself(stmt)) {
        const Column* served = described_column(stmt, column);
        if (!served) return field_of_no_column<C>(stmt, field, length, numeric);
        // SQLite ODBC answers ODBC 2's SQL_COLUMN_NAME as SQL_DESC_NAME.
        const bool sqlite_name = field == SQL_COLUMN_NAME && stmt.dbc.family == TargetFamily::sqliteodbc;
        const FieldAnswer* answer = served->field(sqlite_name ? SQL_DESC_NAME : field);
        if (!answer) return unasked_field<C>(stmt, field, length, numeric);
        stmt.adopt(answer->diagnostics);
        if (length && answer->writes_length) *length = answer->length;
        if (!SQL_SUCCEEDED(answer->rc)) return answer->rc;
        if (!is_string_field(static_cast<SQLSMALLINT>(field))) {
            if (numeric) *numeric = answer->number;
            return answer->rc;
        }
        const SQLRETURN rc = field_text(stmt, *answer, static_cast<C*>(value), capacity, length);
        // SQLite ODBC writes the number pointer of a string only when the string fits.
        if (numeric && answer->writes_number && (rc == answer->rc || stmt.dbc.family != TargetFamily::sqliteodbc))
            *numeric = answer->number;
        return rc;
    }
    if (!is_string_field(static_cast<SQLSMALLINT>(field)))
        return with_variant<C>(ansi, wide, [&](auto fn, auto) {
            return stmt.call(fn, stmt.target, column, field, value, capacity, length, numeric);
        });
    return get_string<C, Count::bytes>(&stmt, ansi, wide, value, capacity, length,
                                       [&](auto fn, auto, SQLPOINTER buffer, SQLLEN bytes, SQLLEN* n) {
                                           SQLSMALLINT got = 0;
                                           SQLRETURN rc = stmt.call(fn, stmt.target, column, field, buffer,
                                                                    small_capacity(bytes), &got, numeric);
                                           *n = got;
                                           return rc;
                                       });
}

template <class C>
SQLRETURN col_attribute(SQLHSTMT hstmt, SQLUSMALLINT column, SQLUSMALLINT field, SQLPOINTER value,
                        SQLSMALLINT capacity, SQLSMALLINT* length, SQLLEN* numeric) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        return column_attribute<C>(stmt, stmt.api().SQLColAttribute, stmt.api().SQLColAttributeW, column, field,
                                   value, capacity, length, numeric);
    });
}

template <class C>
SQLRETURN col_attributes(SQLHSTMT hstmt, SQLUSMALLINT column, SQLUSMALLINT field, SQLPOINTER value,
                         SQLSMALLINT capacity, SQLSMALLINT* length, SQLLEN* numeric) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        const TargetApi& api = stmt.api();
        // ODBC 3 drivers answer the ODBC 2 identifiers through SQLColAttribute.
        if (api.SQLColAttributes || api.SQLColAttributesW)
            return column_attribute<C>(stmt, api.SQLColAttributes, api.SQLColAttributesW, column, field, value,
                                       capacity, length, numeric);
        return column_attribute<C>(stmt, api.SQLColAttribute, api.SQLColAttributeW, column, field, value, capacity,
                                   length, numeric);
    });
}

SQLRETURN row_count(SQLHSTMT hstmt, SQLLEN* count) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (!stmt.replay) return stmt.call(stmt.api().SQLRowCount, stmt.target, count);
        if (count) *count = stmt.replay->result().row_count;
        return stmt.replay->result().row_count_rc;
    });
}

SQLRETURN more_results(SQLHSTMT hstmt) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (!stmt.replay) return stmt.call(stmt.api().SQLMoreResults, stmt.target);
        const std::shared_ptr<const ResultShape> last = stmt.replay->result().shape;
        const SQLRETURN rc = stmt.replay->more_results(stmt);
        if (rc == SQL_NO_DATA) stmt.close_replay(last);  // no cursor now, as after SQLCloseCursor
        return rc;
    });
}

SQLRETURN close_cursor(SQLHSTMT hstmt) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (!stmt.replay) return stmt.call(stmt.api().SQLCloseCursor, stmt.target);
        stmt.close_replay(stmt.replay->result().shape);
        return SQL_SUCCESS;
    });
}

SQLRETURN free_stmt(SQLHSTMT hstmt, SQLUSMALLINT option) {
    if (option == SQL_DROP) return free_handle(SQL_HANDLE_STMT, hstmt);
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        SQLRETURN rc = stmt.call(stmt.api().SQLFreeStmt, stmt.target, option);
        if (!SQL_SUCCEEDED(rc)) return rc;
        if (option == SQL_CLOSE) {
            if (stmt.replay) stmt.close_replay(stmt.replay->result().shape);
            stmt.target_cursor_open = false;
        }
        if (option == SQL_UNBIND) {
            stmt.bindings.columns.clear();
            if (stmt.replay) stmt.replay->read_anew(0);
        }
        if (option == SQL_RESET_PARAMS) stmt.parameters.clear();
        return rc;
    });
}

// SQLCancel may come from another thread while the statement runs: it leaves the handle's
// diagnostics alone, since the running call owns them.
SQLRETURN cancel(SQLHSTMT hstmt) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN { return stmt.api().SQLCancel ? stmt.api().SQLCancel(stmt.target) : SQL_ERROR; },
                         false);
}

SQLRETURN cancel_handle(SQLSMALLINT type, SQLHANDLE handle) {
    if (type == SQL_HANDLE_STMT) return cancel(handle);
    return guarded<Dbc>(handle, [&](Dbc& dbc) -> SQLRETURN {
        if (!dbc.connected) throw OdbcError("08003", "Connection not open");
        return dbc.call(dbc.api().SQLCancelHandle, SQL_HANDLE_DBC, dbc.target);
    });
}

// Positioned and bulk writes name no table the shim can see: they invalidate everything.
// Positioning within a rowset the shim serves is the shim's own, on psqlODBC; SQLite ODBC's
// does not follow the rowset (README), and its target statement refuses it.
SQLRETURN set_pos(SQLHSTMT hstmt, SQLSETPOSIROW row, SQLUSMALLINT operation, SQLUSMALLINT lock) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (stmt.replay && operation == SQL_POSITION && stmt.dbc.family != TargetFamily::sqliteodbc)
            return stmt.replay->position(stmt, row);
        SQLRETURN rc = stmt.call(stmt.api().SQLSetPos, stmt.target, row, operation, lock);
        if (operation == SQL_UPDATE || operation == SQL_DELETE || operation == SQL_ADD)
            invalidate_everything(stmt.dbc, "SQLSetPos");
        return rc;
    });
}

SQLRETURN bulk_operations(SQLHSTMT hstmt, SQLSMALLINT operation) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        SQLRETURN rc = stmt.call(stmt.api().SQLBulkOperations, stmt.target, operation);
        if (operation != SQL_FETCH_BY_BOOKMARK) invalidate_everything(stmt.dbc, "SQLBulkOperations");
        return rc;
    });
}

// Keeps the row attributes the shim fills itself; an application descriptor set in their
// place makes the mirror unreliable.
void mirror_attribute(Stmt& stmt, SQLINTEGER attribute, SQLPOINTER value) {
    RowBindings& b = stmt.bindings;
    const auto number = reinterpret_cast<SQLULEN>(value);
    auto blocks_if = [&](bool blocking) {
        if (blocking) stmt.blocking_attributes.insert(attribute);
        else stmt.blocking_attributes.erase(attribute);
    };
    switch (attribute) {
    case SQL_ATTR_CURSOR_TYPE:
        blocks_if(number != SQL_CURSOR_FORWARD_ONLY && number != SQL_CURSOR_STATIC);
        stmt.static_cursor = number == SQL_CURSOR_STATIC;
        break;
    case SQL_ATTR_CONCURRENCY: blocks_if(number != SQL_CONCUR_READ_ONLY); break;
    case SQL_ATTR_CURSOR_SCROLLABLE: blocks_if(number != SQL_NONSCROLLABLE); break;
    case SQL_ATTR_CURSOR_SENSITIVITY: blocks_if(number == SQL_SENSITIVE); break;
    case SQL_ATTR_USE_BOOKMARKS: blocks_if(number != SQL_UB_OFF); break;
    case SQL_ATTR_ASYNC_ENABLE: blocks_if(number != SQL_ASYNC_ENABLE_OFF); break;
    case SQL_ATTR_RETRIEVE_DATA: blocks_if(number != SQL_RD_ON); break;
    case SQL_ATTR_PARAMSET_SIZE: blocks_if(number != 1); break;
    case SQL_ATTR_PARAM_BIND_OFFSET_PTR:
    case SQL_ATTR_PARAMS_PROCESSED_PTR:
    case SQL_ATTR_PARAM_STATUS_PTR:
    case SQL_ATTR_PARAM_OPERATION_PTR: blocks_if(value != nullptr); break;
    case SQL_ATTR_MAX_ROWS:
    case SQL_ATTR_MAX_LENGTH:
    case SQL_ATTR_NOSCAN:
    case SQL_ATTR_QUERY_TIMEOUT: stmt.shaping_attributes[attribute].application = number; break;
    case SQL_ATTR_ROW_ARRAY_SIZE: b.array_size = number; break;
    case SQL_ROWSET_SIZE: b.rowset_size = number; break;
    case SQL_ATTR_ROW_BIND_TYPE: b.bind_type = number; break;
    case SQL_ATTR_ROW_BIND_OFFSET_PTR: b.bind_offset = static_cast<SQLULEN*>(value); break;
    case SQL_ATTR_ROWS_FETCHED_PTR: b.rows_fetched = static_cast<SQLULEN*>(value); break;
    case SQL_ATTR_ROW_STATUS_PTR: b.row_status = static_cast<SQLUSMALLINT*>(value); break;
    case SQL_ATTR_APP_ROW_DESC:
    case SQL_ATTR_APP_PARAM_DESC: stmt.dbc.descriptors_changed = true; break;
    default: break;
    }
}

template <class C>
SQLRETURN set_stmt_attr(SQLHSTMT hstmt, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER length) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (is_descriptor_attribute(attribute) && value) {
            Desc* desc = handle_cast<Desc>(value);
            if (!desc) throw OdbcError("HY024", "Invalid attribute value");
            value = desc->target;
        }
        SQLRETURN rc = with_variant<C>(stmt.api().SQLSetStmtAttr, stmt.api().SQLSetStmtAttrW,
                                       [&](auto fn, auto) { return stmt.call(fn, stmt.target, attribute, value, length); });
        if (SQL_SUCCEEDED(rc)) mirror_attribute(stmt, attribute, value);
        return rc;
    });
}

template <class C>
SQLRETURN get_stmt_attr(SQLHSTMT hstmt, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER capacity,
                        SQLINTEGER* length) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (attribute == SQL_ATTR_CACHALOT_SERVED || attribute == SQL_ATTR_CACHALOT_HIT) {
            const bool yes = attribute == SQL_ATTR_CACHALOT_SERVED ? stmt.replay != nullptr : stmt.served_hit;
            if (value) *static_cast<SQLULEN*>(value) = yes ? 1 : 0;
            return SQL_SUCCESS;
        }
        if (attribute == SQL_ATTR_ROW_NUMBER && stmt.replay) {
            // SQLite ODBC does not count rows (-2, SQL_ROW_NUMBER_UNKNOWN).
            const bool counted = stmt.dbc.family != TargetFamily::sqliteodbc;
            if (value) *static_cast<SQLULEN*>(value) = counted ? stmt.replay->row_number() : static_cast<SQLULEN>(-2);
            return SQL_SUCCESS;
        }
        SQLRETURN rc = with_variant<C>(stmt.api().SQLGetStmtAttr, stmt.api().SQLGetStmtAttrW, [&](auto fn, auto) {
            return stmt.call(fn, stmt.target, attribute, value, capacity, length);
        });
        if (SQL_SUCCEEDED(rc) && is_descriptor_attribute(attribute) && value) {
            auto* slot = static_cast<SQLHDESC*>(value);
            *slot = stmt.wrap_descriptor(*slot, attribute);
        }
        return rc;
    });
}

SQLRETURN get_stmt_option(SQLHSTMT hstmt, SQLUSMALLINT option, SQLPOINTER value) {
    return get_stmt_attr<SQLCHAR>(hstmt, option, value, 0, nullptr);
}

SQLRETURN set_stmt_option(SQLHSTMT hstmt, SQLUSMALLINT option, SQLULEN value) {
    return set_stmt_attr<SQLCHAR>(hstmt, option, reinterpret_cast<SQLPOINTER>(value), 0);
}

SQLRETURN param_options(SQLHSTMT hstmt, SQLULEN rows, SQLULEN* processed) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        const TargetApi& api = stmt.api();
        if (api.SQLParamOptions) return stmt.call(api.SQLParamOptions, stmt.target, rows, processed);
        auto set = api.SQLSetStmtAttr ? api.SQLSetStmtAttr : api.SQLSetStmtAttrW;
        SQLRETURN rc = stmt.call(set, stmt.target, SQL_ATTR_PARAMSET_SIZE, reinterpret_cast<SQLPOINTER>(rows), 0);
        if (!SQL_SUCCEEDED(rc)) return rc;
        return stmt.call(set, stmt.target, SQL_ATTR_PARAMS_PROCESSED_PTR, static_cast<SQLPOINTER>(processed), 0);
    });
}

SQLRETURN set_scroll_options(SQLHSTMT hstmt, SQLUSMALLINT concurrency, SQLLEN keyset_size, SQLUSMALLINT rowset_size) {
    SQLRETURN rc = forward(hstmt, &TargetApi::SQLSetScrollOptions, concurrency, keyset_size, rowset_size);
    if (SQL_SUCCEEDED(rc))
        if (Stmt* stmt = handle_cast<Stmt>(hstmt)) {
            stmt->bindings.rowset_size = rowset_size;
            stmt->blocking_attributes.insert(SQL_ATTR_CONCURRENCY);  // scroll options ask for a keyset or dynamic cursor
        }
    return rc;
}

template <class C>
SQLRETURN set_cursor_name(SQLHSTMT hstmt, C* name, SQLSMALLINT length) {
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLSetCursorName, &TargetApi::SQLSetCursorNameW,
                                         text(name, length));
}

template <class C>
SQLRETURN get_cursor_name(SQLHSTMT hstmt, C* name, SQLSMALLINT capacity, SQLSMALLINT* length) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        return get_string<C, Count::characters>(
            &stmt, stmt.api().SQLGetCursorName, stmt.api().SQLGetCursorNameW, name, capacity, length,
            [&](auto fn, auto strings, SQLPOINTER buffer, SQLLEN units, SQLLEN* n) {
                using T = std::remove_pointer_t<decltype(strings(name, 0).ptr())>;
                SQLSMALLINT got = 0;
                SQLRETURN rc = stmt.call(fn, stmt.target, static_cast<T*>(buffer), small_capacity(units), &got);
                *n = got;
                return rc;
            });
    });
}

CACHALOT_INSTANTIATE_BOTH(prepare)
CACHALOT_INSTANTIATE_BOTH(exec_direct)
CACHALOT_INSTANTIATE_BOTH(describe_col)
CACHALOT_INSTANTIATE_BOTH(col_attribute)
CACHALOT_INSTANTIATE_BOTH(col_attributes)
CACHALOT_INSTANTIATE_BOTH(set_stmt_attr)
CACHALOT_INSTANTIATE_BOTH(get_stmt_attr)
CACHALOT_INSTANTIATE_BOTH(set_cursor_name)
CACHALOT_INSTANTIATE_BOTH(get_cursor_name)

}  // namespace cachalot::driver::api
