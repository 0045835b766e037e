// The application's column bindings (its ARD, as SQLBindCol and the row attributes set it),
// which the shim fills itself when it serves a result.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <vector>

namespace cachalot::driver {

struct ColumnBinding {
    SQLSMALLINT c_type = 0;
    SQLPOINTER data = nullptr;
    SQLLEN capacity = 0;
    SQLLEN* indicator = nullptr;
    SQLLEN* length = nullptr;  // the same as `indicator` unless set apart through the ARD
    bool bound() const { return data || indicator || length; }
};

struct RowBindings {
    std::vector<ColumnBinding> columns;  // column 1 first
    SQLULEN array_size = 1;              // SQL_ATTR_ROW_ARRAY_SIZE
    SQLULEN rowset_size = 1;             // SQL_ROWSET_SIZE, for SQLExtendedFetch
    SQLULEN bind_type = SQL_BIND_BY_COLUMN;
    SQLULEN* bind_offset = nullptr;
    SQLULEN* rows_fetched = nullptr;
    SQLUSMALLINT* row_status = nullptr;
};

}  // namespace cachalot::driver
