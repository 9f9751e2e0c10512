package ivvy

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Defaults of InviteMany.
const (
	DefaultInviteChunkSize   = 100
	DefaultInviteConcurrency = 4
)

// BulkOption configures InviteMany.
type BulkOption func(*bulkSettings)

type bulkSettings struct {
	chunk, workers int
	progress       func(done, total int)
}

// WithChunkSize sets how many contacts go into one inviteContacts call
// (default 100).
func WithChunkSize(n int) BulkOption { return func(s *bulkSettings) { s.chunk = n } }

// WithConcurrency sets how many calls run at once (default 4).
func WithConcurrency(n int) BulkOption { return func(s *bulkSettings) { s.workers = n } }

// WithProgress is called after each chunk with the number of contacts
// handled so far and the total. Calls are serialised.
func WithProgress(fn func(done, total int)) BulkOption {
	return func(s *bulkSettings) { s.progress = fn }
}

// InviteOutcome is what became of one contact of a bulk invitation.
type InviteOutcome struct {
	ContactID     int64
	Invited       bool
	InviteLinkYes string
	InviteLinkNo  string
	// Err is set when the contact's chunk failed (Invited is then false).
	// An error matching httpx's outcome-unknown sentinel means the call may
	// have invited the contact all the same.
	Err error
}

// BulkInviteResult holds one outcome per requested contact, in input order.
type BulkInviteResult struct {
	Outcomes []InviteOutcome
	Calls    int // inviteContacts calls made
}

// Invited counts the contacts that were invited.
func (r *BulkInviteResult) Invited() int {
	n := 0
	for _, o := range r.Outcomes {
		if o.Invited {
			n++
		}
	}
	return n
}

// InviteMany invites any number of contacts to an event, in chunks sent
// concurrently. Outcomes come back in input order. When some chunks fail the
// result is still complete and the error joins the chunk errors; after the
// context ends no new chunk is started.
func (a *API) InviteMany(ctx context.Context, eventID int64, contactIDs []int64, opts ...BulkOption) (*BulkInviteResult, error) {
	s := bulkSettings{chunk: DefaultInviteChunkSize, workers: DefaultInviteConcurrency}
	for _, o := range opts {
		o(&s)
	}
	if s.chunk <= 0 || s.workers <= 0 {
		return nil, fmt.Errorf("ivvy: InviteMany: chunk size and concurrency must be positive, got %d and %d", s.chunk, s.workers)
	}
	if len(contactIDs) == 0 {
		return nil, errors.New("ivvy: InviteMany: at least one contact id is required")
	}
	res := &BulkInviteResult{Outcomes: make([]InviteOutcome, len(contactIDs))}
	for i, id := range contactIDs {
		res.Outcomes[i].ContactID = id
	}

	type span struct{ lo, hi int }
	spans := make(chan span)
	var (
		mu   sync.Mutex
		errs []error
		done int
		wg   sync.WaitGroup
	)
	finish := func(sp span, err error) {
		mu.Lock()
		defer mu.Unlock()
		res.Calls++
		if err != nil {
			errs = append(errs, fmt.Errorf("contacts %d-%d: %w", sp.lo+1, sp.hi, err))
		}
		done += sp.hi - sp.lo
		if s.progress != nil {
			s.progress(done, len(contactIDs))
		}
	}
	for range min(s.workers, (len(contactIDs)+s.chunk-1)/s.chunk) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sp := range spans {
				out := res.Outcomes[sp.lo:sp.hi]
				err := a.inviteChunk(ctx, eventID, contactIDs[sp.lo:sp.hi], out)
				finish(sp, err)
			}
		}()
	}
	var stopErr error
feed:
	for lo := 0; lo < len(contactIDs); lo += s.chunk {
		sp := span{lo, min(lo+s.chunk, len(contactIDs))}
		select {
		case spans <- sp:
		case <-ctx.Done():
			stopErr = ctx.Err()
			for i := lo; i < len(contactIDs); i++ {
				res.Outcomes[i].Err = stopErr
			}
			break feed
		}
	}
	close(spans)
	wg.Wait()
	if stopErr != nil {
		errs = append(errs, fmt.Errorf("not sent: %w", stopErr))
	}
	return res, errors.Join(errs...)
}

// inviteChunk invites one chunk and fills its outcomes.
func (a *API) inviteChunk(ctx context.Context, eventID int64, ids []int64, out []InviteOutcome) error {
	if err := ctx.Err(); err != nil {
		for i := range out {
			out[i].Err = err
		}
		return err
	}
	r, err := a.InviteContacts(ctx, eventID, ids)
	if err != nil {
		for i := range out {
			out[i].Err = err
		}
		return err
	}
	// Match results to the request by contact id; repeated ids take the
	// results in order.
	byID := map[int64][]ContactInvitation{}
	for _, ci := range r.Results {
		byID[int64(ci.Contact)] = append(byID[int64(ci.Contact)], ci)
	}
	var missing int
	for i, id := range ids {
		q := byID[id]
		if len(q) == 0 {
			out[i].Err = fmt.Errorf("ivvy: inviteContacts: no result for contact %d", id)
			missing++
			continue
		}
		ci := q[0]
		byID[id] = q[1:]
		out[i].Invited = ci.Status
		out[i].InviteLinkYes = ci.InviteLinkYes
		out[i].InviteLinkNo = ci.InviteLinkNo
	}
	if missing > 0 {
		return fmt.Errorf("ivvy: inviteContacts: %d of %d contacts missing from the result", missing, len(ids))
	}
	return nil
}
