// Waiting for a store's reply awake before letting the kernel put the thread to sleep.
#pragma once

#include <sys/socket.h>

#include <cerrno>
#include <chrono>

namespace cachalot::cache {

// A store on the same machine or rack answers within tens of microseconds: waiting for the
// reply awake costs less than being put to sleep and woken by it (a hit takes about half the
// time). Over a slower link the wait would only burn CPU: replies that keep arriving late
// (the score drops faster than it climbs) make the wire sleep at once, and it tries the short
// wait again every 64th round trip. One per connection; call it once per round trip, after
// the request went out and before the blocking read.
class AwakeWait {
public:
    void for_reply(int fd) {
        constexpr auto spin = std::chrono::microseconds(60);
        if (fast_score_ == 0 && ++round_trips_ % 64 != 0) return;
        char byte;
        const auto until = std::chrono::steady_clock::now() + spin;
        while (recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) < 0 && errno == EAGAIN)
            if (std::chrono::steady_clock::now() >= until) {
                fast_score_ = fast_score_ > 4 ? fast_score_ - 4 : 0;
                return;
            }
        if (fast_score_ < 16) ++fast_score_;
    }

private:
    unsigned fast_score_ = 16, round_trips_ = 0;
};

}  // namespace cachalot::cache
