#include "odbcinst/attributes.hpp"

#include <odbcinst.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace cachalot::odbcinst {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool needs_braces(const std::string& value) {
    return value.find_first_of(";{}") != std::string::npos ||
           (!value.empty() && (std::isspace(static_cast<unsigned char>(value.front())) ||
                               std::isspace(static_cast<unsigned char>(value.back()))));
}

}  // namespace

Attributes Attributes::parse_connection_string(std::string_view text) {
    Attributes result;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t eq = text.find('=', pos);
        size_t semi = text.find(';', pos);
        if (eq == std::string_view::npos || (semi != std::string_view::npos && semi < eq)) {
            // A fragment without '=' carries nothing: skip it, as driver managers do.
            if (semi == std::string_view::npos) break;
            pos = semi + 1;
            continue;
        }
        std::string key(trim(text.substr(pos, eq - pos)));
        pos = eq + 1;
        while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
        std::string value;
        if (pos < text.size() && text[pos] == '{') {
            ++pos;
            for (;;) {
                if (pos >= text.size())
                    throw std::invalid_argument("unterminated '{' in the value of " + key);
                if (text[pos] == '}') {
                    if (pos + 1 < text.size() && text[pos + 1] == '}') {
                        value += '}';
                        pos += 2;
                        continue;
                    }
                    ++pos;
                    break;
                }
                value += text[pos++];
            }
            size_t end = text.find(';', pos);
            if (end == std::string_view::npos) end = text.size();
            if (!trim(text.substr(pos, end - pos)).empty())
                throw std::invalid_argument("text after the closing '}' in the value of " + key);
            pos = end + 1;
        } else {
            size_t end = text.find(';', pos);
            if (end == std::string_view::npos) end = text.size();
            value = std::string(trim(text.substr(pos, end - pos)));
            pos = end + 1;
        }
        if (!key.empty()) result.add_if_absent(std::move(key), std::move(value));
    }
    return result;
}

std::optional<std::string> Attributes::get(std::string_view key) const {
    for (const auto& item : items_)
        if (iequals(item.key, key)) return item.value;
    return std::nullopt;
}

void Attributes::add_if_absent(std::string key, std::string value) {
    if (!contains(key)) items_.push_back({std::move(key), std::move(value)});
}

void Attributes::set(std::string_view key, std::string value) {
    for (auto& item : items_)
        if (iequals(item.key, key)) {
            item.value = std::move(value);
            return;
        }
    items_.push_back({std::string(key), std::move(value)});
}

void Attributes::remove(std::string_view key) {
    items_.erase(std::remove_if(items_.begin(), items_.end(),
                                [&](const Attribute& a) { return iequals(a.key, key); }),
                 items_.end());
}

std::string Attributes::to_connection_string() const {
    std::string out;
    for (const auto& item : items_) {
        out += item.key;
        out += '=';
        if (needs_braces(item.value)) {
            out += '{';
            for (char c : item.value) {
                out += c;
                if (c == '}') out += '}';
            }
            out += '}';
        } else {
            out += item.value;
        }
        out += ';';
    }
    return out;
}

namespace {

const char* file_name(IniFile file) {
    return file == IniFile::data_sources ? "odbc.ini" : "odbcinst.ini";
}

// libodbcinst lists keys (or sections, for a null section) as NUL-separated names.
std::vector<std::string> list_names(IniFile file, const char* section) {
    std::vector<char> buffer(8192);
    for (;;) {
        int n = SQLGetPrivateProfileString(section, nullptr, "", buffer.data(),
                                           static_cast<int>(buffer.size()), file_name(file));
        if (n < 0) n = 0;
        if (static_cast<size_t>(n) + 2 < buffer.size()) {
            std::vector<std::string> names;
            for (const char* p = buffer.data(); p < buffer.data() + n && *p; p += names.back().size() + 1)
                names.emplace_back(p);
            return names;
        }
        buffer.resize(buffer.size() * 4);
    }
}

}  // namespace

bool section_exists(IniFile file, const std::string& section) {
    for (const auto& name : list_names(file, nullptr))
        if (iequals(name, section)) return true;
    return false;
}

Attributes read_section(IniFile file, const std::string& section) {
    Attributes result;
    for (const auto& key : list_names(file, section.c_str())) {
        std::vector<char> value(4096);
        for (;;) {
            int n = SQLGetPrivateProfileString(section.c_str(), key.c_str(), "", value.data(),
                                               static_cast<int>(value.size()), file_name(file));
            if (n < 0) n = 0;
            if (static_cast<size_t>(n) + 1 < value.size()) {
                result.add_if_absent(key, std::string(value.data(), static_cast<size_t>(n)));
                break;
            }
            value.resize(value.size() * 4);
        }
    }
    return result;
}

}  // namespace cachalot::odbcinst
