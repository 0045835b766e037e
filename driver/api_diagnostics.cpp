// Diagnostics: the target's records of the last call come first, the shim's own follow.
// These functions read records and never clear or add any.
#include "driver/api.hpp"
#include "driver/api_support.hpp"
#include "driver/capture.hpp"

namespace cachalot::driver::api {

namespace {

// A driver manager reads a driver's records through its W diagnostic functions if it has
// them, else through its SQLError (SQLite ODBC words its messages differently there, and its
// records are consumed as they are read). The shim exports the W functions, so for a target
// that would have been read through SQLError it reads them that way once, and serves copies.
const std::vector<DiagRecord>* target_snapshot(Handle& handle) {
    if (!handle.target_diagnostics() || handle.type() == SQL_HANDLE_DESC) return nullptr;
    const TargetApi& api = *handle.target_api();
    if (!diagnostics_through_sql_error(api)) return nullptr;
    auto& snapshot = handle.target_snapshot();
    if (snapshot) return &*snapshot;
    snapshot.emplace();
    SQLHANDLE target = handle.target_handle();
    SQLHDBC dbc = handle.type() == SQL_HANDLE_DBC ? target : SQL_NULL_HDBC;
    SQLHSTMT stmt = handle.type() == SQL_HANDLE_STMT ? target : SQL_NULL_HSTMT;
    SQLHENV env = handle.type() == SQL_HANDLE_ENV ? target : SQL_NULL_HENV;
    for (int guard = 0; guard < 1000; ++guard) {
        DiagRecord record;
        SQLRETURN rc = with_variant<SQLCHAR>(api.SQLError, api.SQLErrorW, [&](auto fn, auto strings) -> SQLRETURN {
            using T = std::remove_pointer_t<decltype(strings(static_cast<SQLCHAR*>(nullptr), 0).ptr())>;
            T state[6] = {};
            std::basic_string<T> message(SQL_MAX_MESSAGE_LENGTH * 8, 0);
            SQLSMALLINT length = 0;
            SQLRETURN result = fn(env, dbc, stmt, state, &record.native, message.data(),
                                  static_cast<SQLSMALLINT>(message.size()), &length);
            message.resize(std::char_traits<T>::length(message.data()));
            record.sqlstate = convert_string<char>(state, std::char_traits<T>::length(state));
            record.message = convert_string<char>(message.data(), message.size());
            return result;
        });
        if (!SQL_SUCCEEDED(rc)) break;
        snapshot->push_back(std::move(record));
    }
    return &*snapshot;
}

SQLINTEGER target_record_count(Handle& handle) {
    if (auto* snapshot = target_snapshot(handle)) return static_cast<SQLINTEGER>(snapshot->size());
    if (!handle.target_diagnostics()) return 0;
    const TargetApi& api = *handle.target_api();
    auto fn = api.SQLGetDiagField ? api.SQLGetDiagField : api.SQLGetDiagFieldW;
    SQLINTEGER count = 0;
    if (!fn || !SQL_SUCCEEDED(fn(handle.type(), handle.target_handle(), 0, SQL_DIAG_NUMBER, &count, 0, nullptr)))
        return 0;
    return count;
}

// Where record `record` of a handle lives: with the target (asked directly), or a copy the
// shim serves itself (a snapshot of the target's, or its own), or nowhere.
struct RecordPlace {
    bool at_target = false;
    const DiagRecord* served = nullptr;
};

RecordPlace locate(Handle& handle, SQLSMALLINT record) {
    if (record < 1) return {};
    size_t index = static_cast<size_t>(record - 1);
    if (auto* snapshot = target_snapshot(handle)) {
        if (index < snapshot->size()) return {false, &(*snapshot)[index]};
        index -= snapshot->size();
    } else if (handle.target_diagnostics()) {
        if (handle.own_records().empty()) return {true, nullptr};
        auto in_target = static_cast<size_t>(target_record_count(handle));
        if (index < in_target) return {true, nullptr};
        index -= in_target;
    }
    return {false, index < handle.own_records().size() ? &handle.own_records()[index] : nullptr};
}

// Copies a string the shim serves into an application buffer, telling truncation by the code only.
template <class C>
SQLRETURN copy_served_string(const std::string& value, SQLPOINTER buffer, SQLLEN capacity, SQLLEN* length) {
    return deliver_string<C>(nullptr, SQL_SUCCESS, value, static_cast<C*>(buffer), capacity, length);
}

template <class Body>
SQLRETURN with_diagnostics(SQLSMALLINT type, SQLHANDLE raw, Body&& body) {
    Handle* handle = any_handle_cast(type, raw);
    if (!handle) return SQL_INVALID_HANDLE;
    try {
        return body(*handle);
    } catch (...) {
        return SQL_ERROR;
    }
}

}  // namespace

template <class C>
SQLRETURN get_diag_rec(SQLSMALLINT type, SQLHANDLE raw, SQLSMALLINT record, C* sqlstate, SQLINTEGER* native,
                       C* message, SQLSMALLINT capacity, SQLSMALLINT* length) {
    return with_diagnostics(type, raw, [&](Handle& handle) -> SQLRETURN {
        if (record < 1 || capacity < 0) return SQL_ERROR;
        RecordPlace place = locate(handle, record);
        if (place.served) {
            if (sqlstate) copy_to_buffer(convert_string<C>(place.served->sqlstate.data(), place.served->sqlstate.size()), sqlstate, 6);
            if (native) *native = place.served->native;
            SQLLEN n = 0;
            SQLRETURN rc = copy_served_string<C>(place.served->message, message, capacity, &n);
            // As unixODBC reports a message of a target without SQLGetDiagRecW: in its bytes.
            const TargetApi* api = handle.target_api();
            if (std::is_same_v<C, SQLWCHAR> && api && !api->SQLGetDiagRecW && !diagnostics_through_sql_error(*api))
                n = static_cast<SQLLEN>(place.served->message.size());
            store_length(length, n);
            return rc;
        }
        if (!place.at_target) return SQL_NO_DATA;
        const TargetApi& api = *handle.target_api();
        return get_string<C, Count::characters, ReportedLength::as_target_reports>(
            nullptr, api.SQLGetDiagRec, api.SQLGetDiagRecW, message, capacity, length,
            [&](auto fn, auto strings, SQLPOINTER buffer, SQLLEN units, SQLLEN* n) {
                using T = std::remove_pointer_t<decltype(strings(message, 0).ptr())>;
                T state[6] = {};
                SQLSMALLINT got = 0;
                SQLRETURN rc = fn(type, handle.target_handle(), record, state, native, static_cast<T*>(buffer),
                                  small_capacity(units), &got);
                if (sqlstate && SQL_SUCCEEDED(rc)) copy_to_buffer(convert_string<C>(state, 5), sqlstate, 6);
                *n = got;
                return rc;
            });
    });
}

template <class C>
SQLRETURN get_diag_field(SQLSMALLINT type, SQLHANDLE raw, SQLSMALLINT record, SQLSMALLINT field, SQLPOINTER value,
                         SQLSMALLINT capacity, SQLSMALLINT* length) {
    return with_diagnostics(type, raw, [&](Handle& handle) -> SQLRETURN {
        auto forward = [&]() -> SQLRETURN {
            if (!handle.target_diagnostics()) return SQL_NO_DATA;
            const TargetApi& api = *handle.target_api();
            if (!is_string_diag_field(field))
                return with_variant<C>(api.SQLGetDiagField, api.SQLGetDiagFieldW, [&](auto fn, auto) {
                    return fn(type, handle.target_handle(), record, field, value, capacity, length);
                });
            return get_string<C, Count::bytes>(nullptr, api.SQLGetDiagField, api.SQLGetDiagFieldW, value, capacity,
                                               length, [&](auto fn, auto, SQLPOINTER buffer, SQLLEN bytes, SQLLEN* n) {
                                                   SQLSMALLINT got = 0;
                                                   SQLRETURN rc = fn(type, handle.target_handle(), record, field,
                                                                     buffer, small_capacity(bytes), &got);
                                                   *n = got;
                                                   return rc;
                                               });
        };
        const bool serves_any = !handle.own_records().empty() || target_snapshot(handle);
        if (!serves_any) return forward();
        auto served_string = [&](const std::string& text) {
            SQLLEN n = 0;
            SQLRETURN rc = copy_served_string<C>(text, value, capacity / static_cast<SQLLEN>(sizeof(C)), &n);
            store_length(length, n * static_cast<SQLLEN>(sizeof(C)));
            return rc;
        };
        auto served_integer = [&](SQLINTEGER number) {
            if (value) *static_cast<SQLINTEGER*>(value) = number;
            return SQL_SUCCESS;
        };
        if (record == 0) {
            if (field == SQL_DIAG_NUMBER)
                return served_integer(target_record_count(handle) + static_cast<SQLINTEGER>(handle.own_records().size()));
            if (handle.target_diagnostics()) return forward();
            if (field == SQL_DIAG_RETURNCODE) {
                if (value) *static_cast<SQLRETURN*>(value) = SQL_ERROR;
                return SQL_SUCCESS;
            }
            if (field == SQL_DIAG_CURSOR_ROW_COUNT || field == SQL_DIAG_ROW_COUNT) {
                if (value) *static_cast<SQLLEN*>(value) = 0;
                return SQL_SUCCESS;
            }
            return field == SQL_DIAG_DYNAMIC_FUNCTION ? served_string("") : served_integer(0);
        }
        RecordPlace place = locate(handle, record);
        if (place.at_target) return forward();
        if (!place.served) return SQL_NO_DATA;
        const DiagRecord& served = *place.served;
        switch (field) {
        case SQL_DIAG_SQLSTATE: return served_string(served.sqlstate);
        case SQL_DIAG_NATIVE: return served_integer(served.native);
        case SQL_DIAG_MESSAGE_TEXT: return served_string(served.message);
        case SQL_DIAG_CLASS_ORIGIN: return served_string(served.sqlstate.compare(0, 2, "IM") == 0 ? "ODBC 3.0" : "ISO 9075");
        case SQL_DIAG_SUBCLASS_ORIGIN: return served_string("ODBC 3.0");
        case SQL_DIAG_CONNECTION_NAME:
        case SQL_DIAG_SERVER_NAME: return served_string("");
        case SQL_DIAG_COLUMN_NUMBER: return served_integer(SQL_NO_COLUMN_NUMBER);
        case SQL_DIAG_ROW_NUMBER:
            if (value) *static_cast<SQLLEN*>(value) = SQL_NO_ROW_NUMBER;
            return SQL_SUCCESS;
        default: return SQL_ERROR;
        }
    });
}

// ODBC 2's SQLError hands out the records of the most specific handle one call at a time.
template <class C>
SQLRETURN error(SQLHENV env, SQLHDBC dbc, SQLHSTMT stmt, C* sqlstate, SQLINTEGER* native, C* message,
                SQLSMALLINT capacity, SQLSMALLINT* length) {
    SQLSMALLINT type = stmt ? SQL_HANDLE_STMT : dbc ? SQL_HANDLE_DBC : SQL_HANDLE_ENV;
    SQLHANDLE raw = stmt ? stmt : dbc ? dbc : env;
    Handle* handle = any_handle_cast(type, raw);
    if (!handle) return SQL_INVALID_HANDLE;
    SQLRETURN rc = get_diag_rec<C>(type, raw, handle->next_error_record(), sqlstate, native, message, capacity, length);
    if (rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO) ++handle->next_error_record();
    return rc;
}

CACHALOT_INSTANTIATE_BOTH(get_diag_rec)
CACHALOT_INSTANTIATE_BOTH(get_diag_field)
CACHALOT_INSTANTIATE_BOTH(error)

}  // namespace cachalot::driver::api
