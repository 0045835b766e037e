// Serving a statement's results from captured ResultSets: the cursor, the bound columns and
// SQLGetData in pieces. A miss and (later) a cache hit go through this same code.
#pragma once

#include <deque>
#include <memory>
#include <vector>

#include "driver/bindings.hpp"
#include "driver/capture.hpp"
#include "driver/conversions.hpp"
#include "driver/result_set.hpp"

namespace cachalot::driver {

class Replay {
public:
    // `results` are the statement's results in order. When the last one is incomplete,
    // `source` still reads the rest from the target, `chunk_bytes` at a time.
    Replay(TargetFamily family, std::deque<ResultSet> results, std::unique_ptr<Capture> source, std::size_t chunk_bytes);

    const ResultSet& result() const { return results_.front(); }
    const Column* column(SQLUSMALLINT number) const;

    // SQLFetch, SQLFetchScroll and SQLExtendedFetch: the rowset `orientation` and `offset`
    // name (scrolling needs the whole result in memory).
    SQLRETURN fetch(Handle& handle, const RowBindings& bindings, SQLSMALLINT orientation, SQLLEN offset,
                    SQLULEN rowset_size, SQLULEN* rows_fetched, SQLUSMALLINT* row_status);
    SQLRETURN get_data(Handle& handle, SQLUSMALLINT column, SQLSMALLINT c_type, SQLPOINTER buffer, SQLLEN capacity,
                       SQLLEN* indicator);
    // The next result (SQL_NO_DATA when there is none), with its execution's code and records.
    SQLRETURN more_results(Handle& handle);
    // SQL_ATTR_ROW_NUMBER: the current row counted from 1, 0 when not on a row.
    SQLULEN row_number() const { return positioned_ ? rows_before_ + current_row_ + 1 : 0; }

private:
    // Where a scrolling fetch starts in the rows held; false when it leaves the result.
    bool scroll_start(SQLSMALLINT orientation, SQLLEN offset, SQLULEN rowset_size, std::size_t& start) const;
    void report(Handle& handle, const Outcome& outcome) const;
    // `warned`: set by a warning that leaves the row status alone (psqlODBC's truncation).
    SQLUSMALLINT deliver_row(Handle& handle, const RowBindings& bindings, std::size_t row, std::size_t index,
                             bool& warned);

    TargetFamily family_;
    std::deque<ResultSet> results_;
    std::unique_ptr<Capture> source_;
    std::size_t chunk_bytes_;
    std::size_t next_row_ = 0;     // in the rows held, the first of the next rowset
    std::size_t current_row_ = 0;  // in the rows held, the first of the current rowset
    std::size_t rows_before_ = 0;  // rows of this result dropped from memory before the ones held
    bool positioned_ = false;
    std::vector<Piece> pieces_;
};

}  // namespace cachalot::driver
