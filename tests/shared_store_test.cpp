// The shared stores without a driver: the entry format (magic, version, checksum), the
// results codec, and Redis and memcached as a Store against the servers test.sh started:
// tokens, entries, TTL, garbage under our keys, and a store that is not there; the memcached
// wire over two servers of the test's own.
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>
#include <random>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "cache/entry_format.hpp"
#include "cache/settings.hpp"
#include "cache/wire.hpp"
#include "driver/result_set.hpp"
#include "tests/blob_payload.hpp"
#include "tests/store_server.hpp"

namespace cachalot {
namespace {

using namespace std::chrono_literals;
using cache::Entry;
using cache::Key;
using cache::Lookup;
using cache::Reach;

using test::blob_entry;
using test::decode_blob;

TEST(EntryFormat, RoundTripsAndRefusesEveryDamagedCopy) {
    const std::string bytes = cache::encode_entry(*blob_entry("SELECT 1", {1, 0xffffffffffffffffULL}, 7));
    auto back = cache::decode_entry(bytes, decode_blob);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->key_material, "SELECT 1");
    EXPECT_EQ(back->tokens, (std::vector<cache::Token>{1, 0xffffffffffffffffULL}));
    EXPECT_EQ(back->payload->memory(), 7u);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        std::string damaged = bytes;
        damaged[i] ^= 0x20;
        EXPECT_FALSE(cache::decode_entry(damaged, decode_blob)) << "byte " << i;
        EXPECT_FALSE(cache::decode_entry(bytes.substr(0, i), decode_blob)) << "cut at " << i;
    }
    EXPECT_FALSE(cache::decode_entry(bytes + "x", decode_blob));
    EXPECT_FALSE(cache::decode_entry("", decode_blob));
    EXPECT_FALSE(cache::decode_entry("not an entry at all, just some text someone SET here", decode_blob));
}

driver::Results sample_results() {
    driver::Results results;
    driver::ResultSet& set = results.sets.emplace_back();
    set.rc = SQL_SUCCESS_WITH_INFO;
    set.diagnostics.push_back({"01000", -7, "[cachalot] a warning"});
    set.row_count = 3;
    auto shape = std::make_shared<driver::ResultShape>();
    driver::Column id;
    id.name = "id";
    id.sql_type = SQL_INTEGER;
    id.size = 10;
    id.nullable = SQL_NO_NULLS;
    id.type_name = "int4";
    id.fields.push_back({SQL_DESC_LABEL, SQL_SUCCESS, 0, "id", {}});
    id.fields.push_back({SQL_DESC_BASE_TABLE_NAME, SQL_ERROR, 0, "", {{"HY091", 1, "no"}}});
    driver::Column name = id;
    name.name = "näme";
    name.sql_type = SQL_WVARCHAR;
    name.canonical = driver::Canonical::binary;
    shape->columns = {id, name};
    set.shape = shape;
    set.rows = driver::Rows(2);
    for (auto [a, b] : {std::pair<const char*, const char*>{"1", "x"}, {"2", ""}, {"3", nullptr}}) {
        set.rows.add(a);
        if (b) set.rows.add(b);
        else set.rows.add_null();
    }
    driver::ResultSet& count = results.sets.emplace_back();
    count.row_count = 42;
    count.end_rc = SQL_ERROR;
    count.end_diagnostics.push_back({"40001", 0, "[cachalot] serialization failure"});
    return results;
}

TEST(ResultsCodec, RoundTripsEveryField) {
    const driver::Results results = sample_results();
    std::string bytes;
    results.encode(bytes);
    auto decoded = std::dynamic_pointer_cast<const driver::Results>(driver::decode_results(bytes));
    ASSERT_TRUE(decoded);
    std::string again;
    decoded->encode(again);
    EXPECT_EQ(again, bytes);
    const driver::ResultSet& set = decoded->sets.at(0);
    EXPECT_EQ(set.rc, SQL_SUCCESS_WITH_INFO);
    EXPECT_EQ(set.diagnostics.at(0).native, -7);
    EXPECT_EQ(set.shape->columns.at(1).name, "näme");
    EXPECT_EQ(set.shape->columns.at(1).canonical, driver::Canonical::binary);
    EXPECT_EQ(set.shape->columns.at(0).fields.at(1).diagnostics.at(0).sqlstate, "HY091");
    ASSERT_EQ(set.rows.row_count(), 3u);
    EXPECT_EQ(set.rows.value(1, 1), "");
    EXPECT_FALSE(set.rows.is_null(1, 1));
    EXPECT_TRUE(set.rows.is_null(2, 1));
    EXPECT_EQ(decoded->sets.at(1).row_count, 42);
    EXPECT_EQ(decoded->sets.at(1).end_diagnostics.at(0).sqlstate, "40001");
}

// Bytes that passed the checksum by chance must still never crash or read out of bounds.
TEST(ResultsCodec, SurvivesRandomDamage) {
    std::string bytes;
    sample_results().encode(bytes);
    std::mt19937 random(12345);
    int decoded = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string damaged = bytes;
        for (int n = 1 + i % 4; n > 0; --n) damaged[random() % damaged.size()] = static_cast<char>(random());
        if (i % 5 == 0) damaged.resize(random() % damaged.size());
        if (auto results = std::dynamic_pointer_cast<const driver::Results>(driver::decode_results(damaged))) {
            ++decoded;
            for (const auto& set : results->sets)  // every value is inside the buffer
                for (std::size_t row = 0; row < set.rows.row_count(); ++row)
                    for (std::size_t column = 0; column < set.column_count(); ++column) (void)set.rows.value(row, column);
        }
    }
    EXPECT_LT(decoded, 20000);
}

// A store from test.sh's servers; empty when the environment does not name them.
cache::CacheLocation location(const std::string& kind) {
    const char* port = std::getenv(kind == "redis" ? "CACHALOT_TEST_REDIS_PORT" : "CACHALOT_TEST_MEMCACHED_PORT");
    cache::CacheLocation where;
    if (!port) return where;
    where.kind = kind == "redis" ? cache::CacheLocation::Kind::redis : cache::CacheLocation::Kind::memcached;
    where.servers.push_back({"127.0.0.1", std::atoi(port)});
    return where;
}

class SharedStore : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        where_ = location(GetParam());
        if (where_.servers.empty()) {
            if (std::getenv("CACHALOT_TEST_REQUIRE_SERVERS")) FAIL() << GetParam() << " port not set";
            GTEST_SKIP() << GetParam() << " not started (test.sh starts it)";
        }
        store_ = cache::shared_store(where_, 50ms, 100ms, decode_blob);
        std::string error;
        wire_ = GetParam() == "redis" ? cache::connect_redis(where_, 50ms, 100ms, error)
                                      : cache::connect_memcached(where_, 50ms, 100ms, error);
        ASSERT_TRUE(wire_) << error;
        ns_ = ::testing::UnitTest::GetInstance()->current_test_info()->name() + std::to_string(cache::random_token());
    }
    std::vector<std::string> tokens(const std::string& table) {
        return {cache::epoch_token_key(ns_), cache::table_token_key(ns_, table)};
    }

    cache::CacheLocation where_;
    std::shared_ptr<cache::Store> store_;
    std::unique_ptr<cache::Wire> wire_;  // for writing what a store must survive
    std::string ns_;
};

TEST_P(SharedStore, KeepsEntriesUnderTokensAndInvalidates) {
    const Key key = cache::hash128(ns_ + "q");
    Lookup first = store_->lookup(key, ns_, tokens("t"));
    ASSERT_EQ(first.reach, Reach::answered);
    EXPECT_FALSE(first.entry);
    ASSERT_EQ(first.tokens.size(), 2u);
    EXPECT_EQ(store_->store(key, ns_, blob_entry("q", first.tokens), 0s), cache::Stored::yes);
    Lookup second = store_->lookup(key, ns_, tokens("t"));
    ASSERT_TRUE(second.entry);
    EXPECT_EQ(second.entry->key_material, "q");
    EXPECT_EQ(second.tokens, first.tokens);
    EXPECT_EQ(second.entry->tokens, first.tokens);
    EXPECT_TRUE(store_->invalidate(ns_, {cache::table_token_key(ns_, "t")}));
    Lookup third = store_->lookup(key, ns_, tokens("t"));
    EXPECT_EQ(third.tokens[0], first.tokens[0]);
    EXPECT_NE(third.tokens[1], first.tokens[1]);
    // Every name fits memcached's 250 bytes, however long the namespace and table.
    EXPECT_LE(cache::shared_token_name(cache::table_token_key(std::string(1000, 'n'), std::string(300, 't'))).size(), 250u);
}

TEST_P(SharedStore, GarbageUnderOurKeysIsAMissAndNeverAnEntry) {
    const Key key = cache::hash128(ns_ + "g");
    Lookup first = store_->lookup(key, ns_, tokens("t"));
    ASSERT_EQ(store_->store(key, ns_, blob_entry("g", first.tokens), 0s), cache::Stored::yes);
    // Garbage in the entry: no entry.
    ASSERT_TRUE(wire_->set({ns_}, {cache::shared_entry_name(key)}, {"\x01garbage\xff"}));
    EXPECT_FALSE(store_->lookup(key, ns_, tokens("t")).entry);
    // Garbage in a token: replaced by a fresh token, so the stored entry no longer matches.
    ASSERT_EQ(store_->store(key, ns_, blob_entry("g", first.tokens), 0s), cache::Stored::yes);
    ASSERT_TRUE(wire_->set({ns_}, {cache::shared_token_name(cache::table_token_key(ns_, "t"))}, {"not a token"}));
    Lookup after = store_->lookup(key, ns_, tokens("t"));
    ASSERT_EQ(after.reach, Reach::answered);
    ASSERT_TRUE(after.entry);
    EXPECT_NE(after.tokens, after.entry->tokens);
    EXPECT_EQ(store_->lookup(key, ns_, tokens("t")).tokens, after.tokens);
}

TEST_P(SharedStore, EntriesExpireAfterTheirTimeout) {
    const Key key = cache::hash128(ns_ + "ttl");
    Lookup first = store_->lookup(key, ns_, tokens("t"));
    ASSERT_EQ(store_->store(key, ns_, blob_entry("ttl", first.tokens), 1s), cache::Stored::yes);
    EXPECT_TRUE(store_->lookup(key, ns_, tokens("t")).entry);
    std::this_thread::sleep_for(2100ms);
    EXPECT_FALSE(store_->lookup(key, ns_, tokens("t")).entry);
}

// A forked worker opens its own connections: it never talks over its parent's sockets.
TEST_P(SharedStore, AForkedChildUsesItsOwnConnections) {
    const Key key = cache::hash128(ns_ + "fork");
    ASSERT_EQ(store_->lookup(key, ns_, tokens("t")).reach, Reach::answered);  // the pool holds one now
    const pid_t child = fork();
    if (child == 0) {
        bool ok = true;
        for (int i = 0; i < 200; ++i) ok = ok && store_->lookup(key, ns_, tokens("t")).reach == Reach::answered;
        _exit(ok ? 0 : 1);
    }
    bool ok = true;
    for (int i = 0; i < 200; ++i) ok = ok && store_->lookup(key, ns_, tokens("t")).reach == Reach::answered;
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(ok);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_TRUE(store_->invalidate(ns_, {cache::table_token_key(ns_, "t")}));
}

// Nothing listens on the port: the store fails once, then backs off without trying; an
// invalidation it could not deliver keeps its namespace unread.
TEST_P(SharedStore, ThatIsNotThereFailsOnceThenBacksOff) {
    cache::CacheLocation nowhere = where_;
    nowhere.servers = {{"127.0.0.1", 1}};
    auto store = cache::shared_store(nowhere, 50ms, 100ms, decode_blob);
    EXPECT_EQ(store->lookup(Key{1, 2}, ns_, tokens("t")).reach, Reach::failed);
    EXPECT_FALSE(store->problem().empty());
    EXPECT_EQ(store->lookup(Key{1, 2}, ns_, tokens("t")).reach, Reach::backing_off);
    EXPECT_FALSE(store->invalidate(ns_, {cache::table_token_key(ns_, "t")}));
    EXPECT_EQ(store->lookup(Key{1, 2}, ns_, tokens("t")).reach, Reach::pending);
    EXPECT_EQ(store->lookup(Key{1, 2}, ns_ + "other", tokens("t")).reach, Reach::backing_off);
    EXPECT_EQ(store->store(Key{1, 2}, ns_, blob_entry("x", {}), 0s), cache::Stored::unreachable);
}

// Two memcached servers of the test's own as one store.
cache::CacheLocation memcached_pair(const test::StoreServer& one, const test::StoreServer& two) {
    cache::CacheLocation where;
    where.kind = cache::CacheLocation::Kind::memcached;
    where.servers = {{"127.0.0.1", one.port()}, {"127.0.0.1", two.port()}};
    return where;
}

// Keys go to the server of their place (the shared store places by namespace), so namespaces
// spread over both servers; one pipelined set confirms each key on its own server; add keeps
// what is there; a value over the item size is refused and the connection goes on.
TEST(MemcachedWire, PlacesKeysOnServersAndConfirmsEverySet) {
    test::StoreServer one("memcached"), two("memcached");
    std::string error;
    auto wire = cache::connect_memcached(memcached_pair(one, two), 50ms, 100ms, error);
    cache::CacheLocation first_only = memcached_pair(one, two);
    first_only.servers.pop_back();
    auto first = cache::connect_memcached(first_only, 50ms, 100ms, error);
    ASSERT_TRUE(wire && first) << error;
    std::vector<std::string> places, entries, tokens, values;
    for (int i = 0; i < 64; ++i) {
        places.push_back("namespace " + std::to_string(i));
        entries.push_back("cachalot-test-e" + std::to_string(i));
        tokens.push_back("cachalot-test-t" + std::to_string(i));
        values.push_back(std::string(i, 'v') + "\r\nEND\r\n");  // data that looks like protocol
    }
    ASSERT_TRUE(wire->set(places, tokens, values)) << wire->error;
    int on_first = 0;
    cache::Values got;
    for (std::size_t i = 0; i < places.size(); ++i) {
        ASSERT_EQ(wire->put(places[i], entries[i], values[i], 0s), cache::Stored::yes) << wire->error;
        ASSERT_TRUE(wire->get(places[i], {entries[i], tokens[i]}, got)) << wire->error;
        EXPECT_EQ(got, (cache::Values{values[i], values[i]}));
        ASSERT_TRUE(first->get("", {entries[i], tokens[i]}, got));
        EXPECT_EQ(got[0].has_value(), got[1].has_value()) << "a place's keys are on one server";
        on_first += got[0].has_value();
    }
    EXPECT_GT(on_first, 8);
    EXPECT_LT(on_first, 56);

    const std::vector<std::string> mixed{tokens[0], "cachalot-test-new", entries[0]};
    ASSERT_TRUE(wire->add_then_get(places[0], mixed, {"a", "b", "c"}, got)) << wire->error;
    EXPECT_EQ(got, (cache::Values{values[0], std::string("b"), values[0]}));
    ASSERT_TRUE(wire->get(places[0], {"cachalot-test-absent", tokens[0]}, got));
    EXPECT_EQ(got, (cache::Values{std::nullopt, values[0]}));

    EXPECT_EQ(wire->put(places[1], "cachalot-test-big", std::string(2 << 20, 'x'), 0s), cache::Stored::refused);
    EXPECT_EQ(wire->put(places[1], "cachalot-test-big", "x", 0s), cache::Stored::yes) << wire->error;
    ASSERT_TRUE(wire->get(places[1], {"cachalot-test-big"}, got));
    EXPECT_EQ(got, cache::Values{std::string("x")});
}

// A connection that read or wrote a large value gives its buffers back before it waits idle in
// the pool (the pool keeps up to 16, and entries can be 1 MB).
TEST(MemcachedWire, GivesBackTheBuffersOfALargeValue) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    GTEST_SKIP() << "measured with malloc's own counters";
#endif
    test::StoreServer server("memcached");
    std::string error;
    cache::CacheLocation alone = memcached_pair(server, server);
    alone.servers.pop_back();
    auto wire = cache::connect_memcached(alone, 50ms, 100ms, error);
    ASSERT_TRUE(wire) << error;
    const std::string value(900 << 10, 'v');
    ASSERT_EQ(wire->put("place", "cachalot-test-large", value, 0s), cache::Stored::yes) << wire->error;
    cache::Values got;
    ASSERT_TRUE(wire->get("place", {"cachalot-test-large"}, got)) << wire->error;
    ASSERT_EQ(got.at(0), value);
    got.clear();
    auto allocated = [] {
        const struct mallinfo2 info = mallinfo2();
        return info.uordblks + info.hblkhd;
    };
    const std::size_t before = allocated();
    wire->trim();
    EXPECT_GT(before, allocated() + (1500u << 10)) << "both buffers (about 900 KB each) given back";
    ASSERT_TRUE(wire->get("place", {"cachalot-test-large"}, got)) << wire->error;
    EXPECT_EQ(got.at(0), value) << "still usable";
}

// Tokens are read through the servers' incarnation: a restarted server never makes tokens it
// reloads match (memcached -e keeps its items across a restart).
TEST(MemcachedWire, ARestartedServerHasANewIncarnation) {
    test::StoreServer one("memcached"), two("memcached");
    std::string error;
    auto before = cache::connect_memcached(memcached_pair(one, two), 50ms, 100ms, error);
    auto again = cache::connect_memcached(memcached_pair(one, two), 50ms, 100ms, error);
    ASSERT_TRUE(before && again) << error;
    EXPECT_EQ(before->incarnation, again->incarnation);
    two.stop();
    ASSERT_TRUE(two.start());
    auto after = cache::connect_memcached(memcached_pair(one, two), 50ms, 100ms, error);
    ASSERT_TRUE(after) << error;
    EXPECT_NE(after->incarnation, before->incarnation);
    std::vector<std::string> places;  // some of them on the restarted server
    for (int i = 0; i < 64; ++i) places.push_back("namespace " + std::to_string(i));
    const std::vector<std::string> keys(places.size(), "k"), values(places.size(), "v");
    EXPECT_FALSE(before->set(places, keys, values));  // its socket to the old server is gone
    EXPECT_TRUE(after->set(places, keys, values)) << after->error;
}

INSTANTIATE_TEST_SUITE_P(Servers, SharedStore, ::testing::Values("redis", "memcached"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cachalot
