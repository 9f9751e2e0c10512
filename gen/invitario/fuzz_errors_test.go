package invitario

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzResponseDecode feeds bodies to the login, logout and error paths:
// failure detection must never panic, never keep more than a short excerpt,
// and never show the app code or the session token.
func FuzzResponseDecode(f *testing.F) {
	files, _ := filepath.Glob("../../contract_tests/testdata/invitario/*/*.json")
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var fx struct {
			Response struct {
				Body json.RawMessage `json:"body"`
			} `json:"response"`
		}
		if json.Unmarshal(raw, &fx) == nil && len(fx.Response.Body) > 0 {
			f.Add(200, []byte(fx.Response.Body))
			f.Add(401, []byte(fx.Response.Body))
		}
	}
	f.Add(502, []byte("<html>bad gateway CANARY-APP-CODE</html>"))
	a := &API{creds: Credentials{EventID: "1", AppCode: "CANARY-APP-CODE", Station: "s"}}
	const token = Secret("CANARY-SESSION-TOKEN")
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		if e := a.failure("guestListAll", &http.Response{StatusCode: status, Header: http.Header{}}, body, token); e != nil {
			msg := e.Error()
			if strings.Contains(msg, "CANARY-APP-CODE") || strings.Contains(msg, "CANARY-SESSION-TOKEN") {
				t.Fatalf("secret in %q", msg)
			}
			if len(e.Excerpt) > 200 {
				t.Fatalf("excerpt of %d bytes", len(e.Excerpt))
			}
		}
		var login LoginResult
		_ = unmarshal(body, &login)
		var g Guest
		_ = unmarshal(body, &g)
	})
}
