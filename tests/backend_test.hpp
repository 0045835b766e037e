// Fixtures for tests run once per backend (tests/odbc_harness.hpp): PerBackend skips or fails
// without the server; BackendTest, the differential tests', also creates its tables once per
// run with `create_tables` and runs each scenario direct and through Cachalot.
#pragma once

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/odbc_harness.hpp"

namespace cachalot::test {

// A test per backend: skipped without its server, failed when test.sh requires the server.
class PerBackend : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        if (GetParam().postgres && !postgres_available()) {
            if (postgres_required()) FAIL() << "PostgreSQL is required (CACHALOT_TEST_REQUIRE_SERVERS=1) but not configured";
            GTEST_SKIP() << "no PostgreSQL server (run ./test.sh)";
        }
        if (!GetParam().store.empty() && !store_available(GetParam().store)) {
            if (postgres_required()) FAIL() << GetParam().store << " is required (CACHALOT_TEST_REQUIRE_SERVERS=1) but not started";
            GTEST_SKIP() << "no " << GetParam().store << " server (run ./test.sh)";
        }
    }
    // Whether PerBackend::SetUp let the test go on (for fixtures that set up more).
    static bool ready() { return !IsSkipped() && !HasFailure(); }
};

template <void (*create_tables)(const Backend&)>
class BackendTest : public PerBackend {
protected:
    void SetUp() override {
        PerBackend::SetUp();
        if (!ready()) return;
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
