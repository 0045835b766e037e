#include "tests/odbc_harness.hpp"

#include <algorithm>
#include <cstdlib>
#include <clocale>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <type_traits>

namespace cachalot::test {

namespace {

// Like most applications, the tests run in a UTF-8 locale: unixODBC converts between A and W
// in the locale's character set, the shim in UTF-8, and in a UTF-8 locale the two agree.
const bool utf8_locale = std::setlocale(LC_ALL, "C.UTF-8") != nullptr;

std::string rc_name(SQLRETURN rc) {
    switch (rc) {
    case SQL_SUCCESS: return "SUCCESS";
    case SQL_SUCCESS_WITH_INFO: return "SUCCESS_WITH_INFO";
    case SQL_ERROR: return "ERROR";
    case SQL_INVALID_HANDLE: return "INVALID_HANDLE";
    case SQL_NO_DATA: return "NO_DATA";
    case SQL_NEED_DATA: return "NEED_DATA";
    case SQL_STILL_EXECUTING: return "STILL_EXECUTING";
    default: return std::to_string(rc);
    }
}

}  // namespace

std::string escape(const void* data, size_t size) {
    std::string out;
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) {
        if (bytes[i] >= 0x20 && bytes[i] < 0x7f && bytes[i] != '\\') {
            out += static_cast<char>(bytes[i]);
        } else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", bytes[i]);
            out += hex;
        }
    }
    return out;
}

std::string wide_to_utf8(const SQLWCHAR* text, size_t length) {
    std::string out;
    for (size_t i = 0; i < length; ++i) {
        char32_t cp = text[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < length) cp = 0x10000 + ((cp - 0xD800) << 10) + (text[++i] - 0xDC00);
        if (cp < 0x80) out += static_cast<char>(cp);
        else if (cp < 0x800) out += {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
        else if (cp < 0x10000)
            out += {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                    static_cast<char>(0x80 | (cp & 0x3F))};
        else
            out += {static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
                    static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
    }
    return out;
}

std::basic_string<SQLWCHAR> utf8_to_wide(const std::string& text) {
    std::basic_string<SQLWCHAR> out;
    for (size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
        char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
        for (int k = 1; k <= extra && i + k < text.size(); ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
        i += extra + 1;
        if (cp >= 0x10000) {
            out += static_cast<SQLWCHAR>(0xD800 + ((cp - 0x10000) >> 10));
            out += static_cast<SQLWCHAR>(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            out += static_cast<SQLWCHAR>(cp);
        }
    }
    return out;
}

// Reads every record through SQLGetDiagRec (C = SQLCHAR) or SQLGetDiagRecW (C = SQLWCHAR).
template <class C>
SQLRETURN Trace::record(const std::string& what, SQLRETURN rc, SQLSMALLINT type, SQLHANDLE handle) {
    constexpr bool wide = std::is_same_v<C, SQLWCHAR>;
    add(what + " -> " + rc_name(rc));
    if (rc == SQL_SUCCESS || rc == SQL_NO_DATA || rc == SQL_INVALID_HANDLE) return rc;
    for (SQLSMALLINT i = 1;; ++i) {
        C state[6] = {};
        SQLINTEGER native = 0;
        C message[2048] = {};
        SQLSMALLINT length = 0;
        SQLRETURN d;
        if constexpr (wide) d = SQLGetDiagRecW(type, handle, i, state, &native, message, 2048, &length);
        else d = SQLGetDiagRec(type, handle, i, state, &native, message, 2048, &length);
        if (!SQL_SUCCEEDED(d)) break;
        size_t n = 0;
        while (message[n]) ++n;
        std::string text = wide ? wide_to_utf8(reinterpret_cast<SQLWCHAR*>(message), n)
                                : std::string(reinterpret_cast<char*>(message), n);
        std::string sqlstate = wide ? wide_to_utf8(reinterpret_cast<SQLWCHAR*>(state), 5)
                                    : std::string(reinterpret_cast<char*>(state));
        add(std::string(wide ? "  diagW " : "  diag ") + std::to_string(i) + " " + sqlstate + " native=" +
            std::to_string(native) + " len=" + std::to_string(length) + " " + escape(text.data(), text.size()));
    }
    return rc;
}

SQLRETURN Trace::check(const std::string& what, SQLRETURN rc, SQLSMALLINT type, SQLHANDLE handle) {
    return record<SQLCHAR>(what, rc, type, handle);
}

SQLRETURN Trace::check_wide(const std::string& what, SQLRETURN rc, SQLSMALLINT type, SQLHANDLE handle) {
    return record<SQLWCHAR>(what, rc, type, handle);
}

std::string diagnostics(SQLSMALLINT type, SQLHANDLE handle) {
    Trace trace;
    trace.check("", SQL_ERROR, type, handle);
    std::string out;
    for (const auto& line : trace.lines()) out += line + "\n";
    return out;
}

Session::Session() {
    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
    SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
    SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
}

Session::~Session() {
    for (SQLHSTMT stmt : statements_) SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    SQLFreeHandle(SQL_HANDLE_ENV, env);
}

SQLRETURN Session::connect(const std::string& dsn) {
    return SQLConnect(dbc, (SQLCHAR*)dsn.c_str(), SQL_NTS, nullptr, 0, nullptr, 0);
}

SQLRETURN Session::driver_connect(const std::string& connection) {
    SQLCHAR out[2048];
    SQLSMALLINT length = 0;
    return SQLDriverConnect(dbc, nullptr, (SQLCHAR*)connection.c_str(), SQL_NTS, out, sizeof out, &length,
                            SQL_DRIVER_NOPROMPT);
}

SQLHSTMT Session::statement() {
    SQLHSTMT stmt = SQL_NULL_HSTMT;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt)))
        throw std::runtime_error("SQLAllocHandle(STMT) failed: " + diagnostics(SQL_HANDLE_DBC, dbc));
    statements_.push_back(stmt);
    return stmt;
}

void Session::run(const std::string& sql) {
    SQLHSTMT stmt = statement();
    SQLRETURN rc = SQLExecDirect(stmt, (SQLCHAR*)sql.c_str(), SQL_NTS);
    if (!SQL_SUCCEEDED(rc) && rc != SQL_NO_DATA)
        throw std::runtime_error("setup SQL failed: " + sql + "\n" + diagnostics(SQL_HANDLE_STMT, stmt));
    SQLFreeStmt(stmt, SQL_CLOSE);
}

namespace {

// The DSN of the run in progress (compare_runs sets it).
std::string current_dsn;

bool ansi_postgres() { return current_dsn.find("pg-ansi") != std::string::npos; }

}  // namespace

void dump_results(Trace& trace, SQLHSTMT stmt, bool wide) {
    for (int set = 1;; ++set) {
        SQLSMALLINT columns = 0;
        trace.check("NumResultCols", SQLNumResultCols(stmt, &columns), SQL_HANDLE_STMT, stmt);
        trace.add("set " + std::to_string(set) + " columns=" + std::to_string(columns));
        for (SQLUSMALLINT c = 1; c <= columns; ++c) {
            SQLSMALLINT name_length = 0, type = 0, digits = 0, nullable = 0;
            SQLULEN size = 0;
            SQLLEN display = 0, unsigned_attr = 0;
            std::string name;
            SQLRETURN rc;
            if (wide) {
                SQLWCHAR buffer[256] = {};
                rc = SQLDescribeColW(stmt, c, buffer, 256, &name_length, &type, &size, &digits, &nullable);
                name = wide_to_utf8(buffer, static_cast<size_t>(std::max<SQLSMALLINT>(0, std::min<SQLSMALLINT>(name_length, 255))));
                // unixODBC converting SQLColAttributeW for psqlodbca reads past its own buffer
                // (AddressSanitizer sees it on the direct DSN), so that pair is not asked.
                if (!ansi_postgres()) {
                    SQLWCHAR label[256] = {};
                    SQLSMALLINT label_length = 0;
                    SQLColAttributeW(stmt, c, SQL_DESC_TYPE_NAME, label, sizeof label, &label_length, nullptr);
                    name += " type_name=" + wide_to_utf8(label, static_cast<size_t>(label_length) / sizeof(SQLWCHAR));
                }
            } else {
                SQLCHAR buffer[256] = {};
                rc = SQLDescribeCol(stmt, c, buffer, sizeof buffer, &name_length, &type, &size, &digits, &nullable);
                name = reinterpret_cast<char*>(buffer);
                SQLCHAR label[256] = {};
                SQLSMALLINT label_length = 0;
                SQLColAttribute(stmt, c, SQL_DESC_TYPE_NAME, label, sizeof label, &label_length, nullptr);
                name += " type_name=" + std::string(reinterpret_cast<char*>(label));
            }
            SQLColAttribute(stmt, c, SQL_DESC_DISPLAY_SIZE, nullptr, 0, nullptr, &display);
            SQLColAttribute(stmt, c, SQL_DESC_UNSIGNED, nullptr, 0, nullptr, &unsigned_attr);
            trace.check("DescribeCol " + std::to_string(c), rc, SQL_HANDLE_STMT, stmt);
            trace.add("  " + escape(name.data(), name.size()) + " namelen=" + std::to_string(name_length) +
                      " type=" + std::to_string(type) + " size=" + std::to_string(size) + " digits=" +
                      std::to_string(digits) + " nullable=" + std::to_string(nullable) + " display=" +
                      std::to_string(display) + " unsigned=" + std::to_string(unsigned_attr));
        }
        SQLLEN rows = -2;
        trace.check("RowCount", SQLRowCount(stmt, &rows), SQL_HANDLE_STMT, stmt);
        trace.add("  rows=" + std::to_string(rows));
        if (columns > 0) {
            for (int row = 0;; ++row) {
                SQLRETURN rc = SQLFetch(stmt);
                if (rc == SQL_NO_DATA) {
                    trace.add("fetch -> NO_DATA after " + std::to_string(row));
                    break;
                }
                if (trace.check("Fetch", rc, SQL_HANDLE_STMT, stmt) == SQL_ERROR) break;
                for (SQLUSMALLINT c = 1; c <= columns; ++c) {
                    char buffer[8192];
                    SQLLEN indicator = 0;
                    SQLRETURN g = SQLGetData(stmt, c, wide ? SQL_C_WCHAR : SQL_C_CHAR, buffer, sizeof buffer, &indicator);
                    trace.check("GetData " + std::to_string(c), g, SQL_HANDLE_STMT, stmt);
                    if (!SQL_SUCCEEDED(g)) continue;
                    size_t n = indicator < 0 ? 0 : std::min<size_t>(static_cast<size_t>(indicator), sizeof buffer - 2);
                    trace.add("  ind=" + std::to_string(indicator) + " " + escape(buffer, n));
                }
            }
        }
        SQLRETURN more = SQLMoreResults(stmt);
        trace.check("MoreResults", more, SQL_HANDLE_STMT, stmt);
        if (more != SQL_SUCCESS && more != SQL_SUCCESS_WITH_INFO) break;
    }
}

std::string compare_runs(const std::string& direct_dsn, const std::string& shim_dsn, const Scenario& scenario,
                         size_t* lines) {
    auto run = [&](const std::string& dsn) {
        current_dsn = dsn;
        Trace trace;
        Session session;
        const SQLRETURN rc = dsn.find('=') == std::string::npos ? session.connect(dsn) : session.driver_connect(dsn);
        if (trace.check("connect", rc, SQL_HANDLE_DBC, session.dbc) == SQL_ERROR) return trace;
        scenario(session, trace, dsn);
        return trace;
    };
    Trace direct = run(direct_dsn);
    Trace shim = run(shim_dsn);
    if (lines) *lines = direct.lines().size();
    const auto& a = direct.lines();
    const auto& b = shim.lines();
    for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        std::string left = i < a.size() ? a[i] : "<end>";
        std::string right = i < b.size() ? b[i] : "<end>";
        if (left != right) {
            std::ostringstream out;
            out << "line " << i + 1 << " differs\n  direct (" << direct_dsn << "): " << left << "\n  cachalot ("
                << shim_dsn << "): " << right << "\ncontext:\n";
            for (size_t k = i >= 5 ? i - 5 : 0; k < i; ++k) out << "  " << a[k] << "\n";
            return out.str();
        }
    }
    return "";
}

bool postgres_available() {
    const char* port = std::getenv("CACHALOT_TEST_PGPORT");
    return port && *port;
}

bool store_available(const std::string& store) {
    const char* port = std::getenv(store == "redis" ? "CACHALOT_TEST_REDIS_PORT" : "CACHALOT_TEST_MEMCACHED_PORT");
    return port && *port;
}

bool postgres_required() {
    const char* required = std::getenv("CACHALOT_TEST_REQUIRE_SERVERS");
    return required && std::string(required) == "1";
}

std::vector<Backend> backends() {
    return {{"sqlite", "sqlite", "sqlite-cachalot", false},
            {"pg_unicode", "pg-unicode", "pg-unicode-cachalot", true},
            {"pg_ansi", "pg-ansi", "pg-ansi-cachalot", true}};
}

std::vector<Backend> cache_backends() {
    std::vector<Backend> all = backends();
    for (std::string store : {"redis", "memcached"}) {
        all.push_back({"sqlite_" + store, "sqlite", "sqlite-cachalot-" + store, false, store});
        all.push_back({"pg_unicode_" + store, "pg-unicode", "pg-unicode-cachalot-" + store, true, store});
    }
    return all;
}

}  // namespace cachalot::test
