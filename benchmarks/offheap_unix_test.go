//go:build unix

package benchmarks

import "syscall"

// offHeap returns a copy of b in memory mapped outside the Go heap, so that
// a benchmark's input does not count in the heap figures, nor set the
// collector's pace (a 60 MB live input would let 60 MB of garbage pile up
// before each collection). The mapping lives as long as the process.
func offHeap(b []byte) []byte {
	m, err := syscall.Mmap(-1, 0, len(b), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return b
	}
	copy(m, b)
	return m
}
