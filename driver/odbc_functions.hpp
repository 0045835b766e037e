// Every ODBC function a driver can export; X(name) is expanded once per function.
// The driver-manager-only SQLDataSources/SQLDrivers are not driver functions and are absent.
#pragma once

#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

#define CACHALOT_ODBC_FUNCTIONS(X)                                                              \
    X(SQLAllocConnect) X(SQLAllocEnv) X(SQLAllocHandle) X(SQLAllocStmt) X(SQLBindCol)           \
    X(SQLBindParam) X(SQLBindParameter) X(SQLBrowseConnect) X(SQLBrowseConnectW)                \
    X(SQLBulkOperations) X(SQLCancel) X(SQLCancelHandle) X(SQLCloseCursor) X(SQLColAttribute)   \
    X(SQLColAttributeW) X(SQLColAttributes) X(SQLColAttributesW) X(SQLColumnPrivileges)         \
    X(SQLColumnPrivilegesW) X(SQLColumns) X(SQLColumnsW) X(SQLConnect) X(SQLConnectW)           \
    X(SQLCopyDesc) X(SQLDescribeCol) X(SQLDescribeColW) X(SQLDescribeParam) X(SQLDisconnect)    \
    X(SQLDriverConnect) X(SQLDriverConnectW) X(SQLEndTran) X(SQLError) X(SQLErrorW)             \
    X(SQLExecDirect) X(SQLExecDirectW) X(SQLExecute) X(SQLExtendedFetch) X(SQLFetch)            \
    X(SQLFetchScroll) X(SQLForeignKeys) X(SQLForeignKeysW) X(SQLFreeConnect) X(SQLFreeEnv)      \
    X(SQLFreeHandle) X(SQLFreeStmt) X(SQLGetConnectAttr) X(SQLGetConnectAttrW)                  \
    X(SQLGetConnectOption) X(SQLGetConnectOptionW) X(SQLGetCursorName) X(SQLGetCursorNameW)     \
    X(SQLGetData) X(SQLGetDescField) X(SQLGetDescFieldW) X(SQLGetDescRec) X(SQLGetDescRecW)     \
    X(SQLGetDiagField) X(SQLGetDiagFieldW) X(SQLGetDiagRec) X(SQLGetDiagRecW) X(SQLGetEnvAttr)  \
    X(SQLGetFunctions) X(SQLGetInfo) X(SQLGetInfoW) X(SQLGetStmtAttr) X(SQLGetStmtAttrW)        \
    X(SQLGetStmtOption) X(SQLGetTypeInfo) X(SQLGetTypeInfoW) X(SQLMoreResults) X(SQLNativeSql)  \
    X(SQLNativeSqlW) X(SQLNumParams) X(SQLNumResultCols) X(SQLParamData) X(SQLParamOptions)     \
    X(SQLPrepare) X(SQLPrepareW) X(SQLPrimaryKeys) X(SQLPrimaryKeysW) X(SQLProcedureColumns)    \
    X(SQLProcedureColumnsW) X(SQLProcedures) X(SQLProceduresW) X(SQLPutData) X(SQLRowCount)     \
    X(SQLSetConnectAttr) X(SQLSetConnectAttrW) X(SQLSetConnectOption) X(SQLSetConnectOptionW)   \
    X(SQLSetCursorName) X(SQLSetCursorNameW) X(SQLSetDescField) X(SQLSetDescFieldW)             \
    X(SQLSetDescRec) X(SQLSetEnvAttr) X(SQLSetParam) X(SQLSetPos) X(SQLSetScrollOptions)        \
    X(SQLSetStmtAttr) X(SQLSetStmtAttrW) X(SQLSetStmtOption) X(SQLSpecialColumns)               \
    X(SQLSpecialColumnsW) X(SQLStatistics) X(SQLStatisticsW) X(SQLTablePrivileges)              \
    X(SQLTablePrivilegesW) X(SQLTables) X(SQLTablesW) X(SQLTransact)
