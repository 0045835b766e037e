// The cache library alone: the key hash, the in-process store (LRU, expiry, tokens, threads)
// and the transaction rules.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "cache/admission.hpp"
#include "cache/store.hpp"
#include "cache/transaction.hpp"
#include "tests/blob_payload.hpp"

namespace cachalot::cache {
namespace {

using test::blob_entry;

TEST(Hash128, IsStableAndSpreads) {
    EXPECT_EQ(hash128("SELECT 1").high, hash128("SELECT 1").high);
    EXPECT_EQ(hash128("SELECT 1").low, hash128("SELECT 1").low);
    std::set<std::pair<std::uint64_t, std::uint64_t>> seen;
    std::set<std::uint64_t> highs;
    std::string text;
    for (int i = 0; i < 200000; ++i) {
        text = "SELECT * FROM t WHERE id = " + std::to_string(i);
        if (i % 3 == 0) text.push_back('\0');  // bytes after a NUL count too
        const Key key = hash128(text);
        seen.insert({key.high, key.low});
        highs.insert(key.high);
    }
    EXPECT_EQ(seen.size(), 200000u);
    EXPECT_EQ(highs.size(), 200000u);
    // Lengths around the 16-byte block size differ.
    std::set<std::pair<std::uint64_t, std::uint64_t>> lengths;
    for (std::size_t n = 0; n < 64; ++n) {
        const Key key = hash128(std::string(n, 'a'));
        lengths.insert({key.high, key.low});
    }
    EXPECT_EQ(lengths.size(), 64u);
}

TEST(RandomToken, NeverRepeatsInPractice) {
    std::set<Token> tokens;
    for (int i = 0; i < 100000; ++i) tokens.insert(random_token());
    EXPECT_EQ(tokens.size(), 100000u);
}

TEST(MemoryStore, KeepsEntriesAndTokensAndInvalidates) {
    auto store = new_memory_store(1 << 20);
    const std::vector<std::string> tokens = {epoch_token_key("unit-ns"), table_token_key("unit-ns", "t")};
    Lookup first = store->lookup(hash128("q1"), "unit-ns", tokens);
    ASSERT_EQ(first.tokens.size(), 2u);
    EXPECT_FALSE(first.entry);
    store->store(hash128("q1"), "unit-ns", blob_entry("q1", first.tokens), std::chrono::seconds(0));
    Lookup second = store->lookup(hash128("q1"), "unit-ns", tokens);
    ASSERT_TRUE(second.entry);
    EXPECT_EQ(second.entry->tokens, second.tokens);
    store->invalidate("unit-ns", {table_token_key("unit-ns", "t")});
    Lookup third = store->lookup(hash128("q1"), "unit-ns", tokens);
    EXPECT_EQ(third.tokens[0], first.tokens[0]);
    EXPECT_NE(third.tokens[1], first.tokens[1]);
    EXPECT_NE(third.entry->tokens, third.tokens);  // stored, but dead
}

TEST(MemoryStore, EvictsTheLeastRecentlyUsedWithinItsBytes) {
    const std::size_t shard_bytes = 1 << 20;
    auto store = new_memory_store(16 * shard_bytes);
    // Entries of 1/8 of a shard each, all in one shard (the shard is the key's high bits).
    std::vector<Key> keys;
    for (std::uint64_t i = 0; keys.size() < 40; ++i) {
        Key key{i * 16, i};  // high % 16 == 0: shard 0
        keys.push_back(key);
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
        store->store(keys[i], "unit-ns", blob_entry("e" + std::to_string(i), {}, shard_bytes / 8), std::chrono::seconds(0));
        // Keep the first one in use: it must survive.
        EXPECT_TRUE(store->lookup(keys[0], "unit-ns", {}).entry) << i;
    }
    EXPECT_FALSE(store->lookup(keys[1], "unit-ns", {}).entry);
    EXPECT_TRUE(store->lookup(keys.back(), "unit-ns", {}).entry);
    // An entry larger than a shard is not kept.
    store->store(Key{16 * 1000, 1}, "unit-ns", blob_entry("huge", {}, shard_bytes * 2), std::chrono::seconds(0));
    EXPECT_FALSE(store->lookup(Key{16 * 1000, 1}, "unit-ns", {}).entry);
}

TEST(MemoryStore, ExpiresEntriesAfterTheirTimeout) {
    auto store = new_memory_store(1 << 20);
    store->store(hash128("ttl"), "unit-ns", blob_entry("ttl", {}), std::chrono::seconds(1));
    EXPECT_TRUE(store->lookup(hash128("ttl"), "unit-ns", {}).entry);
    std::this_thread::sleep_for(std::chrono::milliseconds(1050));
    EXPECT_FALSE(store->lookup(hash128("ttl"), "unit-ns", {}).entry);
}

// Threads looking up, storing and invalidating at once (run under ThreadSanitizer too).
TEST(MemoryStore, ThreadsShareIt) {
    auto store = new_memory_store(1 << 20);
    std::atomic<int> hits{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            const std::vector<std::string> tokens = {epoch_token_key("threads"), table_token_key("threads", "t" + std::to_string(t % 2))};
            for (int i = 0; i < 5000; ++i) {
                const std::string material = "q" + std::to_string(i % 50);
                Lookup found = store->lookup(hash128(material), "unit-ns", tokens);
                if (found.entry && found.entry->key_material == material && found.entry->tokens == found.tokens) ++hits;
                else store->store(hash128(material), "unit-ns", blob_entry(material, found.tokens), std::chrono::seconds(0));
                if (i % 100 == t) store->invalidate("unit-ns", {tokens[1]});
            }
        });
    for (auto& thread : threads) thread.join();
    EXPECT_GT(hits.load(), 0);
}

TEST(Transaction, RemembersWritesUntilCommitAndForgetsThemOnRollback) {
    Transaction tx;
    Invalidation write_t;
    write_t.tables = {"t"};
    EXPECT_FALSE(tx.open());
    EXPECT_EQ(tx.write(write_t).tables, write_t.tables);  // autocommit: now
    tx.begin();
    EXPECT_TRUE(tx.write(write_t).empty());
    EXPECT_TRUE(tx.bypasses({"a", "t"}));
    EXPECT_FALSE(tx.bypasses({"a"}));
    EXPECT_EQ(tx.commit().tables, write_t.tables);
    EXPECT_FALSE(tx.open());
    EXPECT_TRUE(tx.set_autocommit(false).empty());
    tx.write(write_t);
    tx.rollback();
    EXPECT_TRUE(tx.open());
    EXPECT_FALSE(tx.bypasses({"t"}));
    tx.write(write_t);
    EXPECT_EQ(tx.set_autocommit(true).tables, write_t.tables);  // switching autocommit on commits
}

// A shape stored cold_after times without a hit admits a key on its second miss only, and a
// hit of the shape admits every miss again. Other shapes are not touched.
TEST(Admission, StoresAShapeThatNeverHitsOnlyOnASecondMiss) {
    Admission admission;
    const std::uint64_t shape = 7, other = 8;
    for (std::uint32_t n = 0; n < Admission::cold_after; ++n) {
        EXPECT_TRUE(admission.admits(shape, 100 + n));
        admission.stored(shape);
    }
    EXPECT_FALSE(admission.admits(shape, 1));
    EXPECT_FALSE(admission.admits(shape, 2));
    EXPECT_TRUE(admission.admits(other, 1));
    EXPECT_TRUE(admission.admits(shape, 1));
    admission.stored(shape);
    EXPECT_FALSE(admission.admits(shape, 3));
    admission.hit(shape);
    EXPECT_TRUE(admission.admits(shape, 4));
}

TEST(Admission, ThreadsShareIt) {
    Admission admission;
    std::vector<std::thread> threads;
    for (std::uint64_t t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (std::uint64_t n = 0; n < 20000; ++n) {
                if (admission.admits(n % 64, n)) admission.stored(n % 64);
                if (n % 1000 == t) admission.hit(n % 64);
            }
        });
    for (auto& thread : threads) thread.join();
    admission.hit(5);
    EXPECT_TRUE(admission.admits(5, 1));
}

TEST(Transaction, AboveReadCommittedBypassesEveryReadInside) {
    Transaction tx(true);
    EXPECT_FALSE(tx.bypasses({"t"}));  // autocommit: every statement alone
    tx.begin();
    EXPECT_TRUE(tx.bypasses({}));
    tx.set_above_read_committed(false);
    EXPECT_FALSE(tx.bypasses({"t"}));
    Invalidation everything;
    everything.everything = true;
    tx.write(everything);
    EXPECT_TRUE(tx.bypasses({"u"}));
}

TEST(Transaction, AFailedStatementBypassesEveryReadUntilItsEndOrASavepoint) {
    Transaction tx;
    tx.statement_failed();  // autocommit: the failure ended with its statement
    EXPECT_FALSE(tx.bypasses({"t"}));
    tx.begin();
    tx.statement_failed();
    EXPECT_TRUE(tx.bypasses({"t"}));
    tx.rolled_back_to_savepoint();
    EXPECT_FALSE(tx.bypasses({"t"}));
    tx.statement_failed();
    tx.rollback();
    EXPECT_FALSE(tx.bypasses({"t"}));
    tx.set_autocommit(false);
    tx.statement_failed();
    EXPECT_TRUE(tx.bypasses({"t"}));
    tx.commit();
    EXPECT_FALSE(tx.bypasses({"t"}));
}

}  // namespace
}  // namespace cachalot::cache
