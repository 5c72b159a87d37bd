// A Google Benchmark program for tests/e2e/61-input-gbench.sh: two
// argument values, a rate counter (SetBytesProcessed), a user counter, and
// a label. Built by the test with g++ and libbenchmark-dev.
#include <benchmark/benchmark.h>

static void BM_Sum(benchmark::State &state)
{
	const long n = state.range(0);

	for (auto _ : state) {
		long s = 0;
		for (long i = 0; i < n; i++)
			benchmark::DoNotOptimize(s += i);
	}
	state.SetBytesProcessed(state.iterations() * n * (long)sizeof(long));
	state.counters["elements"] = (double)n;
	state.SetLabel("sum");
}
BENCHMARK(BM_Sum)->Arg(64)->Arg(512);

BENCHMARK_MAIN();
