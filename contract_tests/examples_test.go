package contract_tests

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/specs"
)

// Every component schema and every JSON response of a spec carries an
// example, each example is valid against its schema, and each response
// example decodes into the generated Go type: a mock server or a document
// renderer built from the spec then shows data the clients accept.

// isJSONMediaType reports whether a content type carries JSON.
func isJSONMediaType(ct string) bool {
	ct = strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	return ct == "application/json" || strings.HasSuffix(ct, "+json")
}

// exampleSite is one place in a spec that has, or should have, an example.
type exampleSite struct {
	where   string // a readable location: components/schemas/Event, POST /x 200 application/json
	schema  *openapi3.Schema
	example any  // nil when there is none
	has     bool // an example (or named examples) is given
	// response is true for a response body: readOnly and writeOnly are
	// then judged as in an answer.
	response bool
	// operationID and status locate a response example for decoding; status
	// is 0 for a component response or a default response.
	operationID string
	status      int
}

// exampleSites lists the component schemas, then the JSON contents of the
// component responses and of every operation's own (not $ref) responses.
// Named examples yield one site each.
func exampleSites(doc *openapi3.T) []exampleSite {
	var out []exampleSite
	if doc.Components != nil {
		for _, name := range sortedKeys(doc.Components.Schemas) {
			ref := doc.Components.Schemas[name]
			if ref == nil || ref.Value == nil {
				continue
			}
			out = append(out, exampleSite{
				where:   "components/schemas/" + name,
				schema:  ref.Value,
				example: ref.Value.Example,
				has:     ref.Value.Example != nil,
			})
		}
		for _, name := range sortedKeys(doc.Components.Responses) {
			ref := doc.Components.Responses[name]
			if ref == nil || ref.Value == nil {
				continue
			}
			out = append(out, responseSites("components/responses/"+name, "", 0, ref.Value)...)
		}
	}
	if doc.Paths == nil {
		return out
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for _, method := range sortedKeys(item.Operations()) {
			op := item.Operations()[method]
			if op.Responses == nil {
				continue
			}
			for _, code := range sortedKeys(op.Responses.Map()) {
				ref := op.Responses.Value(code)
				if ref == nil || ref.Ref != "" || ref.Value == nil {
					continue // a $ref response is checked once, as a component
				}
				status, _ := strconv.Atoi(code)
				where := fmt.Sprintf("%s %s (%s) %s", method, path, op.OperationID, code)
				out = append(out, responseSites(where, op.OperationID, status, ref.Value)...)
			}
		}
	}
	return out
}

// responseSites lists the JSON contents of one response.
func responseSites(where, operationID string, status int, resp *openapi3.Response) []exampleSite {
	var out []exampleSite
	for _, ct := range sortedKeys(resp.Content) {
		mt := resp.Content[ct]
		if mt == nil || !isJSONMediaType(ct) {
			continue
		}
		var schema *openapi3.Schema
		if mt.Schema != nil {
			schema = mt.Schema.Value
		}
		site := exampleSite{where: where + " " + ct, schema: schema, response: true, operationID: operationID, status: status}
		switch {
		case mt.Example != nil:
			site.example, site.has = mt.Example, true
			out = append(out, site)
		case len(mt.Examples) > 0:
			for _, name := range sortedKeys(mt.Examples) {
				named := site
				named.where += " examples/" + name
				if ex := mt.Examples[name]; ex != nil && ex.Value != nil {
					named.example, named.has = ex.Value.Value, ex.Value.Value != nil
				}
				out = append(out, named)
			}
		default:
			out = append(out, site)
		}
	}
	return out
}

// missingExamples names every site without an example.
func missingExamples(doc *openapi3.T) []string {
	var out []string
	for _, s := range exampleSites(doc) {
		if !s.has {
			out = append(out, s.where)
		}
	}
	return out
}

// invalidExamples validates each example against its schema and returns one
// message per example that fails. doc.Validate stops at the first bad
// example; this lists them all.
func invalidExamples(doc *openapi3.T) []string {
	var out []string
	for _, s := range exampleSites(doc) {
		if !s.has || s.schema == nil {
			continue
		}
		opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors()}
		if s.response {
			opts = append(opts, openapi3.VisitAsResponse())
		}
		if err := s.schema.VisitJSON(s.example, opts...); err != nil {
			out = append(out, s.where+": "+err.Error())
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestEverySchemaAndResponseHasAnExample(t *testing.T) {
	for _, api := range specs.All() {
		t.Run(string(api), func(t *testing.T) {
			doc, err := specs.Load(api)
			require.NoError(t, err)
			if missing := missingExamples(doc); len(missing) > 0 {
				t.Errorf("%s: %d places without an example:\n%s", api.File(), len(missing), strings.Join(missing, "\n"))
			}
		})
	}
}

func TestExamplesAreValid(t *testing.T) {
	for _, api := range specs.All() {
		t.Run(string(api), func(t *testing.T) {
			doc, err := specs.Load(api)
			require.NoError(t, err)
			if bad := invalidExamples(doc); len(bad) > 0 {
				t.Errorf("%s: %d invalid examples:\n%s", api.File(), len(bad), strings.Join(bad, "\n"))
			}
			// The same check as kin-openapi does it, nested examples included.
			require.NoError(t, doc.Validate(context.Background(), openapi3.EnableExamplesValidation()))
		})
	}
}

// TestResponseExamplesDecode decodes every operation's response examples
// into the generated type the client would use, unknown fields refused.
func TestResponseExamplesDecode(t *testing.T) {
	for _, api := range apis {
		t.Run(api.name, func(t *testing.T) {
			doc, err := specs.Load(api.spec)
			require.NoError(t, err)
			decoded := 0
			for _, path := range doc.Paths.InMatchingOrder() {
				for _, op := range doc.Paths.Value(path).Operations() {
					for code, ref := range op.Responses.Map() {
						status, err := strconv.Atoi(code)
						if err != nil {
							status = http.StatusInternalServerError // default
						}
						for _, s := range responseSites(op.OperationID+" "+code, op.OperationID, status, ref.Value) {
							if !s.has {
								continue
							}
							body, err := json.Marshal(s.example)
							require.NoError(t, err)
							target := api.target(op.OperationID, status, body)
							if target == nil {
								continue
							}
							dec := json.NewDecoder(bytes.NewReader(body))
							dec.DisallowUnknownFields()
							assert.NoError(t, dec.Decode(target), "%s: decode the example into %T", s.where, target)
							decoded++
						}
					}
				}
			}
			assert.Positive(t, decoded)
		})
	}
}

// exampleTestDoc is a small spec whose examples the checks above must judge.
const exampleTestDoc = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
              example: %s
        "404":
          $ref: "#/components/responses/Problem"
components:
  responses:
    Problem:
      description: failed
      content:
        application/json:
          schema: {type: object, properties: {code: {type: integer}}}
          %s
  schemas:
    Thing:
      type: object
      required: [id, at]
      properties:
        id: {type: integer}
        at: {type: string, format: date-time}
      %s
`

func loadExampleTestDoc(t *testing.T, response, problem, thing string) *openapi3.T {
	t.Helper()
	src := fmt.Sprintf(exampleTestDoc, response, problem, thing)
	doc, err := openapi3.NewLoader().LoadFromData([]byte(src))
	require.NoError(t, err, src)
	return doc
}

func TestExampleChecksCatchMistakes(t *testing.T) {
	ctx := context.Background()
	const goodThing = `example: {"id": 1, "at": "2026-05-01T09:30:00Z"}`
	const goodResponse = `{"id": 2, "at": "2026-05-01T10:00:00+02:00"}`
	const goodProblem = `example: {"code": 7}`

	t.Run("all good", func(t *testing.T) {
		doc := loadExampleTestDoc(t, goodResponse, goodProblem, goodThing)
		assert.Empty(t, missingExamples(doc))
		assert.Empty(t, invalidExamples(doc))
		assert.NoError(t, doc.Validate(ctx, openapi3.EnableExamplesValidation()))
	})
	t.Run("schema without example", func(t *testing.T) {
		doc := loadExampleTestDoc(t, goodResponse, goodProblem, "")
		assert.Equal(t, []string{"components/schemas/Thing"}, missingExamples(doc))
	})
	t.Run("response without example", func(t *testing.T) {
		doc := loadExampleTestDoc(t, goodResponse, "", goodThing)
		assert.Equal(t, []string{"components/responses/Problem application/json"}, missingExamples(doc))
	})
	t.Run("schema example of the wrong type", func(t *testing.T) {
		doc := loadExampleTestDoc(t, goodResponse, goodProblem, `example: {"id": "one", "at": "2026-05-01T09:30:00Z"}`)
		bad := invalidExamples(doc)
		require.Len(t, bad, 1)
		assert.Contains(t, bad[0], "components/schemas/Thing")
		assert.Error(t, doc.Validate(ctx, openapi3.EnableExamplesValidation()))
	})
	t.Run("date-time example in another format", func(t *testing.T) {
		doc := loadExampleTestDoc(t, goodResponse, goodProblem, `example: {"id": 1, "at": "2026-05-01 09:30:00"}`)
		require.Len(t, invalidExamples(doc), 1)
		assert.Error(t, doc.Validate(ctx, openapi3.EnableExamplesValidation()))
	})
	t.Run("response example missing a required field", func(t *testing.T) {
		doc := loadExampleTestDoc(t, `{"id": 2}`, goodProblem, goodThing)
		bad := invalidExamples(doc)
		require.Len(t, bad, 1)
		assert.Contains(t, bad[0], "GET /things")
		assert.Error(t, doc.Validate(ctx, openapi3.EnableExamplesValidation()))
	})
	t.Run("component response example of the wrong type", func(t *testing.T) {
		doc := loadExampleTestDoc(t, goodResponse, `example: {"code": "x"}`, goodThing)
		require.Len(t, invalidExamples(doc), 1)
		assert.Error(t, doc.Validate(ctx, openapi3.EnableExamplesValidation()))
	})
}
