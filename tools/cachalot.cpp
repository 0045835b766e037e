// The cachalot command-line tool.
//   cachalot explain [--dialect D] [SQL | -]   what the scanner makes of SQL, one JSON object per statement
//   cachalot stats DSN                         the DSN's cache counters, summed from its CacheLog
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "cache/observe.hpp"
#include "odbcinst/attributes.hpp"
#include "sqlscan/scan.hpp"

namespace {

int usage() {
    std::cerr << "usage: cachalot explain [--dialect postgresql|mysql|sqlite|generic] [SQL | -]\n"
                 "       cachalot stats DSN\n";
    return 2;
}

// Counters live in each application process; the CacheLog is where every process that used
// the DSN wrote its decisions, so the totals across processes are counted from it.
int stats(int argc, char** argv) {
    using namespace cachalot;
    if (argc != 1) return usage();
    const std::string dsn = argv[0];
    if (!odbcinst::section_exists(odbcinst::IniFile::data_sources, dsn)) {
        std::cerr << "cachalot stats: no data source named '" << dsn << "' in odbc.ini\n";
        return 1;
    }
    const odbcinst::Attributes keys = odbcinst::read_section(odbcinst::IniFile::data_sources, dsn);
    std::string log_path = keys.get("CacheLog").value_or("");
    if (log_path.empty())
        log_path = odbcinst::read_section(odbcinst::IniFile::drivers, keys.get("Driver").value_or("Cachalot")).get("CacheLog").value_or("");
    if (log_path.empty()) {
        std::cerr << "cachalot stats: " << dsn << " has no CacheLog; set CacheLog=/path/to/file in its odbc.ini section "
                     "(applications can read their own process's counters through SQL_ATTR_CACHALOT_STATS)\n";
        return 1;
    }
    std::ifstream log(log_path);
    if (!log) {
        std::cerr << "cachalot stats: cannot read " << log_path << "\n";
        return 1;
    }
    cache::Counters counters;
    for (std::string line; std::getline(log, line);) {
        std::istringstream fields(line);
        std::string stamp, name, event, detail;
        fields >> stamp >> name >> event >> detail;
        if (name != dsn) continue;
        if (event == "hit") ++counters.hits;
        else if (event == "miss") {
            ++counters.misses;
            if (detail == "stored") ++counters.stores;
        } else if (event == "invalidate") ++counters.invalidations;
        else if (event == "bypass") {
            for (std::size_t i = 0; i < static_cast<std::size_t>(cache::Bypass::count_); ++i)
                if (detail == cache::bypass_name(static_cast<cache::Bypass>(i))) counters.bypassed(static_cast<cache::Bypass>(i));
        }
    }
    std::cout << counters.to_json() << '\n';
    return 0;
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
    if (argc >= 2 && std::strcmp(argv[1], "stats") == 0) return stats(argc - 2, argv + 2);
    return usage();
}
