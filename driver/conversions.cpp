#include "driver/conversions.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <strings.h>
#include <ctime>
#include <string>

#include "driver/unicode.hpp"

namespace cachalot::driver {

namespace {

bool is_character_type(SQLSMALLINT c_type) {
    return c_type == SQL_C_CHAR || c_type == SQL_C_WCHAR || c_type == SQL_C_BINARY;
}

// The value as a NUL-terminated C string, the form both drivers convert from.
const char* c_string(std::string_view value) {
    thread_local std::string copy;
    copy.assign(value.data(), value.size());
    return copy.c_str();
}

template <class T>
void store(const Destination& to, T value) {
    if (to.buffer) std::memcpy(to.buffer, &value, sizeof value);
    if (to.indicator) *to.indicator = sizeof value;
}

// ---- the bytes a character C type hands out, before truncation ----

// SQLite ODBC keeps a BLOB as the text X'0A1B' and decodes it for SQL_C_BINARY; any other
// cell is handed out as its text.
bool sqlite_binary(std::string_view cell, std::string& bytes) {
    if (cell.size() < 3 || (cell[0] != 'X' && cell[0] != 'x') || cell[1] != '\'' || cell.back() != '\'') {
        bytes.assign(cell);
        return true;
    }
    auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    bytes.clear();
    for (size_t i = 2; i + 1 < cell.size() - 1; i += 2) {
        int high = digit(cell[i]), low = digit(cell[i + 1]);
        if (high < 0 || low < 0) return false;
        bytes.push_back(static_cast<char>(high << 4 | low));
    }
    return true;
}

std::string hex_of(std::string_view bytes, const char* digits) {
    std::string text;
    text.reserve(bytes.size() * 2);
    for (unsigned char byte : bytes) {
        text.push_back(digits[byte >> 4]);
        text.push_back(digits[byte & 15]);
    }
    return text;
}

// SQLite ODBC's SQL_C_CHAR text of a cell: its text up to the first NUL (it measures with strlen).
std::string_view sqlite_char_text(std::string_view cell) { return cell.substr(0, cell.find('\0')); }

// The rendering of `value` for a character C type, in bytes (UTF-16 for SQL_C_WCHAR).
// False when the target would fail the conversion.
bool render(TargetFamily family, const Column& column, std::string_view value, SQLSMALLINT c_type, std::string& out) {
    std::string_view text = value;
    std::string hex;
    if (column.canonical == Canonical::binary && c_type != SQL_C_BINARY) {
        hex = hex_of(value, "0123456789abcdef");
        text = hex;
    }
    if (c_type == SQL_C_BINARY && family == TargetFamily::sqliteodbc) return sqlite_binary(value, out);
    if (c_type == SQL_C_WCHAR) {
        WideString wide = utf8_to_utf16(text);
        out.assign(reinterpret_cast<const char*>(wide.data()), wide.size() * sizeof(SQLWCHAR));
        return true;
    }
    out.assign(family == TargetFamily::sqliteodbc && c_type == SQL_C_CHAR ? sqlite_char_text(text) : text);
    return true;
}

// ---- numbers ----

// SQLite ODBC: strtol and friends with base 0, assigned with a cast; text that does not
// start a number is NULL.
template <class T, class Parse>
Outcome sqlite_number(const char* text, const Destination& to, Parse parse) {
    char* end = nullptr;
    auto parsed = parse(text, &end);
    if (end == text) {
        if (to.buffer) std::memset(to.buffer, 0, sizeof(T));
        if (to.indicator) *to.indicator = SQL_NULL_DATA;
        return {};
    }
    store<T>(to, static_cast<T>(parsed));
    return {};
}

Outcome sqlite_fixed(const char* text, const Destination& to) {
    auto as_long = [](const char* s, char** e) { return std::strtol(s, e, 0); };
    switch (to.c_type) {
    case SQL_C_TINYINT:
    case SQL_C_STINYINT:
    case SQL_C_UTINYINT: return sqlite_number<SQLCHAR>(text, to, as_long);
    case SQL_C_SHORT:
    case SQL_C_SSHORT:
    case SQL_C_USHORT: return sqlite_number<SQLSMALLINT>(text, to, as_long);
    case SQL_C_LONG:
    case SQL_C_SLONG:
    case SQL_C_ULONG: return sqlite_number<SQLINTEGER>(text, to, as_long);
    case SQL_C_SBIGINT: return sqlite_number<SQLBIGINT>(text, to, [](const char* s, char** e) { return std::strtoll(s, e, 0); });
    case SQL_C_UBIGINT: return sqlite_number<SQLUBIGINT>(text, to, [](const char* s, char** e) { return std::strtoull(s, e, 0); });
    case SQL_C_FLOAT: return sqlite_number<float>(text, to, [](const char* s, char** e) { return std::strtod(s, e); });
    case SQL_C_DOUBLE: return sqlite_number<double>(text, to, [](const char* s, char** e) { return std::strtod(s, e); });
    case SQL_C_BIT: store<SQLCHAR>(to, text[0] && std::strchr("Yy123456789Tt", text[0]) ? 1 : 0); return {};
    default: return {SQL_ERROR};
    }
}

// ---- dates and times, as SQLite ODBC reads them ----

int days_in_month(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
    return days[month - 1];
}

// Reads up to `max` digits; false when there is none.
bool digits(const char*& p, int max, int& value) {
    value = 0;
    int n = 0;
    while (n < max && *p >= '0' && *p <= '9') value = value * 10 + (*p++ - '0'), ++n;
    return n > 0;
}

// On failure `date` keeps what was read so far, as the driver leaves it.
bool sqlite_date(const char* text, SQL_DATE_STRUCT& date) {
    const char* p = text;
    while (*p == ' ') ++p;
    int a, b, c;
    if (!digits(p, 4, a)) return false;
    date.year = static_cast<SQLSMALLINT>(a);
    char separator = *p;
    if (separator != '-' && separator != '/') return false;
    ++p;
    if (!digits(p, 2, b)) return false;
    date.month = static_cast<SQLUSMALLINT>(b);
    if (*p++ != separator || !digits(p, 4, c)) return false;
    int year = a, month = b, day = c;
    if (separator == '/' && (month > 12 || a <= 12)) {  // MM/DD/YYYY
        month = a, day = b, year = c;
        if (month < 1 || month > 12) return false;
    } else if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
        return false;
    }
    date = {static_cast<SQLSMALLINT>(year), static_cast<SQLUSMALLINT>(month), static_cast<SQLUSMALLINT>(day)};
    return true;
}

bool sqlite_time(const char* text, SQL_TIME_STRUCT& time) {
    const char* colon = std::strchr(text, ':');
    if (!colon) return false;
    const char* p = colon;
    while (p > text && p[-1] >= '0' && p[-1] <= '9') --p;
    int hour, minute, second = 0;
    if (!digits(p, 2, hour) || *p++ != ':' || !digits(p, 2, minute)) return false;
    if (*p == ':' && !(++p, digits(p, 2, second))) return false;
    if (std::strstr(text, "PM") || std::strstr(text, "pm")) hour = hour % 12 + 12;
    if (hour > 23 || minute > 59 || second > 59) return false;
    time = {static_cast<SQLUSMALLINT>(hour), static_cast<SQLUSMALLINT>(minute), static_cast<SQLUSMALLINT>(second)};
    return true;
}

bool sqlite_timestamp(const char* text, SQL_TIMESTAMP_STRUCT& stamp) {
    SQL_DATE_STRUCT date{};
    SQL_TIME_STRUCT time{};
    const bool has_date = sqlite_date(text, date);
    const bool has_time = sqlite_time(text, time);
    if (!has_date && !has_time) return false;
    if (!has_date) {
        std::time_t now = std::time(nullptr);
        std::tm local{};
        localtime_r(&now, &local);
        date = {static_cast<SQLSMALLINT>(local.tm_year + 1900), static_cast<SQLUSMALLINT>(local.tm_mon + 1),
                static_cast<SQLUSMALLINT>(local.tm_mday)};
    }
    SQLUINTEGER fraction = 0;
    if (has_time) {
        const char* dot = std::strchr(std::strchr(text, ':'), '.');
        if (dot) {
            SQLUINTEGER scale = 100000000;
            for (const char* p = dot + 1; *p >= '0' && *p <= '9' && scale; ++p, scale /= 10) fraction += (*p - '0') * scale;
        }
    }
    stamp = {date.year, date.month, date.day, time.hour, time.minute, time.second, fraction};
    return true;
}

Outcome sqlite_datetime(const Column& column, const char* text, const Destination& to) {
    auto null = [&] {
        if (to.indicator) *to.indicator = SQL_NULL_DATA;
        return Outcome{};
    };
    switch (to.c_type) {
    case SQL_C_TYPE_DATE:
    case SQL_C_DATE: {
        SQL_DATE_STRUCT date{};
        const bool parsed = sqlite_date(text, date);
        store(to, date);
        if (!parsed) return null();
        return {};
    }
    case SQL_C_TYPE_TIME:
    case SQL_C_TIME: {
        SQL_TIME_STRUCT time{};
        if (!sqlite_time(text, time)) return null();
        store(to, time);
        return {};
    }
    default: {
        SQL_TIMESTAMP_STRUCT stamp{};
        if (!sqlite_timestamp(text, stamp)) return null();
        // The driver keeps as many fraction digits as the column's precision (3 for TIMESTAMP).
        const int precision = column.sql_type == SQL_TYPE_TIMESTAMP ? 3 : column.sql_type == SQL_INTEGER ? 9 : 0;
        if (precision == 0) stamp.fraction = 0;
        store(to, stamp);
        return {};
    }
    }
}

// SQLite ODBC has no SQL_C_NUMERIC or SQL_C_GUID: it fails them without a diagnostic.
bool sqlite_converts(SQLSMALLINT c_type) {
    return is_character_type(c_type) || (fixed_size(c_type) && c_type != SQL_C_NUMERIC && c_type != SQL_C_GUID);
}

bool is_datetime(SQLSMALLINT c_type) {
    switch (c_type) {
    case SQL_C_TYPE_DATE: case SQL_C_DATE: case SQL_C_TYPE_TIME: case SQL_C_TIME:
    case SQL_C_TYPE_TIMESTAMP: case SQL_C_TIMESTAMP: return true;
    default: return false;
    }
}

// ---- character data in pieces ----

// Hands out the next piece of `bytes` (the rendering) into `to`, with a terminator of
// `terminator` bytes for the character types, as SQLite ODBC does it: strncpy's padding where
// it copies with strncpy (`padded`),
// the length of what is left from the current piece, and the cycle back to the start after
// SQL_NO_DATA.
Outcome sqlite_piece(std::string_view bytes, size_t terminator, bool padded, const Destination& to, Piece* piece) {
    const size_t offset = piece ? piece->offset : 0;
    const size_t remaining = bytes.size() > offset ? bytes.size() - offset : 0;
    if (piece && to.capacity == 0) {  // the whole length, wherever the pieces got to
        if (to.indicator) *to.indicator = static_cast<SQLLEN>(bytes.size());
        return {};
    }
    auto* out = static_cast<char*>(to.buffer);
    const size_t room = to.capacity > static_cast<SQLLEN>(terminator) ? static_cast<size_t>(to.capacity) - terminator : 0;
    size_t usable = room;
    if (terminator == sizeof(SQLWCHAR)) usable -= usable % sizeof(SQLWCHAR);
    if (remaining > usable) {
        if (out) {
            std::memcpy(out, bytes.data() + offset, usable);
            if (terminator) std::memset(out + usable, 0, terminator);
        }
        if (to.indicator) *to.indicator = static_cast<SQLLEN>(piece ? remaining : bytes.size());
        if (piece) piece->offset += usable;
        return {SQL_SUCCESS_WITH_INFO, "01004", "[SQLite]data right truncated", -1};
    }
    if (out) {
        // strncpy pads the rest of the buffer with zeros (not for an empty value), then the terminator
        std::memcpy(out, bytes.data() + offset, remaining);
        const size_t end = padded && !bytes.empty() ? usable : remaining;
        std::memset(out + remaining, 0, std::max(end - remaining, terminator));
    }
    if (to.indicator) *to.indicator = static_cast<SQLLEN>(remaining);
    if (piece) piece->finished = true;
    return {};
}

// The same for psqlODBC (convert_text_field_to_sql_c): no room for more than the
// terminator leaves the position where it is, and a zero-length buffer after a piece went out
// discards the rest (deliver says what a finished value answers).
Outcome psql_piece(std::string_view bytes, size_t terminator, const Destination& to, Piece* piece,
                   bool text_as_binary = false) {
    const size_t offset = piece ? piece->offset : 0;
    const size_t remaining = bytes.size() - offset;
    if (to.indicator) *to.indicator = static_cast<SQLLEN>(remaining);
    if (piece && piece->started && to.capacity == 0) {
        piece->finished = true;
        return {};
    }
    auto* out = static_cast<char*>(to.buffer);
    size_t copy = 0;
    if (static_cast<SQLLEN>(terminator) < to.capacity) {
        copy = std::min(remaining, static_cast<size_t>(to.capacity) - terminator);
        if (terminator == sizeof(SQLWCHAR)) copy -= copy % sizeof(SQLWCHAR);
    }
    if (out && to.capacity > 0) {
        std::memcpy(out, bytes.data() + offset, copy);
        std::memset(out + copy, 0, std::min<size_t>(terminator, static_cast<size_t>(to.capacity) - copy));
        // Text read as binary: psqlODBC ends the last of several pieces with a NUL in place of its last byte.
        if (text_as_binary && offset > 0 && copy == remaining && copy > 0) out[copy - 1] = 0;
    }
    if (copy < remaining || to.capacity == 0 || to.capacity < static_cast<SQLLEN>(terminator)) {
        if (piece && to.capacity > 0) {  // a zero-length buffer leaves the value where it was
            if (copy == remaining) piece->finished = true;  // an empty value is over after its warning
            piece->offset += copy;
            piece->started = true;
        }
        return {SQL_SUCCESS_WITH_INFO, "01004",
                piece ? "The buffer was too small for the GetData." : "Fetched item was truncated.", -2};
    }
    if (piece) piece->finished = true;
    return {};
}

// ---- psqlODBC's other C types: C library calls on the server's text ----

constexpr Outcome psql_unsupported{SQL_ERROR, "07006", "Received an unsupported type from Postgres.", 14};

double psql_double(const char* text) {
    if (strcasecmp(text, "NaN") == 0) return std::nan("");
    if (strcasecmp(text, "Infinity") == 0) return HUGE_VAL;
    if (strcasecmp(text, "-Infinity") == 0) return -HUGE_VAL;
    return std::atof(text);
}

// SQL_C_NUMERIC as parse_to_numeric_struct builds it: digits up to the first other
// character, precision the digits after the integer part's leading zeros, and 16
// little-endian bytes of value.
Outcome psql_numeric(const char* text, const Destination& to) {
    SQL_NUMERIC_STRUCT numeric{};
    const char* p = text;
    while (*p == ' ') ++p;
    numeric.sign = 1;
    if (*p == '-') numeric.sign = 0, ++p;
    std::string digits;
    bool after_point = false;
    for (; *p; ++p) {
        if (*p == '.' && !after_point) {
            after_point = true;
            continue;
        }
        if (*p < '0' || *p > '9') break;
        if (digits.empty() && *p == '0' && !after_point) continue;
        digits.push_back(*p);
        if (after_point) ++numeric.scale;
    }
    numeric.precision = static_cast<SQLCHAR>(digits.size());
    // value = digits as a base-256 little-endian number
    Outcome outcome;
    for (char digit : digits) {
        unsigned carry = static_cast<unsigned>(digit - '0');
        for (auto& byte : numeric.val) {
            unsigned next = byte * 10u + carry;
            byte = static_cast<SQLCHAR>(next & 0xff);
            carry = next >> 8;
        }
        if (carry) outcome = {SQL_SUCCESS_WITH_INFO, "01004", "Fetched item was truncated.", -2};
    }
    if (to.buffer) std::memcpy(to.buffer, &numeric, sizeof numeric);
    if (to.indicator) *to.indicator = 0;
    return outcome;
}

Outcome psql_guid(const char* text, const Destination& to) {
    SQLGUID guid{};
    unsigned int d1 = 0;
    unsigned short d2 = 0, d3 = 0;
    unsigned char d4[8] = {};
    if (std::sscanf(text, "%08X-%04hX-%04hX-%02hhX%02hhX-%02hhX%02hhX%02hhX%02hhX%02hhX%02hhX", &d1, &d2, &d3, &d4[0],
                    &d4[1], &d4[2], &d4[3], &d4[4], &d4[5], &d4[6], &d4[7]) < 11)
        return psql_unsupported;
    guid.Data1 = d1, guid.Data2 = d2, guid.Data3 = d3;
    std::memcpy(guid.Data4, d4, sizeof d4);
    store(to, guid);
    return {};
}

// Dates and times: parsed only from the date/time PostgreSQL types; a part that is missing
// (or a value of another type) comes from today's date and midnight.
Outcome psql_datetime(const Column& column, const char* text, const Destination& to) {
    // By the SQL type: psqlODBC names an interval "timestamp without time zone" but types it as text.
    const bool is_date = column.sql_type == SQL_TYPE_DATE || column.sql_type == SQL_DATE;
    const bool is_time = column.sql_type == SQL_TYPE_TIME || column.sql_type == SQL_TIME;
    const bool is_stamp = column.sql_type == SQL_TYPE_TIMESTAMP || column.sql_type == SQL_TIMESTAMP;
    SQL_TIMESTAMP_STRUCT stamp{};
    if (is_date) {
        int y = 0, m = 0, d = 0;
        std::sscanf(text, "%4d-%2d-%2d", &y, &m, &d);
        stamp.year = static_cast<SQLSMALLINT>(y), stamp.month = static_cast<SQLUSMALLINT>(m), stamp.day = static_cast<SQLUSMALLINT>(d);
    } else if (is_time || is_stamp) {
        int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
        const char* clock = text;
        if (is_stamp) {
            std::sscanf(text, "%d-%2d-%2d", &y, &mo, &d);
            clock = std::strchr(text, ' ');
            clock = clock ? clock + 1 : text + std::strlen(text);
        }
        std::sscanf(clock, "%2d:%2d:%2d", &h, &mi, &sec);
        SQLUINTEGER fraction = 0;
        if (const char* dot = std::strchr(clock, '.')) {
            SQLUINTEGER scale = 100000000;
            for (const char* p = dot + 1; *p >= '0' && *p <= '9' && scale; ++p, scale /= 10) fraction += (*p - '0') * scale;
        }
        stamp = {static_cast<SQLSMALLINT>(y), static_cast<SQLUSMALLINT>(mo), static_cast<SQLUSMALLINT>(d),
                 static_cast<SQLUSMALLINT>(h), static_cast<SQLUSMALLINT>(mi), static_cast<SQLUSMALLINT>(sec), fraction};
        if (std::strstr(text, " BC")) stamp.year = static_cast<SQLSMALLINT>(-stamp.year);
    }
    if (to.c_type == SQL_C_TYPE_TIME || to.c_type == SQL_C_TIME) {
        store(to, SQL_TIME_STRUCT{stamp.hour, stamp.minute, stamp.second});
        return {};
    }
    if (stamp.year == 0 || stamp.month == 0 || stamp.day == 0) {
        std::time_t now = std::time(nullptr);
        std::tm local{};
        localtime_r(&now, &local);
        if (stamp.year == 0) stamp.year = static_cast<SQLSMALLINT>(local.tm_year + 1900);
        if (stamp.month == 0) stamp.month = static_cast<SQLUSMALLINT>(local.tm_mon + 1);
        if (stamp.day == 0) stamp.day = static_cast<SQLUSMALLINT>(local.tm_mday);
    }
    if (to.c_type == SQL_C_TYPE_DATE || to.c_type == SQL_C_DATE) store(to, SQL_DATE_STRUCT{stamp.year, stamp.month, stamp.day});
    else store(to, stamp);
    return {};
}

// SQL_C_BINARY of a column that is not bytea: text types as their bytes, int4 and uuid as
// numbers (psqlODBC's bookmark and GUID forms), others not at all.
Outcome psql_binary_of(const Column& column, std::string_view value, const Destination& to, Piece* piece) {
    const std::string& type = column.type_name;
    if (type == "int4" || type == "uuid") {
        const SQLLEN size = type == "int4" ? sizeof(SQLUINTEGER) : sizeof(SQLGUID);
        if (to.capacity < size) {  // nothing fits: only the length
            if (to.indicator) *to.indicator = size;
            return {SQL_SUCCESS_WITH_INFO, "01004", "The buffer was too small for the GetData.", -2};
        }
        Outcome outcome;
        if (type == "int4") store<SQLUINTEGER>(to, static_cast<SQLUINTEGER>(std::strtoul(c_string(value), nullptr, 10)));
        else outcome = psql_guid(c_string(value), to);
        return outcome;  // read again as often as asked
    }
    if (type == "text" || type == "varchar" || type == "char" || type == "bpchar" || type == "xml")
        return psql_piece(value, 0, to, piece, true);
    return psql_unsupported;
}

// psqlODBC reads money as a number once it drops the currency sign and group separators
// ("$1,234.50"), a closing parenthesis, and turns an opening one into a minus ("($1.00)").
std::string psql_money_number(std::string_view text) {
    std::string number;
    for (char c : text)
        if (c == '(') number += '-';
        else if (c != '$' && c != ',' && c != ')') number += c;
    return number;
}

Outcome psql_fixed(const Column& column, const char* text, const Destination& to) {
    switch (to.c_type) {
    case SQL_C_TINYINT:
    case SQL_C_STINYINT: store<SQLSCHAR>(to, static_cast<SQLSCHAR>(std::atoi(text))); return {};
    case SQL_C_UTINYINT: store<SQLCHAR>(to, static_cast<SQLCHAR>(std::atoi(text))); return {};
    case SQL_C_SHORT:
    case SQL_C_SSHORT: store<SQLSMALLINT>(to, static_cast<SQLSMALLINT>(std::atoi(text))); return {};
    case SQL_C_USHORT: store<SQLUSMALLINT>(to, static_cast<SQLUSMALLINT>(std::atoi(text))); return {};
    case SQL_C_LONG:
    case SQL_C_SLONG: store<SQLINTEGER>(to, static_cast<SQLINTEGER>(std::atol(text))); return {};
    case SQL_C_ULONG: store<SQLUINTEGER>(to, static_cast<SQLUINTEGER>(std::strtoul(text, nullptr, 10))); return {};
    case SQL_C_SBIGINT: store<SQLBIGINT>(to, std::strtol(text, nullptr, 10)); return {};
    case SQL_C_UBIGINT: store<SQLUBIGINT>(to, std::strtoul(text, nullptr, 10)); return {};
    case SQL_C_FLOAT: store<float>(to, static_cast<float>(psql_double(text))); return {};
    case SQL_C_DOUBLE: store<double>(to, psql_double(text)); return {};
    case SQL_C_BIT: store<SQLCHAR>(to, static_cast<SQLCHAR>(std::atoi(text))); return {};
    case SQL_C_NUMERIC: return psql_numeric(text, to);
    case SQL_C_GUID: return psql_guid(text, to);
    default:
        if (is_datetime(to.c_type)) return psql_datetime(column, text, to);
        return psql_unsupported;
    }
}

}  // namespace

SQLLEN fixed_size(SQLSMALLINT c_type) {
    switch (c_type) {
    case SQL_C_BIT: case SQL_C_TINYINT: case SQL_C_STINYINT: case SQL_C_UTINYINT: return 1;
    case SQL_C_SHORT: case SQL_C_SSHORT: case SQL_C_USHORT: return 2;
    case SQL_C_LONG: case SQL_C_SLONG: case SQL_C_ULONG: case SQL_C_FLOAT: return 4;
    case SQL_C_SBIGINT: case SQL_C_UBIGINT: case SQL_C_DOUBLE: return 8;
    case SQL_C_TYPE_DATE: case SQL_C_DATE: case SQL_C_TYPE_TIME: case SQL_C_TIME: return 6;
    case SQL_C_TYPE_TIMESTAMP: case SQL_C_TIMESTAMP: return sizeof(SQL_TIMESTAMP_STRUCT);
    case SQL_C_NUMERIC: return sizeof(SQL_NUMERIC_STRUCT);
    case SQL_C_GUID: return sizeof(SQLGUID);
    default: return 0;
    }
}

SQLSMALLINT default_c_type(TargetFamily family, const Column& column) {
    const bool sqlite = family == TargetFamily::sqliteodbc;
    if (!sqlite) {
        // psqlODBC picks by the PostgreSQL type, whatever SQL type it describes (BI= describes
        // int8 as another type).
        const std::string& type = column.type_name;
        if (type == "int8" || type == "bigserial") return SQL_C_SBIGINT;
        if (type == "money") return SQL_C_FLOAT;
        if (type == "oid" || type == "xid") return SQL_C_ULONG;
    }
    switch (column.sql_type) {
    case SQL_INTEGER: return SQL_C_LONG;
    case SQL_TINYINT: return SQL_C_TINYINT;
    case SQL_SMALLINT: return SQL_C_SHORT;
    case SQL_REAL: return SQL_C_FLOAT;
    case SQL_FLOAT: return sqlite ? SQL_C_FLOAT : SQL_C_DOUBLE;
    case SQL_DOUBLE: return SQL_C_DOUBLE;
    case SQL_TYPE_DATE: case SQL_DATE: return SQL_C_TYPE_DATE;
    case SQL_TYPE_TIME: case SQL_TIME: return SQL_C_TYPE_TIME;
    case SQL_TYPE_TIMESTAMP: case SQL_TIMESTAMP: return SQL_C_TYPE_TIMESTAMP;
    case SQL_BINARY: case SQL_VARBINARY: case SQL_LONGVARBINARY: return SQL_C_BINARY;
    case SQL_BIT: return SQL_C_BIT;
    case SQL_BIGINT: return sqlite ? SQL_C_CHAR : SQL_C_SBIGINT;
    case SQL_GUID: return sqlite ? SQL_C_CHAR : SQL_C_GUID;
    default: return SQL_C_CHAR;
    }
}

namespace {

// A value that is not NULL as psqlODBC converts it.
Outcome psql_value(TargetFamily family, const Column& column, std::string_view value, const Destination& to, Piece* piece) {
    if (family == TargetFamily::psqlodbc_ansi && to.c_type == SQL_C_WCHAR) return psql_unsupported;
    if (to.c_type == SQL_C_BINARY && column.canonical == Canonical::text) return psql_binary_of(column, value, to, piece);
    if (is_character_type(to.c_type)) {
        // Text read as text is delivered as held (the common case: no copy on the hit path).
        if (to.c_type == SQL_C_CHAR && column.canonical == Canonical::text) return psql_piece(value, terminator_of(SQL_C_CHAR), to, piece);
        thread_local std::string bytes;
        render(family, column, value, to.c_type, bytes);
        return psql_piece(bytes, terminator_of(to.c_type), to, piece);
    }
    // Other C types convert the server's text, for bytea its \x form, for money its number.
    const bool binary = column.canonical == Canonical::binary, money = column.type_name == "money";
    const std::string converted =
        binary ? "\\x" + hex_of(value, "0123456789abcdef") : money ? psql_money_number(value) : std::string();
    Outcome outcome = psql_fixed(column, binary || money ? converted.c_str() : c_string(value), to);
    if (piece && SQL_SUCCEEDED(outcome.rc)) piece->finished = true;
    return outcome;
}

}  // namespace

Outcome deliver(TargetFamily family, const Column& column, bool null, std::string_view value, const Destination& to,
                Piece* piece) {
    const bool sqlite = family == TargetFamily::sqliteodbc;
    const bool character = is_character_type(to.c_type);
    if (piece && !sqlite) {
        // psqlODBC (copy_and_convert_field's data_left): a finished value says SQL_NO_DATA once,
        // then again while the buffer has room, and is read anew into a zero-length one.
        if (piece->said_no_data) {
            if (to.buffer && to.capacity > 0) return {SQL_NO_DATA};
            *piece = Piece{};
        } else if (piece->finished) {
            *piece = Piece{};
            piece->said_no_data = true;
            return {SQL_NO_DATA};
        }
    } else if (piece && piece->finished && to.capacity > 0) {
        // SQLite ODBC says SQL_NO_DATA with an empty value, then starts the value over.
        *piece = Piece{};
        if (to.indicator) *to.indicator = 0;
        if (to.buffer) std::memset(to.buffer, 0, std::min(static_cast<size_t>(to.capacity), terminator_of(to.c_type)));
        return {SQL_NO_DATA};
    }
    if (null) {
        if (sqlite) {
            if (to.indicator) *to.indicator = SQL_NULL_DATA;
            if (!sqlite_converts(to.c_type)) return {SQL_ERROR};
            if (to.buffer) {
                if (!character) std::memset(to.buffer, 0, static_cast<size_t>(fixed_size(to.c_type)));
                else if (to.capacity > 0) std::memset(to.buffer, 0, to.c_type == SQL_C_WCHAR ? sizeof(SQLWCHAR) : 1);
            }
            return {};
        }
        if (!to.indicator) return {SQL_ERROR, "HY000", "Unrecognized return value from copy_and_convert_field.", 8};
        *to.indicator = SQL_NULL_DATA;
        return {};
    }
    if (sqlite) {
        if (character) {
            // Text read as text is delivered from the held value (the common case: no copy on the hit path).
            if (to.c_type == SQL_C_CHAR && column.canonical == Canonical::text)
                return sqlite_piece(sqlite_char_text(value), terminator_of(SQL_C_CHAR), true, to, piece);
            thread_local std::string bytes;
            if (!render(family, column, value, to.c_type, bytes)) return {SQL_ERROR, "HY000", "[SQLite]conversion error", -1};
            // text goes through strncpy (as above), wide text and decoded BLOBs do not
            const bool padded = to.c_type == SQL_C_CHAR || (to.c_type == SQL_C_BINARY && bytes == value);
            return sqlite_piece(bytes, terminator_of(to.c_type), padded, to, piece);
        }
        if (!sqlite_converts(to.c_type)) return {SQL_ERROR};
        const char* text = c_string(value);
        return is_datetime(to.c_type) ? sqlite_datetime(column, text, to) : sqlite_fixed(text, to);
    }
    Outcome outcome = psql_value(family, column, value, to, piece);
    // copy_and_convert_field zeroes the indicator before it finds it cannot convert
    if (outcome.rc == SQL_ERROR && outcome.native == psql_unsupported.native && to.indicator) *to.indicator = 0;
    return outcome;
}

}  // namespace cachalot::driver
