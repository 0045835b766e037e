// A Redis or memcached server of a test's own on 127.0.0.1 (test.sh's servers are shared by
// every test; a test that kills, freezes or floods its store starts this one).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace cachalot::test {

// A TCP port nothing listens on right now.
inline int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    bind(fd, reinterpret_cast<sockaddr*>(&address), size);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    close(fd);
    return ntohs(address.sin_port);
}

inline bool accepts(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    return ok;
}

// Runs a program to its end; its standard output.
inline std::string output_of(const std::string& command) {
    std::string out;
    if (FILE* pipe = popen(command.c_str(), "r")) {
        char buffer[4096];
        for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
        pclose(pipe);
    }
    return out;
}

class StoreServer {
public:
    // kind: "redis" or "memcached"; `options` are added to the server's command line.
    StoreServer(std::string kind, std::vector<std::string> options = {})
        : kind_(std::move(kind)), options_(std::move(options)), port_(free_port()) {
        start();
    }
    ~StoreServer() { stop(); }
    StoreServer(const StoreServer&) = delete;
    StoreServer& operator=(const StoreServer&) = delete;

    int port() const { return port_; }
    // The Cache= value naming it.
    std::string location() const { return kind_ + "://127.0.0.1:" + std::to_string(port_); }

    // Starts (again) on the same port; false when it does not accept connections in 10 s.
    bool start() {
        std::vector<std::string> args;
        if (kind_ == "redis")
            args = {"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"};
        else
            args = {"memcached", "-l", "127.0.0.1", "-p", std::to_string(port_), "-U", "0", "-u", "root"};
        args.insert(args.end(), options_.begin(), options_.end());
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        if (posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = 0;
        posix_spawn_file_actions_destroy(&actions);
        for (int i = 0; pid_ && i < 1000; ++i) {
            if (accepts(port_)) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
    // Killed at once (SIGKILL): everything it held is gone.
    void stop() {
        if (!pid_) return;
        kill(pid_, SIGCONT);
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = 0;
    }
    // Frozen (SIGSTOP): connections stay open and nothing answers; resume() thaws it.
    void freeze() { kill(pid_, SIGSTOP); }
    void resume() { kill(pid_, SIGCONT); }

    // A redis-cli command's output (Redis only).
    std::string redis(const std::string& arguments) const {
        return output_of("redis-cli -p " + std::to_string(port_) + " " + arguments);
    }

private:
    std::string kind_;
    std::vector<std::string> options_;
    int port_;
    pid_t pid_ = 0;
};

}  // namespace cachalot::test
