package benchmarks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-faster/jx"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/invitario"
)

// guestListJSON returns a guestListAll answer with n guests shaped like the
// documented example: ids, access codes, the four dates (some null), a
// registration state, now and then a highlight colour or a parent, 11 to
// 17 fields (strings, nulls, lists of strings) and 0 to 2 companions.
// 100,000 guests make about 64 MB.
func guestListJSON(n int) []byte {
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	var b bytes.Buffer
	b.Grow(n * 640)
	b.WriteString(`{"status":"success","count":`)
	b.WriteString(strconv.Itoa(n))
	b.WriteString(`,"dateTime":"2026-11-25T09:30:00+01:00","guests":[`)
	uuid := func() {
		fmt.Fprintf(&b, `"%08x-%04x-4%03x-%04x-%012x"`, rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xfff, 0x8000|rng.Uint32()&0x3fff, rng.Uint64()&0xffffffffffff)
	}
	date := func() {
		fmt.Fprintf(&b, `"2026-%02d-%02dT%02d:%02d:%02d+01:00"`, 1+rng.IntN(11), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60))
	}
	maybeDate := func(p float64) {
		if rng.Float64() < p {
			date()
		} else {
			b.WriteString("null")
		}
	}
	str := func(key, value string) {
		b.WriteString(`,"`)
		b.WriteString(key)
		b.WriteString(`":`)
		b.WriteString(strconv.Quote(value))
	}
	firstNames := []string{"John", "Jane", "Anna", "Lukas", "Sophie", "Maximilian", "Emma", "Elias", "Lena", "Jakob"}
	lastNames := []string{"Smith", "Gruber", "Huber", "Wagner", "Müller", "Pichler", "Steiner", "Moser", "Mayer", "Hofer"}
	companies := []string{"My Company", "Acme GmbH", "Example Ltd", "Contoso AG", "Initech", "Globex Corporation"}
	cities := []string{"Vienna", "Graz", "Linz", "Salzburg", "Innsbruck", "Munich", "Zurich"}
	diets := []string{"vegetarian", "vegan", "gluten-free", "lactose-free", "halal", "kosher"}
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":`)
		uuid()
		b.WriteString(`,"parentId":`)
		if rng.IntN(5) == 0 {
			uuid()
		} else {
			b.WriteString("null")
		}
		fmt.Fprintf(&b, `,"accessCode":"%06x"`, rng.Uint32()&0xffffff)
		b.WriteString(`,"clientUpdateDateTime":`)
		date()
		b.WriteString(`,"serverUpdateDateTime":`)
		maybeDate(0.9)
		b.WriteString(`,"checkInDateTime":`)
		maybeDate(0.4)
		b.WriteString(`,"checkOutDateTime":`)
		maybeDate(0.1)
		b.WriteString(`,"deleteDateTime":null`)
		b.WriteString(`,"registrationState":`)
		b.WriteString([]string{`"registered"`, `"unknown"`, `"deregistered"`, `"registered"`}[rng.IntN(4)])
		if rng.IntN(4) == 0 {
			fmt.Fprintf(&b, `,"highlightColor":"#%06x"`, rng.Uint32()&0xffffff)
		}
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		b.WriteString(`,"fields":{"salutation":`)
		b.WriteString([]string{`"Mr."`, `"Ms."`, `null`}[rng.IntN(3)])
		str("firstName", first)
		str("lastName", last)
		str("company", companies[rng.IntN(len(companies))])
		str("email", fmt.Sprintf("%s.%s%d@example.org", first, last, i))
		str("phone", fmt.Sprintf("+43 1 %03d %04d", rng.IntN(1000), rng.IntN(10000)))
		str("city", cities[rng.IntN(len(cities))])
		str("country", "AT")
		b.WriteString(`,"fax":null,"externalId":`)
		if rng.IntN(2) == 0 {
			b.WriteString(strconv.Quote("CRM-" + strconv.Itoa(100000+i)))
		} else {
			b.WriteString("null")
		}
		if rng.IntN(4) == 0 {
			str("street", "Stephansplatz")
			str("houseNumber", strconv.Itoa(1+rng.IntN(200)))
			str("postalCode", strconv.Itoa(1010+10*rng.IntN(23)))
			str("notes", "Arrives late; table "+strconv.Itoa(1+rng.IntN(60)))
		}
		for f := 1; f <= rng.IntN(3); f++ {
			str("customField"+strconv.Itoa(f), []string{"green", "yes", "no", "VIP", "press"}[rng.IntN(5)])
		}
		b.WriteString(`,"customField47":[`)
		for d := range rng.IntN(3) {
			if d > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(diets[rng.IntN(len(diets))]))
		}
		b.WriteString(`]},"companions":[`)
		for c := range rng.IntN(3) * rng.IntN(2) {
			if c > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"id":`)
			uuid()
			b.WriteByte('}')
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

const loginAnswer = `{"status":"success","event":{"id":"123","name":"My Event","company":"My Company",` +
	`"startDateTime":"2018-01-01T18:00:00+01:00","endDateTime":"2018-01-01T23:00:00+01:00",` +
	`"configuration":{"checkIn":true,"searchMinLength":2}},"stationName":"Main Entrance",` +
	`"sessionToken":"0123456789abcdef0123456789abcdef01234567"}`

// invitarioTransport answers the login and guest list calls from memory:
// the list is a fresh reader over the same bytes every time.
type invitarioTransport struct{ list []byte }

func (t invitarioTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	body := []byte(`{"status":"error","errors":[{"code":20,"message":"unknown call"}]}`)
	switch req.URL.Path {
	case "/api/v1/login":
		body = []byte(loginAnswer)
	case "/api/v1/guest/list/all":
		body = t.list
	}
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)), Request: req,
	}, nil
}

func newInvitarioAPI(tb testing.TB, list []byte) *invitario.API {
	tb.Helper()
	api, err := invitario.New(invitario.Credentials{EventID: "123", AppCode: "aBcDeFgH", Station: "Main Entrance"},
		invitario.WithBaseURL("https://api.invitario.example"), invitario.WithTransport(invitarioTransport{list: list}))
	require.NoError(tb, err)
	return api
}

// The three decoders under comparison. Each turns the list answer into
// invitario.Guest values; streamGuests hands each to fn as it is decoded,
// the other two return the whole list.

func streamGuests(ctx context.Context, api *invitario.API, fn func(*invitario.Guest)) error {
	for g, err := range api.GuestsAll(ctx, nil) {
		if err != nil {
			return err
		}
		fn(&g)
	}
	return nil
}

func encodingJSONGuests(data []byte) ([]invitario.Guest, error) {
	var res invitario.GuestListResult
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, err
	}
	return res.Guests, nil
}

// jxGuests decodes the answer with github.com/go-faster/jx the way
// ogen-generated code does: a decoder over the whole body, a switch on each
// object key, every guest appended to a slice.
func jxGuests(data []byte) ([]invitario.Guest, error) {
	d := jx.DecodeBytes(data)
	var guests []invitario.Guest
	err := d.ObjBytes(func(d *jx.Decoder, key []byte) error {
		if string(key) != "guests" {
			return d.Skip()
		}
		return d.Arr(func(d *jx.Decoder) error {
			var g invitario.Guest
			if err := jxGuest(d, &g); err != nil {
				return err
			}
			guests = append(guests, g)
			return nil
		})
	})
	return guests, err
}

func jxGuest(d *jx.Decoder, g *invitario.Guest) error {
	return d.ObjBytes(func(d *jx.Decoder, key []byte) error {
		var err error
		switch string(key) {
		case "id":
			g.ID, err = d.Str()
		case "parentId":
			g.ParentID, err = jxOptStr(d)
		case "accessCode":
			g.AccessCode, err = d.Str()
		case "highlightColor":
			g.HighlightColor, err = jxOptStr(d)
		case "registrationState":
			var s string
			s, err = d.Str()
			g.RegistrationState = invitario.RegistrationState(s)
		case "clientUpdateDateTime":
			var t *time.Time
			if t, err = jxOptTime(d); t != nil {
				g.ClientUpdateDateTime = *t
			}
		case "serverUpdateDateTime":
			g.ServerUpdateDateTime, err = jxOptTime(d)
		case "checkInDateTime":
			g.CheckInDateTime, err = jxOptTime(d)
		case "checkOutDateTime":
			g.CheckOutDateTime, err = jxOptTime(d)
		case "deleteDateTime":
			g.DeleteDateTime, err = jxOptTime(d)
		case "fields":
			g.Fields = invitario.Fields{}
			err = d.ObjBytes(func(d *jx.Decoder, key []byte) error {
				v, err := jxFieldValue(d)
				g.Fields[string(key)] = v
				return err
			})
		case "companions":
			g.Companions = []invitario.Companion{}
			err = d.Arr(func(d *jx.Decoder) error {
				var c invitario.Companion
				err := d.ObjBytes(func(d *jx.Decoder, key []byte) error {
					if string(key) != "id" {
						return d.Skip()
					}
					var err error
					c.ID, err = d.Str()
					return err
				})
				g.Companions = append(g.Companions, c)
				return err
			})
		default:
			err = d.Skip()
		}
		return err
	})
}

func jxOptStr(d *jx.Decoder) (string, error) {
	if d.Next() == jx.Null {
		return "", d.Null()
	}
	return d.Str()
}

func jxOptTime(d *jx.Decoder) (*time.Time, error) {
	if d.Next() == jx.Null {
		return nil, d.Null()
	}
	s, err := d.StrBytes()
	if err != nil {
		return nil, err
	}
	t, err := time.Parse(time.RFC3339, string(s))
	return &t, err
}

func jxFieldValue(d *jx.Decoder) (invitario.FieldValue, error) {
	switch d.Next() {
	case jx.Null:
		return invitario.FieldValue{}, d.Null()
	case jx.Array:
		list := []string{}
		err := d.Arr(func(d *jx.Decoder) error {
			s, err := d.Str()
			list = append(list, s)
			return err
		})
		return invitario.ListValue(list...), err
	default:
		s, err := d.Str()
		return invitario.StringValue(s), err
	}
}

func TestGuestDecodersAgree(t *testing.T) {
	data := guestListJSON(300)
	want, err := encodingJSONGuests(data)
	require.NoError(t, err)
	require.Len(t, want, 300)

	got, err := jxGuests(data)
	require.NoError(t, err)
	require.Equal(t, want, got, "jx decodes what encoding/json decodes")

	var streamed []invitario.Guest
	require.NoError(t, streamGuests(t.Context(), newInvitarioAPI(t, data), func(g *invitario.Guest) { streamed = append(streamed, *g) }))
	require.Equal(t, want, streamed, "the iterator yields what encoding/json decodes")

	// A damaged list fails all three.
	broken := data[:len(data)/2]
	_, err = encodingJSONGuests(broken)
	require.Error(t, err)
	_, err = jxGuests(broken)
	require.Error(t, err)
	require.Error(t, streamGuests(t.Context(), newInvitarioAPI(t, broken), func(*invitario.Guest) {}))
}

// bigGuestList is the 100,000-guest answer, made once per process and kept
// outside the Go heap (offHeap).
var bigGuestList = sync.OnceValue(func() []byte {
	data := offHeap(guestListJSON(100_000))
	runtime.GC()
	debug.FreeOSMemory()
	return data
})

// BenchmarkGuestList decodes a 100,000-guest list (about 64 MB) into
// invitario.Guest values: "stream" with the API's iterator over an
// in-memory transport (what a caller of GuestsAll gets), "encoding-json"
// with json.Unmarshal into the generated list type, "jx" with
// github.com/go-faster/jx as ogen-generated code would. All read the same
// bytes, held outside the Go heap. It reports throughput (MB/s of JSON) and
// the peak heap of one decode (see peakHeap); a decoder that returns the
// list holds it until it returns.
func BenchmarkGuestList(b *testing.B) {
	const n = 100_000
	data := bigGuestList()
	check := func(b *testing.B, got int) {
		if got != n {
			b.Fatalf("decoded %d guests, want %d", got, n)
		}
	}
	run := func(name string, decode func(b *testing.B) int) {
		b.Run(name, func(b *testing.B) {
			check(b, decode(b)) // warm up
			peak := peakHeap(func() { check(b, decode(b)) })
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				check(b, decode(b))
			}
			b.ReportMetric(float64(peak)/mib, "peak-heap-MiB")
		})
	}
	api := newInvitarioAPI(b, data)
	run("stream", func(b *testing.B) int {
		count := 0
		if err := streamGuests(b.Context(), api, func(*invitario.Guest) { count++ }); err != nil {
			b.Fatal(err)
		}
		return count
	})
	run("encoding-json", func(b *testing.B) int {
		guests, err := encodingJSONGuests(data)
		if err != nil {
			b.Fatal(err)
		}
		return len(guests)
	})
	run("jx", func(b *testing.B) int {
		guests, err := jxGuests(data)
		if err != nil {
			b.Fatal(err)
		}
		return len(guests)
	})
}
