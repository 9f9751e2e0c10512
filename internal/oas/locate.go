package oas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// RequestErrorProblems reads a request validation error (from
// ValidateRequest) as problems, each at its location in the request:
//
//   - a JSON pointer into the body ("" for the body as a whole: missing,
//     not decodable, or of a content type the operation does not take; in
//     a form body the first step names the form field);
//   - "<in>/<name>" for a parameter, in being path, query, header or
//     cookie, followed by a JSON pointer when the problem is inside the
//     parameter's value ("query/filter/name").
//
// An unmatched oneOf or anyOf is read as the problems of its closest
// alternative, as CheckValue does. A nil error has no problems.
func RequestErrorProblems(err error) []Problem {
	var out []Problem
	var walk func(err error, at string)
	walk = func(err error, at string) {
		switch e := err.(type) {
		case nil:
		case openapi3.MultiError:
			for _, x := range e {
				walk(x, at)
			}
		case *openapi3filter.RequestError:
			if e.Parameter != nil {
				at = e.Parameter.In + "/" + escape(e.Parameter.Name)
			}
			switch {
			case errors.Is(e.Err, openapi3filter.ErrInvalidRequired) && e.Parameter != nil:
				out = append(out, Problem{Pointer: at, Expected: "a required parameter"})
			case errors.Is(e.Err, openapi3filter.ErrInvalidRequired):
				out = append(out, Problem{Pointer: at, Expected: "a body (it is required)"})
			case e.Err != nil:
				before := len(out)
				walk(e.Err, at)
				if len(out) == before {
					out = append(out, Problem{Pointer: at, Expected: requestExpected(e)})
				}
			default:
				out = append(out, Problem{Pointer: at, Expected: requestExpected(e)})
			}
		case *openapi3.SchemaError:
			out = append(out, schemaErrorProblems(e, at)...)
		case *openapi3filter.ParseError:
			out = append(out, Problem{Pointer: at + parsePointer(e), Expected: parseExpected(e)})
		default:
			if u, ok := err.(interface{ Unwrap() []error }); ok {
				for _, x := range u.Unwrap() {
					walk(x, at)
				}
				return
			}
			if u := errors.Unwrap(err); u != nil {
				before := len(out)
				walk(u, at)
				if len(out) > before {
					return
				}
			}
			// The text of an error of unknown shape may hold the value.
			out = append(out, Problem{Pointer: at, Expected: "a value that fits the spec"})
		}
	}
	walk(err, "")
	return dedupe(out)
}

// ResponseErrorProblems reads a response validation error (from
// ValidateResponse) of an answer of op as problems located in its body. The
// body, held whole, is checked against the answer's schema as a whole (not
// item by item as CheckResponse streams it, which leaves some rules of a
// list unchecked), after what the status, content type and emptiness show;
// a body that is not JSON is one problem at "". Should that find nothing,
// the problems are the error's own schema errors, else one at "" saying
// the answer does not fit. A nil error has no problems.
func ResponseErrorProblems(op *openapi3.Operation, status int, contentType string, body []byte, err error) []Problem {
	if err == nil {
		return nil
	}
	var out []Problem
	report := func(p Problem) { out = append(out, p) }
	if schema := checkResponseHead(op, status, contentType, len(bytes.TrimSpace(body)) == 0, report); schema != nil {
		var v any
		if jerr := json.Unmarshal(body, &v); jerr != nil {
			report(Problem{Expected: "a JSON body"})
		} else {
			CheckValue(schema, v, "", report)
		}
	}
	if len(out) == 0 {
		out = schemaErrorProblems(err, "")
	}
	if len(out) == 0 {
		out = []Problem{{Expected: "an answer that fits the spec"}}
	}
	return dedupe(out)
}

// schemaErrorProblems reads the schema errors in err as problems, their
// pointers put after at; an allOf, oneOf or anyOf failure becomes the
// problems of its parts or of its closest alternative, as in problems.
func schemaErrorProblems(err error, at string) []Problem {
	var out []Problem
	for _, se := range SchemaErrors(err) {
		ptr := at + Pointer(se.JSONPointer())
		switch se.SchemaField {
		case "allOf", "oneOf", "anyOf":
			if se.Schema != nil {
				if ps := problems(se.Schema, se.Value); len(ps) > 0 {
					for _, p := range ps {
						out = append(out, Problem{Pointer: ptr + p.Pointer, Expected: p.Expected})
					}
					continue
				}
			}
		}
		out = append(out, Problem{Pointer: fieldPointer(ptr, se), Expected: Expected(se)})
	}
	return out
}

// requestExpected says what a request error that carries no schema or
// decoding error wanted, without the value it got (the validator's own
// text repeats it, a content type for one).
func requestExpected(e *openapi3filter.RequestError) string {
	switch {
	case e.Parameter != nil:
		return "a value the parameter takes"
	case e.RequestBody != nil && e.Err == nil:
		types := make([]string, 0, len(e.RequestBody.Content))
		for mt := range e.RequestBody.Content {
			types = append(types, mt)
		}
		sort.Strings(types)
		return "a body of a content type the operation takes (" + strings.Join(types, ", ") + ")"
	}
	return "a request that fits the spec"
}

// parsePointer writes where a decoding error lies (form field names and
// indexes) as a JSON pointer, outermost step first. (ParseError.Path
// lists a nested error's steps before its own.)
func parsePointer(e *openapi3filter.ParseError) string {
	var parts []string
	for p := e; p != nil; {
		own := p.Path()
		next, nested := p.Cause.(*openapi3filter.ParseError)
		if nested {
			own = own[len(next.Path()):]
		}
		for _, step := range own {
			parts = append(parts, fmt.Sprint(step))
		}
		if !nested {
			break
		}
		p = next
	}
	return Pointer(parts)
}

// parseExpected says what a body or parameter that failed to decode
// should have been, without the value: the innermost reason given.
func parseExpected(e *openapi3filter.ParseError) string {
	reason := ""
	for p := e; p != nil; {
		if p.Reason != "" {
			reason = p.Reason
		}
		next, ok := p.Cause.(*openapi3filter.ParseError)
		if !ok {
			break
		}
		p = next
	}
	if reason == "" {
		return "a value that decodes"
	}
	return "a value that decodes (" + reason + ")"
}
