// A second ODBC application for the cross-process tests: connects with the connection string
// in argv[1], then runs each line of its input and answers on standard output:
//   SQL        the rows ("a|b", NULL as \N), then "=hit", "=miss" or "=error SQLSTATE"
//   !autocommit on|off, !commit, !rollback    then "=ok" or "=error SQLSTATE"
//   !stats     the DSN's counters (SQL_ATTR_CACHALOT_STATS) as JSON, then "=ok"
#include <sql.h>
#include <sqlext.h>

#include <iostream>
#include <string>

#include "driver/cachalot_odbc.h"

namespace {

std::string state_of(SQLSMALLINT type, SQLHANDLE handle) {
    SQLCHAR state[6] = {};
    SQLINTEGER native = 0;
    SQLSMALLINT length = 0;
    SQLCHAR message[512];
    SQLGetDiagRec(type, handle, 1, state, &native, message, sizeof message, &length);
    return "=error " + std::string(reinterpret_cast<char*>(state));
}

std::string run(SQLHSTMT stmt, const std::string& sql) {
    if (!SQL_SUCCEEDED(SQLExecDirect(stmt, (SQLCHAR*)sql.c_str(), SQL_NTS))) {
        std::string error = state_of(SQL_HANDLE_STMT, stmt);
        SQLFreeStmt(stmt, SQL_CLOSE);
        return error;
    }
    std::string out;
    SQLSMALLINT columns = 0;
    SQLNumResultCols(stmt, &columns);
    while (columns > 0 && SQL_SUCCEEDED(SQLFetch(stmt))) {
        for (SQLSMALLINT i = 1; i <= columns; ++i) {
            char value[1024];
            SQLLEN length = 0;
            SQLGetData(stmt, static_cast<SQLUSMALLINT>(i), SQL_C_CHAR, value, sizeof value, &length);
            out += (i > 1 ? "|" : "") + (length == SQL_NULL_DATA ? std::string("\\N") : std::string(value));
        }
        out += '\n';
    }
    SQLULEN hit = 0;
    SQLGetStmtAttr(stmt, SQL_ATTR_CACHALOT_HIT, &hit, 0, nullptr);
    SQLFreeStmt(stmt, SQL_CLOSE);
    return out + (hit ? "=hit" : "=miss");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: sql_client CONNECTION-STRING < commands\n";
        return 2;
    }
    SQLHENV env;
    SQLHDBC dbc;
    SQLHSTMT stmt;
    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
    SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
    SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
    if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, nullptr, (SQLCHAR*)argv[1], SQL_NTS, nullptr, 0, nullptr, SQL_DRIVER_NOPROMPT))) {
        std::cout << state_of(SQL_HANDLE_DBC, dbc) << std::endl;
        return 1;
    }
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt);
    for (std::string line; std::getline(std::cin, line);) {
        SQLRETURN rc = SQL_SUCCESS;
        if (line == "!autocommit on" || line == "!autocommit off")
            rc = SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT,
                                   reinterpret_cast<SQLPOINTER>(line == "!autocommit on" ? SQL_AUTOCOMMIT_ON : SQL_AUTOCOMMIT_OFF), 0);
        else if (line == "!commit" || line == "!rollback")
            rc = SQLEndTran(SQL_HANDLE_DBC, dbc, line == "!commit" ? SQL_COMMIT : SQL_ROLLBACK);
        else if (line == "!stats") {
            char json[4096] = {};
            SQLINTEGER length = 0;
            rc = SQLGetConnectAttr(dbc, SQL_ATTR_CACHALOT_STATS, json, sizeof json, &length);
            std::cout << json << '\n';
        } else {
            std::cout << run(stmt, line) << std::endl;
            continue;
        }
        std::cout << (SQL_SUCCEEDED(rc) ? std::string("=ok") : state_of(SQL_HANDLE_DBC, dbc)) << std::endl;
    }
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    return 0;
}
