package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
	ivvyfake "github.com/invitekit/invitekit/fake/ivvyfake"
	"github.com/invitekit/invitekit/internal/faults"
)

// The planted secrets. Each is accepted by its fake (the right ones) or
// refused (the wrong ones); none may ever show in an error, a log record or
// the output of the command.
const (
	canaryIvvyKey            = "canary-ivvy-key"
	canaryIvvySecret         = `CANARY-ivvy-secret-zq4f1c9e<&>"/+ %`
	canaryIvvyWrongSecret    = `CANARY-ivvy-wrong-secret-zq51aa07<&>/`
	canaryAppCode            = `CANARY-invitario-app-code-zq8a2d<&>"/+`
	canaryWrongAppCode       = `CANARY-invitario-wrong-code-zqc3d4<&>/`
	canaryStation            = "Canary Gate"
	canaryAlidaUser          = "canary-user"
	canaryAlidaPassword      = `CANARY-alida-password-zq77b0<&>"/+ %`
	canaryAlidaWrongPassword = `CANARY-alida-wrong-password-zq90e2<&>/`
	canaryAlidaClient        = "canary-client"
	canaryAlidaClientSecret  = `CANARY-alida-client-secret-zq3e91<&>"/+ %`
	canaryAlidaWrongSecret   = `CANARY-alida-wrong-client-secret-zqd00d<&>/`
)

// canaries is the set of secret values to look for: the planted ones,
// their encodings, and what the servers issued or received as credentials
// (session and bearer tokens, signatures, Authorization values).
type canaries struct {
	mu     sync.Mutex
	values map[string]string // value -> what it is
}

func newCanaries() *canaries {
	c := &canaries{values: map[string]string{}}
	for label, v := range map[string]string{
		"iVvy API secret":            canaryIvvySecret,
		"wrong iVvy API secret":      canaryIvvyWrongSecret,
		"Invitario app code":         canaryAppCode,
		"wrong Invitario app code":   canaryWrongAppCode,
		"Alida password":             canaryAlidaPassword,
		"wrong Alida password":       canaryAlidaWrongPassword,
		"Alida client secret":        canaryAlidaClientSecret,
		"wrong Alida client secret":  canaryAlidaWrongSecret,
		"Basic credentials":          canaryAlidaUser + ":" + canaryAlidaPassword,
		"wrong Basic credentials":    canaryAlidaUser + ":" + canaryAlidaWrongPassword,
		"client credentials":         canaryAlidaClient + ":" + canaryAlidaClientSecret,
		"wrong client credentials":   canaryAlidaClient + ":" + canaryAlidaWrongSecret,
		"form-encoded client secret": url.QueryEscape(canaryAlidaClientSecret),
	} {
		c.add(label, v)
	}
	return c
}

// coreTag finds the tag every planted secret carries ("zq" and hex
// digits): it survives any escaping, so that a form the scanner does not
// spell out is found all the same.
var coreTag = regexp.MustCompile(`zq[0-9a-f]{4,}`)

// add records a secret value with its base64 forms (as in Basic auth), its
// escaped forms (see echoForms) and its core tag.
func (c *canaries) add(label, v string) {
	if len(v) < 8 {
		return // too short to search for without false alarms
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range echoForms(v) {
		c.values[f] = label
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		c.values[enc.EncodeToString([]byte(v))] = label + " (base64)"
	}
	if tag := coreTag.FindString(v); tag != "" {
		c.values[tag] = label + " (core)"
	}
}

// addAuthorization records the secret part of a request's credentials.
func (c *canaries) addAuthorization(name, v string) {
	scheme, rest, _ := strings.Cut(v, " ")
	switch {
	case strings.EqualFold(scheme, "Basic"):
		c.add(name+" Basic value", rest)
	case strings.EqualFold(scheme, "Bearer"):
		c.add("bearer token", rest)
	case scheme == "IWS":
		if _, sig, ok := strings.Cut(rest, ":"); ok {
			c.add("iVvy signature", sig)
		}
	default:
		c.add(name+" value", v)
	}
}

// find returns what secrets text contains.
func (c *canaries) find(text string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var found []string
	for v, label := range c.values {
		if strings.Contains(text, v) {
			found = append(found, fmt.Sprintf("%s %q", label, v))
		}
	}
	sort.Strings(found)
	return found
}

// count returns how many values of a kind were recorded.
func (c *canaries) count(label string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, l := range c.values {
		if l == label {
			n++
		}
	}
	return n
}

// evidence collects everything the code under test said: error strings,
// log records, command output. It is scanned once all the credentials the
// servers issued are known.
type evidence struct {
	mu    sync.Mutex
	items []evidenceItem
}

type evidenceItem struct{ where, text string }

func (e *evidence) add(where, text string) {
	e.mu.Lock()
	e.items = append(e.items, evidenceItem{where, text})
	e.mu.Unlock()
}

// addErr records an error as its Error string and its %v, %+v and %#v
// formatting.
func (e *evidence) addErr(where string, err error) {
	if err == nil {
		return
	}
	e.add(where, err.Error())
	e.add(where+" %v", fmt.Sprintf("%v", err))
	e.add(where+" %+v", fmt.Sprintf("%+v", err))
	e.add(where+" %#v", fmt.Sprintf("%#v", err))
}

// scan fails the test for every item that shows a secret.
func (e *evidence) scan(t *testing.T, c *canaries) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, it := range e.items {
		if found := c.find(it.text); len(found) > 0 {
			t.Errorf("%s shows %s:\n%s", it.where, strings.Join(found, ", "), excerpt(it.text))
		}
	}
}

func excerpt(s string) string {
	if len(s) > 600 {
		return s[:600] + "..."
	}
	return s
}

// syncBuffer is a bytes.Buffer safe for concurrent writes (log handlers).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// capture records, in front of everything else, the credentials each
// request carries and the tokens the fakes issue.
type capture struct {
	next http.Handler
	c    *canaries
}

func (h capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for _, name := range []string{"Authorization", "X-Api-Authorization"} {
		if v := r.Header.Get(name); v != "" {
			h.c.addAuthorization(name, v)
		}
	}
	tw := &teeWriter{ResponseWriter: w}
	h.next.ServeHTTP(tw, r)
	var issued struct {
		SessionToken string `json:"sessionToken"`
		AccessToken  string `json:"access_token"`
	}
	if json.Unmarshal(tw.body.Bytes(), &issued) == nil {
		if issued.SessionToken != "" {
			h.c.add("Invitario session token", issued.SessionToken)
		}
		if issued.AccessToken != "" {
			h.c.add("bearer token", issued.AccessToken)
		}
	}
}

// teeWriter keeps a copy of what is written (up to 1 MiB). Unwrap lets the
// fault injector behind it hijack the connection.
type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (t *teeWriter) Write(p []byte) (int, error) {
	if t.body.Len() < 1<<20 {
		t.body.Write(p)
	}
	return t.ResponseWriter.Write(p)
}

func (t *teeWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// echo, when on, answers every request with a 500 error page that shows
// the request's headers and body, as a misconfigured proxy's debug page
// might.
type echo struct {
	next http.Handler
	on   *atomic.Bool
}

func (h echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.on.Load() {
		h.next.ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	var b strings.Builder
	b.WriteString("<html><body><h1>500 Internal Server Error</h1><pre>")
	for _, name := range []string{"Authorization", "X-Api-Authorization"} {
		if v := r.Header.Get(name); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", name, html.EscapeString(v))
		}
	}
	b.WriteString(html.EscapeString(string(body)))
	b.WriteString("</pre></body></html>")
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = io.WriteString(w, b.String())
}

// canaryWorld is the three fakes, seeded with the canary credentials,
// served on one host behind capture, echo and a fault injector; and another
// host that must never receive a request.
type canaryWorld struct {
	ivvy      *ivvyfake.Server
	invitario *invitariofake.Server
	alida     *alidafake.Server
	inj       *faults.Injector
	echo      atomic.Bool
	hostile   *hostile
	mode      atomic.Value // the phase, for hostile
	url       string
	other     string
	// otherHits counts requests that reached the other host.
	otherHits atomic.Int64
	c         *canaries
}

func newCanaryWorld(t *testing.T) *canaryWorld {
	t.Helper()
	w := &canaryWorld{c: newCanaries()}
	w.ivvy = ivvyfake.Demo(ivvyfake.WithKey(canaryIvvyKey, canaryIvvySecret))
	w.invitario = invitariofake.Demo()
	if err := w.invitario.AddAppConfig(invitariofake.DemoEventID, canaryAppCode, canaryStation); err != nil {
		t.Fatal(err)
	}
	w.alida = alidafake.Demo()
	w.alida.AddUser(canaryAlidaUser, canaryAlidaPassword)
	w.alida.AddClient(canaryAlidaClient, canaryAlidaClientSecret)

	mux := http.NewServeMux()
	mux.Handle("/api/1.0/", w.ivvy)
	mux.Handle("/api/v1/", w.invitario)
	mux.Handle("/v1/applications/", w.alida)
	mux.Handle(alidafake.TokenPath, w.alida)
	w.inj = faults.New(mux, nil)
	w.hostile = &hostile{next: w.inj, mode: &w.mode}
	w.url = serve(t, capture{next: echo{next: w.hostile, on: &w.echo}, c: w.c})
	w.other = serve(t, capture{c: w.c, next: http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.otherHits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		rw.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(rw, `{}`)
	})})
	return w
}

// phase sets what the server does from now on.
func (w *canaryWorld) phase(name string) {
	w.echo.Store(name == "echo")
	w.mode.Store(name)
	switch name {
	case "retries":
		// Every other request of a client to an operation fails in one
		// of the ways retries answer. Each client and operation has its
		// own count, so that commands running side by side cannot make
		// one call's attempts all land on failures.
		w.inj.SetPlan(faults.PerKey(clientAndPath, func() faults.Plan {
			var n atomic.Int64
			return func(*http.Request) faults.Fault {
				switch n.Add(1) % 6 {
				case 1:
					return f503
				case 3:
					return fReset
				case 5:
					return faults.Fault{Kind: faults.Status, Status: http.StatusTooManyRequests, RetryAfter: "0",
						Body: `{"status":429,"message":"Too many requests"}`, ContentType: "application/json"}
				}
				return faults.Fault{}
			}
		}))
	case "redirect":
		w.inj.SetPlan(faults.Always(faults.Fault{Kind: faults.Status, Status: http.StatusTemporaryRedirect, Location: w.other + "/collect"}))
	default:
		w.inj.SetPlan(nil)
	}
}

// clientAndPath keys a request by the kind of client that sent it (its
// authorization scheme: iVvy's IWS, Alida's Basic or Bearer, none for
// Invitario) and by its operation.
func clientAndPath(r *http.Request) string {
	scheme := "none"
	for _, h := range []string{"Authorization", "X-Api-Authorization"} {
		if v := r.Header.Get(h); v != "" {
			scheme, _, _ = strings.Cut(v, " ")
		}
	}
	return scheme + " " + faults.ByPath(r)
}
