// Catch2 v2 benchmarks for tests/e2e/65-input-catch2.sh (Debian's catch2,
// header only): two BENCHMARKs in one test case; run with -r xml.
#define CATCH_CONFIG_MAIN
#define CATCH_CONFIG_ENABLE_BENCHMARKING
#include <catch2/catch.hpp>

static long fib(long n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

TEST_CASE("Fibonacci")
{
	BENCHMARK("fib 10") { return fib(10); };
	BENCHMARK("fib 15") { return fib(15); };
}
