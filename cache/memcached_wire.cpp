// The memcached wire (libmemcached): one multi-get for a lookup across every server (keys
// spread by consistent hashing, ketama), add for missing tokens, set for the rest.
#include <libmemcached/memcached.h>

#include <ctime>

#include "cache/settings.hpp"
#include "cache/wire.hpp"

namespace cachalot::cache {

namespace {

// memcached reads an expiry beyond 30 days as a Unix time.
constexpr long long relative_expiry_limit = 60 * 60 * 24 * 30;

class MemcachedWire final : public Wire {
public:
    explicit MemcachedWire(memcached_st* handle) : handle_(handle) {}
    ~MemcachedWire() override { memcached_free(handle_); }

    bool get(const std::vector<std::string>& keys, Values& values) override {
        std::vector<const char*> names;
        std::vector<std::size_t> lengths;
        for (const auto& key : keys) {
            names.push_back(key.data());
            lengths.push_back(key.size());
        }
        memcached_return_t rc = memcached_mget(handle_, names.data(), lengths.data(), names.size());
        if (rc != MEMCACHED_SUCCESS) return failed(rc);
        values.assign(keys.size(), std::nullopt);
        memcached_result_st result;
        memcached_result_create(handle_, &result);
        while (memcached_fetch_result(handle_, &result, &rc)) {
            const std::string_view key(memcached_result_key_value(&result), memcached_result_key_length(&result));
            for (std::size_t i = 0; i < keys.size(); ++i)
                if (keys[i] == key)
                    values[i] = std::string(memcached_result_value(&result), memcached_result_length(&result));
        }
        memcached_result_free(&result);
        return rc == MEMCACHED_END || rc == MEMCACHED_NOTFOUND || failed(rc);
    }

    bool add_then_get(const std::vector<std::string>& keys, const std::vector<std::string>& candidates,
                      Values& values) override {
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const memcached_return_t rc = memcached_add(handle_, keys[i].data(), keys[i].size(), candidates[i].data(),
                                                        candidates[i].size(), 0, 0);
            if (rc != MEMCACHED_SUCCESS && rc != MEMCACHED_NOTSTORED && rc != MEMCACHED_DATA_EXISTS) return failed(rc);
        }
        return get(keys, values);
    }

    // libmemcached confirms a set only by waiting for its reply: one request per key.
    bool set(const std::vector<std::string>& keys, const std::vector<std::string>& new_values) override {
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const memcached_return_t rc = memcached_set(handle_, keys[i].data(), keys[i].size(), new_values[i].data(),
                                                        new_values[i].size(), 0, 0);
            if (rc != MEMCACHED_SUCCESS) return failed(rc);
        }
        return true;
    }

    Stored put(const std::string& key, std::string_view value, std::chrono::seconds ttl) override {
        long long expiry = ttl.count();
        if (expiry > relative_expiry_limit) expiry += std::time(nullptr);
        const memcached_return_t rc =
            memcached_set(handle_, key.data(), key.size(), value.data(), value.size(), static_cast<time_t>(expiry), 0);
        if (rc == MEMCACHED_SUCCESS) return Stored::yes;
        if (rc == MEMCACHED_E2BIG || rc == MEMCACHED_MEMORY_ALLOCATION_FAILURE ||
            rc == MEMCACHED_SERVER_MEMORY_ALLOCATION_FAILURE || rc == MEMCACHED_NOTSTORED)
            return Stored::refused;
        failed(rc);
        return Stored::unreachable;
    }

private:
    bool failed(memcached_return_t rc) {
        error = "memcached: " + std::string(memcached_strerror(handle_, rc));
        return false;
    }

    memcached_st* handle_;
};

}  // namespace

std::unique_ptr<Wire> connect_memcached(const CacheLocation& location, std::chrono::milliseconds connect_timeout,
                                        std::chrono::milliseconds io_timeout, std::string& error) {
    memcached_st* handle = memcached_create(nullptr);
    if (!handle) {
        error = "memcached: out of memory";
        return nullptr;
    }
    auto wire = std::make_unique<MemcachedWire>(handle);
    const auto io_microseconds = static_cast<std::uint64_t>(io_timeout.count()) * 1000;
    const std::pair<memcached_behavior_t, std::uint64_t> behaviors[] = {
        {MEMCACHED_BEHAVIOR_KETAMA, 1},
        {MEMCACHED_BEHAVIOR_NO_BLOCK, 1},  // so the connect timeout applies
        {MEMCACHED_BEHAVIOR_TCP_NODELAY, 1},
        {MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, static_cast<std::uint64_t>(connect_timeout.count())},
        {MEMCACHED_BEHAVIOR_POLL_TIMEOUT, static_cast<std::uint64_t>(io_timeout.count())},
        {MEMCACHED_BEHAVIOR_SND_TIMEOUT, io_microseconds},
        {MEMCACHED_BEHAVIOR_RCV_TIMEOUT, io_microseconds},
    };
    for (const auto& [behavior, value] : behaviors) memcached_behavior_set(handle, behavior, value);
    for (const auto& server : location.servers) {
        const memcached_return_t rc = memcached_server_add(handle, server.host.c_str(), static_cast<in_port_t>(server.port));
        if (rc != MEMCACHED_SUCCESS) {
            error = "memcached: " + std::string(memcached_strerror(handle, rc));
            return nullptr;
        }
    }
    return wire;
}

}  // namespace cachalot::cache
