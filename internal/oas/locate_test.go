package oas

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const locateSpec = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /forms:
    post:
      operationId: sendForm
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                ids: {type: array, items: {type: integer}}
      responses:
        "200": {description: ok}
  /things/{day}:
    post:
      operationId: addThing
      parameters:
        - {name: day, in: path, required: true, schema: {type: string, format: date}}
        - {name: limit, in: query, schema: {type: integer, maximum: 10}}
        - {name: site, in: query, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                tags: {type: array, items: {type: string}}
                contact:
                  oneOf:
                    - {type: object, required: [email], properties: {email: {type: string, format: email}}}
                    - {type: object, required: [phone], properties: {phone: {type: string, minLength: 5}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, required: [ok], properties: {ok: {type: boolean}, items: {type: array, maxItems: 1, items: {type: integer}}}}
`

// Each problem of a validation error is placed where it lies: a body
// pointer, or <in>/<name> for a parameter; the values never appear.
func TestProblemsAreLocated(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(locateSpec))
	require.NoError(t, err)
	require.NoError(t, doc.Validate(t.Context()))
	router, err := NewRouter(doc)
	require.NoError(t, err)
	locate := func(target, body string) []string {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, "http://x.test"+target, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		_, err := ValidateRequest(t.Context(), router, req)
		require.Error(t, err)
		var out []string
		for _, p := range RequestErrorProblems(err) {
			out = append(out, p.Pointer+": "+p.Expected)
			assert.NotContains(t, p.Expected, "913", "no value is repeated")
		}
		return out
	}
	const ok = `{"name":"x"}`

	assert.Equal(t, []string{"query/site: a required parameter"}, locate("/things/2026-01-02", ok))
	got := locate("/things/2026-01-02?site=a&limit=11", ok)
	require.Len(t, got, 1)
	assert.True(t, strings.HasPrefix(got[0], "query/limit: "), got[0])
	got = locate("/things/tomorrow?site=a", ok)
	require.Len(t, got, 1)
	assert.True(t, strings.HasPrefix(got[0], "path/day: "), got[0])
	assert.Equal(t, []string{": a body (it is required)"}, locate("/things/2026-01-02?site=a", ""))

	got = locate("/things/2026-01-02?site=a", `{"tags":["a",7]}`)
	assert.Len(t, got, 2)
	assert.Contains(t, strings.Join(got, "\n"), "/name: ")
	assert.Contains(t, strings.Join(got, "\n"), "/tags/1: ")

	// An unmatched oneOf is read as its closest alternative's problem (here
	// both are one problem away; the first wins), inside the oneOf.
	got = locate("/things/2026-01-02?site=a", `{"name":"x","contact":{"phone":"913"}}`)
	assert.Equal(t, 1, len(got), "%v", got)
	assert.Equal(t, "/contact/email: a required property", got[0])

	// A body of a content type the operation does not take: the type sent
	// is not repeated.
	req0 := httptest.NewRequest(http.MethodPost, "http://x.test/things/2026-01-02?site=a", strings.NewReader(`{"name":"x"}`))
	req0.Header.Set("Content-Type", "text/plain; secret=hunter2")
	_, err = ValidateRequest(t.Context(), router, req0)
	require.Error(t, err)
	require.NotEmpty(t, RequestErrorProblems(err))
	for _, p := range RequestErrorProblems(err) {
		assert.Equal(t, "", p.Pointer)
		assert.NotContains(t, p.Expected, "hunter2")
		assert.NotContains(t, p.Expected, "text/plain")
	}

	// A form field that does not decode is named field first.
	req := httptest.NewRequest(http.MethodPost, "http://x.test/forms", strings.NewReader("ids=1&ids=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, err = ValidateRequest(t.Context(), router, req)
	require.Error(t, err)
	ps := RequestErrorProblems(err)
	require.Len(t, ps, 1)
	assert.NotContains(t, ps[0].Expected, `"x"`)
	assert.Equal(t, "/ids/1", ps[0].Pointer)

	assert.Nil(t, RequestErrorProblems(nil))
}

func TestResponseProblemsAreLocated(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(locateSpec))
	require.NoError(t, err)
	op := doc.Paths.Value("/things/{day}").Post
	problems := func(contentType, body string) []Problem {
		return ResponseErrorProblems(op, 200, contentType, []byte(body), assert.AnError)
	}
	got := problems("application/json", `{"ok":"yes"}`)
	require.Len(t, got, 1)
	assert.Equal(t, "/ok", got[0].Pointer)
	// A rule of a whole list counts, which a check of its items one by one
	// would miss.
	got = problems("application/json", `{"items":[1,2],"ok":"x"}`)
	var at []string
	for _, p := range got {
		at = append(at, p.Pointer)
	}
	assert.ElementsMatch(t, []string{"/items", "/ok"}, at)
	got = problems("application/json", `not json`)
	require.NotEmpty(t, got)
	assert.Equal(t, "", got[0].Pointer)
	assert.Nil(t, ResponseErrorProblems(op, 200, "application/json", []byte(`{"ok":true}`), nil))
}

// A value that matches no alternative of a oneOf is read as the one it
// differs from in the fewest fields, however many items of one list are
// broken.
func TestClosestAlternativeByFields(t *testing.T) {
	const doc = `{"oneOf": [
		{"type": "object", "required": ["status", "guests"], "properties": {
			"status": {"type": "string", "enum": ["success"]},
			"guests": {"type": "array", "items": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}},
		{"type": "object", "required": ["status", "errors"], "properties": {
			"status": {"type": "string", "enum": ["error"]},
			"errors": {"type": "array"}}}]}`
	var schema openapi3.Schema
	require.NoError(t, json.Unmarshal([]byte(doc), &schema))
	v := map[string]any{"status": "success", "guests": []any{map[string]any{}, map[string]any{}, map[string]any{}}}
	var at []string
	CheckValue(&schema, v, "", func(p Problem) { at = append(at, p.Pointer) })
	assert.Equal(t, []string{"/guests/0/id", "/guests/1/id", "/guests/2/id"}, at)
}
