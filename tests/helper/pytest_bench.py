# pytest-benchmark tests for tests/e2e/63-input-pytest.sh: a parametrized
# benchmark (params become the config) and one with fixed rounds.
import pytest


def total(n):
    return sum(range(n))


@pytest.mark.parametrize("n", [100, 1000])
def test_sum(benchmark, n):
    benchmark(total, n)


def test_fixed(benchmark):
    benchmark.pedantic(total, args=(500,), rounds=7, iterations=3)
