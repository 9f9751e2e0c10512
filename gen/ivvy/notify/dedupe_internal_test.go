package notify

import (
	"fmt"
	"testing"
	"time"
)

func TestDedupeNeverHoldsMoreThanItsSize(t *testing.T) {
	d := newDedupe(time.Hour, 3)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range 10 {
		id := fmt.Sprint(i)
		if got := d.begin(id, now); got != seenNew {
			t.Fatalf("id %s: %v, want new", id, got)
		}
		d.finish(id, now)
		if d.len() > 3 {
			t.Fatalf("after %d ids it holds %d", i+1, d.len())
		}
	}
	if got := d.begin("9", now); got != seenDone {
		t.Fatalf("the newest id was forgotten: %v", got)
	}
	if got := d.begin("0", now); got != seenNew {
		t.Fatalf("the oldest id is still remembered: %v", got)
	}
	d.abort("0")
	if got := d.begin("9", now.Add(time.Hour)); got != seenNew {
		t.Fatalf("an id outlived the window: %v", got)
	}
	if d.len() != 0 {
		t.Fatalf("expired ids are still held: %d", d.len())
	}
}
