#include "cache/admission.hpp"

namespace cachalot::cache {

bool Admission::admits(std::uint64_t shape, std::uint64_t key) {
    if (stored_since_hit_[shape % shape_slots].load(std::memory_order_relaxed) < cold_after) return true;
    // A key pushed out of its slot by another before it came back waits for one more miss.
    return missed_keys_[key % key_slots].exchange(key, std::memory_order_relaxed) == key;
}

void Admission::stored(std::uint64_t shape) {
    std::atomic<std::uint32_t>& count = stored_since_hit_[shape % shape_slots];
    if (count.load(std::memory_order_relaxed) < cold_after) count.fetch_add(1, std::memory_order_relaxed);
}

void Admission::hit(std::uint64_t shape) {
    std::atomic<std::uint32_t>& count = stored_since_hit_[shape % shape_slots];
    if (count.load(std::memory_order_relaxed) != 0) count.store(0, std::memory_order_relaxed);  // no write when warm
}

Admission& admission() {
    static Admission process_wide;
    return process_wide;
}

}  // namespace cachalot::cache
