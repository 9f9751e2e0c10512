package main

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"text/template"
)

// render writes the API layer of package pkg for ops.
func render(pkg, specPath string, ops []*operation) ([]byte, error) {
	data := struct {
		Package, Spec                  string
		Ops                            []*operation
		NeedIter, NeedPerPageOf        bool
		NotFound                       []*operation // operations with not-found codes
		AnyNotFound                    []int        // every operation's not-found codes, sorted
		NeedFmt, NeedHTTP, NeedContext bool
	}{Package: pkg, Spec: specPath, Ops: ops}
	seenCode := map[int]bool{}
	for _, op := range ops {
		if op.Exported {
			data.NeedContext = true
		}
		if len(op.NotFound) > 0 {
			data.NotFound = append(data.NotFound, op)
			for _, c := range op.NotFound {
				if !seenCode[c] {
					seenCode[c] = true
					data.AnyNotFound = append(data.AnyNotFound, c)
				}
			}
		}
		if op.Collection != nil {
			data.NeedIter = true
			if strings.HasPrefix(op.Collection.PerPageRead, "perPageOf(") {
				data.NeedPerPageOf = true
			}
		}
		if len(op.QueryParams) > 0 {
			data.NeedFmt = true
		}
		if len(op.HeaderParams) > 0 {
			data.NeedHTTP, data.NeedFmt = true, true
		}
	}
	sort.Ints(data.AnyNotFound)
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var tmpl = template.Must(template.New("api").Funcs(template.FuncMap{
	"comment":   comment,
	"lowerHead": lowerHead,
	"pathExpr":  pathExpr,
	"args":      args,
	"callArgs":  callArgs,
	"quoteList": quoteList,
	"intList":   intList,
	"quoteCases": func(ops []*operation) string {
		var q []string
		for _, op := range ops {
			if len(op.NotFound) == 0 {
				q = append(q, fmt.Sprintf("%q", op.ID))
			}
		}
		return strings.Join(q, ",\n\t\t")
	},
	"intCases": func(ns []int) string {
		var b strings.Builder
		for i, n := range ns {
			switch {
			case i == 0:
			case i%8 == 0:
				b.WriteString(",\n\t\t")
			default:
				b.WriteString(", ")
			}
			fmt.Fprint(&b, n)
		}
		return b.String()
	},
	"isSlice":  func(t string) bool { return strings.HasPrefix(t, "[]") },
	"opVar":    func(op *operation) string { return "op" + op.GoName },
	"retryDoc": retryDoc,
}).Parse(apiTemplate))

// comment turns text into // lines.
func comment(text string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		l = strings.TrimRight(l, " ")
		if l == "" {
			b.WriteString("//\n")
			continue
		}
		b.WriteString("// " + l + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// lowerHead lower-cases the first letter of a summary and drops a final
// period, so that it reads inside a sentence.
func lowerHead(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z' { // an acronym: keep it
		return s
	}
	return lowerFirst(s)
}

func retryDoc(op *operation) string {
	if op.RetrySafe {
		return "It is safe to repeat, so a failed attempt (a connection error, 429 or 5xx) is\n// retried (WithMaxAttempts)."
	}
	return "It changes state, so it is sent once and never retried; a connection that\n// fails after sending gives an error matching ErrOutcomeUnknown."
}

// pathExpr is a Go expression for the operation's path with its parameters
// filled in.
func pathExpr(op *operation) string {
	if len(op.PathParams) == 0 {
		return "op" + op.GoName + ".Path"
	}
	rest := op.Path
	var parts []string
	for _, p := range op.PathParams {
		before, after, _ := strings.Cut(rest, "{"+p.Name+"}")
		if before != "" {
			parts = append(parts, fmt.Sprintf("%q", before))
		}
		v := p.GoName
		if p.Bound != "" {
			v = p.Bound
		}
		parts = append(parts, "url.PathEscape("+v+")")
		rest = after
	}
	if rest != "" {
		parts = append(parts, fmt.Sprintf("%q", rest))
	}
	return strings.Join(parts, " + ")
}

// args is the parameter list after ctx: unbound path parameters, then the
// parameters object, then the body.
func args(op *operation) string {
	var out []string
	for _, p := range op.PathParams {
		if p.Bound == "" {
			out = append(out, p.GoName+" string")
		}
	}
	if op.ParamsType != "" {
		out = append(out, "params *"+op.ParamsType)
	}
	if op.BodyType != "" {
		out = append(out, "req "+op.BodyType)
	}
	return strings.Join(out, ", ")
}

// callArgs is args without the types.
func callArgs(op *operation) string {
	var out []string
	for _, p := range op.PathParams {
		if p.Bound == "" {
			out = append(out, p.GoName)
		}
	}
	if op.ParamsType != "" {
		out = append(out, "params")
	}
	if op.BodyType != "" {
		out = append(out, "req")
	}
	return strings.Join(out, ", ")
}

func quoteList(ss []string) string {
	if len(ss) == 0 {
		return "nil"
	}
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[]string{" + strings.Join(q, ", ") + "}"
}

func intList(ns []int) string {
	if len(ns) == 0 {
		return "nil"
	}
	q := make([]string, len(ns))
	for i, n := range ns {
		q[i] = fmt.Sprint(n)
	}
	return "[]int{" + strings.Join(q, ", ") + "}"
}

const apiTemplate = `// Code generated by internal/apigen from {{.Spec}}. DO NOT EDIT.

package {{.Package}}

import (
{{- if .NeedContext}}
	"context"
{{- end}}
{{- if .NeedFmt}}
	"fmt"
{{- end}}
{{- if .NeedIter}}
	"iter"
{{- end}}
	"net/http"
	"net/url"
)

// request is one call ready to send: the operation, its path with the
// parameters filled in, and its query, headers and body.
type request struct {
	op     *Operation
	path   string
	query  url.Values
	header http.Header
	body   any
}

// Operation describes one operation of the API as its spec declares it.
type Operation struct {
	// ID is the operationId. The method of API that sends the operation is
	// ID in Go case.
	ID string
	// Method and Path say where the operation goes; Path is written as in
	// the spec, with {name} for each path parameter.
	Method, Path string
	// Tags group operations (for iVvy, the namespace).
	Tags []string
	// RetrySafe reports whether a failed attempt may be repeated.
	RetrySafe bool
	// NotFoundCodes are the error codes that mean the thing asked for does
	// not exist.
	NotFoundCodes []int
	// Auth names the security schemes the operation accepts; none when the
	// credentials travel in the body.
	Auth []string
	// Iterator names the method that walks a collection operation; "" for
	// other operations.
	Iterator string

	newResult func() any
}

// NewResult returns a pointer to a new value of the type a successful answer
// decodes into, or nil when the operation declares no answer body.
func (o Operation) NewResult() any {
	if o.newResult == nil {
		return nil
	}
	return o.newResult()
}

var (
{{- range .Ops}}
	{{opVar .}} = &Operation{ID: {{printf "%q" .ID}}, Method: {{printf "%q" .Method}}, Path: {{printf "%q" .Path}}, Tags: {{quoteList .Tags}}, RetrySafe: {{.RetrySafe}}, NotFoundCodes: {{intList .NotFound}}, Auth: {{quoteList .Auth}}
	{{- if .Collection}}, Iterator: {{printf "%q" .Collection.Iterator}}{{else if .HandIterator}}, Iterator: {{printf "%q" .HandIterator}}{{end}}
	{{- if .ResultType}}, newResult: func() any { return new({{.ResultType}}) }{{end}}}
{{- end}}
)

var operations = []*Operation{
{{- range .Ops}}
	{{opVar .}},
{{- end}}
}

// Operations lists every operation of the spec, ordered by path.
func Operations() []Operation {
	out := make([]Operation, len(operations))
	for i, op := range operations {
		out[i] = *op
	}
	return out
}

// LookupOperation finds an operation by its operationId.
func LookupOperation(id string) (Operation, bool) {
	for _, op := range operations {
		if op.ID == id {
			return *op, true
		}
	}
	return Operation{}, false
}

{{- with .NotFound}}

// notFoundCodesOf returns the codes that mean "not found" for the operation
// with the given id (the operation table's NotFoundCodes). It reads no
// Operation value, so the error path keeps the table out of a binary that
// does not otherwise use it.
func notFoundCodesOf(id string) (codes []int, known bool) {
	switch id {
{{- range .}}
	case {{printf "%q" .ID}}:
		return {{intList .NotFound}}, true
{{- end}}
{{- with quoteCases $.Ops}}
	case {{.}}:
		return nil, true
{{- end}}
	}
	return nil, false
}

// isAnyNotFoundCode reports whether code means "not found" for some
// operation.
func isAnyNotFoundCode(code int) bool {
	switch code {
	case {{intCases $.AnyNotFound}}:
		return true
	}
	return false
}
{{- end}}

{{- if .NeedPerPageOf}}

// perPageOf returns the requested page size, or 0 for the default.
func perPageOf(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
{{- end}}
{{range .Ops}}{{$op := .}}
// new{{.GoName}} prepares a {{.ID}} call.
func (a *API) new{{.GoName}}({{args .}}) *request {
	r := &request{op: {{opVar .}}, path: {{pathExpr .}}
	{{- if .BodyType}}, body: req{{end}}}
{{- if .QueryParams}}
	r.query = url.Values{}
{{- end}}
{{- if .HeaderParams}}
	r.header = http.Header{}
{{- end}}
{{- if .ParamsType}}
	if params != nil {
	{{- range .QueryParams}}
	{{- if .Array}}
		for _, v := range {{if not .Required}}*{{end}}params.{{.GoName}} {
			r.query.Add({{printf "%q" .Name}}, fmt.Sprint(v))
		}
	{{- else if .Required}}
		r.query.Set({{printf "%q" .Name}}, fmt.Sprint(params.{{.GoName}}))
	{{- else}}
		if params.{{.GoName}} != nil {
			r.query.Set({{printf "%q" .Name}}, fmt.Sprint(*params.{{.GoName}}))
		}
	{{- end}}
	{{- end}}
	{{- range .HeaderParams}}
	{{- if .Required}}
		r.header.Set({{printf "%q" .Name}}, fmt.Sprint(params.{{.GoName}}))
	{{- else}}
		if params.{{.GoName}} != nil {
			r.header.Set({{printf "%q" .Name}}, fmt.Sprint(*params.{{.GoName}}))
		}
	{{- end}}
	{{- end}}
	}
{{- end}}
	return r
}
{{- if .Exported}}

// {{.GoName}} calls {{.ID}}{{if .Summary}}: {{lowerHead .Summary}}{{end}}.
{{- if .Description}}
//
{{comment .Description}}
{{- end}}
//
// {{retryDoc .}}
{{- if .Collection}} {{.Collection.Iterator}} walks every page.{{end}}
//
// API: {{.Method}} {{.Path}}
{{- if not .ResultType}}
func (a *API) {{.GoName}}(ctx context.Context{{with args .}}, {{.}}{{end}}) error {
	return a.invoke(ctx, a.new{{.GoName}}({{callArgs .}}), nil)
}
{{- else if isSlice .ResultType}}
func (a *API) {{.GoName}}(ctx context.Context{{with args .}}, {{.}}{{end}}) ({{.ResultType}}, error) {
	var out {{.ResultType}}
	if err := a.invoke(ctx, a.new{{.GoName}}({{callArgs .}}), &out); err != nil {
		return nil, err
	}
	return out, nil
}
{{- else}}
func (a *API) {{.GoName}}(ctx context.Context{{with args .}}, {{.}}{{end}}) (*{{.ResultType}}, error) {
	out := new({{.ResultType}})
	if err := a.invoke(ctx, a.new{{.GoName}}({{callArgs .}}), out); err != nil {
		return nil, err
	}
	return out, nil
}
{{- end}}
{{- end}}
{{- with .Collection}}

// {{.Iterator}} iterates over every item of {{$op.ID}} that req selects,
// fetching pages of req's perPage (DefaultPerPage when unset) as the loop
// advances. An error ends the iteration.
func (a *API) {{.Iterator}}(ctx context.Context, req {{$op.BodyType}}) iter.Seq2[{{.ItemType}}, error] {
	return Paginate(ctx, {{.PerPageRead}}, func(ctx context.Context, start, perPage int) ([]{{.ItemType}}, *CollectionMeta, error) {
		{{.StartSet}}
		{{.PerPageSet}}
		p, err := a.{{$op.GoName}}(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		return p.{{.ItemsField}}, {{.MetaExpr}}, nil
	})
}
{{- end}}
{{end}}`
