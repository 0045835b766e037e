// The Redis wire (hiredis): MGET for a lookup, pipelined SET for tokens, SET ... EX for entries.
#include <hiredis/hiredis.h>
#include <pthread.h>

#include <csignal>

#include "cache/awake_wait.hpp"
#include "cache/settings.hpp"
#include "cache/wire.hpp"

namespace cachalot::cache {

namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
    return timeval{static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>(ms.count() % 1000 * 1000)};
}

struct ReplyFree {
    void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyFree>;

// A GET's or MGET element's value: absent unless the reply is a string.
std::optional<std::string> value_of(const redisReply* reply) {
    if (reply->type != REDIS_REPLY_STRING) return std::nullopt;
    return std::string(reply->str, reply->len);
}

// hiredis writes with write(): on a connection the server or a firewall has closed, that raises
// SIGPIPE, which kills an application that does not ignore it. The signal is blocked on this
// thread while hiredis writes, and one the write raised is taken back before unblocking.
class SigpipeBlocked {
public:
    SigpipeBlocked() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        sigset_t pending;
        was_pending_ = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    }
    ~SigpipeBlocked() {
        sigset_t pending;
        if (!was_pending_ && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
            const timespec now{};
            sigtimedwait(&pipe_, nullptr, &now);
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeBlocked(const SigpipeBlocked&) = delete;
    SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

private:
    sigset_t pipe_, old_;
    bool was_pending_;
};

class RedisWire final : public Wire {
public:
    explicit RedisWire(redisContext* context) : context_(context) {}
    ~RedisWire() override { redisFree(context_); }

    // Sends commands (each a list of arguments) in one write and reads their replies.
    bool pipeline(const std::vector<std::vector<std::string_view>>& commands, std::vector<Reply>& replies) {
        for (const auto& command : commands) {
            std::vector<const char*> argv;
            std::vector<std::size_t> lengths;
            for (auto argument : command) {
                argv.push_back(argument.data());
                lengths.push_back(argument.size());
            }
            if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data()) != REDIS_OK)
                return broken();
        }
        {
            SigpipeBlocked blocked;
            for (int done = 0; !done;)
                if (redisBufferWrite(context_, &done) != REDIS_OK) return broken();
        }
        awake_wait_.for_reply(context_->fd);
        for (std::size_t i = 0; i < commands.size(); ++i) {
            void* reply = nullptr;
            if (redisGetReply(context_, &reply) != REDIS_OK || !reply) return broken();
            replies.emplace_back(static_cast<redisReply*>(reply));
            if (replies.back()->type == REDIS_REPLY_ERROR) {
                error = "redis: " + std::string(replies.back()->str, replies.back()->len);
                return false;
            }
        }
        return true;
    }

    bool get(std::string_view, const std::vector<std::string>& keys, Values& values) override {
        std::vector<std::string_view> command{"MGET"};
        command.insert(command.end(), keys.begin(), keys.end());
        std::vector<Reply> replies;
        if (!pipeline({command}, replies)) return false;
        if (replies[0]->type != REDIS_REPLY_ARRAY) return unexpected();
        for (std::size_t i = 0; i < replies[0]->elements; ++i) values.push_back(value_of(replies[0]->element[i]));
        return true;
    }

    bool add_then_get(std::string_view, const std::vector<std::string>& keys,
                      const std::vector<std::string>& candidates, Values& values) override {
        std::vector<std::vector<std::string_view>> commands;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            commands.push_back({"SET", keys[i], candidates[i], "NX"});
            commands.push_back({"GET", keys[i]});
        }
        std::vector<Reply> replies;
        if (!pipeline(commands, replies)) return false;
        for (std::size_t i = 1; i < replies.size(); i += 2) values.push_back(value_of(replies[i].get()));
        return true;
    }

    bool set(const std::vector<std::string>&, const std::vector<std::string>& keys,
             const std::vector<std::string>& new_values) override {
        std::vector<std::vector<std::string_view>> commands;
        for (std::size_t i = 0; i < keys.size(); ++i) commands.push_back({"SET", keys[i], new_values[i]});
        std::vector<Reply> replies;
        if (!pipeline(commands, replies)) return false;
        for (const auto& reply : replies)
            if (reply->type != REDIS_REPLY_STATUS) return unexpected();
        return true;
    }

    Stored put(std::string_view, const std::string& key, std::string_view value, std::chrono::seconds ttl) override {
        const std::string seconds = std::to_string(ttl.count());
        std::vector<std::string_view> command{"SET", key, value};
        if (ttl.count() > 0) command.insert(command.end(), {"EX", seconds});
        std::vector<Reply> replies;
        if (pipeline({command}, replies)) return Stored::yes;
        // An error reply (out of memory under noeviction) leaves the connection usable.
        return replies.empty() ? Stored::unreachable : Stored::refused;
    }

private:
    bool broken() {
        error = "redis: " + std::string(context_->errstr[0] ? context_->errstr : "connection lost");
        return false;
    }
    bool unexpected() {
        error = "redis: unexpected reply";
        return false;
    }

    redisContext* context_;
    AwakeWait awake_wait_;
};

}  // namespace

std::unique_ptr<Wire> connect_redis(const CacheLocation& location, std::chrono::milliseconds connect_timeout,
                                    std::chrono::milliseconds io_timeout, std::string& error) {
    redisContext* context =
        location.kind == CacheLocation::Kind::redis_unix
            ? redisConnectUnixWithTimeout(location.socket_path.c_str(), to_timeval(connect_timeout))
            : redisConnectWithTimeout(location.servers.at(0).host.c_str(), location.servers.at(0).port,
                                      to_timeval(connect_timeout));
    if (!context) {
        error = "redis: out of memory";
        return nullptr;
    }
    auto wire = std::make_unique<RedisWire>(context);
    if (context->err) {
        error = "redis: " + std::string(context->errstr);
        return nullptr;
    }
    redisSetTimeout(context, to_timeval(io_timeout));
    std::vector<std::vector<std::string_view>> setup;
    const std::string database = std::to_string(location.database);
    if (!location.password.empty()) setup.push_back({"AUTH", location.password});
    if (location.database) setup.push_back({"SELECT", database});
    setup.push_back({"INFO", "server"});
    std::vector<Reply> replies;
    if (!wire->pipeline(setup, replies) || replies.back()->type != REDIS_REPLY_STRING) {
        error = wire->error.empty() ? "redis: INFO server failed" : wire->error;
        return nullptr;
    }
    const std::string_view info(replies.back()->str, replies.back()->len);
    const auto run_id = info.find("run_id:");
    if (run_id == std::string_view::npos) {
        error = "redis: INFO server has no run_id";
        return nullptr;
    }
    wire->incarnation = hash128(info.substr(run_id, info.find('\r', run_id) - run_id)).low;
    return wire;
}

}  // namespace cachalot::cache
