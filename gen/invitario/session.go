package invitario

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/invitekit/invitekit/internal/httpx"
)

// Session describes the logged-in session.
type Session struct {
	// Event is the event the session is for, as the server describes it.
	Event Event
	// StationName is the station name the server confirmed.
	StationName string
}

// loginFlight is one login that every concurrent caller waits for.
type loginFlight struct {
	done    chan struct{}
	cancel  context.CancelFunc // ends the login once nobody waits for it
	waiters int                // callers waiting; guarded by API.mu
	token   Secret
	gen     uint64
	session *Session
	err     error
}

// Login logs in unless a session is open, and describes the session. Other
// calls log in by themselves; Login is for callers who want the event
// details or to check the credentials early.
func (a *API) Login(ctx context.Context) (*Session, error) {
	if _, _, err := a.current(ctx); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.session == nil {
		return nil, ErrSessionExpired
	}
	s := *a.session
	return &s, nil
}

// current returns the session token, logging in first if there is none.
// Concurrent callers share one login.
func (a *API) current(ctx context.Context) (Secret, uint64, error) {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return "", 0, ErrClosed
	}
	if a.token != "" {
		tok, gen := a.token, a.gen
		a.mu.Unlock()
		return tok, gen, nil
	}
	f := a.flight
	if f == nil {
		// The login runs on its own, so that a caller giving up does not
		// fail the others waiting for it. It is cancelled when the last
		// caller waiting for it gives up, or by Close.
		lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &loginFlight{done: make(chan struct{}), cancel: cancel}
		a.flight = f
		go a.runLogin(lctx, f)
	}
	f.waiters++
	a.mu.Unlock()
	select {
	case <-f.done:
		return f.token, f.gen, f.err
	case <-ctx.Done():
		a.mu.Lock()
		if f.waiters--; f.waiters == 0 {
			f.cancel()
			if a.flight == f {
				a.flight = nil // the next caller starts a login of its own
			}
		}
		a.mu.Unlock()
		return "", 0, ctx.Err()
	}
}

func (a *API) runLogin(ctx context.Context, f *loginFlight) {
	res, err := a.login(ctx)
	a.mu.Lock()
	if a.flight != f {
		// Every caller gave up on this login, and later callers started
		// their own: a session it opened all the same is surplus.
		a.mu.Unlock()
		f.err = ctx.Err()
		if f.err == nil {
			f.err = context.Canceled
		}
		f.cancel()
		close(f.done)
		if err == nil {
			_ = a.logout(context.WithoutCancel(ctx), Secret(res.SessionToken))
		}
		return
	}
	if err == nil {
		a.gen++
		a.token = Secret(res.SessionToken)
		a.session = &Session{Event: res.Event, StationName: res.StationName}
		f.token, f.gen, f.session = a.token, a.gen, a.session
	}
	f.err = err
	a.flight = nil
	a.mu.Unlock()
	f.cancel()
	close(f.done)
}

// invalidate forgets the token of login gen after the server refused it; a
// token from a newer login is kept, so concurrent refusals of one token cost
// one new login.
func (a *API) invalidate(gen uint64) {
	a.mu.Lock()
	if a.gen == gen {
		a.token = ""
		a.session = nil
	}
	a.mu.Unlock()
}

func (a *API) login(ctx context.Context) (*LoginResult, error) {
	op := opLogin.ID
	resp, body, err := a.exchange(ctx, a.newLogin(LoginRequest{
		EventID:     a.creds.EventID,
		APIKey:      a.creds.AppCode.Reveal(),
		StationName: a.creds.Station,
	}), "")
	if err != nil {
		return nil, err
	}
	var res LoginResult
	if err := unmarshal(body, &res); err != nil || res.SessionToken == "" {
		return nil, &APIError{Operation: op, StatusCode: resp.StatusCode, Status: string(res.Status),
			Excerpt: "the answer has no session token"}
	}
	return &res, nil
}

// Close logs the session out, once: later calls return nil and other calls
// return ErrClosed. A session that was never opened, or whose token the
// server already refused, needs no logout. A login still running is
// cancelled, and logged out if it succeeded all the same.
func (a *API) Close(ctx context.Context) error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil
	}
	a.closed = true
	f := a.flight
	a.mu.Unlock()
	if f != nil {
		// A login still running is wanted by nobody now: end it, and log
		// out if it got through before the cancellation reached it.
		f.cancel()
		select {
		case <-f.done:
		case <-ctx.Done():
			return fmt.Errorf("invitario: logout: waiting for the login to end: %w", ctx.Err())
		}
	}
	a.mu.Lock()
	tok := a.token
	a.token, a.session = "", nil
	a.mu.Unlock()
	if tok == "" {
		return nil
	}
	err := a.logout(ctx, tok)
	if errors.Is(err, ErrSessionExpired) {
		return nil // the server had ended the session already
	}
	return err
}

func (a *API) logout(ctx context.Context, tok Secret) error {
	_, _, err := a.exchange(ctx, a.newLogout(SessionRequest{SessionToken: tok.Reveal()}), tok)
	return err
}

// exchange sends r and reads its answer. An error envelope (with any HTTP
// status) is an *APIError, with tok and the app code cut out of the
// server's text.
func (a *API) exchange(ctx context.Context, r *request, tok Secret) (*http.Response, []byte, error) {
	op := r.op.ID
	resp, err := a.send(httpx.WithOperation(ctx, op, r.op.RetrySafe), r)
	if err != nil {
		return nil, nil, fmt.Errorf("invitario %s: %w", op, err)
	}
	body, err := httpx.ReadBody(resp, a.maxBody)
	if err != nil {
		return nil, nil, fmt.Errorf("invitario %s: %w", op, err)
	}
	if e := a.failure(op, resp, body, tok); e != nil {
		return resp, body, e
	}
	return resp, body, nil
}

// Format writes String whatever the verb, so that verbs which do not use
// String (%d, %t, ...) cannot reach the app code or the session token.
func (a *API) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, a.String()) }

// invoke sends a call of a generated method and decodes its answer into out
// (the methods of operations the spec adds beyond login, the guest lists
// and logout, which are written by hand). A request whose body has a
// sessionToken property carries the session's token, the API logging in
// first if needed; if the server refuses the token, the call is sent once
// more with a new session. An error envelope, with any HTTP status, is an
// *APIError.
//
//lint:ignore U1000 used by the generated method of any operation the spec does not mark x-go-method "-".
func (a *API) invoke(ctx context.Context, r *request, out any) error {
	op := r.op.ID
	fields, takesSession, err := sessionBody(r.body)
	if err != nil {
		return fmt.Errorf("invitario %s: %w", op, err)
	}
	for attempt := 0; ; attempt++ {
		var tok Secret
		var gen uint64
		call := *r
		if takesSession {
			if tok, gen, err = a.current(ctx); err != nil {
				return fmt.Errorf("invitario %s: %w", op, err)
			}
			b, err := json.Marshal(tok.Reveal())
			if err != nil {
				return fmt.Errorf("invitario %s: %w", op, err)
			}
			fields["sessionToken"] = b
			call.body = fields
		}
		resp, body, err := a.exchange(ctx, &call, tok)
		if err != nil {
			if takesSession && attempt == 0 && errors.Is(err, ErrSessionExpired) {
				a.invalidate(gen) // the server ended the session: log in again, once
				continue
			}
			return err
		}
		if out == nil {
			return nil
		}
		if err := unmarshal(body, out); err != nil {
			return &APIError{Operation: op, StatusCode: resp.StatusCode,
				Excerpt: httpx.Excerpt([]byte(a.scrubber(resp, tok).Scrub(string(body))), 197)}
		}
		return nil
	}
}

// sessionBody encodes a request body as its JSON fields, and reports
// whether it has a sessionToken property for invoke to fill.
func sessionBody(body any) (map[string]json.RawMessage, bool, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, false, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return nil, false, fmt.Errorf("the request body is not a JSON object: %w", err)
	}
	_, ok := fields["sessionToken"]
	return fields, ok, nil
}
