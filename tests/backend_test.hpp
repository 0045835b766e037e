// The fixture of the differential tests: a test per backend (tests/odbc_harness.hpp), its
// tables created once per run by `create_tables`, each scenario run direct and through Cachalot.
#pragma once

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/odbc_harness.hpp"

namespace cachalot::test {

template <void (*create_tables)(const Backend&)>
class BackendTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        if (GetParam().postgres && !postgres_available()) {
            if (postgres_required()) FAIL() << "PostgreSQL is required (CACHALOT_TEST_REQUIRE_SERVERS=1) but not configured";
            GTEST_SKIP() << "no PostgreSQL server (run ./test.sh)";
        }
        static std::set<std::string> prepared;
        if (prepared.insert(GetParam().name).second) create_tables(GetParam());
    }

    void expect_same(const Scenario& scenario) {
        size_t lines = 0;
        EXPECT_EQ(compare_runs(GetParam().direct, GetParam().shim, scenario, &lines), "");
        EXPECT_GT(lines, 1u) << "the scenario recorded nothing";
    }
};

}  // namespace cachalot::test
