// The exported ODBC entry points. Each one only calls the shim's implementation (api.hpp);
// A entry points instantiate it for SQLCHAR, W entry points for SQLWCHAR.
#include "driver/api.hpp"

namespace api = cachalot::driver::api;

// Handles, environment, ODBC 2 allocation
SQLRETURN SQL_API SQLAllocHandle(SQLSMALLINT type, SQLHANDLE input, SQLHANDLE* output) {
    return api::alloc_handle(type, input, output);
}
SQLRETURN SQL_API SQLAllocEnv(SQLHENV* env) { return api::alloc_handle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, env); }
SQLRETURN SQL_API SQLAllocConnect(SQLHENV env, SQLHDBC* dbc) { return api::alloc_handle(SQL_HANDLE_DBC, env, dbc); }
SQLRETURN SQL_API SQLAllocStmt(SQLHDBC dbc, SQLHSTMT* stmt) { return api::alloc_handle(SQL_HANDLE_STMT, dbc, stmt); }
SQLRETURN SQL_API SQLFreeHandle(SQLSMALLINT type, SQLHANDLE handle) { return api::free_handle(type, handle); }
SQLRETURN SQL_API SQLFreeEnv(SQLHENV env) { return api::free_handle(SQL_HANDLE_ENV, env); }
SQLRETURN SQL_API SQLFreeConnect(SQLHDBC dbc) { return api::free_handle(SQL_HANDLE_DBC, dbc); }
SQLRETURN SQL_API SQLFreeStmt(SQLHSTMT stmt, SQLUSMALLINT option) { return api::free_stmt(stmt, option); }
SQLRETURN SQL_API SQLSetEnvAttr(SQLHENV env, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER length) {
    return api::set_env_attr(env, attribute, value, length);
}
SQLRETURN SQL_API SQLGetEnvAttr(SQLHENV env, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER capacity,
                                SQLINTEGER* length) {
    return api::get_env_attr(env, attribute, value, capacity, length);
}

// Connections
SQLRETURN SQL_API SQLConnect(SQLHDBC dbc, SQLCHAR* dsn, SQLSMALLINT dsn_length, SQLCHAR* user,
                             SQLSMALLINT user_length, SQLCHAR* password, SQLSMALLINT password_length) {
    return api::connect(dbc, dsn, dsn_length, user, user_length, password, password_length);
}
SQLRETURN SQL_API SQLConnectW(SQLHDBC dbc, SQLWCHAR* dsn, SQLSMALLINT dsn_length, SQLWCHAR* user,
                              SQLSMALLINT user_length, SQLWCHAR* password, SQLSMALLINT password_length) {
    return api::connect(dbc, dsn, dsn_length, user, user_length, password, password_length);
}
SQLRETURN SQL_API SQLDriverConnect(SQLHDBC dbc, SQLHWND window, SQLCHAR* in, SQLSMALLINT in_length, SQLCHAR* out,
                                   SQLSMALLINT out_capacity, SQLSMALLINT* out_length, SQLUSMALLINT completion) {
    return api::driver_connect(dbc, window, in, in_length, out, out_capacity, out_length, completion);
}
SQLRETURN SQL_API SQLDriverConnectW(SQLHDBC dbc, SQLHWND window, SQLWCHAR* in, SQLSMALLINT in_length, SQLWCHAR* out,
                                    SQLSMALLINT out_capacity, SQLSMALLINT* out_length, SQLUSMALLINT completion) {
    return api::driver_connect(dbc, window, in, in_length, out, out_capacity, out_length, completion);
}
SQLRETURN SQL_API SQLBrowseConnect(SQLHDBC dbc, SQLCHAR* in, SQLSMALLINT in_length, SQLCHAR* out,
                                   SQLSMALLINT out_capacity, SQLSMALLINT* out_length) {
    return api::browse_connect(dbc, in, in_length, out, out_capacity, out_length);
}
SQLRETURN SQL_API SQLBrowseConnectW(SQLHDBC dbc, SQLWCHAR* in, SQLSMALLINT in_length, SQLWCHAR* out,
                                    SQLSMALLINT out_capacity, SQLSMALLINT* out_length) {
    return api::browse_connect(dbc, in, in_length, out, out_capacity, out_length);
}
SQLRETURN SQL_API SQLDisconnect(SQLHDBC dbc) { return api::disconnect(dbc); }
SQLRETURN SQL_API SQLEndTran(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT completion) {
    return api::end_tran(type, handle, completion);
}
SQLRETURN SQL_API SQLTransact(SQLHENV env, SQLHDBC dbc, SQLUSMALLINT completion) {
    if (dbc) return api::end_tran(SQL_HANDLE_DBC, dbc, static_cast<SQLSMALLINT>(completion));
    return api::end_tran(SQL_HANDLE_ENV, env, static_cast<SQLSMALLINT>(completion));
}
SQLRETURN SQL_API SQLGetFunctions(SQLHDBC dbc, SQLUSMALLINT function, SQLUSMALLINT* supported) {
    return api::get_functions(dbc, function, supported);
}
SQLRETURN SQL_API SQLSetConnectAttr(SQLHDBC dbc, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER length) {
    return api::set_connect_attr<SQLCHAR>(dbc, attribute, value, length);
}
SQLRETURN SQL_API SQLSetConnectAttrW(SQLHDBC dbc, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER length) {
    return api::set_connect_attr<SQLWCHAR>(dbc, attribute, value, length);
}
SQLRETURN SQL_API SQLGetConnectAttr(SQLHDBC dbc, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER capacity,
                                    SQLINTEGER* length) {
    return api::get_connect_attr<SQLCHAR>(dbc, attribute, value, capacity, length);
}
SQLRETURN SQL_API SQLGetConnectAttrW(SQLHDBC dbc, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER capacity,
                                     SQLINTEGER* length) {
    return api::get_connect_attr<SQLWCHAR>(dbc, attribute, value, capacity, length);
}
SQLRETURN SQL_API SQLSetConnectOption(SQLHDBC dbc, SQLUSMALLINT option, SQLULEN value) {
    return api::set_connect_option<SQLCHAR>(dbc, option, value);
}
SQLRETURN SQL_API SQLSetConnectOptionW(SQLHDBC dbc, SQLUSMALLINT option, SQLULEN value) {
    return api::set_connect_option<SQLWCHAR>(dbc, option, value);
}
SQLRETURN SQL_API SQLGetConnectOption(SQLHDBC dbc, SQLUSMALLINT option, SQLPOINTER value) {
    return api::get_connect_option<SQLCHAR>(dbc, option, value);
}
SQLRETURN SQL_API SQLGetConnectOptionW(SQLHDBC dbc, SQLUSMALLINT option, SQLPOINTER value) {
    return api::get_connect_option<SQLWCHAR>(dbc, option, value);
}
SQLRETURN SQL_API SQLGetInfo(SQLHDBC dbc, SQLUSMALLINT type, SQLPOINTER value, SQLSMALLINT capacity,
                             SQLSMALLINT* length) {
    return api::get_info<SQLCHAR>(dbc, type, value, capacity, length);
}
SQLRETURN SQL_API SQLGetInfoW(SQLHDBC dbc, SQLUSMALLINT type, SQLPOINTER value, SQLSMALLINT capacity,
                              SQLSMALLINT* length) {
    return api::get_info<SQLWCHAR>(dbc, type, value, capacity, length);
}
SQLRETURN SQL_API SQLNativeSql(SQLHDBC dbc, SQLCHAR* in, SQLINTEGER in_length, SQLCHAR* out, SQLINTEGER out_capacity,
                               SQLINTEGER* out_length) {
    return api::native_sql(dbc, in, in_length, out, out_capacity, out_length);
}
SQLRETURN SQL_API SQLNativeSqlW(SQLHDBC dbc, SQLWCHAR* in, SQLINTEGER in_length, SQLWCHAR* out,
                                SQLINTEGER out_capacity, SQLINTEGER* out_length) {
    return api::native_sql(dbc, in, in_length, out, out_capacity, out_length);
}

// Statements
SQLRETURN SQL_API SQLPrepare(SQLHSTMT stmt, SQLCHAR* text, SQLINTEGER length) {
    return api::prepare(stmt, text, length);
}
SQLRETURN SQL_API SQLPrepareW(SQLHSTMT stmt, SQLWCHAR* text, SQLINTEGER length) {
    return api::prepare(stmt, text, length);
}
SQLRETURN SQL_API SQLExecDirect(SQLHSTMT stmt, SQLCHAR* text, SQLINTEGER length) {
    return api::exec_direct(stmt, text, length);
}
SQLRETURN SQL_API SQLExecDirectW(SQLHSTMT stmt, SQLWCHAR* text, SQLINTEGER length) {
    return api::exec_direct(stmt, text, length);
}
SQLRETURN SQL_API SQLExecute(SQLHSTMT stmt) { return api::execute(stmt); }
SQLRETURN SQL_API SQLBindParameter(SQLHSTMT stmt, SQLUSMALLINT number, SQLSMALLINT io_type, SQLSMALLINT c_type,
                                   SQLSMALLINT sql_type, SQLULEN size, SQLSMALLINT digits, SQLPOINTER value,
                                   SQLLEN capacity, SQLLEN* indicator) {
    return api::bind_parameter(stmt, number, io_type, c_type, sql_type, size, digits, value, capacity, indicator);
}
SQLRETURN SQL_API SQLBindParam(SQLHSTMT stmt, SQLUSMALLINT number, SQLSMALLINT c_type, SQLSMALLINT sql_type,
                               SQLULEN size, SQLSMALLINT digits, SQLPOINTER value, SQLLEN* indicator) {
    return api::bind_param(stmt, number, c_type, sql_type, size, digits, value, indicator);
}
SQLRETURN SQL_API SQLSetParam(SQLHSTMT stmt, SQLUSMALLINT number, SQLSMALLINT c_type, SQLSMALLINT sql_type,
                              SQLULEN size, SQLSMALLINT digits, SQLPOINTER value, SQLLEN* indicator) {
    return api::set_param(stmt, number, c_type, sql_type, size, digits, value, indicator);
}
SQLRETURN SQL_API SQLBindCol(SQLHSTMT stmt, SQLUSMALLINT column, SQLSMALLINT c_type, SQLPOINTER value,
                             SQLLEN capacity, SQLLEN* indicator) {
    return api::bind_col(stmt, column, c_type, value, capacity, indicator);
}
SQLRETURN SQL_API SQLFetch(SQLHSTMT stmt) { return api::fetch(stmt); }
SQLRETURN SQL_API SQLFetchScroll(SQLHSTMT stmt, SQLSMALLINT orientation, SQLLEN offset) {
    return api::fetch_scroll(stmt, orientation, offset);
}
SQLRETURN SQL_API SQLExtendedFetch(SQLHSTMT stmt, SQLUSMALLINT orientation, SQLLEN offset, SQLULEN* row_count,
                                   SQLUSMALLINT* row_status) {
    return api::extended_fetch(stmt, orientation, offset, row_count, row_status);
}
SQLRETURN SQL_API SQLGetData(SQLHSTMT stmt, SQLUSMALLINT column, SQLSMALLINT c_type, SQLPOINTER value,
                             SQLLEN capacity, SQLLEN* indicator) {
    return api::get_data(stmt, column, c_type, value, capacity, indicator);
}
SQLRETURN SQL_API SQLPutData(SQLHSTMT stmt, SQLPOINTER data, SQLLEN length) { return api::put_data(stmt, data, length); }
SQLRETURN SQL_API SQLParamData(SQLHSTMT stmt, SQLPOINTER* value) { return api::param_data(stmt, value); }
SQLRETURN SQL_API SQLNumResultCols(SQLHSTMT stmt, SQLSMALLINT* count) { return api::num_result_cols(stmt, count); }
SQLRETURN SQL_API SQLNumParams(SQLHSTMT stmt, SQLSMALLINT* count) { return api::num_params(stmt, count); }
SQLRETURN SQL_API SQLDescribeCol(SQLHSTMT stmt, SQLUSMALLINT column, SQLCHAR* name, SQLSMALLINT capacity,
                                 SQLSMALLINT* length, SQLSMALLINT* type, SQLULEN* size, SQLSMALLINT* digits,
                                 SQLSMALLINT* nullable) {
    return api::describe_col(stmt, column, name, capacity, length, type, size, digits, nullable);
}
SQLRETURN SQL_API SQLDescribeColW(SQLHSTMT stmt, SQLUSMALLINT column, SQLWCHAR* name, SQLSMALLINT capacity,
                                  SQLSMALLINT* length, SQLSMALLINT* type, SQLULEN* size, SQLSMALLINT* digits,
                                  SQLSMALLINT* nullable) {
    return api::describe_col(stmt, column, name, capacity, length, type, size, digits, nullable);
}
SQLRETURN SQL_API SQLDescribeParam(SQLHSTMT stmt, SQLUSMALLINT number, SQLSMALLINT* type, SQLULEN* size,
                                   SQLSMALLINT* digits, SQLSMALLINT* nullable) {
    return api::describe_param(stmt, number, type, size, digits, nullable);
}
SQLRETURN SQL_API SQLColAttribute(SQLHSTMT stmt, SQLUSMALLINT column, SQLUSMALLINT field, SQLPOINTER value,
                                  SQLSMALLINT capacity, SQLSMALLINT* length, SQLLEN* numeric) {
    return api::col_attribute<SQLCHAR>(stmt, column, field, value, capacity, length, numeric);
}
SQLRETURN SQL_API SQLColAttributeW(SQLHSTMT stmt, SQLUSMALLINT column, SQLUSMALLINT field, SQLPOINTER value,
                                   SQLSMALLINT capacity, SQLSMALLINT* length, SQLLEN* numeric) {
    return api::col_attribute<SQLWCHAR>(stmt, column, field, value, capacity, length, numeric);
}
SQLRETURN SQL_API SQLColAttributes(SQLHSTMT stmt, SQLUSMALLINT column, SQLUSMALLINT field, SQLPOINTER value,
                                   SQLSMALLINT capacity, SQLSMALLINT* length, SQLLEN* numeric) {
    return api::col_attributes<SQLCHAR>(stmt, column, field, value, capacity, length, numeric);
}
SQLRETURN SQL_API SQLColAttributesW(SQLHSTMT stmt, SQLUSMALLINT column, SQLUSMALLINT field, SQLPOINTER value,
                                    SQLSMALLINT capacity, SQLSMALLINT* length, SQLLEN* numeric) {
    return api::col_attributes<SQLWCHAR>(stmt, column, field, value, capacity, length, numeric);
}
SQLRETURN SQL_API SQLRowCount(SQLHSTMT stmt, SQLLEN* count) { return api::row_count(stmt, count); }
SQLRETURN SQL_API SQLMoreResults(SQLHSTMT stmt) { return api::more_results(stmt); }
SQLRETURN SQL_API SQLCloseCursor(SQLHSTMT stmt) { return api::close_cursor(stmt); }
SQLRETURN SQL_API SQLCancel(SQLHSTMT stmt) { return api::cancel(stmt); }
SQLRETURN SQL_API SQLCancelHandle(SQLSMALLINT type, SQLHANDLE handle) { return api::cancel_handle(type, handle); }
SQLRETURN SQL_API SQLSetPos(SQLHSTMT stmt, SQLSETPOSIROW row, SQLUSMALLINT operation, SQLUSMALLINT lock) {
    return api::set_pos(stmt, row, operation, lock);
}
SQLRETURN SQL_API SQLBulkOperations(SQLHSTMT stmt, SQLSMALLINT operation) {
    return api::bulk_operations(stmt, operation);
}
SQLRETURN SQL_API SQLSetStmtAttr(SQLHSTMT stmt, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER length) {
    return api::set_stmt_attr<SQLCHAR>(stmt, attribute, value, length);
}
SQLRETURN SQL_API SQLSetStmtAttrW(SQLHSTMT stmt, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER length) {
    return api::set_stmt_attr<SQLWCHAR>(stmt, attribute, value, length);
}
SQLRETURN SQL_API SQLGetStmtAttr(SQLHSTMT stmt, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER capacity,
                                 SQLINTEGER* length) {
    return api::get_stmt_attr<SQLCHAR>(stmt, attribute, value, capacity, length);
}
SQLRETURN SQL_API SQLGetStmtAttrW(SQLHSTMT stmt, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER capacity,
                                  SQLINTEGER* length) {
    return api::get_stmt_attr<SQLWCHAR>(stmt, attribute, value, capacity, length);
}
SQLRETURN SQL_API SQLGetStmtOption(SQLHSTMT stmt, SQLUSMALLINT option, SQLPOINTER value) {
    return api::get_stmt_option(stmt, option, value);
}
SQLRETURN SQL_API SQLSetStmtOption(SQLHSTMT stmt, SQLUSMALLINT option, SQLULEN value) {
    return api::set_stmt_option(stmt, option, value);
}
SQLRETURN SQL_API SQLParamOptions(SQLHSTMT stmt, SQLULEN rows, SQLULEN* processed) {
    return api::param_options(stmt, rows, processed);
}
SQLRETURN SQL_API SQLSetScrollOptions(SQLHSTMT stmt, SQLUSMALLINT concurrency, SQLLEN keyset_size,
                                      SQLUSMALLINT rowset_size) {
    return api::set_scroll_options(stmt, concurrency, keyset_size, rowset_size);
}
SQLRETURN SQL_API SQLSetCursorName(SQLHSTMT stmt, SQLCHAR* name, SQLSMALLINT length) {
    return api::set_cursor_name(stmt, name, length);
}
SQLRETURN SQL_API SQLSetCursorNameW(SQLHSTMT stmt, SQLWCHAR* name, SQLSMALLINT length) {
    return api::set_cursor_name(stmt, name, length);
}
SQLRETURN SQL_API SQLGetCursorName(SQLHSTMT stmt, SQLCHAR* name, SQLSMALLINT capacity, SQLSMALLINT* length) {
    return api::get_cursor_name(stmt, name, capacity, length);
}
SQLRETURN SQL_API SQLGetCursorNameW(SQLHSTMT stmt, SQLWCHAR* name, SQLSMALLINT capacity, SQLSMALLINT* length) {
    return api::get_cursor_name(stmt, name, capacity, length);
}

// Catalog functions
SQLRETURN SQL_API SQLTables(SQLHSTMT stmt, SQLCHAR* catalog, SQLSMALLINT catalog_length, SQLCHAR* schema,
                            SQLSMALLINT schema_length, SQLCHAR* table, SQLSMALLINT table_length, SQLCHAR* types,
                            SQLSMALLINT types_length) {
    return api::tables(stmt, catalog, catalog_length, schema, schema_length, table, table_length, types, types_length);
}
SQLRETURN SQL_API SQLTablesW(SQLHSTMT stmt, SQLWCHAR* catalog, SQLSMALLINT catalog_length, SQLWCHAR* schema,
                             SQLSMALLINT schema_length, SQLWCHAR* table, SQLSMALLINT table_length, SQLWCHAR* types,
                             SQLSMALLINT types_length) {
    return api::tables(stmt, catalog, catalog_length, schema, schema_length, table, table_length, types, types_length);
}
SQLRETURN SQL_API SQLColumns(SQLHSTMT stmt, SQLCHAR* catalog, SQLSMALLINT catalog_length, SQLCHAR* schema,
                             SQLSMALLINT schema_length, SQLCHAR* table, SQLSMALLINT table_length, SQLCHAR* column,
                             SQLSMALLINT column_length) {
    return api::columns(stmt, catalog, catalog_length, schema, schema_length, table, table_length, column,
                        column_length);
}
SQLRETURN SQL_API SQLColumnsW(SQLHSTMT stmt, SQLWCHAR* catalog, SQLSMALLINT catalog_length, SQLWCHAR* schema,
                              SQLSMALLINT schema_length, SQLWCHAR* table, SQLSMALLINT table_length, SQLWCHAR* column,
                              SQLSMALLINT column_length) {
    return api::columns(stmt, catalog, catalog_length, schema, schema_length, table, table_length, column,
                        column_length);
}
SQLRETURN SQL_API SQLColumnPrivileges(SQLHSTMT stmt, SQLCHAR* catalog, SQLSMALLINT catalog_length, SQLCHAR* schema,
                                      SQLSMALLINT schema_length, SQLCHAR* table, SQLSMALLINT table_length,
                                      SQLCHAR* column, SQLSMALLINT column_length) {
    return api::column_privileges(stmt, catalog, catalog_length, schema, schema_length, table, table_length, column,
                                  column_length);
}
SQLRETURN SQL_API SQLColumnPrivilegesW(SQLHSTMT stmt, SQLWCHAR* catalog, SQLSMALLINT catalog_length,
                                       SQLWCHAR* schema, SQLSMALLINT schema_length, SQLWCHAR* table,
                                       SQLSMALLINT table_length, SQLWCHAR* column, SQLSMALLINT column_length) {
    return api::column_privileges(stmt, catalog, catalog_length, schema, schema_length, table, table_length, column,
                                  column_length);
}
SQLRETURN SQL_API SQLProcedureColumns(SQLHSTMT stmt, SQLCHAR* catalog, SQLSMALLINT catalog_length, SQLCHAR* schema,
                                      SQLSMALLINT schema_length, SQLCHAR* procedure, SQLSMALLINT procedure_length,
                                      SQLCHAR* column, SQLSMALLINT column_length) {
    return api::procedure_columns(stmt, catalog, catalog_length, schema, schema_length, procedure, procedure_length,
                                  column, column_length);
}
SQLRETURN SQL_API SQLProcedureColumnsW(SQLHSTMT stmt, SQLWCHAR* catalog, SQLSMALLINT catalog_length,
                                       SQLWCHAR* schema, SQLSMALLINT schema_length, SQLWCHAR* procedure,
                                       SQLSMALLINT procedure_length, SQLWCHAR* column, SQLSMALLINT column_length) {
    return api::procedure_columns(stmt, catalog, catalog_length, schema, schema_length, procedure, procedure_length,
                                  column, column_length);
}
SQLRETURN SQL_API SQLPrimaryKeys(SQLHSTMT stmt, SQLCHAR* catalog, SQLSMALLINT catalog_length, SQLCHAR* schema,
                                 SQLSMALLINT schema_length, SQLCHAR* table, SQLSMALLINT table_length) {
    return api::primary_keys(stmt, catalog, catalog_length, schema, schema_length, table, table_length);
}
SQLRETURN SQL_API SQLPrimaryKeysW(SQLHSTMT stmt, SQLWCHAR* catalog, SQLSMALLINT catalog_length, SQLWCHAR* schema,
                                  SQLSMALLINT schema_length, SQLWCHAR* table, SQLSMALLINT table_length) {
    return api::primary_keys(stmt, catalog, catalog_length, schema, schema_length, table, table_length);
}
SQLRETURN SQL_API SQLProcedures(SQLHSTMT stmt, SQLCHAR* catalog, SQLSMALLINT catalog_length, SQLCHAR* schema,
                                SQLSMALLINT schema_length, SQLCHAR* procedure, SQLSMALLINT procedure_length) {
    return api::procedures(stmt, catalog, catalog_length, schema, schema_length, procedure, procedure_length);
}
SQLRETURN SQL_API SQLProceduresW(SQLHSTMT stmt, SQLWCHAR* catalog, SQLSMALLINT catalog_length, SQLWCHAR* schema,
                                 SQLSMALLINT schema_length, SQLWCHAR* procedure, SQLSMALLINT procedure_length) {
    return api::procedures(stmt, catalog, catalog_length, schema, schema_length, procedure, procedure_length);
}
SQLRETURN SQL_API SQLTablePrivileges(SQLHSTMT stmt, SQLCHAR* catalog, SQLSMALLINT catalog_length, SQLCHAR* schema,
                                     SQLSMALLINT schema_length, SQLCHAR* table, SQLSMALLINT table_length) {
    return api::table_privileges(stmt, catalog, catalog_length, schema, schema_length, table, table_length);
}
SQLRETURN SQL_API SQLTablePrivilegesW(SQLHSTMT stmt, SQLWCHAR* catalog, SQLSMALLINT catalog_length, SQLWCHAR* schema,
                                      SQLSMALLINT schema_length, SQLWCHAR* table, SQLSMALLINT table_length) {
    return api::table_privileges(stmt, catalog, catalog_length, schema, schema_length, table, table_length);
}
SQLRETURN SQL_API SQLForeignKeys(SQLHSTMT stmt, SQLCHAR* pk_catalog, SQLSMALLINT pk_catalog_length, SQLCHAR* pk_schema,
                                 SQLSMALLINT pk_schema_length, SQLCHAR* pk_table, SQLSMALLINT pk_table_length,
                                 SQLCHAR* fk_catalog, SQLSMALLINT fk_catalog_length, SQLCHAR* fk_schema,
                                 SQLSMALLINT fk_schema_length, SQLCHAR* fk_table, SQLSMALLINT fk_table_length) {
    return api::foreign_keys(stmt, pk_catalog, pk_catalog_length, pk_schema, pk_schema_length, pk_table,
                             pk_table_length, fk_catalog, fk_catalog_length, fk_schema, fk_schema_length, fk_table,
                             fk_table_length);
}
SQLRETURN SQL_API SQLForeignKeysW(SQLHSTMT stmt, SQLWCHAR* pk_catalog, SQLSMALLINT pk_catalog_length,
                                  SQLWCHAR* pk_schema, SQLSMALLINT pk_schema_length, SQLWCHAR* pk_table,
                                  SQLSMALLINT pk_table_length, SQLWCHAR* fk_catalog, SQLSMALLINT fk_catalog_length,
                                  SQLWCHAR* fk_schema, SQLSMALLINT fk_schema_length, SQLWCHAR* fk_table,
                                  SQLSMALLINT fk_table_length) {
    return api::foreign_keys(stmt, pk_catalog, pk_catalog_length, pk_schema, pk_schema_length, pk_table,
                             pk_table_length, fk_catalog, fk_catalog_length, fk_schema, fk_schema_length, fk_table,
                             fk_table_length);
}
SQLRETURN SQL_API SQLStatistics(SQLHSTMT stmt, SQLCHAR* catalog, SQLSMALLINT catalog_length, SQLCHAR* schema,
                                SQLSMALLINT schema_length, SQLCHAR* table, SQLSMALLINT table_length,
                                SQLUSMALLINT unique, SQLUSMALLINT reserved) {
    return api::statistics(stmt, catalog, catalog_length, schema, schema_length, table, table_length, unique,
                           reserved);
}
SQLRETURN SQL_API SQLStatisticsW(SQLHSTMT stmt, SQLWCHAR* catalog, SQLSMALLINT catalog_length, SQLWCHAR* schema,
                                 SQLSMALLINT schema_length, SQLWCHAR* table, SQLSMALLINT table_length,
                                 SQLUSMALLINT unique, SQLUSMALLINT reserved) {
    return api::statistics(stmt, catalog, catalog_length, schema, schema_length, table, table_length, unique,
                           reserved);
}
SQLRETURN SQL_API SQLSpecialColumns(SQLHSTMT stmt, SQLUSMALLINT identifier, SQLCHAR* catalog,
                                    SQLSMALLINT catalog_length, SQLCHAR* schema, SQLSMALLINT schema_length,
                                    SQLCHAR* table, SQLSMALLINT table_length, SQLUSMALLINT scope,
                                    SQLUSMALLINT nullable) {
    return api::special_columns(stmt, identifier, catalog, catalog_length, schema, schema_length, table, table_length,
                                scope, nullable);
}
SQLRETURN SQL_API SQLSpecialColumnsW(SQLHSTMT stmt, SQLUSMALLINT identifier, SQLWCHAR* catalog,
                                     SQLSMALLINT catalog_length, SQLWCHAR* schema, SQLSMALLINT schema_length,
                                     SQLWCHAR* table, SQLSMALLINT table_length, SQLUSMALLINT scope,
                                     SQLUSMALLINT nullable) {
    return api::special_columns(stmt, identifier, catalog, catalog_length, schema, schema_length, table, table_length,
                                scope, nullable);
}
SQLRETURN SQL_API SQLGetTypeInfo(SQLHSTMT stmt, SQLSMALLINT type) { return api::get_type_info<SQLCHAR>(stmt, type); }
SQLRETURN SQL_API SQLGetTypeInfoW(SQLHSTMT stmt, SQLSMALLINT type) { return api::get_type_info<SQLWCHAR>(stmt, type); }

// Descriptors
SQLRETURN SQL_API SQLGetDescField(SQLHDESC desc, SQLSMALLINT record, SQLSMALLINT field, SQLPOINTER value,
                                  SQLINTEGER capacity, SQLINTEGER* length) {
    return api::get_desc_field<SQLCHAR>(desc, record, field, value, capacity, length);
}
SQLRETURN SQL_API SQLGetDescFieldW(SQLHDESC desc, SQLSMALLINT record, SQLSMALLINT field, SQLPOINTER value,
                                   SQLINTEGER capacity, SQLINTEGER* length) {
    return api::get_desc_field<SQLWCHAR>(desc, record, field, value, capacity, length);
}
SQLRETURN SQL_API SQLSetDescField(SQLHDESC desc, SQLSMALLINT record, SQLSMALLINT field, SQLPOINTER value,
                                  SQLINTEGER length) {
    return api::set_desc_field<SQLCHAR>(desc, record, field, value, length);
}
SQLRETURN SQL_API SQLSetDescFieldW(SQLHDESC desc, SQLSMALLINT record, SQLSMALLINT field, SQLPOINTER value,
                                   SQLINTEGER length) {
    return api::set_desc_field<SQLWCHAR>(desc, record, field, value, length);
}
SQLRETURN SQL_API SQLGetDescRec(SQLHDESC desc, SQLSMALLINT record, SQLCHAR* name, SQLSMALLINT capacity,
                                SQLSMALLINT* length, SQLSMALLINT* type, SQLSMALLINT* subtype, SQLLEN* octet_length,
                                SQLSMALLINT* precision, SQLSMALLINT* scale, SQLSMALLINT* nullable) {
    return api::get_desc_rec(desc, record, name, capacity, length, type, subtype, octet_length, precision, scale,
                             nullable);
}
SQLRETURN SQL_API SQLGetDescRecW(SQLHDESC desc, SQLSMALLINT record, SQLWCHAR* name, SQLSMALLINT capacity,
                                 SQLSMALLINT* length, SQLSMALLINT* type, SQLSMALLINT* subtype, SQLLEN* octet_length,
                                 SQLSMALLINT* precision, SQLSMALLINT* scale, SQLSMALLINT* nullable) {
    return api::get_desc_rec(desc, record, name, capacity, length, type, subtype, octet_length, precision, scale,
                             nullable);
}
SQLRETURN SQL_API SQLSetDescRec(SQLHDESC desc, SQLSMALLINT record, SQLSMALLINT type, SQLSMALLINT subtype,
                                SQLLEN length, SQLSMALLINT precision, SQLSMALLINT scale, SQLPOINTER data,
                                SQLLEN* string_length, SQLLEN* indicator) {
    return api::set_desc_rec(desc, record, type, subtype, length, precision, scale, data, string_length, indicator);
}
SQLRETURN SQL_API SQLCopyDesc(SQLHDESC source, SQLHDESC target) { return api::copy_desc(source, target); }

// Diagnostics
SQLRETURN SQL_API SQLGetDiagRec(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT record, SQLCHAR* sqlstate,
                                SQLINTEGER* native, SQLCHAR* message, SQLSMALLINT capacity, SQLSMALLINT* length) {
    return api::get_diag_rec(type, handle, record, sqlstate, native, message, capacity, length);
}
SQLRETURN SQL_API SQLGetDiagRecW(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT record, SQLWCHAR* sqlstate,
                                 SQLINTEGER* native, SQLWCHAR* message, SQLSMALLINT capacity, SQLSMALLINT* length) {
    return api::get_diag_rec(type, handle, record, sqlstate, native, message, capacity, length);
}
SQLRETURN SQL_API SQLGetDiagField(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT record, SQLSMALLINT field,
                                  SQLPOINTER value, SQLSMALLINT capacity, SQLSMALLINT* length) {
    return api::get_diag_field<SQLCHAR>(type, handle, record, field, value, capacity, length);
}
SQLRETURN SQL_API SQLGetDiagFieldW(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT record, SQLSMALLINT field,
                                   SQLPOINTER value, SQLSMALLINT capacity, SQLSMALLINT* length) {
    return api::get_diag_field<SQLWCHAR>(type, handle, record, field, value, capacity, length);
}
SQLRETURN SQL_API SQLError(SQLHENV env, SQLHDBC dbc, SQLHSTMT stmt, SQLCHAR* sqlstate, SQLINTEGER* native,
                           SQLCHAR* message, SQLSMALLINT capacity, SQLSMALLINT* length) {
    return api::error(env, dbc, stmt, sqlstate, native, message, capacity, length);
}
SQLRETURN SQL_API SQLErrorW(SQLHENV env, SQLHDBC dbc, SQLHSTMT stmt, SQLWCHAR* sqlstate, SQLINTEGER* native,
                            SQLWCHAR* message, SQLSMALLINT capacity, SQLSMALLINT* length) {
    return api::error(env, dbc, stmt, sqlstate, native, message, capacity, length);
}
