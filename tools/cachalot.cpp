// The cachalot command-line tool.
//   cachalot explain [--dialect D] [SQL | -]   what the scanner makes of SQL, one JSON object per statement
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>

#include "sqlscan/scan.hpp"

namespace {

int usage() {
    std::cerr << "usage: cachalot explain [--dialect postgresql|mysql|sqlite|generic] [SQL | -]\n";
    return 2;
}

int explain(int argc, char** argv) {
    using namespace cachalot::sqlscan;
    Dialect dialect = Dialect::generic;
    std::string sql;
    bool have_sql = false;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--dialect") == 0 && i + 1 < argc) {
            if (!parse_dialect(argv[++i], dialect)) {
                std::cerr << "cachalot explain: unknown dialect '" << argv[i] << "'\n";
                return 2;
            }
        } else if (!have_sql) {
            sql = argv[i];
            have_sql = true;
        } else {
            return usage();
        }
    }
    if (!have_sql || sql == "-") sql.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    for (const Statement& statement : scan(sql, dialect)) std::cout << to_json(statement) << '\n';
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::strcmp(argv[1], "explain") == 0) return explain(argc - 2, argv + 2);
    return usage();
}
