package ivvy

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/specs"
)

// enumCase decodes raw JSON into one of the package's enum types and says
// what the value reads as: its label, whether it is documented, and its Go
// value as text.
type enumCase func(raw string) (label string, known bool, value string, err error)

func intEnum[T interface {
	~int
	String() string
	Known() bool
}]() enumCase {
	return func(raw string) (string, bool, string, error) {
		var v T
		err := json.Unmarshal([]byte(raw), &v)
		return v.String(), v.Known(), strconv.Itoa(int(v)), err
	}
}

// The enum types of the package, by name. TestEnumsMatchTheSpec fails when
// the spec declares one that is missing here.
var enumCases = map[string]enumCase{
	"EventType":          intEnum[EventType](),
	"EventStatus":        intEnum[EventStatus](),
	"RegistrationStatus": intEnum[RegistrationStatus](),
	"ContactEmailStatus": intEnum[ContactEmailStatus](),
	"ContactSMSStatus":   intEnum[ContactSMSStatus](),
	"ConsentSource":      intEnum[ConsentSource](),
	"InvoiceStatus":      intEnum[InvoiceStatus](),
	"NotificationResult": intEnum[NotificationResult](),
	"InvitationResponse": func(raw string) (string, bool, string, error) {
		var v InvitationResponse
		err := json.Unmarshal([]byte(raw), &v)
		return v.Label(), v.Known(), string(v), err
	},
}

// Every value the spec documents under x-go-enums decodes (as a number and,
// for integers, as a string of digits), reads as its label and is known;
// a value the spec does not list is kept as sent and is not known.
func TestEnumsMatchTheSpec(t *testing.T) {
	doc := specs.MustLoad(specs.Ivvy)
	declared, ok := doc.Extensions["x-go-enums"].(map[string]any)
	require.True(t, ok, "the spec declares x-go-enums")
	require.Len(t, enumCases, len(declared), "enumCases covers every enum of the spec")
	for name, d := range declared {
		t.Run(name, func(t *testing.T) {
			check, ok := enumCases[name]
			require.True(t, ok, "enumCases lacks %s", name)
			decl := d.(map[string]any)
			seen := map[string]bool{}
			for _, raw := range decl["values"].([]any) {
				v := raw.(map[string]any)
				label := v["label"].(string)
				var forms []string
				switch x := v["value"].(type) {
				case string:
					forms = []string{strconv.Quote(x)}
					seen[x] = true
				case float64:
					n := strconv.Itoa(int(x))
					forms = []string{n, strconv.Quote(n)}
					seen[n] = true
				default:
					t.Fatalf("value %v (%T)", x, x)
				}
				for _, f := range forms {
					got, known, _, err := check(f)
					require.NoError(t, err, f)
					assert.Equal(t, label, got, f)
					assert.True(t, known, f)
				}
			}
			// A value the spec does not document.
			var other, want string
			if decl["type"] == "string" {
				other, want = `"Maybe"`, "Maybe"
			} else {
				n := 0
				for seen[strconv.Itoa(n)] {
					n++
				}
				other, want = strconv.Itoa(n), fmt.Sprintf("%s(%d)", name, n)
			}
			got, known, _, err := check(other)
			require.NoError(t, err)
			assert.False(t, known, "%s is not documented", other)
			assert.Equal(t, want, got)
		})
	}
}

func TestIntegerEnumsDecodeLeniently(t *testing.T) {
	check := enumCases["EventStatus"]
	for raw, want := range map[string]string{`3`: "3", `"3"`: "3", `null`: "0", `""`: "0", ` 1 `: "1", `3.0`: "3", `1e1`: "10", `-2`: "-2"} {
		_, _, got, err := check(raw)
		require.NoError(t, err, raw)
		assert.Equal(t, want, got, raw)
	}
	for _, raw := range []string{`true`, `"three"`, `1.5`, `{}`, `"99999999999999999999"`, `1e10`, `"NaN"`, `"Inf"`} {
		_, _, _, err := check(raw)
		require.Error(t, err, raw)
		assert.Contains(t, err.Error(), "EventStatus", raw)
	}
}

// An optional answer field whose enum documents its zero value keeps a
// pointer: an event without a status is not a Draft, and a Draft survives
// being encoded again.
func TestOptionalEnumWithADocumentedZeroKeepsItsPointer(t *testing.T) {
	var absent, draft Event
	require.NoError(t, json.Unmarshal([]byte(`{"id":1}`), &absent))
	assert.Nil(t, absent.CurrentStatus)
	require.NoError(t, json.Unmarshal([]byte(`{"id":1,"currentStatus":0,"eventType":0}`), &draft))
	require.NotNil(t, draft.CurrentStatus)
	assert.Equal(t, EventStatusDraft, *draft.CurrentStatus)
	assert.Equal(t, EventTypeOther, *draft.EventType)
	b, err := json.Marshal(draft)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"currentStatus":0`)
	assert.Contains(t, string(b), `"eventType":0`)
}
