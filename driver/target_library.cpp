#include "driver/target_library.hpp"

#include <dlfcn.h>
#include <link.h>
#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "config.h"
#include "odbcinst/attributes.hpp"

namespace cachalot::driver {

namespace {

using odbcinst::IniFile;

std::string real_path(const std::string& path) {
    char buffer[PATH_MAX];
    return realpath(path.c_str(), buffer) ? std::string(buffer) : path;
}

// The file this code was loaded from: the shim module (or a test binary linking it).
std::string own_library_path() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&own_library_path), &info) && info.dli_fname)
        return real_path(info.dli_fname);
    return {};
}

bool is_file(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// dlsym searches the library's dependencies too: a target linked to libodbc would hand back
// the driver manager's functions. Keep only symbols defined in the target itself.
void* own_symbol(void* handle, const link_map* map, const char* name) {
    void* symbol = dlsym(handle, name);
    Dl_info info{};
    if (!symbol || !dladdr(symbol, &info) || !info.dli_fname) return nullptr;
    return std::strcmp(info.dli_fname, map->l_name) == 0 ? symbol : nullptr;
}

}  // namespace

const TargetLibrary& TargetLibrary::load(const std::string& path, const std::string& described_as) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<TargetLibrary>> loaded;

    const std::string canonical = real_path(path);
    if (canonical == own_library_path())
        throw TargetError("HY000", described_as + " leads back to cachalot itself (" + path +
                                       "): a Cachalot DSN must target the real driver");
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = loaded.find(canonical); it != loaded.end()) return *it->second;

    // Never dlclose: drivers keep threads and atexit handlers that outlive their handles.
    void* handle = dlopen(canonical.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = dlerror();
        throw TargetError("IM003", described_as + ": cannot load " + path + ": " + (why ? why : "unknown error"));
    }
    link_map* map = nullptr;
    if (dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || !map)
        throw TargetError("IM003", described_as + ": cannot inspect " + path);

    auto library = std::unique_ptr<TargetLibrary>(new TargetLibrary);
    library->path_ = canonical;
#define CACHALOT_RESOLVE(name) \
    library->api_.name = reinterpret_cast<decltype(&::name)>(own_symbol(handle, map, #name));
    CACHALOT_ODBC_FUNCTIONS(CACHALOT_RESOLVE)
#undef CACHALOT_RESOLVE
    const TargetApi& api = library->api_;
    if (!api.SQLAllocHandle || !api.SQLFreeHandle ||
        !(api.SQLConnect || api.SQLConnectW || api.SQLDriverConnect || api.SQLDriverConnectW))
        throw TargetError("IM003", described_as + ": " + path +
                                       " is not an ODBC 3 driver (it lacks SQLAllocHandle, SQLFreeHandle or SQLConnect)");
    return *loaded.emplace(canonical, std::move(library)).first->second;
}

std::string resolve_driver(const std::string& driver) {
    if (driver.find('/') != std::string::npos) return driver;
    if (!odbcinst::section_exists(IniFile::drivers, driver))
        throw TargetError("IM002", "TargetDriver: no driver named '" + driver + "' in odbcinst.ini");
    auto section = odbcinst::read_section(IniFile::drivers, driver);
    std::string library = section.get("Driver64").value_or("");
    if (library.empty()) library = section.get("Driver").value_or("");
    if (library.empty())
        throw TargetError("IM002", "TargetDriver: the odbcinst.ini section '" + driver + "' has no Driver key");
    if (library.find('/') == std::string::npos) {
        // unixODBC loads bare names from its driver directory, falling back to the loader's path.
        std::string in_driver_dir = std::string(ODBC_DRIVER_DIR) + "/" + library;
        if (is_file(in_driver_dir)) return in_driver_dir;
    }
    return library;
}

std::string resolve_data_source(const std::string& dsn) {
    if (!odbcinst::section_exists(IniFile::data_sources, dsn))
        throw TargetError("IM002", "TargetDSN: no data source named '" + dsn + "' in odbc.ini");
    auto driver = odbcinst::read_section(IniFile::data_sources, dsn).get("Driver").value_or("");
    if (driver.empty())
        throw TargetError("IM002", "TargetDSN: the data source '" + dsn + "' has no Driver key");
    return resolve_driver(driver);
}

}  // namespace cachalot::driver
