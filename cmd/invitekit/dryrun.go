package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// errDryRun is what a dryRun transport answers to every request.
var errDryRun = errors.New("dry run: request not sent")

// dryRequest is one request a dry run would have sent.
type dryRequest struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	Body   string `json:"body"`
}

// dryRun is an HTTP transport that records each request and sends none:
// every request fails with errDryRun. Only the method, URL and body are
// kept; headers, where the credentials travel, are not. Commands that
// change state build their client on it when --dry-run is given and then
// print what it recorded:
//
//	dry := &dryRun{}
//	api, err := ivvy.New(key, secret, ivvy.WithTransport(dry))
//	... make the calls, ignoring errDryRun ...
//	return dry.print(e)
type dryRun struct {
	mu   sync.Mutex
	reqs []dryRequest
}

// RoundTrip records req and answers errDryRun.
func (d *dryRun) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("dry run: read request body: %w", err)
		}
		body = b
	}
	d.mu.Lock()
	d.reqs = append(d.reqs, dryRequest{Method: req.Method, URL: req.URL.String(), Body: string(body)})
	d.mu.Unlock()
	return nil, errDryRun
}

// jsonValue is the request for JSON output: a JSON body as JSON, any
// other body as a string.
func (r dryRequest) jsonValue() any {
	v := struct {
		Method string `json:"method"`
		URL    string `json:"url"`
		Body   any    `json:"body"`
	}{Method: r.Method, URL: r.URL, Body: r.Body}
	if json.Valid([]byte(r.Body)) {
		v.Body = json.RawMessage(r.Body)
	}
	return v
}

// requests returns what was recorded, in the order it was sent.
func (d *dryRun) requests() []dryRequest {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]dryRequest(nil), d.reqs...)
}

// print writes the recorded requests: for table, each as its request line
// and body followed by a blank line; otherwise records with the columns
// method, url and body.
func (d *dryRun) print(e *env) error {
	reqs := d.requests()
	if e.format == "table" {
		var b bytes.Buffer
		for _, r := range reqs {
			fmt.Fprintf(&b, "%s %s\n", r.Method, escapeControls(r.URL))
			if r.Body != "" {
				for _, line := range strings.Split(indentJSON(r.Body), "\n") {
					b.WriteString(escapeControls(line))
					b.WriteByte('\n')
				}
			}
			b.WriteByte('\n')
		}
		if _, err := e.Stdout.Write(b.Bytes()); err != nil {
			return err
		}
	} else {
		out := newListOut(e, e.format, []column{own("method"), text("url"), text("body")})
		for _, r := range reqs {
			if err := out.add([]string{r.Method, r.URL, r.Body}, r.jsonValue()); err != nil {
				return err
			}
		}
		if err := out.finish(); err != nil {
			return err
		}
	}
	diag(e.Stderr, "dry run: %s not sent", plural(len(reqs), "request", "requests"))
	return nil
}

// indentJSON indents a JSON body for reading; other bodies stay as they are.
func indentJSON(s string) string {
	var b bytes.Buffer
	if json.Indent(&b, []byte(s), "", "  ") != nil {
		return s
	}
	return b.String()
}

// plural writes n with the singular or plural noun: "1 problem", "2 problems".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
