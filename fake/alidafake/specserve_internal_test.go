package alidafake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/specs"
)

// An operation added to the spec, with no handler of its own, is served:
// the credentials are checked, then the request against the spec, and the
// answer is the spec's success example with its status.
func TestAnOperationAddedToTheSpecIsServed(t *testing.T) {
	doc, err := specs.Load(specs.Alida)
	require.NoError(t, err)
	const orig = "/v1/applications/{communityApiKeyName}/invitationevents/queuedafter/{dateUtc}"
	item := doc.Paths.Value(orig)
	require.NotNil(t, item)
	get := *item.Get
	get.OperationID = "listQueuedCopy"
	doc.Paths.Set("/v1/applications/{communityApiKeyName}/queuedcopy/{dateUtc}",
		&openapi3.PathItem{Parameters: item.Parameters, Get: &get})
	// One more that names no community.
	var dateOnly openapi3.Parameters
	for _, p := range item.Parameters {
		if p.Value.Name != "communityApiKeyName" {
			dateOnly = append(dateOnly, p)
		}
	}
	get2 := *item.Get
	get2.OperationID = "listQueuedAnywhere"
	doc.Paths.Set("/v1/applications/queuedanywhere/{dateUtc}", &openapi3.PathItem{Parameters: dateOnly, Get: &get2})
	want, ok := oas.SuccessExample(&get)
	require.True(t, ok)
	wantJSON, err := json.Marshal(want)
	require.NoError(t, err)
	router, err := oas.NewRouter(doc)
	require.NoError(t, err)

	s := Demo()
	s.router = router
	call := func(target string, auth bool) *httptest.ResponseRecorder {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "http://alida.test"+target, nil)
		if auth {
			req.SetBasicAuth(DemoUsername, DemoPassword)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}

	rec := call("/v1/applications/demo-community/queuedcopy/2020-01-01", true)
	assert.Equal(t, http.StatusOK, rec.Code, "%s", rec.Body)
	assert.JSONEq(t, string(wantJSON), rec.Body.String(), "the spec's example")
	assert.Equal(t, 1, s.Calls("listQueuedCopy"))

	// No credentials: refused before the spec is consulted.
	rec = call("/v1/applications/demo-community/queuedcopy/not-a-date", false)
	assert.Equal(t, http.StatusUnauthorized, rec.Code, "%s", rec.Body)
	// Credentials, but a date the spec's pattern refuses.
	rec = call("/v1/applications/demo-community/queuedcopy/not-a-date", true)
	assert.Equal(t, http.StatusBadRequest, rec.Code, "%s", rec.Body)
	assert.Equal(t, 1, s.Calls("listQueuedCopy"))

	// An unknown community is refused; an operation without one is served.
	rec = call("/v1/applications/nobody/queuedcopy/2020-01-01", true)
	assert.Equal(t, http.StatusNotFound, rec.Code, "%s", rec.Body)
	rec = call("/v1/applications/queuedanywhere/2020-01-01", true)
	assert.Equal(t, http.StatusOK, rec.Code, "%s", rec.Body)
	assert.JSONEq(t, string(wantJSON), rec.Body.String())
}
