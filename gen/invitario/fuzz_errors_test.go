package invitario

import (
	"net/http"
	"strings"
	"testing"

	"github.com/invitekit/invitekit/internal/fixtures"
	"github.com/invitekit/invitekit/internal/httpx"
)

// FuzzResponseDecode feeds bodies to the login, logout and error paths:
// failure detection must never panic, never keep more than a short excerpt,
// and never show the app code or the session token.
func FuzzResponseDecode(f *testing.F) {
	bodies, err := fixtures.ResponseBodies("../../contract_tests/testdata/invitario")
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range bodies {
		f.Add(200, b)
		f.Add(401, b)
	}
	f.Add(502, []byte("<html>bad gateway CANARY-APP-CODE</html>"))
	a := &API{creds: Credentials{EventID: "1", AppCode: "CANARY-APP-CODE", Station: "s"}, doer: httpx.New(httpx.Config{})}
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
