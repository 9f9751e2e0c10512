package invitario

import (
	"encoding/json"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hand-written guest decoder must give what json.Unmarshal gives, for
// the documented shape and for everything around it (it hands what it does
// not handle to json.Unmarshal).
var decodeGuestSeeds = []string{
	`{"id":"2e1a7138","parentId":"bf291cd3","accessCode":"abcdef","clientUpdateDateTime":"2017-06-01T18:30:00+02:00",` +
		`"serverUpdateDateTime":"2017-06-01T18:30:00Z","checkInDateTime":"2017-06-01T18:30:00.123+02:00","checkOutDateTime":null,` +
		`"deleteDateTime":null,"registrationState":"registered","highlightColor":"#ffeedd","fields":{"salutation":"Mr.",` +
		`"lastName":"Smith","fax":null,"customField47":["vegetarian","vegan"],"empty":[]},"companions":[{"id":"20c36bba"},{"id":"bb1f8ca9"}]}`,
	`{"id":"x","companions":[],"fields":{},"registrationState":"somethingNew"}`,
	`{}`,
	`null`,
	` { "id" : "spaced" , "fields" : { "a" : [ "b" , null ] } } `,
	`{"id":"M\u00fcller \"quoted\"","fields":{"n\u00e4me":"v\/w","k":"\ud83d\ude00"}}`,
	`{"id":"Müller","fields":{"näme":"Zürich"}}`,
	`{"ID":"upper","Id":"mixed"}`,
	`{"id":"a","id":"b"}`,
	`{"fields":{"a":"1"},"fields":{"b":"2"}}`,
	`{"companions":[{"id":"a"}],"companions":[{"id":"b","extra":1}]}`,
	`{"companions":[null,{"ID":"x"},{"id":null}]}`,
	`{"unknown":{"deep":[1,-2.5e+3,true,false,null,"s"]},"id":"after"}`,
	`{"fieldſ":{"a":"b"}}`,
	`{"id":5}`,
	`{"fields":{"a":5}}`,
	`{"fields":{"a":["b",5]}}`,
	`{"fields":null,"companions":null,"parentId":null}`,
	`{"clientUpdateDateTime":null,"checkInDateTime":"2017-06-01 18:30:00"}`,
	`{"clientUpdateDateTime":"not a time"}`,
	`{"id":"bad` + "\xff" + `utf8"}`,
	`{"id":"tab` + "\t" + `inside"}`,
	`{"id":"a",}`,
	`{"id" "a"}`,
	`{"unknown":01}`,
	`{"unknown":1.}`,
	`{"unknown":tru}`,
	`[]`,
}

func checkDecodeGuest(t *testing.T, in string) {
	var want Guest
	wantErr := json.Unmarshal([]byte(in), &want)
	var got Guest
	var names fieldNames
	gotErr := decodeGuest([]byte(in), &got, &names)
	if wantErr != nil {
		require.Error(t, gotErr, in)
		return
	}
	require.NoError(t, gotErr, in)
	assert.Equal(t, want, got, in)
}

func TestDecodeGuestMatchesEncodingJSON(t *testing.T) {
	for _, in := range decodeGuestSeeds {
		checkDecodeGuest(t, in)
	}
}

func FuzzDecodeGuest(f *testing.F) {
	for _, in := range decodeGuestSeeds {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !json.Valid([]byte(in)) {
			// decodeGuest gets whole values only; it must still fail.
			var g Guest
			var names fieldNames
			if json.Unmarshal([]byte(in), &g) != nil {
				assert.Error(t, decodeGuest([]byte(in), &g, &names))
			}
			return
		}
		checkDecodeGuest(t, in)
	})
}

func TestStreamReadsAnyChunking(t *testing.T) {
	body := `{"status":"success","extra":{"a":"}]\\\"","b":[1,{"c":"\\\\"}]},"guests":[` +
		decodeGuestSeeds[0] + `,` + decodeGuestSeeds[5] + `,` + decodeGuestSeeds[11] + `,null,` +
		`{"id":"ends with a backslash\\\\","fields":{"q":"\"\\\\\""}}` +
		`],"count":5,"dateTime":"2018-01-01T18:30:00+02:00"}`
	var want GuestListResult
	require.NoError(t, json.Unmarshal([]byte(body), &want))
	for _, r := range map[string]func() io.Reader{
		"whole":    func() io.Reader { return strings.NewReader(body) },
		"one byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(body)) },
		"half":     func() io.Reader { return iotest.HalfReader(strings.NewReader(body)) },
	} {
		var got []Guest
		s, n, _, err := streamFrom(r(), 1<<20, func(g Guest, err error) bool { got = append(got, g); return true })
		require.NoError(t, err)
		assert.Equal(t, 5, n)
		assert.Equal(t, want.Guests, got)
		assert.Equal(t, 5, s.count)
		assert.Equal(t, "success", s.status)
	}
}

// Unknown values nested past what the hand-written parser recurses into
// still decode as encoding/json decodes them.
func TestDecodeGuestDeepUnknownMatchesEncodingJSON(t *testing.T) {
	for _, depth := range []int{maxSkipNesting - 1, maxSkipNesting, maxSkipNesting + 1, 1000, MaxNesting - 1} {
		in := `{"id":"x","u":` + strings.Repeat(`[{"k":`, depth/2) + `1` + strings.Repeat(`}]`, depth/2) + `}`
		checkDecodeGuest(t, in)
	}
}

// The envelope's other properties are held to the same depth.
func TestStreamRefusesDeepEnvelopeValue(t *testing.T) {
	body := `{"status":"success","extra":` + strings.Repeat("[", MaxNesting+1) + strings.Repeat("]", MaxNesting+1) + `,"guests":[]}`
	_, _, _, err := streamFrom(strings.NewReader(body), 1<<20, func(Guest, error) bool { return true })
	require.ErrorIs(t, err, ErrTooDeep)
	assert.False(t, brokenStream(err), "a malformed answer is not retried")
	body = `{"status":"success","extra":` + strings.Repeat("[", MaxNesting) + strings.Repeat("]", MaxNesting) + `,"guests":[]}`
	_, _, _, err = streamFrom(strings.NewReader(body), 1<<20, func(Guest, error) bool { return true })
	require.NoError(t, err)
}
