// How an entry travels to a shared store (Redis, memcached) and back: a header with a magic,
// the format version and a checksum of the body, so an entry written by another release, or
// bytes somebody else put under the key, read as "no entry" and never as rows.
#pragma once

#include <cstdint>
#include <type_traits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "cache/store.hpp"

namespace cachalot::cache {

// Bytes that are not an entry of this format (short, inconsistent, or another version).
class FormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Appends fixed-width little-endian numbers and length-prefixed byte strings.
class ByteWriter {
public:
    explicit ByteWriter(std::string& out) : out_(out) {}
    template <class Number>
    void number(Number value) {
        static_assert(std::is_integral_v<Number> || std::is_enum_v<Number>);
        auto bits = static_cast<std::uint64_t>(static_cast<std::int64_t>(value));
        for (std::size_t i = 0; i < sizeof(Number); ++i) out_ += static_cast<char>(bits >> (8 * i));
    }
    void bytes(std::string_view value) {
        number<std::uint32_t>(static_cast<std::uint32_t>(value.size()));
        out_.append(value.data(), value.size());
    }

private:
    std::string& out_;
};

// Reads what ByteWriter wrote; throws FormatError instead of reading past the end.
class ByteReader {
public:
    explicit ByteReader(std::string_view in) : in_(in) {}
    template <class Number>
    Number number() {
        need(sizeof(Number));
        std::uint64_t bits = 0;
        for (std::size_t i = 0; i < sizeof(Number); ++i)
            bits |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[i])) << (8 * i);
        in_.remove_prefix(sizeof(Number));
        if constexpr (std::is_enum_v<Number>) return static_cast<Number>(bits);
        else if constexpr (std::is_signed_v<Number>) return static_cast<Number>(sign_extend(bits, sizeof(Number)));
        else return static_cast<Number>(bits);
    }
    std::string_view bytes() { return take(number<std::uint32_t>()); }
    std::string_view take(std::size_t size) {
        need(size);
        std::string_view part = in_.substr(0, size);
        in_.remove_prefix(size);
        return part;
    }
    // A count of items that each take at least `item_bytes`: never more than the bytes left.
    std::size_t count(std::size_t item_bytes) {
        const auto n = number<std::uint32_t>();
        if (item_bytes && n > in_.size() / item_bytes) throw FormatError("count beyond the data");
        return n;
    }
    bool done() const { return in_.empty(); }
    // Everything not read yet.
    std::string_view rest() { return take(in_.size()); }

private:
    void need(std::size_t size) const {
        if (size > in_.size()) throw FormatError("truncated");
    }
    static std::int64_t sign_extend(std::uint64_t bits, std::size_t bytes) {
        if (bytes == 8) return static_cast<std::int64_t>(bits);
        const std::uint64_t sign = std::uint64_t{1} << (8 * bytes - 1);
        return static_cast<std::int64_t>((bits ^ sign) - sign);
    }
    std::string_view in_;
};

// The entry as bytes: header (magic, version, body size, checksum), key material, tokens,
// the payload's own encoding.
std::string encode_entry(const Entry& entry);
// The entry, or null when `bytes` are not an intact entry of this format version.
std::shared_ptr<const Entry> decode_entry(std::string_view bytes, PayloadDecoder decode_payload);

}  // namespace cachalot::cache
