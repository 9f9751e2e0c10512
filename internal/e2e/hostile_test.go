package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
)

// The hostile phases: the server answers with errors that echo every
// credential it received or knows, in every form a server may write it.
const (
	// hostileJSON answers each API's own JSON error, echoing in its
	// message fields. Invitario login and the Alida token endpoint go
	// through, so that a session token and a bearer token are issued
	// and then echoed.
	hostileJSON = "hostile-json"
	// hostilePage answers an HTML error page (a JSON OAuth2 error on the
	// token endpoint), one credential in one form per request.
	hostilePage = "hostile-page"
)

var hostilePhases = []string{hostileJSON, hostilePage}

// echoForms are the spellings of v a hostile server uses; they are worked
// out here, apart from the code under test.
func echoForms(v string) []string {
	goJSON, _ := json.Marshal(v)
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	p := strings.TrimSpace(plain.String())
	p = p[1 : len(p)-1]
	return []string{v, string(goJSON[1 : len(goJSON)-1]), p, strings.ReplaceAll(p, "/", `\/`),
		url.QueryEscape(v), url.PathEscape(v), html.EscapeString(v)}
}

// plantedSecrets are the secrets of the client that sent r which its
// server knows without being told (and the client knows too).
func plantedSecrets(r *http.Request) []string {
	switch path := r.URL.Path; {
	case strings.HasPrefix(path, "/api/1.0/"):
		return []string{canaryIvvySecret}
	case strings.HasPrefix(path, "/api/v1/"):
		return []string{canaryAppCode}
	case path != alidafake.TokenPath && strings.HasPrefix(r.Header.Get("Authorization"), "Basic "):
		return []string{canaryAlidaPassword}
	}
	return []string{canaryAlidaClientSecret}
}

// credentialsOf are the credentials a request carries or the server knows.
func credentialsOf(r *http.Request, body []byte) []string {
	var vals []string
	for _, h := range []string{"Authorization", "X-Api-Authorization"} {
		v := r.Header.Get(h)
		if v == "" {
			continue
		}
		vals = append(vals, v)
		scheme, cred, _ := strings.Cut(v, " ")
		vals = append(vals, cred)
		switch scheme {
		case "Basic":
			if b, err := base64.StdEncoding.DecodeString(cred); err == nil {
				_, pass, _ := strings.Cut(string(b), ":")
				vals = append(vals, string(b), pass)
				if p, err := url.QueryUnescape(pass); err == nil {
					vals = append(vals, p)
				}
			}
		case "IWS":
			_, sig, _ := strings.Cut(cred, ":")
			vals = append(vals, sig)
		}
	}
	var in struct {
		APIKey       string `json:"apiKey"`
		SessionToken string `json:"sessionToken"`
	}
	if json.Unmarshal(body, &in) == nil {
		vals = append(vals, in.APIKey, in.SessionToken)
	}
	if form, err := url.ParseQuery(string(body)); err == nil {
		vals = append(vals, form.Get("client_secret"))
	}
	var out []string
	for _, v := range append(vals, plantedSecrets(r)...) {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// hostile answers as the mode says; with no hostile mode it passes the
// request on.
type hostile struct {
	next http.Handler
	mode *atomic.Value // string
	n    atomic.Int64
}

func (h *hostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	mode, _ := h.mode.Load().(string)
	if mode != hostileJSON && mode != hostilePage {
		h.next.ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	path := r.URL.Path
	if mode == hostileJSON && (path == alidafake.TokenPath || strings.HasSuffix(path, "/login")) {
		h.next.ServeHTTP(w, r)
		return
	}
	var forms []string
	for _, v := range credentialsOf(r, body) {
		forms = append(forms, echoForms(v)...)
	}
	if mode == hostilePage {
		// One credential in one form, early enough to be in any excerpt.
		forms = forms[int(h.n.Add(1)-1)%len(forms):][:1]
	}
	echoed := "echo: " + strings.Join(forms, " | ")
	writeJSON := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	switch {
	case path == alidafake.TokenPath:
		writeJSON(http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": echoed})
	case mode == hostilePage:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusForbidden)
		_, _ = fmt.Fprintf(w, "<html><body><p>%s</p><p>Forbidden</p></body></html>", echoed)
	case strings.HasPrefix(path, "/api/1.0/"):
		writeJSON(http.StatusUnauthorized, map[string]any{"errorCode": 401, "specificCode": 23001,
			"message": echoed, "additionalMessages": forms})
	case strings.HasPrefix(path, "/api/v1/"):
		items := []map[string]any{{"code": 30, "message": echoed}}
		for _, f := range forms {
			items = append(items, map[string]any{"code": 1010, "message": f})
		}
		writeJSON(http.StatusOK, map[string]any{"status": "error", "displayMessage": echoed, "errors": items})
	default:
		writeJSON(http.StatusUnauthorized, map[string]any{"status": 401, "message": echoed,
			"developerMessage": strings.Join(forms, "\n"), "errorId": forms[0]})
	}
}

// Servers that echo every credential in every form, in each API's own
// error fields or in an error page, reach none of an error's Error, %v or
// %+v, nor a log record (JSON or text handler).
func TestCanarySecretsNotEchoedByHostileServers(t *testing.T) {
	t.Parallel()
	w := newCanaryWorld(t)
	ctx := t.Context()
	var jsonLogs, textLogs syncBuffer
	logger := slog.New(multiHandler{
		slog.NewJSONHandler(&jsonLogs, &slog.HandlerOptions{Level: slog.LevelDebug}),
		slog.NewTextHandler(&textLogs, &slog.HandlerOptions{Level: slog.LevelDebug}),
	})
	for _, phase := range hostilePhases {
		t.Run(phase, func(t *testing.T) {
			w.phase("success")
			cs := newClients(t, w, logger, false)
			w.phase(phase)
			defer w.phase("success")
			for name, drive := range map[string]func(ev *evidence) *results{
				"ivvy":        func(ev *evidence) *results { return driveIvvy(ctx, cs.ivvy, ev, phase) },
				"alida basic": func(ev *evidence) *results { return driveAlida(ctx, cs.alidaBasic, ev, phase+" basic") },
				"alida oauth": func(ev *evidence) *results { return driveAlida(ctx, cs.alidaOAuth, ev, phase+" oauth") },
				"invitario":   func(ev *evidence) *results { return driveInvitario(ctx, cs.invitario, w.invitario, ev, phase) },
			} {
				ev := &evidence{}
				r := drive(ev)
				// Only Invitario's login may succeed (it goes through in
				// the JSON phase, so that a session token is echoed).
				assert.LessOrEqual(t, r.ok, 1, "%s: calls meet the hostile server", name)
				assert.Positive(t, r.failed, name)
				assert.NotEmpty(t, ev.items, name)
				ev.scan(t, w.c)
			}
		})
	}
	assert.Positive(t, w.hostile.n.Load(), "the page phase answered")
	assert.Positive(t, w.c.count("Invitario session token"), "a session token was issued and echoed")
	assert.Positive(t, w.c.count("bearer token"), "a bearer token was issued and echoed")
	ev := &evidence{}
	ev.add("JSON log", jsonLogs.String())
	ev.add("text log", textLogs.String())
	assert.NotEmpty(t, jsonLogs.String())
	ev.scan(t, w.c)
}

// multiHandler sends every record to all its handlers.
type multiHandler []slog.Handler

func (m multiHandler) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range m {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (m multiHandler) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range m {
		if err := h.Handle(ctx, r.Clone()); err != nil {
			return err
		}
	}
	return nil
}

func (m multiHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make(multiHandler, len(m))
	for i, h := range m {
		out[i] = h.WithAttrs(attrs)
	}
	return out
}

func (m multiHandler) WithGroup(name string) slog.Handler {
	out := make(multiHandler, len(m))
	for i, h := range m {
		out[i] = h.WithGroup(name)
	}
	return out
}
