package oas

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const spec = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /api/1.0/event?action=inviteContacts:
    post:
      operationId: inviteContacts
      x-retry-safe: false
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [event], properties: {event: {type: integer}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, required: [ok], properties: {ok: {type: boolean}}}}}}
  /api/1.0/event?action=getEvent:
    post:
      operationId: getEvent
      x-retry-safe: true
      responses: {"200": {description: ok}}
  /v1/applications/{community}/invitationevents/queuedafter/{date}:
    get:
      operationId: queued
      parameters:
        - {name: community, in: path, required: true, schema: {type: string}}
        - {name: date, in: path, required: true, schema: {type: string}}
      responses: {"200": {description: ok}}
  /v1/applications/{community}/invitationevents:
    post:
      operationId: report
      parameters:
        - {name: community, in: path, required: true, schema: {type: string}}
      responses: {"201": {description: ok}}
`

func load(t *testing.T) *Router {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(spec))
	require.NoError(t, err)
	r, err := NewRouter(doc)
	require.NoError(t, err)
	return r
}

func find(t *testing.T, r *Router, method, url string) (string, map[string]string, error) {
	t.Helper()
	req, err := http.NewRequest(method, "http://h.test"+url, nil)
	require.NoError(t, err)
	route, params, err := r.FindRoute(req)
	if err != nil {
		return "", nil, err
	}
	return route.Operation.OperationID, params, nil
}

func TestRouterMatchesActionAndTemplates(t *testing.T) {
	r := load(t)
	id, _, err := find(t, r, "POST", "/api/1.0/event?action=inviteContacts")
	require.NoError(t, err)
	assert.Equal(t, "inviteContacts", id)
	id, _, err = find(t, r, "POST", "/api/1.0/event?action=getEvent")
	require.NoError(t, err)
	assert.Equal(t, "getEvent", id)
	_, _, err = find(t, r, "POST", "/api/1.0/event?action=deleteEvent")
	assert.ErrorIs(t, err, routers.ErrPathNotFound)
	_, _, err = find(t, r, "POST", "/api/1.0/event")
	assert.ErrorIs(t, err, routers.ErrPathNotFound)
	_, _, err = find(t, r, "GET", "/api/1.0/event?action=getEvent")
	assert.ErrorIs(t, err, routers.ErrMethodNotAllowed)

	id, params, err := find(t, r, "GET", "/v1/applications/acme/invitationevents/queuedafter/2017-02-28")
	require.NoError(t, err)
	assert.Equal(t, "queued", id)
	assert.Equal(t, map[string]string{"community": "acme", "date": "2017-02-28"}, params)
	id, _, err = find(t, r, "POST", "/v1/applications/acme/invitationevents")
	require.NoError(t, err)
	assert.Equal(t, "report", id)
}

func TestValidateRequestAndResponse(t *testing.T) {
	r := load(t)
	ctx := context.Background()
	req, _ := http.NewRequest("POST", "http://h.test/api/1.0/event?action=inviteContacts", strings.NewReader(`{"event":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	_, err := ValidateRequest(ctx, r, req)
	require.Error(t, err)

	req, _ = http.NewRequest("POST", "http://h.test/api/1.0/event?action=inviteContacts", strings.NewReader(`{"event":4}`))
	req.Header.Set("Content-Type", "application/json")
	in, err := ValidateRequest(ctx, r, req)
	require.NoError(t, err)
	assert.Equal(t, "inviteContacts", OperationID(in))
	body := make([]byte, 11)
	n, _ := req.Body.Read(body)
	assert.Equal(t, `{"event":4}`, string(body[:n]), "the body is still readable")

	h := http.Header{"Content-Type": {"application/json"}}
	assert.NoError(t, ValidateResponse(ctx, in, 200, h, []byte(`{"ok":true}`)))
	assert.Error(t, ValidateResponse(ctx, in, 200, h, []byte(`{"ok":"yes"}`)))
	assert.Error(t, ValidateResponse(ctx, in, 418, h, []byte(`{"ok":true}`)), "undeclared status")
}

func TestRetrySafe(t *testing.T) {
	r := load(t)
	assert.Equal(t, map[string]bool{"inviteContacts": false, "getEvent": true}, RetrySafe(r.Doc()))
}
