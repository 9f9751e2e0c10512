package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/invitekit/invitekit/record"
	"github.com/invitekit/invitekit/specguard"
)

// apiHooks are the global flags that watch the API commands' exchanges:
// --record DIR (save each exchange as a scrubbed fixture file),
// --record-mask-pii (mask names, e-mail addresses, phone numbers, street
// addresses and notes in them) and --check-spec (validate each answer against the spec and report
// drift on stderr; the exit status does not change).
type apiHooks struct {
	recordDir string
	maskPII   bool
	checkSpec bool

	rec   *record.Recorder
	guard *specguard.Guard
	err   error
}

func init() {
	registerGlobal(globalFlag{Name: "record", Arg: "DIR", Usage: "save each exchange as a scrubbed fixture file under DIR",
		Set: func(e *env, v string) error {
			if v == "" {
				return usageError("--record needs a directory")
			}
			e.apiHooks().recordDir = v
			return nil
		}})
	registerGlobal(globalFlag{Name: "record-mask-pii", Usage: "with --record: replace names, e-mail addresses, phone numbers, street addresses and notes consistently",
		Set: func(e *env, v string) error { e.apiHooks().maskPII = v == "true"; return nil }})
	registerGlobal(globalFlag{Name: "check-spec", Usage: "validate every answer against the spec; drift is reported on stderr, the exit status is unchanged",
		Set: func(e *env, v string) error { e.apiHooks().checkSpec = v == "true"; return nil }})
}

// apiHooks returns the hooks of e, made on first use; the first call also
// arranges for them to be set up before the clients are built (a transport
// layer) and reported on after the command.
func (e *env) apiHooks() *apiHooks {
	if e.hooks == nil {
		h := &apiHooks{}
		e.hooks = h
		e.wrapTransport(func(next http.RoundTripper) http.RoundTripper {
			if h.setup(e) != nil || h.guard == nil {
				return next // a setup error is reported when the command ends
			}
			return h.guard.Wrap(next)
		})
		e.atExit = append(e.atExit, func(err error) error {
			h.finish(e)
			if err == nil {
				err = h.err
			}
			return err
		})
	}
	return e.hooks
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
	if h == nil {
		return nil
	}
	if h.err != nil || h.rec != nil || h.guard != nil {
		return h.err
	}
	if h.err = h.check(); h.err != nil {
		return h.err
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

// recorder returns the recorder --record asks for, or nil.
func (e *env) recorder() (*record.Recorder, error) {
	if e.hooks == nil {
		return nil, nil
	}
	if err := e.hooks.setup(e); err != nil {
		return nil, err
	}
	return e.hooks.rec, nil
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
