package invitario

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/httpx"
)

// guestSource produces a list answer of n guests on demand and counts the
// bytes handed out, without ever holding the whole answer.
type guestSource struct {
	n, next  int
	produced int64
	buf      []byte
	started  bool
	done     bool
}

const sampleGuest = `{"id":"g-%d","parentId":null,"accessCode":"A%d","clientUpdateDateTime":"2026-01-01T10:00:00+01:00",` +
	`"serverUpdateDateTime":"2026-01-01T10:00:00+01:00","checkInDateTime":null,"checkOutDateTime":null,` +
	`"deleteDateTime":null,"registrationState":"registered","fields":{"firstName":"Guest","lastName":"Number %d",` +
	`"email":"guest%d@example.com","customField47":["vegetarian","vegan"],"fax":null},"companions":[]}`

func (s *guestSource) Read(p []byte) (int, error) {
	if len(s.buf) == 0 {
		switch {
		case !s.started:
			s.started = true
			s.buf = []byte(`{"status":"success","guests":[`)
		case s.next < s.n:
			sep := ","
			if s.next == 0 {
				sep = ""
			}
			s.buf = fmt.Appendf(nil, sep+sampleGuest, s.next, s.next, s.next, s.next)
			s.next++
		case !s.done:
			// count and dateTime after the guests: the decoder must not care.
			s.buf = fmt.Appendf(nil, `],"count":%d,"dateTime":"2026-01-01T10:00:05+01:00"}`, s.n)
			s.done = true
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	s.produced += int64(n)
	return n, nil
}

func streamFrom(r io.Reader, limit int64, yield func(Guest, error) bool) (*listStream, int, bool, error) {
	cr := &capReader{r: r, limit: limit}
	s := &listStream{op: "guestListAll", cr: cr}
	n, stopped, err := s.run(yield)
	return s, n, stopped, err
}

func TestStreamReadsOneGuestAtATime(t *testing.T) {
	src := &guestSource{n: 50000}
	var firstAt int64
	count := 0
	s, n, stopped, err := streamFrom(src, 1<<20, func(g Guest, err error) bool {
		require.NoError(t, err)
		if count == 0 {
			firstAt = src.produced
		}
		require.Equal(t, fmt.Sprintf("g-%d", count), g.ID)
		count++
		return true
	})
	require.NoError(t, err)
	assert.False(t, stopped)
	assert.Equal(t, 50000, n)
	assert.Equal(t, 50000, s.count, "count after the guests is read")
	assert.Equal(t, "2026-01-01T10:00:05+01:00", s.dateTime.Format("2006-01-02T15:04:05Z07:00"))
	assert.Greater(t, src.produced, int64(10<<20), "the answer is large")
	assert.Less(t, firstAt, int64(64<<10), "the first guest arrives before the answer is read")
}

func TestStreamStopsReadingWhenConsumerStops(t *testing.T) {
	src := &guestSource{n: 100000}
	_, n, stopped, err := streamFrom(src, 1<<20, func(Guest, error) bool { return false })
	require.NoError(t, err)
	assert.True(t, stopped)
	assert.Equal(t, 1, n)
	assert.Less(t, src.produced, int64(64<<10))
}

func TestStreamCapsOneGuest(t *testing.T) {
	huge := `{"status":"success","guests":[{"id":"x","fields":{"notes":"` + strings.Repeat("a", 5000) + `"}}]}`
	_, _, _, err := streamFrom(strings.NewReader(huge), 1000, func(Guest, error) bool { return true })
	var tooLarge *httpx.TooLargeError
	require.ErrorAs(t, err, &tooLarge)

	// Many small guests pass the same cap: it is per guest.
	_, n, _, err := streamFrom(&guestSource{n: 2000}, 4096, func(Guest, error) bool { return true })
	require.NoError(t, err)
	assert.Equal(t, 2000, n)
}

func TestStreamEnvelopes(t *testing.T) {
	cases := []struct {
		name, body string
		guests     int
		status     string
		errs       int
		fail       string
	}{
		{"doc order", `{"status":"success","count":1,"dateTime":"2018-01-01T18:30:00+02:00","guests":[{"id":"a"}]}`, 1, "success", 0, ""},
		{"unknown keys skipped", `{"extra":{"deep":[1,2,{"x":null}]},"guests":[],"status":"success"}`, 0, "success", 0, ""},
		{"null guests", `{"status":"success","guests":null,"count":0}`, 0, "success", 0, ""},
		{"error envelope", `{"status":"error","displayMessage":null,"errors":["[SEE COMMON ERRORS BELOW]",{"code":30,"message":"Invalid session token provided."}]}`, 0, "error", 2, ""},
		{"truncated", `{"status":"success","guests":[{"id":"a"},{"id":`, 1, "", 0, "unexpected EOF"},
		{"guests not array", `{"guests":{"id":"a"}}`, 0, "", 0, "not an array"},
		{"bad guest", `{"guests":[{"id":5}]}`, 0, "", 0, "guest 1"},
		{"not an object", `[1,2]`, 0, "", 0, "malformed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := 0
			s, n, _, err := streamFrom(strings.NewReader(c.body), 1<<20, func(Guest, error) bool { got++; return true })
			assert.Equal(t, c.guests, n)
			assert.Equal(t, c.guests, got)
			if c.fail != "" {
				require.ErrorContains(t, err, c.fail)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.status, s.status)
			assert.Len(t, s.errors, c.errs)
		})
	}
}

func TestFieldValueJSON(t *testing.T) {
	var f Fields
	require.NoError(t, json.Unmarshal([]byte(`{"a":"x","b":["y","z"],"c":null,"d":[]}`), &f))
	assert.Equal(t, "x", f.Text("a"))
	assert.Equal(t, "y, z", f.Text("b"))
	assert.True(t, f["b"].IsList())
	assert.Equal(t, []string{"y", "z"}, f["b"].Strings())
	assert.True(t, f["c"].IsNull())
	assert.Nil(t, f["c"].Strings())
	assert.True(t, f["missing"].IsNull())
	assert.Equal(t, "", f.Text("missing"))
	assert.True(t, f["d"].IsList())
	out, err := json.Marshal(f)
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":"x","b":["y","z"],"c":null,"d":[]}`, string(out))
	require.Error(t, json.Unmarshal([]byte(`{"a":5}`), &f))
	require.Error(t, json.Unmarshal([]byte(`{"a":[1]}`), &f))
	assert.True(t, RegistrationStateRegistered.Known())
	assert.False(t, RegistrationState("waitlisted").Known())
}

// FuzzListStream feeds arbitrary bytes to the list decoder: it must never
// panic, and every guest it yields must carry an id or come from an object.
func FuzzListStream(f *testing.F) {
	f.Add(`{"status":"success","count":1,"dateTime":"2018-01-01T18:30:00+02:00","guests":[{"id":"a","fields":{"x":["y"]}}]}`)
	f.Add(`{"status":"error","errors":["[SEE COMMON ERRORS BELOW]",{"code":30,"message":"m"}]}`)
	f.Add(`{"guests":null}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		n := 0
		_, got, _, err := streamFrom(strings.NewReader(body), 1<<16, func(Guest, error) bool { n++; return true })
		if got != n {
			t.Fatalf("reported %d guests, yielded %d", got, n)
		}
		if err == nil && !strings.Contains(body, "{") {
			t.Fatalf("accepted %q, which holds no object", body)
		}
	})
}
