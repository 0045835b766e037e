#include "cache/transaction.hpp"

namespace cachalot::cache {

bool Transaction::bypasses(const std::vector<std::string>& tables) const {
    if (!open()) return false;
    if (above_read_committed_ || failed_ || written_.everything) return true;
    for (const auto& table : tables)
        if (written_.tables.count(table)) return true;
    return false;
}

Invalidation Transaction::write(Invalidation invalidation) {
    if (!open()) return invalidation;
    written_.add(invalidation);
    return {};
}

Invalidation Transaction::commit() {
    begun_ = false;
    failed_ = false;
    Invalidation announced;
    std::swap(announced, written_);
    return announced;
}

void Transaction::rollback() {
    begun_ = false;
    failed_ = false;
    written_ = {};
}

Invalidation Transaction::set_autocommit(bool on) {
    const bool was_on = autocommit_;
    autocommit_ = on;
    // ODBC: switching autocommit on commits the open transaction.
    return on && !was_on ? commit() : Invalidation{};
}

}  // namespace cachalot::cache
