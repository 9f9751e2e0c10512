package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/specs"
)

func init() {
	add(command{Group: "ivvy", Name: "call", Summary: "call any iVvy action of the spec, signed",
		Usage:       "NAMESPACE ACTION [--data JSON|@FILE|-] [--all] [--file PATH] [--dry-run]",
		Description: "The body is checked against the spec before anything is sent (a bad body exits 2 naming the\nfield). The answer is printed as JSON; --all walks every page of a list action. An iVvy\nexception exits 1 with its codes on stderr. --dry-run prints the request of an action that\nchanges state instead of sending it.",
		Example:     "invitekit ivvy call event getEvent --data '{\"id\":1}'\ninvitekit ivvy call contact getContactList --all --format jsonl",
		Run:         runIvvyCall})
}

// maxCallData bounds what --data reads from a file or stdin.
const maxCallData = 16 << 20

// runIvvyCall sends one action of the spec, signed, with a body checked
// against the spec first, and prints the answer as JSON; with --all it
// walks a collection and prints its items as a streamed list.
func runIvvyCall(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ivvy call")
	f := addIvvyFlags(fs)
	data := fs.String("data", "", "request body: JSON text, @FILE to read a file, - to read stdin (default {})")
	all := fs.Bool("all", false, "walk every page of a collection action and print its items")
	dryRunFlag := fs.Bool("dry-run", false, "print the request that would be sent; send nothing")
	file := fs.String("file", "", "the file to upload (venue uploadBookingDocument only)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError("ivvy call needs NAMESPACE and ACTION, e.g. invitekit ivvy call event getEvent --data '{\"id\":1}' (namespaces: %s)",
			strings.Join(callNamespaces(), ", "))
	}
	asked := e.format // a dry run prints its requests in any format
	format := e.format
	if format == "table" { // the default of other commands: an answer is JSON here
		format = "json"
	}
	if format != "json" && format != "jsonl" && !*dryRunFlag {
		return usageError("--format %q: ivvy call prints json or jsonl", format)
	}
	e.format = format
	op, err := findCallOperation(pos[0], pos[1])
	if err != nil {
		return err
	}
	body, err := callBody(e, *data)
	if err != nil {
		return err
	}
	upload := op.ID == "uploadBookingDocument"
	switch {
	case upload && *file == "":
		return usageError("%s %s sends a file: give it with --file PATH", pos[0], pos[1])
	case !upload && *file != "":
		return usageError("--file is only for venue uploadBookingDocument")
	case *all && op.Iterator == "":
		return usageError("--all: %s %s is not a collection action", pos[0], pos[1])
	case *all && *dryRunFlag:
		return usageError("give --all or --dry-run, not both")
	}
	doc, err := specs.Load(specs.Ivvy)
	if err != nil {
		return err
	}
	if upload {
		return runIvvyUpload(ctx, e, f, doc, op, body, *file)
	}
	if body == nil && hasRequestBody(doc, op) {
		body = []byte("{}")
	}
	if err := checkCallBody(ctx, doc, op, body); err != nil {
		return err
	}
	if *dryRunFlag {
		// One attempt: the dry transport fails every request, which would
		// otherwise be retried for an action that is safe to repeat.
		dry := &dryRun{}
		c, err := f.client(e, ivvy.WithTransport(dry), ivvy.WithMaxAttempts(1))
		if err != nil {
			return err
		}
		if _, err := c.Call(ctx, op.ID, body); err != nil && !errors.Is(err, errDryRun) {
			return err
		}
		e.format = asked
		return dry.print(e)
	}
	c, err := f.client(e)
	if err != nil {
		return err
	}
	if *all {
		out := newListOut(e, format, nil)
		for item, err := range c.CallAll(ctx, op.ID, body) {
			if err != nil {
				out.abort()
				return err
			}
			if err := out.add(nil, item); err != nil {
				return err
			}
		}
		return out.finish()
	}
	answer, err := c.Call(ctx, op.ID, body)
	if err != nil {
		return err
	}
	return writeRecords(e, format, nil, nil, answer)
}

// callOperation locates an operation by the namespace and action of its
// path.
type callOperation struct {
	namespace, action string
	op                ivvy.Operation
}

// callOperations lists every operation of the table with its namespace and
// action.
func callOperations() []callOperation {
	var out []callOperation
	for _, op := range ivvy.Operations() {
		path, query, _ := strings.Cut(op.Path, "?")
		q, _ := url.ParseQuery(query)
		out = append(out, callOperation{namespace: strings.TrimPrefix(path, "/api/1.0/"), action: q.Get("action"), op: op})
	}
	return out
}

func callNamespaces() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range callOperations() {
		if !seen[c.namespace] {
			seen[c.namespace] = true
			out = append(out, c.namespace)
		}
	}
	sort.Strings(out)
	return out
}

// findCallOperation finds the operation for a namespace and an action (or
// the operationId, where it differs from the action); a name the spec does
// not have is a usage error that lists what the namespace offers.
func findCallOperation(namespace, action string) (ivvy.Operation, error) {
	var actions []string
	for _, c := range callOperations() {
		if c.namespace != namespace {
			continue
		}
		if c.action == action || c.op.ID == action {
			return c.op, nil
		}
		actions = append(actions, c.action)
	}
	if len(actions) == 0 {
		return ivvy.Operation{}, usageError("unknown iVvy namespace %q: want one of %s", namespace, strings.Join(callNamespaces(), ", "))
	}
	sort.Strings(actions)
	return ivvy.Operation{}, usageError("the spec has no action %q in namespace %s; its actions are: %s",
		action, namespace, strings.Join(actions, ", "))
}

// callBody reads --data: JSON text, @FILE or - for stdin. It returns nil
// when --data was not given.
func callBody(e *env, data string) ([]byte, error) {
	var b []byte
	switch {
	case data == "":
		return nil, nil
	case data == "-":
		var err error
		if b, err = io.ReadAll(io.LimitReader(e.Stdin, maxCallData+1)); err != nil {
			return nil, fmt.Errorf("--data -: read stdin: %w", err)
		}
	case strings.HasPrefix(data, "@"):
		fh, err := os.Open(data[1:])
		if err != nil {
			return nil, usageError("--data: %v", err)
		}
		defer fh.Close()
		if b, err = io.ReadAll(io.LimitReader(fh, maxCallData+1)); err != nil {
			return nil, fmt.Errorf("--data: read %s: %w", data[1:], err)
		}
	default:
		b = []byte(data)
	}
	if len(b) > maxCallData {
		return nil, usageError("--data: more than %d bytes", maxCallData)
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil, usageError("--data is empty: give a JSON object, e.g. '{}'")
	}
	if err := json.Unmarshal(b, new(any)); err != nil {
		return nil, usageError("--data is not valid JSON: %v", err)
	}
	return b, nil
}

// specOperation returns the spec's operation for op.
func specOperation(doc *openapi3.T, op ivvy.Operation) *openapi3.Operation {
	if item := doc.Paths.Value(op.Path); item != nil {
		return item.GetOperation(op.Method)
	}
	return nil
}

// hasRequestBody reports whether the spec gives op a request body.
func hasRequestBody(doc *openapi3.T, op ivvy.Operation) bool {
	o := specOperation(doc, op)
	return o != nil && o.RequestBody != nil && o.RequestBody.Value != nil
}

// checkCallBody validates a JSON body against op's request in the spec; a
// body that does not fit is a usage error naming the fields at fault.
func checkCallBody(ctx context.Context, doc *openapi3.T, op ivvy.Operation, body []byte) error {
	router, err := oas.NewRouter(doc)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, op.Method, "http://ivvy.invalid"+op.Path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if _, err := oas.ValidateRequest(ctx, router, req); err != nil {
		return usageError("the request body does not match the spec of %s (nothing was sent): %s", op.ID, describeValidation(err))
	}
	return nil
}

// describeValidation names the fields a validation error is about, with
// the validator's reasons (never the values).
func describeValidation(err error) string {
	p := oas.ReadRequestError(err)
	var msgs []string
	seen := map[string]bool{}
	add := func(m string) {
		if !seen[m] {
			seen[m] = true
			msgs = append(msgs, m)
		}
	}
	if p.BodyMissing {
		add("a request body is required")
	}
	for _, e := range p.Schema {
		field := strings.Join(e.JSONPointer(), ".")
		if field == "" {
			field = "body"
		}
		add(fmt.Sprintf("field %s: %s", field, e.Reason))
	}
	for _, m := range p.Other {
		add(m)
	}
	sort.Strings(msgs)
	const most = 8
	if len(msgs) > most {
		msgs = append(msgs[:most], fmt.Sprintf("and %d more", len(msgs)-most))
	}
	return strings.Join(msgs, "; ")
}

// runIvvyUpload sends uploadBookingDocument: the fields from --data,
// checked against the spec's form schema, and the file from --file.
func runIvvyUpload(ctx context.Context, e *env, f *ivvyFlags, doc *openapi3.T, op ivvy.Operation, body []byte, path string) error {
	if body == nil {
		return usageError("venue uploadBookingDocument needs its fields with --data, e.g. '{\"venueId\":1,\"bookingId\":2,\"type\":3,\"status\":3}'")
	}
	if err := checkUploadFields(doc, op, body); err != nil {
		return err
	}
	var fields ivvy.UploadBookingDocumentFields
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fields); err != nil {
		return usageError("--data for uploadBookingDocument: %v", err)
	}
	fh, err := os.Open(path)
	if err != nil {
		return usageError("--file: %v", err)
	}
	defer fh.Close()
	c, err := f.client(e)
	if err != nil {
		return err
	}
	res, err := c.UploadBookingDocument(ctx, fields, fh, filepath.Base(path))
	if err != nil {
		return err
	}
	return writeRecords(e, e.format, nil, nil, res)
}

// checkUploadFields validates the form fields of uploadBookingDocument
// against the spec's multipart schema; the file part comes from --file, so
// it is not asked of --data.
func checkUploadFields(doc *openapi3.T, op ivvy.Operation, body []byte) error {
	o := specOperation(doc, op)
	if o == nil || o.RequestBody == nil || o.RequestBody.Value == nil {
		return fmt.Errorf("the spec has no request body for %s", op.ID)
	}
	mt := o.RequestBody.Value.Content.Get("multipart/form-data")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return fmt.Errorf("the spec has no multipart form for %s", op.ID)
	}
	var fields map[string]any
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return usageError("--data for %s must be a JSON object of the form fields", op.ID)
	}
	if _, ok := fields["fileId"]; ok {
		return usageError("--data for %s: the file goes in --file, not in field fileId", op.ID)
	}
	fields["fileId"] = "(from --file)"
	if err := mt.Schema.Value.VisitJSON(fields, openapi3.MultiErrors()); err != nil {
		return usageError("the form fields do not match the spec of %s (nothing was sent): %s", op.ID, describeValidation(err))
	}
	return nil
}
