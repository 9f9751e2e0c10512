package invitario

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Cursor is where an incremental sync stands: the server time of the last
// answer, and the versions of the guests delivered shortly before it, so that
// the overlap of the next request does not deliver them twice. A Cursor
// encodes to JSON for keeping between runs; the zero Cursor starts with the
// whole list.
type Cursor struct {
	// DateTime is the server time of the last answer.
	DateTime time.Time `json:"dateTime"`
	// Recent holds, by guest id, the version last delivered of each guest
	// the server changed within the overlap before DateTime.
	Recent map[string]GuestVersion `json:"recent,omitempty"`
}

// GuestVersion identifies one delivered state of a guest.
type GuestVersion struct {
	// Updated is the guest's serverUpdateDateTime.
	Updated time.Time `json:"updated"`
	// Fingerprint is a hash of the guest's content.
	Fingerprint string `json:"fingerprint"`
}

// IsZero reports whether the cursor is the starting point.
func (c Cursor) IsZero() bool { return c.DateTime.IsZero() }

// SyncResult is one step of an incremental sync.
type SyncResult struct {
	// Full is true when the step read the whole list (a zero cursor).
	Full bool
	// Changed are the guests added or changed since the cursor (all guests
	// of a full read), in the server's order.
	Changed []Guest
	// Deleted are the guests deleted since the cursor (deleteDateTime set).
	Deleted []Guest
	// Next is the cursor for the next step.
	Next Cursor
}

// Sync returns what changed since the cursor: with a zero cursor the whole
// guest list, otherwise the guests changed since cur.DateTime, deleted ones
// apart. It asks from a little before the cursor (WithSyncOverlap), so a
// change stamped near the boundary is never lost, and leaves out the guest
// versions it delivered before, so none is delivered twice. Keep Next for the
// next call.
func (a *API) Sync(ctx context.Context, cur Cursor) (*SyncResult, error) {
	var info ListInfo
	res := &SyncResult{Full: cur.IsZero()}
	seq := a.GuestsAll(ctx, &info)
	if !res.Full {
		seq = a.GuestsRecent(ctx, cur.DateTime.Add(-a.overlap), &info)
	}
	delivered := map[string]GuestVersion{}
	for g, err := range seq {
		if err != nil {
			return nil, err
		}
		v := GuestVersion{Fingerprint: fingerprint(g)}
		if g.ServerUpdateDateTime != nil {
			v.Updated = *g.ServerUpdateDateTime
		}
		if old, ok := cur.Recent[g.ID]; ok && old.Fingerprint == v.Fingerprint {
			continue
		}
		if old, ok := delivered[g.ID]; ok && old.Fingerprint == v.Fingerprint {
			continue
		}
		delivered[g.ID] = v
		if g.DeleteDateTime != nil {
			res.Deleted = append(res.Deleted, g)
		} else {
			res.Changed = append(res.Changed, g)
		}
	}
	if info.DateTime.IsZero() {
		return nil, fmt.Errorf("invitario sync: the answer has no dateTime")
	}
	horizon := info.DateTime.Add(-a.overlap)
	res.Next = Cursor{DateTime: info.DateTime, Recent: map[string]GuestVersion{}}
	for _, m := range []map[string]GuestVersion{cur.Recent, delivered} {
		for id, v := range m {
			if !v.Updated.Before(horizon) {
				res.Next.Recent[id] = v
			}
		}
	}
	if len(res.Next.Recent) == 0 {
		res.Next.Recent = nil
	}
	return res, nil
}

// fingerprint hashes a guest's canonical JSON encoding.
func fingerprint(g Guest) string {
	b, err := json.Marshal(g)
	if err != nil {
		b = []byte(g.ID)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}
