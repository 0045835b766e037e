// Catalog functions: forwarded, with their name and pattern arguments converted when the
// target lacks the variant called.
#include "driver/api.hpp"
#include "driver/api_support.hpp"

namespace cachalot::driver::api {

template <class C>
SQLRETURN tables(SQLHSTMT hstmt, C* catalog, SQLSMALLINT catalog_length, C* schema, SQLSMALLINT schema_length,
                 C* table, SQLSMALLINT table_length, C* types, SQLSMALLINT types_length) {
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLTables, &TargetApi::SQLTablesW,
                                         text(catalog, catalog_length), text(schema, schema_length),
                                         text(table, table_length), text(types, types_length));
}

template <class C>
SQLRETURN columns(SQLHSTMT hstmt, C* catalog, SQLSMALLINT catalog_length, C* schema, SQLSMALLINT schema_length,
                  C* table, SQLSMALLINT table_length, C* column, SQLSMALLINT column_length) {
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLColumns, &TargetApi::SQLColumnsW,
                                         text(catalog, catalog_length), text(schema, schema_length),
                                         text(table, table_length), text(column, column_length));
}

template <class C>
SQLRETURN column_privileges(SQLHSTMT hstmt, C* catalog, SQLSMALLINT catalog_length, C* schema,
                            SQLSMALLINT schema_length, C* table, SQLSMALLINT table_length, C* column,
                            SQLSMALLINT column_length) {
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLColumnPrivileges, &TargetApi::SQLColumnPrivilegesW,
                                         text(catalog, catalog_length), text(schema, schema_length),
                                         text(table, table_length), text(column, column_length));
}

template <class C>
SQLRETURN procedure_columns(SQLHSTMT hstmt, C* catalog, SQLSMALLINT catalog_length, C* schema,
                            SQLSMALLINT schema_length, C* procedure, SQLSMALLINT procedure_length, C* column,
                            SQLSMALLINT column_length) {
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLProcedureColumns, &TargetApi::SQLProcedureColumnsW,
                                         text(catalog, catalog_length), text(schema, schema_length),
                                         text(procedure, procedure_length), text(column, column_length));
}

template <class C>
SQLRETURN primary_keys(SQLHSTMT hstmt, C* catalog, SQLSMALLINT catalog_length, C* schema, SQLSMALLINT schema_length,
                       C* table, SQLSMALLINT table_length) {
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLPrimaryKeys, &TargetApi::SQLPrimaryKeysW,
                                         text(catalog, catalog_length), text(schema, schema_length),
                                         text(table, table_length));
}

template <class C>
SQLRETURN procedures(SQLHSTMT hstmt, C* catalog, SQLSMALLINT catalog_length, C* schema, SQLSMALLINT schema_length,
                     C* procedure, SQLSMALLINT procedure_length) {
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLProcedures, &TargetApi::SQLProceduresW,
                                         text(catalog, catalog_length), text(schema, schema_length),
                                         text(procedure, procedure_length));
}

template <class C>
SQLRETURN table_privileges(SQLHSTMT hstmt, C* catalog, SQLSMALLINT catalog_length, C* schema,
                           SQLSMALLINT schema_length, C* table, SQLSMALLINT table_length) {
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLTablePrivileges, &TargetApi::SQLTablePrivilegesW,
                                         text(catalog, catalog_length), text(schema, schema_length),
                                         text(table, table_length));
}

template <class C>
SQLRETURN foreign_keys(SQLHSTMT hstmt, C* pk_catalog, SQLSMALLINT pk_catalog_length, C* pk_schema,
                       SQLSMALLINT pk_schema_length, C* pk_table, SQLSMALLINT pk_table_length, C* fk_catalog,
                       SQLSMALLINT fk_catalog_length, C* fk_schema, SQLSMALLINT fk_schema_length, C* fk_table,
                       SQLSMALLINT fk_table_length) {
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLForeignKeys, &TargetApi::SQLForeignKeysW,
                                         text(pk_catalog, pk_catalog_length), text(pk_schema, pk_schema_length),
                                         text(pk_table, pk_table_length), text(fk_catalog, fk_catalog_length),
                                         text(fk_schema, fk_schema_length), text(fk_table, fk_table_length));
}

template <class C>
SQLRETURN statistics(SQLHSTMT hstmt, C* catalog, SQLSMALLINT catalog_length, C* schema, SQLSMALLINT schema_length,
                     C* table, SQLSMALLINT table_length, SQLUSMALLINT unique, SQLUSMALLINT reserved) {
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLStatistics, &TargetApi::SQLStatisticsW,
                                         text(catalog, catalog_length), text(schema, schema_length),
                                         text(table, table_length), unique, reserved);
}

template <class C>
SQLRETURN special_columns(SQLHSTMT hstmt, SQLUSMALLINT identifier, C* catalog, SQLSMALLINT catalog_length,
                          C* schema, SQLSMALLINT schema_length, C* table, SQLSMALLINT table_length,
                          SQLUSMALLINT scope, SQLUSMALLINT nullable) {
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLSpecialColumns, &TargetApi::SQLSpecialColumnsW,
                                         identifier, text(catalog, catalog_length), text(schema, schema_length),
                                         text(table, table_length), scope, nullable);
}

template <class C>
SQLRETURN get_type_info(SQLHSTMT hstmt, SQLSMALLINT type) {
    return forward_with_strings<C, Stmt>(hstmt, &TargetApi::SQLGetTypeInfo, &TargetApi::SQLGetTypeInfoW, type);
}

CACHALOT_INSTANTIATE_BOTH(tables)
CACHALOT_INSTANTIATE_BOTH(columns)
CACHALOT_INSTANTIATE_BOTH(column_privileges)
CACHALOT_INSTANTIATE_BOTH(procedure_columns)
CACHALOT_INSTANTIATE_BOTH(primary_keys)
CACHALOT_INSTANTIATE_BOTH(procedures)
CACHALOT_INSTANTIATE_BOTH(table_privileges)
CACHALOT_INSTANTIATE_BOTH(foreign_keys)
CACHALOT_INSTANTIATE_BOTH(statistics)
CACHALOT_INSTANTIATE_BOTH(special_columns)
CACHALOT_INSTANTIATE_BOTH(get_type_info)

}  // namespace cachalot::driver::api
