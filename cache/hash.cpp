#include <cstring>
#include <random>

#include <sys/random.h>

#include "cache/store.hpp"

namespace cachalot::cache {

namespace {

inline std::uint64_t load64(const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// The high and low halves of a 64 x 64 bit product folded together: every input bit moves
// many output bits.
inline std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) {
    const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
    return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

inline std::uint64_t finish(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

constexpr std::uint64_t k0 = 0x243f6a8885a308d3ULL, k1 = 0x13198a2e03707344ULL, k2 = 0xa4093822299f31d0ULL,
                        k3 = 0x082efa98ec4e6c89ULL;

}  // namespace

// Two lanes over 16-byte blocks, each block multiplied into both lanes with different keys.
Key hash128(std::string_view bytes) {
    const char* p = bytes.data();
    std::size_t n = bytes.size();
    std::uint64_t a = k0 ^ n, b = k1 ^ (n * k2);
    for (; n >= 16; p += 16, n -= 16) {
        const std::uint64_t x = load64(p), y = load64(p + 8);
        const std::uint64_t next_a = fold_multiply(a ^ x, k2 ^ y);
        b = fold_multiply(b ^ y, k3 ^ x) + a;
        a = next_a;
    }
    char tail[16] = {};
    std::memcpy(tail, p, n);
    tail[15] = static_cast<char>(n);
    const std::uint64_t x = load64(tail), y = load64(tail + 8);
    const std::uint64_t last_a = fold_multiply(a ^ x, k2 ^ y);
    b = fold_multiply(b ^ y, k3 ^ x) + a;
    a = last_a;
    return Key{finish(a + finish(b)), finish(b ^ (a >> 7))};
}

Token random_token() {
    Token token = 0;
    // getrandom draws from the kernel pool: only when it is interrupted, fall back to random_device.
    if (getrandom(&token, sizeof token, 0) == static_cast<ssize_t>(sizeof token)) return token;
    std::random_device device;
    return (static_cast<Token>(device()) << 32) ^ device();
}

std::string table_token_key(std::string_view name_space, std::string_view table) {
    std::string key(name_space);
    key += "\x1ft:";
    key += table;
    return key;
}

std::string epoch_token_key(std::string_view name_space) {
    std::string key(name_space);
    key += "\x1f" "epoch";
    return key;
}

}  // namespace cachalot::cache
