package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/getkin/kin-openapi/openapi3"
)

// An open enum is declared once, at the root of a spec, under x-go-enums:
//
//	x-go-enums:
//	  EventType:
//	    type: integer
//	    description: The kind of an event.
//	    values:
//	      - {value: 0, name: Other, label: Other}
//	      - {value: 12, name: RecordEventDetails, label: Record Event Details,
//	         description: The only type addOrUpdateEvent accepts.}
//
// and a schema takes it as its Go type with x-go-type: EventType. The schema
// stays a plain integer or string, so any value validates and decodes (the
// set is open); the generated type names the documented values, labels them
// (String for integers, Label for strings) and tells them from others
// (Known). An integer enum decodes from a number or a string of digits
// through the package's decodeEnum, which the package writes by hand.
type enumDecl struct {
	Name        string      `json:"-"`
	Type        string      `json:"type"`
	Description string      `json:"description"`
	Values      []enumValue `json:"values"`
}

type enumValue struct {
	Value       any    `json:"value"`
	Name        string `json:"name"`
	Label       string `json:"label"`
	Description string `json:"description"`

	GoValue string `json:"-"` // the value as a Go literal
}

// readEnums reads and checks the x-go-enums of doc, and checks every schema
// that names one of them as its x-go-type.
func readEnums(doc *openapi3.T) ([]*enumDecl, error) {
	enums, err := decodeEnums(doc)
	if err != nil || len(enums) == 0 {
		return nil, err
	}
	byName := map[string]*enumDecl{}
	for _, e := range enums {
		byName[e.Name] = e
	}
	if err := checkEnumUses(doc, byName); err != nil {
		return nil, err
	}
	return enums, nil
}

// decodeEnums reads and checks the x-go-enums of doc, sorted by name.
func decodeEnums(doc *openapi3.T) ([]*enumDecl, error) {
	raw, ok := doc.Extensions["x-go-enums"]
	if !ok {
		return nil, nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("x-go-enums: %w", err)
	}
	var byName map[string]*enumDecl
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&byName); err != nil {
		return nil, fmt.Errorf("x-go-enums: %w", err)
	}
	var enums []*enumDecl
	for name, e := range byName {
		if e == nil {
			return nil, fmt.Errorf("x-go-enums.%s: empty", name)
		}
		e.Name = name
		if err := e.check(); err != nil {
			return nil, fmt.Errorf("x-go-enums.%s: %w", name, err)
		}
		enums = append(enums, e)
	}
	sort.Slice(enums, func(i, j int) bool { return enums[i].Name < enums[j].Name })
	return enums, nil
}

func (e *enumDecl) check() error {
	if !isExportedIdent(e.Name) {
		return fmt.Errorf("not an exported Go name")
	}
	if e.Type != "integer" && e.Type != "string" {
		return fmt.Errorf("type is %q; want integer or string", e.Type)
	}
	if strings.TrimSpace(e.Description) == "" {
		return fmt.Errorf("description is required (it is the type's doc comment)")
	}
	if len(e.Values) == 0 {
		return fmt.Errorf("no values")
	}
	names, values := map[string]bool{}, map[string]bool{}
	for i := range e.Values {
		v := &e.Values[i]
		where := fmt.Sprintf("values[%d]", i)
		if !isExportedIdent(v.Name) {
			return fmt.Errorf("%s: name %q is not an exported Go name", where, v.Name)
		}
		if v.Label == "" {
			return fmt.Errorf("%s (%s): label is required", where, v.Name)
		}
		switch e.Type {
		case "integer":
			n, ok := v.Value.(json.Number)
			if !ok {
				return fmt.Errorf("%s (%s): value %v is not a number", where, v.Name, v.Value)
			}
			x, err := strconv.ParseInt(string(n), 10, 64)
			if err != nil || x > math.MaxInt32 || x < math.MinInt32 {
				return fmt.Errorf("%s (%s): value %s is not a 32-bit integer", where, v.Name, n)
			}
			v.GoValue = strconv.FormatInt(x, 10)
		case "string":
			s, ok := v.Value.(string)
			if !ok {
				return fmt.Errorf("%s (%s): value %v is not a string", where, v.Name, v.Value)
			}
			v.GoValue = strconv.Quote(s)
		}
		if names[v.Name] {
			return fmt.Errorf("%s: name %s is used twice", where, v.Name)
		}
		if values[v.GoValue] {
			return fmt.Errorf("%s (%s): value %s is used twice", where, v.Name, v.GoValue)
		}
		names[v.Name], values[v.GoValue] = true, true
	}
	return nil
}

// checkEnumUses walks every schema of doc. A schema whose x-go-type is a
// declared enum must have the enum's type, and the values it lists (enum or
// x-extensible-enum) must be documented values of the enum. Every declared
// enum must be used.
func checkEnumUses(doc *openapi3.T, enums map[string]*enumDecl) error {
	used := map[string]bool{}
	var errs []string
	walkSchemas(doc, func(where string, s *openapi3.Schema) {
		name, _ := s.Extensions["x-go-type"].(string)
		e, ok := enums[name]
		if !ok {
			return
		}
		used[name] = true
		if !s.Type.Is(e.Type) {
			errs = append(errs, fmt.Sprintf("%s: x-go-type %s is an enum of type %s, but the schema's type is %q", where, name, e.Type, strings.Join(s.Type.Slice(), ",")))
			return
		}
		listed := append([]any{}, s.Enum...)
		if ext, ok := s.Extensions["x-extensible-enum"].([]any); ok {
			listed = append(listed, ext...)
		}
		for _, v := range listed {
			if !e.has(v) {
				errs = append(errs, fmt.Sprintf("%s: lists %v, which x-go-enums.%s does not document", where, v, name))
			}
		}
	})
	for name := range enums {
		if !used[name] {
			errs = append(errs, fmt.Sprintf("x-go-enums.%s: no schema uses it (x-go-type: %s)", name, name))
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return fmt.Errorf("enums:\n\t%s", strings.Join(errs, "\n\t"))
	}
	return nil
}

// has reports whether v (as kin-openapi decodes a listed value) is one of
// e's values.
func (e *enumDecl) has(v any) bool {
	var lit string
	switch x := v.(type) {
	case string:
		if e.Type != "string" {
			return false
		}
		lit = strconv.Quote(x)
	case float64:
		if e.Type != "integer" || x != math.Trunc(x) {
			return false
		}
		lit = strconv.FormatInt(int64(x), 10)
	case int:
		lit = strconv.Itoa(x)
	case int64:
		lit = strconv.FormatInt(x, 10)
	case json.Number:
		lit = string(x)
	default:
		return false
	}
	for _, ev := range e.Values {
		if ev.GoValue == lit {
			return true
		}
	}
	return false
}

// walkSchemas calls fn once for every schema reachable from doc's
// components (schemas, parameters, request bodies, responses, headers) and
// operations (parameters, with a schema or content; bodies; answers and
// their headers), with a path that names where it was found. Callbacks are
// not walked: the specs declare none.
func walkSchemas(doc *openapi3.T, fn func(where string, s *openapi3.Schema)) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(where string, ref *openapi3.SchemaRef)
	walk = func(where string, ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		if ref.Ref != "" {
			where = ref.Ref
		}
		s := ref.Value
		seen[s] = true
		fn(where, s)
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			walk(where+"/properties/"+name, s.Properties[name])
		}
		walk(where+"/items", s.Items)
		walk(where+"/additionalProperties", s.AdditionalProperties.Schema)
		for i, sub := range s.AllOf {
			walk(fmt.Sprintf("%s/allOf/%d", where, i), sub)
		}
		for i, sub := range s.AnyOf {
			walk(fmt.Sprintf("%s/anyOf/%d", where, i), sub)
		}
		for i, sub := range s.OneOf {
			walk(fmt.Sprintf("%s/oneOf/%d", where, i), sub)
		}
		walk(where+"/not", s.Not)
	}
	content := func(where string, c openapi3.Content) {
		for _, mt := range slices.Sorted(maps.Keys(c)) {
			walk(where+"/content/"+mt+"/schema", c[mt].Schema)
		}
	}
	param := func(where string, p *openapi3.Parameter) {
		if p != nil {
			walk(where+"/schema", p.Schema)
			content(where, p.Content)
		}
	}
	params := func(where string, ps openapi3.Parameters) {
		for _, p := range ps {
			if p.Value != nil {
				param(where+"/parameters/"+p.Value.Name, p.Value)
			}
		}
	}
	headers := func(where string, hs openapi3.Headers) {
		for _, name := range slices.Sorted(maps.Keys(hs)) {
			if h := hs[name]; h != nil && h.Value != nil {
				param(where+"/headers/"+name, &h.Value.Parameter)
			}
		}
	}
	response := func(where string, r *openapi3.ResponseRef) {
		if r != nil && r.Value != nil {
			content(where, r.Value.Content)
			headers(where, r.Value.Headers)
		}
	}
	if c := doc.Components; c != nil {
		for _, name := range slices.Sorted(maps.Keys(c.Schemas)) {
			walk("#/components/schemas/"+name, c.Schemas[name])
		}
		for _, name := range slices.Sorted(maps.Keys(c.Parameters)) {
			if p := c.Parameters[name]; p != nil {
				param("#/components/parameters/"+name, p.Value)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(c.RequestBodies)) {
			if rb := c.RequestBodies[name]; rb != nil && rb.Value != nil {
				content("#/components/requestBodies/"+name, rb.Value.Content)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(c.Responses)) {
			response("#/components/responses/"+name, c.Responses[name])
		}
		headers("#/components", c.Headers)
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		params(path, item.Parameters)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := item.Operations()[method]
			where := path + " " + method
			params(where, op.Parameters)
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				content(where+" requestBody", op.RequestBody.Value.Content)
			}
			if op.Responses != nil {
				for _, code := range slices.Sorted(maps.Keys(op.Responses.Map())) {
					response(where+" "+code, op.Responses.Map()[code])
				}
			}
		}
	}
}

// renderEnums writes the enum types of package pkg.
func renderEnums(pkg, specPath string, enums []*enumDecl) ([]byte, error) {
	data := struct {
		Package, Spec string
		Enums         []*enumDecl
		NeedStrconv   bool
	}{Package: pkg, Spec: specPath, Enums: enums}
	for _, e := range enums {
		if e.Type == "integer" {
			data.NeedStrconv = true
		}
	}
	var buf bytes.Buffer
	if err := enumTmpl.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var enumTmpl = template.Must(template.New("enums").Funcs(template.FuncMap{
	"comment": func(text string) string { return comment(wrap(text, 76)) },
	"recv":    func(name string) string { return strings.ToLower(name[:1]) },
	"quote":   strconv.Quote,
	"indent":  func(s string) string { return strings.ReplaceAll(s, "\n", "\n\t") },
	"wrapped": func(text string) string { return comment(wrap(text, 72)) },
	"goType": func(e *enumDecl) string {
		if e.Type == "integer" {
			return "int"
		}
		return "string"
	},
	"examples": func(e *enumDecl) string {
		var labels []string
		for i, v := range e.Values {
			if i == 3 {
				labels = append(labels, "...")
				break
			}
			labels = append(labels, strconv.Quote(v.Label))
		}
		return strings.Join(labels, ", ")
	},
}).Parse(enumTemplate))

const enumTemplate = `// Code generated by apigen from {{.Spec}} (x-go-enums); DO NOT EDIT.

package {{.Package}}
{{if .NeedStrconv}}
import "strconv"
{{end}}
{{- range $e := .Enums}}{{$r := recv .Name}}
{{comment (printf "%s %s" .Name .Description)}}
type {{.Name}} {{goType .}}

// The documented values of {{.Name}}.
const (
{{- range .Values}}
{{- if .Description}}
	{{indent (wrapped (printf "%s%s: %s" $e.Name .Name .Description))}}{{end}}
	{{$e.Name}}{{.Name}} {{$e.Name}} = {{.GoValue}}
{{- end}}
)
{{if eq .Type "integer"}}
{{comment (printf "String returns the documented label of %s (%s), or \"%s(n)\" for a value the spec does not list." $r (examples .) .Name)}}
func ({{$r}} {{.Name}}) String() string {
	switch {{$r}} {
{{- range .Values}}
	case {{$e.Name}}{{.Name}}:
		return {{quote .Label}}
{{- end}}
	}
	return "{{.Name}}(" + strconv.Itoa(int({{$r}})) + ")"
}
{{else}}
{{comment (printf "Label returns the documented label of %s (%s), or %s itself for a value the spec does not list." $r (examples .) $r)}}
func ({{$r}} {{.Name}}) Label() string {
	switch {{$r}} {
{{- range .Values}}
	case {{$e.Name}}{{.Name}}:
		return {{quote .Label}}
{{- end}}
	}
	return string({{$r}})
}
{{end}}
// Known reports whether {{$r}} is one of the documented values.
func ({{$r}} {{.Name}}) Known() bool {
	switch {{$r}} {
	case {{range $i, $v := .Values}}{{if $i}},
		{{end}}{{$e.Name}}{{.Name}}{{end}}:
		return true
	}
	return false
}
{{if eq .Type "integer"}}
// UnmarshalJSON accepts a number or a string of digits; null and "" decode
// as 0.
func ({{$r}} *{{.Name}}) UnmarshalJSON(b []byte) error { return decodeEnum(b, {{$r}}, "{{.Name}}") }
{{end}}
{{- end}}
`

// wrap reflows text into lines of at most width characters (a longer word
// gets a line of its own); blank lines keep paragraphs apart.
func wrap(text string, width int) string {
	var out []string
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			switch {
			case line == "":
				line = w
			case len(line)+1+len(w) > width:
				out = append(out, line)
				line = w
			default:
				line += " " + w
			}
		}
		out = append(out, line, "")
	}
	return strings.Join(out[:len(out)-1], "\n")
}
