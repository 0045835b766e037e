#include "driver/handles.hpp"

namespace cachalot::driver {

SQLRETURN Handle::post(const char* sqlstate, const std::string& message, SQLRETURN rc) {
    own_records_.push_back({sqlstate, 0, "[cachalot]" + message});
    return rc;
}

Env::~Env() {
    for (auto& [library, henv] : targets_) library->api().SQLFreeHandle(SQL_HANDLE_ENV, henv);
}

SQLHENV Env::target_for(const TargetLibrary& library) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = targets_.find(&library);
    if (it == targets_.end()) {
        SQLHENV henv = nullptr;
        const TargetApi& api = library.api();
        if (!SQL_SUCCEEDED(api.SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &henv)))
            throw OdbcError("IM004", "the target driver " + library.path() + " could not allocate an environment");
        if (api.SQLSetEnvAttr)
            for (auto& [attribute, value] : attributes) api.SQLSetEnvAttr(henv, attribute, value, 0);
        it = targets_.emplace(&library, henv).first;
    }
    last_target_ = it->second;
    last_api_ = &library.api();
    return it->second;
}

std::vector<std::pair<const TargetLibrary*, SQLHENV>> Env::targets() {
    std::lock_guard<std::mutex> lock(mutex_);
    return {targets_.begin(), targets_.end()};
}

void Dbc::release_target() {
    if (target) library->api().SQLFreeHandle(SQL_HANDLE_DBC, target);
    target = nullptr;
    library = nullptr;
    connected = false;
}

Dbc::~Dbc() {
    for (auto& [target_desc, desc] : explicit_descriptors) delete desc;
    if (target && connected && library->api().SQLDisconnect) library->api().SQLDisconnect(target);
    release_target();
}

Desc* Stmt::wrap_descriptor(SQLHDESC target_desc) {
    if (!target_desc) return nullptr;
    if (auto it = dbc.explicit_descriptors.find(target_desc); it != dbc.explicit_descriptors.end())
        return it->second;
    for (auto& desc : implicit_descriptors_)
        if (desc->target == target_desc) return desc.get();
    implicit_descriptors_.push_back(std::make_unique<Desc>(dbc, target_desc, true));
    return implicit_descriptors_.back().get();
}

Handle* any_handle_cast(SQLSMALLINT type, SQLHANDLE handle) {
    auto* h = static_cast<Handle*>(handle);
    return h && h->is_live(type) ? h : nullptr;
}

}  // namespace cachalot::driver
