// A shared store (Redis, memcached) as a Store: pooled connections, entries in the versioned
// format, tokens as 16 hex digits, a backoff after a failure so an application whose store is
// down pays the timeout once per period and not per query, and invalidations that could not
// be delivered kept and retried (until then this process reads nothing of their namespace).
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>

#include <unistd.h>

#include "cache/entry_format.hpp"
#include "cache/settings.hpp"
#include "cache/wire.hpp"

namespace cachalot::cache {

namespace {

using Clock = std::chrono::steady_clock;

std::string hex(std::uint64_t value) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

std::optional<Token> parse_token(const std::string& text) {
    if (text.size() != 16) return std::nullopt;
    Token token = 0;
    for (char c : text) {
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (digit < 0) return std::nullopt;
        token = token << 4 | static_cast<Token>(digit);
    }
    return token;
}

using Connect = std::function<std::unique_ptr<Wire>(std::string& error)>;

class SharedStore final : public Store {
public:
    SharedStore(Connect connect, PayloadDecoder decode) : connect_(std::move(connect)), decode_(decode) {}
    ~SharedStore() override { leave_parents_connections(); }

    Lookup lookup(const Key& key, std::string_view name_space, const std::vector<std::string>& token_keys) override {
        Lookup found;
        if ((found.reach = deliver_pending(name_space)) != Reach::answered) return found;
        auto wire = take(found.reach);
        if (!wire) return found;
        std::vector<std::string> names{shared_entry_name(key)};
        for (const auto& token_key : token_keys) names.push_back(shared_token_name(token_key));
        Values values;
        if (!wire->get(name_space, names, values) || values.size() != names.size()) return failed(*wire);
        found.tokens.resize(token_keys.size());
        // Missing tokens are created; tokens that are not ours (garbage) are replaced.
        std::vector<std::string> missing, missing_candidates, replaced, replacements;
        std::vector<std::size_t> missing_at;
        for (std::size_t i = 0; i < token_keys.size(); ++i) {
            const auto& value = values[i + 1];
            if (auto token = value ? parse_token(*value) : std::nullopt) {
                found.tokens[i] = *token;
                continue;
            }
            const Token fresh = random_token();
            if (value) {
                replaced.push_back(names[i + 1]);
                replacements.push_back(hex(fresh));
                found.tokens[i] = fresh;
            } else {
                missing.push_back(names[i + 1]);
                missing_candidates.push_back(hex(fresh));
                missing_at.push_back(i);
            }
        }
        if (!replaced.empty() &&
            !wire->set(std::vector<std::string>(replaced.size(), std::string(name_space)), replaced, replacements))
            return failed(*wire);
        if (!missing.empty()) {
            Values created;
            if (!wire->add_then_get(name_space, missing, missing_candidates, created) || created.size() != missing.size())
                return failed(*wire);
            for (std::size_t j = 0; j < missing.size(); ++j) {
                auto token = created[j] ? parse_token(*created[j]) : std::nullopt;
                if (!token) {  // evicted or overwritten at once: no token to trust for this read
                    wire->error = "a token could not be created";
                    return failed(*wire);
                }
                found.tokens[missing_at[j]] = *token;
            }
        }
        for (Token& token : found.tokens) token ^= wire->incarnation;
        if (values[0]) found.entry = decode_entry(*values[0], decode_);
        give(std::move(wire));
        return found;
    }

    Stored store(const Key& key, std::string_view name_space, std::shared_ptr<const Entry> entry,
                 std::chrono::seconds ttl) override {
        Reach reach = deliver_pending(name_space);
        if (reach != Reach::answered) return Stored::unreachable;
        auto wire = take(reach);
        if (!wire) return Stored::unreachable;
        const Stored stored = wire->put(name_space, shared_entry_name(key), encode_entry(*entry), ttl);
        if (stored == Stored::unreachable) note_failure(wire->error);
        else give(std::move(wire));
        return stored;
    }

    bool invalidate(std::string_view name_space, const std::vector<std::string>& token_keys) override {
        if (token_keys.empty()) return true;
        {
            std::lock_guard lock(pending_mutex_);
            auto& keys = pending_[std::string(name_space)];
            // A new generation even for a name already pending: a delivery under way may have
            // sent its token before this write, and must not clear this one.
            for (const auto& token_key : token_keys) keys[shared_token_name(token_key)] = ++generation_;
            pending_count_.store(pending_.size(), std::memory_order_release);
        }
        return deliver_pending(name_space) == Reach::answered;
    }

    std::string problem() const override {
        std::lock_guard lock(problem_mutex_);
        return problem_;
    }

private:
    static constexpr std::size_t max_idle = 16;

    // Sends what is pending (every namespace) with fresh tokens. Answers whether `name_space`
    // may be read: nothing of it left pending.
    Reach deliver_pending(std::string_view name_space) {
        if (pending_count_.load(std::memory_order_acquire) == 0) return backing_off() ? Reach::backing_off : Reach::answered;
        std::lock_guard delivery(delivery_mutex_);
        std::vector<std::string> places, names;
        std::vector<std::uint64_t> generations;
        {
            std::lock_guard lock(pending_mutex_);
            for (const auto& [ns, keys] : pending_)
                for (const auto& [name, generation] : keys) {
                    places.push_back(ns);
                    names.push_back(name);
                    generations.push_back(generation);
                }
        }
        Reach reach = Reach::answered;
        if (auto wire = names.empty() ? nullptr : take(reach)) {
            std::vector<std::string> tokens;
            for (std::size_t i = 0; i < names.size(); ++i) tokens.push_back(hex(random_token()));
            if (wire->set(places, names, tokens)) {
                give(std::move(wire));
                std::lock_guard lock(pending_mutex_);
                for (auto it = pending_.begin(); it != pending_.end();) {
                    for (std::size_t i = 0; i < names.size(); ++i)
                        if (auto sent = it->second.find(names[i]); sent != it->second.end() && sent->second == generations[i])
                            it->second.erase(sent);  // not written again since this token was sent
                    it = it->second.empty() ? pending_.erase(it) : std::next(it);
                }
                pending_count_.store(pending_.size(), std::memory_order_release);
            } else {
                note_failure(wire->error);
            }
        }
        std::lock_guard lock(pending_mutex_);
        if (pending_.count(std::string(name_space))) return Reach::pending;
        return backing_off() ? Reach::backing_off : Reach::answered;
    }

    bool backing_off() const { return Clock::now().time_since_epoch().count() < retry_at_.load(std::memory_order_relaxed); }

    // A pooled connection, or a new one; null (with `reach` set) when the store is backing off
    // or cannot be reached.
    std::unique_ptr<Wire> take(Reach& reach) {
        if (backing_off()) {
            reach = Reach::backing_off;
            return nullptr;
        }
        {
            std::lock_guard lock(pool_mutex_);
            leave_parents_connections();
            if (!idle_.empty()) {
                auto wire = std::move(idle_.back());
                idle_.pop_back();
                return wire;
            }
        }
        std::string error;
        auto wire = connect_(error);
        if (!wire) {
            note_failure(error);
            reach = Reach::failed;
        }
        return wire;
    }

    // In a forked child the pooled sockets are its parent's too: leave them to the parent
    // (closing them here could send memcached's "quit" on the parent's connection).
    void leave_parents_connections() {
        if (const pid_t pid = getpid(); pid != owner_) {
            for (auto& wire : idle_) wire.release();
            idle_.clear();
            owner_ = pid;
        }
    }

    void give(std::unique_ptr<Wire> wire) {
        failures_.store(0, std::memory_order_relaxed);
        wire->trim();
        std::lock_guard lock(pool_mutex_);
        if (idle_.size() < max_idle) idle_.push_back(std::move(wire));
    }

    // A lookup that failed on `wire`: nothing it read counts.
    Lookup failed(const Wire& wire) {
        note_failure(wire.error);
        Lookup none;
        none.reach = Reach::failed;
        return none;
    }

    // Backs off 250 ms after a first failure, doubling up to 4 s; the pooled connections went
    // to the same server and are dropped with it.
    void note_failure(const std::string& error) {
        const int failures = std::min(failures_.fetch_add(1, std::memory_order_relaxed), 4);
        const auto delay = std::chrono::milliseconds(250) * (1 << failures);
        retry_at_.store((Clock::now() + delay).time_since_epoch().count(), std::memory_order_relaxed);
        {
            std::lock_guard lock(pool_mutex_);
            idle_.clear();
        }
        std::lock_guard lock(problem_mutex_);
        problem_ = error.empty() ? "the store did not answer" : error;
    }

    Connect connect_;
    PayloadDecoder decode_;
    std::mutex pool_mutex_;
    std::vector<std::unique_ptr<Wire>> idle_;
    pid_t owner_ = getpid();  // the process the idle connections were opened in
    std::atomic<int> failures_{0};
    std::atomic<Clock::rep> retry_at_{0};
    mutable std::mutex problem_mutex_;
    std::string problem_;
    std::mutex delivery_mutex_, pending_mutex_;
    // namespace -> token name -> generation of the last invalidation asking for it
    std::map<std::string, std::map<std::string, std::uint64_t>, std::less<>> pending_;
    std::uint64_t generation_ = 0;
    std::atomic<std::size_t> pending_count_{0};
};

std::string describe(const CacheLocation& location) {
    std::string text = std::to_string(static_cast<int>(location.kind)) + '\x1f' + location.password + '\x1f' +
                       std::to_string(location.database) + '\x1f' + location.socket_path;
    for (const auto& server : location.servers) text += '\x1f' + server.host + ':' + std::to_string(server.port);
    return text;
}

}  // namespace

// Store keys are short and plain (memcached allows 250 bytes without spaces or control
// characters): the names are hashed. A collision of two token names would only invalidate more.
std::string shared_entry_name(const Key& key) { return "cachalot1:e:" + hex(key.high) + hex(key.low); }
std::string shared_token_name(const std::string& token_key) {
    const Key hashed = hash128(token_key);
    return "cachalot1:t:" + hex(hashed.high) + hex(hashed.low);
}

std::shared_ptr<Store> shared_store(const CacheLocation& location, std::chrono::milliseconds connect_timeout,
                                    std::chrono::milliseconds io_timeout, PayloadDecoder decode_payload) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<Store>> stores;
    const std::string name = describe(location) + '\x1f' + std::to_string(connect_timeout.count()) + '\x1f' +
                             std::to_string(io_timeout.count());
    std::lock_guard lock(mutex);
    auto& store = stores[name];
    if (!store) {
        auto connect = location.kind == CacheLocation::Kind::memcached ? connect_memcached : connect_redis;
        store = std::make_shared<SharedStore>(
            [location, connect, connect_timeout, io_timeout](std::string& error) {
                return connect(location, connect_timeout, io_timeout, error);
            },
            decode_payload);
    }
    return store;
}

}  // namespace cachalot::cache
