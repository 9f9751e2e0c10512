package contract_tests

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/fixtures"
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/specs"
)

// apiUnderTest is one API's entry in the harness.
type apiUnderTest struct {
	name string    // folder under testdata/
	spec specs.API // the spec as written, under specs/
	// table gives the generated package's operations: id -> retry safety.
	table func() map[string]bool
	// target returns a pointer to the generated type that a response body
	// decodes into, or nil when the body is not decoded.
	target func(operationID string, status int, body []byte) any
}

var apis []apiUnderTest

func register(a apiUnderTest) { apis = append(apis, a) }

// safety maps a generated operation table to id -> retry safety.
func safety[O any](ops []O, get func(O) (string, bool)) map[string]bool {
	out := map[string]bool{}
	for _, o := range ops {
		id, safe := get(o)
		out[id] = safe
	}
	return out
}

// fixture is one recorded exchange, in the format package fixtures defines.
type fixture = fixtures.Fixture

func loadFixture(t *testing.T, path string) fixture {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var f fixture
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&f), "fixture %s", path)
	require.NotEmpty(t, f.Source, "fixture %s: source must say where the facts came from", path)
	require.Contains(t, []string{"", "request", "response"}, f.Invalid, "fixture %s: invalid must be \"\", \"request\" or \"response\"", path)
	return f
}

// fixtureFiles returns testdata/<api>/<operationId>/<case>.json, by operation.
func fixtureFiles(t *testing.T, api string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	root := filepath.Join("testdata", api)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".json" {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if len(parts) != 2 {
			return fmt.Errorf("fixture %s: want testdata/%s/<operationId>/<case>.json", p, api)
		}
		out[parts[0]] = append(out[parts[0]], p)
		return nil
	})
	require.NoError(t, err)
	return out
}

func operationIDs(doc *openapi3.T) []string {
	var ids []string
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ids = append(ids, op.OperationID)
		}
	}
	sort.Strings(ids)
	return ids
}

// checkFixture validates one fixture. It returns where in its message each
// problem of the first validation error (request first) lies (see
// fixtures.Fixture for the locations) and the validation errors, and fails
// t for anything else that is wrong.
func checkFixture(t *testing.T, api apiUnderTest, router *oas.Router, opID string, f fixture) (problems []oas.Problem, reqErr, respErr error) {
	t.Helper()
	ctx := context.Background()
	req, err := http.NewRequestWithContext(ctx, f.Request.Method, "http://fixture.test"+f.Request.Path, bytes.NewReader(f.Request.Bytes()))
	require.NoError(t, err)
	req.Header = f.Request.Header()

	route, _, err := router.FindRoute(req)
	require.NoError(t, err, "no operation for %s %s", f.Request.Method, f.Request.Path)
	require.Equal(t, opID, route.Operation.OperationID, "fixture is filed under the wrong operation")

	in, reqErr := oas.ValidateRequest(ctx, router, req)
	if in == nil {
		return oas.RequestErrorProblems(reqErr), reqErr, nil
	}
	body := f.Response.Bytes()
	respErr = oas.ValidateResponse(ctx, in, f.Response.Status, f.Response.Header(), body)
	if reqErr != nil {
		return oas.RequestErrorProblems(reqErr), reqErr, respErr
	}
	return oas.ResponseErrorProblems(route.Operation, f.Response.Status, f.Response.Header().Get("Content-Type"), body, respErr), nil, respErr
}

// requireInvalidAt fails t unless the problems of a negative fixture fit
// its invalidAt (fixtures.CheckLocations): a negative fixture breaks the
// spec once, where it says, so that a second mistake, or one in another
// field than the fixture means, cannot pass for the one it is about.
func requireInvalidAt(t *testing.T, path string, f fixture, problems []oas.Problem) {
	t.Helper()
	locations := make([]string, len(problems))
	for i, p := range problems {
		locations[i] = p.Pointer
	}
	require.NoError(t, fixtures.CheckLocations(*f.InvalidAt, locations), "invalid fixture %s (its %s): %v", path, f.Invalid, problems)
}

func TestContracts(t *testing.T) {
	require.NotEmpty(t, apis)
	for _, api := range apis {
		t.Run(api.name, func(t *testing.T) {
			doc, err := specs.Load(api.spec)
			require.NoError(t, err)
			router, err := oas.NewRouter(doc)
			require.NoError(t, err)
			files := fixtureFiles(t, api.name)

			ops := operationIDs(doc)
			for _, opID := range ops {
				t.Run(opID, func(t *testing.T) {
					valid := 0
					for _, path := range files[opID] {
						f := loadFixture(t, path)
						name := strings.TrimSuffix(filepath.Base(path), ".json")
						t.Run(name, func(t *testing.T) {
							require.NoError(t, f.CheckMarks(), "fixture %s", path)
							problems, reqErr, respErr := checkFixture(t, api, router, opID, f)
							switch f.Invalid {
							case "request":
								require.Error(t, reqErr, "invalid fixture %s: the request should fail validation", path)
								requireInvalidAt(t, path, f, problems)
								require.NoError(t, respErr, "invalid fixture %s: only the request breaks the spec; the response should fit it", path)
								return
							case "response":
								require.NoError(t, reqErr, "fixture %s: request", path)
								require.Error(t, respErr, "invalid fixture %s: the response should fail validation", path)
								requireInvalidAt(t, path, f, problems)
								return
							}
							require.NoError(t, reqErr, "fixture %s: request", path)
							require.NoError(t, respErr, "fixture %s: response", path)
							valid++
							checkDecode(t, api, opID, f)
						})
					}
					assert.Positive(t, valid, "operation %s has no valid fixture under testdata/%s/%s/", opID, api.name, opID)
				})
			}
			for opID := range files {
				assert.Contains(t, ops, opID, "testdata/%s/%s names no operation in the spec", api.name, opID)
			}
		})
	}
}

// checkDecode decodes the response body into the generated type with unknown
// fields refused, re-encodes it and checks the expected values.
func checkDecode(t *testing.T, api apiUnderTest, opID string, f fixture) {
	t.Helper()
	body := f.Response.Bytes()
	target := api.target(opID, f.Response.Status, body)
	if target == nil {
		require.Empty(t, f.Expect, "expect given but the body is not decoded")
		return
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(target), "decode into %T", target)
	encoded, err := json.Marshal(target)
	require.NoError(t, err)
	var tree, recorded any
	require.NoError(t, json.Unmarshal(encoded, &tree))
	require.NoError(t, json.Unmarshal(body, &recorded))
	assert.Empty(t, expectProblems(tree, recorded, f.Expect), "expected values of %T", target)
}

// expectProblems checks a fixture's expected values (dotted path -> value)
// against decoded, the decoded model encoded again, and recorded, the
// response as recorded. A path must name something the server sent (a
// misspelt path would otherwise pass whenever its value is a zero value),
// and the model must hold the expected value, or leave the field out when
// the value is a zero value (plain fields omit their zero values).
func expectProblems(decoded, recorded any, expect map[string]any) []string {
	var problems []string
	for path, want := range expect {
		if _, err := lookup(recorded, path); err != nil {
			problems = append(problems, fmt.Sprintf("expect %q: not in the recorded response: %v", path, err))
			continue
		}
		got, err := lookup(decoded, path)
		switch {
		case err != nil && isZeroJSON(want):
			// A plain field holding its zero value is left out when encoded.
		case err != nil:
			problems = append(problems, fmt.Sprintf("expect %q: not in the decoded model: %v", path, err))
		case !reflect.DeepEqual(normalize(want), normalize(got)):
			problems = append(problems, fmt.Sprintf("expect %q: want %v, the model holds %v", path, normalize(want), normalize(got)))
		}
	}
	sort.Strings(problems)
	return problems
}

func TestExpectProblems(t *testing.T) {
	recorded := map[string]any{"guest": map[string]any{"hasAttended": false, "id": 7}}
	decoded := map[string]any{"guest": map[string]any{"id": 7}} // false omitted
	for name, tc := range map[string]struct {
		expect map[string]any
		bad    bool
	}{
		"values held":            {map[string]any{"guest.id": 7}, false},
		"zero value omitted":     {map[string]any{"guest.hasAttended": false}, false},
		"misspelt zero path":     {map[string]any{"guest.hasAtended": false}, true},
		"wrong value":            {map[string]any{"guest.id": 8}, true},
		"non-zero value missing": {map[string]any{"guest.hasAttended": true}, true},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.bad, len(expectProblems(decoded, recorded, tc.expect)) > 0)
		})
	}
}

// lookup follows a dotted path (array indexes as numbers) through decoded JSON.
func lookup(v any, path string) (any, error) {
	for _, part := range strings.Split(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			next, ok := node[part]
			if !ok {
				return nil, fmt.Errorf("no key %q", part)
			}
			v = next
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(node) {
				return nil, fmt.Errorf("no index %q in an array of %d", part, len(node))
			}
			v = node[i]
		default:
			return nil, errors.New("path goes past a scalar at " + part)
		}
	}
	return v, nil
}

// isZeroJSON reports whether v is false, 0, "", null, [] or {}.
func isZeroJSON(v any) bool {
	switch x := normalize(v).(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func normalize(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// TestSpecs checks each spec is valid, its examples included, and that the
// generated operation table says what the spec says.
func TestSpecs(t *testing.T) {
	for _, api := range apis {
		t.Run(api.name, func(t *testing.T) {
			loader := openapi3.NewLoader()
			onDisk, err := specs.Load(api.spec)
			require.NoError(t, err)
			require.NoError(t, onDisk.Validate(loader.Context, openapi3.EnableExamplesValidation()))

			declared := oas.RetrySafe(onDisk)
			for _, id := range operationIDs(onDisk) {
				_, ok := declared[id]
				assert.True(t, ok, "operation %s lacks x-retry-safe", id)
			}
			assert.Equal(t, declared, api.table(), "the generated code is stale: run go generate ./...")
		})
	}
}

// wrongTypeCases name, per API, a valid fixture (operation/case) and a
// field of its response body that TestHarnessRejects gives a wrong type.
var wrongTypeCases = map[string]struct{ fixture, field string }{
	"ivvy":      {"ping/ack.json", "/ack"},
	"invitario": {"guestListAll/success.json", "/guests/0/accessCode"},
	"alida":     {"listQueuedInvitationEvents/date-time-sorted-fields.json", "/items/0/memberId"},
}

// TestHarnessRejects proves the validator is not vacuous: a response with a
// wrong type fails, at that field and nowhere else, and a request to an
// unknown action finds no route.
func TestHarnessRejects(t *testing.T) {
	for _, api := range apis {
		t.Run(api.name, func(t *testing.T) {
			doc, err := specs.Load(api.spec)
			require.NoError(t, err)
			router, err := oas.NewRouter(doc)
			require.NoError(t, err)

			c, ok := wrongTypeCases[api.name]
			require.True(t, ok, "wrongTypeCases has no fixture for %s", api.name)
			path := filepath.Join("testdata", api.name, filepath.FromSlash(c.fixture))
			opID := filepath.Base(filepath.Dir(path))
			f := loadFixture(t, path)
			require.Empty(t, f.Invalid, "%s: take a valid fixture", path)
			_, reqErr, respErr := checkFixture(t, api, router, opID, f)
			require.NoError(t, reqErr, "%s as recorded", path)
			require.NoError(t, respErr, "%s as recorded", path)

			var body any
			require.NoError(t, json.Unmarshal(f.Response.Body, &body))
			require.NoError(t, changeField(body, c.field, wrongType), "%s", path)
			f.Response.Body, err = json.Marshal(body)
			require.NoError(t, err)
			problems, reqErr, respErr := checkFixture(t, api, router, opID, f)
			require.NoError(t, reqErr)
			require.Error(t, respErr, "%s with %s of the wrong type passed validation", path, c.field)
			require.NotEmpty(t, problems)
			for _, p := range problems {
				assert.Equal(t, c.field, p.Pointer, "the problem is at the changed field: %s", p)
				assert.True(t, strings.HasPrefix(p.Expected, "type "), "the problem is the type: %s", p)
			}

			req, err := http.NewRequest(http.MethodPost, "http://fixture.test/no/such/operation?action=nothing", nil)
			require.NoError(t, err)
			_, _, err = router.FindRoute(req)
			require.Error(t, err)
		})
	}
}

// changeField replaces the value at ptr, a JSON pointer to a field (its
// keys free of "/", "~" and "."), in decoded JSON with change(value).
func changeField(body any, ptr string, change func(any) any) error {
	dotted := strings.ReplaceAll(strings.TrimPrefix(ptr, "/"), "/", ".")
	parent, key := body, dotted
	if i := strings.LastIndexByte(dotted, '.'); i >= 0 {
		var err error
		if parent, err = lookup(body, dotted[:i]); err != nil {
			return err
		}
		key = dotted[i+1:]
	}
	switch node := parent.(type) {
	case map[string]any:
		if _, ok := node[key]; !ok {
			return fmt.Errorf("%s: no key %q", ptr, key)
		}
		node[key] = change(node[key])
	case []any:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(node) {
			return fmt.Errorf("%s: no index %q in an array of %d", ptr, key, len(node))
		}
		node[i] = change(node[i])
	default:
		return fmt.Errorf("%s: goes past a scalar", ptr)
	}
	return nil
}

// wrongType returns a value of another JSON type than v: a number for a
// string, a string for anything else.
func wrongType(v any) any {
	if _, ok := v.(string); ok {
		return 12345
	}
	return "12345"
}
