// A bounded cache of scan results keyed by dialect and SQL text: a statement the application
// repeats costs a hash lookup instead of a scan. Safe to share between threads.
#pragma once

#include <array>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sqlscan/scan.hpp"

namespace cachalot::sqlscan {

class ParseCache {
public:
    using Result = std::shared_ptr<const std::vector<Statement>>;

    // Keeps at most `capacity` statements' texts, the least recently used leaving first. A text
    // is kept from its second scan on: texts seen once (values written into the SQL) would
    // only push out the statements that repeat, and storing them is most of a new text's cost.
    explicit ParseCache(size_t capacity);

    Result scan(std::string_view sql, Dialect dialect);

private:
    static constexpr size_t shard_count = 16;  // threads scanning different texts rarely meet
    static constexpr size_t doorkeeper_slots = 1024;  // per shard

    struct Shard {
        std::mutex mutex;
        std::list<std::string> recency;  // keys, most recent first
        std::unordered_map<std::string_view, std::pair<Result, std::list<std::string>::iterator>> entries;
        std::array<size_t, doorkeeper_slots> seen_once{};  // hashes of texts scanned once, not kept
    };

    size_t per_shard_;
    std::array<Shard, shard_count> shards_;
};

}  // namespace cachalot::sqlscan
