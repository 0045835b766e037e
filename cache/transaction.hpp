// What the cache must know of a connection's transaction (design.md "Transactions"): while
// one is open, writes are remembered instead of announced, reads of what it wrote bypass the
// cache, and above READ COMMITTED every read does; COMMIT announces, ROLLBACK forgets.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace cachalot::cache {

// What a write makes stale: tables, or the whole namespace (the epoch).
struct Invalidation {
    std::set<std::string> tables;
    bool everything = false;

    bool empty() const { return tables.empty() && !everything; }
    void add(const Invalidation& other) {
        tables.insert(other.tables.begin(), other.tables.end());
        everything = everything || other.everything;
    }
};

class Transaction {
public:
    // `default_above_read_committed`: the connection's isolation level as the target reports it.
    explicit Transaction(bool default_above_read_committed = false) : above_read_committed_(default_above_read_committed) {}

    bool open() const { return !autocommit_ || begun_; }
    // Reads that must neither be served nor stored: everything above READ COMMITTED inside a
    // transaction (its snapshot may be older than the tokens), and what it wrote; everything
    // after a statement of the transaction failed (PostgreSQL refuses every read until it ends).
    bool bypasses(const std::vector<std::string>& tables) const;
    // A statement failed: if a transaction is open, the target may have aborted it.
    void statement_failed() { failed_ = failed_ || open(); }
    bool failed() const { return failed_; }
    // ROLLBACK TO SAVEPOINT succeeded: the transaction takes statements again.
    void rolled_back_to_savepoint() { failed_ = false; }

    // A write's invalidation: returned to announce now, or remembered (and nothing returned)
    // while a transaction is open.
    Invalidation write(Invalidation invalidation);
    void begin() { begun_ = true; }
    // COMMIT (SQL or SQLEndTran): what to announce now.
    Invalidation commit();
    // ROLLBACK: the writes never happened for anyone else.
    void rollback();
    // SQL_ATTR_AUTOCOMMIT: turning it on commits.
    Invalidation set_autocommit(bool on);
    void set_above_read_committed(bool above) { above_read_committed_ = above; }

private:
    bool autocommit_ = true;
    bool begun_ = false;  // BEGIN / START TRANSACTION in SQL
    bool above_read_committed_;
    bool failed_ = false;
    Invalidation written_;
};

}  // namespace cachalot::cache
