package notify

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/invitekit/invitekit/gen/ivvy"
)

// Notification is a verified SNS Notification from iVvy.
type Notification struct {
	// MessageID is SNS's id of the message; a redelivery has the same one.
	MessageID string
	// TopicArn is the SNS topic that published it (one per iVvy endpoint).
	TopicArn string
	// Time is when SNS accepted the message.
	Time time.Time
	// Message is iVvy's inner message. Its Signature and
	// SigningPublicKeyPath are as sent: they are not verified (their scheme
	// is not documented); the SNS signature around them is.
	Message ivvy.NotificationMessage
	// Subject is Message.Subject, such as "ContactAdded".
	Subject string
	// Body is the decoded Body: a pointer to the generated type of a
	// documented subject (*ivvy.ContactAddedNotification), or, for a subject
	// that is not documented or a Body that does not decode into its type,
	// the Body as json.RawMessage. Nil when the SNS message is not an iVvy
	// message (see Raw).
	Body any
	// BodyErr says why a documented subject's Body was left raw, if it was.
	BodyErr error
	// Raw is the SNS Message exactly as it arrived.
	Raw string
}

// Known reports whether Body holds a documented subject's type.
func (n *Notification) Known() bool {
	if n.Body == nil {
		return false
	}
	_, raw := n.Body.(json.RawMessage)
	return !raw
}

// Confirmation is a verified SubscriptionConfirmation or
// UnsubscribeConfirmation.
type Confirmation struct {
	Type         string
	MessageID    string
	TopicArn     string
	Time         time.Time
	Message      string
	Token        string
	SubscribeURL string
	// Confirmed is true when the receiver has already confirmed the
	// subscription by visiting SubscribeURL (WithAutoConfirm).
	Confirmed bool
}

// Handler receives what a Receiver has verified. A nil error acknowledges
// the message (SNS gets 200); an error makes the receiver answer 500, so
// SNS delivers it again.
type Handler interface {
	HandleNotification(ctx context.Context, n *Notification) error
	HandleConfirmation(ctx context.Context, c *Confirmation) error
}

// Funcs adapts functions to a Handler. A nil OnConfirmation acknowledges
// confirmations without doing anything; a nil OnNotification acknowledges
// notifications likewise.
type Funcs struct {
	OnNotification func(ctx context.Context, n *Notification) error
	OnConfirmation func(ctx context.Context, c *Confirmation) error
}

// HandleNotification calls OnNotification.
func (f Funcs) HandleNotification(ctx context.Context, n *Notification) error {
	if f.OnNotification == nil {
		return nil
	}
	return f.OnNotification(ctx, n)
}

// HandleConfirmation calls OnConfirmation.
func (f Funcs) HandleConfirmation(ctx context.Context, c *Confirmation) error {
	if f.OnConfirmation == nil {
		return nil
	}
	return f.OnConfirmation(ctx, c)
}

// Refusal describes a message the receiver turned away. It never holds the
// message body.
type Refusal struct {
	Err       error  // matches one of the Err* values with errors.Is
	Status    int    // the HTTP status answered
	Type      string // the SNS Type, when it could be read
	MessageID string
	TopicArn  string
}

// Defaults.
const (
	DefaultMaxAge       = time.Hour
	DefaultMaxBodyBytes = 1 << 20
	DefaultDedupeWindow = 24 * time.Hour
	DefaultDedupeSize   = 10000
)

type config struct {
	maxAge      time.Duration
	maxBody     int64
	topics      map[string]bool
	now         func() time.Time
	pinnedPEM   []byte
	client      *http.Client
	roots       *x509.CertPool
	autoConfirm bool
	dedupeTTL   time.Duration
	dedupeSize  int
	onRefuse    func(Refusal)
}

// Option configures a Receiver.
type Option func(*config) error

// WithMaxAge sets how far a message's Timestamp may be from now, either way
// (default one hour).
func WithMaxAge(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("notify: WithMaxAge(%s): want a positive duration", d)
		}
		c.maxAge = d
		return nil
	}
}

// WithMaxBodyBytes caps the size of a POST body (default 1 MiB).
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("notify: WithMaxBodyBytes(%d): want a positive size", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithTopics accepts only messages from these topic ARNs. Without it any
// topic is accepted.
func WithTopics(arns ...string) Option {
	return func(c *config) error {
		if c.topics == nil {
			c.topics = map[string]bool{}
		}
		for _, a := range arns {
			if a == "" {
				return errors.New("notify: WithTopics: empty topic ARN")
			}
			c.topics[a] = true
		}
		return nil
	}
}

// WithClock replaces time.Now (for the timestamp window, the certificate
// validity and deduplication).
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("notify: WithClock(nil)")
		}
		c.now = now
		return nil
	}
}

// WithCertificatePEM pins the signing certificate: signatures are checked
// with the first certificate in pem, which is trusted as given, and no
// certificate is fetched. The SigningCertURL host rule still applies.
func WithCertificatePEM(pem []byte) Option {
	return func(c *config) error {
		c.pinnedPEM = pem
		return nil
	}
}

// WithHTTPClient sets the client that fetches signing certificates and
// visits SubscribeURL (default: a client with a 10 s timeout).
func WithHTTPClient(h *http.Client) Option {
	return func(c *config) error {
		if h == nil {
			return errors.New("notify: WithHTTPClient(nil)")
		}
		c.client = h
		return nil
	}
}

// WithRoots sets the roots a fetched certificate must chain to (default:
// the system roots).
func WithRoots(p *x509.CertPool) Option {
	return func(c *config) error {
		c.roots = p
		return nil
	}
}

// WithAutoConfirm makes the receiver confirm a SubscriptionConfirmation
// itself by fetching its SubscribeURL (https on sns.<region>.amazonaws.com
// only). Off by default: the confirmation goes to the handler.
func WithAutoConfirm(on bool) Option {
	return func(c *config) error {
		c.autoConfirm = on
		return nil
	}
}

// WithDedupe sets how long a MessageId is remembered and how many are
// remembered at most (defaults 24 h and 10000); the oldest are forgotten
// first.
func WithDedupe(window time.Duration, size int) Option {
	return func(c *config) error {
		if window <= 0 || size <= 0 {
			return fmt.Errorf("notify: WithDedupe(%s, %d): want a positive window and size", window, size)
		}
		c.dedupeTTL, c.dedupeSize = window, size
		return nil
	}
}

// WithRefusalFunc calls f for every message the receiver refuses, for
// logging. f must not block.
func WithRefusalFunc(f func(Refusal)) Option {
	return func(c *config) error {
		c.onRefuse = f
		return nil
	}
}

// Receiver is an http.Handler for the URL given to
// subscribeToNotifications. It verifies each SNS message before anything
// else and hands verified ones to its Handler.
type Receiver struct {
	h      Handler
	cfg    config
	certs  *certSource
	dedupe *dedupe
}

// New returns a Receiver that passes verified messages to h.
func New(h Handler, opts ...Option) (*Receiver, error) {
	if h == nil {
		return nil, errors.New("notify: New: nil Handler")
	}
	cfg := config{
		maxAge:     DefaultMaxAge,
		maxBody:    DefaultMaxBodyBytes,
		now:        time.Now,
		client:     &http.Client{Timeout: 10 * time.Second},
		dedupeTTL:  DefaultDedupeWindow,
		dedupeSize: DefaultDedupeSize,
	}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	cs := &certSource{client: cfg.client, roots: cfg.roots, now: cfg.now, cache: map[string]*x509.Certificate{}}
	if cfg.pinnedPEM != nil {
		c, err := ParseCertificatePEM(cfg.pinnedPEM)
		if err != nil {
			return nil, fmt.Errorf("notify: WithCertificatePEM: %w", err)
		}
		cs.pinned = c
	}
	return &Receiver{h: h, cfg: cfg, certs: cs, dedupe: newDedupe(cfg.dedupeTTL, cfg.dedupeSize)}, nil
}

// statusOf maps a refusal to the HTTP status answered.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrCertFetch):
		return http.StatusServiceUnavailable // SNS tries again
	case errors.Is(err, ErrTopicNotAllowed), errors.Is(err, ErrCertURL),
		errors.Is(err, ErrCertificate), errors.Is(err, ErrBadSignature):
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}

// ServeHTTP verifies the POSTed SNS message and hands it on.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if ct := req.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "text/plain" && mt != "application/json") {
			r.refuse(w, nil, fmt.Errorf("%w: Content-Type %q (want text/plain or application/json)", ErrMalformed, clip(ct)))
			return
		}
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, r.cfg.maxBody+1))
	if err != nil {
		r.refuse(w, nil, fmt.Errorf("%w: reading the body: %v", ErrMalformed, err))
		return
	}
	if int64(len(body)) > r.cfg.maxBody {
		r.refuse(w, nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, r.cfg.maxBody))
		return
	}
	env, err := r.Verify(req.Context(), body)
	if err != nil {
		r.refuse(w, env, err)
		return
	}
	ctx := req.Context()
	switch env.Type {
	case TypeNotification:
		r.deliver(ctx, w, env)
	default:
		r.confirm(ctx, w, env)
	}
}

// Verify parses body as an SNS envelope and checks it: known type,
// timestamp within the window, topic allowed, certificate URL, certificate
// and signature, in that order, so that no certificate is fetched for a
// message refused by the cheaper checks. The envelope is returned with the
// error when it could be parsed.
func (r *Receiver) Verify(ctx context.Context, body []byte) (*Envelope, error) {
	env, err := ParseEnvelope(body)
	if err != nil {
		return nil, err
	}
	ts, err := env.Time()
	if err != nil {
		return env, err
	}
	now := r.cfg.now()
	if d := now.Sub(ts); d > r.cfg.maxAge || -d > r.cfg.maxAge {
		return env, fmt.Errorf("%w: Timestamp %s is %s from now (at most %s)", ErrStale, ts.UTC().Format(time.RFC3339), d.Round(time.Second), r.cfg.maxAge)
	}
	if r.cfg.topics != nil && !r.cfg.topics[env.TopicArn] {
		return env, fmt.Errorf("%w: %q", ErrTopicNotAllowed, clip(env.TopicArn))
	}
	if err := CheckSNSURL(env.SigningCertURL); err != nil {
		return env, err
	}
	cert, err := r.certs.get(ctx, env.SigningCertURL)
	if err != nil {
		return env, err
	}
	if err := verifySignature(env, cert); err != nil {
		return env, err
	}
	return env, nil
}

func (r *Receiver) refuse(w http.ResponseWriter, env *Envelope, err error) {
	status := statusOf(err)
	if r.cfg.onRefuse != nil {
		rf := Refusal{Err: err, Status: status}
		if env != nil {
			rf.Type, rf.MessageID, rf.TopicArn = env.Type, env.MessageID, env.TopicArn
		}
		r.cfg.onRefuse(rf)
	}
	http.Error(w, err.Error(), status)
}

func (r *Receiver) deliver(ctx context.Context, w http.ResponseWriter, env *Envelope) {
	now := r.cfg.now()
	switch r.dedupe.begin(env.MessageID, now) {
	case seenDone:
		w.WriteHeader(http.StatusOK) // already handled: acknowledge the redelivery
		return
	case seenBusy:
		http.Error(w, "the same message is being handled", http.StatusServiceUnavailable)
		return
	}
	n := decodeNotification(env)
	if err := r.h.HandleNotification(ctx, n); err != nil {
		r.dedupe.abort(env.MessageID)
		http.Error(w, "handler failed", http.StatusInternalServerError)
		return
	}
	r.dedupe.finish(env.MessageID, r.cfg.now())
	w.WriteHeader(http.StatusOK)
}

// decodeNotification reads iVvy's message out of a verified envelope. It
// never drops a message: what does not decode is passed on raw.
func decodeNotification(env *Envelope) *Notification {
	ts, _ := env.Time()
	n := &Notification{MessageID: env.MessageID, TopicArn: env.TopicArn, Time: ts, Raw: env.Message}
	if err := json.Unmarshal([]byte(env.Message), &n.Message); err != nil {
		n.BodyErr = fmt.Errorf("notify: the SNS Message is not an iVvy message: %w", err)
		return n
	}
	n.Subject = n.Message.Subject
	raw := json.RawMessage(n.Message.Body)
	if !json.Valid(raw) {
		n.Body = raw
		n.BodyErr = fmt.Errorf("notify: the Body of %q is not JSON", clip(n.Subject))
		return n
	}
	v, ok := NewBody(n.Subject)
	if !ok {
		n.Body = raw
		return n
	}
	if err := json.Unmarshal(raw, v); err != nil {
		n.Body = raw
		n.BodyErr = fmt.Errorf("notify: the Body of %s does not match its type: %w", n.Subject, err)
		return n
	}
	n.Body = v
	return n
}

func (r *Receiver) confirm(ctx context.Context, w http.ResponseWriter, env *Envelope) {
	ts, _ := env.Time()
	c := &Confirmation{Type: env.Type, MessageID: env.MessageID, TopicArn: env.TopicArn, Time: ts,
		Message: env.Message, Token: env.Token, SubscribeURL: env.SubscribeURL}
	if env.Type == TypeSubscriptionConfirmation && r.cfg.autoConfirm {
		if err := r.visit(ctx, env.SubscribeURL); err != nil {
			r.refuse(w, env, err)
			return
		}
		c.Confirmed = true
	}
	if err := r.h.HandleConfirmation(ctx, c); err != nil {
		http.Error(w, "handler failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// visit confirms a subscription by fetching its SubscribeURL.
func (r *Receiver) visit(ctx context.Context, raw string) error {
	if err := CheckSNSURL(raw); err != nil {
		return fmt.Errorf("SubscribeURL: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return fmt.Errorf("%w: SubscribeURL: %v", ErrCertURL, err)
	}
	resp, err := r.cfg.client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: confirming the subscription: %v", ErrCertFetch, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: confirming the subscription: SNS answered %d", ErrCertFetch, resp.StatusCode)
	}
	return nil
}
