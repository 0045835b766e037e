// Which values the ODBC spec defines as character strings: those are the ones to convert
// when the application's character type is not the target's.
#include <algorithm>
#include <iterator>

#include "driver/api_support.hpp"

namespace cachalot::driver {

namespace {

template <class T, size_t N, class V>
bool listed(const T (&list)[N], V value) {
    return std::find(std::begin(list), std::end(list), static_cast<T>(value)) != std::end(list);
}

constexpr SQLUSMALLINT string_info_types[] = {
    SQL_ACCESSIBLE_PROCEDURES, SQL_ACCESSIBLE_TABLES, SQL_CATALOG_NAME, SQL_CATALOG_NAME_SEPARATOR,
    SQL_CATALOG_TERM, SQL_COLLATION_SEQ, SQL_COLUMN_ALIAS, SQL_DATA_SOURCE_NAME, SQL_DATA_SOURCE_READ_ONLY,
    SQL_DATABASE_NAME, SQL_DBMS_NAME, SQL_DBMS_VER, SQL_DESCRIBE_PARAMETER, SQL_DM_VER, SQL_DRIVER_NAME,
    SQL_DRIVER_ODBC_VER, SQL_DRIVER_VER, SQL_EXPRESSIONS_IN_ORDERBY, SQL_IDENTIFIER_QUOTE_CHAR, SQL_INTEGRITY,
    SQL_KEYWORDS, SQL_LIKE_ESCAPE_CLAUSE, SQL_MAX_ROW_SIZE_INCLUDES_LONG, SQL_MULT_RESULT_SETS,
    SQL_MULTIPLE_ACTIVE_TXN, SQL_NEED_LONG_DATA_LEN, SQL_ODBC_VER, SQL_ORDER_BY_COLUMNS_IN_SELECT,
    SQL_OUTER_JOINS, SQL_PROCEDURE_TERM, SQL_PROCEDURES, SQL_ROW_UPDATES, SQL_SCHEMA_TERM,
    SQL_SEARCH_PATTERN_ESCAPE, SQL_SERVER_NAME, SQL_SPECIAL_CHARACTERS, SQL_TABLE_TERM, SQL_USER_NAME,
    SQL_XOPEN_CLI_YEAR,
};

// Descriptor fields, and the SQLColAttribute(s) identifiers that share their numbers.
constexpr SQLSMALLINT string_fields[] = {
    SQL_DESC_BASE_COLUMN_NAME, SQL_DESC_BASE_TABLE_NAME, SQL_DESC_CATALOG_NAME, SQL_DESC_LABEL,
    SQL_DESC_LITERAL_PREFIX, SQL_DESC_LITERAL_SUFFIX, SQL_DESC_LOCAL_TYPE_NAME, SQL_DESC_NAME,
    SQL_DESC_SCHEMA_NAME, SQL_DESC_TABLE_NAME, SQL_DESC_TYPE_NAME, SQL_COLUMN_NAME,
};

constexpr SQLINTEGER string_connect_attributes[] = {SQL_ATTR_CURRENT_CATALOG, SQL_ATTR_TRACEFILE,
                                                    SQL_ATTR_TRANSLATE_LIB};

constexpr SQLSMALLINT string_diag_fields[] = {
    SQL_DIAG_CLASS_ORIGIN, SQL_DIAG_CONNECTION_NAME, SQL_DIAG_DYNAMIC_FUNCTION, SQL_DIAG_MESSAGE_TEXT,
    SQL_DIAG_SERVER_NAME,  SQL_DIAG_SQLSTATE,        SQL_DIAG_SUBCLASS_ORIGIN,
};

}  // namespace

bool is_string_info(SQLUSMALLINT info_type) { return listed(string_info_types, info_type); }
bool is_string_field(SQLSMALLINT field) { return listed(string_fields, field); }
bool is_string_connect_attribute(SQLINTEGER attribute) { return listed(string_connect_attributes, attribute); }
bool is_string_diag_field(SQLSMALLINT field) { return listed(string_diag_fields, field); }

}  // namespace cachalot::driver
