// Package httpxtest has test helpers for code built on httpx.
package httpxtest

import (
	"context"
	"sync"
	"time"
)

// Timers is a timer source run by hand, for httpx.Config.AfterFunc: no
// timer fires until Advance moves its virtual time past the timer's end.
// It is safe for concurrent use.
type Timers struct {
	mu      sync.Mutex
	now     time.Duration
	armed   int
	pending map[*timer]struct{}
	changed chan struct{} // closed and replaced on every change
}

type timer struct {
	at time.Duration
	f  func()
}

// NewTimers returns a Timers at virtual time zero.
func NewTimers() *Timers {
	return &Timers{pending: map[*timer]struct{}{}, changed: make(chan struct{})}
}

func (t *Timers) notify() {
	close(t.changed)
	t.changed = make(chan struct{})
}

// AfterFunc starts a timer that calls f once virtual time has advanced by
// d. stop cancels it and reports whether it had not fired yet.
func (t *Timers) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tm := &timer{at: t.now + d, f: f}
	t.pending[tm] = struct{}{}
	t.armed++
	t.notify()
	return func() bool {
		t.mu.Lock()
		defer t.mu.Unlock()
		if _, ok := t.pending[tm]; !ok {
			return false
		}
		delete(t.pending, tm)
		t.notify()
		return true
	}
}

// Advance moves virtual time on by d and runs (outside the lock) the
// timers that end by then.
func (t *Timers) Advance(d time.Duration) {
	t.mu.Lock()
	t.now += d
	var due []*timer
	for tm := range t.pending {
		if tm.at <= t.now {
			due = append(due, tm)
			delete(t.pending, tm)
		}
	}
	if len(due) > 0 {
		t.notify()
	}
	t.mu.Unlock()
	for _, tm := range due {
		tm.f()
	}
}

// State returns how many timers were ever started and how many are
// running.
func (t *Timers) State() (armed, pending int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.armed, len(t.pending)
}

// WaitFor blocks until cond holds for the timers' state (see State), or
// ctx ends (then it returns ctx.Err()).
func (t *Timers) WaitFor(ctx context.Context, cond func(armed, pending int) bool) error {
	for {
		t.mu.Lock()
		ok, ch := cond(t.armed, len(t.pending)), t.changed
		t.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
