package invitario

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"time"

	"github.com/invitekit/invitekit/internal/httpx"
)

// ListInfo receives the properties of a list answer other than the guests.
// It is filled in when the stream has been read to its end without error.
type ListInfo struct {
	// Count is the answer's count property.
	Count int
	// DateTime is the server time of the answer, with the server's offset.
	// Pass it to GuestsRecent (or keep it in a Cursor) to ask for what
	// changed afterwards.
	DateTime time.Time
}

// GuestsAll streams the event's guest list. The guests are decoded one at
// a time while the answer is read, so memory does not grow with the size of
// the list. A failed call yields one error and ends the stream. If the
// server reports an invalid session before the first guest, the stream logs
// in again once and repeats the call. info, if not nil, is filled in once the
// stream has ended without error.
func (a *API) GuestsAll(ctx context.Context, info *ListInfo) iter.Seq2[Guest, error] {
	return a.list(ctx, "guestListAll", nil, info)
}

// GuestsRecent streams the guests added, changed or deleted since the given
// time (deleted guests have DeleteDateTime set). Use the DateTime of an
// earlier answer; Sync does the bookkeeping for you. It behaves like
// GuestsAll otherwise.
func (a *API) GuestsRecent(ctx context.Context, since time.Time, info *ListInfo) iter.Seq2[Guest, error] {
	return a.list(ctx, "guestListRecent", &since, info)
}

func (a *API) list(ctx context.Context, op string, since *time.Time, info *ListInfo) iter.Seq2[Guest, error] {
	return func(yield func(Guest, error) bool) {
		for attempt := 1; ; attempt++ {
			tok, gen, err := a.current(ctx)
			if err != nil {
				yield(Guest{}, err)
				return
			}
			n, stopped, err := a.listOnce(ctx, op, tok, since, info, yield)
			if stopped || err == nil {
				return
			}
			if attempt == 1 && n == 0 && errors.Is(err, ErrSessionExpired) {
				a.invalidate(gen)
				continue
			}
			yield(Guest{}, err)
			return
		}
	}
}

// listOnce sends one list call and yields its guests. It returns how many
// guests it yielded and whether the consumer stopped the stream.
func (a *API) listOnce(ctx context.Context, op string, tok Secret, since *time.Time, info *ListInfo, yield func(Guest, error) bool) (int, bool, error) {
	ctx = httpx.WithOperation(ctx, op, true)
	var (
		resp *http.Response
		err  error
	)
	if since == nil {
		resp, err = a.raw.GuestListAll(ctx, SessionRequest{SessionToken: tok.Reveal()})
	} else {
		resp, err = a.raw.GuestListRecent(ctx, RecentRequest{SessionToken: tok.Reveal(), SinceDateTime: *since})
	}
	if err != nil {
		return 0, false, fmt.Errorf("invitario %s: %w", op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, err := httpx.ReadBody(resp, a.maxBody)
		if err != nil {
			return 0, false, &APIError{Operation: op, StatusCode: resp.StatusCode, Excerpt: err.Error()}
		}
		return 0, false, a.failure(op, resp.StatusCode, body, tok)
	}
	defer resp.Body.Close()
	cr := &capReader{r: resp.Body, limit: a.maxGuest}
	br := bufio.NewReader(cr)
	if !startsObject(br) {
		head, _ := io.ReadAll(io.LimitReader(br, 512))
		return 0, false, a.failure(op, resp.StatusCode, head, tok)
	}
	s := listStream{op: op, dec: json.NewDecoder(br), cr: cr}
	n, stopped, err := s.run(yield)
	if stopped {
		return n, true, nil
	}
	if err != nil {
		var tooLarge *httpx.TooLargeError
		if errors.As(err, &tooLarge) {
			return n, false, fmt.Errorf("invitario %s: a guest %w", op, err)
		}
		return n, false, err
	}
	if s.status == "error" || len(s.errors) > 0 {
		return n, false, a.failure(op, resp.StatusCode, s.envelopeJSON(), tok)
	}
	if info != nil {
		*info = ListInfo{Count: s.count, DateTime: s.dateTime}
	}
	return n, false, nil
}

// startsObject reports whether the next non-space byte is '{'.
func startsObject(br *bufio.Reader) bool {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return false
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		_ = br.UnreadByte()
		return b == '{'
	}
}

// listStream decodes a list answer token by token, one guest at a time;
// the other properties may come in any order.
type listStream struct {
	op       string
	dec      *json.Decoder
	cr       *capReader
	status   string
	count    int
	dateTime time.Time
	display  *string
	errors   []json.RawMessage
}

func (s *listStream) run(yield func(Guest, error) bool) (n int, stopped bool, err error) {
	if err := s.expect(json.Delim('{')); err != nil {
		return 0, false, err
	}
	for s.dec.More() {
		t, err := s.dec.Token()
		if err != nil {
			return n, false, s.wrap(err)
		}
		key, _ := t.(string)
		switch key {
		case "guests":
			t, err := s.dec.Token()
			if err != nil {
				return n, false, s.wrap(err)
			}
			if t == nil {
				continue
			}
			if t != json.Delim('[') {
				return n, false, fmt.Errorf("invitario %s: guests is not an array", s.op)
			}
			for s.dec.More() {
				var g Guest
				if err := s.dec.Decode(&g); err != nil {
					return n, false, fmt.Errorf("invitario %s: guest %d: %w", s.op, n+1, err)
				}
				s.cr.reset()
				n++
				if !yield(g, nil) {
					return n, true, nil
				}
			}
			if err := s.expect(json.Delim(']')); err != nil {
				return n, false, err
			}
		case "status":
			err = s.dec.Decode(&s.status)
		case "count":
			err = s.dec.Decode(&s.count)
		case "dateTime":
			var raw *time.Time
			if err = s.dec.Decode(&raw); err == nil && raw != nil {
				s.dateTime = *raw
			}
		case "displayMessage":
			err = s.dec.Decode(&s.display)
		case "errors":
			err = s.dec.Decode(&s.errors)
		default:
			var skip json.RawMessage
			err = s.dec.Decode(&skip)
		}
		if err != nil {
			return n, false, fmt.Errorf("invitario %s: %s: %w", s.op, key, err)
		}
	}
	return n, false, s.expect(json.Delim('}'))
}

func (s *listStream) expect(want json.Delim) error {
	t, err := s.dec.Token()
	if err != nil {
		return s.wrap(err)
	}
	if t != want {
		return fmt.Errorf("invitario %s: malformed list answer: want %v, got %v", s.op, want, t)
	}
	return nil
}

func (s *listStream) wrap(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("invitario %s: %w", s.op, err)
}

// envelopeJSON re-encodes the error properties for failure.
func (s *listStream) envelopeJSON() []byte {
	b, _ := json.Marshal(envelope{Status: s.status, DisplayMessage: s.display, Errors: s.errors})
	return b
}

// capReader fails with *httpx.TooLargeError when more than limit bytes are
// read since the last reset.
type capReader struct {
	r     io.Reader
	limit int64
	n     int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n > c.limit {
		return 0, &httpx.TooLargeError{Limit: c.limit}
	}
	if rest := c.limit + 1 - c.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *capReader) reset() { c.n = 0 }

func unmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
