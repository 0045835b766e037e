// What a cache store keeps (design.md "Invalidation protocol"): query entries under a 128-bit
// key, and version tokens (one per table and one epoch per namespace). The interface is shaped
// for a remote store: one lookup fetches the entry and every token at once, and invalidations
// come in a batch that can be pipelined.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cachalot::cache {

struct CacheLocation;  // cache/settings.hpp

using Token = std::uint64_t;

struct Key {
    std::uint64_t high = 0, low = 0;
    bool operator==(const Key& other) const { return high == other.high && low == other.low; }
};

// A 128-bit hash of `bytes`, the same in every process and release (it names shared entries).
// Not cryptographic: entries keep their key material and a hit compares it.
Key hash128(std::string_view bytes);

// A fresh random token from the kernel (never a fixed start value: a restarted or evicted
// store must never make an old entry look valid; and never a generator state a forked worker
// shares with its parent, which would hand out the same tokens twice).
Token random_token();

// What an entry holds besides its key: the captured results. The in-process store keeps the
// object itself and shares it with every statement served from it; a shared store keeps its
// encoding (cache/entry_format.hpp).
class Payload {
public:
    virtual ~Payload() = default;
    virtual std::size_t memory() const = 0;
    virtual void encode(std::string& out) const = 0;
};

struct Entry {
    std::string key_material;    // everything the key was hashed from, compared on a hit
    std::vector<Token> tokens;   // the tokens read before the query ran, in the lookup's order
    std::shared_ptr<const Payload> payload;

    std::size_t memory() const { return sizeof(Entry) + key_material.size() + tokens.size() * sizeof(Token) + payload->memory(); }
};

// Whether a shared store answered. The in-process store always does.
enum class Reach : std::uint8_t {
    answered,
    failed,       // this call tried and the store did not answer (the store now backs off)
    backing_off,  // skipped: the store failed a moment ago
    pending,      // skipped: an invalidation of the namespace is not delivered yet
};

// Rebuilds a payload from what Payload::encode wrote; null when it cannot.
using PayloadDecoder = std::shared_ptr<const Payload> (*)(std::string_view bytes);

struct Lookup {
    Reach reach = Reach::answered;       // anything else: no entry and no tokens
    std::shared_ptr<const Entry> entry;  // null when none is stored under the key
    std::vector<Token> tokens;           // the current token of each token key asked for
};

enum class Stored : std::uint8_t { yes, refused, unreachable };  // refused: too large, or the store said no

class Store {
public:
    virtual ~Store() = default;
    // In one round trip: the entry under `key` and the current token of each of `token_keys`
    // (a missing token is created at random). `name_space` holds the token keys.
    virtual Lookup lookup(const Key& key, std::string_view name_space, const std::vector<std::string>& token_keys) = 0;
    // Keeps `entry` under `key`; `ttl` zero means until evicted or invalidated.
    virtual Stored store(const Key& key, std::string_view name_space, std::shared_ptr<const Entry> entry,
                         std::chrono::seconds ttl) = 0;
    // Sets a fresh random token for each key: every entry stored with an older one is dead.
    // False when a shared store could not be told: the store keeps the keys, retries, and
    // answers no lookup in `name_space` until they are delivered.
    virtual bool invalidate(std::string_view name_space, const std::vector<std::string>& token_keys) = 0;
    // What went wrong last, for the log ("" when nothing did).
    virtual std::string problem() const { return {}; }
};

// The in-process store shared by every connection of the process: `bytes` at least (a later
// connection asking for more grows it), LRU beyond.
std::shared_ptr<Store> memory_store(std::size_t bytes);
// An in-process store of its own, in 16 shards of bytes/16 each (for tests and benchmarks).
std::shared_ptr<Store> new_memory_store(std::size_t bytes);

// The shared store at `location` (Redis or memcached), one per process and location: its
// connections are pooled for every connection of the process. Nothing is contacted yet.
std::shared_ptr<Store> shared_store(const CacheLocation& location, std::chrono::milliseconds connect_timeout,
                                    std::chrono::milliseconds io_timeout, PayloadDecoder decode_payload);

// The name of a table's token and of a namespace's epoch.
std::string table_token_key(std::string_view name_space, std::string_view table);
std::string epoch_token_key(std::string_view name_space);

}  // namespace cachalot::cache
