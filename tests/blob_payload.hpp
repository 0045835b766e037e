// A stand-in for captured results in the cache library's own tests: `size` bytes of 'b'.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cache/store.hpp"

namespace cachalot::test {

struct Blob final : cache::Payload {
    explicit Blob(std::size_t size) : size(size) {}
    std::size_t memory() const override { return size; }
    void encode(std::string& out) const override { out.append(size, 'b'); }
    std::size_t size;
};

// A PayloadDecoder for Blob: checks every byte.
inline std::shared_ptr<const cache::Payload> decode_blob(std::string_view bytes) {
    if (bytes.find_first_not_of('b') != std::string_view::npos) return nullptr;
    return std::make_shared<Blob>(bytes.size());
}

inline std::shared_ptr<const cache::Entry> blob_entry(const std::string& material, std::vector<cache::Token> tokens,
                                                      std::size_t size = 100) {
    auto entry = std::make_shared<cache::Entry>();
    entry->key_material = material;
    entry->tokens = std::move(tokens);
    entry->payload = std::make_shared<Blob>(size);
    return entry;
}

}  // namespace cachalot::test
