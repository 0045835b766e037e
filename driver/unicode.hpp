// Converting strings between the application's and the target's ODBC character types
// (SQLCHAR as UTF-8, SQLWCHAR as UTF-16), for targets that lack one of the A/W variants.
#pragma once

#include <sql.h>
#include <sqlucode.h>

#include <string>
#include <string_view>
#include <type_traits>

namespace cachalot::driver {

using WideString = std::basic_string<SQLWCHAR>;

// Malformed input becomes U+FFFD, as a lossy conversion should, never an exception.
WideString utf8_to_utf16(std::string_view text);
std::string utf16_to_utf8(const SQLWCHAR* text, size_t length);
void append_utf16_as_utf8(const SQLWCHAR* text, size_t length, std::string& out);

template <class C>
using OtherChar = std::conditional_t<std::is_same_v<C, SQLCHAR>, SQLWCHAR, SQLCHAR>;

// The length in characters of an input string given as (text, length or SQL_NTS).
template <class C>
size_t input_length(const C* text, SQLLEN length) {
    if (!text) return 0;
    if (length != SQL_NTS) return length < 0 ? 0 : static_cast<size_t>(length);
    size_t n = 0;
    while (text[n]) ++n;
    return n;
}

// Converts between narrow (char, SQLCHAR: UTF-8) and wide (SQLWCHAR: UTF-16) strings;
// between two of the same width it copies.
template <class To, class From>
std::basic_string<To> convert_string(const From* text, size_t length) {
    constexpr bool from_wide = sizeof(From) == sizeof(SQLWCHAR), to_wide = sizeof(To) == sizeof(SQLWCHAR);
    if constexpr (from_wide == to_wide) {
        return std::basic_string<To>(reinterpret_cast<const To*>(text), length);
    } else if constexpr (to_wide) {
        return utf8_to_utf16(std::string_view(reinterpret_cast<const char*>(text), length));
    } else if constexpr (std::is_same_v<To, char>) {
        return utf16_to_utf8(reinterpret_cast<const SQLWCHAR*>(text), length);
    } else {
        std::string utf8 = utf16_to_utf8(reinterpret_cast<const SQLWCHAR*>(text), length);
        return std::basic_string<To>(reinterpret_cast<const To*>(utf8.data()), utf8.size());
    }
}

// An input string argument converted for the target: null stays null, SQL_NTS stays SQL_NTS.
template <class To>
class InputString {
public:
    template <class From>
    InputString(const From* text, SQLLEN length)
        : null_(text == nullptr), nts_(length == SQL_NTS),
          value_(convert_string<To>(text, input_length(text, length))) {}

    To* ptr() { return null_ ? nullptr : value_.data(); }
    // The length in characters, or in bytes with as_bytes (the W attribute functions count bytes).
    template <class Length>
    Length length(bool as_bytes = false) const {
        if (nts_) return static_cast<Length>(SQL_NTS);
        return static_cast<Length>(value_.size() * (as_bytes ? sizeof(To) : 1));
    }

private:
    bool null_;
    bool nts_;
    std::basic_string<To> value_;
};

// Copies `value` into an application buffer of `capacity` characters, NUL-terminated and cut
// to fit as ODBC says. Returns true when it had to cut (the caller reports 01004).
template <class C>
bool copy_to_buffer(const std::basic_string<C>& value, C* buffer, SQLLEN capacity) {
    if (!buffer) return false;  // the caller only asked for the length
    if (capacity <= 0) return !value.empty();
    size_t n = value.size() < static_cast<size_t>(capacity) ? value.size() : static_cast<size_t>(capacity - 1);
    value.copy(buffer, n);
    buffer[n] = 0;
    return n < value.size();
}

}  // namespace cachalot::driver
