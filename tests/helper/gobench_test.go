// A Go benchmark for tests/e2e/62-input-gotest.sh: go test -bench writes
// the text analyze reads (sub-benchmarks with k=v names, B/op and
// allocs/op from -benchmem, a custom metric from ReportMetric). The test
// copies this file into a module of its own in a temporary directory.
package gobench

import (
	"fmt"
	"strings"
	"testing"
)

var sink int

func sum(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i
	}
	return s
}

func BenchmarkSum(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				sink += sum(n)
			}
			b.ReportMetric(float64(n), "items/op")
		})
	}
}

func BenchmarkJoin(b *testing.B) {
	parts := []string{"a", "b", "c", "d"}
	for i := 0; i < b.N; i++ {
		sink += len(strings.Join(parts, ","))
	}
}
