// Package clientopt is the options core the three client packages share:
// one set of settings with one meaning, which each package's generated
// options (options.gen.go, written by internal/apigen) fill in.
package clientopt

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/record"
)

// Settings are the options every client package offers.
type Settings struct {
	BaseURL   string            // scheme://host[:port]; overrides a region
	Transport http.RoundTripper // nil: http.DefaultTransport
	Timeout   time.Duration     // per call, retries included; 0: default; negative: none
	Now       func() time.Time  // nil: time.Now
	Sleep     func(context.Context, time.Duration) error
	Retry     httpx.RetryPolicy
	MaxBody   int64        // cap on a buffered answer; 0: default
	Logger    *slog.Logger // one debug record per attempt
	Editors   []httpx.Editor
	UserAgent string // appended to the default User-Agent
	Recorder  *record.Recorder
}

// Clock returns the configured clock, or time.Now.
func (s *Settings) Clock() func() time.Time {
	if s.Now == nil {
		return time.Now
	}
	return s.Now
}

// HTTP returns the HTTP layer's configuration for the named API; final
// editors (signing, authentication) run last on every attempt; secrets are
// the client's credentials, which a recorder scrubs.
func (s *Settings) HTTP(api string, secrets []string, final ...httpx.Editor) httpx.Config {
	return httpx.Config{
		Recorder:         s.Recorder.For(api, secrets...),
		Transport:        s.Transport,
		Timeout:          s.Timeout,
		MaxResponseBytes: s.MaxBody,
		Logger:           s.Logger,
		Final:            final,
		Retry:            s.Retry,
		Now:              s.Clock(),
		Sleep:            s.Sleep,
	}
}

// TokenTimeout is the limit for a side request such as an OAuth2 token
// fetch: the call timeout with the same meaning of 0 and negative values.
func (s *Settings) TokenTimeout() time.Duration {
	switch {
	case s.Timeout == 0:
		return httpx.DefaultTimeout
	case s.Timeout < 0:
		return 0
	}
	return s.Timeout
}

// RequestEditors returns the editors to run on every request, before
// signing or authentication: the User-Agent first, then the caller's.
func (s *Settings) RequestEditors() []httpx.Editor {
	ua := UserAgent(s.UserAgent)
	setUA := func(_ context.Context, req *http.Request) error {
		req.Header.Set("User-Agent", ua)
		return nil
	}
	return append([]httpx.Editor{setUA}, s.Editors...)
}

// Check reports a setting that cannot work, naming it.
func (s *Settings) Check(api string) error {
	switch {
	case s.Retry.MaxAttempts < 0:
		return fmt.Errorf("%s: WithMaxAttempts(%d): want 1 or more", api, s.Retry.MaxAttempts)
	case s.MaxBody < 0:
		return fmt.Errorf("%s: WithMaxResponseBytes(%d): want a positive size", api, s.MaxBody)
	case s.Retry.BaseDelay < 0 || s.Retry.MaxDelay < 0:
		return fmt.Errorf("%s: WithBackoff: delays must not be negative", api)
	case strings.ContainsAny(s.UserAgent, "\r\n"):
		return fmt.Errorf("%s: WithUserAgent: the value must be one line", api)
	}
	return nil
}

// ParseBaseURL checks that raw is scheme://host[:port] (http or https, no
// path, query, fragment or credentials) and returns it without a trailing
// slash.
func ParseBaseURL(api, raw string) (string, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%s: base URL %q is not an http(s)://host[:port] URL", api, raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("%s: base URL %q must not carry credentials", api, u.Redacted())
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", fmt.Errorf("%s: base URL %q must have no path or query: operation paths start at the host", api, raw)
	}
	return u.Scheme + "://" + u.Host, nil
}

// ErrNoHost is wrapped by New when neither a base URL nor a region is set.
var ErrNoHost = errors.New("no API host")

// modulePath is the module whose version names the client.
const modulePath = "github.com/invitekit/invitekit"

var version = sync.OnceValue(func() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if info.Main.Path == modulePath && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	for _, d := range info.Deps {
		if d.Path == modulePath && d.Version != "" {
			return d.Version
		}
	}
	return "dev"
})

// Version is the module's version as the running program was built with it
// ("dev" when unknown, as in the module's own tests).
func Version() string { return version() }

// UserAgent returns "invitekit/<version>", followed by extra when given.
func UserAgent(extra string) string {
	ua := "invitekit/" + Version()
	if extra = strings.TrimSpace(extra); extra != "" {
		ua += " " + extra
	}
	return ua
}
