package invitariofake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/specs"
)

// An operation added to the spec, with no handler of its own, is served:
// the session is checked, then the request against the spec, and the
// answer is the spec's success example.
func TestAnOperationAddedToTheSpecIsServed(t *testing.T) {
	doc, err := specs.Load(specs.Invitario)
	require.NoError(t, err)
	logout := doc.Paths.Value("/api/v1/logout").Post
	require.NotNil(t, logout)
	ping := *logout
	ping.OperationID = "sessionPing"
	ping.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchema(
		openapi3.NewObjectSchema().
			WithProperty("sessionToken", openapi3.NewStringSchema().WithMinLength(1)).
			WithProperty("count", openapi3.NewIntegerSchema()).
			WithRequired([]string{"sessionToken", "count"}))}
	ping.Responses = openapi3.NewResponses()
	okResp := openapi3.NewResponse().WithDescription("alive").
		WithJSONSchemaRef(logout.Responses.Status(200).Value.Content.Get("application/json").Schema)
	okResp.Content.Get("application/json").Example = map[string]any{"status": "success"}
	ping.Responses.Set("200", &openapi3.ResponseRef{Value: okResp})
	doc.Paths.Set("/api/v1/session/ping", &openapi3.PathItem{Post: &ping})
	// One more whose request carries no session token: served without one.
	open := ping
	open.OperationID = "publicPing"
	open.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchema(
		openapi3.NewObjectSchema().WithProperty("count", openapi3.NewIntegerSchema()))}
	doc.Paths.Set("/api/v1/public/ping", &openapi3.PathItem{Post: &open})
	router, err := oas.NewRouter(doc)
	require.NoError(t, err)

	s := Demo()
	s.router = router
	srv := httptest.NewServer(s)
	defer srv.Close()
	post := func(path, body string) (int, map[string]any) {
		resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		var out map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		return resp.StatusCode, out
	}
	status, body := post("/api/v1/login", `{"eventId":"`+DemoEventID+`","apiKey":"`+DemoAppCode+`","stationName":"Door"}`)
	require.Equal(t, http.StatusOK, status)
	tok, _ := body["sessionToken"].(string)
	require.NotEmpty(t, tok, "%v", body)

	status, body = post("/api/v1/session/ping", `{"sessionToken":"`+tok+`","count":1}`)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{"status": "success"}, body, "the spec's example")
	assert.Equal(t, 1, s.Calls("sessionPing"))

	// A bad session is refused before the spec is consulted.
	_, body = post("/api/v1/session/ping", `{"sessionToken":"not-a-session","count":"many"}`)
	assert.Equal(t, "error", body["status"])
	assert.Contains(t, body["errors"].([]any)[0].(map[string]any)["message"], "session token")

	// With a good session, a body the spec refuses is refused.
	status, body = post("/api/v1/public/ping", `{"count":2}`)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{"status": "success"}, body, "no session needed")

	require.Empty(t, s.Violations())
	_, body = post("/api/v1/session/ping", `{"sessionToken":"`+tok+`","count":"many"}`)
	assert.Equal(t, "error", body["status"], "count must be an integer")
	assert.NotEmpty(t, s.Violations())
}
