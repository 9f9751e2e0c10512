package contract_tests

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/gen/ivvy/notify"
	"github.com/invitekit/invitekit/internal/fixtures"
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/specs"
)

// notificationFixture is one iVvy notification under
// testdata/ivvy-notifications/<Subject>/<case>.json: the Body (required),
// and optionally the inner message and the SNS envelope around it. A
// negative one (Invalid) gives in InvalidAt the JSON pointer into Body of
// the field that breaks the schema ("" for the body as a whole).
type notificationFixture struct {
	Source    string          `json:"source"`
	Invalid   bool            `json:"invalid"`
	InvalidAt *string         `json:"invalidAt"`
	SNS       json.RawMessage `json:"sns"`
	Message   json.RawMessage `json:"message"`
	Body      json.RawMessage `json:"body"`
}

// TestNotificationFixtures validates each notification fixture against the
// schema whose x-ivvy-subject names its folder, and decodes it into the
// generated type the receiver uses for that subject.
func TestNotificationFixtures(t *testing.T) {
	doc, err := specs.Load(specs.Ivvy)
	require.NoError(t, err)
	bySubject := map[string]*openapi3.Schema{}
	for _, ref := range doc.Components.Schemas {
		if s, ok := ref.Value.Extensions["x-ivvy-subject"].(string); ok {
			bySubject[s] = ref.Value
		}
	}
	envelope := doc.Components.Schemas["NotificationMessage"].Value

	files, err := filepath.Glob(filepath.Join("testdata", "ivvy-notifications", "*", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, p := range files {
		subject := filepath.Base(filepath.Dir(p))
		t.Run(subject+"/"+filepath.Base(p), func(t *testing.T) {
			b, err := os.ReadFile(p)
			require.NoError(t, err)
			var fx notificationFixture
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(&fx))
			require.NotEmpty(t, fx.Source, "say where the fixture comes from")
			require.NotEmpty(t, fx.Body)
			schema := bySubject[subject]
			require.NotNil(t, schema, "no schema has x-ivvy-subject: %s", subject)

			verr := schema.VisitJSON(jsonValue(t, fx.Body), openapi3.MultiErrors())
			if fx.Invalid {
				assert.Error(t, verr, "a negative fixture passed validation")
				checkNotificationInvalidAt(t, schema, fx)
				return
			}
			require.Nil(t, fx.InvalidAt, "invalidAt only in a negative fixture (\"invalid\": true)")
			require.NoError(t, verr)
			v, ok := notify.NewBody(subject)
			require.True(t, ok)
			require.NoError(t, json.Unmarshal(fx.Body, v))

			if len(fx.Message) > 0 {
				require.NoError(t, envelope.VisitJSON(jsonValue(t, fx.Message), openapi3.MultiErrors()))
				var m ivvy.NotificationMessage
				require.NoError(t, json.Unmarshal(fx.Message, &m))
				assert.Equal(t, subject, m.Subject)
				assert.JSONEq(t, string(fx.Body), m.Body, "the message's Body is the fixture's body")
			}
			if len(fx.SNS) > 0 {
				env, err := notify.ParseEnvelope(fx.SNS)
				require.NoError(t, err)
				assert.Equal(t, notify.TypeNotification, env.Type)
				assert.NoError(t, notify.CheckSNSURL(env.SigningCertURL))
				require.NotEmpty(t, fx.Message)
				assert.JSONEq(t, string(fx.Message), env.Message, "the envelope's Message is the fixture's message")
			}
		})
	}
}

// checkNotificationInvalidAt requires a negative notification fixture to
// say where its body breaks the schema, and every problem found in it to
// lie there or inside it, as for the exchange fixtures (see the package
// documentation).
func checkNotificationInvalidAt(t *testing.T, schema *openapi3.Schema, fx notificationFixture) {
	t.Helper()
	require.NotNil(t, fx.InvalidAt, `a negative fixture says where it breaks the schema: add "invalidAt", the JSON pointer of the broken field in the body ("" for the body as a whole)`)
	at := *fx.InvalidAt
	require.True(t, at == "" || strings.HasPrefix(at, "/"), "invalidAt %q: a JSON pointer into the body (\"\" or starting with \"/\")", at)
	var found, locations []string
	oas.CheckValue(schema, jsonValue(t, fx.Body), "", func(p oas.Problem) {
		found = append(found, p.String())
		locations = append(locations, p.Pointer)
	})
	assert.NoError(t, fixtures.CheckLocations(at, locations), "%v", found)
}

func jsonValue(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v))
	return v
}
