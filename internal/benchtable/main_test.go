package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `goos: linux
BenchmarkSignIvvy/doer-2         	  400000	      2500 ns/op	 409.60 MB/s	     160 B/op	       2 allocs/op
BenchmarkSignIvvy/doer-2         	  400000	      2600 ns/op	 393.85 MB/s	     160 B/op	       2 allocs/op
BenchmarkSignIvvy/doer-2         	  400000	      9000 ns/op	 113.78 MB/s	     160 B/op	       2 allocs/op
BenchmarkSignIvvy/newrequest-2   	  400000	      3000 ns/op	     224 B/op	       4 allocs/op
BenchmarkSignIvvy/floor-2        	  600000	      2000 ns/op	       0 B/op	       0 allocs/op
BenchmarkInviteContacts/contacts=3/invitekit-2 	 50000	 30000 ns/op	 7000 B/op	 70 allocs/op
BenchmarkInviteContacts/contacts=3/nethttp-2   	 50000	 25000 ns/op	 5776 B/op	 60 allocs/op
BenchmarkInviteContacts/contacts=100/invitekit-2 	 2000	 500000 ns/op
BenchmarkInviteContacts/contacts=100/nethttp-2   	 2000	 400000 ns/op
BenchmarkGuestList/stream-2         	       2	 800000000 ns/op	  90.00 MB/s	         3.5 peak-heap-MiB	311495920 B/op	 2922897 allocs/op
BenchmarkGuestList/encoding-json-2  	       2	3869165860 ns/op	  19.52 MB/s	       361.4 peak-heap-MiB
BenchmarkGuestList/jx-2             	       2	 915691097 ns/op	  82.46 MB/s	       330.9 peak-heap-MiB
BenchmarkInviteMany/concurrent-2    	      12	  88492599 ns/op	 6.664 in-flight-MiB	        10.15 peak-heap-MiB	       100.0 requests/op
BenchmarkInviteMany/sequential-2    	       7	 157287279 ns/op	 4.758 in-flight-MiB	         8.211 peak-heap-MiB	       100.0 requests/op
BenchmarkInviteMany/one-request-2   	      12	 114132681 ns/op	 12.24 in-flight-MiB	        14.72 peak-heap-MiB	         1.000 requests/op
PASS
ok  	github.com/invitekit/invitekit/benchmarks	36.454s
`

func TestTableFromSample(t *testing.T) {
	var out bytes.Buffer
	code := run(strings.NewReader(sample), &out)
	require.Equal(t, 0, code, out.String())
	got := out.String()
	assert.True(t, strings.HasPrefix(got, "goos: linux\n"), "the input is passed through")
	for _, line := range []string{
		// the median of 2500, 2600 and 9000 against 2000
		"| iVvy signing, 1 KiB body: time | 2.60 µs | 2.00 µs (floor) | 1.30× | ≤ 1.25× | not met |",
		"| iVvy signing, 1 KiB body: allocations | 2 |  |  | ≤ 4 allocs | met |",
		"| iVvy signing, http.NewRequest body: time | 3.00 µs | 2.00 µs (floor) | 1.50× | ≤ 1.25× | not met |",
		"| inviteContacts call, 3 contacts: time | 30.00 µs | 25.00 µs (nethttp) | 1.20× | ≤ 1.3× | met |",
		"| inviteContacts call, 100 contacts: time | 500.00 µs | 400.00 µs (nethttp) | 1.25× | ≤ 1.3× | met |",
		// the fastest baseline is jx
		"| 100,000-guest list: throughput | 90.0 MB/s | 82.5 MB/s (jx) | 1.09× | ≥ 1× | met |",
		// an absolute goal shows the smallest baseline for reference
		"| 100,000-guest list: peak heap | 3.5 MiB | 330.9 MiB (jx) |  | ≤ 16 MiB | met |",
		"| bulk invitation, 10,000 contacts: requests | 100 |  |  | = 100 requests | met |",
		"| bulk invitation, 10,000 contacts: wall time | 88.5 ms | 157.3 ms (sequential) | 0.56× | ≤ 1× | met |",
		"| bulk invitation, 10,000 contacts: heap in flight, chunks vs one request | 6.7 MiB | 12.2 MiB (one-request) | 0.54× | ≤ 1× | met |",
	} {
		assert.Contains(t, got, line+"\n")
	}
}

func TestMissingOrFailedBenchmarksFail(t *testing.T) {
	var out bytes.Buffer
	partial := strings.ReplaceAll(sample, "BenchmarkGuestList/jx-2", "BenchmarkSomethingElse-2")
	assert.Equal(t, 1, run(strings.NewReader(partial), &out))
	assert.Contains(t, out.String(), "| 100,000-guest list: throughput | missing |")

	out.Reset()
	assert.Equal(t, 1, run(strings.NewReader(sample+"--- FAIL: BenchmarkInviteMany\nFAIL\n"), &out))
	assert.Contains(t, out.String(), "a benchmark failed")
}

func TestParseIgnoresOtherLines(t *testing.T) {
	res, failed, err := parse(strings.NewReader("BenchmarkX-8 notanumber 5 ns/op\nBenchmarkY-8 10 5 ns/op 7 custom-unit\nok pkg 1s\n"), nil)
	require.NoError(t, err)
	assert.False(t, failed)
	assert.NotContains(t, res, "BenchmarkX")
	v, ok := res.value("BenchmarkY", "custom-unit")
	assert.True(t, ok)
	assert.Equal(t, 7.0, v)
}
