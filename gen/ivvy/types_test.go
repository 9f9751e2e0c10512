package ivvy

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/fixtures"
)

func TestTimeDecodesBothFormsAndNull(t *testing.T) {
	want := time.Date(2021, 5, 13, 7, 5, 33, 0, time.UTC)
	for _, in := range []string{`"2021-05-13 07:05:33 UTC"`, `"2021-05-13 07:05:33"`} {
		var v Time
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.Equal(t, want, v.Time, in)
		out, err := json.Marshal(v)
		require.NoError(t, err)
		assert.Equal(t, `"2021-05-13 07:05:33 UTC"`, string(out))
	}
	for _, in := range []string{`null`, `""`} {
		v := NewTime(want)
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.True(t, v.IsZero(), in)
	}
	for _, bad := range []string{`"2021-05-13T07:05:33Z"`, `"2021-13-01 00:00:00"`, `12`, `"yesterday"`, `{}`} {
		var v Time
		err := json.Unmarshal([]byte(bad), &v)
		assert.Error(t, err, bad)
	}
	zero, _ := json.Marshal(Time{})
	assert.Equal(t, "null", string(zero))
}

func TestIntAndFloatAcceptNumbersAndStrings(t *testing.T) {
	for in, want := range map[string]Int{`12`: 12, `"12"`: 12, `"-3"`: -3, `null`: 0, `""`: 0} {
		var v Int
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.Equal(t, want, v, in)
	}
	for _, bad := range []string{`"1.5"`, `1.5`, `"x"`, `true`, `[]`, `"99999999999999999999"`} {
		var v Int
		assert.Error(t, json.Unmarshal([]byte(bad), &v), bad)
	}
	for in, want := range map[string]Float{`44`: 44, `"44"`: 44, `"12.50"`: 12.5, `0.25`: 0.25} {
		var v Float
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.Equal(t, want, v, in)
	}
	for _, bad := range []string{`"x"`, `true`, `{}`} {
		var v Float
		assert.Error(t, json.Unmarshal([]byte(bad), &v), bad)
	}
	b, _ := json.Marshal(struct {
		I Int
		F Float
	}{7, 2.5})
	assert.JSONEq(t, `{"I":7,"F":2.5}`, string(b))
}

// Values that strconv accepts but JSON cannot carry (NaN, infinities, hex
// floats) are refused: decoded, they would make the value impossible to
// encode back. The error names the value, the type and the field.
func TestFloatRefusesWhatJSONCannotEncode(t *testing.T) {
	for _, bad := range []string{`"NaN"`, `"nan"`, `"-NaN"`, `"Inf"`, `"+Inf"`, `"-Infinity"`, `"infinity"`,
		`"0x1p-2"`, `"0X1P+3"`, `"0x_1p0"`, `"1_000"`, `"1e999"`, `"-1e400"`, `1e400`, `"."`, `"1e"`, `"e5"`, `"1.5.2"`, `" 1 2"`} {
		var v Float
		err := json.Unmarshal([]byte(bad), &v)
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "ivvy.Float", bad)
	}
	for in, want := range map[string]Float{`"1e3"`: 1000, `"-0.5"`: -0.5, `"+2"`: 2, `"12."`: 12, `".5"`: 0.5, `"007"`: 7, `1E-2`: 0.01} {
		var v Float
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.Equal(t, want, v, in)
		_, err := json.Marshal(v)
		require.NoError(t, err, in)
	}

	var att Attendee
	err := json.Unmarshal([]byte(`{"id":1,"cost":"NaN"}`), &att)
	require.Error(t, err)
	var te *json.UnmarshalTypeError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "cost", te.Field)
	assert.Contains(t, err.Error(), `"NaN"`)
	assert.Contains(t, err.Error(), "Attendee.cost")
	assert.Contains(t, err.Error(), "ivvy.Float")
}

func TestIntRefusesNonDecimal(t *testing.T) {
	for _, bad := range []string{`"0x10"`, `"1_000"`, `"NaN"`, `"Inf"`, `"1e3"`, `"-"`, `"12x"`} {
		var v Int
		err := json.Unmarshal([]byte(bad), &v)
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "ivvy.Int", bad)
	}
	var att struct {
		Contact Int `json:"contactId"`
	}
	err := json.Unmarshal([]byte(`{"contactId":"0x1F"}`), &att)
	var te *json.UnmarshalTypeError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "contactId", te.Field)
	assert.Contains(t, err.Error(), `"0x1F"`)
}

// FuzzFloat: whatever Float accepts encodes back to JSON that decodes to
// the same value.
func FuzzFloat(f *testing.F) {
	for _, s := range []string{`"NaN"`, `"Infinity"`, `"0x1p-2"`, `12.5`, `"12.50"`, `null`, `"1e308"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v Float
		if err := json.Unmarshal(b, &v); err != nil {
			return
		}
		out, err := json.Marshal(v)
		require.NoError(t, err, "encoding %v decoded from %s", v, b)
		var back Float
		require.NoError(t, json.Unmarshal(out, &back), "re-decoding %s", out)
		assert.Equal(t, v, back)
	})
}

func FuzzTime(f *testing.F) {
	for _, s := range []string{`"2021-05-13 07:05:33 UTC"`, `"2021-05-13 07:05:33"`, `null`, `""`, `"2021-02-30 00:00:00"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v Time
		if err := json.Unmarshal(b, &v); err != nil {
			return
		}
		out, err := json.Marshal(v)
		require.NoError(t, err)
		var back Time
		require.NoError(t, json.Unmarshal(out, &back), "re-decoding %s", out)
		assert.True(t, v.Equal(back.Time))
	})
}

func FuzzNumbers(f *testing.F) {
	for _, s := range []string{`12`, `"12"`, `"12.5"`, `null`, `-0`, `1e3`, `"  7 "`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var i Int
		if json.Unmarshal(b, &i) == nil {
			out, err := json.Marshal(i)
			require.NoError(t, err)
			var back Int
			require.NoError(t, json.Unmarshal(out, &back))
			assert.Equal(t, i, back)
		}
		var fl Float
		if json.Unmarshal(b, &fl) == nil {
			_, _ = json.Marshal(fl)
		}
	})
}

// FuzzResponseDecode feeds bodies to the response path of every operation:
// exception detection and the decode into each generated result type.
func FuzzResponseDecode(f *testing.F) {
	bodies, err := fixtures.ResponseBodies("../../contract_tests/testdata/ivvy")
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range bodies {
		f.Add(200, b)
		f.Add(400, b)
	}
	f.Add(502, []byte("<html>bad gateway</html>"))
	targets := []func() any{
		func() any { return new(PingResult) }, func() any { return new(InviteContactsResult) },
		func() any { return new(EventCollection) }, func() any { return new(Event) },
		func() any { return new(Registration) }, func() any { return new(RegistrationCollection) },
		func() any { return new(Attendee) }, func() any { return new(AttendeeCollection) },
		func() any { return new(InvitedContactCollection) }, func() any { return new(SponsorCollection) },
		func() any { return new(SpeakerCollection) }, func() any { return new(EventSessionCollection) },
		func() any { return new(LoginToken) }, func() any { return new(ContactCollection) },
		func() any { return new(Contact) }, func() any { return new(AddOrUpdateResult) },
		func() any { return new(BatchRunResult) }, func() any { return new(BatchProgress) },
		func() any { return new(BatchResults) }, func() any { return new(BatchRestartResult) },
		func() any { return new(BatchRepostResult) },
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		err := checkResponse("op", resp, body, time.Now())
		if err != nil {
			msg := err.Error()
			assert.True(t, strings.HasPrefix(msg, "ivvy: op: "), msg)
			return
		}
		for _, target := range targets {
			_ = json.Unmarshal(body, target())
		}
	})
}
