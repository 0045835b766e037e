// The one translation unit that compiles the lexer grammar.
#include "sqlscan/lexer_def.hpp"

namespace cachalot::sqlscan {

bool tokenize(std::string_view sql, Dialect dialect, std::vector<Token>& tokens) {
    namespace x3 = boost::spirit::x3;
    const char* first = sql.data();
    const char* last = sql.data() + sql.size();
    auto parser = x3::with<grammar::dialect_tag>(dialect)[x3::with<grammar::tokens_tag>(std::ref(tokens))[grammar::sql_text]];
    try {
        return x3::parse(first, last, parser) && first == last;
    } catch (const x3::expectation_failure<const char*>&) {
        return false;
    }
}

}  // namespace cachalot::sqlscan
