// The memcached wire: memcached's text protocol over sockets of our own, one per server.
// libmemcached only places keys on servers (ketama consistent hashing of each key's place, as
// its *_by_key functions do). Speaking the protocol ourselves lets a lookup wait for its reply
// awake, and lets token updates go out pipelined with each `set` still confirmed by its own
// reply (libmemcached confirms a set only by a round trip of its own).
#include <fcntl.h>
#include <libmemcached/memcached.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

#include "cache/awake_wait.hpp"
#include "cache/settings.hpp"
#include "cache/wire.hpp"

namespace cachalot::cache {

namespace {

// memcached reads an expiry beyond 30 days as a Unix time.
constexpr long long relative_expiry_limit = 60 * 60 * 24 * 30;

bool wait_for(int fd, short events, std::chrono::milliseconds timeout) {
    pollfd ready{fd, events, 0};
    int rc;
    do rc = poll(&ready, 1, static_cast<int>(timeout.count()));
    while (rc < 0 && errno == EINTR);
    return rc > 0;
}

// A non-blocking TCP connection to host:port within `timeout`; -1 with `error` set otherwise.
int connect_tcp(const std::string& host, int port, std::chrono::milliseconds timeout, std::string& error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* addresses = nullptr;
    if (const int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &addresses); rc != 0) {
        error = host + ": " + gai_strerror(rc);
        return -1;
    }
    int fd = -1;
    for (const addrinfo* address = addresses; address && fd < 0; address = address->ai_next) {
        fd = socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address->ai_protocol);
        if (fd < 0) continue;
        int status = 0;
        socklen_t length = sizeof status;
        if (connect(fd, address->ai_addr, address->ai_addrlen) != 0 &&
            (errno != EINPROGRESS || !wait_for(fd, POLLOUT, timeout) ||
             getsockopt(fd, SOL_SOCKET, SO_ERROR, &status, &length) != 0 || status != 0)) {
            error = host + ":" + std::to_string(port) + ": " +
                    (errno == EINPROGRESS && status == 0 ? "connect timed out" : std::strerror(status ? status : errno));
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(addresses);
    if (fd >= 0) {
        const int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    return fd;
}

// One server: requests are queued in `out` and sent by flush(); replies are read line by line.
class ServerConnection {
public:
    ServerConnection(int fd, std::string name, std::chrono::milliseconds io_timeout)
        : fd_(fd), name_(std::move(name)), io_timeout_(io_timeout) {}
    ~ServerConnection() { close(fd_); }
    ServerConnection(const ServerConnection&) = delete;
    ServerConnection& operator=(const ServerConnection&) = delete;

    std::string out;

    bool flush(std::string& error) {
        for (std::size_t sent = 0; sent < out.size();) {
            const ssize_t n = send(fd_, out.data() + sent, out.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) {
                sent += static_cast<std::size_t>(n);
            } else if (errno == EAGAIN) {
                if (!wait_for(fd_, POLLOUT, io_timeout_)) return fail(error, "send timed out");
            } else if (errno != EINTR) {
                return fail(error, std::strerror(errno));
            }
        }
        out.clear();
        reply_due_ = true;
        return true;
    }

    // The next line of the reply, without its CRLF; valid until the next read.
    bool read_line(std::string_view& line, std::string& error) {
        std::size_t end;
        while ((end = in_.find("\r\n", at_)) == std::string::npos)
            if (!fill(error)) return false;
        line = std::string_view(in_).substr(at_, end - at_);
        at_ = end + 2;
        return true;
    }

    // A data block of `length` bytes and its CRLF.
    bool read_block(std::size_t length, std::string& value, std::string& error) {
        while (in_.size() - at_ < length + 2)
            if (!fill(error)) return false;
        if (in_.compare(at_ + length, 2, "\r\n") != 0) return fail(error, "malformed reply");
        value.assign(in_, at_, length);
        at_ += length + 2;
        return true;
    }

    bool fail(std::string& error, const std::string& why) const {
        error = "memcached " + name_ + ": " + why;
        return false;
    }
    bool unexpected(std::string& error, std::string_view reply) const {
        return fail(error, "unexpected reply " + std::string(reply));
    }
    // Gives back the buffers when a large value grew them (once the reply is read whole).
    void trim() {
        constexpr std::size_t kept = 65536;
        if (at_ == in_.size() && in_.capacity() > kept) {
            std::string().swap(in_);  // (assigning an empty string would keep the capacity)
            at_ = 0;
        }
        if (out.empty() && out.capacity() > kept) std::string().swap(out);
    }

private:
    bool fill(std::string& error) {
        in_.erase(0, at_);
        at_ = 0;
        if (reply_due_) {
            awake_wait_.for_reply(fd_);
            reply_due_ = false;
        }
        const std::size_t had = in_.size();
        in_.resize(had + 16384);
        for (;;) {
            const ssize_t n = recv(fd_, in_.data() + had, in_.size() - had, MSG_DONTWAIT);
            if (n > 0) {
                in_.resize(had + static_cast<std::size_t>(n));
                return true;
            }
            if (n == 0) return fail(error, "connection closed");
            if (errno == EAGAIN) {
                if (!wait_for(fd_, POLLIN, io_timeout_)) return fail(error, "read timed out");
            } else if (errno != EINTR) {
                return fail(error, std::strerror(errno));
            }
        }
    }

    int fd_;
    std::string name_;
    std::chrono::milliseconds io_timeout_;
    std::string in_;
    std::size_t at_ = 0;
    bool reply_due_ = false;
    AwakeWait awake_wait_;
};

class MemcachedWire final : public Wire {
public:
    explicit MemcachedWire(memcached_st* ring) : ring_(ring) {}
    ~MemcachedWire() override { memcached_free(ring_); }

    bool get(std::string_view place, const std::vector<std::string>& keys, Values& values) override {
        const std::size_t server = server_of(place);
        queue_get(server, keys);
        return servers_[server]->flush(error) && read_values(server, keys, values);
    }

    bool add_then_get(std::string_view place, const std::vector<std::string>& keys,
                      const std::vector<std::string>& candidates, Values& values) override {
        const std::size_t server = server_of(place);
        for (std::size_t i = 0; i < keys.size(); ++i) queue_storage(server, "add", keys[i], candidates[i], 0);
        queue_get(server, keys);
        if (!servers_[server]->flush(error)) return false;
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (!read_reply(server, {"STORED", "NOT_STORED"})) return false;
        return read_values(server, keys, values);
    }

    bool set(const std::vector<std::string>& places, const std::vector<std::string>& keys,
             const std::vector<std::string>& new_values) override {
        std::vector<std::size_t> sent(servers_.size());  // sets queued per server
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const std::size_t server = server_of(places[i]);
            queue_storage(server, "set", keys[i], new_values[i], 0);
            ++sent[server];
        }
        if (!send_all()) return false;
        for (std::size_t server = 0; server < servers_.size(); ++server)
            for (std::size_t i = 0; i < sent[server]; ++i)
                if (!read_reply(server, {"STORED"})) return false;
        return true;
    }

    void trim() override {
        for (auto& server : servers_) server->trim();
    }

    Stored put(std::string_view place, const std::string& key, std::string_view value,
               std::chrono::seconds ttl) override {
        long long expiry = ttl.count();
        if (expiry > relative_expiry_limit) expiry += std::time(nullptr);
        const std::size_t at = server_of(place);
        ServerConnection& server = *servers_[at];
        queue_storage(at, "set", key, value, expiry);
        std::string_view reply;
        if (!server.flush(error) || !server.read_line(reply, error)) return Stored::unreachable;
        if (reply == "STORED") return Stored::yes;
        // Too large for an item, or out of memory: the server skipped the value and goes on.
        if (reply.substr(0, 13) == "SERVER_ERROR ") return Stored::refused;
        server.unexpected(error, reply);
        return Stored::unreachable;
    }

    // Connects to every server of the ring and reads, from each one's pid and start time, the
    // incarnation: a restarted server (also one that reloads its items, -e) changes it.
    bool connect_servers(std::chrono::milliseconds connect_timeout, std::chrono::milliseconds io_timeout) {
        std::string identities;  // pid and start time of each server
        for (std::uint32_t i = 0; i < memcached_server_count(ring_); ++i) {
            const memcached_instance_st* instance = memcached_server_instance_by_position(ring_, i);
            const std::string host = memcached_server_name(instance);
            const int port = memcached_server_port(instance);
            const int fd = connect_tcp(host, port, connect_timeout, error);
            if (fd < 0) return false;
            servers_.push_back(std::make_unique<ServerConnection>(fd, host + ":" + std::to_string(port), io_timeout));
            servers_.back()->out = "stats\r\n";
        }
        if (!send_all()) return false;
        for (auto& server : servers_) {
            long long pid = 0, time = 0, uptime = 0;
            for (std::string_view line;;) {
                if (!server->read_line(line, error)) return false;
                if (line == "END") break;
                if (line.substr(0, 5) != "STAT ") return server->unexpected(error, line);
                const auto number = [&](std::string_view stat, long long& value) {
                    if (line.substr(0, stat.size()) == stat) value = std::atoll(std::string(line.substr(stat.size())).c_str());
                };
                number("STAT pid ", pid);
                number("STAT time ", time);
                number("STAT uptime ", uptime);
            }
            identities += std::to_string(pid) + "@" + std::to_string(time - uptime) + ";";
        }
        incarnation = hash128(identities).low;
        return true;
    }

private:
    std::size_t server_of(std::string_view place) const {
        return servers_.size() == 1 ? 0 : memcached_generate_hash(ring_, place.data(), place.size());
    }
    void queue_get(std::size_t server, const std::vector<std::string>& keys) {
        std::string& out = servers_[server]->out;
        out += "get";
        for (const auto& key : keys) out.append(" ").append(key);
        out += "\r\n";
    }
    void queue_storage(std::size_t server, const char* command, const std::string& key, std::string_view value,
                       long long expiry) {
        std::string& out = servers_[server]->out;
        out.append(command).append(" ").append(key).append(" 0 ").append(std::to_string(expiry)).append(" ");
        out.append(std::to_string(value.size())).append("\r\n").append(value).append("\r\n");
    }

    bool send_all() {
        for (auto& server : servers_)
            if (!server->out.empty() && !server->flush(error)) return false;
        return true;
    }
    bool read_reply(std::size_t server, std::initializer_list<std::string_view> expected) {
        std::string_view reply;
        if (!servers_[server]->read_line(reply, error)) return false;
        for (std::string_view fine : expected)
            if (reply == fine) return true;
        return servers_[server]->unexpected(error, reply);
    }

    // A get's reply: VALUE lines with their data blocks, then END.
    bool read_values(std::size_t server, const std::vector<std::string>& keys, Values& values) {
        values.assign(keys.size(), std::nullopt);
        ServerConnection& connection = *servers_[server];
        for (;;) {
            std::string_view line;
            if (!connection.read_line(line, error)) return false;
            if (line == "END") return true;
            // VALUE <key> <flags> <bytes>
            const auto key_end = line.find(' ', 6), flags_end = line.find(' ', key_end + 1);
            if (line.substr(0, 6) != "VALUE " || key_end == std::string_view::npos || flags_end == std::string_view::npos)
                return connection.unexpected(error, line);
            const std::string key(line.substr(6, key_end - 6));
            const std::size_t length = std::strtoull(std::string(line.substr(flags_end + 1)).c_str(), nullptr, 10);
            std::string value;
            if (!connection.read_block(length, value, error)) return false;
            for (std::size_t i = 0; i < keys.size(); ++i)
                if (keys[i] == key) values[i] = value;
        }
    }

    memcached_st* ring_;
    std::vector<std::unique_ptr<ServerConnection>> servers_;
};

}  // namespace

std::unique_ptr<Wire> connect_memcached(const CacheLocation& location, std::chrono::milliseconds connect_timeout,
                                        std::chrono::milliseconds io_timeout, std::string& error) {
    memcached_st* ring = memcached_create(nullptr);
    if (!ring) {
        error = "memcached: out of memory";
        return nullptr;
    }
    auto wire = std::make_unique<MemcachedWire>(ring);
    memcached_behavior_set(ring, MEMCACHED_BEHAVIOR_KETAMA, 1);
    for (const auto& server : location.servers) {
        const memcached_return_t rc = memcached_server_add(ring, server.host.c_str(), static_cast<in_port_t>(server.port));
        if (rc != MEMCACHED_SUCCESS) {
            error = "memcached: " + std::string(memcached_strerror(ring, rc));
            return nullptr;
        }
    }
    if (!wire->connect_servers(connect_timeout, io_timeout)) {
        error = wire->error;
        return nullptr;
    }
    return wire;
}

}  // namespace cachalot::cache
