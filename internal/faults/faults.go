// Package faults injects network and server faults into HTTP test servers.
//
// An *Injector wraps an http.Handler (a fake API, usually) and, as its Plan
// decides request by request, lets the request through, answers it with an
// error status, delays it, or breaks the connection before or while the
// answer is written:
//
//	inj := faults.New(fakeServer, faults.FirstN(2, faults.Fault{Kind: faults.ResetBeforeResponse}))
//	srv := httptest.NewServer(inj)
//
// Faults that break the connection hijack it, so the server must speak
// HTTP/1.x (httptest.NewServer does). Every request that reaches the
// injector is recorded (see Arrivals), whatever its fault, so that tests can
// count how often a call reached the server.
package faults

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Kind is a sort of fault.
type Kind int

// The faults an Injector can apply.
const (
	// None lets the request through to the wrapped handler.
	None Kind = iota
	// ResetBeforeResponse lets the wrapped handler serve the request (so
	// its effects happen) but sends nothing of its answer: the connection
	// is reset (TCP RST) instead. The client has written its whole request.
	ResetBeforeResponse
	// Drop reads the whole request and resets the connection without
	// passing the request to the wrapped handler.
	Drop
	// ResetAfterPartial lets the handler serve the request, sends the
	// status line, the headers (with the full Content-Length) and the first
	// Fault.Bytes bytes of the body, then resets the connection.
	ResetAfterPartial
	// TruncateBody is ResetAfterPartial with an orderly close (TCP FIN)
	// instead of a reset: the client sees the body end early.
	TruncateBody
	// Status answers Fault.Status (500, 503, 429, ...) with the optional
	// Fault.RetryAfter and Fault.Location headers and Fault.Body, without
	// calling the handler. With a 3xx status and a Location it is a
	// redirect.
	Status
	// DelayHeaders waits Fault.Delay before the handler serves the request;
	// when the client gives up first, the handler is not called.
	DelayHeaders
)

var kindNames = [...]string{"None", "ResetBeforeResponse", "Drop", "ResetAfterPartial", "TruncateBody", "Status", "DelayHeaders"}

// String names the kind.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is what happens to one request.
type Fault struct {
	Kind Kind
	// Status is the HTTP status of a Status fault (default 503).
	Status int
	// RetryAfter, if not empty, is sent as the Retry-After header of a
	// Status fault: seconds ("2") or an HTTP date.
	RetryAfter string
	// Location, if not empty, is sent as the Location header of a Status
	// fault.
	Location string
	// Body is the body of a Status fault (default: the status text).
	Body string
	// ContentType is the Content-Type of a Status fault (default
	// text/plain; charset=utf-8).
	ContentType string
	// Bytes is how much of the body ResetAfterPartial and TruncateBody send
	// (default: half of it, rounded down). It is capped at the body's
	// length minus one, so that the body is always cut short.
	Bytes int
	// Delay is how long DelayHeaders waits.
	Delay time.Duration
}

// String describes the fault for test names and messages.
func (f Fault) String() string {
	switch f.Kind {
	case Status:
		s := fmt.Sprintf("Status(%d", f.status())
		if f.RetryAfter != "" {
			s += ", Retry-After " + f.RetryAfter
		}
		if f.Location != "" {
			s += ", Location " + f.Location
		}
		return s + ")"
	case DelayHeaders:
		return fmt.Sprintf("DelayHeaders(%v)", f.Delay)
	}
	return f.Kind.String()
}

func (f Fault) status() int {
	if f.Status == 0 {
		return http.StatusServiceUnavailable
	}
	return f.Status
}

// Plan decides the fault of each request. It is called once per request,
// possibly from several goroutines at once, so it must be safe for
// concurrent use (the constructors in this package are).
type Plan func(r *http.Request) Fault

// Always applies f to every request.
func Always(f Fault) Plan { return func(*http.Request) Fault { return f } }

// FirstN applies f to the first n requests and lets the others through.
func FirstN(n int, f Fault) Plan {
	var seen atomic.Int64
	return func(*http.Request) Fault {
		if seen.Add(1) <= int64(n) {
			return f
		}
		return Fault{}
	}
}

// EveryNth applies f to the n-th, 2n-th, 3n-th ... request.
func EveryNth(n int, f Fault) Plan {
	if n <= 0 {
		panic("faults: EveryNth needs a positive n")
	}
	var seen atomic.Int64
	return func(*http.Request) Fault {
		if seen.Add(1)%int64(n) == 0 {
			return f
		}
		return Fault{}
	}
}

// Sequence applies the i-th fault to the i-th request; requests after the
// last fault go through.
func Sequence(fs ...Fault) Plan {
	var seen atomic.Int64
	return func(*http.Request) Fault {
		if i := seen.Add(1) - 1; i < int64(len(fs)) {
			return fs[i]
		}
		return Fault{}
	}
}

// When consults p only for the requests that match; the others go through
// and do not count towards p.
func When(match func(*http.Request) bool, p Plan) Plan {
	return func(r *http.Request) Fault {
		if match(r) {
			return p(r)
		}
		return Fault{}
	}
}

// PerKey gives every key its own plan, made by newPlan when the first
// request with that key arrives, so that the faults one client (or one
// path) meets do not depend on the requests of others sent at the same
// time. key names a request's group; ByPath is one.
func PerKey(key func(*http.Request) string, newPlan func() Plan) Plan {
	var mu sync.Mutex
	plans := map[string]Plan{}
	return func(r *http.Request) Fault {
		k := key(r)
		mu.Lock()
		p, ok := plans[k]
		if !ok {
			p = newPlan()
			plans[k] = p
		}
		mu.Unlock()
		if p == nil {
			return Fault{}
		}
		return p(r)
	}
}

// ByPath is a key for PerKey: the request's method, path and query.
func ByPath(r *http.Request) string {
	return r.Method + " " + r.URL.Path + "?" + r.URL.RawQuery
}

// Arrival is a request that reached the injector.
type Arrival struct {
	// N numbers the requests from 1.
	N int
	// Method, Path and Query are the request's.
	Method, Path, Query string
	// Fault is what the plan decided for it. An arrival is counted before
	// its plan runs, so while the plan runs its Fault is still the zero
	// value (None).
	Fault Fault
}

// Injector is an http.Handler that applies a Plan's faults in front of
// another handler. It is safe for concurrent use.
type Injector struct {
	next http.Handler

	mu       sync.Mutex
	plan     Plan
	arrivals []Arrival
	// seqs numbers arrivals for good (arrivals[i] is number seqs[i]), so
	// that a plan's verdict is not filed under a later request after Reset.
	seqs []uint64
	seq  uint64 // of the last arrival
}

// New returns an injector in front of next; a nil plan injects nothing.
func New(next http.Handler, plan Plan) *Injector {
	return &Injector{next: next, plan: plan}
}

// SetPlan replaces the plan for the requests that follow.
func (in *Injector) SetPlan(p Plan) {
	in.mu.Lock()
	in.plan = p
	in.mu.Unlock()
}

// Arrivals returns the requests received so far, in order of arrival.
func (in *Injector) Arrivals() []Arrival {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Arrival(nil), in.arrivals...)
}

// Count returns how many of the requests received so far match.
func (in *Injector) Count(match func(Arrival) bool) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	n := 0
	for _, a := range in.arrivals {
		if match == nil || match(a) {
			n++
		}
	}
	return n
}

// Reset forgets the requests received so far.
func (in *Injector) Reset() {
	in.mu.Lock()
	in.arrivals, in.seqs = nil, nil
	in.mu.Unlock()
}

// ServeHTTP applies the plan's fault to the request.
func (in *Injector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The arrival is counted before the plan runs: a plan may set off
	// what ends the call (a cancel, say), and a caller that then asks how
	// many requests arrived must find this one.
	in.mu.Lock()
	plan := in.plan
	in.seq++
	seq, i := in.seq, len(in.arrivals)
	in.arrivals = append(in.arrivals, Arrival{N: i + 1, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery})
	in.seqs = append(in.seqs, seq)
	in.mu.Unlock()
	var f Fault
	if plan != nil {
		f = plan(r)
	}
	in.mu.Lock()
	if i < len(in.seqs) && in.seqs[i] == seq { // not forgotten by Reset meanwhile
		in.arrivals[i].Fault = f
	}
	in.mu.Unlock()

	switch f.Kind {
	case None:
		in.next.ServeHTTP(w, r)
	case Status:
		serveStatus(w, f)
	case DelayHeaders:
		// Read the request first: only then does the server notice a
		// client that hangs up, and end r's context.
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
			in.next.ServeHTTP(w, r)
		case <-r.Context().Done():
		}
	case Drop:
		_, _ = io.Copy(io.Discard, r.Body)
		breakConn(w, nil, true)
	case ResetBeforeResponse:
		record(in.next, r)
		breakConn(w, nil, true)
	case ResetAfterPartial, TruncateBody:
		rec := record(in.next, r)
		breakConn(w, rec.partial(f.Bytes), f.Kind == ResetAfterPartial)
	default:
		http.Error(w, "faults: unknown fault "+f.String(), http.StatusInternalServerError)
	}
}

func serveStatus(w http.ResponseWriter, f Fault) {
	status := f.status()
	body := f.Body
	if body == "" {
		body = http.StatusText(status) + "\n"
	}
	ct := f.ContentType
	if ct == "" {
		ct = "text/plain; charset=utf-8"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if f.RetryAfter != "" {
		h.Set("Retry-After", f.RetryAfter)
	}
	if f.Location != "" {
		h.Set("Location", f.Location)
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// recorder keeps the answer of the wrapped handler.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(p)
}

// Flush is a no-op, so that handlers that flush can be recorded.
func (r *recorder) Flush() {}

// record serves r with next, reading any body the handler left, and keeps
// the answer.
func record(next http.Handler, r *http.Request) *recorder {
	rec := &recorder{header: http.Header{}}
	next.ServeHTTP(rec, r)
	_, _ = io.Copy(io.Discard, r.Body)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec
}

// partial renders the status line, the headers with the full length, and
// the first n bytes of the body (half of it when n <= 0).
func (r *recorder) partial(n int) []byte {
	body := r.body.Bytes()
	if n <= 0 {
		n = len(body) / 2
	}
	n = min(n, max(len(body)-1, 0))
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", r.status, http.StatusText(r.status))
	h := r.header.Clone()
	h.Del("Transfer-Encoding")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Connection", "close")
	_ = h.Write(&b)
	b.WriteString("\r\n")
	b.Write(body[:n])
	return b.Bytes()
}

// breakConn hijacks the connection, writes raw (if any) and then resets
// it (TCP RST) or closes it in order.
func breakConn(w http.ResponseWriter, raw []byte, reset bool) {
	rc := http.NewResponseController(w)
	conn, buf, err := rc.Hijack()
	if err != nil {
		panic(fmt.Sprintf("faults: the connection cannot be hijacked (HTTP/2?): %v", err))
	}
	defer conn.Close()
	if len(raw) > 0 {
		_, _ = buf.Write(raw)
		_ = buf.Flush()
	}
	if reset {
		abort(conn)
	}
}

// abort makes the coming Close send a TCP RST rather than a FIN.
func abort(conn net.Conn) {
	if tc, ok := conn.(interface{ SetLinger(int) error }); ok {
		_ = tc.SetLinger(0)
	}
}
