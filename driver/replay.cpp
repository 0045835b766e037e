#include "driver/replay.hpp"

#include <algorithm>
#include <cstring>

namespace cachalot::driver {

namespace {

// The rows-fetched count, stored as a driver stores it even where the application's pointer
// is not aligned for a SQLULEN (RODBC's is not).
void report_rows_fetched(SQLULEN* rows_fetched, SQLULEN rows) {
    if (rows_fetched) std::memcpy(rows_fetched, &rows, sizeof rows);
}

}  // namespace

Replay::Replay(TargetFamily family, std::shared_ptr<const Results> held, std::optional<ResultSet> partial,
               std::unique_ptr<Capture> source, size_t chunk_bytes)
    : family_(family), held_(std::move(held)), source_(std::move(source)), chunk_bytes_(chunk_bytes) {
    if (partial) {
        live_ = std::move(*partial);
        live_ready_ = true;
    }
    pieces_.resize(result().column_count());
}

const Column* Replay::column(SQLUSMALLINT number) const {
    if (number == 0 || number > result().column_count()) return nullptr;
    return &result().shape->columns[number - 1];
}

// Adds a conversion's diagnostic as the target words it. SQLite ODBC keeps one record per
// call, the last.
void Replay::report(Handle& handle, const Outcome& outcome) const {
    if (!outcome.sqlstate) return;
    if (family_ == TargetFamily::sqliteodbc && !handle.own_records().empty()) return;
    handle.adopt({DiagRecord{outcome.sqlstate, outcome.native, outcome.message}});
}

// Fills the bound columns of rowset row `index` with held row `row`; returns its row status.
SQLUSMALLINT Replay::deliver_row(Handle& handle, const RowBindings& bindings, size_t row, size_t index, bool& warned) {
    const ResultSet& current = result();
    const size_t offset = bindings.bind_offset ? *bindings.bind_offset : 0;
    SQLUSMALLINT status = SQL_ROW_SUCCESS;
    const size_t count = std::min(bindings.columns.size(), current.column_count());
    for (size_t i = 0; i < count; ++i) {
        const ColumnBinding& binding = bindings.columns[i];
        if (!binding.bound()) continue;
        const Column& column = current.shape->columns[i];
        const SQLSMALLINT c_type = binding.c_type == SQL_C_DEFAULT ? default_c_type(family_, column) : binding.c_type;
        const SQLLEN element = fixed_size(c_type) ? fixed_size(c_type) : binding.capacity;
        const size_t data_step = bindings.bind_type == SQL_BIND_BY_COLUMN ? static_cast<size_t>(element) : bindings.bind_type;
        const size_t length_step = bindings.bind_type == SQL_BIND_BY_COLUMN ? sizeof(SQLLEN) : bindings.bind_type;
        auto at = [&](void* base, size_t step) -> void* {
            return base ? static_cast<char*>(base) + offset + index * step : nullptr;
        };
        auto* indicator = static_cast<SQLLEN*>(at(binding.indicator, length_step));
        auto* length = static_cast<SQLLEN*>(at(binding.length, length_step));
        SQLLEN reported = 0;
        Destination to{c_type, at(binding.data, data_step), binding.capacity, indicator || length ? &reported : nullptr};
        Outcome outcome = deliver(family_, column, current.rows.is_null(row, i), current.rows.value(row, i), to, nullptr);
        // A NULL goes to the indicator; a length to the length buffer, and 0 to a separate indicator.
        if (reported == SQL_NULL_DATA) {
            if (indicator) *indicator = SQL_NULL_DATA;
        } else if (to.indicator) {
            if (length) *length = reported;
            if (indicator && indicator != length) *indicator = 0;
        }
        report(handle, outcome);
        if (outcome.rc == SQL_ERROR) status = SQL_ROW_ERROR;
        // psqlODBC reports a truncated row as SQL_ROW_SUCCESS; the warning is the call's.
        else if (outcome.rc == SQL_SUCCESS_WITH_INFO && status == SQL_ROW_SUCCESS && family_ == TargetFamily::sqliteodbc)
            status = SQL_ROW_SUCCESS_WITH_INFO;
        else if (outcome.rc == SQL_SUCCESS_WITH_INFO) warned = true;
    }
    return status;
}

bool Replay::scroll_start(SQLSMALLINT orientation, SQLLEN offset, SQLULEN rowset_size, size_t& start) const {
    const auto rows = static_cast<SQLLEN>(result().rows.row_count());
    const auto rowset = static_cast<SQLLEN>(rowset_size);
    const SQLLEN current = positioned_ ? static_cast<SQLLEN>(current_row_) : next_row_ == 0 ? -1 : rows;
    SQLLEN first;
    switch (orientation) {
    case SQL_FETCH_FIRST: first = 0; break;
    case SQL_FETCH_LAST: first = std::max<SQLLEN>(rows - rowset, 0); break;
    case SQL_FETCH_PRIOR: first = current >= rows ? std::max<SQLLEN>(rows - rowset, 0) : current <= 0 ? -1 : std::max<SQLLEN>(current - rowset, 0); break;
    case SQL_FETCH_ABSOLUTE: first = offset > 0 ? offset - 1 : offset < 0 ? rows + offset : -1; break;
    case SQL_FETCH_RELATIVE: first = current + offset; break;
    default: throw OdbcError("HY106", "Fetch type out of range");
    }
    if (first < 0 || first >= rows) return false;
    start = static_cast<size_t>(first);
    return true;
}

SQLRETURN Replay::fetch(Handle& handle, const RowBindings& bindings, SQLSMALLINT orientation, SQLLEN offset,
                        SQLULEN rowset_size, SQLULEN* rows_fetched, SQLUSMALLINT* row_status, bool static_cursor) {
    const ResultSet& current = result();
    if (!current.shape) throw OdbcError("24000", "Invalid cursor state");
    rowset_size = std::max<SQLULEN>(rowset_size, 1);
    if (orientation != SQL_FETCH_NEXT && !static_cursor && family_ != TargetFamily::sqliteodbc) {
        handle.adopt(
            {DiagRecord{"HY106", 31, "The fetch type for PGAPI_ExtendedFetch isn't allowed with ForwardOnly cursor."}});
        return SQL_ERROR;
    }
    // psqlODBC warns when a prior rowset would begin before the first row (SQLite ODBC not).
    const bool prior_cut = family_ != TargetFamily::sqliteodbc && orientation == SQL_FETCH_PRIOR && positioned_ &&
                           current_row_ > 0 && current_row_ < rowset_size;
    // Both drivers mark the whole rowset first.
    if (row_status) std::fill(row_status, row_status + rowset_size, SQLUSMALLINT{SQL_ROW_NOROW});
    if (orientation != SQL_FETCH_NEXT) {
        if (!current.complete || rows_before_) throw OdbcError("HY106", "Fetch type out of range");
        size_t start = 0;
        if (!scroll_start(orientation, offset, rowset_size, start)) {
            const bool before = orientation == SQL_FETCH_PRIOR || (orientation == SQL_FETCH_RELATIVE && offset < 0) ||
                                (orientation == SQL_FETCH_ABSOLUTE && offset <= 0);
            next_row_ = before ? 0 : current.rows.row_count();
            positioned_ = false;
            report_rows_fetched(rows_fetched, 0);
            return SQL_NO_DATA;
        }
        next_row_ = start;
    }
    if (!current.complete && next_row_ + rowset_size > current.rows.row_count()) {
        rows_before_ += next_row_;
        source_->next_rows(live_, next_row_, chunk_bytes_);  // only live_ is ever incomplete
        next_row_ = 0;
    }
    const size_t rows = std::min<size_t>(rowset_size, current.rows.row_count() - next_row_);
    std::fill(pieces_.begin(), pieces_.end(), Piece{});
    report_rows_fetched(rows_fetched, rows);
    if (rows == 0) {
        positioned_ = false;
        if (current.end_rc == SQL_NO_DATA) return SQL_NO_DATA;
        handle.adopt(current.end_diagnostics);
        return current.end_rc;
    }
    current_row_ = next_row_;
    positioned_row_ = 0;
    next_row_ += rows;
    positioned_ = true;
    size_t errors = 0, warnings = 0;
    bool warned = false;
    for (size_t i = 0; i < rowset_size; ++i) {
        SQLUSMALLINT status = i < rows ? deliver_row(handle, bindings, current_row_ + i, i, warned) : SQL_ROW_NOROW;
        errors += status == SQL_ROW_ERROR;
        warnings += status == SQL_ROW_SUCCESS_WITH_INFO;
        if (row_status) row_status[i] = status;
    }
    if (errors == rows && rows == 1) return SQL_ERROR;
    if (prior_cut) {
        handle.adopt({DiagRecord{"01S06", -3, "fetch prior from eof and before the beginning"}});
        warned = true;
    }
    return errors || warnings || warned ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS;
}

DiagRecord invalid_column_record(TargetFamily family, const char* psql_message) {
    if (family == TargetFamily::sqliteodbc) return {"07009", -1, "[SQLite]invalid column"};
    return {"07009", 13, psql_message};
}

SQLRETURN Replay::get_data(Handle& handle, SQLUSMALLINT number, SQLSMALLINT c_type, SQLPOINTER buffer,
                           SQLLEN capacity, SQLLEN* indicator) {
    const Column* column = this->column(number);
    if (!column) {
        handle.adopt({invalid_column_record(family_, "Invalid column number.")});
        return SQL_ERROR;
    }
    if (!positioned_) throw OdbcError("24000", "Invalid cursor state");
    if (capacity < 0) throw OdbcError("HY090", "Invalid string or buffer length");
    Piece& piece = pieces_[number - 1];
    if (family_ != TargetFamily::sqliteodbc && number != last_read_column_) piece = Piece{};
    last_read_column_ = number;
    if (c_type == SQL_C_DEFAULT) c_type = default_c_type(family_, *column);
    const ResultSet& current = result();
    const std::size_t row = current_row_ + positioned_row_;
    Outcome outcome = deliver(family_, *column, current.rows.is_null(row, number - 1),
                              current.rows.value(row, number - 1), {c_type, buffer, capacity, indicator}, &piece);
    report(handle, outcome);
    return outcome.rc;
}

void Replay::read_anew(SQLUSMALLINT column) {
    if (column == 0) std::fill(pieces_.begin(), pieces_.end(), Piece{});
    else if (column <= pieces_.size()) pieces_[column - 1] = Piece{};
}

SQLRETURN Replay::position(Handle& handle, SQLSETPOSIROW row) {
    if (!positioned_) throw OdbcError("24000", "Invalid cursor state");
    if (row == 0) {
        handle.adopt({DiagRecord{"HY109", 22, "Bulk Position operations not allowed."}});
        return SQL_ERROR;
    }
    if (row > next_row_ - current_row_) {
        handle.adopt({DiagRecord{"HY107", 20, "Row value out of range"}});
        return SQL_ERROR;
    }
    positioned_row_ = row - 1;
    std::fill(pieces_.begin(), pieces_.end(), Piece{});
    return SQL_SUCCESS;
}

SQLRETURN Replay::more_results(Handle& handle) {
    if (index_ < held_->sets.size()) ++index_;
    else live_ready_ = false;
    next_row_ = current_row_ = rows_before_ = 0;
    positioned_ = false;
    if (index_ == held_->sets.size() && !live_ready_) {
        // The target may still hold the rest: what follows a result too large to capture.
        SQLRETURN rc = source_ ? source_->more_results() : SQL_NO_DATA;
        if (!SQL_SUCCEEDED(rc)) {
            if (rc != SQL_NO_DATA) handle.adopt(source_->diagnostics());
            source_.reset();
            live_ = ResultSet();  // the statement has no cursor now
            pieces_.clear();
            return rc;
        }
        live_ = source_->read_result(rc, chunk_bytes_);
        live_ready_ = true;
    }
    pieces_.assign(result().column_count(), Piece{});
    handle.adopt(result().diagnostics);
    return result().rc;
}

}  // namespace cachalot::driver
