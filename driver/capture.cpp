#include "driver/capture.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "driver/conversions.hpp"
#include "driver/unicode.hpp"

namespace cachalot::driver {

namespace {

// The SQLColAttribute fields applications ask for, all answered from the capture.
constexpr SQLUSMALLINT number_fields[] = {
    SQL_DESC_AUTO_UNIQUE_VALUE, SQL_DESC_CASE_SENSITIVE, SQL_DESC_CONCISE_TYPE, SQL_DESC_COUNT,
    SQL_DESC_DISPLAY_SIZE,      SQL_DESC_FIXED_PREC_SCALE, SQL_DESC_LENGTH,   SQL_DESC_NULLABLE,
    SQL_DESC_NUM_PREC_RADIX,    SQL_DESC_OCTET_LENGTH,   SQL_DESC_PRECISION,   SQL_DESC_SCALE,
    SQL_DESC_SEARCHABLE,        SQL_DESC_TYPE,           SQL_DESC_UNNAMED,     SQL_DESC_UNSIGNED,
    SQL_DESC_UPDATABLE,         SQL_COLUMN_LENGTH,       SQL_COLUMN_PRECISION, SQL_COLUMN_SCALE,
};
constexpr SQLUSMALLINT string_fields[] = {
    SQL_DESC_BASE_COLUMN_NAME, SQL_DESC_BASE_TABLE_NAME, SQL_DESC_CATALOG_NAME,    SQL_DESC_LABEL,
    SQL_DESC_LITERAL_PREFIX,   SQL_DESC_LITERAL_SUFFIX,  SQL_DESC_LOCAL_TYPE_NAME, SQL_DESC_NAME,
    SQL_DESC_SCHEMA_NAME,      SQL_DESC_TABLE_NAME,      SQL_DESC_TYPE_NAME,
};

bool is_binary_type(SQLSMALLINT sql_type) {
    return sql_type == SQL_BINARY || sql_type == SQL_VARBINARY || sql_type == SQL_LONGVARBINARY;
}

// The SQL types psqlODBC describes only its number, date, time, bool and uuid types as. It
// converts text to the application's locale for SQL_C_CHAR only for its character types
// (char, varchar, text, unknown and their arrays), so values of these columns read as
// SQL_C_CHAR are the server's text, the same as SQL_C_WCHAR decoded, without psqlODBC's
// conversion to UTF-16 (a buffer allocated per value) and the capture's back to UTF-8.
bool psql_never_localizes(SQLSMALLINT sql_type) {
    switch (sql_type) {
    case SQL_BIT: case SQL_TINYINT: case SQL_SMALLINT: case SQL_INTEGER: case SQL_BIGINT:
    case SQL_NUMERIC: case SQL_DECIMAL: case SQL_REAL: case SQL_FLOAT: case SQL_DOUBLE:
    case SQL_TYPE_DATE: case SQL_TYPE_TIME: case SQL_TYPE_TIMESTAMP: case SQL_DATE: case SQL_TIME: case SQL_TIMESTAMP:
    case SQL_GUID:
        return true;
    default:
        return false;
    }
}

template <class T>
std::string to_utf8(const T* text, size_t length) {
    return convert_string<char>(text, length);
}

// SQLGetData's buffer, one per thread: a capture is made for every miss, and a fresh zeroed
// buffer each time was a visible part of a miss's cost. Shrunk back after a long value.
constexpr size_t usual_buffer_size = 8192;
std::vector<char>& get_data_buffer() {
    thread_local std::vector<char> buffer;
    if (buffer.size() > 8 * usual_buffer_size) buffer = std::vector<char>(usual_buffer_size);
    return buffer;
}

// The first SQLGetData of a value asks for about the longest value its column had so far, not
// for the whole buffer: SQLite ODBC fills all of the buffer it is given (strncpy), which cost
// more than anything else per value with an 8 KB buffer.
constexpr size_t initial_first_piece = 256;
constexpr size_t largest_first_piece = 65536;

void append_value(std::string& out, const char* bytes, size_t length, bool wide) {
    if (wide) append_utf16_as_utf8(reinterpret_cast<const SQLWCHAR*>(bytes), length / sizeof(SQLWCHAR), out);
    else out.append(bytes, length);
}

bool is_ascii(const SQLWCHAR* text, size_t units) {
    return std::all_of(text, text + units, [](SQLWCHAR unit) { return unit < 0x80; });
}

}  // namespace

bool diagnostics_through_sql_error(const TargetApi& api) {
    return !(api.SQLGetDiagRecW && api.SQLGetDiagFieldW) && (api.SQLError || api.SQLErrorW);
}

std::vector<DiagRecord> read_target_diagnostics(const TargetApi& api, SQLSMALLINT type, SQLHANDLE handle) {
    std::vector<DiagRecord> records;
    const bool through_error = diagnostics_through_sql_error(api);
    for (SQLSMALLINT number = 1; number < 1000; ++number) {
        DiagRecord record;
        auto read = [&](auto fn, auto tag) -> SQLRETURN {
            using T = decltype(tag);
            T state[6] = {};
            std::basic_string<T> message(SQL_MAX_MESSAGE_LENGTH * 8, 0);
            SQLSMALLINT length = 0;
            SQLRETURN rc;
            if constexpr (std::is_same_v<decltype(fn), decltype(api.SQLError)> ||
                          std::is_same_v<decltype(fn), decltype(api.SQLErrorW)>)
                rc = fn(type == SQL_HANDLE_ENV ? handle : SQL_NULL_HENV, type == SQL_HANDLE_DBC ? handle : SQL_NULL_HDBC,
                        type == SQL_HANDLE_STMT ? handle : SQL_NULL_HSTMT, state, &record.native, message.data(),
                        static_cast<SQLSMALLINT>(message.size()), &length);
            else
                rc = fn(type, handle, number, state, &record.native, message.data(),
                        static_cast<SQLSMALLINT>(message.size()), &length);
            record.sqlstate = to_utf8(state, std::char_traits<T>::length(state));
            record.message = to_utf8(message.data(), std::char_traits<T>::length(message.data()));
            return rc;
        };
        SQLRETURN rc;
        if (through_error) rc = api.SQLError ? read(api.SQLError, SQLCHAR{}) : read(api.SQLErrorW, SQLWCHAR{});
        else if (api.SQLGetDiagRecW) rc = read(api.SQLGetDiagRecW, SQLWCHAR{});
        else if (api.SQLGetDiagRec) rc = read(api.SQLGetDiagRec, SQLCHAR{});
        else break;
        if (!SQL_SUCCEEDED(rc)) break;
        records.push_back(std::move(record));
    }
    return records;
}

Column Capture::describe(SQLUSMALLINT number) {
    Column column;
    SQLSMALLINT length = 0;
    if (wide_text_) {
        SQLWCHAR name[1024];
        api_.SQLDescribeColW(statement_, number, name, 1024, &length, &column.sql_type, &column.size, &column.digits,
                             &column.nullable);
        column.name = to_utf8(name, std::min<size_t>(std::max<SQLSMALLINT>(length, 0), 1023));
    } else {
        SQLCHAR name[4096];
        api_.SQLDescribeCol(statement_, number, name, 4096, &length, &column.sql_type, &column.size, &column.digits,
                            &column.nullable);
        column.name = to_utf8(name, std::min<size_t>(std::max<SQLSMALLINT>(length, 0), 4095));
    }
    column.canonical = family_ != TargetFamily::sqliteodbc && is_binary_type(column.sql_type) ? Canonical::binary : Canonical::text;
    return column;
}

void Capture::answer_fields(SQLUSMALLINT number, Column& column) {
    // Values no target writes, to see which pointers it wrote.
    constexpr SQLSMALLINT unwritten_length = -32768;
    constexpr SQLLEN unwritten_number = -0x5a5a5a5a;
    constexpr int unwritten_text = 0x5A;
    auto answer = [&](SQLUSMALLINT field, bool is_string) {
        FieldAnswer result;
        result.field = field;
        result.number = unwritten_number;
        SQLSMALLINT got = unwritten_length;
        // Through SQLColAttribute or SQLColAttributeW, into a text buffer of that one's characters.
        auto ask = [&](auto function, auto& text) {
            using Char = std::remove_reference_t<decltype(text[0])>;
            text[0] = unwritten_text;
            result.rc = function(statement_, number, field, is_string ? text : nullptr, is_string ? sizeof text : 0,
                                 &got, &result.number);
            result.leaves_text = is_string && SQL_SUCCEEDED(result.rc) && text[0] == unwritten_text && got == 0;
            if (is_string && SQL_SUCCEEDED(result.rc) && !result.leaves_text)
                result.text = to_utf8(text, std::char_traits<Char>::length(text));
        };
        if (wide_text_ && api_.SQLColAttributeW) {
            SQLWCHAR text[1024];
            ask(api_.SQLColAttributeW, text);
        } else {
            SQLCHAR text[2048];
            ask(api_.SQLColAttribute, text);
        }
        if (result.rc != SQL_SUCCESS) result.diagnostics = read_target_diagnostics(api_, SQL_HANDLE_STMT, statement_);
        result.writes_length = got != unwritten_length && (!is_string || !SQL_SUCCEEDED(result.rc));
        if (result.writes_length) result.length = got;
        result.writes_number = result.number != unwritten_number;
        if (!result.writes_number) result.number = 0;
        column.fields.push_back(std::move(result));
    };
    for (SQLUSMALLINT field : number_fields) answer(field, false);
    for (SQLUSMALLINT field : string_fields) answer(field, true);
    if (const FieldAnswer* type_name = column.field(SQL_DESC_TYPE_NAME)) column.type_name = type_name->text;
}

SQLSMALLINT Capture::read_type(const Column& column) const {
    if (column.canonical == Canonical::binary) return SQL_C_BINARY;
    if (!wide_text_ || (family_ != TargetFamily::sqliteodbc && psql_never_localizes(column.sql_type))) return SQL_C_CHAR;
    return SQL_C_WCHAR;
}

// Appends the whole value of column `number` of the current row, read as `c_type`, to `rows`.
bool Capture::read_value(SQLUSMALLINT number, SQLSMALLINT c_type, std::vector<char>& buffer, Rows& rows) {
    const bool wide = c_type == SQL_C_WCHAR;
    const size_t terminator = terminator_of(c_type);
    size_t& first_piece = first_piece_[number - 1];
    std::string& value = scratch_;
    value.clear();
    for (size_t capacity = first_piece, piece = 0;; ++piece) {
        if (buffer.size() < capacity) buffer.resize(capacity);
        SQLLEN indicator = 0;
        SQLRETURN rc = api_.SQLGetData(statement_, number, c_type, buffer.data(), static_cast<SQLLEN>(capacity), &indicator);
        if (rc == SQL_NO_DATA) break;
        if (!SQL_SUCCEEDED(rc)) return false;
        if (indicator == SQL_NULL_DATA) {
            rows.add_null();
            return true;
        }
        const size_t room = capacity - terminator;
        size_t got = indicator == SQL_NO_TOTAL || static_cast<size_t>(indicator) > room ? room : static_cast<size_t>(indicator);
        if (wide) got -= got % sizeof(SQLWCHAR);
        if (rc == SQL_SUCCESS && piece == 0) {  // the usual case: the whole value at once
            add_value(rows, buffer.data(), got, wide);
            return true;
        }
        value.append(buffer.data(), got);
        if (rc == SQL_SUCCESS) break;
        // Truncated: the rest comes in one more piece when the target said how long it is.
        capacity = indicator != SQL_NO_TOTAL && static_cast<size_t>(indicator) > got
                       ? static_cast<size_t>(indicator) - got + terminator
                       : std::max(2 * capacity, usual_buffer_size);
    }
    first_piece = std::min(std::max(first_piece, value.size() + terminator), largest_first_piece);
    add_value(rows, value.data(), value.size(), wide);
    return true;
}

// psqlODBC's wide text is read only in a locale that is not UTF-8, where its SQL_C_CHAR
// rendering of anything beyond ASCII is the locale's, not UTF-8.
void Capture::add_value(Rows& rows, const char* bytes, size_t length, bool wide) {
    if (wide && family_ != TargetFamily::sqliteodbc && !is_ascii(reinterpret_cast<const SQLWCHAR*>(bytes), length / sizeof(SQLWCHAR)))
        servable_ = false;
    rows.add_written([&](std::string& out) { append_value(out, bytes, length, wide); });
}

// Binds every column to a buffer of its first_piece_ bytes; false (and nothing bound) when the
// target refuses one.
bool Capture::bind(size_t columns) {
    bound_capacities_.assign(first_piece_.begin(), first_piece_.begin() + static_cast<std::ptrdiff_t>(columns));
    bound_offsets_.assign(1, 0);
    for (size_t capacity : bound_capacities_) bound_offsets_.push_back(bound_offsets_.back() + (capacity + 7) / 8 * 8);
    bound_.resize(bound_offsets_.back());
    bound_lengths_.resize(columns);
    for (size_t i = 0; i < columns; ++i) {
        SQLRETURN rc = api_.SQLBindCol(statement_, static_cast<SQLUSMALLINT>(i + 1), read_types_[i], bound_.data() + bound_offsets_[i],
                                       static_cast<SQLLEN>(bound_capacities_[i]), &bound_lengths_[i]);
        if (!SQL_SUCCEEDED(rc)) {
            unbind();
            return false;
        }
    }
    return true;
}

void Capture::unbind() { api_.SQLFreeStmt(statement_, SQL_UNBIND); }

void Capture::read_rows(ResultSet& result, size_t byte_limit) {
    const auto& columns = result.shape->columns;
    first_piece_.resize(columns.size(), initial_first_piece);
    read_types_.clear();
    for (const Column& column : columns) read_types_.push_back(read_type(column));
    std::vector<char>& buffer = get_data_buffer();
    // With bind_columns_, a result the target counts more than one row of comes through bound
    // columns (binding costs more than it spares on one row). The buffers are the capture's:
    // the target statement keeps no pointer to them once read_rows returns.
    bool bound = bind_columns_ && SQL_SUCCEEDED(result.row_count_rc) && result.row_count > 1 && bind(columns.size());
    struct Unbind {
        Capture& capture;
        const bool& bound;
        ~Unbind() {
            if (bound) capture.unbind();
        }
    } unbind_at_end{*this, bound};
    // A bound value longer than its buffer, or one the fetch did not report, is read again
    // whole with SQLGetData.
    auto take_value = [&](size_t i) {
        const auto number = static_cast<SQLUSMALLINT>(i + 1);
        if (!bound) return read_value(number, read_types_[i], buffer, result.rows);
        const SQLLEN length = bound_lengths_[i];
        if (length == SQL_NULL_DATA) {
            result.rows.add_null();
            return true;
        }
        const SQLSMALLINT c_type = read_types_[i];
        if (length != SQL_NO_TOTAL && static_cast<size_t>(length) + terminator_of(c_type) <= bound_capacities_[i]) {
            add_value(result.rows, bound_.data() + bound_offsets_[i], static_cast<size_t>(length), c_type == SQL_C_WCHAR);
            return true;
        }
        return read_value(number, c_type, buffer, result.rows);
    };
    for (;;) {
        if (bound) std::fill(bound_lengths_.begin(), bound_lengths_.end(), SQL_NO_TOTAL);
        SQLRETURN rc = api_.SQLFetch(statement_);
        if (rc == SQL_NO_DATA || !SQL_SUCCEEDED(rc)) {
            // A fetch converts the bound columns: its error may come from the capture's own C types.
            if (rc != SQL_NO_DATA && bound) servable_ = false;
            result.end_rc = rc;
            if (rc != SQL_NO_DATA) result.end_diagnostics = read_target_diagnostics(api_, SQL_HANDLE_STMT, statement_);
            result.complete = true;
            return;
        }
        for (size_t i = 0; i < columns.size(); ++i) {
            if (!take_value(i)) {
                // A value the target could not hand over ends the result with its error (only
                // served so when the result was already being served: see servable()).
                servable_ = false;
                result.end_rc = SQL_ERROR;
                result.end_diagnostics = read_target_diagnostics(api_, SQL_HANDLE_STMT, statement_);
                result.rows.drop_partial_row();
                result.complete = true;
                return;
            }
        }
        // A value read again whole grew its column's buffer for the next rows.
        if (bound && !std::equal(bound_capacities_.begin(), bound_capacities_.end(), first_piece_.begin())) bound = bind(columns.size());
        if (result.rows.byte_size() > byte_limit) {
            result.complete = false;
            return;
        }
    }
}

namespace {

bool same_description(const ResultShape& shape, const std::vector<Column>& columns) {
    if (shape.columns.size() != columns.size()) return false;
    for (size_t i = 0; i < columns.size(); ++i) {
        const Column& a = shape.columns[i];
        const Column& b = columns[i];
        if (a.name != b.name || a.sql_type != b.sql_type || a.size != b.size || a.digits != b.digits ||
            a.nullable != b.nullable)
            return false;
    }
    return true;
}

}  // namespace

ResultSet Capture::read_result(SQLRETURN rc, size_t byte_limit, const std::shared_ptr<const ResultShape>& previous) {
    ResultSet result;
    result.rc = rc;
    if (rc == SQL_SUCCESS_WITH_INFO) result.diagnostics = read_target_diagnostics(api_, SQL_HANDLE_STMT, statement_);
    SQLSMALLINT count = 0;
    api_.SQLNumResultCols(statement_, &count);
    result.row_count_rc = api_.SQLRowCount(statement_, &result.row_count);
    if (count <= 0) return result;
    std::vector<Column> columns;
    columns.reserve(static_cast<size_t>(count));
    for (SQLSMALLINT i = 1; i <= count; ++i) columns.push_back(describe(static_cast<SQLUSMALLINT>(i)));
    if (previous && same_description(*previous, columns)) {
        result.shape = previous;  // the statement ran before with these columns: their attributes are known
    } else {
        auto shape = std::make_shared<ResultShape>();
        shape->columns = std::move(columns);
        for (size_t i = 0; i < shape->columns.size(); ++i)
            answer_fields(static_cast<SQLUSMALLINT>(i + 1), shape->columns[i]);
        result.shape = std::move(shape);
    }
    result.rows = Rows(static_cast<size_t>(count));
    result.rows.reserve(static_cast<size_t>(count), 32 * static_cast<size_t>(count));  // a row's worth at first
    read_rows(result, byte_limit);
    result.rows.shrink();
    return result;
}

void Capture::next_rows(ResultSet& result, size_t first_kept_row, size_t byte_limit) {
    const size_t columns = result.column_count();
    Rows rows(columns);
    for (size_t row = first_kept_row; row < result.rows.row_count(); ++row)
        for (size_t column = 0; column < columns; ++column) {
            if (result.rows.is_null(row, column)) rows.add_null();
            else rows.add(result.rows.value(row, column));
        }
    result.rows = std::move(rows);
    read_rows(result, byte_limit);
}

std::size_t ResultSet::memory() const {
    std::size_t bytes = sizeof(ResultSet) + rows.memory();
    for (const auto* records : {&diagnostics, &end_diagnostics})
        for (const auto& record : *records) bytes += sizeof record + record.message.size();
    if (shape)
        for (const auto& column : shape->columns) bytes += sizeof column + column.name.size() + column.fields.size() * sizeof(FieldAnswer);
    return bytes;
}

std::size_t Results::memory() const {
    std::size_t bytes = sizeof(Results);
    for (const auto& set : sets) bytes += set.memory();
    return bytes;
}

}  // namespace cachalot::driver
