#include "cache/settings.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdint>
#include <functional>

namespace cachalot::cache {

namespace {

using odbcinst::iequals;

constexpr std::string_view own_keys[] = {
    "TargetDriver",     "TargetDSN",          "Cache",           "CacheEnabled",
    "CacheTimeout",     "CacheRandom",        "OnlyCachableTables", "UncachableTables",
    "InvalidateUnparsed", "InvalidateAlso",   "CacheMaxEntrySize", "CacheMemorySize",
    "CacheKeyPrefix",   "CacheLog",           "CacheConnectTimeout", "CacheIOTimeout",
    "CacheEveryMiss",
};

std::string quoted(std::string_view value) { return "'" + std::string(value) + "'"; }

bool parse_bool(const std::string& key, const std::string& value) {
    for (auto yes : {"1", "yes", "true", "on"})
        if (iequals(value, yes)) return true;
    for (auto no : {"0", "no", "false", "off"})
        if (iequals(value, no)) return false;
    throw SettingError(key, quoted(value) + " is not 0 or 1");
}

std::int64_t parse_count(const std::string& key, const std::string& value, std::int64_t min,
                         const char* unit) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size())
        throw SettingError(key, quoted(value) + " is not a whole number of " + unit);
    if (n < min)
        throw SettingError(key, quoted(value) + " must be at least " + std::to_string(min) + " " + unit);
    return n;
}

// Follows "", `` and [] quoting a character at a time.
struct Quoting {
    char closing = 0;
    // True for a quote character or a character inside quotes.
    bool quoted(char c) {
        if (closing) {
            if (c == closing) closing = 0;
            return true;
        }
        if (c == '"' || c == '`' || c == '[') {
            closing = c == '[' ? ']' : c;
            return true;
        }
        return false;
    }
};

bool is_separator(char c) { return c == ',' || std::isspace(static_cast<unsigned char>(c)); }

// Splits at commas and spaces, and at `stop` characters if given, outside "", `` and [] quotes:
// a quoted name may contain all of them.
std::vector<std::string> split_list(std::string_view text, std::string_view stops = {}) {
    std::vector<std::string> items;
    std::string item;
    Quoting quoting;
    for (char c : text) {
        const bool stop = stops.find(c) != std::string_view::npos;
        if (!quoting.quoted(c) && (is_separator(c) || stop)) {
            if (!item.empty()) items.push_back(std::move(item));
            item.clear();
            if (stop) items.emplace_back(1, c);
            continue;
        }
        item += c;
    }
    if (!item.empty()) items.push_back(std::move(item));
    return items;
}

std::vector<std::string> parse_tables(const std::string& key, const std::string& value) {
    std::vector<std::string> tables;
    for (const auto& item : split_list(value)) {
        std::string name = normalize_table_name(item);
        if (name.empty()) throw SettingError(key, quoted(item) + " is not a table name");
        tables.push_back(std::move(name));
    }
    return tables;
}

std::map<std::string, std::vector<std::string>> parse_dependencies(const std::string& key,
                                                                   const std::string& value) {
    // table:dependent dependent;table2:dependent, with ':' and ';' as tokens of their own.
    std::map<std::string, std::vector<std::string>> deps;
    auto bad = [&] { return SettingError(key, quoted(value) + " is not 'table:dependent tables;...'"); };
    auto items = split_list(value, ":;");
    for (size_t i = 0; i < items.size();) {
        if (items[i] == ";") {
            ++i;
            continue;
        }
        if (i + 1 >= items.size() || items[i + 1] != ":" || items[i] == ":") throw bad();
        std::string table = normalize_table_name(items[i]);
        if (table.empty()) throw bad();
        std::vector<std::string> dependents;
        for (i += 2; i < items.size() && items[i] != ";"; ++i) {
            if (items[i] == ":") throw bad();
            std::string dependent = normalize_table_name(items[i]);
            if (dependent.empty()) throw bad();
            dependents.push_back(std::move(dependent));
        }
        if (dependents.empty()) throw bad();
        auto& list = deps[table];
        list.insert(list.end(), dependents.begin(), dependents.end());
    }
    return deps;
}

int parse_port(const std::string& key, std::string_view text) {
    std::int64_t port = parse_count(key, std::string(text), 1, "(a TCP port)");
    if (port > 65535) throw SettingError(key, quoted(text) + " is not a TCP port");
    return static_cast<int>(port);
}

CacheServer parse_server(const std::string& key, std::string_view text, int default_port) {
    CacheServer server{std::string(text), default_port};
    if (!text.empty() && text.front() == '[') {  // [::1]:6379
        size_t close = text.find(']');
        if (close == std::string_view::npos) throw SettingError(key, quoted(text) + " has an unclosed '['");
        server.host = std::string(text.substr(1, close - 1));
        if (close + 1 < text.size()) {
            if (text[close + 1] != ':') throw SettingError(key, quoted(text) + " is not host[:port]");
            server.port = parse_port(key, text.substr(close + 2));
        }
    } else if (size_t colon = text.rfind(':'); colon != std::string_view::npos) {
        server.host = std::string(text.substr(0, colon));
        server.port = parse_port(key, text.substr(colon + 1));
    }
    if (server.host.empty()) throw SettingError(key, quoted(text) + " names no host");
    return server;
}

CacheLocation parse_location(const std::string& key, const std::string& value) {
    CacheLocation location;
    const std::string redis = "redis://", redis_unix = "redis+unix://", memcached = "memcached://";
    auto starts = [&](const std::string& prefix) {
        return value.size() >= prefix.size() && iequals(value.substr(0, prefix.size()), prefix);
    };
    if (iequals(value, "memory")) return location;
    if (starts(redis_unix)) {
        location.kind = CacheLocation::Kind::redis_unix;
        location.socket_path = value.substr(redis_unix.size());
        if (location.socket_path.empty() || location.socket_path.front() != '/')
            throw SettingError(key, quoted(value) + " needs an absolute socket path: redis+unix:///path");
        return location;
    }
    if (starts(redis)) {
        location.kind = CacheLocation::Kind::redis;
        std::string_view rest(value);
        rest.remove_prefix(redis.size());
        if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
            std::string_view auth = rest.substr(0, at);
            if (!auth.empty() && auth.front() == ':') auth.remove_prefix(1);
            location.password = std::string(auth);
            rest.remove_prefix(at + 1);
        }
        if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
            std::int64_t database = parse_count(key, std::string(rest.substr(slash + 1)), 0, "(a Redis database number)");
            if (database > INT32_MAX) throw SettingError(key, quoted(rest.substr(slash + 1)) + " is not a Redis database number");
            location.database = static_cast<int>(database);
            rest = rest.substr(0, slash);
        }
        location.servers.push_back(parse_server(key, rest, 6379));
        return location;
    }
    if (starts(memcached)) {
        location.kind = CacheLocation::Kind::memcached;
        std::string_view rest(value);
        rest.remove_prefix(memcached.size());
        size_t start = 0;
        while (start <= rest.size()) {
            size_t comma = rest.find(',', start);
            if (comma == std::string_view::npos) comma = rest.size();
            location.servers.push_back(parse_server(key, rest.substr(start, comma - start), 11211));
            start = comma + 1;
        }
        return location;
    }
    throw SettingError(key, quoted(value) +
                                " is not memory, redis://[:password@]host[:port][/db], "
                                "redis+unix:///path or memcached://host[:port][,host[:port]...]");
}

std::string parse_prefix(const std::string& key, const std::string& value) {
    if (value.size() > 64) throw SettingError(key, "is longer than 64 bytes");
    for (unsigned char c : value)
        if (c <= ' ' || c == 0x7f) throw SettingError(key, quoted(value) + " contains a space or control character");
    return value;
}

std::string parse_log_path(const std::string& key, const std::string& value) {
    if (value.empty()) return value;
    if (std::FILE* f = std::fopen(value.c_str(), "a")) {
        std::fclose(f);
        return value;
    }
    throw SettingError(key, "cannot open " + quoted(value) + " for appending");
}

}  // namespace

bool is_own_key(std::string_view key) {
    return std::any_of(std::begin(own_keys), std::end(own_keys),
                       [&](std::string_view own) { return iequals(own, key); });
}

std::string normalize_table_name(std::string_view name) {
    // The last dotted part, outside quotes, is the table.
    size_t start = 0;
    Quoting quoting;
    for (size_t i = 0; i < name.size(); ++i)
        if (!quoting.quoted(name[i]) && name[i] == '.') start = i + 1;
    std::string table;
    for (char c : name.substr(start))
        if (c != '"' && c != '`' && c != '[' && c != ']')
            table += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return table;
}

Settings Settings::parse(const odbcinst::Attributes& attributes) {
    Settings s;
    // Each key is read with the canonical spelling, so the error names it as the docs do.
    auto with = [&](const char* key, const std::function<void(const std::string&, const std::string&)>& apply) {
        if (auto value = attributes.get(key)) apply(key, *value);
    };
    with("TargetDriver", [&](auto&, auto& v) { s.target_driver = v; });
    with("TargetDSN", [&](auto&, auto& v) { s.target_dsn = v; });
    with("Cache", [&](auto& k, auto& v) { s.cache = parse_location(k, v); });
    with("CacheEnabled", [&](auto& k, auto& v) { s.enabled = parse_bool(k, v); });
    with("CacheTimeout", [&](auto& k, auto& v) { s.timeout_seconds = parse_count(k, v, 0, "seconds"); });
    with("CacheRandom", [&](auto& k, auto& v) { s.cache_random = parse_bool(k, v); });
    with("CacheEveryMiss", [&](auto& k, auto& v) { s.every_miss = parse_bool(k, v); });
    with("OnlyCachableTables", [&](auto& k, auto& v) { s.only_cachable_tables = parse_tables(k, v); });
    with("UncachableTables", [&](auto& k, auto& v) { s.uncachable_tables = parse_tables(k, v); });
    with("InvalidateUnparsed", [&](auto& k, auto& v) { s.invalidate_unparsed = parse_bool(k, v); });
    with("InvalidateAlso", [&](auto& k, auto& v) { s.invalidate_also = parse_dependencies(k, v); });
    with("CacheMaxEntrySize", [&](auto& k, auto& v) { s.max_entry_size = parse_count(k, v, 1, "bytes"); });
    with("CacheMemorySize", [&](auto& k, auto& v) { s.memory_size = parse_count(k, v, 1, "bytes"); });
    with("CacheKeyPrefix", [&](auto& k, auto& v) { s.key_prefix = parse_prefix(k, v); });
    with("CacheLog", [&](auto& k, auto& v) { s.log_path = parse_log_path(k, v); });
    with("CacheConnectTimeout", [&](auto& k, auto& v) { s.connect_timeout_ms = parse_count(k, v, 1, "milliseconds"); });
    with("CacheIOTimeout", [&](auto& k, auto& v) { s.io_timeout_ms = parse_count(k, v, 1, "milliseconds"); });
    if (!s.target_driver.empty() && !s.target_dsn.empty())
        throw SettingError("TargetDSN", "set TargetDriver or TargetDSN, not both");
    return s;
}

}  // namespace cachalot::cache
