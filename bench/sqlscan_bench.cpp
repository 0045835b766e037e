// The scanner's speed: a point SELECT, a TPC-H-style join and a large multi-row INSERT.
// Targets on this machine: <= 1 us, <= 5 us and >= 200 MB/s (issue: sqlscan).
#include <benchmark/benchmark.h>

#include <string>

#include "sqlscan/parse_cache.hpp"
#include "sqlscan/scan.hpp"

namespace {

using cachalot::sqlscan::Dialect;

const std::string point_select = "SELECT id, name, price FROM products WHERE id = ? AND deleted_at IS NULL LIMIT 1";

const std::string join_query =
    "select n_name, sum(l_extendedprice * (1 - l_discount)) as revenue, count(distinct o_orderkey) as orders, "
    "avg(l_quantity) as avg_qty from customer, orders, lineitem, supplier, nation, region "
    "where c_custkey = o_custkey and l_orderkey = o_orderkey and l_suppkey = s_suppkey "
    "and c_nationkey = s_nationkey and s_nationkey = n_nationkey and n_regionkey = r_regionkey "
    "and r_name = 'ASIA' and o_orderdate >= date '1994-01-01' and o_orderdate < date '1995-01-01' "
    "and l_shipmode in ('MAIL', 'SHIP', 'AIR') and l_commitdate < l_receiptdate "
    "and exists (select 1 from partsupp where ps_partkey = l_partkey and ps_suppkey = l_suppkey "
    "and ps_availqty > 10) and o_orderstatus = 'F' and c_acctbal > (select avg(c_acctbal) from customer "
    "where c_acctbal > 0.00) group by n_name having sum(l_extendedprice) > 1000 "
    "order by revenue desc, n_name limit 100";

std::string bulk_insert() {
    std::string sql = "INSERT INTO measurements (sensor_id, taken_at, value, note) VALUES ";
    for (int i = 0; sql.size() < 100 * 1024; ++i) {
        if (i) sql += ", ";
        sql += "(" + std::to_string(i % 97) + ", '2024-01-01 00:00:" + std::to_string(i % 60) + "', " +
               std::to_string(i * 0.25) + ", 'row " + std::to_string(i) + "')";
    }
    return sql;
}

void scan(benchmark::State& state, const std::string& sql) {
    for (auto _ : state) benchmark::DoNotOptimize(cachalot::sqlscan::scan(sql, Dialect::postgresql));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(sql.size()));
}

void PointSelect(benchmark::State& state) { scan(state, point_select); }
void TpchStyleJoin(benchmark::State& state) { scan(state, join_query); }
void BulkInsert100KB(benchmark::State& state) {
    static const std::string sql = bulk_insert();
    scan(state, sql);
}

// A repeated statement through the parse cache: a hash lookup.
void PointSelectCached(benchmark::State& state) {
    static cachalot::sqlscan::ParseCache cache(4096);
    for (auto _ : state) benchmark::DoNotOptimize(cache.scan(point_select, Dialect::postgresql));
}

}  // namespace

BENCHMARK(PointSelectCached);
BENCHMARK(PointSelect);
BENCHMARK(TpchStyleJoin);
BENCHMARK(BulkInsert100KB);
BENCHMARK_MAIN();
