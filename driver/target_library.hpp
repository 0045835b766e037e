// The real ODBC driver the shim forwards to: loaded once per process, never unloaded.
#pragma once

#include <stdexcept>
#include <string>

#include "driver/odbc_functions.hpp"

namespace cachalot::driver {

// The target's entry points; a null member is a function the target does not export.
struct TargetApi {
#define CACHALOT_DECLARE_POINTER(name) decltype(&::name) name = nullptr;
    CACHALOT_ODBC_FUNCTIONS(CACHALOT_DECLARE_POINTER)
#undef CACHALOT_DECLARE_POINTER
};

// Why a target could not be used; `sqlstate` is what the connect call reports.
class TargetError : public std::runtime_error {
public:
    TargetError(const char* sqlstate, const std::string& message)
        : std::runtime_error(message), sqlstate_(sqlstate) {}
    const char* sqlstate() const { return sqlstate_; }

private:
    const char* sqlstate_;
};

class TargetLibrary {
public:
    // Loads (or finds already loaded) the driver library at `path` and checks that it is an
    // ODBC driver other than this shim. `described_as` names the setting in error messages.
    static const TargetLibrary& load(const std::string& path, const std::string& described_as);

    const TargetApi& api() const { return api_; }
    const std::string& path() const { return path_; }

private:
    TargetLibrary() = default;
    std::string path_;
    TargetApi api_;
};

// The library path for a TargetDriver value: a path, or a driver name from odbcinst.ini
// (Driver64, then Driver; a bare file name is looked up in unixODBC's driver directory).
std::string resolve_driver(const std::string& driver);
// The library path behind a TargetDSN value (the DSN's Driver key, resolved as above).
std::string resolve_data_source(const std::string& dsn);

}  // namespace cachalot::driver
