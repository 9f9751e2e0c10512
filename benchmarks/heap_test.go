package benchmarks

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// The heap figures come from runtime/metrics, read by a goroutine every
// 100µs while the measured code runs: the heap in use is the bytes of heap
// objects (live or not yet swept) plus the unused room in the spans that
// hold them, as MemStats.HeapInuse counts it but read without stopping the
// world. The peak is the largest sample minus the value just before the
// run, taken after a full collection, so what was live before (fixtures,
// the input) does not count. A sampler can miss a peak that lasts less than
// its interval; the heap only shrinks at a collection, so it misses little.
//
// The run collects garbage as soon as the heap grows by a tenth (GC
// percent 10, against the default 100), so the peak shows what the code
// holds rather than how much garbage the collector lets pile up. With the
// default, garbage fills the heap up to the collector's goal, which is set
// by whatever else the process holds (the iVvy fake's contacts, say), and
// the bulk invitation's chunked and single-request runs then peak at about
// the same height whatever they hold.
var heapInuseMetrics = []string{"/memory/classes/heap/objects:bytes", "/memory/classes/heap/unused:bytes"}

func heapInuse(s []metrics.Sample) uint64 {
	metrics.Read(s)
	var n uint64
	for _, v := range s {
		n += v.Value.Uint64()
	}
	return n
}

// peakHeap runs fn and returns how far the heap in use rose above its level
// before fn, in bytes.
func peakHeap(fn func()) uint64 {
	peak, _ := peakAndRetainedHeap(fn)
	return peak
}

// peakAndRetainedHeap is peakHeap that also returns what fn left on the
// heap (above the level before it) once a collection has run after it:
// whatever fn stored outside itself, such as its result.
func peakAndRetainedHeap(fn func()) (peak, retained uint64) {
	samples := make([]metrics.Sample, len(heapInuseMetrics))
	for i, name := range heapInuseMetrics {
		samples[i].Name = name
	}
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	base := heapInuse(samples)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		own := make([]metrics.Sample, len(samples))
		copy(own, samples)
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			peak = max(peak, heapInuse(own))
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	fn()
	last := heapInuse(samples)
	close(stop)
	wg.Wait()
	peak = max(peak, last)
	runtime.GC()
	after := heapInuse(samples)
	sub := func(a uint64) uint64 {
		if a < base {
			return 0
		}
		return a - base
	}
	return sub(peak), sub(after)
}

const mib = 1 << 20
