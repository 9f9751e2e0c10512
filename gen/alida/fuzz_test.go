package alida

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/invitekit/invitekit/internal/fixtures"
)

// FuzzResponseDecode feeds bodies to every Alida response path: the 201
// classifier, the error body, the queued collection and the tolerant time.
func FuzzResponseDecode(f *testing.F) {
	bodies, err := fixtures.ResponseBodies("../../contract_tests/testdata/alida")
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range bodies {
		f.Add(b)
	}
	f.Add([]byte(""))
	f.Add([]byte("[]"))
	f.Add([]byte(`"2016-11-15T01:01:28.4112016Z"`))
	f.Add([]byte("<html>oops</html>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		if r, err := ParseCreated(body); err == nil {
			if r.Outcome < OutcomeNothingQueued || r.Outcome > OutcomeQueuedWithEvents {
				t.Fatalf("ParseCreated(%q) gave outcome %d", body, r.Outcome)
			}
		}
		e := newAPIError("op", &http.Response{StatusCode: 500, Header: http.Header{}}, body, time.Now())
		if len(e.Body) > excerptLimit+3 {
			t.Fatalf("excerpt of %d bytes", len(e.Body))
		}
		if !strings.Contains(e.Error(), "500") {
			t.Fatalf("error %q does not name the status", e.Error())
		}
		var coll InvitationEventCollection
		_ = json.Unmarshal(body, &coll)
		var tm Time
		if json.Unmarshal(body, &tm) == nil {
			if _, err := json.Marshal(tm); err != nil {
				t.Fatalf("a decoded time does not encode: %v", err)
			}
		}
	})
}
