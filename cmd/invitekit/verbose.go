package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// attemptHandler turns the libraries' per-attempt log records into one
// stderr line each (--verbose):
//
//	invitekit: http getEventList 200 in 12ms (attempt 1)
//
// The records carry the operation, attempt, duration and status or error,
// never headers or bodies, so no secret reaches the line.
type attemptHandler struct {
	mu    *sync.Mutex
	w     io.Writer
	attrs []slog.Attr
}

func newAttemptHandler(w io.Writer) *attemptHandler {
	return &attemptHandler{mu: new(sync.Mutex), w: w}
}

func (h *attemptHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *attemptHandler) Handle(_ context.Context, r slog.Record) error {
	var (
		op, status, errText string
		attempt             int64
		dur                 time.Duration
	)
	visit := func(a slog.Attr) bool {
		switch a.Key {
		case "operation":
			op = a.Value.String()
		case "attempt":
			attempt = a.Value.Int64()
		case "duration":
			dur = a.Value.Duration()
		case "status":
			status = a.Value.String()
		case "error":
			errText = a.Value.String()
		}
		return true
	}
	for _, a := range h.attrs {
		visit(a)
	}
	r.Attrs(visit)
	if op == "" {
		op = r.Message
	}
	var line strings.Builder
	fmt.Fprintf(&line, "http %s ", op)
	switch {
	case status != "":
		line.WriteString(status)
	case strings.Contains(errText, errDryRun.Error()):
		line.WriteString("not sent (dry run)")
	case errText != "":
		fmt.Fprintf(&line, "failed (%s)", errText)
	default:
		line.WriteString("done")
	}
	fmt.Fprintf(&line, " in %s (attempt %d)", dur.Round(time.Millisecond), attempt)
	h.mu.Lock()
	defer h.mu.Unlock()
	diag(h.w, "%s", line.String())
	return nil
}

func (h *attemptHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &attemptHandler{mu: h.mu, w: h.w, attrs: append(append([]slog.Attr{}, h.attrs...), as...)}
}

func (h *attemptHandler) WithGroup(string) slog.Handler { return h }
