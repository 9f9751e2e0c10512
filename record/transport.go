package record

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/redact"
)

// transport records the exchanges of operations (requests tagged with
// httpx.WithOperation); other requests, such as OAuth2 token requests, pass
// through unrecorded.
type transport struct {
	r    *Recorder
	api  string
	next http.RoundTripper
}

// exchange is what is kept of a request until its answer is complete.
type exchange struct {
	op      string
	method  string
	uri     string
	reqHead http.Header
	reqBody []byte
	status  int
	header  http.Header
	scrub   *redact.Scrubber
	started time.Time
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	op, ok := httpx.OperationFrom(req.Context())
	if !ok || op.ID == "" {
		return t.next.RoundTrip(req)
	}
	x := &exchange{op: op.ID, method: req.Method, uri: req.URL.RequestURI(), reqHead: req.Header.Clone(), started: t.r.now()}
	if body, err := requestBody(req); err != nil {
		t.r.fail(fmt.Errorf("record %s: request body: %w", op.ID, err))
		x = nil
	} else {
		x.reqBody = body
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil || x == nil || resp == nil || resp.Body == nil {
		return resp, err
	}
	x.status, x.header = resp.StatusCode, resp.Header.Clone()
	x.scrub = t.r.scrubber(req)
	tmp, terr := os.CreateTemp(t.r.dir, ".answer-*")
	if terr != nil {
		t.r.fail(fmt.Errorf("record %s: %w", op.ID, terr))
		return resp, nil
	}
	resp.Body = &teeBody{ReadCloser: resp.Body, t: t, x: x, tmp: tmp, w: bufio.NewWriterSize(tmp, 64<<10)}
	return resp, nil
}

// requestBody returns a copy of the request's body without consuming it:
// from GetBody when the request has one, else by reading the body and
// putting the same bytes back.
func requestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	b, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(b))
	return b, err
}

// teeBody copies the answer to a temporary file as the caller reads it.
type teeBody struct {
	io.ReadCloser
	t    *transport
	x    *exchange
	tmp  *os.File
	w    *bufio.Writer
	werr error
	eof  bool
	once sync.Once
}

func (b *teeBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 && b.werr == nil {
		_, b.werr = b.w.Write(p[:n])
	}
	if err == io.EOF {
		b.eof = true
		b.finish()
	}
	return n, err
}

func (b *teeBody) Close() error {
	err := b.ReadCloser.Close()
	b.finish()
	return err
}

func (b *teeBody) finish() {
	b.once.Do(func() {
		defer os.Remove(b.tmp.Name())
		defer b.tmp.Close()
		r := b.t.r
		if b.werr == nil {
			b.werr = b.w.Flush()
		}
		if b.werr != nil {
			r.fail(fmt.Errorf("record %s: %w", b.x.op, b.werr))
			return
		}
		if !b.eof && !completeJSON(b.tmp) {
			r.mu.Lock()
			r.skipped++
			r.mu.Unlock()
			return
		}
		if err := b.t.write(b.x, b.tmp); err != nil {
			r.fail(fmt.Errorf("record %s: %w", b.x.op, err))
		}
	})
}

// completeJSON reports whether f holds one whole JSON value (and nothing
// but white space after it): an answer its reader closed once it had all
// it needed.
func completeJSON(f *os.File) bool {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return false
	}
	dec := json.NewDecoder(bufio.NewReader(f))
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			_, err := dec.Token()
			return err == io.EOF
		}
	}
}

// credentialHeaders have their values replaced (keeping the scheme).
var credentialHeaders = map[string]bool{
	"Authorization": true, "X-Api-Authorization": true, "Proxy-Authorization": true,
	"Cookie": true, "Set-Cookie": true,
}

// headers flattens and scrubs a header set.
func headers(h http.Header, sc *redact.Scrubber) map[string]string {
	out := map[string]string{}
	for k, vs := range h {
		k = http.CanonicalHeaderKey(k)
		v := strings.Join(vs, ", ")
		if credentialHeaders[k] {
			scheme, _, ok := strings.Cut(strings.TrimSpace(v), " ")
			if ok && len(scheme) <= 10 && !strings.ContainsAny(scheme, ":=") {
				v = scheme + " " + Redacted
			} else {
				v = Redacted
			}
		} else {
			v = sc.Scrub(v)
		}
		out[k] = v
	}
	return out
}

// write saves the exchange; the answer's body is in tmp.
func (t *transport) write(x *exchange, tmp *os.File) error {
	r := t.r
	size, err := tmp.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	c := &converter{r: r, sc: x.scrub}
	reqBody, err := c.body(bytes.NewReader(x.reqBody), int64(len(x.reqBody)))
	if err != nil {
		return fmt.Errorf("request body: %w", err)
	}
	respBody, err := c.body(tmp, size)
	if err != nil {
		return fmt.Errorf("response body: %w", err)
	}
	defer respBody.release()

	f, err := r.create(t.api, x.op)
	if err != nil {
		return err
	}
	name := f.Name()
	w := bufio.NewWriterSize(f, 64<<10)
	err = writeFixture(w, x, c.sc, reqBody, respBody, r.now())
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(name)
		return err
	}
	r.mu.Lock()
	r.written = append(r.written, name)
	r.mu.Unlock()
	return nil
}

// smallFixture is the size under which a fixture is indented for reading.
const smallFixture = 1 << 20

func writeFixture(w io.Writer, x *exchange, sc *redact.Scrubber, req, resp *convertedBody, now time.Time) error {
	source := fmt.Sprintf("recorded by invitekit on %s", now.UTC().Format(time.RFC3339))
	var head bytes.Buffer
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	fmt.Fprintf(&head, `{"source":%s,"request":{"method":%s,"path":%s,"headers":%s`,
		enc(source), enc(x.method), enc(sc.Scrub(x.uri)), enc(headers(x.reqHead, sc)))
	if err := req.writeField(&head); err != nil {
		return err
	}
	fmt.Fprintf(&head, `},"response":{"status":%d,"headers":%s`, x.status, enc(headers(x.header, sc)))
	if req.size()+resp.size() < smallFixture {
		if err := resp.writeField(&head); err != nil {
			return err
		}
		head.WriteString("}}")
		var out bytes.Buffer
		if err := json.Indent(&out, head.Bytes(), "", "  "); err != nil {
			return err
		}
		out.WriteByte('\n')
		_, err := w.Write(out.Bytes())
		return err
	}
	if _, err := w.Write(head.Bytes()); err != nil {
		return err
	}
	if err := resp.writeField(w); err != nil {
		return err
	}
	_, err := io.WriteString(w, "}}\n")
	return err
}
