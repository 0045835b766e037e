// Bad settings and targets: each is a clear connect error naming the key, never a crash or a hang.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "tests/odbc_harness.hpp"

namespace cachalot::test {
namespace {

struct Refusal {
    std::string connection;
    std::string sqlstate;
    std::string mentions;
};

void PrintTo(const Refusal& refusal, std::ostream* out) { *out << refusal.connection; }

class BadInput : public ::testing::TestWithParam<Refusal> {};

std::string first_record(SQLHDBC dbc, std::string* state) {
    SQLCHAR sqlstate[6] = {}, message[1024] = {};
    SQLINTEGER native = 0;
    SQLSMALLINT length = 0;
    SQLGetDiagRec(SQL_HANDLE_DBC, dbc, 1, sqlstate, &native, message, sizeof message, &length);
    *state = reinterpret_cast<char*>(sqlstate);
    return reinterpret_cast<char*>(message);
}

TEST_P(BadInput, IsAConnectErrorNamingTheProblem) {
    Session session;
    SQLRETURN rc = session.driver_connect(GetParam().connection);
    ASSERT_EQ(rc, SQL_ERROR);
    std::string state;
    std::string message = first_record(session.dbc, &state);
    EXPECT_EQ(state, GetParam().sqlstate) << message;
    EXPECT_NE(message.find("[cachalot]"), std::string::npos) << message;
    EXPECT_NE(message.find(GetParam().mentions), std::string::npos) << message;
    // The connection handle stays usable: a good connection string now works.
    EXPECT_TRUE(SQL_SUCCEEDED(session.connect("sqlite-cachalot"))) << diagnostics(SQL_HANDLE_DBC, session.dbc);
}

INSTANTIATE_TEST_SUITE_P(
    Settings, BadInput,
    ::testing::Values(
        Refusal{"DRIVER={Cachalot};Database=/tmp/x.db", "HY000", "TargetDriver or TargetDSN"},
        Refusal{"DRIVER={Cachalot};TargetDriver=No Such Driver", "IM002", "No Such Driver"},
        Refusal{"DRIVER={Cachalot};TargetDriver=/nonexistent/libdriver.so", "IM003", "/nonexistent/libdriver.so"},
        Refusal{"DRIVER={Cachalot};TargetDriver=/etc/hostname", "IM003", "TargetDriver"},
        Refusal{"DRIVER={Cachalot};TargetDriver=/lib/x86_64-linux-gnu/libz.so.1", "IM003", "not an ODBC 3 driver"},
        Refusal{"DRIVER={Cachalot};TargetDriver=Cachalot", "HY000", "leads back to cachalot"},
        Refusal{"DSN=sqlite-cachalot;TargetDriver=;TargetDSN=sqlite-cachalot", "HY000", "leads back to cachalot"},
        Refusal{"DRIVER={Cachalot};TargetDSN=no-such-dsn", "IM002", "no-such-dsn"},
        Refusal{"DRIVER={Cachalot};TargetDriver=SQLite3;TargetDSN=sqlite", "HY000", "TargetDriver or TargetDSN, not both"},
        Refusal{"DSN=sqlite-cachalot;CacheTimeout=abc", "HY000", "CacheTimeout: 'abc'"},
        Refusal{"DSN=sqlite-cachalot;CacheTimeout=-1", "HY000", "CacheTimeout"},
        Refusal{"DSN=sqlite-cachalot;CacheEnabled=maybe", "HY000", "CacheEnabled"},
        Refusal{"DSN=sqlite-cachalot;CacheRandom=2", "HY000", "CacheRandom"},
        Refusal{"DSN=sqlite-cachalot;InvalidateUnparsed=x", "HY000", "InvalidateUnparsed"},
        Refusal{"DSN=sqlite-cachalot;CacheMaxEntrySize=0", "HY000", "CacheMaxEntrySize"},
        Refusal{"DSN=sqlite-cachalot;CacheMemorySize=64MB", "HY000", "CacheMemorySize"},
        Refusal{"DSN=sqlite-cachalot;Cache=mongodb://localhost", "HY000", "Cache: 'mongodb://localhost'"},
        Refusal{"DSN=sqlite-cachalot;Cache=redis://host:99999", "HY000", "Cache"},
        Refusal{"DSN=sqlite-cachalot;Cache=redis+unix://relative/path", "HY000", "Cache"},
        Refusal{"DSN=sqlite-cachalot;Cache=memcached://a:1,:2", "HY000", "Cache"},
        Refusal{"DSN=sqlite-cachalot;InvalidateAlso=orders", "HY000", "InvalidateAlso"},
        Refusal{"DSN=sqlite-cachalot;CacheKeyPrefix={has space}", "HY000", "CacheKeyPrefix"},
        Refusal{"DSN=sqlite-cachalot;CacheLog=/nonexistent/dir/log", "HY000", "CacheLog"},
        Refusal{"DSN=sqlite-cachalot;CacheConnectTimeout=0", "HY000", "CacheConnectTimeout"},
        Refusal{"DSN=sqlite-cachalot;CacheIOTimeout=fast", "HY000", "CacheIOTimeout"},
        Refusal{"DSN=sqlite-cachalot;CacheEveryMiss=always", "HY000", "CacheEveryMiss"},
        Refusal{"DSN=sqlite-cachalot;OnlyCachableTables={a,,\"\"}", "HY000", "OnlyCachableTables"}));

TEST(Connecting, ValidSettingsOfEveryKeyAreAccepted) {
    Session session;
    SQLRETURN rc = session.driver_connect(
        "DSN=sqlite-cachalot;Cache=memory;CacheEnabled=0;CacheTimeout=60;CacheRandom=yes;"
        "OnlyCachableTables=a, b c;UncachableTables=public.d;InvalidateUnparsed=off;"
        "InvalidateAlso={orders:order_items stats;customers:orders};CacheMaxEntrySize=1000;"
        "CacheMemorySize=1000000;CacheKeyPrefix=app1;CacheConnectTimeout=20;CacheIOTimeout=30;CacheEveryMiss=1");
    EXPECT_TRUE(SQL_SUCCEEDED(rc)) << diagnostics(SQL_HANDLE_DBC, session.dbc);
}

TEST(Connecting, ConnectionStringWinsOverDsnWhichWinsOverOdbcinstIni) {
    const std::string target = std::string("TargetDriver=SQLite3;Database=") + std::getenv("ODBCSYSINI") + "/test.db";
    {
        Session session;  // [Cachalot Strict] in odbcinst.ini sets CacheTimeout=not-a-number
        EXPECT_EQ(session.driver_connect("DRIVER={Cachalot Strict};" + target), SQL_ERROR);
        EXPECT_NE(diagnostics(SQL_HANDLE_DBC, session.dbc).find("CacheTimeout: 'not-a-number'"), std::string::npos);
    }
    {
        Session session;
        SQLRETURN rc = session.driver_connect("DRIVER={Cachalot Strict};CacheTimeout=5;" + target);
        EXPECT_TRUE(SQL_SUCCEEDED(rc)) << diagnostics(SQL_HANDLE_DBC, session.dbc);
    }
    {
        Session session;  // the DSN's TargetDriver=SQLite3 loses to the connection string's
        SQLRETURN rc = session.driver_connect("DSN=sqlite-cachalot;TargetDriver=/nonexistent/lib.so");
        EXPECT_EQ(rc, SQL_ERROR);
        EXPECT_NE(diagnostics(SQL_HANDLE_DBC, session.dbc).find("/nonexistent/lib.so"), std::string::npos);
    }
}

TEST(Connecting, TargetDsnFromTheConnectionStringReplacesTheDsnsTargetDriver) {
    // The DSN names TargetDriver=SQLite3 and Database=...; the connection string's TargetDSN wins,
    // and the DSN's Database still reaches the target.
    Session direct;
    ASSERT_TRUE(SQL_SUCCEEDED(direct.connect("sqlite")));
    direct.run("CREATE TABLE IF NOT EXISTS bi_marker (x integer)");
    Session session;
    SQLRETURN rc = session.driver_connect("DSN=sqlite-cachalot;TargetDSN=sqlite");
    ASSERT_TRUE(SQL_SUCCEEDED(rc)) << diagnostics(SQL_HANDLE_DBC, session.dbc);
    SQLHSTMT stmt = session.statement();
    EXPECT_TRUE(SQL_SUCCEEDED(SQLExecDirect(stmt, (SQLCHAR*)"SELECT count(*) FROM bi_marker", SQL_NTS)))
        << diagnostics(SQL_HANDLE_STMT, stmt);
}

TEST(Connecting, BrowseConnectReachesTheTarget) {
    for (const char* dsn : {"sqlite", "sqlite-cachalot"}) {
        Session session;
        SQLCHAR out[1024] = {};
        SQLSMALLINT length = 0;
        SQLRETURN rc = SQLBrowseConnect(session.dbc, (SQLCHAR*)(std::string("DSN=") + dsn).c_str(), SQL_NTS, out,
                                        sizeof out, &length);
        SCOPED_TRACE(dsn);
        EXPECT_TRUE(rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO || rc == SQL_NEED_DATA || rc == SQL_ERROR);
        static SQLRETURN direct_rc;
        if (std::string(dsn) == "sqlite") direct_rc = rc;
        else EXPECT_EQ(rc, direct_rc) << diagnostics(SQL_HANDLE_DBC, session.dbc);
    }
}

TEST(Connecting, ByDriverAndTargetDriverWithoutADsn) {
    Session session;
    const char* ini = std::getenv("ODBCSYSINI");
    ASSERT_NE(ini, nullptr);
    SQLRETURN rc = session.driver_connect(std::string("DRIVER={Cachalot};TargetDriver=SQLite3;Database=") + ini + "/test.db");
    ASSERT_TRUE(SQL_SUCCEEDED(rc)) << diagnostics(SQL_HANDLE_DBC, session.dbc);
    SQLCHAR name[64] = {};
    SQLSMALLINT length = 0;
    ASSERT_TRUE(SQL_SUCCEEDED(SQLGetInfo(session.dbc, SQL_DATA_SOURCE_NAME, name, sizeof name, &length)));
    EXPECT_EQ(length, 0);
}

TEST(Connecting, DataSourceNameIsTheApplicationsEvenWithTargetDsn) {
    if (!postgres_available()) GTEST_SKIP() << "no PostgreSQL server";
    Session session;
    ASSERT_TRUE(SQL_SUCCEEDED(session.connect("pg-unicode-cachalot"))) << diagnostics(SQL_HANDLE_DBC, session.dbc);
    SQLCHAR name[64] = {};
    SQLSMALLINT length = 0;
    ASSERT_TRUE(SQL_SUCCEEDED(SQLGetInfo(session.dbc, SQL_DATA_SOURCE_NAME, name, sizeof name, &length)));
    EXPECT_STREQ(reinterpret_cast<char*>(name), "pg-unicode-cachalot");
}

TEST(Connecting, PromptModesFallBackToConnectingWithWhatIsGiven) {
    for (SQLUSMALLINT mode : {SQL_DRIVER_COMPLETE, SQL_DRIVER_COMPLETE_REQUIRED, SQL_DRIVER_PROMPT}) {
        Session session;
        SQLCHAR out[512];
        SQLSMALLINT length = 0;
        SQLRETURN rc = SQLDriverConnect(session.dbc, nullptr, (SQLCHAR*)"DSN=sqlite-cachalot", SQL_NTS, out, sizeof out,
                                        &length, mode);
        Session direct;
        SQLRETURN direct_rc =
            SQLDriverConnect(direct.dbc, nullptr, (SQLCHAR*)"DSN=sqlite", SQL_NTS, out, sizeof out, &length, mode);
        EXPECT_EQ(rc, direct_rc) << "mode " << mode << "\n" << diagnostics(SQL_HANDLE_DBC, session.dbc);
    }
}

TEST(Connecting, ShortOutConnectionStringIsTruncatedWithAWarning) {
    Session session;
    SQLCHAR out[8] = {};
    SQLSMALLINT length = 0;
    SQLRETURN rc = SQLDriverConnect(session.dbc, nullptr, (SQLCHAR*)"DSN=sqlite-cachalot", SQL_NTS, out, sizeof out,
                                    &length, SQL_DRIVER_NOPROMPT);
    EXPECT_EQ(rc, SQL_SUCCESS_WITH_INFO);
    EXPECT_EQ(std::strlen(reinterpret_cast<char*>(out)), 7u);
    EXPECT_GT(length, 7);
    EXPECT_NE(diagnostics(SQL_HANDLE_DBC, session.dbc).find("01004"), std::string::npos);
}

}  // namespace
}  // namespace cachalot::test
