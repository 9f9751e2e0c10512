package redact_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/redact"
)

// secret has every character the encoders treat specially.
const secret = `p<w>&"d'/+ %é☃😀\x`

// goJSON is v as Go's encoding/json writes it inside a string, with or
// without HTML escaping.
func goJSON(t *testing.T, v string, escapeHTML bool) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	require.NoError(t, enc.Encode(v))
	s := strings.TrimSpace(b.String())
	return s[1 : len(s)-1]
}

// Each form a server may echo a secret in is cut out of the text.
func TestScrubRemovesEveryForm(t *testing.T) {
	forms := map[string]string{
		"as sent":                 secret,
		"JSON, Go (\\u003c)":      goJSON(t, secret, true),
		"JSON, plain":             goJSON(t, secret, false),
		"JSON, PHP (\\/)":         strings.ReplaceAll(goJSON(t, secret, false), "/", `\/`),
		"JSON, ASCII only":        `p<w>&\"d'/+ %\u00e9\u2603\ud83d\ude00\\x`,
		"JSON, upper-case hex":    `p\u003Cw\u003E\u0026\"d'/+ %\u00E9\u2603\uD83D\uDE00\\x`,
		"URL query escaping":      url.QueryEscape(secret),
		"URL path escaping":       url.PathEscape(secret),
		"URL escaping, lower hex": strings.ToLower(url.QueryEscape(secret)),
		"URL escaping, strict":    "p%3Cw%3E%26%22d%27%2F%2B%20%25%C3%A9%E2%98%83%F0%9F%98%80%5Cx",
		"HTML, Go":                html.EscapeString(secret),
		"HTML, &quot;":            `p&lt;w&gt;&amp;&quot;d&#x27;/+ %é☃😀\x`,
		"HTML over JSON":          html.EscapeString(goJSON(t, secret, true)),
	}
	var s redact.Scrubber
	s.Add(secret)
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			text := `{"message":"Login failed for ` + form + `, try again"}`
			got := s.Scrub(text)
			assert.NotContains(t, got, form)
			assert.Equal(t, `{"message":"Login failed for `+redact.Placeholder+`, try again"}`, got)
		})
	}
}

func TestScrubBasicCredentials(t *testing.T) {
	const user, pass = "alida-user", "s3cr3t&pass/word"
	b64 := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	req, _ := http.NewRequest(http.MethodGet, "https://api.example.com/", nil)
	req.SetBasicAuth(user, pass)
	var s redact.Scrubber
	s.AddRequest(req)
	for name, text := range map[string]string{
		"header":             "you sent Authorization: Basic " + b64,
		"base64 alone":       "credentials " + b64 + " refused",
		"base64 unpadded":    "credentials " + strings.TrimRight(b64, "=") + " refused",
		"base64 in PHP JSON": `{"message":"` + strings.ReplaceAll(b64, "/", `\/`) + `"}`,
		"decoded pair":       "user:password " + user + ":" + pass,
		"password alone":     "<p>password " + pass + " is wrong</p>",
		"password in HTML":   "<p>password " + html.EscapeString(pass) + " is wrong</p>",
		"password in JSON":   `{"message":"` + goJSON(t, pass, true) + `"}`,
		"password in query":  "?password=" + url.QueryEscape(pass),
	} {
		t.Run(name, func(t *testing.T) {
			got := s.Scrub(text)
			assert.Contains(t, got, redact.Placeholder)
			assert.NotContains(t, got, pass)
			assert.NotContains(t, got, strings.TrimRight(b64, "="))
			assert.NotContains(t, got, "s3cr3t")
		})
	}
}

// OAuth2 client credentials travel form-encoded inside Basic (RFC 6749
// 2.3.1): the decoded secret is scrubbed in both spellings.
func TestScrubBasicWithFormEncodedCredentials(t *testing.T) {
	const id, sec = "client id", "sec ret+&/x"
	req, _ := http.NewRequest(http.MethodPost, "https://api.example.com/oauth2/token", nil)
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(sec))
	var s redact.Scrubber
	s.AddRequest(req)
	for _, text := range []string{"secret " + sec + " refused", "secret " + url.QueryEscape(sec) + " refused"} {
		assert.Equal(t, "secret "+redact.Placeholder+" refused", s.Scrub(text))
	}
}

func TestScrubBearerAndSignature(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "https://api.example.com/", nil)
	req.Header.Set("Authorization", "Bearer tok-0123456789")
	req.Header.Set("X-Api-Authorization", "IWS key-1:a993876ea1218921a1c8551923473da7b310dfae")
	var s redact.Scrubber
	s.AddRequest(req)
	for text, want := range map[string]string{
		"token tok-0123456789 expired":                                     "token [redacted] expired",
		"Authorization: Bearer tok-0123456789":                             "Authorization: [redacted]",
		"bad signature IWS key-1:a993876ea1218921a1c8551923473da7b310dfae": "bad signature [redacted]",
		"key-1:a993876ea1218921a1c8551923473da7b310dfae":                   "[redacted]",
		"want A993876EA1218921A1C8551923473DA7B310DFAE":                    "want [redacted]",
		"signature a993876ea1218921a1c8551923473da7b310dfae mismatch":      "signature [redacted] mismatch",
	} {
		assert.Equal(t, want, s.Scrub(text), text)
	}
	assert.Equal(t, "key-1 is unknown", s.Scrub("key-1 is unknown"), "the key alone is not a secret")
}

// A secret too short to cut out without mangling the text withholds the
// whole text, in any of its forms.
func TestScrubWithholdsTextWithShortSecret(t *testing.T) {
	var s redact.Scrubber
	s.Add("a<&", "longer-secret")
	for _, text := range []string{
		"app code a<& is wrong",
		`{"message":"app code a\u003c\u0026 is wrong"}`,
		"code=a%3C%26",
	} {
		assert.Equal(t, redact.Withheld, s.Scrub(text), text)
	}
	assert.Equal(t, "nothing here but [redacted]", s.Scrub("nothing here but longer-secret"))
	var one redact.Scrubber
	one.Add("7")
	assert.Equal(t, redact.Withheld, one.Scrub("code 7 refused"))
	assert.Equal(t, "code refused", one.Scrub("code refused"))
}

func TestScrubEdgeCases(t *testing.T) {
	var zero redact.Scrubber
	assert.Equal(t, "text", zero.Scrub("text"))
	var nilScrubber *redact.Scrubber
	assert.Equal(t, "text", nilScrubber.Scrub("text"))
	// A secret containing another is cut out whole.
	var s redact.Scrubber
	s.Add("abcd", "xxabcdyy")
	assert.Equal(t, "[redacted] and [redacted]", s.Scrub("xxabcdyy and abcd"))
	assert.Equal(t, "x [redacted] y", redact.Scrub("x s3cret y", "s3cret", ""))
	texts := []string{"s3cret", "none"}
	s.Add("s3cret")
	s.ScrubAll(texts)
	assert.Equal(t, []string{"[redacted]", "none"}, texts)
	// An Authorization value that is not base64 is still scrubbed whole.
	var h redact.Scrubber
	h.AddAuthorization("Basic not-base64!")
	assert.Equal(t, "[redacted]", h.Scrub("not-base64!"))
}

func TestFormsHasNoDuplicates(t *testing.T) {
	f := redact.Forms("plain-value")
	assert.Equal(t, []string{"plain-value"}, f, "a value with no special characters has one form")
	f = redact.Forms(secret)
	seen := map[string]bool{}
	for _, v := range f {
		assert.False(t, seen[v], v)
		seen[v] = true
	}
	assert.Equal(t, secret, f[0])
	assert.Nil(t, redact.Forms(""))
}

func TestCloneLeavesOriginalAlone(t *testing.T) {
	var s redact.Scrubber
	s.Add("first-secret", "second-secret")
	c := s.Clone()
	c.Add("third-secret")
	assert.Equal(t, "[redacted] third-secret", s.Scrub("first-secret third-secret"))
	assert.Equal(t, "[redacted] [redacted]", c.Scrub("first-secret third-secret"))
	var nilScrubber *redact.Scrubber
	assert.Equal(t, "x", nilScrubber.Clone().Scrub("x"))
}
