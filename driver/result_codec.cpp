// Captured results as bytes for a shared store (the payload of cache/entry_format.hpp), and
// back. Decoding checks every count and offset: bytes that are not results are no results.
#include "cache/entry_format.hpp"
#include "driver/result_set.hpp"

namespace cachalot::driver {

namespace {

using cache::ByteReader;
using cache::ByteWriter;
using cache::FormatError;

void write_diagnostics(ByteWriter& out, const std::vector<DiagRecord>& records) {
    out.number<std::uint32_t>(static_cast<std::uint32_t>(records.size()));
    for (const auto& record : records) {
        out.bytes(record.sqlstate);
        out.number(record.native);
        out.bytes(record.message);
    }
}

std::vector<DiagRecord> read_diagnostics(ByteReader& in) {
    std::vector<DiagRecord> records(in.count(12));
    for (auto& record : records) {
        record.sqlstate = std::string(in.bytes());
        record.native = in.number<SQLINTEGER>();
        record.message = std::string(in.bytes());
    }
    return records;
}

void write_column(ByteWriter& out, const Column& column) {
    out.bytes(column.name);
    out.number(column.sql_type);
    out.number<std::uint64_t>(column.size);
    out.number(column.digits);
    out.number(column.nullable);
    out.number(static_cast<std::uint8_t>(column.canonical));
    out.bytes(column.type_name);
    out.number<std::uint32_t>(static_cast<std::uint32_t>(column.fields.size()));
    for (const auto& field : column.fields) {
        out.number(field.field);
        out.number(field.rc);
        out.number<std::int64_t>(field.number);
        out.bytes(field.text);
        write_diagnostics(out, field.diagnostics);
        out.number<std::uint8_t>(
            static_cast<std::uint8_t>(field.writes_length | field.writes_number << 1 | field.leaves_text << 2));
        out.number(field.length);
    }
}

Column read_column(ByteReader& in) {
    Column column;
    column.name = std::string(in.bytes());
    column.sql_type = in.number<SQLSMALLINT>();
    column.size = static_cast<SQLULEN>(in.number<std::uint64_t>());
    column.digits = in.number<SQLSMALLINT>();
    column.nullable = in.number<SQLSMALLINT>();
    const auto canonical = in.number<std::uint8_t>();
    if (canonical > static_cast<std::uint8_t>(Canonical::binary)) throw FormatError("canonical");
    column.canonical = static_cast<Canonical>(canonical);
    column.type_name = std::string(in.bytes());
    column.fields.resize(in.count(20));
    for (auto& field : column.fields) {
        field.field = in.number<SQLUSMALLINT>();
        field.rc = in.number<SQLRETURN>();
        field.number = static_cast<SQLLEN>(in.number<std::int64_t>());
        field.text = std::string(in.bytes());
        field.diagnostics = read_diagnostics(in);
        const auto writes = in.number<std::uint8_t>();
        field.writes_length = writes & 1;
        field.writes_number = writes & 2;
        field.leaves_text = writes & 4;
        field.length = in.number<SQLSMALLINT>();
    }
    return column;
}

}  // namespace

void Rows::encode(std::string& out) const {
    ByteWriter writer(out);
    writer.number<std::uint32_t>(static_cast<std::uint32_t>(ends_.size()));
    for (std::uint32_t end : ends_) writer.number(end);
    writer.bytes(bytes_);
}

Rows Rows::decode(cache::ByteReader& in, std::size_t columns) {
    Rows rows(columns);
    rows.ends_.resize(in.count(sizeof(std::uint32_t)));
    if (columns ? rows.ends_.size() % columns : !rows.ends_.empty()) throw FormatError("partial row");
    std::uint32_t previous = 0;
    for (auto& end : rows.ends_) {
        end = in.number<std::uint32_t>();
        if ((end & ~null_bit) < previous) throw FormatError("values out of order");
        previous = end & ~null_bit;
    }
    rows.bytes_ = std::string(in.bytes());
    if (previous != rows.bytes_.size()) throw FormatError("values and bytes disagree");
    return rows;
}

void Results::encode(std::string& out) const {
    ByteWriter writer(out);
    writer.number<std::uint32_t>(static_cast<std::uint32_t>(sets.size()));
    for (const ResultSet& set : sets) {
        writer.number(set.rc);
        write_diagnostics(writer, set.diagnostics);
        writer.number<std::int64_t>(set.row_count);
        writer.number(set.row_count_rc);
        writer.number<std::uint32_t>(static_cast<std::uint32_t>(set.column_count()));
        if (set.shape)
            for (const auto& column : set.shape->columns) write_column(writer, column);
        set.rows.encode(out);
        writer.number(set.end_rc);
        write_diagnostics(writer, set.end_diagnostics);
    }
}

std::shared_ptr<const cache::Payload> decode_results(std::string_view bytes) {
    try {
        ByteReader in(bytes);
        auto results = std::make_shared<Results>();
        results->sets.resize(in.count(16));
        for (ResultSet& set : results->sets) {
            set.rc = in.number<SQLRETURN>();
            set.diagnostics = read_diagnostics(in);
            set.row_count = static_cast<SQLLEN>(in.number<std::int64_t>());
            set.row_count_rc = in.number<SQLRETURN>();
            if (const std::size_t columns = in.count(8)) {
                auto shape = std::make_shared<ResultShape>();
                for (std::size_t i = 0; i < columns; ++i) shape->columns.push_back(read_column(in));
                set.shape = std::move(shape);
            }
            set.rows = Rows::decode(in, set.column_count());
            set.end_rc = in.number<SQLRETURN>();
            set.end_diagnostics = read_diagnostics(in);
        }
        if (!in.done()) return nullptr;
        return results;
    } catch (const std::exception&) {  // FormatError, or bad_alloc for counts a forged entry inflates
        return nullptr;
    }
}

}  // namespace cachalot::driver
