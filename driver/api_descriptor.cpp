// Descriptors: the application's explicit ones and the statement's implicit ones alike.
#include <cstring>

#include "driver/api.hpp"
#include "driver/api_support.hpp"
#include "driver/replay.hpp"

namespace cachalot::driver::api {

namespace {

// The size of a numeric IRD field, as the ODBC reference types it.
size_t field_size(SQLSMALLINT field) {
    switch (field) {
    case SQL_DESC_AUTO_UNIQUE_VALUE: case SQL_DESC_CASE_SENSITIVE: case SQL_DESC_NUM_PREC_RADIX:
    case SQL_DESC_DATETIME_INTERVAL_PRECISION: return sizeof(SQLINTEGER);
    case SQL_DESC_DISPLAY_SIZE: case SQL_DESC_OCTET_LENGTH: case SQL_DESC_LENGTH: return sizeof(SQLLEN);
    default: return sizeof(SQLSMALLINT);
    }
}

// A field of the IRD of a statement the shim serves, from the captured column; false when
// the capture does not hold it.
template <class C>
bool served_ird_field(Desc& desc, SQLSMALLINT record, SQLSMALLINT field, SQLPOINTER value, SQLINTEGER capacity,
                      SQLINTEGER* length, SQLRETURN& rc) {
    if (!desc.rows_of || !desc.rows_of->replay) return false;
    const Replay& replay = *desc.rows_of->replay;
    if (field == SQL_DESC_COUNT) {
        if (value) *static_cast<SQLSMALLINT*>(value) = static_cast<SQLSMALLINT>(replay.result().column_count());
        rc = SQL_SUCCESS;
        return true;
    }
    const Column* column = replay.column(static_cast<SQLUSMALLINT>(record));
    const FieldAnswer* answer = column ? column->field(static_cast<SQLUSMALLINT>(field)) : nullptr;
    if (!answer || !SQL_SUCCEEDED(answer->rc)) return false;
    if (!is_string_field(field)) {
        if (value) std::memcpy(value, &answer->number, field_size(field));
        rc = SQL_SUCCESS;
        return true;
    }
    SQLLEN units = 0;
    rc = deliver_string(&desc, SQL_SUCCESS, answer->text, static_cast<C*>(value), capacity / static_cast<SQLLEN>(sizeof(C)), &units);
    // As unixODBC reports it for a target without the W variant: in the target's bytes.
    const bool as_target = std::is_same_v<C, SQLWCHAR> && !desc.api().SQLGetDescFieldW;
    store_length(length, as_target ? static_cast<SQLLEN>(answer->text.size()) : units * static_cast<SQLLEN>(sizeof(C)));
    return true;
}

}  // namespace

template <class C>
SQLRETURN get_desc_field(SQLHDESC hdesc, SQLSMALLINT record, SQLSMALLINT field, SQLPOINTER value,
                         SQLINTEGER capacity, SQLINTEGER* length) {
    return guarded<Desc>(hdesc, [&](Desc& desc) -> SQLRETURN {
        const TargetApi& api = desc.api();
        SQLRETURN served = SQL_SUCCESS;
        if (served_ird_field<C>(desc, record, field, value, capacity, length, served)) return served;
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
        SQLRETURN rc = set_value<C>(desc.api().SQLSetDescField, desc.api().SQLSetDescFieldW, is_string_field(field),
                                    value, length, [&](auto fn, SQLPOINTER v, SQLINTEGER n) {
                                        return desc.call(fn, desc.target, record, field, v, n);
                                    });
        if (SQL_SUCCEEDED(rc)) desc.dbc.descriptors_changed = true;
        return rc;
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
        SQLRETURN rc = desc.call(desc.api().SQLSetDescRec, desc.target, record, type, subtype, length, precision,
                                 scale, data, string_length, indicator);
        if (SQL_SUCCEEDED(rc)) desc.dbc.descriptors_changed = true;
        return rc;
    });
}

SQLRETURN copy_desc(SQLHDESC source, SQLHDESC target) {
    return guarded<Desc>(target, [&](Desc& to) -> SQLRETURN {
        Desc* from = handle_cast<Desc>(source);
        if (!from) return SQL_INVALID_HANDLE;
        SQLRETURN rc = to.call(to.api().SQLCopyDesc, from->target, to.target);
        if (SQL_SUCCEEDED(rc)) to.dbc.descriptors_changed = true;
        return rc;
    });
}

CACHALOT_INSTANTIATE_BOTH(get_desc_field)
CACHALOT_INSTANTIATE_BOTH(set_desc_field)
CACHALOT_INSTANTIATE_BOTH(get_desc_rec)

}  // namespace cachalot::driver::api
