package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

const (
	extSkipPointer = "x-go-type-skip-optional-pointer"
	// extOptional on a schema chooses how its optional properties look in
	// Go: "plain" (the zero value when absent) or "pointer" (nil when
	// absent). Unset, a schema that only answers carry is plain, and one
	// that a request can carry keeps pointers, so a caller can still send
	// 0, false and "" on purpose.
	extOptional = "x-go-optional"
	extOmitZero = "x-omitzero"
)

// plainResponseOptionals marks the optional properties of answer-only
// schemas so that oapi-codegen generates them as plain values.
func plainResponseOptionals(doc *openapi3.T) error {
	inRequests := map[string]bool{}
	inResponses := map[string]bool{}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil {
					reach(p.Value.Schema, inRequests, map[*openapi3.Schema]bool{})
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					reach(mt.Schema, inRequests, map[*openapi3.Schema]bool{})
				}
			}
			for _, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for _, mt := range r.Value.Content {
					reach(mt.Schema, inResponses, map[*openapi3.Schema]bool{})
				}
			}
		}
	}
	zero, err := enumsWithZero(doc)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(doc.Components.Schemas))
	for name := range doc.Components.Schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s := doc.Components.Schemas[name].Value
		mode, err := optionalMode(s)
		if err != nil {
			return fmt.Errorf("schema %s: %w", name, err)
		}
		plain := mode == "plain" || (mode == "" && inResponses[name] && !inRequests[name])
		if plain {
			markPlain(s, map[*openapi3.Schema]bool{}, zero)
		}
	}
	return nil
}

func optionalMode(s *openapi3.Schema) (string, error) {
	v, ok := s.Extensions[extOptional]
	if !ok {
		return "", nil
	}
	m, _ := v.(string)
	if m != "plain" && m != "pointer" {
		return "", fmt.Errorf("%s must be \"plain\" or \"pointer\", not %v", extOptional, v)
	}
	return m, nil
}

// reach records every component schema that ref leads to.
func reach(ref *openapi3.SchemaRef, seen map[string]bool, inline map[*openapi3.Schema]bool) {
	if ref == nil || ref.Value == nil {
		return
	}
	if name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/"); ok {
		if seen[name] {
			return
		}
		seen[name] = true
	} else {
		if inline[ref.Value] {
			return
		}
		inline[ref.Value] = true
	}
	s := ref.Value
	for _, p := range s.Properties {
		reach(p, seen, inline)
	}
	reach(s.Items, seen, inline)
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, m := range group {
			reach(m, seen, inline)
		}
	}
	if s.AdditionalProperties.Schema != nil {
		reach(s.AdditionalProperties.Schema, seen, inline)
	}
}

// markPlain sets x-go-type-skip-optional-pointer (and x-omitzero) on the
// optional properties of s and of the inline objects inside it (an inline
// allOf part, a property's object, an array's items). In an answer, a
// missing value and null both read as the zero value, and a zero value is
// left out when the model is encoded again. A property that needs to tell
// them apart says x-go-optional: pointer. A component an allOf refers to
// is left alone: it is marked, or not, for its own uses.
//
// A property whose Go type is an enum that documents its zero value (an
// event status of 0, Draft) keeps its pointer: as a plain value, a missing
// status would read as Draft, and a real 0 would be left out when encoded.
func markPlain(s *openapi3.Schema, done map[*openapi3.Schema]bool, zeroEnums map[string]bool) {
	markPlainRequired(s, done, nil, zeroEnums)
}

// markPlainRequired is markPlain where the names in extra are required too
// (an allOf part's properties may be required by another part).
func markPlainRequired(s *openapi3.Schema, done map[*openapi3.Schema]bool, extra, zeroEnums map[string]bool) {
	if s == nil || done[s] {
		return
	}
	done[s] = true
	required := map[string]bool{}
	for name := range extra {
		required[name] = true
	}
	for _, r := range s.Required {
		required[r] = true
	}
	for _, part := range s.AllOf {
		if part.Value != nil {
			for _, r := range part.Value.Required {
				required[r] = true
			}
		}
	}
	for name, p := range s.Properties {
		if p == nil || p.Value == nil || required[name] {
			// A required property is a plain value already; a required
			// nullable one keeps its pointer, so that null is written back
			// as null and not as a zero value.
			continue
		}
		if p.Extensions[extOptional] == "pointer" || (p.Ref == "" && p.Value.Extensions[extOptional] == "pointer") {
			continue
		}
		if goType, _ := p.Value.Extensions["x-go-type"].(string); zeroEnums[goType] {
			continue
		}
		ext := &p.Extensions // a $ref's siblings: this property only
		if p.Ref == "" {
			ext = &p.Value.Extensions
		}
		if *ext == nil {
			*ext = map[string]any{}
		}
		if _, set := (*ext)[extSkipPointer]; !set {
			(*ext)[extSkipPointer] = true
		}
		if _, set := (*ext)[extOmitZero]; !set {
			// A zero struct (a time, say) is left out as a nil pointer was.
			(*ext)[extOmitZero] = true
		}
	}
	for _, p := range s.Properties {
		if p == nil || p.Value == nil || p.Ref != "" {
			continue
		}
		if p.Value.Type.Is("object") {
			markPlain(p.Value, done, zeroEnums)
		}
		if items := p.Value.Items; items != nil && items.Ref == "" && items.Value != nil && items.Value.Type.Is("object") {
			markPlain(items.Value, done, zeroEnums)
		}
	}
	for _, part := range s.AllOf {
		if part.Ref == "" {
			markPlainRequired(part.Value, done, required, zeroEnums)
		}
	}
}

// enumsWithZero returns the names of the spec's x-go-enums that document
// their zero value (0 or "").
func enumsWithZero(doc *openapi3.T) (map[string]bool, error) {
	out := map[string]bool{}
	if _, ok := doc.Extensions["x-go-enums"]; !ok {
		return out, nil
	}
	enums, err := decodeEnums(doc)
	if err != nil {
		return nil, err
	}
	for _, e := range enums {
		for _, v := range e.Values {
			if v.GoValue == "0" || v.GoValue == `""` {
				out[e.Name] = true
			}
		}
	}
	return out, nil
}
