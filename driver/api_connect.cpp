// Handles, environments and connections: where the shim finds its settings and its target.
#include <algorithm>
#include <cstring>
#include <langinfo.h>

#include "driver/api.hpp"
#include "driver/api_support.hpp"
#include "driver/caching.hpp"
#include "driver/cachalot_odbc.h"
#include "driver/conversions.hpp"
#include "odbcinst/attributes.hpp"
#include "sqlscan/scan.hpp"

namespace cachalot::driver::api {

namespace {

using odbcinst::Attributes;
using odbcinst::IniFile;

std::string to_utf8(const SQLCHAR* text, SQLLEN length) {
    return std::string(reinterpret_cast<const char*>(text), input_length(text, length));
}
std::string to_utf8(const SQLWCHAR* text, SQLLEN length) { return utf16_to_utf8(text, input_length(text, length)); }

Attributes parse_connection(const std::string& text) {
    try {
        return Attributes::parse_connection_string(text);
    } catch (const std::invalid_argument& e) {
        throw OdbcError("HY000", std::string("connection string: ") + e.what());
    }
}

// Where a connection's settings come from, the most specific first: the connection string,
// the DSN, and the driver's odbcinst.ini section ([Cachalot] unless the DSN names it otherwise).
struct Sources {
    Attributes connection;
    Attributes data_source;
    Attributes defaults;
};

// A string SQLGetInfo value of the target, as UTF-8 (empty when it has none), asked with the A
// or W function the connection was made with (C): psqlODBC's Unicode driver answers its A
// function in UTF-16 once a W function was called on the connection, and the application's own
// A calls must not see that because the shim called one.
template <class C>
std::string target_info(Dbc& dbc, SQLUSMALLINT type) {
    const TargetApi& api = dbc.api();
    std::string value;
    with_variant<C>(api.SQLGetInfo, api.SQLGetInfoW, [&](auto fn, auto strings) {
        using T = std::remove_pointer_t<decltype(strings(static_cast<C*>(nullptr), 0).ptr())>;
        T buffer[512] = {};
        SQLSMALLINT length = 0;
        SQLRETURN rc = fn(dbc.target, type, buffer, sizeof buffer, &length);
        if (SQL_SUCCEEDED(rc)) value = convert_string<char>(buffer, std::char_traits<T>::length(buffer));
        return rc;
    });
    return value;
}

// A numeric SQLGetInfo value of the target (0 when it has none).
SQLUINTEGER target_number(Dbc& dbc, SQLUSMALLINT type) {
    SQLUINTEGER value = 0;
    auto get = dbc.api().SQLGetInfo ? dbc.api().SQLGetInfo : dbc.api().SQLGetInfoW;
    if (get) get(dbc.target, type, &value, sizeof value, nullptr);
    return value;
}

// Whether any source of the target's keys (`target_options`) turns on the boolean `key` as
// SQLite ODBC reads one: a first character from "Yy123456789Tt".
bool option_set(std::string_view options, std::string_view key) {
    while (!options.empty()) {
        const std::string_view item = options.substr(0, options.find('\x1f'));
        options.remove_prefix(std::min(options.size(), item.size() + 1));
        const size_t equals = std::min(item.find('='), item.size());
        std::string_view name = item.substr(0, equals), value = item.substr(std::min(item.size(), equals + 1));
        if (name.rfind("odbcinst.", 0) == 0) name.remove_prefix(std::strlen("odbcinst."));
        if (odbcinst::iequals(name, key) && !value.empty() && std::strchr("Yy123456789Tt", value.front())) return true;
    }
    return false;
}

// What the shim needs to know about a target it just connected to.
template <class C>
SQLRETURN connected(Dbc& dbc, SQLRETURN rc) {
    dbc.connected = SQL_SUCCEEDED(rc);
    if (!dbc.connected) return rc;
    try {
        open_cache(dbc);
    } catch (...) {
        dbc.api().SQLDisconnect(dbc.target);
        dbc.connected = false;
        throw;
    }
    dbc.dialect = sqlscan::dialect_from_dbms_name(target_info<C>(dbc, SQL_DBMS_NAME));
    const std::string driver = target_info<C>(dbc, SQL_DRIVER_NAME);
    dbc.serves_results = true;
    // Text is read as SQL_C_WCHAR from a Unicode target, unless SQL_C_CHAR is the same text in
    // UTF-8 (in a UTF-8 locale), which is cheaper to read.
    dbc.wide_target = dbc.api().SQLDescribeColW && dbc.api().SQLColAttributeW;
    dbc.wide_text = dbc.wide_target && std::strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
    if (driver.rfind("psqlodbc", 0) == 0) dbc.family = dbc.wide_target ? TargetFamily::psqlodbc : TargetFamily::psqlodbc_ansi;
    else if (driver.find("sqlite3odbc") != std::string::npos) dbc.family = TargetFamily::sqliteodbc;
    else dbc.serves_results = false;
    // JDConv=1 makes SQLite ODBC read numbers in date and time columns as Julian days.
    if (dbc.family == TargetFamily::sqliteodbc && option_set(dbc.target_options, "JDConv")) dbc.serves_results = false;
    learn_target(dbc, target_info<C>(dbc, SQL_SERVER_NAME), target_info<C>(dbc, SQL_DATABASE_NAME), target_info<C>(dbc, SQL_USER_NAME),
                 driver + " " + target_info<C>(dbc, SQL_DRIVER_VER), target_number(dbc, SQL_DEFAULT_TXN_ISOLATION));
    return rc;
}

Sources read_sources(const Attributes& connection, const std::string& dsn) {
    Sources sources{connection, {}, {}};
    std::string driver = connection.get("DRIVER").value_or("");
    if (!dsn.empty()) {
        sources.data_source = odbcinst::read_section(IniFile::data_sources, dsn);
        if (driver.empty()) driver = sources.data_source.get("Driver").value_or("");
    }
    if (driver.empty() || driver.find('/') != std::string::npos) driver = "Cachalot";
    sources.defaults = odbcinst::read_section(IniFile::drivers, driver);
    return sources;
}

// Each key from the first source that sets it; TargetDriver and TargetDSN count as one key,
// so a connection string's TargetDSN replaces a DSN's TargetDriver instead of clashing with it.
cache::Settings settings_of(const Sources& sources) {
    Attributes all;
    bool target_named = false;
    for (const Attributes* source : {&sources.connection, &sources.data_source, &sources.defaults}) {
        const bool names_target = source->contains("TargetDriver") || source->contains("TargetDSN");
        for (const auto& item : source->items()) {
            if (!cache::is_own_key(item.key)) continue;
            const bool target_key = odbcinst::iequals(item.key, "TargetDriver") || odbcinst::iequals(item.key, "TargetDSN");
            if (!target_key || !target_named) all.add_if_absent(item.key, item.value);
        }
        target_named = target_named || names_target;
    }
    return cache::Settings::parse(all);
}

// The keys the target connects with, for the cache's keys: sorted, passwords left out. With
// them its odbcinst.ini section, where a driver keeps defaults that shape results (psqlODBC's
// BoolsAsChar): processes whose sections differ must not share entries.
std::string target_options(const Sources& sources, const cache::Settings& settings) {
    const Attributes target_dsn =
        settings.target_dsn.empty() ? Attributes{} : odbcinst::read_section(IniFile::data_sources, settings.target_dsn);
    const std::string driver = settings.target_dsn.empty() ? settings.target_driver : target_dsn.get("Driver").value_or("");
    const Attributes driver_section =
        driver.find('/') != std::string::npos ? Attributes{} : odbcinst::read_section(IniFile::drivers, driver);
    std::vector<std::string> keys{"TargetDriver=" + settings.target_driver, "TargetDSN=" + settings.target_dsn};
    for (const Attributes* source : {&sources.connection, &sources.data_source, &target_dsn, &driver_section})
        for (const auto& item : source->items())
            if (!cache::is_own_key(item.key) && !odbcinst::iequals(item.key, "PWD") && !odbcinst::iequals(item.key, "Password"))
                keys.push_back((source == &driver_section ? "odbcinst." : "") + item.key + "=" + item.value);
    std::sort(keys.begin(), keys.end());
    std::string options;
    for (const auto& key : keys) options += key + '\x1f';
    return options;
}

// With TargetDSN the target reads its own DSN: the keys of the application's DSN that are not
// the shim's (a Database=, say) must reach it in the connection string.
Attributes data_source_keys_for_target(const Sources& sources, const cache::Settings& settings) {
    Attributes keys;
    if (settings.target_dsn.empty()) return keys;
    for (const auto& item : sources.data_source.items())
        if (!cache::is_own_key(item.key) && !odbcinst::iequals(item.key, "Driver") &&
            !odbcinst::iequals(item.key, "Description") && !odbcinst::iequals(item.key, "DSN"))
            keys.add_if_absent(item.key, item.value);
    return keys;
}

const TargetLibrary& load_target(const cache::Settings& settings) {
    if (!settings.target_driver.empty())
        return TargetLibrary::load(resolve_driver(settings.target_driver), "TargetDriver");
    if (!settings.target_dsn.empty())
        return TargetLibrary::load(resolve_data_source(settings.target_dsn), "TargetDSN");
    throw OdbcError("HY000", "TargetDriver or TargetDSN: neither is set; name the real driver (TargetDriver) "
                             "or data source (TargetDSN) in the DSN or the connection string");
}

void replay_pending_attributes(Dbc& dbc) {
    const TargetApi& api = dbc.api();
    for (auto& pending : dbc.pending_attributes) {
        // Like a driver manager, setting pre-connect attributes late ignores what the driver refuses.
        SQLPOINTER value = pending.is_string ? static_cast<SQLPOINTER>(pending.bytes.data()) : pending.value;
        auto length = static_cast<SQLINTEGER>(pending.bytes.size());
        auto call = [&](auto fn, SQLPOINTER v, SQLINTEGER n) { return fn(dbc.target, pending.attribute, v, n); };
        if (pending.wide) set_value<SQLWCHAR>(api.SQLSetConnectAttr, api.SQLSetConnectAttrW, pending.is_string, value, length, call);
        else set_value<SQLCHAR>(api.SQLSetConnectAttr, api.SQLSetConnectAttrW, pending.is_string, value, length, call);
    }
}

// Gets a target connection handle of `library` for `dbc`, reusing the one it has.
void prepare_target(Dbc& dbc, const TargetLibrary& library) {
    if (dbc.connected) throw OdbcError("08002", "Connection name in use");
    if (dbc.target && dbc.library == &library) return;
    dbc.release_target();
    SQLHENV henv = dbc.env.target_for(library);
    SQLHDBC target = nullptr;
    if (!SQL_SUCCEEDED(library.api().SQLAllocHandle(SQL_HANDLE_DBC, henv, &target)))
        throw OdbcError("IM005", "the target driver " + library.path() + " could not allocate a connection");
    dbc.library = &library;
    dbc.target = target;
    replay_pending_attributes(dbc);
}

// The connection's settings, what keys its cache entries, and the target loaded for it.
void configure(Dbc& dbc, const Sources& sources) {
    dbc.settings = settings_of(sources);
    dbc.target_options = target_options(sources, dbc.settings);
    prepare_target(dbc, load_target(dbc.settings));
}

// The string the target connects with: the shim's keys and DRIVER removed, DSN switched to
// TargetDSN when that is how the target is named, with the application's DSN keys added.
Attributes target_connection_string(const Attributes& connection, const Sources& sources,
                                    const cache::Settings& settings) {
    Attributes target;
    for (const auto& item : connection.items())
        if (!cache::is_own_key(item.key) && !odbcinst::iequals(item.key, "DRIVER")) target.add_if_absent(item.key, item.value);
    const Attributes data_source_keys = data_source_keys_for_target(sources, settings);
    for (const auto& item : data_source_keys.items()) target.add_if_absent(item.key, item.value);
    if (!settings.target_dsn.empty()) target.set("DSN", settings.target_dsn);
    return target;
}

// Connects the target with SQLDriverConnect (A or W as C says, converting if it must) and
// returns its completed connection string.
template <class C>
SQLRETURN connect_target_by_string(Dbc& dbc, SQLHWND window, const std::string& text, SQLUSMALLINT completion,
                                   SQLSMALLINT out_capacity, std::string& completed) {
    const TargetApi& api = dbc.api();
    auto target_text = convert_string<C>(text.data(), text.size());
    return with_variant<C>(api.SQLDriverConnect, api.SQLDriverConnectW, [&](auto fn, auto strings) {
        auto in = strings(target_text.data(), SQL_NTS);
        using T = std::remove_pointer_t<decltype(in.ptr())>;
        // Connecting cannot be repeated to learn the length: one call with ample room.
        std::basic_string<T> buffer(4096 + 4 * static_cast<size_t>(std::max<SQLSMALLINT>(out_capacity, 0)), 0);
        SQLSMALLINT length = 0;
        SQLRETURN rc = dbc.call(fn, dbc.target, window, in.ptr(), in.template length<SQLSMALLINT>(), buffer.data(),
                                static_cast<SQLSMALLINT>(std::min<size_t>(buffer.size(), 32767)), &length, completion);
        if (SQL_SUCCEEDED(rc)) {
            buffer.resize(std::char_traits<T>::length(buffer.data()));
            completed = convert_string<char>(buffer.data(), buffer.size());
        }
        return rc;
    });
}

// What the application gets back to reconnect with: the target's completed string, leading
// through the shim again (its DSN or DRIVER, its own keys) and never straight to the target.
std::string application_connection_string(const std::string& completed, const Attributes& connection) {
    Attributes from_target = Attributes::parse_connection_string(completed);
    Attributes result;
    if (auto driver = connection.get("DRIVER")) result.set("DRIVER", *driver);
    if (auto dsn = connection.get("DSN")) result.set("DSN", *dsn);
    for (const auto& item : from_target.items())
        if (!odbcinst::iequals(item.key, "DRIVER") && !odbcinst::iequals(item.key, "DSN"))
            result.add_if_absent(item.key, item.value);
    for (const auto& item : connection.items())
        if (cache::is_own_key(item.key)) result.add_if_absent(item.key, item.value);
    return result.to_connection_string();
}

}  // namespace

SQLRETURN alloc_handle(SQLSMALLINT type, SQLHANDLE input, SQLHANDLE* output) {
    if (!output) return SQL_ERROR;
    switch (type) {
    case SQL_HANDLE_ENV:
        *output = new (std::nothrow) Env();
        return *output ? SQL_SUCCESS : SQL_ERROR;
    case SQL_HANDLE_DBC:
        // Threads share an environment: allocating a connection leaves its diagnostics alone.
        return guarded<Env>(
            input,
            [&](Env& env) -> SQLRETURN {
                *output = new Dbc(env);
                return SQL_SUCCESS;
            },
            false);
    case SQL_HANDLE_STMT:
    case SQL_HANDLE_DESC:
        return guarded<Dbc>(input, [&](Dbc& dbc) -> SQLRETURN {
            if (!dbc.connected) throw OdbcError("08003", "Connection not open");
            SQLHANDLE target = nullptr;
            SQLRETURN rc = dbc.call(dbc.api().SQLAllocHandle, type, dbc.target, &target);
            if (!SQL_SUCCEEDED(rc)) return rc;
            if (type == SQL_HANDLE_STMT) *output = dbc.add_statement(target);
            else *output = dbc.add_descriptor(target);
            return rc;
        });
    default:
        return SQL_ERROR;
    }
}

SQLRETURN free_handle(SQLSMALLINT type, SQLHANDLE handle) {
    switch (type) {
    case SQL_HANDLE_ENV:
        return guarded<Env>(handle, [](Env& env) -> SQLRETURN {
            delete &env;
            return SQL_SUCCESS;
        });
    case SQL_HANDLE_DBC:
        return guarded<Dbc>(handle, [](Dbc& dbc) -> SQLRETURN {
            delete &dbc;
            return SQL_SUCCESS;
        });
    case SQL_HANDLE_STMT:
        return guarded<Stmt>(handle, [](Stmt& stmt) -> SQLRETURN {
            SQLRETURN rc = stmt.call(stmt.api().SQLFreeHandle, SQL_HANDLE_STMT, stmt.target);
            if (SQL_SUCCEEDED(rc)) stmt.dbc.free_statement(&stmt);
            return rc;
        });
    case SQL_HANDLE_DESC:
        return guarded<Desc>(handle, [](Desc& desc) -> SQLRETURN {
            if (desc.implicit) throw OdbcError("HY017", "Invalid use of an automatically allocated descriptor handle");
            SQLRETURN rc = desc.call(desc.api().SQLFreeHandle, SQL_HANDLE_DESC, desc.target);
            if (SQL_SUCCEEDED(rc)) desc.dbc.free_descriptor(&desc);
            return rc;
        });
    default:
        return SQL_ERROR;
    }
}

SQLRETURN set_env_attr(SQLHENV henv, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER length) {
    return guarded<Env>(henv, [&](Env& env) -> SQLRETURN {
        SQLRETURN worst = SQL_SUCCESS;
        for (auto& [library, target] : env.targets())
            if (library->api().SQLSetEnvAttr)
                worst = worse(worst, env.call(library->api().SQLSetEnvAttr, target, attribute, value, length));
        if (worst != SQL_ERROR) env.set_attribute(attribute, value);
        return worst;
    });
}

SQLRETURN get_env_attr(SQLHENV henv, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER, SQLINTEGER* length) {
    return guarded<Env>(henv, [&](Env& env) -> SQLRETURN {
        SQLPOINTER stored = nullptr;
        if (!env.get_attribute(attribute, stored)) throw OdbcError("HY092", "Invalid attribute/option identifier");
        if (value) *static_cast<SQLINTEGER*>(value) = static_cast<SQLINTEGER>(reinterpret_cast<SQLLEN>(stored));
        store_length(length, sizeof(SQLINTEGER));
        return SQL_SUCCESS;
    });
}

template <class C>
SQLRETURN connect(SQLHDBC hdbc, C* dsn, SQLSMALLINT dsn_length, C* user, SQLSMALLINT user_length, C* password,
                  SQLSMALLINT password_length) {
    return guarded<Dbc>(hdbc, [&](Dbc& dbc) -> SQLRETURN {
        dbc.data_source_name = to_utf8(dsn, dsn_length);
        const Sources sources = read_sources(Attributes{}, dbc.data_source_name);
        configure(dbc, sources);
        const TargetApi& api = dbc.api();
        Attributes extra = data_source_keys_for_target(sources, dbc.settings);
        SQLRETURN rc;
        if (!extra.items().empty()) {
            // The target must see this DSN's own keys too: connect it by connection string.
            Attributes text = extra;
            text.set("DSN", dbc.settings.target_dsn);
            if (user) text.set("UID", to_utf8(user, user_length));
            if (password) text.set("PWD", to_utf8(password, password_length));
            std::string completed;
            rc = connect_target_by_string<C>(dbc, nullptr, text.to_connection_string(), SQL_DRIVER_NOPROMPT, 0,
                                             completed);
        } else {
            rc = with_variant<C>(api.SQLConnect, api.SQLConnectW, [&](auto fn, auto strings) {
                using T = std::remove_pointer_t<decltype(strings(dsn, 0).ptr())>;
                // With TargetDSN the target connects to that DSN; with TargetDriver to ours,
                // whose other keys (server, database...) are its own.
                InputString<T> target_dsn(reinterpret_cast<const SQLCHAR*>(dbc.settings.target_dsn.c_str()), SQL_NTS);
                auto our_dsn = strings(dsn, dsn_length);
                auto name = dbc.settings.target_dsn.empty()
                                ? PassedString<T>{our_dsn.ptr(), our_dsn.template length<SQLLEN>()}
                                : PassedString<T>{target_dsn.ptr(), SQL_NTS};
                auto uid = strings(user, user_length);
                auto pwd = strings(password, password_length);
                return dbc.call(fn, dbc.target, name.ptr(), name.template length<SQLSMALLINT>(), uid.ptr(),
                                uid.template length<SQLSMALLINT>(), pwd.ptr(), pwd.template length<SQLSMALLINT>());
            });
        }
        return connected<C>(dbc, rc);
    });
}

template <class C>
SQLRETURN driver_connect(SQLHDBC hdbc, SQLHWND window, C* in, SQLSMALLINT in_length, C* out,
                         SQLSMALLINT out_capacity, SQLSMALLINT* out_length, SQLUSMALLINT completion) {
    return guarded<Dbc>(hdbc, [&](Dbc& dbc) -> SQLRETURN {
        const Attributes connection = parse_connection(to_utf8(in, in_length));
        dbc.data_source_name = connection.get("DSN").value_or("");
        const Sources sources = read_sources(connection, dbc.data_source_name);
        configure(dbc, sources);
        std::string completed;
        SQLRETURN rc = connect_target_by_string<C>(
            dbc, window, target_connection_string(connection, sources, dbc.settings).to_connection_string(),
            completion, out_capacity, completed);
        if (!SQL_SUCCEEDED(connected<C>(dbc, rc))) return rc;
        SQLLEN length = 0;
        rc = deliver_string(&dbc, rc, application_connection_string(completed, connection), out, out_capacity, &length);
        store_length(out_length, length);
        return rc;
    });
}

template <class C>
SQLRETURN browse_connect(SQLHDBC hdbc, C* in, SQLSMALLINT in_length, C* out, SQLSMALLINT out_capacity,
                         SQLSMALLINT* out_length) {
    return guarded<Dbc>(hdbc, [&](Dbc& dbc) -> SQLRETURN {
        const Attributes connection = parse_connection(to_utf8(in, in_length));
        // The first step names the data source: that is where the target comes from.
        const bool first_step = !dbc.target;
        if (first_step) dbc.data_source_name = connection.get("DSN").value_or("");
        const Sources sources = read_sources(connection, dbc.data_source_name);
        if (first_step) {
            configure(dbc, sources);
        }
        const std::string target_string = target_connection_string(connection, sources, dbc.settings).to_connection_string();
        auto target_text = convert_string<C>(reinterpret_cast<const SQLCHAR*>(target_string.data()), target_string.size());
        const TargetApi& api = dbc.api();
        std::string browse_result;
        SQLRETURN rc = with_variant<C>(api.SQLBrowseConnect, api.SQLBrowseConnectW, [&](auto fn, auto strings) {
            auto text = strings(target_text.data(), SQL_NTS);
            using T = std::remove_pointer_t<decltype(text.ptr())>;
            std::basic_string<T> buffer(8192, 0);
            SQLSMALLINT length = 0;
            SQLRETURN result = dbc.call(fn, dbc.target, text.ptr(), text.template length<SQLSMALLINT>(),
                                        buffer.data(), static_cast<SQLSMALLINT>(buffer.size()), &length);
            buffer.resize(std::char_traits<T>::length(buffer.data()));
            browse_result = convert_string<char>(buffer.data(), buffer.size());
            return result;
        });
        connected<C>(dbc, rc == SQL_NEED_DATA ? SQL_ERROR : rc);
        if (rc != SQL_NEED_DATA && !dbc.connected) return rc;
        SQLLEN length = 0;
        SQLRETURN delivered = deliver_string(&dbc, rc == SQL_NEED_DATA ? SQL_SUCCESS : rc, browse_result, out,
                                             out_capacity, &length);
        store_length(out_length, length);
        return rc == SQL_NEED_DATA ? rc : delivered;
    });
}

SQLRETURN disconnect(SQLHDBC hdbc) {
    return guarded<Dbc>(hdbc, [&](Dbc& dbc) -> SQLRETURN {
        if (!dbc.connected) throw OdbcError("08003", "Connection not open");
        close_cache(dbc);
        SQLRETURN rc = dbc.call(dbc.api().SQLDisconnect, dbc.target);
        if (SQL_SUCCEEDED(rc)) {
            dbc.connected = false;
            dbc.drop_children();
        }
        return rc;
    });
}

SQLRETURN end_tran(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT completion) {
    if (type == SQL_HANDLE_DBC)
        return guarded<Dbc>(handle, [&](Dbc& dbc) -> SQLRETURN {
            if (!dbc.connected) throw OdbcError("08003", "Connection not open");
            SQLRETURN rc = dbc.call(dbc.api().SQLEndTran, SQL_HANDLE_DBC, dbc.target, completion);
            end_transaction(dbc, completion == SQL_COMMIT);
            return rc;
        });
    if (type == SQL_HANDLE_ENV)
        return guarded<Env>(handle, [&](Env& env) -> SQLRETURN {
            SQLRETURN worst = SQL_SUCCESS;
            for (auto& [library, target] : env.targets())
                worst = worse(worst, env.call(library->api().SQLEndTran, SQL_HANDLE_ENV, target, completion));
            return worst;
        });
    return SQL_INVALID_HANDLE;
}

SQLRETURN get_functions(SQLHDBC hdbc, SQLUSMALLINT function, SQLUSMALLINT* supported) {
    return guarded<Dbc>(hdbc, [&](Dbc& dbc) -> SQLRETURN {
        if (!dbc.connected) throw OdbcError("08003", "Connection not open");
        // The shim forwards every function, so what both support is what the target does, plus the
        // diagnostic functions, which the shim answers itself for targets that lack them (unixODBC
        // would otherwise read records through SQLErrorW and lose them for SQLGetDiagRec).
        SQLRETURN rc = dbc.call(dbc.api().SQLGetFunctions, dbc.target, function, supported);
        if (!SQL_SUCCEEDED(rc) || !supported) return rc;
        for (SQLUSMALLINT own : {SQL_API_SQLGETDIAGREC, SQL_API_SQLGETDIAGFIELD}) {
            if (function == SQL_API_ODBC3_ALL_FUNCTIONS) supported[own >> 4] |= static_cast<SQLUSMALLINT>(1 << (own & 0xF));
            else if (function == own) *supported = SQL_TRUE;
        }
        return rc;
    });
}

template <class C>
SQLRETURN set_connect_attr(SQLHDBC hdbc, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER length) {
    return guarded<Dbc>(hdbc, [&](Dbc& dbc) -> SQLRETURN {
        const bool is_string = is_string_connect_attribute(attribute);
        // Below the connection attributes are the statement ones, set for every statement.
        if (attribute < SQL_ATTR_ACCESS_MODE) dbc.statement_attributes_on_connection = true;
        if (!dbc.target) {
            Dbc::PendingAttribute pending{attribute, value, {}, std::is_same_v<C, SQLWCHAR>, is_string};
            if (is_string && value) {
                size_t units = length == SQL_NTS ? input_length(static_cast<C*>(value), SQL_NTS)
                                                 : static_cast<size_t>(std::max<SQLINTEGER>(length, 0)) / sizeof(C);
                pending.bytes.assign(static_cast<const char*>(value), units * sizeof(C));
            }
            dbc.pending_attributes.push_back(std::move(pending));
            return SQL_SUCCESS;
        }
        SQLRETURN rc = set_value<C>(dbc.api().SQLSetConnectAttr, dbc.api().SQLSetConnectAttrW, is_string, value, length,
                                    [&](auto fn, SQLPOINTER v, SQLINTEGER n) { return dbc.call(fn, dbc.target, attribute, v, n); });
        if (SQL_SUCCEEDED(rc) && dbc.connected) {
            const auto number = reinterpret_cast<SQLULEN>(value);
            if (attribute == SQL_ATTR_AUTOCOMMIT) set_autocommit(dbc, number == SQL_AUTOCOMMIT_ON);
            if (attribute == SQL_ATTR_TXN_ISOLATION) set_isolation(dbc, number);
            if (attribute == SQL_ATTR_CURRENT_CATALOG) session_changed(dbc, "SQL_ATTR_CURRENT_CATALOG " + to_utf8(static_cast<C*>(value), length == SQL_NTS ? SQL_NTS : length / static_cast<SQLINTEGER>(sizeof(C))));
        }
        return rc;
    });
}

template <class C>
SQLRETURN get_connect_attr(SQLHDBC hdbc, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER capacity,
                           SQLINTEGER* length) {
    return guarded<Dbc>(hdbc, [&](Dbc& dbc) -> SQLRETURN {
        if (attribute == SQL_ATTR_CACHALOT_STATS) {
            const std::string json = cache::counters_for(dbc.data_source_name)->to_json();
            SQLLEN units = 0;
            SQLRETURN rc = deliver_string(&dbc, SQL_SUCCESS, json, static_cast<C*>(value),
                                          capacity / static_cast<SQLLEN>(sizeof(C)), &units);
            store_length(length, units * static_cast<SQLLEN>(sizeof(C)));
            return rc;
        }
        if (!dbc.target) {
            for (auto& pending : dbc.pending_attributes)
                if (pending.attribute == attribute && !pending.is_string) {
                    if (value) *static_cast<SQLUINTEGER*>(value) = static_cast<SQLUINTEGER>(reinterpret_cast<SQLULEN>(pending.value));
                    return SQL_SUCCESS;
                }
            throw OdbcError("08003", "Connection not open");
        }
        const TargetApi& api = dbc.api();
        auto call = [&](auto fn, auto, SQLPOINTER buffer, SQLLEN bytes, SQLLEN* n) {
            SQLINTEGER got = 0;
            SQLRETURN rc = dbc.call(fn, dbc.target, attribute, buffer, static_cast<SQLINTEGER>(bytes), &got);
            *n = got;
            return rc;
        };
        if (!is_string_connect_attribute(attribute))
            return with_variant<C>(api.SQLGetConnectAttr, api.SQLGetConnectAttrW, [&](auto fn, auto) {
                return dbc.call(fn, dbc.target, attribute, value, capacity, length);
            });
        return get_string<C, Count::bytes>(&dbc, api.SQLGetConnectAttr, api.SQLGetConnectAttrW, value, capacity, length, call);
    });
}

template <class C>
SQLRETURN get_connect_option(SQLHDBC hdbc, SQLUSMALLINT option, SQLPOINTER value) {
    SQLINTEGER capacity = is_string_connect_attribute(option) ? SQL_MAX_OPTION_STRING_LENGTH : 0;
    return get_connect_attr<C>(hdbc, option, value, capacity, nullptr);
}

template <class C>
SQLRETURN set_connect_option(SQLHDBC hdbc, SQLUSMALLINT option, SQLULEN value) {
    SQLINTEGER length = is_string_connect_attribute(option) ? SQL_NTS : 0;
    return set_connect_attr<C>(hdbc, option, reinterpret_cast<SQLPOINTER>(value), length);
}

template <class C>
SQLRETURN get_info(SQLHDBC hdbc, SQLUSMALLINT type, SQLPOINTER value, SQLSMALLINT capacity, SQLSMALLINT* length) {
    return guarded<Dbc>(hdbc, [&](Dbc& dbc) -> SQLRETURN {
        if (!dbc.connected) throw OdbcError("08003", "Connection not open");
        if (type == SQL_DATA_SOURCE_NAME) {
            // The application's DSN, not the one a TargetDSN connected the target with.
            SQLLEN units = 0;
            SQLRETURN rc = deliver_string(&dbc, SQL_SUCCESS, dbc.data_source_name, static_cast<C*>(value),
                                          capacity / static_cast<SQLLEN>(sizeof(C)), &units);
            store_length(length, units * static_cast<SQLLEN>(sizeof(C)));
            return rc;
        }
        const TargetApi& api = dbc.api();
        if (!is_string_info(type))
            return with_variant<C>(api.SQLGetInfo, api.SQLGetInfoW,
                                   [&](auto fn, auto) { return dbc.call(fn, dbc.target, type, value, capacity, length); });
        return get_string<C, Count::bytes>(&dbc, api.SQLGetInfo, api.SQLGetInfoW, value, capacity, length,
                                           [&](auto fn, auto, SQLPOINTER buffer, SQLLEN bytes, SQLLEN* n) {
                                               SQLSMALLINT got = 0;
                                               SQLRETURN rc = dbc.call(fn, dbc.target, type, buffer, small_capacity(bytes), &got);
                                               *n = got;
                                               return rc;
                                           });
    });
}

template <class C>
SQLRETURN native_sql(SQLHDBC hdbc, C* in, SQLINTEGER in_length, C* out, SQLINTEGER out_capacity,
                     SQLINTEGER* out_length) {
    return guarded<Dbc>(hdbc, [&](Dbc& dbc) -> SQLRETURN {
        if (!dbc.connected) throw OdbcError("08003", "Connection not open");
        return get_string<C, Count::characters>(
            &dbc, dbc.api().SQLNativeSql, dbc.api().SQLNativeSqlW, out, out_capacity, out_length,
            [&](auto fn, auto strings, SQLPOINTER buffer, SQLLEN capacity, SQLLEN* n) {
                auto text = strings(in, in_length);
                using T = std::remove_pointer_t<decltype(text.ptr())>;
                SQLINTEGER got = 0;
                SQLRETURN rc = dbc.call(fn, dbc.target, text.ptr(), text.template length<SQLINTEGER>(),
                                        static_cast<T*>(buffer), static_cast<SQLINTEGER>(capacity), &got);
                *n = got;
                return rc;
            });
    });
}

CACHALOT_INSTANTIATE_BOTH(connect)
CACHALOT_INSTANTIATE_BOTH(driver_connect)
CACHALOT_INSTANTIATE_BOTH(browse_connect)
CACHALOT_INSTANTIATE_BOTH(set_connect_attr)
CACHALOT_INSTANTIATE_BOTH(get_connect_attr)
CACHALOT_INSTANTIATE_BOTH(get_info)
CACHALOT_INSTANTIATE_BOTH(native_sql)
CACHALOT_INSTANTIATE_BOTH(get_connect_option)
CACHALOT_INSTANTIATE_BOTH(set_connect_option)

}  // namespace cachalot::driver::api
