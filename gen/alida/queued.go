package alida

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// ErrRepeatedPage is returned (wrapped) when a page of a listing holds the
// same items as the page before it: following its next link would never
// end.
var ErrRepeatedPage = errors.New("the page repeats the previous page")

// QueuedOptions narrows the queued list. The zero value lists everything in
// the server's default order (eventDate).
type QueuedOptions struct {
	// Sort is the sort expression, for example "title:d".
	Sort string
	// Fields selects the fields of each item, for example "memberId,title".
	Fields string
}

// FormatDateUTC writes t the way the queuedafter path takes it: a date when t
// is midnight UTC, a date-time (seconds, no zone) otherwise.
func FormatDateUTC(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02T15:04:05")
}

// LinkError reports a next link the client refused to follow: it points to
// another host (which must not receive the credentials) or back to a page
// already read.
type LinkError struct {
	// Href is the link as the server sent it.
	Href string
	// Reason says why it was refused.
	Reason string
}

// Error describes the refusal.
func (e *LinkError) Error() string {
	return fmt.Sprintf("alida: refused next link %q: %s", e.Href, e.Reason)
}

// Queued iterates over the invitations queued after the given time: the
// members who still have to be sent an external invitation. It reads one
// page at a time, following the next links until a page has none or has no
// items, and stops when the caller stops. A next link back to a page already
// read (a *LinkError) and a page with the same items as the one before it
// (ErrRepeatedPage) end the listing with an error. An error is yielded once,
// as the last element.
func (a *API) Queued(ctx context.Context, after time.Time, opts *QueuedOptions) iter.Seq2[InvitationEvent, error] {
	op := opListQueuedInvitationEvents.ID
	return func(yield func(InvitationEvent, error) bool) {
		params := &ListQueuedInvitationEventsParams{}
		if a.pageSize > 0 {
			limit := a.pageSize
			params.Limit = &limit
		}
		if opts != nil && opts.Sort != "" {
			params.Sort = &opts.Sort
		}
		if opts != nil && opts.Fields != "" {
			params.Fields = &opts.Fields
		}
		first := a.newListQueuedInvitationEvents(FormatDateUTC(after), params)
		resp, body, err := a.call(ctx, op, first.op.RetrySafe, func(ctx context.Context) (*http.Response, error) {
			return a.send(ctx, first)
		})
		seen := map[string]bool{}
		var prev []byte
		for page := 1; ; page++ {
			if err != nil {
				yield(InvitationEvent{}, err)
				return
			}
			var list InvitationEventCollection
			if err := json.Unmarshal(body, &list); err != nil {
				yield(InvitationEvent{}, fmt.Errorf("alida: %s: unexpected answer %q: %w", op, excerpt(resp, body), err))
				return
			}
			if len(list.Items) == 0 {
				return // an empty page ends the listing, whatever its links say
			}
			items, _ := json.Marshal(list.Items)
			if prev != nil && bytes.Equal(items, prev) {
				yield(InvitationEvent{}, fmt.Errorf("alida: %s: page %d (%s): %w", op, page, resp.Request.URL.Redacted(), ErrRepeatedPage))
				return
			}
			prev = items
			for _, item := range list.Items {
				if !yield(item, nil) {
					return
				}
			}
			seen[pageKey(resp.Request.URL)] = true
			next, lerr := a.nextLink(resp.Request.URL, list.Links, seen)
			if lerr != nil {
				yield(InvitationEvent{}, lerr)
				return
			}
			if next == nil {
				return
			}
			resp, body, err = a.call(ctx, op, first.op.RetrySafe, func(ctx context.Context) (*http.Response, error) {
				return a.follow(ctx, next)
			})
		}
	}
}

// nextLink returns the page the links call next, or nil when there is none.
func (a *API) nextLink(current *url.URL, links []Link, seen map[string]bool) (*url.URL, error) {
	for _, l := range links {
		if l.Rel != "next" || l.Href == "" {
			continue
		}
		ref, err := url.Parse(l.Href)
		if err != nil {
			return nil, &LinkError{Href: l.Href, Reason: "not a URL"}
		}
		next := current.ResolveReference(ref)
		if next.Scheme != a.base.Scheme || next.Host != a.base.Host {
			return nil, &LinkError{Href: l.Href, Reason: "it leads to another host than " + a.base.Host}
		}
		if next.User != nil {
			return nil, &LinkError{Href: l.Href, Reason: "it carries credentials"}
		}
		if seen[pageKey(next)] {
			return nil, &LinkError{Href: l.Href, Reason: "it leads back to a page already read"}
		}
		return next, nil
	}
	return nil, nil
}

// pageKey is what identifies a page among the ones read: the URL without
// its fragment, with the query parameters in a fixed order.
func pageKey(u *url.URL) string {
	k := *u
	k.Fragment, k.RawFragment = "", ""
	k.RawQuery = k.Query().Encode()
	return k.String()
}

// follow sends a GET for a link, through the same editors and
// authentication as the generated calls.
func (a *API) follow(ctx context.Context, u *url.URL) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), http.NoBody)
	if err != nil {
		return nil, err
	}
	for _, e := range a.editors {
		if err := e(ctx, req); err != nil {
			return nil, err
		}
	}
	return a.doer.Do(req)
}

// CollectQueued gathers what Queued yields into a slice; on an error it
// returns what arrived before it, with the error.
func (a *API) CollectQueued(ctx context.Context, after time.Time, opts *QueuedOptions) ([]InvitationEvent, error) {
	var out []InvitationEvent
	for ev, err := range a.Queued(ctx, after, opts) {
		if err != nil {
			return out, err
		}
		out = append(out, ev)
	}
	return out, nil
}
