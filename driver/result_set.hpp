// A captured result set: the column metadata and rows a target driver produced, held in a
// compact immutable form the shim serves from (now on every execution, later on cache hits).
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cache/store.hpp"

namespace cachalot::cache {
class ByteReader;
}
#include "driver/handles.hpp"

namespace cachalot::driver {

// How a column's values were read from the target: text (kept as UTF-8) or raw bytes.
enum class Canonical : std::uint8_t { text, binary };

// One answer of the target to SQLColAttribute: a number, a string (UTF-8), or an error.
struct FieldAnswer {
    SQLUSMALLINT field = 0;
    SQLRETURN rc = SQL_SUCCESS;
    SQLLEN number = 0;
    std::string text;
    std::vector<DiagRecord> diagnostics;
    // What the target also wrote to the pointer the answer does not need: the length of a number
    // or an error (psqlODBC writes 0), the number of a string (SQLite ODBC writes 0, in `number`).
    bool writes_length = false;
    SQLSMALLINT length = 0;
    bool writes_number = false;
    bool leaves_text = false;  // an empty string the target did not write (psqlODBC's NULL ones)
};

struct Column {
    std::string name;  // UTF-8
    SQLSMALLINT sql_type = 0;
    SQLULEN size = 0;
    SQLSMALLINT digits = 0;
    SQLSMALLINT nullable = SQL_NULLABLE_UNKNOWN;
    Canonical canonical = Canonical::text;
    std::string type_name;  // SQL_DESC_TYPE_NAME: psqlODBC converts by the PostgreSQL type
    std::vector<FieldAnswer> fields;

    const FieldAnswer* field(SQLUSMALLINT id) const {
        for (const auto& answer : fields)
            if (answer.field == id) return &answer;
        return nullptr;
    }
};

// The columns of a result set, shared by every chunk of its rows.
struct ResultShape {
    std::vector<Column> columns;
};

// Rows in one flat byte buffer: value i ends at ends[i] (its start is the previous end), with
// the top bit marking NULL. Nothing is allocated per value.
class Rows {
public:
    static constexpr std::uint32_t null_bit = 0x80000000u;
    static constexpr std::size_t max_bytes = null_bit - 1;

    explicit Rows(std::size_t columns = 0) : columns_(columns) {}

    std::size_t row_count() const { return columns_ ? ends_.size() / columns_ : 0; }
    std::size_t byte_size() const { return bytes_.size(); }
    // Value `column` (0-based) of row `row`; null when the value is SQL NULL.
    bool is_null(std::size_t row, std::size_t column) const { return ends_[row * columns_ + column] & null_bit; }
    std::string_view value(std::size_t row, std::size_t column) const {
        std::size_t i = row * columns_ + column;
        std::uint32_t begin = i ? ends_[i - 1] & ~null_bit : 0, end = ends_[i] & ~null_bit;
        return std::string_view(bytes_.data() + begin, end - begin);
    }
    // Memory the rows take, for the entry size limit and the benchmark.
    std::size_t memory() const { return bytes_.capacity() + ends_.capacity() * sizeof(std::uint32_t); }

    void add(std::string_view bytes) {
        bytes_.append(bytes.data(), bytes.size());
        ends_.push_back(static_cast<std::uint32_t>(bytes_.size()));
    }
    // Adds the value `write` appends to the string it is given (no copy through a temporary).
    template <class Write>
    void add_written(Write&& write) {
        write(bytes_);
        ends_.push_back(static_cast<std::uint32_t>(bytes_.size()));
    }
    void add_null() { ends_.push_back(static_cast<std::uint32_t>(bytes_.size()) | null_bit); }
    // Forgets the values of a row that could not be read whole.
    void drop_partial_row() {
        ends_.resize(ends_.size() - ends_.size() % columns_);
        bytes_.resize(ends_.empty() ? 0 : ends_.back() & ~null_bit);
    }
    void reserve(std::size_t values, std::size_t bytes) {
        ends_.reserve(values);
        bytes_.reserve(bytes);
    }
    void shrink() {
        bytes_.shrink_to_fit();
        ends_.shrink_to_fit();
    }
    // For a shared store (driver/result_codec.cpp); decode throws cache::FormatError.
    void encode(std::string& out) const;
    static Rows decode(cache::ByteReader& in, std::size_t columns);

private:
    std::size_t columns_;
    std::vector<std::uint32_t> ends_;
    std::string bytes_;
};

// One result of a statement as the target answered it: the execution's return code and
// diagnostics, SQLRowCount, and (for a cursor) its shape and rows. When `complete` is false
// the rows are the first part of a result too large to hold, and the rest streams.
struct ResultSet {
    SQLRETURN rc = SQL_SUCCESS;  // of the SQLExecute/SQLMoreResults that produced it
    std::vector<DiagRecord> diagnostics;
    SQLLEN row_count = -1;
    SQLRETURN row_count_rc = SQL_SUCCESS;
    std::shared_ptr<const ResultShape> shape;  // null: no result columns
    Rows rows;
    bool complete = true;
    // What the fetch after the last row returned: SQL_NO_DATA, or an error with its records.
    SQLRETURN end_rc = SQL_NO_DATA;
    std::vector<DiagRecord> end_diagnostics;

    std::size_t column_count() const { return shape ? shape->columns.size() : 0; }
    std::size_t memory() const;
};

// A statement's results, whole: immutable once captured, shared by every statement served
// from them (the payload of a cache entry).
struct Results final : cache::Payload {
    std::vector<ResultSet> sets;  // each complete: only whole results are stored
    std::size_t memory() const override;
    void encode(std::string& out) const override;
};

// Results from what Results::encode wrote; null when the bytes are not that (a PayloadDecoder).
std::shared_ptr<const cache::Payload> decode_results(std::string_view bytes);

}  // namespace cachalot::driver
