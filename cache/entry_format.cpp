#include "cache/entry_format.hpp"

namespace cachalot::cache {

namespace {

constexpr char magic[4] = {'C', 'C', 'H', 'L'};
// Bump when anything written below or by a payload's encode changes.
constexpr std::uint16_t format_version = 2;
constexpr std::size_t header_bytes = sizeof magic + 2 + 8 + 16;

}  // namespace

std::string encode_entry(const Entry& entry) {
    std::string body;
    ByteWriter writer(body);
    writer.bytes(entry.key_material);
    writer.number<std::uint32_t>(static_cast<std::uint32_t>(entry.tokens.size()));
    for (Token token : entry.tokens) writer.number(token);
    entry.payload->encode(body);
    std::string out(magic, sizeof magic);
    ByteWriter header(out);
    header.number(format_version);
    header.number<std::uint64_t>(body.size());
    const Key checksum = hash128(body);
    header.number(checksum.high);
    header.number(checksum.low);
    return out + body;
}

std::shared_ptr<const Entry> decode_entry(std::string_view bytes, PayloadDecoder decode_payload) {
    try {
        if (bytes.size() < header_bytes || bytes.compare(0, sizeof magic, std::string_view(magic, sizeof magic)) != 0)
            return nullptr;
        ByteReader header(bytes.substr(sizeof magic, header_bytes - sizeof magic));
        if (header.number<std::uint16_t>() != format_version) return nullptr;
        const std::string_view body = bytes.substr(header_bytes);
        if (header.number<std::uint64_t>() != body.size()) return nullptr;
        const Key checksum{header.number<std::uint64_t>(), header.number<std::uint64_t>()};
        if (!(hash128(body) == checksum)) return nullptr;
        ByteReader reader(body);
        auto entry = std::make_shared<Entry>();
        entry->key_material = std::string(reader.bytes());
        entry->tokens.resize(reader.count(sizeof(Token)));
        for (Token& token : entry->tokens) token = reader.number<Token>();
        entry->payload = decode_payload(reader.rest());
        if (!entry->payload) return nullptr;
        return entry;
    } catch (const std::exception&) {  // FormatError, or bad_alloc for counts a forged entry inflates
        return nullptr;
    }
}

}  // namespace cachalot::cache
