// Statements: forwarded to the target statement, converting strings where the target lacks
// the variant called, and translating descriptor handles between the shim's and the target's.
#include "driver/api.hpp"
#include "driver/api_support.hpp"

namespace cachalot::driver::api {

namespace {

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
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLPrepare, &TargetApi::SQLPrepareW, text(sql, length));
}

template <class C>
SQLRETURN exec_direct(SQLHSTMT hstmt, C* sql, SQLINTEGER length) {
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLExecDirect, &TargetApi::SQLExecDirectW,
                                         text(sql, length));
}

SQLRETURN execute(SQLHSTMT hstmt) { return forward(hstmt, &TargetApi::SQLExecute); }

SQLRETURN bind_parameter(SQLHSTMT hstmt, SQLUSMALLINT number, SQLSMALLINT io_type, SQLSMALLINT c_type,
                         SQLSMALLINT sql_type, SQLULEN size, SQLSMALLINT digits, SQLPOINTER value, SQLLEN capacity,
                         SQLLEN* indicator) {
    return forward(hstmt, &TargetApi::SQLBindParameter, number, io_type, c_type, sql_type, size, digits, value,
                   capacity, indicator);
}

SQLRETURN bind_param(SQLHSTMT hstmt, SQLUSMALLINT number, SQLSMALLINT c_type, SQLSMALLINT sql_type, SQLULEN size,
                     SQLSMALLINT digits, SQLPOINTER value, SQLLEN* indicator) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (stmt.api().SQLBindParam)
            return stmt.call(stmt.api().SQLBindParam, stmt.target, number, c_type, sql_type, size, digits, value, indicator);
        return stmt.call(stmt.api().SQLBindParameter, stmt.target, number, SQL_PARAM_INPUT, c_type, sql_type, size,
                         digits, value, SQLLEN{0}, indicator);
    });
}

SQLRETURN set_param(SQLHSTMT hstmt, SQLUSMALLINT number, SQLSMALLINT c_type, SQLSMALLINT sql_type, SQLULEN size,
                    SQLSMALLINT digits, SQLPOINTER value, SQLLEN* indicator) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (stmt.api().SQLSetParam)
            return stmt.call(stmt.api().SQLSetParam, stmt.target, number, c_type, sql_type, size, digits, value, indicator);
        return stmt.call(stmt.api().SQLBindParameter, stmt.target, number, SQL_PARAM_INPUT_OUTPUT, c_type, sql_type,
                         size, digits, value, SQLLEN{SQL_SETPARAM_VALUE_MAX}, indicator);
    });
}

SQLRETURN bind_col(SQLHSTMT hstmt, SQLUSMALLINT column, SQLSMALLINT c_type, SQLPOINTER value, SQLLEN capacity,
                   SQLLEN* indicator) {
    return forward(hstmt, &TargetApi::SQLBindCol, column, c_type, value, capacity, indicator);
}

SQLRETURN fetch(SQLHSTMT hstmt) { return forward(hstmt, &TargetApi::SQLFetch); }

SQLRETURN fetch_scroll(SQLHSTMT hstmt, SQLSMALLINT orientation, SQLLEN offset) {
    return forward(hstmt, &TargetApi::SQLFetchScroll, orientation, offset);
}

SQLRETURN extended_fetch(SQLHSTMT hstmt, SQLUSMALLINT orientation, SQLLEN offset, SQLULEN* row_count,
                         SQLUSMALLINT* row_status) {
    return forward(hstmt, &TargetApi::SQLExtendedFetch, orientation, offset, row_count, row_status);
}

SQLRETURN get_data(SQLHSTMT hstmt, SQLUSMALLINT column, SQLSMALLINT c_type, SQLPOINTER value, SQLLEN capacity,
                   SQLLEN* indicator) {
    return forward(hstmt, &TargetApi::SQLGetData, column, c_type, value, capacity, indicator);
}

SQLRETURN put_data(SQLHSTMT hstmt, SQLPOINTER data, SQLLEN length) {
    return forward(hstmt, &TargetApi::SQLPutData, data, length);
}

SQLRETURN param_data(SQLHSTMT hstmt, SQLPOINTER* value) { return forward(hstmt, &TargetApi::SQLParamData, value); }

SQLRETURN num_result_cols(SQLHSTMT hstmt, SQLSMALLINT* count) {
    return forward(hstmt, &TargetApi::SQLNumResultCols, count);
}

SQLRETURN num_params(SQLHSTMT hstmt, SQLSMALLINT* count) { return forward(hstmt, &TargetApi::SQLNumParams, count); }

template <class C>
SQLRETURN describe_col(SQLHSTMT hstmt, SQLUSMALLINT column, C* name, SQLSMALLINT capacity, SQLSMALLINT* length,
                       SQLSMALLINT* type, SQLULEN* size, SQLSMALLINT* digits, SQLSMALLINT* nullable) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
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

// SQLColAttribute and the ODBC 2 SQLColAttributes share their shape and their string fields.
template <class C, class A, class W>
SQLRETURN column_attribute(Stmt& stmt, A ansi, W wide, SQLUSMALLINT column, SQLUSMALLINT field, SQLPOINTER value,
                           SQLSMALLINT capacity, SQLSMALLINT* length, SQLLEN* numeric) {
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

SQLRETURN row_count(SQLHSTMT hstmt, SQLLEN* count) { return forward(hstmt, &TargetApi::SQLRowCount, count); }

SQLRETURN more_results(SQLHSTMT hstmt) { return forward(hstmt, &TargetApi::SQLMoreResults); }

SQLRETURN close_cursor(SQLHSTMT hstmt) { return forward(hstmt, &TargetApi::SQLCloseCursor); }

SQLRETURN free_stmt(SQLHSTMT hstmt, SQLUSMALLINT option) {
    if (option == SQL_DROP) return free_handle(SQL_HANDLE_STMT, hstmt);
    return forward(hstmt, &TargetApi::SQLFreeStmt, option);
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

SQLRETURN set_pos(SQLHSTMT hstmt, SQLSETPOSIROW row, SQLUSMALLINT operation, SQLUSMALLINT lock) {
    return forward(hstmt, &TargetApi::SQLSetPos, row, operation, lock);
}

SQLRETURN bulk_operations(SQLHSTMT hstmt, SQLSMALLINT operation) {
    return forward(hstmt, &TargetApi::SQLBulkOperations, operation);
}

template <class C>
SQLRETURN set_stmt_attr(SQLHSTMT hstmt, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER length) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        if (is_descriptor_attribute(attribute) && value) {
            Desc* desc = handle_cast<Desc>(value);
            if (!desc) throw OdbcError("HY024", "Invalid attribute value");
            value = desc->target;
        }
        return with_variant<C>(stmt.api().SQLSetStmtAttr, stmt.api().SQLSetStmtAttrW,
                               [&](auto fn, auto) { return stmt.call(fn, stmt.target, attribute, value, length); });
    });
}

template <class C>
SQLRETURN get_stmt_attr(SQLHSTMT hstmt, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER capacity,
                        SQLINTEGER* length) {
    return guarded<Stmt>(hstmt, [&](Stmt& stmt) -> SQLRETURN {
        SQLRETURN rc = with_variant<C>(stmt.api().SQLGetStmtAttr, stmt.api().SQLGetStmtAttrW, [&](auto fn, auto) {
            return stmt.call(fn, stmt.target, attribute, value, capacity, length);
        });
        if (SQL_SUCCEEDED(rc) && is_descriptor_attribute(attribute) && value) {
            auto* slot = static_cast<SQLHDESC*>(value);
            *slot = stmt.wrap_descriptor(*slot);
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
    return forward(hstmt, &TargetApi::SQLSetScrollOptions, concurrency, keyset_size, rowset_size);
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
