package notify

import (
	"sync"
	"time"
)

type seen int

const (
	seenNew  seen = iota // first time: the caller handles it
	seenBusy             // being handled right now
	seenDone             // handled within the window
)

// dedupe remembers handled MessageIds for a window, at most size of them.
type dedupe struct {
	mu    sync.Mutex
	ttl   time.Duration
	size  int
	busy  map[string]bool
	done  map[string]time.Time // id -> when it was handled
	order []string             // ids of done, oldest first
}

func newDedupe(ttl time.Duration, size int) *dedupe {
	return &dedupe{ttl: ttl, size: size, busy: map[string]bool{}, done: map[string]time.Time{}}
}

// begin claims id for handling unless it is being or has been handled.
func (d *dedupe) begin(id string, now time.Time) seen {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.expire(now)
	if d.busy[id] {
		return seenBusy
	}
	if _, ok := d.done[id]; ok {
		return seenDone
	}
	d.busy[id] = true
	return seenNew
}

// abort releases id after a failed attempt, so a redelivery is handled.
func (d *dedupe) abort(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.busy, id)
}

// finish records id as handled at now.
func (d *dedupe) finish(id string, now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.busy, id)
	if _, ok := d.done[id]; ok {
		return
	}
	d.done[id] = now
	d.order = append(d.order, id)
	for len(d.order) > d.size {
		delete(d.done, d.order[0])
		d.order = d.order[1:]
	}
}

// expire forgets ids handled before now-ttl.
func (d *dedupe) expire(now time.Time) {
	i := 0
	for ; i < len(d.order); i++ {
		if now.Sub(d.done[d.order[i]]) < d.ttl {
			break
		}
		delete(d.done, d.order[i])
	}
	if i > 0 {
		d.order = append(d.order[:0:0], d.order[i:]...)
	}
}

// len reports how many handled ids are remembered.
func (d *dedupe) len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.done)
}
