// Package httpx is the HTTP layer under the generated clients: per-attempt
// signing, retries of safe operations, refusal of cross-host redirects, a
// default timeout, response size caps and request logging.
package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/invitekit/invitekit/internal/redact"
)

// Defaults used when a Config leaves a field zero.
const (
	DefaultTimeout          = 60 * time.Second
	DefaultMaxResponseBytes = 4 << 20
	DefaultMaxAttempts      = 3
	DefaultBaseDelay        = 250 * time.Millisecond
	DefaultMaxDelay         = 10 * time.Second
	DefaultMaxRetryAfter    = 60 * time.Second
)

// Editor changes a request before it is sent. It has the shape of the
// generated clients' RequestEditorFn.
type Editor func(ctx context.Context, req *http.Request) error

// Config configures a Doer. The zero value is usable.
type Config struct {
	// Transport sends the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	// Timeout bounds a whole call, all attempts and the body read included.
	// A streamed call (WithStreaming) is bounded by it until its answer
	// arrives; reading the streamed body then has an idle limit of the same
	// length instead: a read fails only when no bytes arrive for that long,
	// however long the whole stream takes. Zero means DefaultTimeout;
	// negative means none.
	Timeout time.Duration
	// MaxResponseBytes is what ReadBody callers should cap bodies at. Zero
	// means DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// Logger receives one record per attempt; nil logs nothing.
	Logger *slog.Logger
	// Final editors run last, on every attempt, after every other editor:
	// request signing and authentication belong here.
	Final []Editor
	// Retry says when and how often safe operations are retried.
	Retry RetryPolicy
	// Now and Sleep replace the clock in tests; nil means real time.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// AfterFunc runs f once d has passed, unless the returned stop is
	// called first (which reports whether it stopped f from running). It
	// times streamed calls (see Timeout); nil means time.AfterFunc. Tests
	// replace it to run the timers by hand.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
	// Recorder, when set, wraps Transport, so that it sees every attempt
	// as sent (signed, authenticated) and as answered. It must hand the
	// request and the answer on unchanged.
	Recorder Recorder
}

// Recorder observes the exchanges of a Doer (Config.Recorder). Wrap returns
// a transport that sends through next and passes on exactly what next
// returns; the operation of a request is OperationFrom(req.Context()).
type Recorder interface {
	Wrap(next http.RoundTripper) http.RoundTripper
}

// RetryPolicy bounds retries. Only operations tagged safe with
// WithOperation are ever retried.
type RetryPolicy struct {
	// MaxAttempts counts the first try; zero means DefaultMaxAttempts, 1
	// disables retries.
	MaxAttempts int
	// BaseDelay and MaxDelay shape the capped full-jitter backoff.
	BaseDelay, MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After honoured; a longer one ends
	// the retries and the rate-limited response is returned.
	MaxRetryAfter time.Duration
	// Jitter returns a number in [0,1); nil means math/rand/v2.
	Jitter func() float64
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if p.Jitter == nil {
		p.Jitter = rand.Float64
	}
	return p
}

// Doer sends requests for a generated client (it satisfies their
// HttpRequestDoer interface).
type Doer struct {
	client  *http.Client
	cfg     Config
	retry   RetryPolicy
	timeout time.Duration
}

// New returns a Doer for cfg.
func New(cfg Config) *Doer {
	rt := cfg.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	if cfg.Recorder != nil {
		rt = cfg.Recorder.Wrap(rt)
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = Sleep
	}
	if cfg.AfterFunc == nil {
		cfg.AfterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	return &Doer{
		client:  &http.Client{Transport: rt, CheckRedirect: sameHostOnly},
		cfg:     cfg,
		retry:   cfg.Retry.withDefaults(),
		timeout: timeout,
	}
}

// Now reads the Doer's clock (Config.Now).
func (d *Doer) Now() time.Time { return d.cfg.Now() }

// MaxResponseBytes is the body cap callers pass to ReadBody.
func (d *Doer) MaxResponseBytes() int64 { return d.cfg.MaxResponseBytes }

// Sleep waits for d, or until ctx ends (then it returns ctx.Err()). A
// context that has already ended returns at once, even for d <= 0.
func Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RedirectError reports a redirect to another host, which is never followed:
// nothing of the request reaches that host.
type RedirectError struct {
	From, To string // hosts
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("refused redirect from %s to another host (%s)", e.From, e.To)
}

func sameHostOnly(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if first := via[0].URL; req.URL.Host != first.Host || req.URL.Scheme != first.Scheme {
		return &RedirectError{From: first.Host, To: req.URL.Host}
	}
	return nil
}

type opKey struct{}

// Operation names a call for retries and logs.
type Operation struct {
	ID   string
	Safe bool
	// Stream leaves the answer of a safe call unread, for the caller to
	// stream; only the request is retried, not a failed read of the body.
	// Reading the body has an idle limit instead of the call timeout (see
	// Config.Timeout).
	Stream bool
}

// WithOperation tags ctx with the operation a request is for. Only
// operations tagged safe are retried.
func WithOperation(ctx context.Context, id string, safe bool) context.Context {
	return context.WithValue(ctx, opKey{}, Operation{ID: id, Safe: safe})
}

// WithStreaming marks the operation ctx is tagged with as streamed: its
// answer is handed over unread and uncapped (see Operation.Stream).
func WithStreaming(ctx context.Context) context.Context {
	op, _ := OperationFrom(ctx)
	op.Stream = true
	return context.WithValue(ctx, opKey{}, op)
}

// OperationFrom returns the operation ctx is tagged with.
func OperationFrom(ctx context.Context) (Operation, bool) {
	op, ok := ctx.Value(opKey{}).(Operation)
	return op, ok
}

// ErrOutcomeUnknown marks a failure after an unsafe request may have reached
// the server: it may or may not have taken effect.
var ErrOutcomeUnknown = errors.New("outcome unknown: the request may have been processed")

// OutcomeUnknownError wraps the transport error of an unsafe request that
// was sent but not answered. It matches ErrOutcomeUnknown with errors.Is.
type OutcomeUnknownError struct {
	Operation string
	Err       error
}

func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("%s: %v (%v)", e.Operation, ErrOutcomeUnknown, e.Err)
}

// Unwrap returns the transport error and ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.Err} }

// IdleError ends the read of a streamed answer that sent no bytes for
// Limit. It matches context.DeadlineExceeded with errors.Is.
type IdleError struct {
	Operation string
	Limit     time.Duration
}

func (e *IdleError) Error() string {
	return fmt.Sprintf("%s: no data received for %v (idle limit of a streamed answer)", e.Operation, e.Limit)
}

// Unwrap returns context.DeadlineExceeded.
func (e *IdleError) Unwrap() error { return context.DeadlineExceeded }

// callTimeoutError is the cause given to a streamed call's context when
// its answer did not arrive within the timeout.
type callTimeoutError struct{ limit time.Duration }

func (e callTimeoutError) Error() string {
	return fmt.Sprintf("no answer within %v: %v", e.limit, context.DeadlineExceeded)
}

func (e callTimeoutError) Unwrap() error { return context.DeadlineExceeded }

// Do sends req, retrying safe operations, and applies the Final editors to
// every attempt.
func (d *Doer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	op, _ := OperationFrom(ctx)
	if op.ID == "" {
		op.ID = req.Method + " " + req.URL.Path
	}
	var (
		cancel    context.CancelFunc = func() {}
		stream    *streamTimer       // timing of a streamed call, or nil
		callLimit time.Time          // a streamed call's deadline for its answer
	)
	if d.timeout > 0 && op.Stream {
		// The deadline must not outlive the answer's arrival, so it is a
		// timer cancelling the context rather than a context deadline.
		var cancelCause context.CancelCauseFunc
		ctx, cancelCause = context.WithCancelCause(ctx)
		stream = &streamTimer{cancel: cancelCause, afterFunc: d.cfg.AfterFunc, limit: d.timeout, op: op.ID}
		callLimit = d.cfg.Now().Add(d.timeout)
		stopCall := d.cfg.AfterFunc(d.timeout, func() { cancelCause(callTimeoutError{d.timeout}) })
		stream.stopCall = stopCall
		cancel = func() { stopCall(); cancelCause(context.Canceled) }
	} else if d.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, d.timeout)
	}
	body, err := bodyBytes(req)
	if err != nil {
		cancel()
		return nil, err
	}
	attempts := 1
	if op.Safe {
		attempts = d.retry.MaxAttempts
	}
	for attempt := 1; ; attempt++ {
		resp, wrote, err := d.once(ctx, req, body, op, attempt)
		if err == nil && op.Safe && !op.Stream && resp.StatusCode < 300 {
			// Read a safe call's answer within the attempt, so that a
			// connection lost mid-body is retried like any other.
			if err = d.buffer(resp); err != nil {
				resp = nil
			}
		}
		if err != nil && ctx.Err() != nil {
			if cause := context.Cause(ctx); cause != ctx.Err() && !errors.Is(err, cause) {
				err = fmt.Errorf("%w (%v)", cause, err)
			}
		}
		last := attempt >= attempts || !retryable(resp, err) || ctx.Err() != nil
		var wait time.Duration
		if !last {
			var ok bool
			wait, ok = d.backoff(ctx, callLimit, attempt, resp)
			last = !ok
		}
		if last {
			if err != nil {
				cancel()
				if !op.Safe && wrote {
					return nil, &OutcomeUnknownError{Operation: op.ID, Err: err}
				}
				return nil, err
			}
			if stream != nil {
				// The answer is here: from now on only silence ends the call.
				stream.stopCall()
				if ctx.Err() != nil { // the timer fired as the answer came
					cancel()
					drain(resp)
					return nil, context.Cause(ctx)
				}
			}
			resp.Body = &answerBody{ReadCloser: resp.Body, cancel: cancel, op: op, idle: stream}
			return resp, nil
		}
		if resp != nil {
			drain(resp)
		}
		if err := d.cfg.Sleep(ctx, wait); err != nil {
			cancel()
			return nil, err
		}
	}
}

// buffer reads resp's body into memory under the size cap and puts it back
// as a reader over those bytes.
func (d *Doer) buffer(resp *http.Response) error {
	b, err := ReadBody(resp, d.cfg.MaxResponseBytes)
	if err != nil {
		return err
	}
	resp.Body = &memBody{b: b}
	return nil
}

// once sends one attempt; wrote reports whether the request was written.
func (d *Doer) once(ctx context.Context, orig *http.Request, body []byte, op Operation, attempt int) (*http.Response, bool, error) {
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) }}
	req := orig.Clone(httptrace.WithClientTrace(ctx, trace))
	if body != nil {
		req.Body = &memBody{b: body}
		req.GetBody = func() (io.ReadCloser, error) { return &memBody{b: body}, nil }
		req.ContentLength = int64(len(body))
	}
	for _, edit := range d.cfg.Final {
		if err := edit(ctx, req); err != nil {
			return nil, false, err
		}
	}
	start := d.cfg.Now()
	resp, err := d.client.Do(req)
	if d.cfg.Logger != nil {
		attrs := []any{
			slog.String("operation", op.ID),
			slog.Int("attempt", attempt),
			slog.Duration("duration", d.cfg.Now().Sub(start)),
		}
		if resp != nil {
			attrs = append(attrs, slog.Int("status", resp.StatusCode))
		}
		if err != nil {
			attrs = append(attrs, slog.String("error", err.Error()))
		}
		d.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "http request", toAttrs(attrs)...)
	}
	return resp, wrote.Load(), err
}

func toAttrs(v []any) []slog.Attr {
	out := make([]slog.Attr, 0, len(v))
	for _, a := range v {
		out = append(out, a.(slog.Attr))
	}
	return out
}

func bodyBytes(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	b, err := readAll(req.Body, req.ContentLength)
	_ = req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	return b, nil
}

// readAll is io.ReadAll starting with room for sizeHint bytes (and the
// read that finds the end), so a body of known length is read into a
// single allocation.
func readAll(r io.Reader, sizeHint int64) ([]byte, error) {
	if sizeHint <= 0 || sizeHint > DefaultMaxResponseBytes {
		sizeHint = 512
	}
	b := make([]byte, 0, sizeHint+1)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // let append pick the next size
		}
	}
}

// memBody is a request body held in memory. Besides being read, it gives
// request editors the bytes a read would return (Bytes), so a signer can
// hash the body without consuming or copying it.
type memBody struct {
	b   []byte
	off int
}

func (m *memBody) Read(p []byte) (int, error) {
	if m.off >= len(m.b) {
		return 0, io.EOF
	}
	n := copy(p, m.b[m.off:])
	m.off += n
	return n, nil
}

// WriteTo lets io.Copy hand the bytes over without a buffer.
func (m *memBody) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(m.b[m.off:])
	m.off += n
	return int64(n), err
}

// Bytes returns what is left to read, without consuming it.
func (m *memBody) Bytes() []byte { return m.b[m.off:] }

func (m *memBody) Close() error { return nil }

// finalError is an error that another attempt cannot cure.
type finalError struct{ err error }

func (e *finalError) Error() string { return e.err.Error() }
func (e *finalError) Unwrap() error { return e.err }

// Final marks err, returned by an editor, as one that another attempt
// cannot cure (credentials that were refused, say): the call ends with it
// at once instead of retrying. errors.Is and errors.As see through it.
func Final(err error) error {
	if err == nil {
		return nil
	}
	return &finalError{err: err}
}

// retryable reports whether a safe operation should be tried again.
func retryable(resp *http.Response, err error) bool {
	if err != nil {
		var re *RedirectError
		var tl *TooLargeError
		var fe *finalError
		return !errors.As(err, &re) && !errors.As(err, &tl) && !errors.As(err, &fe) &&
			!errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff returns how long to wait before the next attempt, and false when
// waiting would pass the context's deadline (or limit, if not zero) or a
// Retry-After is too long.
func (d *Doer) backoff(ctx context.Context, limit time.Time, attempt int, resp *http.Response) (time.Duration, bool) {
	p := d.retry
	ceiling := p.BaseDelay << (attempt - 1)
	if ceiling > p.MaxDelay || ceiling <= 0 {
		ceiling = p.MaxDelay
	}
	wait := time.Duration(p.Jitter() * float64(ceiling))
	if resp != nil {
		if ra, ok := RetryAfter(resp.Header, d.cfg.Now()); ok {
			if ra > p.MaxRetryAfter {
				return 0, false
			}
			wait = ra
		}
	}
	if dl, ok := ctx.Deadline(); ok && d.cfg.Now().Add(wait).After(dl) {
		return 0, false
	}
	if !limit.IsZero() && d.cfg.Now().Add(wait).After(limit) {
		return 0, false
	}
	return wait, true
}

// MaxRetryAfterValue is what RetryAfter reports for a delay too long to
// represent (about 292 years): a server asking for that long is still
// asking to wait, so the delay is kept, saturated, rather than dropped.
const MaxRetryAfterValue = time.Duration(1<<63 - 1)

// RetryAfter parses a Retry-After header given in seconds or as an HTTP
// date. A date in the past gives zero; a delay too long for a Duration gives
// MaxRetryAfterValue.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if allDigits(v) {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > int64(MaxRetryAfterValue/time.Second) {
			return MaxRetryAfterValue, true // only a range error is possible
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

// allDigits reports whether v is a non-empty run of ASCII digits, the
// delay-seconds form of Retry-After.
func allDigits(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return v != ""
}

func drain(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
	_ = resp.Body.Close()
}

// answerBody is the body handed to the caller: closing it releases the
// call's timeout, and a read that fails (other than at the end) after an
// unsafe request is reported as an unknown outcome, since the server may
// have acted on the request whatever status it began to answer with.
type answerBody struct {
	io.ReadCloser
	cancel context.CancelFunc
	op     Operation
	idle   *streamTimer // not nil: each read has an idle limit
}

// streamTimer times a streamed call: stopCall stops the timer of the
// whole call once the answer has arrived, and each read of the body then
// runs under a timer of limit that cancels the call when it fires.
type streamTimer struct {
	cancel    context.CancelCauseFunc
	afterFunc func(time.Duration, func()) func() bool
	stopCall  func() bool
	limit     time.Duration
	op        string
	fired     atomic.Bool
}

func (b *answerBody) Read(p []byte) (int, error) {
	var n int
	var err error
	if b.idle != nil {
		n, err = b.idle.read(b.ReadCloser, p)
	} else {
		n, err = b.ReadCloser.Read(p)
	}
	if err != nil && err != io.EOF && !b.op.Safe {
		err = &OutcomeUnknownError{Operation: b.op.ID, Err: err}
	}
	return n, err
}

// read reads from r under the idle limit: the timer runs only while a read
// waits, so a consumer that is slow to ask for more is never cut off.
func (t *streamTimer) read(r io.Reader, p []byte) (int, error) {
	if t.fired.Load() {
		return 0, &IdleError{Operation: t.op, Limit: t.limit}
	}
	stop := t.afterFunc(t.limit, func() {
		t.fired.Store(true)
		t.cancel(&IdleError{Operation: t.op, Limit: t.limit})
	})
	n, err := r.Read(p)
	if !stop() && t.fired.Load() && err != nil && err != io.EOF {
		err = &IdleError{Operation: t.op, Limit: t.limit}
	}
	return n, err
}

func (b *answerBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// TooLargeError reports a response body over the cap.
type TooLargeError struct {
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("response body exceeds the %d-byte limit", e.Limit)
}

// ReadBody reads and closes resp.Body, failing with *TooLargeError past limit
// bytes (limit <= 0 means DefaultMaxResponseBytes).
func ReadBody(resp *http.Response, limit int64) ([]byte, error) {
	defer resp.Body.Close()
	if limit <= 0 {
		limit = DefaultMaxResponseBytes
	}
	b, err := readAll(io.LimitReader(resp.Body, limit+1), min(resp.ContentLength, limit))
	if err != nil {
		return nil, fmt.Errorf("read response body: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Limit: limit}
	}
	return b, nil
}

// Excerpt returns the start of b as text for an error message: at most n
// bytes of valid UTF-8 (cut on a character boundary) with control characters
// replaced by spaces, and "..." appended when b was longer.
func Excerpt(b []byte, n int) string {
	s := strings.ToValidUTF8(strings.TrimSpace(string(b)), "?")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// Scrub removes from s the credentials that req carried (its authorization
// headers, in every form a server may echo them: see redact.Scrubber) and
// any of the given secrets, so that an error page echoing the request cannot
// carry them into an error message. Text containing a secret too short to
// cut out is replaced whole by redact.Withheld.
func Scrub(s string, req *http.Request, secrets ...string) string {
	var sc redact.Scrubber
	sc.AddRequest(req)
	sc.Add(secrets...)
	return sc.Scrub(s)
}
