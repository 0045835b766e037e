// What the cache did, for people: counters per DSN (read by applications through
// SQL_ATTR_CACHALOT_STATS and by `cachalot stats`) and the CacheLog, one line per decision.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace cachalot::cache {

// Why a statement was neither served from nor stored in the cache.
enum class Bypass : std::uint8_t {
    not_a_read,        // writes, DDL, session statements, SELECT ... INTO, locking reads
    unparsed,          // the scanner could not read it
    not_pure,          // random, volatile or unknown functions
    system_catalog,
    temporary_table,   // reads a temporary table of the connection
    unknown_view,      // reads a view whose base tables are not known
    uncachable_table,  // UncachableTables
    not_cachable_table,  // OnlyCachableTables
    transaction,       // reads what the open transaction wrote, or isolation above READ COMMITTED
    cursor,            // the cursor, parameters or descriptors the application set
    session,           // a session state the key cannot capture
    disabled,          // CacheEnabled=0
    store,             // the shared store did not answer, or this process owes it an invalidation
    count_
};
const char* bypass_name(Bypass reason);
// The Bypass a scanner reason stands for (the scanner's flags are summed up in its text).
Bypass bypass_for_scanner_reason(std::string_view reason);

struct Counters {
    std::atomic<std::uint64_t> hits{0}, misses{0}, stores{0}, invalidations{0};
    std::atomic<std::uint64_t> store_errors{0};  // calls to a shared store that failed
    std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(Bypass::count_)> bypasses{};

    void bypassed(Bypass reason) { bypasses[static_cast<std::size_t>(reason)].fetch_add(1, std::memory_order_relaxed); }
    // {"hits":1,"misses":2,"stores":1,"invalidations":0,"bypasses":{"not_a_read":3,...}}
    std::string to_json() const;
};

// The counters of a DSN in this process (one object per name, shared by its connections).
std::shared_ptr<Counters> counters_for(const std::string& data_source);

class DecisionLog {
public:
    // The log writing to `path` (appending), shared by every connection that names it.
    // Throws std::runtime_error when the file cannot be opened.
    static std::shared_ptr<DecisionLog> open(const std::string& path);
    ~DecisionLog();

    // "<UTC time> <dsn> <event> <detail> | <sql>" with the SQL on one line, cut at 300 bytes.
    void write(std::string_view dsn, std::string_view event, std::string_view detail, std::string_view sql = {});

private:
    explicit DecisionLog(std::FILE* file) : file_(file) {}
    std::mutex mutex_;
    std::FILE* file_;
};

}  // namespace cachalot::cache
