// Units of capture and replay: the compact row form and each conversion rule on its own.
#include <gtest/gtest.h>

#include <cstring>

#include "driver/conversions.hpp"
#include "driver/result_set.hpp"

namespace cachalot::driver {
namespace {

Column text_column(SQLSMALLINT sql_type = SQL_VARCHAR, const char* type_name = "varchar") {
    Column column;
    column.sql_type = sql_type;
    column.type_name = type_name;
    return column;
}

TEST(Rows, HoldValuesInOneBufferWithinOneAndAHalfTimesTheirBytes) {
    Rows rows(4);
    size_t raw = 0;
    for (int i = 1; i <= 125; ++i) {
        const std::string values[] = {std::to_string(i), "name " + std::to_string(i), std::to_string(i * 1.5),
                                      "2026-11-21 10:00:00.123456+00"};
        for (const auto& value : values) {
            rows.add(value);
            raw += value.size();
        }
    }
    rows.add_null();
    rows.drop_partial_row();
    rows.shrink();
    ASSERT_EQ(rows.row_count(), 125u);
    EXPECT_EQ(rows.value(41, 1), "name 42");
    EXPECT_FALSE(rows.is_null(41, 1));
    // 4 bytes of offset per value is the per-row overhead; the values themselves are stored once.
    EXPECT_LE(rows.memory(), raw * 3 / 2 + 125 * 4 * sizeof(std::uint32_t));
}

TEST(Conversions, PsqlodbcCharInPiecesReportsWhatIsLeft) {
    const Column column = text_column();
    char buffer[4];
    SQLLEN indicator = 0;
    Piece piece;
    Destination to{SQL_C_CHAR, buffer, sizeof buffer, &indicator};
    Outcome first = deliver(TargetFamily::psqlodbc, column, false, "abcdefghij", to, &piece);
    EXPECT_EQ(first.rc, SQL_SUCCESS_WITH_INFO);
    EXPECT_STREQ(first.sqlstate, "01004");
    EXPECT_EQ(indicator, 10);
    EXPECT_STREQ(buffer, "abc");
    deliver(TargetFamily::psqlodbc, column, false, "abcdefghij", to, &piece);
    EXPECT_EQ(indicator, 7);
    EXPECT_STREQ(buffer, "def");
    deliver(TargetFamily::psqlodbc, column, false, "abcdefghij", to, &piece);
    Outcome last = deliver(TargetFamily::psqlodbc, column, false, "abcdefghij", to, &piece);
    EXPECT_EQ(last.rc, SQL_SUCCESS);
    EXPECT_EQ(indicator, 1);
    EXPECT_EQ(deliver(TargetFamily::psqlodbc, column, false, "abcdefghij", to, &piece).rc, SQL_NO_DATA);
}

TEST(Conversions, PsqlodbcIntegersAreAtoiAndWrap) {
    const Column column = text_column(SQL_INTEGER, "int4");
    SQLSCHAR tiny = 0;
    SQLLEN indicator = 0;
    deliver(TargetFamily::psqlodbc, column, false, "300", {SQL_C_STINYINT, &tiny, 0, &indicator}, nullptr);
    EXPECT_EQ(tiny, 44);
    EXPECT_EQ(indicator, 1);
    SQLINTEGER number = 0;
    deliver(TargetFamily::psqlodbc, text_column(), false, "abc", {SQL_C_SLONG, &number, 0, &indicator}, nullptr);
    EXPECT_EQ(number, 0);  // no 22018: psqlODBC converts as atoi does
}

TEST(Conversions, PsqlodbcNumericStruct) {
    SQL_NUMERIC_STRUCT numeric{};
    SQLLEN indicator = -5;
    deliver(TargetFamily::psqlodbc, text_column(SQL_NUMERIC, "numeric"), false, "-12.50",
            {SQL_C_NUMERIC, &numeric, 0, &indicator}, nullptr);
    EXPECT_EQ(numeric.sign, 0);
    EXPECT_EQ(numeric.precision, 4);
    EXPECT_EQ(numeric.scale, 2);
    EXPECT_EQ(numeric.val[0], 1250 & 0xff);
    EXPECT_EQ(numeric.val[1], 1250 >> 8);
    EXPECT_EQ(indicator, 0);  // psqlODBC leaves the length at 0
}

TEST(Conversions, PsqlodbcNullWithoutIndicatorIsItsOwnError) {
    char buffer[8];
    Outcome outcome = deliver(TargetFamily::psqlodbc, text_column(), true, "", {SQL_C_CHAR, buffer, 8, nullptr}, nullptr);
    EXPECT_EQ(outcome.rc, SQL_ERROR);
    EXPECT_STREQ(outcome.sqlstate, "HY000");
}

TEST(Conversions, SqliteTextThatIsNoNumberIsNull) {
    SQLINTEGER number = 7;
    SQLLEN indicator = 0;
    deliver(TargetFamily::sqliteodbc, text_column(), false, "abc", {SQL_C_SLONG, &number, 0, &indicator}, nullptr);
    EXPECT_EQ(indicator, SQL_NULL_DATA);
    EXPECT_EQ(number, 0);
    deliver(TargetFamily::sqliteodbc, text_column(), false, "0x10", {SQL_C_SLONG, &number, 0, &indicator}, nullptr);
    EXPECT_EQ(number, 16);  // strtol with base 0
}

TEST(Conversions, SqliteBlobTextDecodesForBinary) {
    unsigned char bytes[8] = {};
    SQLLEN indicator = 0;
    Outcome outcome = deliver(TargetFamily::sqliteodbc, text_column(SQL_BINARY, ""), false, "X'00FF10'",
                              {SQL_C_BINARY, bytes, sizeof bytes, &indicator}, nullptr);
    EXPECT_EQ(outcome.rc, SQL_SUCCESS);
    EXPECT_EQ(indicator, 3);
    EXPECT_EQ(bytes[1], 0xff);
    char text[16];
    deliver(TargetFamily::sqliteodbc, text_column(SQL_BINARY, ""), false, "X'00FF10'", {SQL_C_CHAR, text, sizeof text, &indicator},
            nullptr);
    EXPECT_STREQ(text, "X'00FF10'");
}

TEST(Conversions, SqliteBitLooksAtTheFirstCharacter) {
    SQLCHAR bit = 9;
    SQLLEN indicator = 0;
    deliver(TargetFamily::sqliteodbc, text_column(), false, "yes", {SQL_C_BIT, &bit, 0, &indicator}, nullptr);
    EXPECT_EQ(bit, 1);
    deliver(TargetFamily::sqliteodbc, text_column(), false, "-1", {SQL_C_BIT, &bit, 0, &indicator}, nullptr);
    EXPECT_EQ(bit, 0);
}

}  // namespace
}  // namespace cachalot::driver
