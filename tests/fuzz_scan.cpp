// libFuzzer target for the SQL scanner (statements, and code as functions and triggers hold it): any bytes,
// every dialect; it must neither crash, hang, leak nor throw, and every answer must be well formed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sqlscan/scan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace cachalot::sqlscan;
    std::string_view sql(reinterpret_cast<const char*>(data), size);
    for (Dialect dialect : {Dialect::generic, Dialect::postgresql, Dialect::mysql, Dialect::sqlite}) {
        auto statements = scan(sql, dialect);
        for (const Statement& statement : statements) {
            if (statement.cachable && (!statement.reason.empty() || !statement.writes.empty())) std::abort();
            if (!statement.cachable && statement.reason.empty()) std::abort();
            if (to_json(statement).empty()) std::abort();
        }
        for (CodeLanguage language : {CodeLanguage::procedural, CodeLanguage::statements}) {
            const CodeWrites code = scan_code_writes(sql, dialect, language);
            if (!code.known && (!code.tables.empty() || !code.calls.empty() || code.sets_session)) std::abort();
        }
        for (const std::string& run : operator_runs(sql, dialect))
            if (run.empty() || run.find_first_not_of("+-*/<>=~!@#%^&|`?") != std::string::npos) std::abort();
    }
    return 0;
}
