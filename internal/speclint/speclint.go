// Package speclint checks the OpenAPI documents under specs/ against the
// project's rules, beyond what OpenAPI validation requires:
//
//   - nullable: a schema that sets nullable also sets type (OpenAPI 3.0
//     gives nullable no meaning without one);
//   - security: in a document without top-level security, every operation
//     declares its own (security: [] when the API takes no HTTP
//     authentication);
//   - tags: every tag an operation uses is declared at the top level;
//   - info: info.license and info.contact are present;
//   - operation-id: every operation has an operationId, and no two share one;
//   - x-retry-safe: every operation says with a boolean whether it may be
//     retried.
package speclint

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Violation is one broken rule.
type Violation struct {
	Rule    string // the rule's name, as in the package documentation
	Where   string // a path in the document, such as components.schemas.Guest
	Message string
}

func (v Violation) String() string { return v.Where + ": " + v.Message + " [" + v.Rule + "]" }

// Check returns every violation in doc, ordered by where they are.
func Check(doc *openapi3.T) []Violation {
	c := &checker{}
	c.info(doc)
	c.operations(doc)
	c.schemas(doc)
	slices.SortFunc(c.out, func(a, b Violation) int {
		return strings.Compare(a.Where+"\x00"+a.Rule, b.Where+"\x00"+b.Rule)
	})
	return c.out
}

type checker struct{ out []Violation }

func (c *checker) add(rule, where, format string, args ...any) {
	c.out = append(c.out, Violation{Rule: rule, Where: where, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) info(doc *openapi3.T) {
	if doc.Info == nil {
		c.add("info", "info", "missing")
		return
	}
	if doc.Info.License == nil || strings.TrimSpace(doc.Info.License.Name) == "" {
		c.add("info", "info.license", "missing: name the terms the API and this description come under")
	}
	if doc.Info.Contact == nil || (doc.Info.Contact.Name == "" && doc.Info.Contact.URL == "" && doc.Info.Contact.Email == "") {
		c.add("info", "info.contact", "missing: say whom to ask about the API")
	}
}

func (c *checker) operations(doc *openapi3.T) {
	declared := map[string]bool{}
	for _, t := range doc.Tags {
		if t != nil {
			declared[t.Name] = true
		}
	}
	ids := map[string]string{} // operationId -> where first seen
	if doc.Paths == nil {
		return
	}
	for _, path := range slices.Sorted(maps.Keys(doc.Paths.Map())) {
		item := doc.Paths.Value(path)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := item.Operations()[method]
			where := "paths." + path + "." + strings.ToLower(method)
			switch {
			case op.OperationID == "":
				c.add("operation-id", where, "no operationId")
			case ids[op.OperationID] != "":
				c.add("operation-id", where, "operationId %q is also used by %s", op.OperationID, ids[op.OperationID])
			default:
				ids[op.OperationID] = where
			}
			if len(doc.Security) == 0 && op.Security == nil {
				c.add("security", where, "the document has no top-level security, so the operation must declare its own (security: [] for none)")
			}
			for _, tag := range op.Tags {
				if !declared[tag] {
					c.add("tags", where, "tag %q is not declared in the top-level tags", tag)
				}
			}
			if v, ok := op.Extensions["x-retry-safe"]; !ok {
				c.add("x-retry-safe", where, "no x-retry-safe: say whether the operation may be retried")
			} else if _, isBool := v.(bool); !isBool {
				c.add("x-retry-safe", where, "x-retry-safe must be true or false, not %v", v)
			}
			c.parameters(where, op.Parameters)
			if op.RequestBody != nil && op.RequestBody.Ref == "" && op.RequestBody.Value != nil {
				c.content(where+".requestBody", op.RequestBody.Value.Content)
			}
			if op.Responses != nil {
				for _, code := range slices.Sorted(maps.Keys(op.Responses.Map())) {
					c.response(where+".responses."+code, op.Responses.Value(code))
				}
			}
		}
		c.parameters("paths."+path, item.Parameters)
	}
}

func (c *checker) schemas(doc *openapi3.T) {
	comp := doc.Components
	if comp == nil {
		return
	}
	for _, name := range slices.Sorted(maps.Keys(comp.Schemas)) {
		c.schema("components.schemas."+name, comp.Schemas[name], true)
	}
	for _, name := range slices.Sorted(maps.Keys(comp.Parameters)) {
		if p := comp.Parameters[name]; p != nil && p.Ref == "" && p.Value != nil {
			c.schema("components.parameters."+name+".schema", p.Value.Schema, false)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(comp.RequestBodies)) {
		if b := comp.RequestBodies[name]; b != nil && b.Ref == "" && b.Value != nil {
			c.content("components.requestBodies."+name, b.Value.Content)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(comp.Responses)) {
		r := comp.Responses[name]
		if r != nil && r.Ref == "" {
			c.response("components.responses."+name, r)
		}
	}
}

func (c *checker) parameters(where string, params openapi3.Parameters) {
	for i, p := range params {
		if p != nil && p.Ref == "" && p.Value != nil {
			c.schema(fmt.Sprintf("%s.parameters[%d].schema", where, i), p.Value.Schema, false)
		}
	}
}

func (c *checker) response(where string, r *openapi3.ResponseRef) {
	if r == nil || r.Ref != "" || r.Value == nil {
		return
	}
	c.content(where, r.Value.Content)
	for _, h := range slices.Sorted(maps.Keys(r.Value.Headers)) {
		if hr := r.Value.Headers[h]; hr != nil && hr.Ref == "" && hr.Value != nil {
			c.schema(where+".headers."+h+".schema", hr.Value.Schema, false)
		}
	}
}

func (c *checker) content(where string, content openapi3.Content) {
	for _, mt := range slices.Sorted(maps.Keys(content)) {
		if m := content[mt]; m != nil {
			c.schema(where+".content."+mt+".schema", m.Schema, false)
		}
	}
}

// schema checks s and the schemas written inside it. A reference is
// checked where it points (components), unless component is true, which
// means s is that component itself.
func (c *checker) schema(where string, ref *openapi3.SchemaRef, component bool) {
	if ref == nil || ref.Value == nil || (ref.Ref != "" && !component) {
		return
	}
	s := ref.Value
	if s.Nullable && (s.Type == nil || len(*s.Type) == 0) {
		c.add("nullable", where, "nullable without a type: give the schema a type, or make the branch that may be null nullable")
	}
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		c.schema(where+".properties."+name, s.Properties[name], false)
	}
	c.schema(where+".items", s.Items, false)
	c.schema(where+".additionalProperties", s.AdditionalProperties.Schema, false)
	c.schema(where+".not", s.Not, false)
	for kind, list := range map[string]openapi3.SchemaRefs{"allOf": s.AllOf, "oneOf": s.OneOf, "anyOf": s.AnyOf} {
		for i, sub := range list {
			c.schema(fmt.Sprintf("%s.%s[%d]", where, kind, i), sub, false)
		}
	}
}
