// The tokens the SQL lexer produces: views into the statement text, no copies.
#pragma once

#include <cstdint>
#include <string_view>

namespace cachalot::sqlscan {

enum class Dialect : std::uint8_t { generic, postgresql, mysql, sqlite };

enum class TokenKind : std::uint8_t {
    word,               // identifier or keyword: select, orders, created_at, ünïcode
    quoted_identifier,  // "x", `x`, [x]: text is between the quotes, doubled quotes not undone
    string,             // '...', E'...', $tag$...$tag$, and "..." in mysql
    number,
    parameter,          // ?, $1, :name
    punct,              // ( ) , . ; = < <= :: || { } and the rest
};

struct Token {
    TokenKind kind;
    std::string_view text;
};

}  // namespace cachalot::sqlscan
