package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/invitekit/invitekit/gen/alida"
	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/record"
	"github.com/invitekit/invitekit/specguard"
)

// apiHooks are the global flags that watch the API commands' exchanges:
// --record DIR (save each exchange as a scrubbed fixture file),
// --record-mask-pii (mask names, e-mail addresses and phone numbers in
// them) and --check-spec (validate each answer against the spec and report
// drift on stderr; the exit status does not change).
type apiHooks struct {
	recordDir string
	maskPII   bool
	checkSpec bool

	rec   *record.Recorder
	guard *specguard.Guard
	err   error
}

// parse takes one of the hooks' flags; it returns how many of the
// following arguments it used.
func (h *apiHooks) parse(name, value string, hasValue bool, rest []string) (int, error) {
	boolean := func(p *bool) error {
		*p = true
		if hasValue {
			b, err := strconv.ParseBool(value)
			if err != nil {
				return usageError("--%s=%q: want true or false", name, value)
			}
			*p = b
		}
		return nil
	}
	switch name {
	case "record":
		if !hasValue {
			if len(rest) == 0 {
				return 0, usageError("--record needs a directory")
			}
			h.recordDir = rest[0]
			return 1, nil
		}
		if value == "" {
			return 0, usageError("--record needs a directory")
		}
		h.recordDir = value
	case "record-mask-pii":
		return 0, boolean(&h.maskPII)
	case "check-spec":
		return 0, boolean(&h.checkSpec)
	}
	return 0, nil
}

// check refuses flags that make no sense together.
func (h *apiHooks) check() error {
	if h.maskPII && h.recordDir == "" {
		return usageError("--record-mask-pii needs --record DIR")
	}
	return nil
}

// setup makes the recorder and the guard the flags ask for, once.
func (h *apiHooks) setup(e *env) error {
	if h == nil || h.err != nil || h.rec != nil || h.guard != nil {
		if h != nil {
			return h.err
		}
		return nil
	}
	if h.recordDir != "" {
		h.rec, h.err = record.New(h.recordDir, record.MaskPII(h.maskPII))
		if h.err != nil {
			return h.err
		}
	}
	if h.checkSpec {
		logger := slog.New(slog.NewTextHandler(&diagWriter{w: e.Stderr}, &slog.HandlerOptions{Level: slog.LevelWarn}))
		h.guard, h.err = specguard.New(specguard.WithLogger(logger))
	}
	return h.err
}

// transport is the guard's transport, or nil.
func (h *apiHooks) transport() http.RoundTripper {
	if h.guard == nil {
		return nil
	}
	return h.guard.Wrap(nil)
}

func (h *apiHooks) ivvy(e *env) ([]ivvy.Option, error) {
	if err := h.setup(e); err != nil || h == nil {
		return nil, err
	}
	var opts []ivvy.Option
	if rt := h.transport(); rt != nil {
		opts = append(opts, ivvy.WithTransport(rt))
	}
	if h.rec != nil {
		opts = append(opts, ivvy.WithRecorder(h.rec))
	}
	return opts, nil
}

func (h *apiHooks) alida(e *env) ([]alida.Option, error) {
	if err := h.setup(e); err != nil || h == nil {
		return nil, err
	}
	var opts []alida.Option
	if rt := h.transport(); rt != nil {
		opts = append(opts, alida.WithTransport(rt))
	}
	if h.rec != nil {
		opts = append(opts, alida.WithRecorder(h.rec))
	}
	return opts, nil
}

func (h *apiHooks) invitario(e *env) ([]invitario.Option, error) {
	if err := h.setup(e); err != nil || h == nil {
		return nil, err
	}
	var opts []invitario.Option
	if rt := h.transport(); rt != nil {
		opts = append(opts, invitario.WithTransport(rt))
	}
	if h.rec != nil {
		opts = append(opts, invitario.WithRecorder(h.rec))
	}
	return opts, nil
}

// finish reports what the hooks did, on stderr.
func (h *apiHooks) finish(e *env) {
	if h == nil {
		return
	}
	if h.rec != nil {
		diag(e.Stderr, "recorded %d exchange(s) under %s", len(h.rec.Files()), h.recordDir)
		if n := h.rec.Skipped(); n > 0 {
			diag(e.Stderr, "%d exchange(s) not recorded: their answers were not read to the end", n)
		}
		if err := h.rec.Err(); err != nil {
			diag(e.Stderr, "recording: %v", err)
		}
	}
	if h.guard != nil {
		if d := h.guard.Drifts(); len(d) > 0 {
			diag(e.Stderr, "--check-spec: %d departure(s) from the spec (see the warnings above)", len(d))
		}
	}
}

// diagWriter writes log lines to stderr with control characters escaped.
type diagWriter struct {
	w interface{ Write([]byte) (int, error) }
}

func (d *diagWriter) Write(p []byte) (int, error) {
	if _, err := fmt.Fprint(d.w, escapeControls(strings.TrimSuffix(string(p), "\n"))+"\n"); err != nil {
		return 0, err
	}
	return len(p), nil
}
