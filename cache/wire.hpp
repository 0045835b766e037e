// One connection to a shared store (Redis or memcached), as the shared store uses it: each
// call is one round trip. A call that returns false (or Stored::unreachable) failed on the
// connection: `error` says why and the connection is not used again.
//
// With several servers (memcached), a key lives on the server its `place` hashes to: the shared
// store places every key of a namespace by the namespace, so that a lookup reads the entry and
// its tokens from one server in one round trip, and tokens compared across lookups (the epoch
// a connection read its schema under) come from the same server.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/store.hpp"

namespace cachalot::cache {

struct CacheLocation;

using Values = std::vector<std::optional<std::string>>;

class Wire {
public:
    virtual ~Wire() = default;
    // The value of each key on the server of `place`, nullopt when absent.
    virtual bool get(std::string_view place, const std::vector<std::string>& keys, Values& values) = 0;
    // On the server of `place`: sets each key that does not exist to its candidate, then reads
    // every key's value.
    virtual bool add_then_get(std::string_view place, const std::vector<std::string>& keys,
                              const std::vector<std::string>& candidates, Values& values) = 0;
    // Sets every key to its value on the server of its place, pipelined, each set confirmed.
    virtual bool set(const std::vector<std::string>& places, const std::vector<std::string>& keys,
                     const std::vector<std::string>& values) = 0;
    // Keeps one entry; refused when the store answers no (too large, out of memory).
    virtual Stored put(std::string_view place, const std::string& key, std::string_view value,
                       std::chrono::seconds ttl) = 0;
    // Gives back buffers grown for a large value, before the connection waits idle in a pool.
    virtual void trim() {}

    std::string error;
    // Changes whenever the server restarts (Redis's run_id): tokens are read through it, so a
    // server that reloads old tokens and entries from disk or a replica never makes them match.
    std::uint64_t incarnation = 0;
};

// The names an entry and a token have in a shared store.
std::string shared_entry_name(const Key& key);
std::string shared_token_name(const std::string& token_key);

// A connection to the store at `location`; null with `error` set when it cannot be made.
std::unique_ptr<Wire> connect_redis(const CacheLocation& location, std::chrono::milliseconds connect_timeout,
                                    std::chrono::milliseconds io_timeout, std::string& error);
std::unique_ptr<Wire> connect_memcached(const CacheLocation& location, std::chrono::milliseconds connect_timeout,
                                        std::chrono::milliseconds io_timeout, std::string& error);

}  // namespace cachalot::cache
