package oas

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Problem is one place where a message breaks the spec: the JSON pointer
// of the field in the body ("" for the whole body or the status), or for
// a request parameter the location RequestErrorProblems describes, and
// what the spec expects there. It never holds the value found.
type Problem struct {
	Pointer  string
	Expected string
}

// String reads "pointer: expected".
func (p Problem) String() string {
	where := p.Pointer
	if where == "" {
		where = "(body)"
	}
	return where + ": " + p.Expected
}

// ResponseSchema returns the JSON schema of op's answer with the given
// status (the exact status, else its class such as 4XX, else default), and
// whether the status is declared at all. The schema is nil when the
// answer has no JSON body.
func ResponseSchema(op *openapi3.Operation, status int) (*openapi3.Schema, bool) {
	if op == nil || op.Responses == nil {
		return nil, false
	}
	r := op.Responses.Status(status)
	if r == nil {
		r = op.Responses.Value(strconv.Itoa(status/100) + "XX")
	}
	if r == nil {
		r = op.Responses.Default()
	}
	if r == nil || r.Value == nil {
		return nil, false
	}
	mt := r.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil, true
	}
	return mt.Schema.Value, true
}

// declared lists the statuses op declares, for a message.
func declared(op *openapi3.Operation) string {
	if op == nil || op.Responses == nil {
		return ""
	}
	var codes []string
	for code := range op.Responses.Map() {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	return strings.Join(codes, ", ")
}

// CheckResponse validates an answer of op against the spec, reading the
// body from r as a stream: an array at the top of the body, or held by a
// property of a top-level object, is validated one item at a time (each
// against the array's item schema) and the rest of the body (with such an
// array cut down to its first item) against the whole schema, so that
// memory holds one item, not the list. Each problem is passed to report;
// the error is for a body that is not JSON or cannot be read.
func CheckResponse(op *openapi3.Operation, status int, contentType string, r io.Reader, report func(Problem)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	_, err := br.Peek(1)
	schema := checkResponseHead(op, status, contentType, err == io.EOF, report)
	if schema == nil {
		return nil
	}
	return streamValue(br, schema, report)
}

// checkResponseHead reports the problems of an answer of op that its
// status, content type and emptiness show, and returns the schema its body
// must then fit, or nil when there is none to check it against.
func checkResponseHead(op *openapi3.Operation, status int, contentType string, empty bool, report func(Problem)) *openapi3.Schema {
	schema, ok := ResponseSchema(op, status)
	if !ok {
		report(Problem{Expected: fmt.Sprintf("a declared status (%s), not %d", declared(op), status)})
		return nil
	}
	if schema == nil {
		return nil
	}
	if empty {
		report(Problem{Expected: "a JSON body"})
		return nil
	}
	if mt, _, _ := mime.ParseMediaType(contentType); contentType != "" && mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		report(Problem{Expected: "content type application/json"})
	}
	return schema
}

// CheckValue validates a decoded JSON value against schema; pointers are
// relative to the value, prefixed with prefix.
func CheckValue(schema *openapi3.Schema, v any, prefix string, report func(Problem)) {
	for _, p := range problems(schema, v) {
		p.Pointer = prefix + p.Pointer
		report(p)
	}
}

func streamValue(br *bufio.Reader, schema *openapi3.Schema, report func(Problem)) error {
	dec := json.NewDecoder(br)
	first, err := peekByte(dec, br)
	if err != nil {
		return fmt.Errorf("body: %w", err)
	}
	switch {
	case first == '[' && schema.Items != nil && schema.Items.Value != nil:
		if _, err := dec.Token(); err != nil {
			return err
		}
		if err := streamItems(dec, schema.Items.Value, "", report); err != nil {
			return err
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
	case first == '{':
		if _, err := dec.Token(); err != nil {
			return err
		}
		envelope := map[string]any{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ := tok.(string)
			c, err := peekByte(dec, br)
			if err != nil {
				return err
			}
			if items := itemSchema(schema, key); c == '[' && items != nil {
				if _, err := dec.Token(); err != nil {
					return err
				}
				var firstItem []any
				err := streamItemsKeep(dec, items, "/"+escape(key), report, &firstItem)
				if err != nil {
					return err
				}
				if _, err := dec.Token(); err != nil {
					return err
				}
				envelope[key] = firstItem
				continue
			}
			var v any
			if err := dec.Decode(&v); err != nil {
				return err
			}
			envelope[key] = v
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
		// The envelope's own problems; those inside a kept first item
		// were reported with the items.
		CheckValue(schema, envelope, "", report)
	default:
		var v any
		if err := dec.Decode(&v); err != nil {
			return err
		}
		CheckValue(schema, v, "", report)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("body: data after the JSON value")
	}
	return nil
}

func streamItems(dec *json.Decoder, items *openapi3.Schema, prefix string, report func(Problem)) error {
	return streamItemsKeep(dec, items, prefix, report, nil)
}

// streamItemsKeep validates array elements one by one; keep, if not nil,
// receives the first element.
func streamItemsKeep(dec *json.Decoder, items *openapi3.Schema, prefix string, report func(Problem), keep *[]any) error {
	if keep != nil {
		*keep = []any{}
	}
	for i := 0; dec.More(); i++ {
		var v any
		if err := dec.Decode(&v); err != nil {
			return err
		}
		if keep != nil && i == 0 {
			*keep = []any{v}
		}
		CheckValue(items, v, prefix+"/"+strconv.Itoa(i), report)
	}
	return nil
}

// itemSchema returns the item schema of the array property key of
// schema, or of the first alternative (oneOf, anyOf, allOf) that has one.
func itemSchema(s *openapi3.Schema, key string) *openapi3.Schema {
	if s == nil {
		return nil
	}
	if p := s.Properties[key]; p != nil && p.Value != nil && p.Value.Items != nil && p.Value.Items.Value != nil {
		return p.Value.Items.Value
	}
	for _, alts := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, a := range alts {
			if it := itemSchema(a.Value, key); it != nil {
				return it
			}
		}
	}
	return nil
}

// peekByte returns the next non-space byte of the stream that is neither
// ':' nor ',' without consuming it: from what dec has buffered, else from
// br, which dec has not yet read.
func peekByte(dec *json.Decoder, br *bufio.Reader) (byte, error) {
	buf, _ := io.ReadAll(dec.Buffered())
	for _, c := range buf {
		if !skippable(c) {
			return c, nil
		}
	}
	for n := 1; ; n++ {
		b, err := br.Peek(n)
		if len(b) == n && !skippable(b[n-1]) {
			return b[n-1], nil
		}
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
	}
}

func skippable(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == ','
}

// problems validates v against schema. A oneOf or anyOf that nothing
// matches is reported as the problems of its closest alternative.
func problems(schema *openapi3.Schema, v any) []Problem {
	err := schema.VisitJSON(v, append([]openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.VisitAsResponse()}, formatValidators...)...)
	if err == nil {
		return nil
	}
	var out []Problem
	for _, se := range SchemaErrors(err) {
		ptr := Pointer(se.JSONPointer())
		if se.SchemaField == "allOf" && se.Schema != nil {
			at := valueAt(v, se.JSONPointer())
			var parts []Problem
			for _, a := range se.Schema.AllOf {
				if a != nil && a.Value != nil {
					parts = append(parts, problems(a.Value, at)...)
				}
			}
			if len(parts) > 0 {
				for _, p := range parts {
					out = append(out, Problem{Pointer: ptr + p.Pointer, Expected: p.Expected})
				}
				continue
			}
		}
		if (se.SchemaField == "oneOf" || se.SchemaField == "anyOf") && se.Schema != nil {
			alts := se.Schema.OneOf
			if se.SchemaField == "anyOf" {
				alts = se.Schema.AnyOf
			}
			if best := closest(alts, valueAt(v, se.JSONPointer())); best != nil {
				for _, p := range best {
					out = append(out, Problem{Pointer: ptr + p.Pointer, Expected: p.Expected})
				}
				continue
			}
		}
		out = append(out, Problem{Pointer: fieldPointer(ptr, se), Expected: Expected(se)})
	}
	return dedupe(out)
}

// closest returns the problems of the alternative the value is nearest:
// the one whose problems touch the fewest of the value's top-level fields
// (a list with many broken items is one field), then the one with the
// fewest problems; the first of equals.
func closest(alts openapi3.SchemaRefs, v any) []Problem {
	var best []Problem
	bestFields := 0
	for _, a := range alts {
		if a == nil || a.Value == nil {
			continue
		}
		ps := problems(a.Value, v)
		if len(ps) == 0 {
			return nil
		}
		fields := topFields(ps)
		if best == nil || fields < bestFields || fields == bestFields && len(ps) < len(best) {
			best, bestFields = ps, fields
		}
	}
	return best
}

// topFields counts the top-level fields the problems lie in ("" for the
// value itself counts as one).
func topFields(ps []Problem) int {
	seen := map[string]bool{}
	for _, p := range ps {
		top := p.Pointer
		if i := strings.IndexByte(strings.TrimPrefix(top, "/"), '/'); i >= 0 {
			top = top[:i+1]
		}
		seen[top] = true
	}
	return len(seen)
}

func valueAt(v any, path []string) any {
	for _, k := range path {
		switch n := v.(type) {
		case map[string]any:
			v = n[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(n) {
				return nil
			}
			v = n[i]
		default:
			return nil
		}
	}
	return v
}

func dedupe(ps []Problem) []Problem {
	seen := map[Problem]bool{}
	out := ps[:0]
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

var quotedName = regexp.MustCompile(`property "([^"]*)"`)

// fieldPointer points at the missing or unexpected property itself for
// errors about one.
func fieldPointer(ptr string, se *openapi3.SchemaError) string {
	if se.SchemaField == "required" || se.SchemaField == "additionalProperties" {
		if m := quotedName.FindStringSubmatch(se.Reason); m != nil && !strings.HasSuffix(ptr, "/"+escape(m[1])) {
			return ptr + "/" + escape(m[1])
		}
	}
	return ptr
}

// Expected says what the spec asks for where se failed, without the value.
func Expected(se *openapi3.SchemaError) string {
	s := se.Schema
	switch se.SchemaField {
	case "type", "nullable":
		if s != nil && s.Type != nil {
			t := strings.Join(s.Type.Slice(), " or ")
			if s.Format != "" {
				t += " (format " + s.Format + ")"
			}
			if s.Nullable {
				t += " or null"
			}
			return "type " + t
		}
	case "format":
		if s != nil {
			return "format " + s.Format
		}
	case "pattern":
		if s != nil {
			return "pattern " + s.Pattern
		}
	case "enum":
		if s != nil {
			var vals []string
			for _, e := range s.Enum {
				vals = append(vals, fmt.Sprint(e))
			}
			return "one of " + strings.Join(vals, ", ")
		}
	case "required":
		return "a required property"
	case "additionalProperties":
		return "no property of this name (not in the spec)"
	}
	if se.Reason != "" {
		return se.SchemaField + ": " + se.Reason
	}
	return se.SchemaField
}

// SchemaErrors flattens kin-openapi's error tree into its schema errors.
func SchemaErrors(err error) []*openapi3.SchemaError {
	var out []*openapi3.SchemaError
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case openapi3.MultiError:
			for _, x := range e {
				walk(x)
			}
		case *openapi3.SchemaError:
			if m, ok := e.Origin.(openapi3.MultiError); ok && e.SchemaField != "oneOf" && e.SchemaField != "anyOf" {
				// A wrapper around the errors of its parts (allOf, items).
				before := len(out)
				walk(m)
				if len(out) > before {
					return
				}
			}
			out = append(out, e)
		default:
			if u, ok := err.(interface{ Unwrap() []error }); ok {
				for _, x := range u.Unwrap() {
					walk(x)
				}
				return
			}
			walk(errors.Unwrap(err))
		}
	}
	walk(err)
	return out
}

// RequestProblems is what a request validation error (ValidateRequest)
// says, sorted out of kin-openapi's error tree.
type RequestProblems struct {
	// BodyMissing: the operation requires a body and the request had none.
	BodyMissing bool
	// Schema are the schema errors, flattened as SchemaErrors does.
	Schema []*openapi3.SchemaError
	// Other are the reasons of the errors that are not about a schema (a
	// parameter, the content type).
	Other []string
}

// ReadRequestError sorts a request validation error into RequestProblems.
func ReadRequestError(err error) RequestProblems {
	var p RequestProblems
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case openapi3.MultiError:
			for _, x := range e {
				walk(x)
			}
		case *openapi3filter.RequestError:
			switch {
			case errors.Is(e.Err, openapi3filter.ErrInvalidRequired) && e.Parameter != nil:
				p.Other = append(p.Other, "parameter "+e.Parameter.Name+": a required parameter is missing")
			case errors.Is(e.Err, openapi3filter.ErrInvalidRequired):
				p.BodyMissing = true
			case e.Err != nil && e.Parameter != nil:
				// Name the parameter the inner reasons are about.
				sub := ReadRequestError(e.Err)
				p.Schema = append(p.Schema, sub.Schema...)
				for _, m := range sub.Other {
					p.Other = append(p.Other, "parameter "+e.Parameter.Name+": "+m)
				}
			case e.Err != nil:
				walk(e.Err)
			default:
				p.Other = append(p.Other, e.Reason)
			}
		case *openapi3.SchemaError:
			p.Schema = append(p.Schema, SchemaErrors(e)...)
		default:
			if u, ok := err.(interface{ Unwrap() []error }); ok {
				for _, x := range u.Unwrap() {
					walk(x)
				}
				return
			}
			if u := errors.Unwrap(err); u != nil {
				walk(u)
				return
			}
			p.Other = append(p.Other, err.Error())
		}
	}
	walk(err)
	return p
}

// Pointer writes path as a JSON pointer.
func Pointer(path []string) string {
	var b strings.Builder
	for _, p := range path {
		b.WriteByte('/')
		b.WriteString(escape(p))
	}
	return b.String()
}

func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
