#include "cache/observe.hpp"

#include <ctime>
#include <map>
#include <stdexcept>
#include <sys/time.h>

#include <cerrno>
#include <cstring>

namespace cachalot::cache {

namespace {

constexpr const char* bypass_names[] = {
    "not_a_read", "unparsed", "not_pure", "system_catalog", "temporary_table", "unknown_view",
    "uncachable_table", "not_cachable_table", "transaction", "cursor", "session", "disabled", "store",
};
static_assert(std::size(bypass_names) == static_cast<std::size_t>(Bypass::count_));

}  // namespace

const char* bypass_name(Bypass reason) { return bypass_names[static_cast<std::size_t>(reason)]; }

Bypass bypass_for_scanner_reason(std::string_view reason) {
    auto starts = [&](std::string_view prefix) { return reason.substr(0, prefix.size()) == prefix; };
    if (starts("could not be parsed")) return Bypass::unparsed;
    if (starts("reads a system catalog")) return Bypass::system_catalog;
    if (starts("uses a random") || starts("uses a volatile") || starts("calls a function")) return Bypass::not_pure;
    return Bypass::not_a_read;
}

std::string Counters::to_json() const {
    auto number = [](const std::atomic<std::uint64_t>& n) { return std::to_string(n.load(std::memory_order_relaxed)); };
    std::string out = "{\"hits\":" + number(hits) + ",\"misses\":" + number(misses) + ",\"stores\":" + number(stores) +
                      ",\"invalidations\":" + number(invalidations) +
                      ",\"store_errors\":" + number(store_errors) + ",\"bypasses\":{";
    for (std::size_t i = 0; i < bypasses.size(); ++i) {
        if (i) out += ',';
        out += "\"" + std::string(bypass_names[i]) + "\":" + number(bypasses[i]);
    }
    return out + "}}";
}

std::shared_ptr<Counters> counters_for(const std::string& data_source) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<Counters>> all;
    std::lock_guard lock(mutex);
    auto& counters = all[data_source];
    if (!counters) counters = std::make_shared<Counters>();
    return counters;
}

std::shared_ptr<DecisionLog> DecisionLog::open(const std::string& path) {
    static std::mutex mutex;
    static std::map<std::string, std::weak_ptr<DecisionLog>> open_logs;
    std::lock_guard lock(mutex);
    if (auto log = open_logs[path].lock()) return log;
    std::FILE* file = std::fopen(path.c_str(), "a");
    if (!file) throw std::runtime_error("cannot open " + path + " for appending: " + std::strerror(errno));
    std::shared_ptr<DecisionLog> log(new DecisionLog(file));
    open_logs[path] = log;
    return log;
}

DecisionLog::~DecisionLog() { std::fclose(file_); }

void DecisionLog::write(std::string_view dsn, std::string_view event, std::string_view detail, std::string_view sql) {
    timeval now{};
    gettimeofday(&now, nullptr);
    std::tm utc{};
    gmtime_r(&now.tv_sec, &utc);
    char stamp[64];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(now.tv_usec / 1000));
    std::string line = stamp;
    line += ' ';
    line += dsn.empty() ? "-" : dsn;
    line += ' ';
    line += event;
    if (!detail.empty()) {
        line += ' ';
        line += detail;
    }
    if (!sql.empty()) {
        line += " | ";
        const std::size_t cut = std::min<std::size_t>(sql.size(), 300);
        for (char c : sql.substr(0, cut)) line += c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
        if (cut < sql.size()) line += "...";
    }
    line += '\n';
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
}

}  // namespace cachalot::cache
