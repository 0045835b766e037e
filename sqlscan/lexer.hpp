// The lexer: a Boost.Spirit X3 grammar that splits SQL text into tokens by a dialect's rules
// for comments, strings, quoted identifiers and parameter markers (grammar in lexer_def.hpp).
#pragma once

#include <string_view>
#include <vector>

#include "sqlscan/token.hpp"

namespace cachalot::sqlscan {

// Appends the tokens of `sql` to `tokens`; false when the text cannot be read (an unterminated
// string, quoted identifier, comment or dollar quote), and then the tokens are incomplete.
bool tokenize(std::string_view sql, Dialect dialect, std::vector<Token>& tokens);

}  // namespace cachalot::sqlscan
