// Reading a target statement's results whole into ResultSets.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "driver/conversions.hpp"
#include "driver/result_set.hpp"
#include "driver/target_library.hpp"

namespace cachalot::driver {

// Whether a driver manager reads this target's diagnostics through SQLError (it lacks the
// W diagnostic functions): SQLite ODBC words them differently there and they are consumed.
bool diagnostics_through_sql_error(const TargetApi& api);

// The target's diagnostic records on a handle, read the way a driver manager reads them
// (through its SQLError when it lacks the W diagnostic functions) and so consumed.
std::vector<DiagRecord> read_target_diagnostics(const TargetApi& api, SQLSMALLINT type, SQLHANDLE handle);

class Capture {
public:
    // `wide_text`: read text as SQL_C_WCHAR (a Unicode target) rather than SQL_C_CHAR.
    // psqlODBC's binary columns are read as SQL_C_BINARY (SQLite ODBC's text form of a cell is
    // what it converts from, so there they are read as text).
    // `bind_columns`: rows are read through bound columns, values longer than their buffer
    // again whole with SQLGetData (which a psqlODBC fetch leaves at the value's start).
    Capture(const TargetApi& api, SQLHSTMT statement, TargetFamily family, bool wide_text, bool bind_columns)
        : api_(api), statement_(statement), family_(family), wide_text_(wide_text), bind_columns_(bind_columns) {}

    // The result the target statement is on, after an execution or SQLMoreResults that
    // returned `rc`: its metadata and rows up to `byte_limit` bytes (then `complete` is false
    // and next_rows continues).
    // `previous`: the shape of this statement's last result; reused when the target describes
    // the same columns, which spares the SQLColAttribute calls.
    ResultSet read_result(SQLRETURN rc, std::size_t byte_limit, const std::shared_ptr<const ResultShape>& previous = nullptr);
    // The next rows of an incomplete result, up to `byte_limit` bytes, after its rows from
    // `first_kept_row` on (not served yet).
    void next_rows(ResultSet& result, std::size_t first_kept_row, std::size_t byte_limit);

    // Moves the target statement to its next result; SQL_NO_DATA when there is none.
    SQLRETURN more_results() { return api_.SQLMoreResults ? api_.SQLMoreResults(statement_) : SQL_NO_DATA; }
    std::vector<DiagRecord> diagnostics() { return read_target_diagnostics(api_, SQL_HANDLE_STMT, statement_); }
    // False once a value could not be read, or was read as text the capture cannot give back
    // as the target would: in a locale that is not UTF-8, psqlODBC renders text beyond ASCII
    // for that locale as SQL_C_CHAR (or fails to convert it). Such a result is the target's to serve.
    bool servable() const { return servable_; }

private:
    Column describe(SQLUSMALLINT number);  // SQLDescribeCol
    void answer_fields(SQLUSMALLINT number, Column& column);  // SQLColAttribute
    SQLSMALLINT read_type(const Column& column) const;
    bool read_value(SQLUSMALLINT number, SQLSMALLINT c_type, std::vector<char>& buffer, Rows& rows);
    void add_value(Rows& rows, const char* bytes, std::size_t length, bool wide);
    bool bind(std::size_t columns);
    void unbind();
    void read_rows(ResultSet& result, std::size_t byte_limit);

    const TargetApi& api_;
    SQLHSTMT statement_;
    TargetFamily family_;
    bool wide_text_;
    bool bind_columns_;
    bool servable_ = true;
    std::string scratch_;
    std::vector<std::size_t> first_piece_;  // per column: the buffer size of its first SQLGetData
    std::vector<SQLSMALLINT> read_types_;   // per column: the C type its values are read as
    // While read_rows runs with bound columns: their buffers, one after another, each as long
    // as its column's first_piece_ when bound, and their lengths or indicators.
    std::vector<char> bound_;
    std::vector<std::size_t> bound_capacities_;
    std::vector<std::size_t> bound_offsets_;
    std::vector<SQLLEN> bound_lengths_;
};

}  // namespace cachalot::driver
