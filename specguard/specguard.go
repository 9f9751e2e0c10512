// Package specguard checks live answers against the invitekit specs: an
// opt-in http.RoundTripper for any of the three clients (pass it with the
// client's WithTransport) that validates every answer of a known operation
// and reports where the server departs from the spec ("drift").
//
// Each drift is logged once per operation and field (array indexes do not
// count: a field wrong in every item of a long list is one report) as a
// warning through log/slog, with the API, operation, status, the JSON
// pointer of the field and what the spec expects there; never the value,
// which may be a secret or personal data. The caller gets the answer
// exactly as the server sent it. In strict mode (for tests) an answer with
// drift fails instead: reading its body ends with a *DriftError in place
// of io.EOF.
//
// Bodies are validated as they are read, never buffered whole: an array at
// the top of a body (or in a property of a top-level object, such as
// Invitario's guests) is validated item by item. The package lives outside
// gen/ so that the client packages stay free of spec libraries.
package specguard

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/specs"
)

// Drift is one departure from the spec.
type Drift struct {
	API, Operation string
	Status         int
	Field          string // JSON pointer into the body; "" for the status or the body as a whole
	Expected       string
}

// String describes the drift, without any value.
func (d Drift) String() string {
	return fmt.Sprintf("%s %s (status %d): %s", d.API, d.Operation, d.Status, oas.Problem{Pointer: d.Field, Expected: d.Expected})
}

// DriftError ends the read of an answer with drift in strict mode.
type DriftError struct {
	Drifts []Drift
}

// Error lists the drifts.
func (e *DriftError) Error() string {
	parts := make([]string, 0, len(e.Drifts))
	for _, d := range e.Drifts {
		parts = append(parts, d.String())
	}
	return "answer departs from the spec: " + strings.Join(parts, "; ")
}

// Option configures New.
type Option func(*Guard)

// WithLogger sets where drift is reported; the default is slog.Default().
func WithLogger(l *slog.Logger) Option { return func(g *Guard) { g.logger = l } }

// Strict makes an answer with drift fail (see DriftError) instead of only
// being reported.
func Strict(on bool) Option { return func(g *Guard) { g.strict = on } }

// Guard validates answers against the specs. It is safe for concurrent use.
type Guard struct {
	logger  *slog.Logger
	strict  bool
	routers []apiRouter

	mu       sync.Mutex
	reported map[string]bool
	drifts   []Drift
}

type apiRouter struct {
	api    string
	router *oas.Router
}

// New loads the three specs.
func New(opts ...Option) (*Guard, error) {
	g := &Guard{reported: map[string]bool{}}
	for _, o := range opts {
		o(g)
	}
	if g.logger == nil {
		g.logger = slog.Default()
	}
	for _, api := range specs.All() {
		doc, err := specs.Load(api)
		if err != nil {
			return nil, fmt.Errorf("specguard: %s: %w", api, err)
		}
		r, err := oas.NewRouter(doc)
		if err != nil {
			return nil, fmt.Errorf("specguard: %s: %w", api, err)
		}
		g.routers = append(g.routers, apiRouter{api: string(api), router: r})
	}
	return g, nil
}

// Drifts returns the drift reported so far (once per operation and field).
func (g *Guard) Drifts() []Drift {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Drift(nil), g.drifts...)
}

// Wrap returns a transport that sends through next (nil:
// http.DefaultTransport) and validates the answers.
func (g *Guard) Wrap(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{g: g, next: next}
}

type transport struct {
	g    *Guard
	next http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp == nil || resp.Body == nil {
		return resp, err
	}
	api, op := t.g.find(req)
	if op == nil {
		return resp, nil
	}
	pr, pw := io.Pipe()
	b := &body{ReadCloser: resp.Body, pw: pw, done: make(chan []Drift, 1), strict: t.g.strict}
	ctx := req.Context()
	go func() {
		var found []Drift
		seen := map[string]bool{}
		err := oas.CheckResponse(op, resp.StatusCode, resp.Header.Get("Content-Type"), pr, func(p oas.Problem) {
			if key := generalize(p.Pointer) + " " + p.Expected; !seen[key] {
				seen[key] = true
				found = append(found, Drift{API: api, Operation: op.OperationID, Status: resp.StatusCode, Field: p.Pointer, Expected: p.Expected})
			}
		})
		_, _ = io.Copy(io.Discard, pr)
		if err != nil && !b.incomplete() {
			found = append(found, Drift{API: api, Operation: op.OperationID, Status: resp.StatusCode, Expected: "a JSON body"})
		}
		// An answer closed half-read: what was seen is still reported,
		// the missing end is not drift.
		found = t.g.report(ctx, found)
		b.done <- found
	}()
	resp.Body = b
	return resp, nil
}

// find returns the API and operation of req, or nil when no spec has it.
func (g *Guard) find(req *http.Request) (string, *openapi3.Operation) {
	for _, r := range g.routers {
		if route, _, err := r.router.FindRoute(req); err == nil {
			return r.api, route.Operation
		}
	}
	return "", nil
}

var index = regexp.MustCompile(`/[0-9]+(/|$)`)

// generalize replaces array indexes in a pointer by "*".
func generalize(p string) string {
	for {
		q := index.ReplaceAllString(p, "/*$1")
		if q == p {
			return p
		}
		p = q
	}
}

// report logs the drifts not reported before and returns all of them
// (strict mode fails on any, reported before or not).
func (g *Guard) report(ctx context.Context, found []Drift) []Drift {
	for _, d := range found {
		key := d.API + " " + d.Operation + " " + generalize(d.Field) + " " + d.Expected
		g.mu.Lock()
		seen := g.reported[key]
		g.reported[key] = true
		if !seen {
			g.drifts = append(g.drifts, d)
		}
		g.mu.Unlock()
		if seen {
			continue
		}
		g.logger.LogAttrs(ctx, slog.LevelWarn, "spec drift",
			slog.String("api", d.API), slog.String("operation", d.Operation), slog.Int("status", d.Status),
			slog.String("field", d.Field), slog.String("expected", d.Expected))
	}
	return found
}

// body feeds what the caller reads to the validator.
type body struct {
	io.ReadCloser
	pw     *io.PipeWriter
	done   chan []Drift
	strict bool

	mu      sync.Mutex
	partial bool
	ended   bool
	result  []Drift
}

func (b *body) incomplete() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.partial
}

func (b *body) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		_, _ = b.pw.Write(p[:n])
	}
	if err == io.EOF {
		drifts := b.end(false)
		if b.strict && len(drifts) > 0 {
			return n, httpx.Final(&DriftError{Drifts: drifts})
		}
	}
	return n, err
}

func (b *body) Close() error {
	err := b.ReadCloser.Close()
	b.end(true)
	return err
}

// end closes the validator's input and waits for its verdict. closing
// reports an answer closed before its end was read (it may still hold a
// whole JSON value: a streaming reader stops after the value).
func (b *body) end(closing bool) []Drift {
	b.mu.Lock()
	if b.ended {
		defer b.mu.Unlock()
		return b.result
	}
	b.ended = true
	b.partial = closing
	b.mu.Unlock()
	_ = b.pw.Close()
	res := <-b.done
	b.mu.Lock()
	b.result = res
	b.mu.Unlock()
	return res
}
