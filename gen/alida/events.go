package alida

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Outcome tells apart the three shapes of a successful POST of events.
type Outcome int

const (
	// OutcomeNothingQueued: no eligible member was queued, so no event was
	// created (the answer was an empty collection, or an empty array).
	OutcomeNothingQueued Outcome = iota + 1
	// OutcomeQueued: the events were accepted and the answer carried no
	// detail (the created resources were not asked for).
	OutcomeQueued
	// OutcomeQueuedWithEvents: eligible members were queued and the answer
	// lists the created events.
	OutcomeQueuedWithEvents
)

// String names the outcome.
func (o Outcome) String() string {
	switch o {
	case OutcomeNothingQueued:
		return "nothing queued"
	case OutcomeQueued:
		return "queued"
	case OutcomeQueuedWithEvents:
		return "queued with events"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Result is the answer to one POST of events.
type Result struct {
	// Outcome says which of the three answers came back.
	Outcome Outcome
	// First is the index, in the caller's list, of the first event this POST
	// carried; Count is how many it carried.
	First, Count int
	// Events are the created events (OutcomeQueuedWithEvents only).
	Events []InvitationEvent
	// Collection is the empty envelope of an OutcomeNothingQueued answer, when
	// the server sent one.
	Collection *InvitationEventCollection
}

// ParseCreated tells the shape of a 2xx answer to a POST of events apart:
// an empty body, an array of created events, or a collection envelope.
func ParseCreated(body []byte) (Result, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return Result{Outcome: OutcomeQueued}, nil
	}
	var created EventsCreatedBody
	if err := json.Unmarshal(body, &created); err != nil {
		return Result{}, err
	}
	switch body[0] {
	case '[':
		events, err := created.AsInvitationEvents()
		if err != nil {
			return Result{}, err
		}
		if len(events) == 0 {
			return Result{Outcome: OutcomeNothingQueued}, nil
		}
		return Result{Outcome: OutcomeQueuedWithEvents, Events: events}, nil
	case '{':
		coll, err := created.AsInvitationEventCollection()
		if err != nil {
			return Result{}, err
		}
		if len(coll.Items) > 0 {
			return Result{Outcome: OutcomeQueuedWithEvents, Events: coll.Items, Collection: &coll}, nil
		}
		return Result{Outcome: OutcomeNothingQueued, Collection: &coll}, nil
	}
	return Result{}, errors.New("neither an array of events nor a collection")
}

// ReportError is a failed POST in a chunked report. The POSTs before it
// succeeded (their results are returned beside the error); the events from
// First on were not confirmed.
type ReportError struct {
	// First and Count locate the failed POST's events in the caller's list.
	First, Count int
	// Total is the number of events the caller passed.
	Total int
	// Err is the failure (*APIError, a transport error, ...).
	Err error
}

// Error says which events were affected.
func (e *ReportError) Error() string {
	return fmt.Sprintf("events %d to %d of %d: %v", e.First+1, e.First+e.Count, e.Total, e.Err)
}

// Unwrap returns the failure.
func (e *ReportError) Unwrap() error { return e.Err }

// ReportInvitations posts invitation events (SurveyInvited or
// Undeliverable), at most the chunk size per POST, one POST after the other.
// It returns one Result per POST in input order. Every event is checked
// before anything is sent. POSTs are not retried; on a failure the results
// of the earlier POSTs come back with a *ReportError.
func (a *API) ReportInvitations(ctx context.Context, events []NewInvitationEvent, opts ...BulkOption) ([]Result, error) {
	for i, e := range events {
		if err := checkEvent(e.MemberID, e.CommunicationID, e.EventType.Valid(), string(e.EventType)); err != nil {
			return nil, fmt.Errorf("alida: invitation event %d: %w", i+1, err)
		}
	}
	chunk, err := chunkSize(opts)
	if err != nil {
		return nil, err
	}
	return report(ctx, a, opCreateInvitationEvents, chunk, events, func(ctx context.Context, chunk []NewInvitationEvent) (*http.Response, error) {
		return a.send(ctx, a.newCreateInvitationEvents(&CreateInvitationEventsParams{XWebapiReturnResource: a.returnResourceParam()}, chunk))
	})
}

// ReportReminders posts reminder events (Reminded or Undeliverable) like
// ReportInvitations.
func (a *API) ReportReminders(ctx context.Context, events []NewReminderEvent, opts ...BulkOption) ([]Result, error) {
	for i, e := range events {
		if err := checkEvent(e.MemberID, e.CommunicationID, e.EventType.Valid(), string(e.EventType)); err != nil {
			return nil, fmt.Errorf("alida: reminder event %d: %w", i+1, err)
		}
	}
	chunk, err := chunkSize(opts)
	if err != nil {
		return nil, err
	}
	return report(ctx, a, opCreateReminderEvents, chunk, events, func(ctx context.Context, chunk []NewReminderEvent) (*http.Response, error) {
		return a.send(ctx, a.newCreateReminderEvents(&CreateReminderEventsParams{XWebapiReturnResource: a.returnResourceParam()}, chunk))
	})
}

func (a *API) returnResourceParam() *bool {
	if !a.return201 {
		return nil
	}
	on := true
	return &on
}

func checkEvent(member, communication GUID, typeOK bool, eventType string) error {
	switch {
	case member == GUID{}:
		return errors.New("memberId is missing")
	case communication == GUID{}:
		return errors.New("communicationId is missing")
	case !typeOK:
		return fmt.Errorf("eventType %q is not allowed", eventType)
	}
	return nil
}

func report[T any](ctx context.Context, a *API, operation *Operation, size int, events []T, post func(context.Context, []T) (*http.Response, error)) ([]Result, error) {
	op := operation.ID
	var results []Result
	for first := 0; first < len(events); first += size {
		end := min(first+size, len(events))
		chunk := events[first:end]
		fail := func(err error) ([]Result, error) {
			return results, &ReportError{First: first, Count: len(chunk), Total: len(events), Err: err}
		}
		resp, body, err := a.call(ctx, op, operation.RetrySafe, func(ctx context.Context) (*http.Response, error) {
			return post(ctx, chunk)
		})
		if err != nil {
			return fail(err)
		}
		res, err := ParseCreated(body)
		if err != nil {
			return fail(fmt.Errorf("alida: %s: unexpected answer %q: %w", op, excerpt(resp, body), err))
		}
		res.First, res.Count = first, len(chunk)
		results = append(results, res)
	}
	return results, nil
}

// Events returns the created events of all results, in input order.
func Events(results []Result) []InvitationEvent {
	var out []InvitationEvent
	for _, r := range results {
		out = append(out, r.Events...)
	}
	return out
}

// BulkOption configures ReportInvitations and ReportReminders.
type BulkOption func(*bulkSettings)

type bulkSettings struct{ chunk int }

// WithChunkSize sets how many events one POST carries at most (default
// DefaultChunkSize).
func WithChunkSize(n int) BulkOption { return func(s *bulkSettings) { s.chunk = n } }

func chunkSize(opts []BulkOption) (int, error) {
	s := bulkSettings{chunk: DefaultChunkSize}
	for _, o := range opts {
		o(&s)
	}
	if s.chunk < 1 {
		return 0, fmt.Errorf("alida: WithChunkSize(%d): want 1 or more", s.chunk)
	}
	return s.chunk, nil
}
