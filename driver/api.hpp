// The shim's implementation of each ODBC function. The exported SQL* entry points (entry.cpp)
// only call these; functions with strings are templates on the application's character
// type (SQLCHAR for the A entry point, SQLWCHAR for W).
#pragma once

#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

namespace cachalot::driver::api {

// Handles and environment
SQLRETURN alloc_handle(SQLSMALLINT type, SQLHANDLE input, SQLHANDLE* output);
SQLRETURN free_handle(SQLSMALLINT type, SQLHANDLE handle);
SQLRETURN set_env_attr(SQLHENV env, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER length);
SQLRETURN get_env_attr(SQLHENV env, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER capacity, SQLINTEGER* length);

// Connections
template <class C>
SQLRETURN connect(SQLHDBC dbc, C* dsn, SQLSMALLINT dsn_length, C* user, SQLSMALLINT user_length, C* password,
                  SQLSMALLINT password_length);
template <class C>
SQLRETURN driver_connect(SQLHDBC dbc, SQLHWND window, C* in, SQLSMALLINT in_length, C* out, SQLSMALLINT out_capacity,
                         SQLSMALLINT* out_length, SQLUSMALLINT completion);
template <class C>
SQLRETURN browse_connect(SQLHDBC dbc, C* in, SQLSMALLINT in_length, C* out, SQLSMALLINT out_capacity,
                         SQLSMALLINT* out_length);
SQLRETURN disconnect(SQLHDBC dbc);
SQLRETURN end_tran(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT completion);
SQLRETURN get_functions(SQLHDBC dbc, SQLUSMALLINT function, SQLUSMALLINT* supported);
template <class C>
SQLRETURN set_connect_attr(SQLHDBC dbc, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER length);
template <class C>
SQLRETURN get_connect_attr(SQLHDBC dbc, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER capacity,
                           SQLINTEGER* length);
template <class C>
SQLRETURN get_info(SQLHDBC dbc, SQLUSMALLINT type, SQLPOINTER value, SQLSMALLINT capacity, SQLSMALLINT* length);
// ODBC 2 connection and statement options, answered through the ODBC 3 attribute functions.
template <class C>
SQLRETURN get_connect_option(SQLHDBC dbc, SQLUSMALLINT option, SQLPOINTER value);
template <class C>
SQLRETURN set_connect_option(SQLHDBC dbc, SQLUSMALLINT option, SQLULEN value);
template <class C>
SQLRETURN native_sql(SQLHDBC dbc, C* in, SQLINTEGER in_length, C* out, SQLINTEGER out_capacity, SQLINTEGER* out_length);

// Statements
template <class C>
SQLRETURN prepare(SQLHSTMT stmt, C* text, SQLINTEGER length);
template <class C>
SQLRETURN exec_direct(SQLHSTMT stmt, C* text, SQLINTEGER length);
SQLRETURN execute(SQLHSTMT stmt);
SQLRETURN bind_parameter(SQLHSTMT stmt, SQLUSMALLINT number, SQLSMALLINT io_type, SQLSMALLINT c_type,
                         SQLSMALLINT sql_type, SQLULEN size, SQLSMALLINT digits, SQLPOINTER value,
                         SQLLEN capacity, SQLLEN* indicator);
SQLRETURN bind_param(SQLHSTMT stmt, SQLUSMALLINT number, SQLSMALLINT c_type, SQLSMALLINT sql_type, SQLULEN size,
                     SQLSMALLINT digits, SQLPOINTER value, SQLLEN* indicator);
SQLRETURN set_param(SQLHSTMT stmt, SQLUSMALLINT number, SQLSMALLINT c_type, SQLSMALLINT sql_type, SQLULEN size,
                    SQLSMALLINT digits, SQLPOINTER value, SQLLEN* indicator);
SQLRETURN bind_col(SQLHSTMT stmt, SQLUSMALLINT column, SQLSMALLINT c_type, SQLPOINTER value, SQLLEN capacity,
                   SQLLEN* indicator);
SQLRETURN fetch(SQLHSTMT stmt);
SQLRETURN fetch_scroll(SQLHSTMT stmt, SQLSMALLINT orientation, SQLLEN offset);
SQLRETURN extended_fetch(SQLHSTMT stmt, SQLUSMALLINT orientation, SQLLEN offset, SQLULEN* row_count,
                         SQLUSMALLINT* row_status);
SQLRETURN get_data(SQLHSTMT stmt, SQLUSMALLINT column, SQLSMALLINT c_type, SQLPOINTER value, SQLLEN capacity,
                   SQLLEN* indicator);
SQLRETURN put_data(SQLHSTMT stmt, SQLPOINTER data, SQLLEN length);
SQLRETURN param_data(SQLHSTMT stmt, SQLPOINTER* value);
SQLRETURN num_result_cols(SQLHSTMT stmt, SQLSMALLINT* count);
SQLRETURN num_params(SQLHSTMT stmt, SQLSMALLINT* count);
template <class C>
SQLRETURN describe_col(SQLHSTMT stmt, SQLUSMALLINT column, C* name, SQLSMALLINT capacity, SQLSMALLINT* length,
                       SQLSMALLINT* type, SQLULEN* size, SQLSMALLINT* digits, SQLSMALLINT* nullable);
SQLRETURN describe_param(SQLHSTMT stmt, SQLUSMALLINT number, SQLSMALLINT* type, SQLULEN* size,
                         SQLSMALLINT* digits, SQLSMALLINT* nullable);
template <class C>
SQLRETURN col_attribute(SQLHSTMT stmt, SQLUSMALLINT column, SQLUSMALLINT field, SQLPOINTER value,
                        SQLSMALLINT capacity, SQLSMALLINT* length, SQLLEN* numeric);
template <class C>
SQLRETURN col_attributes(SQLHSTMT stmt, SQLUSMALLINT column, SQLUSMALLINT field, SQLPOINTER value,
                         SQLSMALLINT capacity, SQLSMALLINT* length, SQLLEN* numeric);
SQLRETURN row_count(SQLHSTMT stmt, SQLLEN* count);
SQLRETURN more_results(SQLHSTMT stmt);
SQLRETURN close_cursor(SQLHSTMT stmt);
SQLRETURN free_stmt(SQLHSTMT stmt, SQLUSMALLINT option);
SQLRETURN cancel(SQLHSTMT stmt);
SQLRETURN cancel_handle(SQLSMALLINT type, SQLHANDLE handle);
SQLRETURN set_pos(SQLHSTMT stmt, SQLSETPOSIROW row, SQLUSMALLINT operation, SQLUSMALLINT lock);
SQLRETURN bulk_operations(SQLHSTMT stmt, SQLSMALLINT operation);
template <class C>
SQLRETURN set_stmt_attr(SQLHSTMT stmt, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER length);
template <class C>
SQLRETURN get_stmt_attr(SQLHSTMT stmt, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER capacity,
                        SQLINTEGER* length);
SQLRETURN get_stmt_option(SQLHSTMT stmt, SQLUSMALLINT option, SQLPOINTER value);
SQLRETURN set_stmt_option(SQLHSTMT stmt, SQLUSMALLINT option, SQLULEN value);
SQLRETURN param_options(SQLHSTMT stmt, SQLULEN rows, SQLULEN* processed);
SQLRETURN set_scroll_options(SQLHSTMT stmt, SQLUSMALLINT concurrency, SQLLEN keyset_size, SQLUSMALLINT rowset_size);
template <class C>
SQLRETURN set_cursor_name(SQLHSTMT stmt, C* name, SQLSMALLINT length);
template <class C>
SQLRETURN get_cursor_name(SQLHSTMT stmt, C* name, SQLSMALLINT capacity, SQLSMALLINT* length);

// Catalog functions
template <class C>
SQLRETURN tables(SQLHSTMT stmt, C* catalog, SQLSMALLINT catalog_length, C* schema, SQLSMALLINT schema_length,
                 C* table, SQLSMALLINT table_length, C* types, SQLSMALLINT types_length);
template <class C>
SQLRETURN columns(SQLHSTMT stmt, C* catalog, SQLSMALLINT catalog_length, C* schema, SQLSMALLINT schema_length,
                  C* table, SQLSMALLINT table_length, C* column, SQLSMALLINT column_length);
template <class C>
SQLRETURN column_privileges(SQLHSTMT stmt, C* catalog, SQLSMALLINT catalog_length, C* schema,
                            SQLSMALLINT schema_length, C* table, SQLSMALLINT table_length, C* column,
                            SQLSMALLINT column_length);
template <class C>
SQLRETURN procedure_columns(SQLHSTMT stmt, C* catalog, SQLSMALLINT catalog_length, C* schema,
                            SQLSMALLINT schema_length, C* procedure, SQLSMALLINT procedure_length, C* column,
                            SQLSMALLINT column_length);
template <class C>
SQLRETURN primary_keys(SQLHSTMT stmt, C* catalog, SQLSMALLINT catalog_length, C* schema, SQLSMALLINT schema_length,
                       C* table, SQLSMALLINT table_length);
template <class C>
SQLRETURN procedures(SQLHSTMT stmt, C* catalog, SQLSMALLINT catalog_length, C* schema, SQLSMALLINT schema_length,
                     C* procedure, SQLSMALLINT procedure_length);
template <class C>
SQLRETURN table_privileges(SQLHSTMT stmt, C* catalog, SQLSMALLINT catalog_length, C* schema,
                           SQLSMALLINT schema_length, C* table, SQLSMALLINT table_length);
template <class C>
SQLRETURN foreign_keys(SQLHSTMT stmt, C* pk_catalog, SQLSMALLINT pk_catalog_length, C* pk_schema,
                       SQLSMALLINT pk_schema_length, C* pk_table, SQLSMALLINT pk_table_length, C* fk_catalog,
                       SQLSMALLINT fk_catalog_length, C* fk_schema, SQLSMALLINT fk_schema_length, C* fk_table,
                       SQLSMALLINT fk_table_length);
template <class C>
SQLRETURN statistics(SQLHSTMT stmt, C* catalog, SQLSMALLINT catalog_length, C* schema, SQLSMALLINT schema_length,
                     C* table, SQLSMALLINT table_length, SQLUSMALLINT unique, SQLUSMALLINT reserved);
template <class C>
SQLRETURN special_columns(SQLHSTMT stmt, SQLUSMALLINT identifier, C* catalog, SQLSMALLINT catalog_length,
                          C* schema, SQLSMALLINT schema_length, C* table, SQLSMALLINT table_length,
                          SQLUSMALLINT scope, SQLUSMALLINT nullable);
template <class C>
SQLRETURN get_type_info(SQLHSTMT stmt, SQLSMALLINT type);

// Descriptors
template <class C>
SQLRETURN get_desc_field(SQLHDESC desc, SQLSMALLINT record, SQLSMALLINT field, SQLPOINTER value,
                         SQLINTEGER capacity, SQLINTEGER* length);
template <class C>
SQLRETURN set_desc_field(SQLHDESC desc, SQLSMALLINT record, SQLSMALLINT field, SQLPOINTER value, SQLINTEGER length);
template <class C>
SQLRETURN get_desc_rec(SQLHDESC desc, SQLSMALLINT record, C* name, SQLSMALLINT capacity, SQLSMALLINT* length,
                       SQLSMALLINT* type, SQLSMALLINT* subtype, SQLLEN* octet_length, SQLSMALLINT* precision,
                       SQLSMALLINT* scale, SQLSMALLINT* nullable);
SQLRETURN set_desc_rec(SQLHDESC desc, SQLSMALLINT record, SQLSMALLINT type, SQLSMALLINT subtype, SQLLEN length,
                       SQLSMALLINT precision, SQLSMALLINT scale, SQLPOINTER data, SQLLEN* string_length,
                       SQLLEN* indicator);
SQLRETURN copy_desc(SQLHDESC source, SQLHDESC target);

// Diagnostics
template <class C>
SQLRETURN get_diag_rec(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT record, C* sqlstate, SQLINTEGER* native,
                       C* message, SQLSMALLINT capacity, SQLSMALLINT* length);
template <class C>
SQLRETURN get_diag_field(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT record, SQLSMALLINT field,
                         SQLPOINTER value, SQLSMALLINT capacity, SQLSMALLINT* length);
template <class C>
SQLRETURN error(SQLHENV env, SQLHDBC dbc, SQLHSTMT stmt, C* sqlstate, SQLINTEGER* native, C* message,
                SQLSMALLINT capacity, SQLSMALLINT* length);

}  // namespace cachalot::driver::api
