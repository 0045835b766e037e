#include "driver/handles.hpp"

#include "driver/caching.hpp"
#include "driver/capture.hpp"
#include "driver/replay.hpp"

namespace cachalot::driver {

SQLRETURN Handle::post(const char* sqlstate, const std::string& message, SQLRETURN rc) {
    own_records_.push_back({sqlstate, 0, "[cachalot]" + message});
    return rc;
}

Env::~Env() {
    for (auto& [library, henv] : targets_) library->api().SQLFreeHandle(SQL_HANDLE_ENV, henv);
}

void Env::set_attribute(SQLINTEGER attribute, SQLPOINTER value) {
    std::lock_guard<std::mutex> lock(mutex_);
    attributes_[attribute] = value;
}

bool Env::get_attribute(SQLINTEGER attribute, SQLPOINTER& value) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = attributes_.find(attribute);
    if (it == attributes_.end()) return false;
    value = it->second;
    return true;
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
            for (auto& [attribute, value] : attributes_) api.SQLSetEnvAttr(henv, attribute, value, 0);
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

Dbc::Dbc(Env& env) : Handle(SQL_HANDLE_DBC), env(env) {}

Dbc::~Dbc() {
    if (target && connected && library->api().SQLDisconnect) library->api().SQLDisconnect(target);
    connected = false;
    drop_children();
    release_target();
}

Stmt* Dbc::add_statement(SQLHSTMT target_stmt) {
    auto stmt = std::make_unique<Stmt>(*this, target_stmt);
    Stmt* raw = stmt.get();
    std::lock_guard<std::mutex> lock(children_mutex_);
    statements_.emplace(raw, std::move(stmt));
    return raw;
}

void Dbc::free_statement(Stmt* stmt) {
    std::lock_guard<std::mutex> lock(children_mutex_);
    statements_.erase(stmt);
}

Desc* Dbc::add_descriptor(SQLHDESC target_desc) {
    auto desc = std::make_unique<Desc>(*this, target_desc, false);
    Desc* raw = desc.get();
    std::lock_guard<std::mutex> lock(children_mutex_);
    explicit_descriptors_[target_desc] = std::move(desc);
    return raw;
}

void Dbc::free_descriptor(Desc* desc) {
    std::lock_guard<std::mutex> lock(children_mutex_);
    explicit_descriptors_.erase(desc->target);
}

Desc* Dbc::find_descriptor(SQLHDESC target_desc) {
    std::lock_guard<std::mutex> lock(children_mutex_);
    auto it = explicit_descriptors_.find(target_desc);
    return it == explicit_descriptors_.end() ? nullptr : it->second.get();
}

void Dbc::drop_children() {
    if (cache) cache->helper = nullptr;  // the target freed it with the connection
    std::lock_guard<std::mutex> lock(children_mutex_);
    statements_.clear();
    explicit_descriptors_.clear();
}

Stmt::Stmt(Dbc& dbc, SQLHSTMT target) : Handle(SQL_HANDLE_STMT), dbc(dbc), target(target) {}

// The target frees its statements itself at disconnect; a live connection gets the capture
// statement back here.
Stmt::~Stmt() {
    replay.reset();
    if (capture_target && dbc.connected) dbc.api().SQLFreeHandle(SQL_HANDLE_STMT, capture_target);
}

// A result the shim was still streaming leaves its cursor open on the capture statement.
void Stmt::drop_replay() {
    if (replay && capture_target && dbc.connected) dbc.api().SQLFreeStmt(capture_target, SQL_CLOSE);
    replay.reset();
}

void Stmt::close_replay(std::shared_ptr<const ResultShape> last) {
    drop_replay();
    if (prepared_text.empty()) return;
    if (dbc.family == TargetFamily::sqliteodbc) {
        closed_shape = std::move(last);
        return;
    }
    // The capture statement ran this prepared statement and its cursor is closed too: it
    // answers as the application's own statement would have (psqlODBC's Parse option makes
    // the answer differ by statement).
    if (capture_target && capture_prepared_text == prepared_text) {
        SQLSMALLINT columns = 0;
        bool refuses = false;
        if (dbc.api().SQLNumResultCols(capture_target, &columns) == SQL_ERROR)
            for (const DiagRecord& record : read_target_diagnostics(dbc.api(), SQL_HANDLE_STMT, capture_target))
                refuses = refuses || (record.sqlstate == "HY000" && record.native == 1);
        dbc.closed_statements_refuse = refuses;
    }
    refuses_description = dbc.closed_statements_refuse.value_or(false);
    if (refuses_description && described_served) closed_shape = std::move(last);
}

bool Stmt::describes_by_previous_run() const { return dbc.family == TargetFamily::sqliteodbc && runs_again; }

void Stmt::forget_closed_cursor() {
    closed_shape.reset();
    refuses_description = false;
    described_served = false;
}

Desc* Stmt::wrap_descriptor(SQLHDESC target_desc, SQLINTEGER attribute) {
    if (!target_desc) return nullptr;
    if (Desc* desc = dbc.find_descriptor(target_desc)) return desc;
    for (auto& desc : implicit_descriptors_)
        if (desc->target == target_desc) return desc.get();
    implicit_descriptors_.push_back(std::make_unique<Desc>(dbc, target_desc, true));
    if (attribute == SQL_ATTR_IMP_ROW_DESC) implicit_descriptors_.back()->rows_of = this;
    return implicit_descriptors_.back().get();
}

Handle* any_handle_cast(SQLSMALLINT type, SQLHANDLE handle) {
    auto* h = static_cast<Handle*>(handle);
    return h && h->is_live(type) ? h : nullptr;
}

}  // namespace cachalot::driver
