package main

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// Spec extensions the API layer reads (specs/README.md describes them).
const (
	extRetrySafe  = "x-retry-safe"
	extCollection = "x-collection"
	// extIterator names the hand-written iterator that walks a collection
	// the generator cannot page (Alida's links, Invitario's streams).
	extIterator = "x-go-iterator"
	extNotFound = "x-not-found-codes"
	extGoMethod = "x-go-method"
)

// operation is what the API layer needs to know of one spec operation.
type operation struct {
	ID          string
	GoName      string // method name
	Exported    bool   // false: the package wraps it by hand
	Method      string // HTTP method, upper case
	Path        string // path key as written in the spec
	Summary     string
	Description string
	Tags        []string
	RetrySafe   bool
	NotFound    []int
	Auth        []string // security scheme names; empty: none

	PathParams   []param // in path order
	QueryParams  []param
	HeaderParams []param
	ParamsType   string // oapi-codegen's <Op>Params, when there are query or header parameters

	BodyType        string // Go type of the request body; "" when none
	BodyContentType string
	BodyRequired    bool

	ResultType   string // Go type of a success body; "" when none is declared
	ResultStatus int

	Collection *collection
	// HandIterator is the hand-written iterator of the operation
	// (x-go-iterator), for the operation table.
	HandIterator string
}

type param struct {
	Name     string // as on the wire
	GoName   string // argument or field name
	Bound    string // expression the API fills it from ("" for an argument)
	Required bool
	Array    bool
}

type collection struct {
	Iterator    string
	ItemsField  string
	ItemType    string
	MetaExpr    string // how to take a *CollectionMeta from a page p
	StartSet    string // statement setting start on req
	PerPageSet  string // statement setting perPage on req
	PerPageRead string // expression reading perPage from req (an int)
}

func readOperations(doc *openapi3.T, bound map[string]string) ([]*operation, error) {
	var ops []*operation
	seen := map[string]bool{}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, o := range item.Operations() {
			op, err := readOperation(doc, path, method, item, o, bound)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
			if seen[op.ID] {
				return nil, fmt.Errorf("operationId %s is used twice", op.ID)
			}
			seen[op.ID] = true
			ops = append(ops, op)
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	// Methods and iterators share API's method set: a name given twice
	// would not compile.
	methods := map[string]string{}
	claim := func(name, what string) error {
		if prev, ok := methods[name]; ok {
			return fmt.Errorf("the method name %s is given twice: %s and %s", name, prev, what)
		}
		methods[name] = what
		return nil
	}
	for _, op := range ops {
		if op.Exported {
			if err := claim(op.GoName, "the method of "+op.ID); err != nil {
				return nil, err
			}
		}
		if op.Collection != nil {
			if err := claim(op.Collection.Iterator, "the iterator of "+op.ID+" (x-collection)"); err != nil {
				return nil, err
			}
		}
	}
	return ops, nil
}

func readOperation(doc *openapi3.T, path, method string, item *openapi3.PathItem, o *openapi3.Operation, bound map[string]string) (*operation, error) {
	if o.OperationID == "" {
		return nil, fmt.Errorf("no operationId")
	}
	op := &operation{
		ID:          o.OperationID,
		GoName:      codegen.SchemaNameToTypeName(o.OperationID),
		Exported:    true,
		Method:      strings.ToUpper(method),
		Path:        path,
		Summary:     strings.TrimSpace(o.Summary),
		Description: strings.TrimSpace(o.Description),
		Tags:        o.Tags,
	}
	switch v := o.Extensions[extGoMethod].(type) {
	case nil:
	case string:
		if v == "-" {
			op.Exported = false
		} else {
			op.GoName = v
		}
	default:
		return nil, fmt.Errorf("%s must be a string", extGoMethod)
	}
	safe, ok := o.Extensions[extRetrySafe].(bool)
	if !ok {
		return nil, fmt.Errorf("%s (true or false) is required", extRetrySafe)
	}
	op.RetrySafe = safe
	if method != http.MethodPost && method != http.MethodGet && method != http.MethodPut && method != http.MethodDelete && method != http.MethodPatch {
		return nil, fmt.Errorf("method %s is not supported", method)
	}
	if v, ok := o.Extensions[extNotFound]; ok {
		list, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%s must be a list of integers", extNotFound)
		}
		for _, c := range list {
			f, ok := c.(float64)
			if !ok || f != float64(int(f)) {
				return nil, fmt.Errorf("%s must be a list of integers, found %v", extNotFound, c)
			}
			op.NotFound = append(op.NotFound, int(f))
		}
		sort.Ints(op.NotFound)
	}
	sec := doc.Security
	if o.Security != nil {
		sec = *o.Security
	}
	for _, req := range sec {
		for name := range req {
			op.Auth = append(op.Auth, name)
		}
	}
	sort.Strings(op.Auth)

	// Parameters: the path item's, overridden by the operation's.
	params := map[string]*openapi3.Parameter{}
	var order []string
	for _, group := range []openapi3.Parameters{item.Parameters, o.Parameters} {
		for _, p := range group {
			if p.Value == nil {
				continue
			}
			key := p.Value.In + ":" + p.Value.Name
			if _, ok := params[key]; !ok {
				order = append(order, key)
			}
			params[key] = p.Value
		}
	}
	for _, key := range order {
		p := params[key]
		pp := param{Name: p.Name, Required: p.Required}
		if p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Type.Is("array") {
			pp.Array = true
		}
		switch p.In {
		case openapi3.ParameterInPath:
			pp.GoName = lowerFirst(codegen.SchemaNameToTypeName(p.Name))
			pp.Bound = bound[p.Name]
			op.PathParams = append(op.PathParams, pp)
		case openapi3.ParameterInQuery:
			pp.GoName = codegen.SchemaNameToTypeName(p.Name)
			op.QueryParams = append(op.QueryParams, pp)
		case openapi3.ParameterInHeader:
			pp.GoName = codegen.SchemaNameToTypeName(p.Name)
			op.HeaderParams = append(op.HeaderParams, pp)
		default:
			return nil, fmt.Errorf("parameter %s in %s is not supported", p.Name, p.In)
		}
	}
	// Path parameters in the order the path names them.
	sort.SliceStable(op.PathParams, func(i, j int) bool {
		return strings.Index(path, "{"+op.PathParams[i].Name+"}") < strings.Index(path, "{"+op.PathParams[j].Name+"}")
	})
	for _, p := range op.PathParams {
		if !strings.Contains(path, "{"+p.Name+"}") {
			return nil, fmt.Errorf("path parameter %s is not in the path", p.Name)
		}
	}
	if len(op.QueryParams)+len(op.HeaderParams) > 0 {
		op.ParamsType = codegen.SchemaNameToTypeName(o.OperationID) + "Params"
	}

	if rb := o.RequestBody; rb != nil && rb.Value != nil {
		op.BodyRequired = rb.Value.Required
		if mt := rb.Value.Content.Get("application/json"); mt != nil {
			op.BodyContentType = "application/json"
			t, err := goType(mt.Schema)
			if err != nil {
				return nil, fmt.Errorf("request body: %w; a body the generator cannot type needs %s: \"-\" and a method written by hand", err, extGoMethod)
			}
			op.BodyType = t
		} else {
			for ct := range rb.Value.Content {
				op.BodyContentType = ct
			}
			if op.Exported {
				return nil, fmt.Errorf("request body %s is not JSON: set %s: \"-\" and wrap it by hand", op.BodyContentType, extGoMethod)
			}
		}
	}

	codes := make([]int, 0)
	for code := range o.Responses.Map() {
		if n, err := strconv.Atoi(code); err == nil && n >= 200 && n < 300 {
			codes = append(codes, n)
		}
	}
	sort.Ints(codes)
	for _, n := range codes {
		r := o.Responses.Status(n)
		if r == nil || r.Value == nil {
			continue
		}
		mt := r.Value.Content.Get("application/json")
		if mt == nil {
			continue
		}
		t, err := goType(successSchema(o, mt.Schema))
		if err != nil {
			if !op.Exported {
				break // wrapped by hand, which decodes the answer itself
			}
			return nil, fmt.Errorf("response %d: %w; an answer the generator cannot type (a oneOf, an inline schema) needs %s: \"-\" and a method written by hand", n, err, extGoMethod)
		}
		op.ResultType, op.ResultStatus = t, n
		break
	}

	if v, ok := o.Extensions[extIterator]; ok {
		name, _ := v.(string)
		if !isExportedIdent(name) {
			return nil, fmt.Errorf("%s must name an exported method, not %v", extIterator, v)
		}
		if _, both := o.Extensions[extCollection]; both {
			return nil, fmt.Errorf("%s and %s: an iterator is generated or written by hand, not both", extIterator, extCollection)
		}
		op.HandIterator = name
	}
	if v, ok := o.Extensions[extCollection]; ok {
		c, err := readCollection(doc, op, o, v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", extCollection, err)
		}
		op.Collection = c
	}
	return op, nil
}

// successSchema is the schema of a success answer, once an error envelope
// is set apart: an API that may answer an error with a 2xx status (as
// Invitario does) writes its success schema as oneOf the result and the
// error envelope, the schema of the operation's default response. Any
// other schema is returned as it is.
func successSchema(o *openapi3.Operation, ref *openapi3.SchemaRef) *openapi3.SchemaRef {
	if ref == nil || ref.Value == nil || len(ref.Value.OneOf) == 0 || o.Responses == nil {
		return ref
	}
	def := o.Responses.Default()
	if def == nil || def.Value == nil {
		return ref
	}
	mt := def.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Ref == "" {
		return ref
	}
	var rest []*openapi3.SchemaRef
	for _, m := range ref.Value.OneOf {
		if m.Ref != mt.Schema.Ref {
			rest = append(rest, m)
		}
	}
	if len(rest) != 1 {
		return ref
	}
	return rest[0]
}

// goType is the Go type oapi-codegen generates for a body schema: a named
// component, or a slice of one.
func goType(ref *openapi3.SchemaRef) (string, error) {
	if ref == nil {
		return "", fmt.Errorf("no schema")
	}
	if ref.Ref != "" {
		return codegen.RefPathToGoType(ref.Ref)
	}
	if ref.Value != nil && ref.Value.Type.Is("array") && ref.Value.Items != nil && ref.Value.Items.Ref != "" {
		t, err := codegen.RefPathToGoType(ref.Value.Items.Ref)
		return "[]" + t, err
	}
	return "", fmt.Errorf("the schema must be a $ref to a component (or an array of one)")
}

func readCollection(doc *openapi3.T, op *operation, o *openapi3.Operation, v any) (*collection, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("must be an object with iterator and items")
	}
	iterName, _ := m["iterator"].(string)
	items, _ := m["items"].(string)
	if iterName == "" || items == "" {
		return nil, fmt.Errorf("iterator and items are required")
	}
	if !isExportedIdent(iterName) {
		return nil, fmt.Errorf("iterator %q is not an exported Go name", iterName)
	}
	if !op.Exported {
		return nil, fmt.Errorf("a collection needs the generated method")
	}
	res := schemaByType(doc, op.ResultType)
	if res == nil {
		return nil, fmt.Errorf("the result must be a component schema")
	}
	itemsProp := res.Properties[items]
	if itemsProp == nil || itemsProp.Value == nil || !itemsProp.Value.Type.Is("array") || itemsProp.Value.Items == nil || itemsProp.Value.Items.Ref == "" {
		return nil, fmt.Errorf("%s.%s must be an array of a component schema", op.ResultType, items)
	}
	itemType, err := codegen.RefPathToGoType(itemsProp.Value.Items.Ref)
	if err != nil {
		return nil, err
	}
	c := &collection{
		Iterator:   iterName,
		ItemsField: codegen.SchemaNameToTypeName(items),
		ItemType:   itemType,
	}
	meta := res.Properties["meta"]
	switch {
	case meta == nil:
		c.MetaExpr = "nil"
	case fieldIsPointer(res, "meta"):
		c.MetaExpr = "p.Meta"
	default:
		c.MetaExpr = "&p.Meta"
	}
	req := schemaByType(doc, op.BodyType)
	if req == nil {
		return nil, fmt.Errorf("the request body must be a component schema with start and perPage")
	}
	for _, name := range []string{"start", "perPage"} {
		p := req.Properties[name]
		if p == nil || p.Value == nil || !p.Value.Type.Is("integer") || p.Value.Extensions["x-go-type"] != nil {
			return nil, fmt.Errorf("%s.%s must be a plain integer property", op.BodyType, name)
		}
	}
	field := func(name string) string { return codegen.SchemaNameToTypeName(name) }
	if fieldIsPointer(req, "start") {
		c.StartSet = "req." + field("start") + " = &start"
	} else {
		c.StartSet = "req." + field("start") + " = start"
	}
	if fieldIsPointer(req, "perPage") {
		c.PerPageSet = "req." + field("perPage") + " = &perPage"
		c.PerPageRead = "perPageOf(req." + field("perPage") + ")"
	} else {
		c.PerPageSet = "req." + field("perPage") + " = perPage"
		c.PerPageRead = "req." + field("perPage")
	}
	return c, nil
}

// schemaByType finds the component schema a Go type name was made from.
func schemaByType(doc *openapi3.T, goName string) *openapi3.Schema {
	if goName == "" {
		return nil
	}
	for name, s := range doc.Components.Schemas {
		if codegen.SchemaNameToTypeName(name) == goName {
			return s.Value
		}
	}
	return nil
}

// fieldIsPointer reports whether oapi-codegen makes property name of s a
// pointer field (after plainResponseOptionals has run).
func fieldIsPointer(s *openapi3.Schema, name string) bool {
	for _, r := range s.Required {
		if r == name {
			return false
		}
	}
	p := s.Properties[name]
	if p == nil {
		return false
	}
	if v, ok := p.Extensions[extSkipPointer].(bool); ok {
		return !v
	}
	if p.Value != nil {
		if v, ok := p.Value.Extensions[extSkipPointer].(bool); ok {
			return !v
		}
	}
	return true
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

func isExportedIdent(s string) bool {
	for i, r := range s {
		if i == 0 && !unicode.IsUpper(r) {
			return false
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return false
		}
	}
	return s != ""
}
