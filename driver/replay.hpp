// Serving a statement's results from captured ResultSets: the cursor, the bound columns and
// SQLGetData in pieces. A miss and (later) a cache hit go through this same code.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "driver/bindings.hpp"
#include "driver/capture.hpp"
#include "driver/conversions.hpp"
#include "driver/result_set.hpp"

namespace cachalot::driver {

// A column number past the described ones, refused in the target's words (psqlODBC's say which
// function refused it: "Invalid column number in DescribeCol.").
DiagRecord invalid_column_record(TargetFamily family, const char* psql_message);

class Replay {
public:
    // `held`: the statement's complete results in order. `partial`, when given, is the first
    // part of the result after them, too large to hold: `source` reads the rest from the
    // target `chunk_bytes` at a time, and the results that follow it.
    Replay(TargetFamily family, std::shared_ptr<const Results> held, std::optional<ResultSet> partial = std::nullopt,
           std::unique_ptr<Capture> source = nullptr, std::size_t chunk_bytes = 0);

    const ResultSet& result() const { return index_ < held_->sets.size() ? held_->sets[index_] : live_; }
    const Column* column(SQLUSMALLINT number) const;

    // SQLFetch, SQLFetchScroll and SQLExtendedFetch: the rowset `orientation` and `offset`
    // name (scrolling needs the whole result in memory). psqlODBC scrolls only a static cursor
    // (SQL_ATTR_CURSOR_TYPE), SQLite ODBC a forward-only one too.
    SQLRETURN fetch(Handle& handle, const RowBindings& bindings, SQLSMALLINT orientation, SQLLEN offset,
                    SQLULEN rowset_size, SQLULEN* rows_fetched, SQLUSMALLINT* row_status, bool static_cursor);
    SQLRETURN get_data(Handle& handle, SQLUSMALLINT column, SQLSMALLINT c_type, SQLPOINTER buffer, SQLLEN capacity,
                       SQLLEN* indicator);
    // SQLBindCol on `column` (0: SQLFreeStmt(SQL_UNBIND), every column): both drivers then read
    // the value of the current row anew.
    void read_anew(SQLUSMALLINT column);
    // SQLSetPos(row, SQL_POSITION) as psqlODBC answers it: SQLGetData reads rowset row `row`
    // (counted from 1) from its start.
    SQLRETURN position(Handle& handle, SQLSETPOSIROW row);
    // The next result (SQL_NO_DATA when there is none), with its execution's code and records.
    SQLRETURN more_results(Handle& handle);
    // SQL_ATTR_ROW_NUMBER: the current row counted from 1, 0 when not on a row.
    SQLULEN row_number() const { return positioned_ ? rows_before_ + current_row_ + positioned_row_ + 1 : 0; }

private:
    // Where a scrolling fetch starts in the rows held; false when it leaves the result.
    bool scroll_start(SQLSMALLINT orientation, SQLLEN offset, SQLULEN rowset_size, std::size_t& start) const;
    void report(Handle& handle, const Outcome& outcome) const;
    // `warned`: set by a warning that leaves the row status alone (psqlODBC's truncation).
    SQLUSMALLINT deliver_row(Handle& handle, const RowBindings& bindings, std::size_t row, std::size_t index,
                             bool& warned);

    TargetFamily family_;
    std::shared_ptr<const Results> held_;
    std::size_t index_ = 0;  // of the current result in held_; past them, live_ is current
    ResultSet live_;         // a result read from source_, streaming
    bool live_ready_ = false;  // live_ is the result after held_ and not served yet
    std::unique_ptr<Capture> source_;
    std::size_t chunk_bytes_;
    std::size_t next_row_ = 0;     // in the rows held, the first of the next rowset
    std::size_t current_row_ = 0;  // in the rows held, the first of the current rowset
    std::size_t positioned_row_ = 0;  // in the current rowset, the row SQLGetData reads
    std::size_t rows_before_ = 0;  // rows of this result dropped from memory before the ones held
    bool positioned_ = false;
    std::vector<Piece> pieces_;
    SQLUSMALLINT last_read_column_ = 0;  // of SQLGetData: psqlODBC reads a value anew after another
};

}  // namespace cachalot::driver
