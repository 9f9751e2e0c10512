package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/invitekit/invitekit/gen/ivvy/notify"
)

func init() {
	add(command{Group: "ivvy", Name: "listen", Summary: "receive iVvy notifications, verify each and print it as a JSON line",
		Usage:       "--addr ADDR [--cert-file PEM] [--confirm] [--topic ARN]...",
		Description: "Serves the notification receiver: every Amazon SNS message is verified (signature, certificate\nhost and chain, age, topic) before it is printed as one JSON line on stdout. Refused messages\nare one line on stderr with the reason, never their body. Ctrl-C stops it.",
		Example:     "invitekit ivvy listen --addr :8080 --topic arn:aws:sns:ap-southeast-2:123456789012:ivvy",
		Run:         runIvvyListen})
}

// listening, when set (by tests), learns the address the listener is bound to.
var listening func(addr string)

// listenOptions, when set (by tests), adds receiver options.
var listenOptions []notify.Option

// topicList is a repeatable --topic flag.
type topicList []string

func (t *topicList) String() string { return strings.Join(*t, ",") }

func (t *topicList) Set(v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return errors.New("empty topic ARN")
	}
	*t = append(*t, v)
	return nil
}

// listenLine is what ivvy listen prints for a verified notification.
type listenLine struct {
	Type      string `json:"type"`
	Subject   string `json:"subject,omitempty"`
	Account   string `json:"account,omitempty"`
	Time      string `json:"time"`
	Topic     string `json:"topic"`
	MessageID string `json:"messageId"`
	TxnID     string `json:"txnId,omitempty"`
	// Known is false when body is the raw JSON of a subject that is not
	// documented, or of a body that did not match its subject's type.
	Known        bool   `json:"known"`
	Body         any    `json:"body,omitempty"`
	Message      string `json:"message,omitempty"`
	SubscribeURL string `json:"subscribeURL,omitempty"`
	Confirmed    bool   `json:"confirmed,omitempty"`
}

func runIvvyListen(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ivvy listen")
	addr := fs.String("addr", "", "address to listen on, e.g. :8080 (required)")
	certFile := fs.String("cert-file", "", "PEM of the SNS signing certificate to trust instead of fetching it")
	confirm := fs.Bool("confirm", false, "confirm subscriptions by visiting their SubscribeURL (https on sns.<region>.amazonaws.com only)")
	maxAge := fs.Duration("max-age", notify.DefaultMaxAge, "refuse messages whose timestamp is further than this from now")
	var topics topicList
	fs.Var(&topics, "topic", "accept only this SNS topic ARN (repeatable; default: any topic)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *addr == "" {
		return usageError("ivvy listen: --addr is required")
	}
	var out sync.Mutex // one line at a time on each stream
	opts := []notify.Option{
		notify.WithAutoConfirm(*confirm),
		notify.WithRefusalFunc(func(r notify.Refusal) {
			out.Lock()
			defer out.Unlock()
			what := "message"
			if r.Type != "" {
				what = r.Type
			}
			if r.MessageID != "" {
				what += " " + r.MessageID
			}
			diag(e.Stderr, "refused %s (HTTP %d): %v", what, r.Status, r.Err)
		}),
	}
	if *maxAge <= 0 {
		return usageError("ivvy listen: --max-age must be positive")
	}
	opts = append(opts, notify.WithMaxAge(*maxAge))
	if len(topics) > 0 {
		opts = append(opts, notify.WithTopics(topics...))
	}
	if *certFile != "" {
		pem, err := os.ReadFile(*certFile)
		if err != nil {
			return usageError("ivvy listen: --cert-file: %v", err)
		}
		opts = append(opts, notify.WithCertificatePEM(pem))
	}
	opts = append(opts, listenOptions...)
	emit := func(l listenLine) error {
		b, err := json.Marshal(l)
		if err != nil {
			return err
		}
		out.Lock()
		defer out.Unlock()
		_, err = fmt.Fprintf(e.Stdout, "%s\n", b)
		return err
	}
	h := notify.Funcs{
		OnNotification: func(_ context.Context, n *notify.Notification) error {
			l := listenLine{Type: notify.TypeNotification, Subject: n.Subject, Account: n.Message.AccountID,
				Time: n.Time.UTC().Format(time.RFC3339Nano), Topic: n.TopicArn, MessageID: n.MessageID,
				TxnID: n.Message.TxnID, Known: n.Known(), Body: n.Body}
			if n.Body == nil {
				l.Message = n.Raw
			}
			return emit(l)
		},
		OnConfirmation: func(_ context.Context, c *notify.Confirmation) error {
			return emit(listenLine{Type: c.Type, Time: c.Time.UTC().Format(time.RFC3339Nano), Topic: c.TopicArn,
				MessageID: c.MessageID, Message: c.Message, SubscribeURL: c.SubscribeURL, Confirmed: c.Confirmed})
		},
	}
	rcv, err := notify.New(h, opts...)
	if err != nil {
		return usageError("ivvy listen: %v", err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           rcv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		ErrorLog:          log.New(&lockedWriter{mu: &out, w: e.Stderr}, "invitekit: ", 0),
	}
	if e.StderrIsTerminal {
		diag(e.Stderr, "listening on %s", ln.Addr())
	}
	if listening != nil {
		listening(ln.Addr().String())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	// Stopped (SIGINT, SIGTERM or --timeout): let requests in flight finish.
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		return ctx.Err()
	}
	return nil
}

// lockedWriter shares a stream's lock with the other writers of the stream.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.w.Write([]byte(escapeControls(strings.TrimRight(string(p), "\n")) + "\n"))
	return len(p), err
}
