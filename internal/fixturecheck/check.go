package fixturecheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/invitekit/invitekit/internal/fixtures"
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/specs"
)

// Issue is one way a fixture breaks the spec.
type Issue struct {
	Part string `json:"part"` // "request", "response" or "file"
	// Field is where in the message: a JSON pointer into the body, or
	// "<in>/<name>" for a request parameter ("query/limit"), as a
	// negative fixture's invalidAt names it (see fixtures.Fixture).
	Field    string `json:"field,omitempty"`
	Expected string `json:"expected"`
}

// String reads "part field: expected".
func (i Issue) String() string {
	if i.Field == "" {
		return i.Part + ": " + i.Expected
	}
	return i.Part + " " + i.Field + ": " + i.Expected
}

// FileResult is the verdict on one fixture file.
type FileResult struct {
	Path      string  `json:"path"`
	API       string  `json:"api,omitempty"`
	Operation string  `json:"operation,omitempty"`
	Status    int     `json:"status,omitempty"`
	Invalid   string  `json:"invalid,omitempty"`
	Issues    []Issue `json:"issues,omitempty"`
	// OK: a fixture that fits the spec, or a negative one that fails
	// where it says it does: every problem at its invalidAt or inside it.
	OK bool `json:"ok"`
}

// Verdict says what the fixtures showed about one assumption.
type Verdict struct {
	Assumption
	Confirmed    int    `json:"confirmed"`                // exchanges whose data there fits the spec
	Contradicted int    `json:"contradicted"`             // exchanges whose data there does not
	Example      string `json:"contradictedBy,omitempty"` // a file that contradicts it
}

// Report is the result of Check.
type Report struct {
	Files       []FileResult `json:"files"`
	Assumptions []Verdict    `json:"assumptions"`
}

// Failed reports whether any file broke the spec.
func (r *Report) Failed() bool {
	for _, f := range r.Files {
		if !f.OK {
			return true
		}
	}
	return false
}

// checker holds the specs.
type checker struct {
	apis    []*apiSpec
	verdict map[string]*Verdict // by api + location
	order   []string
}

type apiSpec struct {
	name    string
	doc     *openapi3.T
	router  *oas.Router
	ops     map[string]bool
	schemas map[*openapi3.Schema]string // marked schemas -> location
	opLoc   map[*openapi3.Operation]string
	respLoc map[*openapi3.Response]string
}

func newChecker() (*checker, error) {
	c := &checker{verdict: map[string]*Verdict{}}
	all, err := Assumptions()
	if err != nil {
		return nil, err
	}
	for _, a := range all {
		key := a.API + " " + a.Location
		if _, dup := c.verdict[key]; !dup {
			c.verdict[key] = &Verdict{Assumption: a}
			c.order = append(c.order, key)
		}
	}
	for _, api := range specs.All() {
		doc, err := specs.Load(api)
		if err != nil {
			return nil, err
		}
		r, err := oas.NewRouter(doc)
		if err != nil {
			return nil, err
		}
		s := &apiSpec{name: string(api), doc: doc, router: r, ops: map[string]bool{},
			schemas: map[*openapi3.Schema]string{}, opLoc: map[*openapi3.Operation]string{}, respLoc: map[*openapi3.Response]string{}}
		s.index()
		c.apis = append(c.apis, s)
	}
	return c, nil
}

func marked(ext map[string]any) bool {
	_, ok := ext["x-assumption"]
	return ok
}

// index finds the marked operations, responses and schemas of the spec
// and where they are written.
func (s *apiSpec) index() {
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef, loc string)
	walk = func(ref *openapi3.SchemaRef, loc string) {
		if ref == nil || ref.Value == nil || ref.Ref != "" || seen[ref.Value] {
			return
		}
		v := ref.Value
		seen[v] = true
		if marked(v.Extensions) {
			s.schemas[v] = loc
		}
		for name, p := range v.Properties {
			walk(p, loc+"/properties/"+escape(name))
		}
		walk(v.Items, loc+"/items")
		if v.AdditionalProperties.Schema != nil {
			walk(v.AdditionalProperties.Schema, loc+"/additionalProperties")
		}
		for kw, list := range map[string]openapi3.SchemaRefs{"allOf": v.AllOf, "oneOf": v.OneOf, "anyOf": v.AnyOf} {
			for i, x := range list {
				walk(x, fmt.Sprintf("%s/%s/%d", loc, kw, i))
			}
		}
		walk(v.Not, loc+"/not")
	}
	if s.doc.Components != nil {
		for name, ref := range s.doc.Components.Schemas {
			walk(ref, "/components/schemas/"+escape(name))
		}
		for name, ref := range s.doc.Components.Responses {
			if ref != nil && ref.Value != nil && ref.Ref == "" {
				loc := "/components/responses/" + escape(name)
				if marked(ref.Value.Extensions) {
					s.respLoc[ref.Value] = loc
				}
				for mt, m := range ref.Value.Content {
					walk(m.Schema, loc+"/content/"+escape(mt)+"/schema")
				}
			}
		}
	}
	for key, item := range s.doc.Paths.Map() {
		for method, op := range item.Operations() {
			s.ops[op.OperationID] = true
			loc := "/paths/" + escape(key) + "/" + strings.ToLower(method)
			if marked(op.Extensions) {
				s.opLoc[op] = loc
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil && op.RequestBody.Ref == "" {
				for mt, m := range op.RequestBody.Value.Content {
					walk(m.Schema, loc+"/requestBody/content/"+escape(mt)+"/schema")
				}
			}
			for i, p := range op.Parameters {
				if p != nil && p.Value != nil && p.Ref == "" {
					walk(p.Value.Schema, fmt.Sprintf("%s/parameters/%d/schema", loc, i))
				}
			}
			if op.Responses == nil {
				continue
			}
			for code, r := range op.Responses.Map() {
				if r == nil || r.Value == nil || r.Ref != "" {
					continue
				}
				rloc := loc + "/responses/" + escape(code)
				if marked(r.Value.Extensions) {
					s.respLoc[r.Value] = rloc
				}
				for mt, m := range r.Value.Content {
					walk(m.Schema, rloc+"/content/"+escape(mt)+"/schema")
				}
			}
		}
	}
}

// Check validates every fixture file (*.json) under the given files and
// directories.
func Check(paths ...string) (*Report, error) {
	c, err := newChecker()
	if err != nil {
		return nil, err
	}
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && filepath.Ext(path) == ".json" && !strings.HasPrefix(d.Name(), ".") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no fixture files (*.json) under %s", strings.Join(paths, ", "))
	}
	sort.Strings(files)
	rep := &Report{}
	for _, f := range files {
		rep.Files = append(rep.Files, c.file(f))
	}
	for _, key := range c.order {
		rep.Assumptions = append(rep.Assumptions, *c.verdict[key])
	}
	return rep, nil
}

// readFixture decodes the fixture in path as it reads the file, and
// refuses anything after it.
func readFixture(path string) (fixtures.Fixture, error) {
	var fx fixtures.Fixture
	f, err := os.Open(path)
	if err != nil {
		return fx, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fx); err != nil {
		return fx, errors.New("a fixture in the contract tests' format: " + err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return fx, errors.New("one fixture per file (there is more after the first)")
	}
	return fx, nil
}

// file checks one fixture file.
func (c *checker) file(path string) FileResult {
	res := FileResult{Path: path}
	fail := func(part, what string) FileResult {
		res.Issues = append(res.Issues, Issue{Part: part, Expected: what})
		return res
	}
	fx, err := readFixture(path)
	if err != nil {
		return fail("file", err.Error())
	}
	res.Invalid, res.Status = fx.Invalid, fx.Response.Status
	if fx.Source == "" {
		return fail("file", "a source saying where the exchange comes from")
	}
	if err := fx.CheckMarks(); err != nil {
		return fail("file", err.Error())
	}
	ctx := context.Background()
	req, err := http.NewRequestWithContext(ctx, fx.Request.Method, "http://fixture.test"+fx.Request.Path, bytes.NewReader(fx.Request.Bytes()))
	if err != nil {
		return fail("request", "a method and path: "+err.Error())
	}
	req.Header = fx.Request.Header()
	var spec *apiSpec
	var route *openapi3.Operation
	for _, s := range c.apis {
		if r, _, err := s.router.FindRoute(req); err == nil {
			spec, route = s, r.Operation
			break
		}
	}
	if spec == nil {
		return fail("request", fmt.Sprintf("an operation of a spec (none has %s %s)", fx.Request.Method, fx.Request.Path))
	}
	res.API, res.Operation = spec.name, route.OperationID
	// Issues of the file itself count whatever the fixture is marked.
	var fileIssues []Issue
	if folder := filepath.Base(filepath.Dir(path)); spec.ops[folder] && folder != route.OperationID {
		fileIssues = append(fileIssues, Issue{Part: "file", Expected: fmt.Sprintf("the folder of operation %s (filed under %s)", route.OperationID, folder)})
	}

	var reqIssues, respIssues []Issue
	in, reqErr := oas.ValidateRequest(ctx, spec.router, req)
	reqIssues = issues("request", oas.RequestErrorProblems(reqErr))
	body := fx.Response.Bytes()
	if in != nil {
		err := oas.ValidateResponse(ctx, in, fx.Response.Status, fx.Response.Header(), body)
		respIssues = issues("response", oas.ResponseErrorProblems(route, fx.Response.Status, fx.Response.Header().Get("Content-Type"), body, err))
	}
	switch fx.Invalid {
	case "request":
		// The answer to a request that breaks the spec still fits it.
		res.OK = len(reqIssues) > 0 && len(respIssues) == 0
		if len(reqIssues) == 0 {
			res.Issues = append(res.Issues, Issue{Part: "request", Expected: "to fail validation (the fixture is marked invalid), but it fits the spec"})
		}
		res.Issues = append(res.Issues, respIssues...)
	case "response":
		res.OK = len(reqIssues) == 0 && len(respIssues) > 0
		res.Issues = append(res.Issues, reqIssues...)
		if len(respIssues) == 0 {
			res.Issues = append(res.Issues, Issue{Part: "response", Expected: "to fail validation (the fixture is marked invalid), but it fits the spec"})
		}
	default:
		res.Issues = append(res.Issues, reqIssues...)
		res.Issues = append(res.Issues, respIssues...)
		res.OK = len(res.Issues) == 0
		c.assess(spec, route, fx, path, res.OK)
	}
	if fx.Invalid != "" && res.OK {
		found := reqIssues
		if fx.Invalid == "response" {
			found = respIssues
		}
		locations := make([]string, len(found))
		for i, is := range found {
			locations[i] = is.Field
		}
		if err := fixtures.CheckLocations(*fx.InvalidAt, locations); err != nil {
			res.OK = false
			// Show the problems that lie elsewhere, or all of them when
			// invalidAt is only too wide.
			shown := found
			var elsewhere []Issue
			for _, is := range found {
				if !fixtures.Within(is.Field, *fx.InvalidAt) {
					elsewhere = append(elsewhere, is)
				}
			}
			if len(elsewhere) > 0 {
				shown = elsewhere
			}
			res.Issues = append([]Issue{{Part: "file", Expected: fmt.Sprintf("the %s to break the spec at invalidAt %s: %v", fx.Invalid, fixtures.Describe(*fx.InvalidAt), err)}}, shown...)
		} else {
			// The expected failure is shown, not counted.
			res.Issues = append(reqIssues, respIssues...)
		}
	}
	if len(fileIssues) > 0 {
		res.OK = false
		res.Issues = append(fileIssues, res.Issues...)
	}
	return res
}

// issues turns the located problems of a validation error into issues
// of part ("request" or "response").
func issues(part string, problems []oas.Problem) []Issue {
	var out []Issue
	for _, p := range problems {
		out = append(out, Issue{Part: part, Field: p.Pointer, Expected: p.Expected})
	}
	return out
}

// assess records what a valid-or-not (but not negative) fixture says
// about the assumptions:
//   - a marked operation is confirmed by an exchange of it that fits the
//     spec and contradicted by one that does not;
//   - a marked response likewise, by exchanges answered with its status;
//   - a marked schema or property is confirmed by each exchange whose data
//     at that place fits it, and contradicted by each whose data there
//     does not. Data absent from an exchange says nothing.
func (c *checker) assess(s *apiSpec, op *openapi3.Operation, fx fixtures.Fixture, path string, ok bool) {
	note := func(loc string, good bool) {
		v := c.verdict[s.name+" "+loc]
		if v == nil {
			return
		}
		if good {
			v.Confirmed++
		} else {
			v.Contradicted++
			if v.Example == "" {
				v.Example = path
			}
		}
	}
	if loc, isMarked := s.opLoc[op]; isMarked {
		note(loc, ok)
	}
	if op.Responses != nil {
		r := op.Responses.Status(fx.Response.Status)
		if r == nil {
			r = op.Responses.Default()
		}
		if r != nil && r.Value != nil {
			if loc, isMarked := s.respLoc[r.Value]; isMarked {
				note(loc, ok)
			}
		}
	}
	if len(s.schemas) == 0 {
		return
	}
	visit := func(schema *openapi3.Schema, raw []byte) {
		var v any
		if schema == nil || len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
			return
		}
		walkData(schema, v, func(sc *openapi3.Schema, val any) {
			if loc, isMarked := s.schemas[sc]; isMarked {
				good := true
				oas.CheckValue(sc, val, "", func(oas.Problem) { good = false })
				note(loc, good)
			}
		}, 0)
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		if m := op.RequestBody.Value.Content.Get("application/json"); m != nil && m.Schema != nil {
			visit(m.Schema.Value, fx.Request.Body)
		}
	}
	if schema, _ := oas.ResponseSchema(op, fx.Response.Status); schema != nil {
		visit(schema, fx.Response.Body)
	}
}

// walkData calls meet for every schema the value v meets on its way
// through schema: the properties it has, the items of its arrays, the
// alternatives of oneOf and anyOf it fits, every part of allOf.
func walkData(schema *openapi3.Schema, v any, meet func(*openapi3.Schema, any), depth int) {
	if schema == nil || depth > 64 {
		return
	}
	meet(schema, v)
	for _, a := range schema.AllOf {
		if a != nil {
			walkData(a.Value, v, meet, depth+1)
		}
	}
	for _, alts := range []openapi3.SchemaRefs{schema.OneOf, schema.AnyOf} {
		for _, a := range alts {
			if a == nil || a.Value == nil {
				continue
			}
			fits := true
			oas.CheckValue(a.Value, v, "", func(oas.Problem) { fits = false })
			if fits {
				walkData(a.Value, v, meet, depth+1)
			}
		}
	}
	switch val := v.(type) {
	case map[string]any:
		for k, x := range val {
			if p := schema.Properties[k]; p != nil {
				walkData(p.Value, x, meet, depth+1)
			} else if ap := schema.AdditionalProperties.Schema; ap != nil {
				walkData(ap.Value, x, meet, depth+1)
			}
		}
	case []any:
		if schema.Items != nil {
			for _, x := range val {
				walkData(schema.Items.Value, x, meet, depth+1)
			}
		}
	}
}

// Write prints the report as text: a line per file, then the assumptions
// that the fixtures confirmed or contradicted.
func (r *Report) Write(w io.Writer) {
	bad := 0
	for _, f := range r.Files {
		head := fmt.Sprintf("%s %s", f.API, f.Operation)
		if f.Status != 0 {
			head += fmt.Sprintf(" status %d", f.Status)
		}
		switch {
		case f.OK && f.Invalid != "":
			fmt.Fprintf(w, "OK    %s (%s; invalid %s, fails as expected)\n", f.Path, strings.TrimSpace(head), f.Invalid)
		case f.OK:
			fmt.Fprintf(w, "OK    %s (%s)\n", f.Path, strings.TrimSpace(head))
		default:
			bad++
			fmt.Fprintf(w, "FAIL  %s (%s)\n", f.Path, strings.TrimSpace(head))
			for _, i := range f.Issues {
				fmt.Fprintf(w, "        %s\n", i)
			}
		}
	}
	var confirmed, contradicted []Verdict
	for _, v := range r.Assumptions {
		if v.Contradicted > 0 {
			contradicted = append(contradicted, v)
		} else if v.Confirmed > 0 {
			confirmed = append(confirmed, v)
		}
	}
	fmt.Fprintf(w, "%d file(s), %d OK, %d breaking the spec\n", len(r.Files), len(r.Files)-bad, bad)
	fmt.Fprintf(w, "assumptions: %d confirmed, %d contradicted, %d not met by these fixtures\n",
		len(confirmed), len(contradicted), len(r.Assumptions)-len(confirmed)-len(contradicted))
	for _, v := range contradicted {
		fmt.Fprintf(w, "CONTRADICTED  %s %s (%d of %d exchanges, e.g. %s): %s\n", v.API, v.Location, v.Contradicted, v.Contradicted+v.Confirmed, v.Example, v.Reason)
	}
	for _, v := range confirmed {
		fmt.Fprintf(w, "CONFIRMED     %s %s (%d exchanges): %s\n", v.API, v.Location, v.Confirmed, v.Reason)
	}
}
