// SQL -> C conversions of captured values (ODBC Appendix D), as the target driver does them:
// each C type is one small function over the value's captured text or bytes.
#pragma once

#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "driver/result_set.hpp"

namespace cachalot::driver {

// The target drivers whose conversions the shim reproduces. Results of other drivers are
// never captured: the shim cannot promise their bytes.
enum class TargetFamily : std::uint8_t { psqlodbc, psqlodbc_ansi, sqliteodbc };

// Where a value goes: an application buffer of `capacity` bytes and its length/indicator.
struct Destination {
    SQLSMALLINT c_type;
    SQLPOINTER buffer;
    SQLLEN capacity;
    SQLLEN* indicator;
};

// How far SQLGetData got through a value read in pieces.
struct Piece {
    std::size_t offset = 0;  // bytes of the rendering already handed out
    bool finished = false;
    bool started = false;       // psqlODBC: a piece went out, if only a terminator
    bool said_no_data = false;  // psqlODBC: the last call on the value returned SQL_NO_DATA
};

// The bytes of the terminator a character C type (SQL_C_CHAR, SQL_C_WCHAR, SQL_C_BINARY) ends with.
inline std::size_t terminator_of(SQLSMALLINT c_type) {
    return c_type == SQL_C_BINARY ? 0 : c_type == SQL_C_WCHAR ? sizeof(SQLWCHAR) : 1;
}

// A conversion's return code and, when it has one, the diagnostic the target words for it.
struct Outcome {
    SQLRETURN rc = SQL_SUCCESS;
    const char* sqlstate = nullptr;
    const char* message = nullptr;  // exactly as the application reads it from the target
    SQLINTEGER native = 0;
};

// The C type SQL_C_DEFAULT means for a column, as the target decides it.
SQLSMALLINT default_c_type(TargetFamily family, const Column& column);
// The size of a fixed-length C type; 0 for character and binary types.
SQLLEN fixed_size(SQLSMALLINT c_type);

// Converts one value (null: SQL NULL) into `to`. `piece` is the SQLGetData state of the
// column, null for bound columns (which always get the value from its start).
Outcome deliver(TargetFamily family, const Column& column, bool null, std::string_view value, const Destination& to,
                Piece* piece);

}  // namespace cachalot::driver
