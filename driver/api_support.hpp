// What every API function shares: finding the handle, turning exceptions into diagnostics,
// choosing the target's A or W variant and converting strings when it lacks the one called.
#pragma once

#include <list>
#include <new>
#include <tuple>
#include <string>
#include <type_traits>

#include "driver/caching.hpp"
#include "driver/handles.hpp"
#include "driver/unicode.hpp"

namespace cachalot::driver {

// `body(handle)`, with its exceptions turned into diagnostic records.
template <class H, class Body>
SQLRETURN guarded_body(H& handle, Body& body) {
    try {
        return body(handle);
    } catch (const OdbcError& e) {
        return handle.post(e.sqlstate(), e.what());
    } catch (const TargetError& e) {
        return handle.post(e.sqlstate(), e.what());
    } catch (const cache::SettingError& e) {
        return handle.post("HY000", e.what());
    } catch (const std::bad_alloc&) {
        return handle.post("HY001", "Memory allocation error");
    } catch (const std::exception& e) {
        return handle.post("HY000", e.what());
    } catch (...) {
        return handle.post("HY000", "unexpected internal error");
    }
}

// Runs `body(handle)` for a live handle of type H, after clearing its diagnostics.
// This is the one place exceptions become diagnostic records, and where the cache hears
// that a statement call failed.
template <class H, class Body>
SQLRETURN guarded(SQLHANDLE raw, Body&& body, bool clear_diagnostics = true) {
    H* handle = handle_cast<H>(raw);
    if (!handle) return SQL_INVALID_HANDLE;
    if (clear_diagnostics) handle->begin_call();
    const SQLRETURN rc = guarded_body(*handle, body);
    if constexpr (std::is_same_v<H, Stmt>)
        if (rc == SQL_ERROR) statement_failed(handle->dbc);
    return rc;
}

// The A or W variant of a target function, by the character type.
template <class C, class A, class W>
auto pick(A ansi, W wide) {
    if constexpr (std::is_same_v<C, SQLCHAR>) return ansi;
    else return wide;
}

// An application string passed through unchanged (the target has the variant called).
template <class C>
struct PassedString {
    C* text;
    SQLLEN len;
    C* ptr() const { return text; }
    template <class Length>
    Length length(bool = false) const { return static_cast<Length>(len); }
};

struct PassStrings {
    template <class C>
    PassedString<C> operator()(C* text, SQLLEN length) const { return {text, length}; }
};

template <class To>
struct ConvertStrings {
    template <class From>
    InputString<To> operator()(From* text, SQLLEN length) const { return InputString<To>(text, length); }
};

// Calls `call(fn, strings)` with the target's variant for C when it has one (strings pass
// through), else with the other variant and `strings` converting each string argument.
template <class C, class A, class W, class Call>
SQLRETURN with_variant(A ansi, W wide, Call&& call) {
    if (auto fn = pick<C>(ansi, wide)) return call(fn, PassStrings{});
    using T = OtherChar<C>;
    auto other = pick<T>(ansi, wide);
    if (!other) throw OdbcError("IM001", "the target driver does not support this function");
    return call(other, ConvertStrings<T>{});
}

// The more serious of two return codes, for calls that fan out to several target handles.
inline SQLRETURN worse(SQLRETURN a, SQLRETURN b) {
    if (a == SQL_ERROR || b == SQL_ERROR) return SQL_ERROR;
    return a == SQL_SUCCESS_WITH_INFO || b == SQL_SUCCESS_WITH_INFO ? SQL_SUCCESS_WITH_INFO : a;
}

// A string argument of a forwarded call, with its length type (SQLSMALLINT or SQLINTEGER).
template <class C, class Length>
struct Text {
    C* ptr;
    Length length;
};
template <class Length, class C>
Text<C, Length> text(C* ptr, Length length) { return {ptr, length}; }

// Turns each argument into the arguments the target takes: a Text into (pointer, length),
// converted and kept alive here when the target's character type differs.
template <class T>
struct ArgumentConverter {
    std::list<InputString<T>> kept;
    template <class C, class Length>
    std::tuple<T*, Length> operator()(Text<C, Length> t) {
        if constexpr (std::is_same_v<C, T>) {
            return {t.ptr, t.length};
        } else {
            kept.emplace_back(t.ptr, t.length);
            return {kept.back().ptr(), kept.back().template length<Length>()};
        }
    }
    template <class V>
    std::tuple<V> operator()(V value) { return {value}; }
};

// Forwards a call on a handle H whose string arguments are given as Text: to the target's
// variant for C when it has one, else to the other variant with the strings converted.
template <class C, class H, class A, class W, class... Args>
SQLRETURN forward_with_strings(SQLHANDLE raw, A TargetApi::*ansi, W TargetApi::*wide, Args... args) {
    return guarded<H>(raw, [&](H& handle) {
        if (!handle.target_api()) throw OdbcError("08003", "Connection not open");
        // On a statement these calls (SQLPrepare, the catalog functions) replace its results.
        if constexpr (std::is_same_v<H, Stmt>) handle.drop_replay();
        const TargetApi& api = *handle.target_api();
        auto run = [&](auto fn, auto& convert) {
            return std::apply([&](auto... target_args) { return handle.call(fn, target_args...); },
                              std::tuple_cat(std::make_tuple(handle.target), convert(args)...));
        };
        if (auto fn = pick<C>(api.*ansi, api.*wide)) {
            ArgumentConverter<C> same;
            return run(fn, same);
        }
        ArgumentConverter<OtherChar<C>> convert;
        return run(pick<OtherChar<C>>(api.*ansi, api.*wide), convert);
    });
}

// Reads a string the target returns, whole: `call(buffer, capacity, &length)` works in the
// target's characters, and the buffer grows until the value fits.
template <class T, class Call>
SQLRETURN read_whole_string(Call&& call, std::basic_string<T>& value) {
    std::basic_string<T> buffer(512, 0);
    for (;;) {
        SQLLEN length = 0;
        SQLRETURN rc = call(buffer.data(), static_cast<SQLLEN>(buffer.size()), &length);
        if (!SQL_SUCCEEDED(rc)) return rc;
        size_t terminated = std::char_traits<T>::length(buffer.data());
        if (length < 0 || static_cast<size_t>(length) < buffer.size()) {
            value.assign(buffer.data(), length < 0 ? terminated : std::min<size_t>(length, terminated));
            return rc;
        }
        buffer.assign(static_cast<size_t>(length) + 1, 0);
    }
}

// Hands a converted string to the application: copies it cut to the buffer's `capacity`
// characters, reports the whole length, and adds 01004 to `handle` (unless null: the
// diagnostic functions report truncation without adding records) when it had to cut.
template <class A, class T>
SQLRETURN deliver_string(Handle* handle, SQLRETURN rc, const std::basic_string<T>& value, A* buffer,
                         SQLLEN capacity, SQLLEN* length) {
    std::basic_string<A> converted = convert_string<A>(value.data(), value.size());
    if (length) *length = static_cast<SQLLEN>(converted.size());
    if (copy_to_buffer(converted, buffer, capacity)) {
        rc = SQL_SUCCESS_WITH_INFO;
        if (handle) handle->post("01004", "String data, right truncated", rc);
    }
    return rc;
}

// Stores a length into an application's length pointer of any integer type.
template <class Length>
void store_length(Length* out, SQLLEN value) {
    if (out) *out = static_cast<Length>(value);
}

// How a function counts its string buffers: W functions count characters in some places
// (names, messages) and bytes in others (attributes, information, fields).
enum class Count { characters, bytes };

// Which length a converted string reports. unixODBC, converting for a driver that lacks the
// variant, passes the driver's own length on unconverted in SQLGetDiagRecW and
// SQLGetDescFieldW (and converts it elsewhere); the reference is what the application got.
enum class ReportedLength { converted, as_target_reports };

// Reads a string result, converting it when the target has only the other variant.
// `call(fn, strings, buffer, capacity, &length)` calls the target, counting as `count` says.
template <class C, Count count, ReportedLength reported = ReportedLength::converted, class A, class W,
          class Length, class Call>
SQLRETURN get_string(Handle* handle, A ansi, W wide, SQLPOINTER value, SQLLEN capacity, Length* length, Call&& call) {
    if (auto fn = pick<C>(ansi, wide)) {
        SQLLEN n = 0;
        SQLRETURN rc = call(fn, PassStrings{}, value, capacity, &n);
        store_length(length, n);
        return rc;
    }
    using T = OtherChar<C>;
    if (!pick<T>(ansi, wide)) throw OdbcError("IM001", "the target driver does not support this function");
    auto unit = [](size_t size) { return static_cast<SQLLEN>(count == Count::bytes ? size : 1); };
    std::basic_string<T> whole;
    SQLRETURN rc = read_whole_string<T>(
        [&](T* buffer, SQLLEN units, SQLLEN* n) {
            SQLRETURN result = call(pick<T>(ansi, wide), ConvertStrings<T>{}, buffer, units * unit(sizeof(T)), n);
            if (*n > 0) *n /= unit(sizeof(T));
            return result;
        },
        whole);
    if (!SQL_SUCCEEDED(rc)) return rc;
    SQLLEN units = 0;
    rc = deliver_string(handle, rc, whole, static_cast<C*>(value), capacity / unit(sizeof(C)), &units);
    if (reported == ReportedLength::as_target_reports) store_length(length, static_cast<SQLLEN>(whole.size()) * unit(sizeof(T)));
    else store_length(length, units * unit(sizeof(C)));
    return rc;
}

// Narrows a buffer capacity to the SQLSMALLINT most ODBC functions take.
inline SQLSMALLINT small_capacity(SQLLEN capacity) { return static_cast<SQLSMALLINT>(std::min<SQLLEN>(capacity, 32767)); }

// Passes an attribute or field value to the target's variant for C, or converts it when it
// is a string (`is_string`) and the target has only the other variant. String lengths count
// bytes here, as the attribute functions do. `call(fn, value, length)`.
template <class C, class A, class W, class Call>
SQLRETURN set_value(A ansi, W wide, bool is_string, SQLPOINTER value, SQLINTEGER length, Call&& call) {
    return with_variant<C>(ansi, wide, [&](auto fn, auto strings) {
        if (!is_string || !value) return call(fn, value, length);
        SQLLEN units = length == SQL_NTS ? SQL_NTS : std::max<SQLINTEGER>(length, 0) / static_cast<SQLLEN>(sizeof(C));
        auto converted = strings(static_cast<C*>(value), units);
        using T = std::remove_pointer_t<decltype(converted.ptr())>;
        SQLLEN n = converted.template length<SQLLEN>();
        return call(fn, static_cast<SQLPOINTER>(converted.ptr()),
                    static_cast<SQLINTEGER>(n == SQL_NTS ? SQL_NTS : n * static_cast<SQLLEN>(sizeof(T))));
    });
}

// Emits a function template's A and W instantiations for the entry points to link to.
#define CACHALOT_INSTANTIATE_BOTH(name)                        \
    template decltype(name<SQLCHAR>) name<SQLCHAR>;  \
    template decltype(name<SQLWCHAR>) name<SQLWCHAR>;

// Which attribute, field and information values are strings (and so need converting).
bool is_string_info(SQLUSMALLINT info_type);
bool is_string_field(SQLSMALLINT field);  // descriptor fields and SQLColAttribute(s) fields
bool is_string_connect_attribute(SQLINTEGER attribute);
bool is_string_diag_field(SQLSMALLINT field);

}  // namespace cachalot::driver
