// Which misses the in-process cache stores. Capturing a result more than doubles what the shim
// adds to a miss (README "Statements that never come back"); statements that differ only in
// their values, a point select by ever new ids, may never be read twice and would pay it for
// nothing. So the process counts, per statement shape (sqlscan's Statement::shape), the results
// it stored since the shape's last hit. From `cold_after` on, a miss of that shape is stored only
// when its own key missed not long before; the next hit of the shape stores every miss again.
// Only a store private to the process sees every hit of what it stored; a shared one stores
// every miss.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace cachalot::cache {

class Admission {
public:
    static constexpr std::uint32_t cold_after = 32;
    // Whether to capture and store a miss of `key` (a hash of its key) in statements of `shape`.
    bool admits(std::uint64_t shape, std::uint64_t key);
    void stored(std::uint64_t shape);
    void hit(std::uint64_t shape);

private:
    // Shapes share a count when their hashes meet in a slot: then a hit of one stores the
    // other's misses too, which costs time, never a hit. No lock: every hit passes here.
    static constexpr std::size_t shape_slots = 4096;
    static constexpr std::size_t key_slots = 4096;
    std::array<std::atomic<std::uint32_t>, shape_slots> stored_since_hit_{};
    std::array<std::atomic<std::uint64_t>, key_slots> missed_keys_{};  // keys not stored, by slot
};

// The process's, shared by every connection.
Admission& admission();

}  // namespace cachalot::cache
