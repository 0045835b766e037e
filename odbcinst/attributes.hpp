// Key/value settings as ODBC spells them: connection strings and odbc.ini sections.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cachalot::odbcinst {

// Case-insensitive ASCII comparison, as ODBC compares keywords.
bool iequals(std::string_view a, std::string_view b);

struct Attribute {
    std::string key;
    std::string value;
};

// An ordered list of attributes; keys compare case-insensitively, the first one set wins.
class Attributes {
public:
    // Parses "KEY=value;KEY2={va;lue}" (braces quote, "}}" is a literal brace).
    // Throws std::invalid_argument on an unterminated brace.
    static Attributes parse_connection_string(std::string_view text);

    std::optional<std::string> get(std::string_view key) const;
    bool contains(std::string_view key) const { return get(key).has_value(); }
    // Adds the attribute unless the key is already present (earlier sources win).
    void add_if_absent(std::string key, std::string value);
    void set(std::string_view key, std::string value);
    void remove(std::string_view key);

    // Back to "KEY=value;" form, bracing values that need it.
    std::string to_connection_string() const;

    const std::vector<Attribute>& items() const { return items_; }

private:
    std::vector<Attribute> items_;
};

// Reads a whole section of odbc.ini (DSNs) or odbcinst.ini (drivers) through libodbcinst,
// so ODBCINI / ODBCSYSINI and user/system files resolve exactly as for unixODBC.
enum class IniFile { data_sources, drivers };
Attributes read_section(IniFile file, const std::string& section);
bool section_exists(IniFile file, const std::string& section);

}  // namespace cachalot::odbcinst
