// The shim's own settings (design.md "Settings"), validated all at once at connect time.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "odbcinst/attributes.hpp"

namespace cachalot::cache {

// A bad value: the message names the key, so users can find the line to fix.
class SettingError : public std::runtime_error {
public:
    SettingError(std::string key, const std::string& problem)
        : std::runtime_error(key + ": " + problem), key_(std::move(key)) {}
    const std::string& key() const { return key_; }

private:
    std::string key_;
};

struct CacheServer {
    std::string host;
    int port = 0;
};

struct CacheLocation {
    enum class Kind { memory, redis, redis_unix, memcached };
    Kind kind = Kind::memory;
    std::string password;             // redis
    int database = 0;                 // redis
    std::string socket_path;          // redis+unix
    std::vector<CacheServer> servers; // redis: one; memcached: one or more
};

struct Settings {
    std::string target_driver;
    std::string target_dsn;
    CacheLocation cache;
    bool enabled = true;
    std::int64_t timeout_seconds = 0;
    bool cache_random = false;
    bool every_miss = false;  // in-process: store misses of statements that never come back too (cache/admission.hpp)
    std::vector<std::string> only_cachable_tables;
    std::vector<std::string> uncachable_tables;
    bool invalidate_unparsed = true;
    std::map<std::string, std::vector<std::string>> invalidate_also;
    std::int64_t max_entry_size = 1048576;
    std::int64_t memory_size = 67108864;
    std::string key_prefix;
    std::string log_path;
    std::int64_t connect_timeout_ms = 50;
    std::int64_t io_timeout_ms = 100;

    // Reads every key the shim owns from `attributes`; throws SettingError on the first bad one.
    static Settings parse(const odbcinst::Attributes& attributes);
};

// True for the keys the shim consumes; every other key goes to the target unchanged.
bool is_own_key(std::string_view key);

// How tables compare: unquoted, without schema or catalog, lower-case.
std::string normalize_table_name(std::string_view name);

}  // namespace cachalot::cache
