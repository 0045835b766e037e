// The lexer grammar. Comments and dollar quotes need state a plain X3 expression lacks
// (nesting depth, the opening tag), so they are small X3 parsers of their own; everything
// else is X3 expressions. The dialect and the token list come in through the X3 context.
#pragma once

#include <boost/spirit/home/x3.hpp>

#include "sqlscan/lexer.hpp"

namespace cachalot::sqlscan::grammar {

namespace x3 = boost::spirit::x3;

struct dialect_tag;
struct tokens_tag;

template <class Context>
Dialect dialect_of(const Context& context) {
    return x3::get<dialect_tag>(context);
}

// Succeeds, consuming nothing, only in the given dialects.
struct dialect_is : x3::parser<dialect_is> {
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;
    constexpr dialect_is(std::initializer_list<Dialect> list) : mask(0) {
        for (Dialect d : list) mask |= 1u << static_cast<unsigned>(d);
    }
    unsigned mask;
    template <class It, class Context, class RContext, class Attribute>
    bool parse(It&, const It&, const Context& context, RContext&, Attribute&) const {
        return mask & (1u << static_cast<unsigned>(dialect_of(context)));
    }
};

// /* ... */, nested in PostgreSQL; a loop with a depth count, so deep nesting costs no stack.
// MySQL runs what /*! ... */ and MariaDB's /*M! ... */ hold: such text is refused.
struct block_comment_parser : x3::parser<block_comment_parser> {
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;
    template <class It, class Context, class RContext, class Attribute>
    bool parse(It& first, const It& last, const Context& context, RContext&, Attribute&) const {
        if (last - first < 2 || first[0] != '/' || first[1] != '*') return false;
        const bool nests = dialect_of(context) == Dialect::postgresql;
        const std::string_view opening(&*first, static_cast<size_t>(std::min<std::ptrdiff_t>(last - first, 4)));
        if (dialect_of(context) == Dialect::mysql && (opening.substr(0, 3) == "/*!" || opening == "/*M!"))
            throw x3::expectation_failure<It>(first, "SQL in a MySQL comment");
        size_t depth = 1;
        for (It i = first + 2; i != last; ++i) {
            if (nests && *i == '/' && i + 1 != last && i[1] == '*') {
                ++depth;
                ++i;
            } else if (*i == '*' && i + 1 != last && i[1] == '/') {
                ++i;
                if (--depth == 0) {
                    first = i + 1;
                    return true;
                }
            }
        }
        throw x3::expectation_failure<It>(first, "end of comment");
    }
};

// PostgreSQL's $tag$ ... $tag$ (the tag may be empty): the text up to the same tag.
struct dollar_string_parser : x3::parser<dollar_string_parser> {
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;
    template <class It, class Context, class RContext, class Attribute>
    bool parse(It& first, const It& last, const Context&, RContext&, Attribute&) const {
        if (first == last || *first != '$') return false;
        It i = first + 1;
        while (i != last && (std::isalnum(static_cast<unsigned char>(*i)) || *i == '_' ||
                             static_cast<unsigned char>(*i) >= 0x80))
            ++i;
        if (i == last || *i != '$') return false;
        if (i - first > 1 && std::isdigit(static_cast<unsigned char>(first[1]))) return false;  // $1 is a parameter
        std::string_view tag(&*first, static_cast<size_t>(i - first + 1));
        std::string_view rest(&*i + 1, static_cast<size_t>(last - i - 1));
        size_t end = rest.find(tag);
        if (end == std::string_view::npos) throw x3::expectation_failure<It>(first, "closing " + std::string(tag));
        first = i + 1 + static_cast<std::ptrdiff_t>(end + tag.size());
        return true;
    }
};

constexpr block_comment_parser block_comment{};
constexpr dollar_string_parser dollar_string{};

// Appends the text a raw[] directive matched as a token of `kind` to the list in the context.
template <TokenKind kind>
struct emit_token {
    template <class Context>
    void operator()(const Context& context) const {
        auto& range = x3::_attr(context);
        x3::get<tokens_tag>(context).get().push_back(
            Token{kind, std::string_view(&*range.begin(), static_cast<size_t>(range.end() - range.begin()))});
    }
};

// Character classes by explicit ranges: X3's alpha/space assert on bytes above 0x7f, and
// those (multi-byte UTF-8 characters) count as letters here: Unicode identifiers.
const auto letter = x3::char_("a-zA-Z_") | x3::char_('\x80', '\xff');
const auto digit = x3::char_("0-9");
const auto space = x3::char_(" \t\r\n\f\v");

// PostgreSQL ends a comment at \r too; elsewhere reading on from there only adds tables. MySQL
// reads -- as a comment only before a space or a control character: 1--1 is 1 - -1.
const auto line_comment = x3::lit("--") >>
                          (dialect_is{Dialect::generic, Dialect::postgresql, Dialect::sqlite} | &x3::char_('\0', ' ') | x3::eoi) >>
                          *(x3::char_ - x3::char_("\r\n"));
const auto hash_comment = dialect_is{Dialect::mysql} >> '#' >> *(x3::char_ - x3::char_("\r\n"));
const auto blank = +space | line_comment | hash_comment | block_comment;

// '...' with '' inside; MySQL also takes backslash escapes, PostgreSQL's E'...' does too (escape_string).
const auto quoted_with_backslashes = x3::lit('\'') > *(x3::lit("''") | ('\\' > x3::char_) | ~x3::char_('\'')) > '\'';
const auto quoted_plain = x3::lit('\'') > *(x3::lit("''") | ~x3::char_('\'')) > '\'';
const auto string_literal =
    (dialect_is{Dialect::mysql} >> quoted_with_backslashes) | quoted_plain | (dialect_is{Dialect::postgresql} >> dollar_string) |
    (dialect_is{Dialect::mysql} >> x3::lit('"') > *(x3::lit("\"\"") | ('\\' > x3::char_) | ~x3::char_('"')) > '"');

// Quoted identifiers: the token is the text inside the quotes.
const auto double_quoted = x3::lit('"') > x3::raw[*(x3::lit("\"\"") | ~x3::char_('"'))] > '"';
const auto back_quoted = dialect_is{Dialect::mysql, Dialect::sqlite, Dialect::generic} >> x3::lit('`') >
                         x3::raw[*(x3::lit("``") | ~x3::char_('`'))] > '`';
const auto bracketed = dialect_is{Dialect::sqlite, Dialect::generic} >> x3::lit('[') > x3::raw[*~x3::char_(']')] > ']';

const auto number = (x3::lit('0') >> x3::char_("xX") >> +x3::char_("0-9a-fA-F")) |
                    (((+digit >> -('.' >> *digit)) | ('.' >> +digit)) >> -(x3::char_("eE") >> -x3::char_("+-") >> +digit));

const auto parameter = x3::lit('?') | (x3::lit('$') >> +digit) | (x3::lit(':') >> !x3::lit(':') >> letter >> *(letter | digit));

// A word: a letter (or a byte of a multi-byte UTF-8 character) and then letters, digits and $.
// A character-class table rather than an X3 alternative per character: words are most tokens.
struct word_parser : x3::parser<word_parser> {
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;
    static bool starts(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? true : c == '_' || c >= 0x80; }
    static bool continues(unsigned char c) { return starts(c) || (c >= '0' && c <= '9') || c == '$'; }
    template <class It, class Context, class RContext, class Attribute>
    bool parse(It& first, const It& last, const Context&, RContext&, Attribute&) const {
        if (first == last || !starts(static_cast<unsigned char>(*first))) return false;
        ++first;
        while (first != last && continues(static_cast<unsigned char>(*first))) ++first;
        return true;
    }
};
constexpr word_parser word{};

// Operators and punctuation, longest first: a switch on the first character, since trying
// sixteen multi-character literals before every comma was the lexer's main cost.
struct punct_parser : x3::parser<punct_parser> {
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;
    template <class It, class Context, class RContext, class Attribute>
    bool parse(It& first, const It& last, const Context&, RContext&, Attribute&) const {
        if (first == last) return false;
        static constexpr std::string_view singles = "()[]{},.;=<>+-*/%^|&!~@#:$\\";
        static constexpr std::string_view multis[] = {"->>", "#>>", "::", "<>", "<=", ">=", "!=", "||", "->",
                                                      "=>", ":=", "#>", "<<", ">>", "@>", "<@"};
        if (singles.find(*first) == std::string_view::npos) return false;
        const std::string_view rest(&*first, static_cast<size_t>(std::min<std::ptrdiff_t>(last - first, 3)));
        for (std::string_view op : multis)
            if (op[0] == rest[0] && rest.substr(0, op.size()) == op) {
                first += static_cast<std::ptrdiff_t>(op.size());
                return true;
            }
        ++first;
        return true;
    }
};
constexpr punct_parser punct{};

// Words come early (most tokens are words), but after PostgreSQL's E'...', which starts like one.
const auto escape_string = dialect_is{Dialect::postgresql} >> x3::char_("eE") >> &x3::lit('\'') >> quoted_with_backslashes;
const auto token = blank | x3::raw[escape_string][emit_token<TokenKind::string>{}] |
                   x3::raw[word][emit_token<TokenKind::word>{}] |
                   x3::raw[string_literal][emit_token<TokenKind::string>{}] |
                   double_quoted[emit_token<TokenKind::quoted_identifier>{}] |
                   back_quoted[emit_token<TokenKind::quoted_identifier>{}] |
                   bracketed[emit_token<TokenKind::quoted_identifier>{}] |
                   x3::raw[number >> !letter][emit_token<TokenKind::number>{}] |
                   x3::raw[parameter][emit_token<TokenKind::parameter>{}] |
                   x3::raw[punct][emit_token<TokenKind::punct>{}];

const auto sql_text = *token >> x3::eoi;

}  // namespace cachalot::sqlscan::grammar
