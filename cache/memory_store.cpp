// The in-process store: entries in shards, each with its own lock and LRU list, so threads
// that look up different queries rarely wait for each other; tokens in shards of their own
// behind reader-writer locks (they change only on writes).
#include <array>
#include <iterator>
#include <list>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "cache/store.hpp"

namespace cachalot::cache {

namespace {

struct KeyHash {
    std::size_t operator()(const Key& key) const { return static_cast<std::size_t>(key.low); }
};

using Clock = std::chrono::steady_clock;

class MemoryStore final : public Store {
public:
    explicit MemoryStore(std::size_t bytes) { grow(bytes); }

    void grow(std::size_t bytes) {
        const std::size_t per_shard = bytes / entry_shards;
        for (auto& shard : entries_) {
            std::lock_guard lock(shard.mutex);
            if (per_shard > shard.capacity) shard.capacity = per_shard;
        }
    }

    Lookup lookup(const Key& key, std::string_view, const std::vector<std::string>& token_keys) override {
        Lookup found;
        found.tokens.reserve(token_keys.size());
        for (const auto& token_key : token_keys) found.tokens.push_back(token(token_key));
        EntryShard& shard = entries_[key.high % entry_shards];
        std::lock_guard lock(shard.mutex);
        auto it = shard.index.find(key);
        if (it == shard.index.end()) return found;
        auto node = it->second;
        if (node->expires != Clock::time_point{} && Clock::now() >= node->expires) {
            forget(shard, node);
            return found;
        }
        shard.lru.splice(shard.lru.begin(), shard.lru, node);
        found.entry = node->entry;
        return found;
    }

    Stored store(const Key& key, std::string_view, std::shared_ptr<const Entry> entry, std::chrono::seconds ttl) override {
        const std::size_t bytes = entry->memory() + sizeof(Node) + sizeof(Key) * 2;
        EntryShard& shard = entries_[key.high % entry_shards];
        std::lock_guard lock(shard.mutex);
        if (auto it = shard.index.find(key); it != shard.index.end()) forget(shard, it->second);
        if (bytes > shard.capacity) return Stored::refused;
        while (shard.used + bytes > shard.capacity) forget(shard, std::prev(shard.lru.end()));  // the least recently used
        const Clock::time_point expires = ttl.count() > 0 ? Clock::now() + ttl : Clock::time_point{};
        shard.lru.push_front(Node{key, std::move(entry), bytes, expires});
        shard.index.emplace(key, shard.lru.begin());
        shard.used += bytes;
        return Stored::yes;
    }

    bool invalidate(std::string_view, const std::vector<std::string>& token_keys) override {
        for (const auto& token_key : token_keys) {
            TokenShard& shard = token_shard(token_key);
            std::unique_lock lock(shard.mutex);
            shard.tokens[token_key] = random_token();
        }
        return true;
    }

private:
    static constexpr std::size_t entry_shards = 16, token_shards = 16;

    struct Node {
        Key key;
        std::shared_ptr<const Entry> entry;
        std::size_t bytes;
        Clock::time_point expires;  // epoch value: never
    };
    struct EntryShard {
        std::mutex mutex;
        std::list<Node> lru;  // most recently used first
        std::unordered_map<Key, std::list<Node>::iterator, KeyHash> index;
        std::size_t used = 0, capacity = 0;
    };
    struct TokenShard {
        std::shared_mutex mutex;
        std::unordered_map<std::string, Token> tokens;
    };

    // Drops an entry from its shard (whose lock the caller holds).
    static void forget(EntryShard& shard, std::list<Node>::iterator node) {
        shard.used -= node->bytes;
        shard.index.erase(node->key);
        shard.lru.erase(node);
    }

    TokenShard& token_shard(const std::string& token_key) {
        return tokens_[std::hash<std::string>{}(token_key) % token_shards];
    }

    Token token(const std::string& token_key) {
        TokenShard& shard = token_shard(token_key);
        {
            std::shared_lock lock(shard.mutex);
            auto it = shard.tokens.find(token_key);
            if (it != shard.tokens.end()) return it->second;
        }
        std::unique_lock lock(shard.mutex);
        return shard.tokens.try_emplace(token_key, random_token()).first->second;
    }

    std::array<EntryShard, entry_shards> entries_;
    std::array<TokenShard, token_shards> tokens_;
};

}  // namespace

std::shared_ptr<Store> new_memory_store(std::size_t bytes) { return std::make_shared<MemoryStore>(bytes); }

std::shared_ptr<Store> memory_store(std::size_t bytes) {
    static std::mutex mutex;
    static std::shared_ptr<MemoryStore> store;
    std::lock_guard lock(mutex);
    if (!store) store = std::make_shared<MemoryStore>(bytes);
    else store->grow(bytes);
    return store;
}

}  // namespace cachalot::cache
