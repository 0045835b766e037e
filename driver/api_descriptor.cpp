// Descriptors: the application's explicit ones and the statement's implicit ones alike.
#include "driver/api.hpp"
#include "driver/api_support.hpp"

namespace cachalot::driver::api {

template <class C>
SQLRETURN get_desc_field(SQLHDESC hdesc, SQLSMALLINT record, SQLSMALLINT field, SQLPOINTER value,
                         SQLINTEGER capacity, SQLINTEGER* length) {
    return guarded<Desc>(hdesc, [&](Desc& desc) -> SQLRETURN {
        const TargetApi& api = desc.api();
        if (!is_string_field(field))
            return with_variant<C>(api.SQLGetDescField, api.SQLGetDescFieldW, [&](auto fn, auto) {
                return desc.call(fn, desc.target, record, field, value, capacity, length);
            });
        return get_string<C, Count::bytes, ReportedLength::as_target_reports>(&desc, api.SQLGetDescField, api.SQLGetDescFieldW, value, capacity, length,
                                           [&](auto fn, auto, SQLPOINTER buffer, SQLLEN bytes, SQLLEN* n) {
                                               SQLINTEGER got = 0;
                                               SQLRETURN rc = desc.call(fn, desc.target, record, field, buffer,
                                                                        static_cast<SQLINTEGER>(bytes), &got);
                                               *n = got;
                                               return rc;
                                           });
    });
}

template <class C>
SQLRETURN set_desc_field(SQLHDESC hdesc, SQLSMALLINT record, SQLSMALLINT field, SQLPOINTER value, SQLINTEGER length) {
    return guarded<Desc>(hdesc, [&](Desc& desc) -> SQLRETURN {
        desc.dbc.descriptors_changed = true;
        return set_value<C>(desc.api().SQLSetDescField, desc.api().SQLSetDescFieldW, is_string_field(field), value,
                            length, [&](auto fn, SQLPOINTER v, SQLINTEGER n) {
                                return desc.call(fn, desc.target, record, field, v, n);
                            });
    });
}

template <class C>
SQLRETURN get_desc_rec(SQLHDESC hdesc, SQLSMALLINT record, C* name, SQLSMALLINT capacity, SQLSMALLINT* length,
                       SQLSMALLINT* type, SQLSMALLINT* subtype, SQLLEN* octet_length, SQLSMALLINT* precision,
                       SQLSMALLINT* scale, SQLSMALLINT* nullable) {
    return guarded<Desc>(hdesc, [&](Desc& desc) -> SQLRETURN {
        return get_string<C, Count::characters>(
            &desc, desc.api().SQLGetDescRec, desc.api().SQLGetDescRecW, name, capacity, length,
            [&](auto fn, auto strings, SQLPOINTER buffer, SQLLEN units, SQLLEN* n) {
                using T = std::remove_pointer_t<decltype(strings(name, 0).ptr())>;
                SQLSMALLINT got = 0;
                SQLRETURN rc = desc.call(fn, desc.target, record, static_cast<T*>(buffer), small_capacity(units), &got,
                                         type, subtype, octet_length, precision, scale, nullable);
                *n = got;
                return rc;
            });
    });
}

SQLRETURN set_desc_rec(SQLHDESC hdesc, SQLSMALLINT record, SQLSMALLINT type, SQLSMALLINT subtype, SQLLEN length,
                       SQLSMALLINT precision, SQLSMALLINT scale, SQLPOINTER data, SQLLEN* string_length,
                       SQLLEN* indicator) {
    return guarded<Desc>(hdesc, [&](Desc& desc) -> SQLRETURN {
        desc.dbc.descriptors_changed = true;
        return desc.call(desc.api().SQLSetDescRec, desc.target, record, type, subtype, length, precision, scale, data,
                         string_length, indicator);
    });
}

SQLRETURN copy_desc(SQLHDESC source, SQLHDESC target) {
    return guarded<Desc>(target, [&](Desc& to) -> SQLRETURN {
        to.dbc.descriptors_changed = true;
        Desc* from = handle_cast<Desc>(source);
        if (!from) return SQL_INVALID_HANDLE;
        return to.call(to.api().SQLCopyDesc, from->target, to.target);
    });
}

CACHALOT_INSTANTIATE_BOTH(get_desc_field)
CACHALOT_INSTANTIATE_BOTH(set_desc_field)
CACHALOT_INSTANTIATE_BOTH(get_desc_rec)

}  // namespace cachalot::driver::api
