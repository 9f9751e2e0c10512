// Package oas routes HTTP requests to the operations of an OpenAPI document
// and validates requests and responses against it. It serves the contract
// tests and the fakes.
//
// iVvy keys every action by a path that carries its query
// ("/api/1.0/event?action=inviteContacts"), which kin-openapi's stock routers
// cannot match; Router matches method, path template and, where the key has
// one, the action query value.
package oas

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Router finds the operation of a document that a request is for.
type Router struct {
	doc    *openapi3.T
	routes []route
}

type route struct {
	method   string
	action   string // "" unless the path key carries ?action=
	segments []string
	key      string
	item     *openapi3.PathItem
	op       *openapi3.Operation
}

// NewRouter indexes every operation of doc.
func NewRouter(doc *openapi3.T) (*Router, error) {
	r := &Router{doc: doc}
	for key, item := range doc.Paths.Map() {
		path, query, _ := strings.Cut(key, "?")
		action := ""
		if query != "" {
			q, err := url.ParseQuery(query)
			if err != nil {
				return nil, fmt.Errorf("oas: path key %q: %w", key, err)
			}
			action = q.Get("action")
		}
		for method, op := range item.Operations() {
			r.routes = append(r.routes, route{
				method:   method,
				action:   action,
				segments: strings.Split(strings.Trim(path, "/"), "/"),
				key:      key,
				item:     item,
				op:       op,
			})
		}
	}
	// Literal segments win over templates, so sort the most literal first.
	sort.SliceStable(r.routes, func(i, j int) bool {
		return literalCount(r.routes[i].segments) > literalCount(r.routes[j].segments)
	})
	return r, nil
}

func literalCount(segs []string) int {
	n := 0
	for _, s := range segs {
		if !strings.HasPrefix(s, "{") {
			n++
		}
	}
	return n
}

// Doc returns the document the router serves.
func (r *Router) Doc() *openapi3.T { return r.doc }

// FindRoute returns the operation for req and its path parameters. The
// errors are routers.ErrPathNotFound and routers.ErrMethodNotAllowed.
func (r *Router) FindRoute(req *http.Request) (*routers.Route, map[string]string, error) {
	segs := strings.Split(strings.Trim(req.URL.Path, "/"), "/")
	action := req.URL.Query().Get("action")
	pathMatched := false
	for _, rt := range r.routes {
		params, ok := matchSegments(rt.segments, segs)
		if !ok || (rt.action != "" && rt.action != action) {
			continue
		}
		pathMatched = true
		if rt.method != req.Method {
			continue
		}
		return &routers.Route{
			Spec:      r.doc,
			Path:      rt.key,
			PathItem:  rt.item,
			Method:    rt.method,
			Operation: rt.op,
		}, params, nil
	}
	if pathMatched {
		return nil, nil, routers.ErrMethodNotAllowed
	}
	return nil, nil, routers.ErrPathNotFound
}

func matchSegments(tmpl, got []string) (map[string]string, bool) {
	if len(tmpl) != len(got) {
		return nil, false
	}
	params := map[string]string{}
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			v, err := url.PathUnescape(got[i])
			if err != nil || v == "" {
				return nil, false
			}
			params[t[1:len(t)-1]] = v
			continue
		}
		if t != got[i] {
			return nil, false
		}
	}
	return params, true
}

// formatValidators check the formats kin-openapi leaves unchecked by
// default; compiled once, they are shared by every validation.
var formatValidators = []openapi3.SchemaValidationOption{
	openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562)),
	openapi3.WithStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail)),
}

// Options are the validation options used everywhere: every error reported,
// undeclared statuses refused, uuid and email formats checked, and
// authentication left to the caller (fakes check credentials themselves).
func Options() *openapi3filter.Options {
	return &openapi3filter.Options{
		MultiError:              true,
		IncludeResponseStatus:   true,
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions: formatValidators,
	}
}

// ValidateRequest finds req's operation and validates the request against
// it. The body is read and put back, so req can still be served.
func ValidateRequest(ctx context.Context, r *Router, req *http.Request) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := r.FindRoute(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.RequestURI(), err)
	}
	var body []byte
	if req.Body != nil {
		body, err = io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read request body: %w", err)
		}
	}
	// Validation consumes the body: give it its own copy and leave req whole.
	vreq := req.Clone(ctx)
	vreq.Body = io.NopCloser(bytes.NewReader(body))
	req.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{
		Request:    vreq,
		PathParams: params,
		Route:      route,
		Options:    Options(),
	}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		return in, err
	}
	return in, nil
}

// ValidateResponse validates a response to the request described by in.
func ValidateResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) error {
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Options:                Options(),
	}
	out.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(ctx, out)
}

// OperationID returns the operationId of the route in, or "".
func OperationID(in *openapi3filter.RequestValidationInput) string {
	if in == nil || in.Route == nil || in.Route.Operation == nil {
		return ""
	}
	return in.Route.Operation.OperationID
}

// RetrySafe reports the x-retry-safe extension of every operation in doc,
// keyed by operationId. An operation without the extension is absent.
func RetrySafe(doc *openapi3.T) map[string]bool {
	out := map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if v, ok := op.Extensions["x-retry-safe"].(bool); ok {
				out[op.OperationID] = v
			}
		}
	}
	return out
}

// SuccessExample returns the example of an operation's first 2xx JSON
// answer: the response's own example, or else its schema's.
func SuccessExample(op *openapi3.Operation) (any, bool) {
	_, example, ok := SuccessResponse(op)
	return example, ok
}

// SuccessResponse is SuccessExample with the status of the success
// response the example belongs to (the first 2xx with a JSON body).
func SuccessResponse(op *openapi3.Operation) (status int, example any, ok bool) {
	if op == nil || op.Responses == nil {
		return 0, nil, false
	}
	for code := 200; code < 300; code++ {
		r := op.Responses.Status(code)
		if r == nil || r.Value == nil {
			continue
		}
		mt := r.Value.Content.Get("application/json")
		if mt == nil {
			continue
		}
		if mt.Example != nil {
			return code, mt.Example, true
		}
		for _, name := range slices.Sorted(maps.Keys(mt.Examples)) { // the first by name, every time
			if ex := mt.Examples[name]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
				return code, ex.Value.Value, true
			}
		}
		if mt.Schema != nil && mt.Schema.Value != nil && mt.Schema.Value.Example != nil {
			return code, mt.Schema.Value.Example, true
		}
		return 0, nil, false
	}
	return 0, nil, false
}
