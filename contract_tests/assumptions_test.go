package contract_tests

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/invitekit/invitekit/specs"
)

// The x-assumption markers of a spec and the sources of the fixtures must
// agree (specs/README.md, "Assumptions"):
//
//   - a fixture whose source says its facts are assumed or inferred belongs to
//     an operation where a marker can be reached: on the operation, its
//     parameters or request body, the response for the fixture's status, a
//     security scheme the operation uses, or a schema any of these reference
//     (properties, items and compositions followed);
//   - every operation with a marker of its own has at least one fixture whose
//     source says what is assumed;
//   - a marker is a non-empty string and never sits beside a $ref, where
//     OpenAPI 3.0 tools ignore it.

const assumptionKey = "x-assumption"

// saysAssumed reports whether a fixture's source admits an assumption.
var saysAssumed = regexp.MustCompile(`(?i)\b(assum|inferr?)`).MatchString

// fixtureSource is what the rule needs of one fixture.
type fixtureSource struct {
	file        string
	operationID string
	status      int
	source      string
}

// hasMarker reports whether extensions carry an x-assumption.
func hasMarker(ext map[string]any) bool {
	_, ok := ext[assumptionKey]
	return ok
}

// markerFinder looks for markers reachable from a part of a spec.
type markerFinder struct {
	doc  *openapi3.T
	seen map[*openapi3.Schema]bool
}

func (m *markerFinder) schema(ref *openapi3.SchemaRef) bool {
	if ref == nil {
		return false
	}
	if hasMarker(ref.Extensions) {
		return true
	}
	s := ref.Value
	if s == nil || m.seen[s] {
		return false
	}
	m.seen[s] = true
	if hasMarker(s.Extensions) {
		return true
	}
	for _, name := range sortedKeys(s.Properties) {
		if m.schema(s.Properties[name]) {
			return true
		}
	}
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, sub := range list {
			if m.schema(sub) {
				return true
			}
		}
	}
	return m.schema(s.Items) || m.schema(s.Not) || m.schema(s.AdditionalProperties.Schema)
}

func (m *markerFinder) content(c openapi3.Content) bool {
	for _, ct := range sortedKeys(c) {
		if mt := c[ct]; mt != nil && (hasMarker(mt.Extensions) || m.schema(mt.Schema)) {
			return true
		}
	}
	return false
}

// response returns the response that answers status: the exact code, then
// its range (4XX), then default.
func response(op *openapi3.Operation, status int) *openapi3.ResponseRef {
	if op.Responses == nil {
		return nil
	}
	code := strconv.Itoa(status)
	if r := op.Responses.Value(code); r != nil {
		return r
	}
	if r := op.Responses.Value(code[:1] + "XX"); r != nil {
		return r
	}
	return op.Responses.Default()
}

// reachable reports whether a marker can be reached from op answered with
// status.
func (m *markerFinder) reachable(op *openapi3.Operation, status int) bool {
	m.seen = map[*openapi3.Schema]bool{}
	if hasMarker(op.Extensions) {
		return true
	}
	for _, p := range op.Parameters {
		if p != nil && (hasMarker(p.Extensions) || p.Value != nil && (hasMarker(p.Value.Extensions) || m.schema(p.Value.Schema))) {
			return true
		}
	}
	if rb := op.RequestBody; rb != nil && (hasMarker(rb.Extensions) || rb.Value != nil && (hasMarker(rb.Value.Extensions) || m.content(rb.Value.Content))) {
		return true
	}
	if r := response(op, status); r != nil && (hasMarker(r.Extensions) || r.Value != nil && (hasMarker(r.Value.Extensions) || m.content(r.Value.Content))) {
		return true
	}
	security := m.doc.Security
	if op.Security != nil {
		security = *op.Security
	}
	for _, req := range security {
		for name := range req {
			if m.doc.Components == nil {
				continue
			}
			if s := m.doc.Components.SecuritySchemes[name]; s != nil && s.Value != nil && hasMarker(s.Value.Extensions) {
				return true
			}
		}
	}
	return false
}

// operations maps operation ids to operations, with the path-level
// parameters added to each.
func operations(doc *openapi3.T) map[string]*openapi3.Operation {
	out := map[string]*openapi3.Operation{}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for _, op := range item.Operations() {
			copied := *op
			copied.Parameters = append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...)
			out[op.OperationID] = &copied
		}
	}
	return out
}

// assumptionViolations applies both directions of the rule.
func assumptionViolations(doc *openapi3.T, fixtures []fixtureSource) []string {
	var out []string
	ops := operations(doc)
	finder := &markerFinder{doc: doc}
	admitted := map[string]bool{}
	for _, f := range fixtures {
		op := ops[f.operationID]
		if op == nil || !saysAssumed(f.source) {
			continue
		}
		admitted[f.operationID] = true
		if !finder.reachable(op, f.status) {
			out = append(out, fmt.Sprintf("%s: the source says something is assumed, but operation %s has no x-assumption on itself, its request, its %d response or a schema they use", f.file, f.operationID, f.status))
		}
	}
	for _, id := range sortedKeys(ops) {
		if hasMarker(ops[id].Extensions) && !admitted[id] {
			out = append(out, fmt.Sprintf("operation %s carries x-assumption, but no fixture's source says what is assumed", id))
		}
	}
	return out
}

// misplacedMarkers finds markers that are not a non-empty string, and
// markers beside a $ref (OpenAPI 3.0 ignores a $ref's siblings), in the
// YAML of a spec.
func misplacedMarkers(src []byte) ([]string, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, err
	}
	var out []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			var marker, ref *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				switch n.Content[i].Value {
				case assumptionKey:
					marker = n.Content[i+1]
				case "$ref":
					ref = n.Content[i+1]
				}
			}
			if marker != nil {
				if marker.Kind != yaml.ScalarNode || marker.Tag != "!!str" || strings.TrimSpace(marker.Value) == "" {
					out = append(out, fmt.Sprintf("line %d: x-assumption must be a non-empty string giving the reason", marker.Line))
				}
				if ref != nil {
					out = append(out, fmt.Sprintf("line %d: x-assumption beside $ref %s is ignored; mark the enclosing schema or wrap the reference in allOf", marker.Line, ref.Value))
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&root)
	return out, nil
}

func TestAssumptionMarkersAreWellPlaced(t *testing.T) {
	for _, api := range specs.All() {
		t.Run(string(api), func(t *testing.T) {
			src, err := specs.YAML(api)
			require.NoError(t, err)
			bad, err := misplacedMarkers(src)
			require.NoError(t, err)
			if len(bad) > 0 {
				t.Errorf("%s:\n%s", api.File(), strings.Join(bad, "\n"))
			}
		})
	}
}

func TestAssumptionsMatchFixtures(t *testing.T) {
	for _, api := range apis {
		t.Run(api.name, func(t *testing.T) {
			doc, err := specs.Load(api.spec)
			require.NoError(t, err)
			var fixtures []fixtureSource
			files := fixtureFiles(t, api.name)
			for _, opID := range sortedKeys(files) {
				for _, path := range files[opID] {
					f := loadFixture(t, path)
					fixtures = append(fixtures, fixtureSource{file: path, operationID: opID, status: f.Response.Status, source: f.Source})
				}
			}
			bad := assumptionViolations(doc, fixtures)
			sort.Strings(bad)
			if len(bad) > 0 {
				t.Errorf("%d disagreements between x-assumption markers and fixture sources:\n%s", len(bad), strings.Join(bad, "\n"))
			}
		})
	}
}

// assumptionTestDoc is a small spec for the negative tests: %s is replaced
// by the markers of the case.
const assumptionTestDoc = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    post:
      operationId: addThing
      %s
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewThing"}
      responses:
        "201":
          description: added
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
        "404":
          $ref: "#/components/responses/Problem"
        default:
          description: failed
  /plain:
    get:
      operationId: getPlain
      responses:
        "200":
          description: ok
components:
  responses:
    Problem:
      description: failed
      %s
      content:
        application/json:
          schema: {type: object}
  schemas:
    NewThing:
      type: object
      properties:
        name: {type: string}
    Thing:
      type: object
      properties:
        id: {type: integer}
        owner: {$ref: "#/components/schemas/Owner"}
    Owner:
      type: object
      properties:
        since:
          type: string
          %s
`

func assumptionDoc(t *testing.T, onOperation, onProblem, onOwnerSince string) *openapi3.T {
	t.Helper()
	src := fmt.Sprintf(assumptionTestDoc, onOperation, onProblem, onOwnerSince)
	doc, err := openapi3.NewLoader().LoadFromData([]byte(src))
	require.NoError(t, err, src)
	return doc
}

func TestAssumptionRuleCatchesDisagreement(t *testing.T) {
	const marker = "x-assumption: not documented"
	assumed := func(op string, status int) fixtureSource {
		return fixtureSource{file: op + ".json", operationID: op, status: status, source: "Docs page; the status is inferred."}
	}
	plain := func(op string, status int) fixtureSource {
		return fixtureSource{file: op + "-plain.json", operationID: op, status: status, source: "Docs page example."}
	}

	t.Run("no markers, no admissions", func(t *testing.T) {
		doc := assumptionDoc(t, "", "", "")
		assert.Empty(t, assumptionViolations(doc, []fixtureSource{plain("addThing", 201), plain("getPlain", 200)}))
	})
	t.Run("a fixture admits an assumption the spec does not mark", func(t *testing.T) {
		doc := assumptionDoc(t, "", "", "")
		bad := assumptionViolations(doc, []fixtureSource{assumed("getPlain", 200)})
		require.Len(t, bad, 1)
		assert.Contains(t, bad[0], "getPlain.json")
	})
	t.Run("the marker is on another response than the fixture's", func(t *testing.T) {
		doc := assumptionDoc(t, "", marker, "")
		assert.Len(t, assumptionViolations(doc, []fixtureSource{assumed("addThing", 201)}), 1)
		assert.Empty(t, assumptionViolations(doc, []fixtureSource{assumed("addThing", 404)}))
	})
	t.Run("a marker on a property of a referenced schema counts", func(t *testing.T) {
		doc := assumptionDoc(t, "", "", marker)
		assert.Empty(t, assumptionViolations(doc, []fixtureSource{assumed("addThing", 201)}))
		assert.Len(t, assumptionViolations(doc, []fixtureSource{assumed("addThing", 500)}), 1)
	})
	t.Run("an operation marker without an admitting fixture", func(t *testing.T) {
		doc := assumptionDoc(t, marker, "", "")
		bad := assumptionViolations(doc, []fixtureSource{plain("addThing", 201)})
		require.Len(t, bad, 1)
		assert.Contains(t, bad[0], "operation addThing")
		assert.Empty(t, assumptionViolations(doc, []fixtureSource{plain("addThing", 201), assumed("addThing", 500)}))
	})
	t.Run("the words that admit an assumption", func(t *testing.T) {
		for _, s := range []string{"404 is assumed", "an Assumption of ours", "inferred from the name", "we infer it"} {
			assert.True(t, saysAssumed(s), s)
		}
		for _, s := range []string{"the documented example", "information from the page"} {
			assert.False(t, saysAssumed(s), s)
		}
	})
	t.Run("misplaced markers", func(t *testing.T) {
		bad, err := misplacedMarkers([]byte(`
a:
  $ref: "#/b"
  x-assumption: lost beside a ref
c:
  x-assumption: ""
d:
  x-assumption: [not, a, string]
e:
  allOf: [{$ref: "#/b"}]
  x-assumption: kept
`))
		require.NoError(t, err)
		require.Len(t, bad, 3)
		assert.Contains(t, bad[0], "line 4")
		assert.Contains(t, bad[0], "beside $ref")
		assert.Contains(t, bad[1], "line 6")
		assert.Contains(t, bad[2], "line 8")
	})
}
