// Units of the shim's libraries, without a driver manager.
#include <gtest/gtest.h>

#include "cache/settings.hpp"
#include "driver/unicode.hpp"
#include "odbcinst/attributes.hpp"

namespace cachalot {
namespace {

using odbcinst::Attributes;

TEST(Attributes, ParsesBracesSpacesAndFirstWins) {
    auto a = Attributes::parse_connection_string(" DSN = pg ;PWD={a;b}}c};x=1;dsn=other;;novalue;Empty=");
    EXPECT_EQ(a.get("dsn").value_or("?"), "pg");
    EXPECT_EQ(a.get("PWD").value_or("?"), "a;b}c");
    EXPECT_EQ(a.get("X").value_or("?"), "1");
    EXPECT_EQ(a.get("empty").value_or("?"), "");
    EXPECT_FALSE(a.contains("novalue"));
    EXPECT_THROW(Attributes::parse_connection_string("PWD={open"), std::invalid_argument);
}

TEST(Attributes, RefusesTextAfterAClosingBrace) {
    EXPECT_THROW(Attributes::parse_connection_string("PWD={abc}def;X=1"), std::invalid_argument);
    EXPECT_EQ(Attributes::parse_connection_string("PWD=\t{a;b} ;X=1").get("PWD").value_or("?"), "a;b");
}

TEST(Attributes, RoundTripsThroughAConnectionString) {
    auto a = Attributes::parse_connection_string("A=1;B={x;y};C={a}}b}; D= spaced ");
    auto b = Attributes::parse_connection_string(a.to_connection_string());
    EXPECT_EQ(b.get("B").value_or("?"), "x;y");
    EXPECT_EQ(b.get("C").value_or("?"), "a}b");
    EXPECT_EQ(b.get("D").value_or("?"), "spaced");
    a.remove("b");
    a.set("A", "2");
    EXPECT_EQ(a.to_connection_string(), "A=2;C={a}}b};D=spaced;");
}

cache::Settings parse(const std::string& text) {
    return cache::Settings::parse(Attributes::parse_connection_string(text));
}

TEST(Settings, DefaultsAreDesignMdDefaults) {
    auto s = parse("");
    EXPECT_EQ(s.cache.kind, cache::CacheLocation::Kind::memory);
    EXPECT_TRUE(s.enabled);
    EXPECT_EQ(s.timeout_seconds, 0);
    EXPECT_FALSE(s.cache_random);
    EXPECT_FALSE(s.every_miss);
    EXPECT_TRUE(s.invalidate_unparsed);
    EXPECT_EQ(s.max_entry_size, 1048576);
    EXPECT_EQ(s.memory_size, 67108864);
    EXPECT_EQ(s.connect_timeout_ms, 50);
    EXPECT_EQ(s.io_timeout_ms, 100);
}

TEST(Settings, ParsesEveryKey) {
    auto s = parse("cacheenabled=0;CacheTimeout=30;CacheRandom=true;OnlyCachableTables=Public.Orders, \"Items\";"
                   "UncachableTables=`x`;InvalidateUnparsed=no;InvalidateAlso={a:b c; d:e};CacheMaxEntrySize=10;"
                   "CacheMemorySize=20;CacheKeyPrefix=p1;CacheConnectTimeout=5;CacheIOTimeout=6;CacheEveryMiss=on");
    EXPECT_FALSE(s.enabled);
    EXPECT_EQ(s.timeout_seconds, 30);
    EXPECT_TRUE(s.cache_random);
    EXPECT_EQ(s.only_cachable_tables, (std::vector<std::string>{"orders", "items"}));
    EXPECT_EQ(s.uncachable_tables, (std::vector<std::string>{"x"}));
    EXPECT_FALSE(s.invalidate_unparsed);
    EXPECT_EQ(s.invalidate_also.at("a"), (std::vector<std::string>{"b", "c"}));
    EXPECT_EQ(s.invalidate_also.at("d"), (std::vector<std::string>{"e"}));
    EXPECT_EQ(s.max_entry_size, 10);
    EXPECT_EQ(s.memory_size, 20);
    EXPECT_EQ(s.key_prefix, "p1");
    EXPECT_EQ(s.connect_timeout_ms, 5);
    EXPECT_EQ(s.io_timeout_ms, 6);
    EXPECT_TRUE(s.every_miss);
}

TEST(Settings, QuotedTableNamesKeepTheirSpacesAndCommas) {
    auto s = parse("UncachableTables={\"order details\", `a,b` [x y]};InvalidateAlso={a:\"audit log\" b;\"c d\":e}");
    EXPECT_EQ(s.uncachable_tables, (std::vector<std::string>{"order details", "a,b", "x y"}));
    EXPECT_EQ(s.invalidate_also.at("a"), (std::vector<std::string>{"audit log", "b"}));
    EXPECT_EQ(s.invalidate_also.at("c d"), (std::vector<std::string>{"e"}));
}

TEST(Settings, ParsesCacheLocations) {
    auto redis = parse("Cache=redis://:secret@cache.local:6380/2").cache;
    EXPECT_EQ(redis.kind, cache::CacheLocation::Kind::redis);
    EXPECT_EQ(redis.password, "secret");
    EXPECT_EQ(redis.servers.at(0).host, "cache.local");
    EXPECT_EQ(redis.servers.at(0).port, 6380);
    EXPECT_EQ(redis.database, 2);
    EXPECT_EQ(parse("Cache=redis://[::1]").cache.servers.at(0).port, 6379);
    EXPECT_EQ(parse("Cache=redis+unix:///run/redis.sock").cache.socket_path, "/run/redis.sock");
    auto memcached = parse("Cache=memcached://a:1,b").cache;
    ASSERT_EQ(memcached.servers.size(), 2u);
    EXPECT_EQ(memcached.servers[1].host, "b");
    EXPECT_EQ(memcached.servers[1].port, 11211);
}

TEST(Settings, BadValuesNameTheirKey) {
    for (const char* text : {"CacheTimeout=1.5", "CacheTimeout=", "CacheEnabled=2", "Cache=file:///x",
                             "Cache=redis://h:0", "Cache=redis://h/x", "CacheMemorySize=0", "InvalidateAlso=a:",
                             "InvalidateAlso=:b", "CacheKeyPrefix={a b}", "TargetDriver=x;TargetDSN=y",
                             "CacheTimeout=99999999999999999999", "Cache=redis://h/4294967297",
                             "InvalidateAlso=a:b:c"}) {
        try {
            parse(text);
            ADD_FAILURE() << "accepted " << text;
        } catch (const cache::SettingError& e) {
            std::string key = std::string(text).substr(0, std::string(text).find('='));
            if (key == "TargetDriver") key = "TargetDSN";
            EXPECT_EQ(e.key(), key) << text;
            EXPECT_EQ(std::string(e.what()).rfind(key + ": ", 0), 0u) << e.what();
        }
    }
}

TEST(Settings, OwnKeysAndTableNames) {
    EXPECT_TRUE(cache::is_own_key("targetdsn"));
    EXPECT_TRUE(cache::is_own_key("CACHELOG"));
    EXPECT_FALSE(cache::is_own_key("Servername"));
    EXPECT_EQ(cache::normalize_table_name("\"Sales\".\"Order.Items\""), "order.items");
    EXPECT_EQ(cache::normalize_table_name("db.schema.T"), "t");
    EXPECT_EQ(cache::normalize_table_name("[dbo].[Users]"), "users");
}

TEST(Unicode, RoundTripsAndReplacesMalformedInput) {
    const std::string text = "aé€😀";
    auto wide = driver::utf8_to_utf16(text);
    ASSERT_EQ(wide.size(), 5u);  // the emoji is a surrogate pair
    EXPECT_EQ(driver::utf16_to_utf8(wide.data(), wide.size()), text);
    EXPECT_EQ(driver::utf8_to_utf16("\xC3"), driver::WideString(1, 0xFFFD));
    EXPECT_EQ(driver::utf8_to_utf16("\xF8\x80\x80"), driver::WideString(3, 0xFFFD));  // no such lead byte
    EXPECT_EQ(driver::utf8_to_utf16("\xC0\xAF"), driver::WideString(2, 0xFFFD));  // overlong lead, stray continuation
    const SQLWCHAR lone[] = {0xD800, 'x'};
    EXPECT_EQ(driver::utf16_to_utf8(lone, 2), "\xEF\xBF\xBDx");
}

TEST(Unicode, InputStringsKeepNullAndNts) {
    driver::InputString<SQLWCHAR> nts(reinterpret_cast<const SQLCHAR*>("héllo"), SQL_NTS);
    EXPECT_EQ(nts.length<SQLSMALLINT>(), SQL_NTS);
    EXPECT_EQ(nts.ptr()[1], 0xE9);
    driver::InputString<SQLWCHAR> counted(reinterpret_cast<const SQLCHAR*>("héllo"), 3);
    EXPECT_EQ(counted.length<SQLINTEGER>(), 2);
    EXPECT_EQ(counted.length<SQLINTEGER>(true), 4);
    driver::InputString<SQLCHAR> null(static_cast<const SQLWCHAR*>(nullptr), 5);
    EXPECT_EQ(null.ptr(), nullptr);
}

TEST(Unicode, CopyToBufferTruncatesAndTerminates) {
    std::basic_string<SQLCHAR> value(reinterpret_cast<const SQLCHAR*>("abcdef"));
    SQLCHAR buffer[4] = {'x', 'x', 'x', 'x'};
    EXPECT_TRUE(driver::copy_to_buffer(value, buffer, 4));
    EXPECT_STREQ(reinterpret_cast<char*>(buffer), "abc");
    EXPECT_FALSE(driver::copy_to_buffer(value, static_cast<SQLCHAR*>(nullptr), 0));
    EXPECT_TRUE(driver::copy_to_buffer(value, buffer, 0));
    SQLCHAR ample[16];
    EXPECT_FALSE(driver::copy_to_buffer(value, ample, 16));
    EXPECT_STREQ(reinterpret_cast<char*>(ample), "abcdef");
}

}  // namespace
}  // namespace cachalot
