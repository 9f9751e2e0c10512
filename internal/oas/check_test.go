package oas

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const checkSpec = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /list:
    get:
      operationId: list
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/Item"}
  /page:
    get:
      operationId: page
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                oneOf:
                  - type: object
                    required: [total, results]
                    properties:
                      total: {type: integer}
                      results: {type: array, items: {$ref: "#/components/schemas/Item"}}
                  - type: object
                    required: [error]
                    properties:
                      error: {type: string}
components:
  schemas:
    Item:
      type: object
      required: [id]
      properties:
        id: {type: string}
        size: {type: integer}
`

func loadCheckSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(checkSpec))
	require.NoError(t, err)
	require.NoError(t, doc.Validate(t.Context()))
	return doc
}

func collect(t *testing.T, op *openapi3.Operation, status int, body string, oneByte bool) []Problem {
	t.Helper()
	var got []Problem
	r := strings.NewReader(body)
	var err error
	if oneByte {
		err = CheckResponse(op, status, "application/json", iotest.OneByteReader(r), func(p Problem) { got = append(got, p) })
	} else {
		err = CheckResponse(op, status, "application/json", r, func(p Problem) { got = append(got, p) })
	}
	require.NoError(t, err)
	return got
}

func TestCheckResponseItemByItem(t *testing.T) {
	doc := loadCheckSpec(t)
	list := doc.Paths.Find("/list").Get
	page := doc.Paths.Find("/page").Get
	for _, oneByte := range []bool{false, true} {
		got := collect(t, list, 200, `[{"id":"a"},{"id":"b","size":"big"},{"size":1}]`, oneByte)
		assert.Equal(t, []Problem{{Pointer: "/1/size", Expected: "type integer"}, {Pointer: "/2/id", Expected: "a required property"}}, got)

		got = collect(t, page, 200, ` { "results" : [ {"id":"a"}, {"id":3} ], "total": "two" } `, oneByte)
		assert.ElementsMatch(t, []Problem{{Pointer: "/results/1/id", Expected: "type string"}, {Pointer: "/total", Expected: "type integer"}}, got)

		assert.Empty(t, collect(t, page, 200, `{"error":"no"}`, oneByte))
		assert.Empty(t, collect(t, page, 200, `{"total":0,"results":[]}`, oneByte))
	}
	got := collect(t, list, 404, `{}`, false)
	require.Len(t, got, 1)
	assert.Equal(t, "", got[0].Pointer)
	assert.Contains(t, got[0].Expected, "404")

	err := CheckResponse(list, 200, "application/json", strings.NewReader(`[{"id":"a"}] x`), func(Problem) {})
	assert.ErrorContains(t, err, "after the JSON value")
}

// ReadRequestError sorts a validation error into a missing body, schema
// errors (innermost, with their paths) and other reasons.
func TestReadRequestError(t *testing.T) {
	// The spec of TestProblemsAreLocated.
	doc, err := openapi3.NewLoader().LoadFromData([]byte(locateSpec))
	require.NoError(t, err)
	router, err := NewRouter(doc)
	require.NoError(t, err)
	validate := func(target, body string) RequestProblems {
		req := httptest.NewRequest(http.MethodPost, "http://x.test"+target, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		_, err := ValidateRequest(t.Context(), router, req)
		require.Error(t, err)
		return ReadRequestError(err)
	}

	assert.True(t, validate("/things/2026-01-02?site=a", "").BodyMissing)

	// A missing parameter is not a missing body.
	p := validate("/things/2026-01-02", `{"name":"x"}`)
	assert.False(t, p.BodyMissing)
	assert.Equal(t, []string{"parameter site: a required parameter is missing"}, p.Other)

	p = validate("/things/2026-01-02?site=a", `{"tags":["a",7]}`)
	assert.False(t, p.BodyMissing)
	var paths []string
	for _, e := range p.Schema {
		paths = append(paths, strings.Join(e.JSONPointer(), "/")+" "+e.SchemaField)
	}
	assert.ElementsMatch(t, []string{"name required", "tags/1 type"}, paths)

	p = validate("/things/2026-01-02?site=a&limit=many", `{"name":"x"}`)
	assert.Empty(t, p.Schema)
	require.Len(t, p.Other, 1)
	assert.Contains(t, p.Other[0], "limit")

	assert.Equal(t, RequestProblems{}, ReadRequestError(nil))
}
