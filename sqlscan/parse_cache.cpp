#include "sqlscan/parse_cache.hpp"

#include <functional>

namespace cachalot::sqlscan {

ParseCache::ParseCache(size_t capacity) : per_shard_(std::max<size_t>(1, capacity / shard_count)) {}

ParseCache::Result ParseCache::scan(std::string_view sql, Dialect dialect) {
    // The key is the text with the dialect in front: the same text reads differently by dialect.
    // One buffer per thread: a lookup allocates nothing (given back after a long text).
    thread_local std::string key;
    if (key.capacity() > 65536) std::string().swap(key);
    key.assign(1, static_cast<char>('0' + static_cast<int>(dialect)));
    key += sql;
    const size_t hash = std::hash<std::string_view>{}(key);
    Shard& shard = shards_[hash % shard_count];
    {
        std::lock_guard<std::mutex> lock(shard.mutex);
        if (auto it = shard.entries.find(key); it != shard.entries.end()) {
            shard.recency.splice(shard.recency.begin(), shard.recency, it->second.second);
            return it->second.first;
        }
    }
    Result result = std::make_shared<const std::vector<Statement>>(sqlscan::scan(sql, dialect));
    std::lock_guard<std::mutex> lock(shard.mutex);
    if (shard.entries.count(key)) return result;  // another thread scanned it meanwhile
    size_t& seen = shard.seen_once[hash / shard_count % doorkeeper_slots];
    if (seen != hash) {
        seen = hash;
        return result;
    }
    seen = 0;
    shard.recency.push_front(key);
    shard.entries.emplace(shard.recency.front(), std::make_pair(result, shard.recency.begin()));
    while (shard.entries.size() > per_shard_) {
        shard.entries.erase(shard.recency.back());
        shard.recency.pop_back();
    }
    return result;
}

}  // namespace cachalot::sqlscan
