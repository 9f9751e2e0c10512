package record

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/invitekit/invitekit/internal/redact"
)

// converter rewrites bodies for a fixture: secrets out, personal data
// masked if asked.
type converter struct {
	r       *Recorder
	sc      *redact.Scrubber
	learned int // secret values added to sc from the bodies
}

// maxLearned bounds the secret values one exchange adds to the scrubbers.
const maxLearned = 16

// convertedBody is a body ready to be written: JSON (in memory or in a
// temporary file) or text.
type convertedBody struct {
	json []byte
	file *os.File
	n    int64
	text *string
}

func (b *convertedBody) size() int64 {
	switch {
	case b.file != nil:
		return b.n
	case b.text != nil:
		return int64(len(*b.text))
	}
	return int64(len(b.json))
}

func (b *convertedBody) release() {
	if b.file != nil {
		_ = b.file.Close()
		_ = os.Remove(b.file.Name())
	}
}

// writeField writes `,"body":...` or `,"bodyText":...`, or nothing for an
// empty body.
func (b *convertedBody) writeField(w io.Writer) error {
	switch {
	case b.text != nil:
		t, _ := json.Marshal(*b.text)
		_, err := fmt.Fprintf(w, `,"bodyText":%s`, t)
		return err
	case b.file != nil:
		if _, err := io.WriteString(w, `,"body":`); err != nil {
			return err
		}
		if _, err := b.file.Seek(0, io.SeekStart); err != nil {
			return err
		}
		_, err := io.Copy(w, b.file)
		return err
	case len(b.json) > 0:
		if _, err := io.WriteString(w, `,"body":`); err != nil {
			return err
		}
		_, err := w.Write(b.json)
		return err
	}
	return nil
}

// body converts src (size bytes).
func (c *converter) body(src io.ReadSeeker, size int64) (*convertedBody, error) {
	if size == 0 {
		return &convertedBody{}, nil
	}
	var out convertedBody
	var dst io.Writer
	var buf bytes.Buffer
	var fw *bufio.Writer
	if size < smallFixture {
		dst = &buf
	} else {
		f, err := os.CreateTemp(c.r.dir, ".body-*")
		if err != nil {
			return nil, err
		}
		out.file = f
		fw = bufio.NewWriterSize(f, 64<<10)
		dst = fw
	}
	err := c.rewriteJSON(dst, bufio.NewReaderSize(src, 64<<10))
	if err == nil && fw != nil {
		err = fw.Flush()
		out.n, _ = out.file.Seek(0, io.SeekCurrent)
	}
	if err == nil {
		out.json = buf.Bytes()
		return &out, nil
	}
	out.release()
	var bad *notJSON
	if !errors.As(err, &bad) {
		return nil, err
	}
	// Not JSON: kept as text, scrubbed.
	if size > c.r.maxText {
		return nil, fmt.Errorf("a body of %d bytes that is not JSON is too large to record", size)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(src)
	if err != nil {
		return nil, err
	}
	text := c.sc.Scrub(string(bytes.ToValidUTF8(raw, []byte("\uFFFD"))))
	return &convertedBody{text: &text}, nil
}

// notJSON marks a body that is not one JSON value.
type notJSON struct{ err error }

func (e *notJSON) Error() string { return "not JSON: " + e.err.Error() }

// frame is one open object or array of the JSON being rewritten.
type frame struct {
	object  bool
	count   int    // members or elements written
	wantKey bool   // in an object: the next token is a key
	key     string // the current key (for an array: its parent's)
}

// rewriteJSON copies one JSON value from src to dst, token by token (so
// in constant memory, whatever the size), replacing secret and personal
// string values. It fails with *notJSON when src is not a single JSON
// value.
func (c *converter) rewriteJSON(dst io.Writer, src io.Reader) error {
	dec := json.NewDecoder(src)
	dec.UseNumber()
	var stack []*frame
	var werr error
	write := func(s string) {
		if werr == nil {
			_, werr = io.WriteString(dst, s)
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if len(stack) > 0 {
				return &notJSON{io.ErrUnexpectedEOF}
			}
			break
		}
		if err != nil {
			return &notJSON{err}
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			write(string(d))
			if len(stack) == 0 {
				if _, err := dec.Token(); err != io.EOF {
					return &notJSON{errors.New("data after the JSON value")}
				}
				break
			}
			continue
		}
		key := ""
		if top != nil {
			if top.object && top.wantKey {
				name, _ := tok.(string)
				if top.count > 0 {
					write(",")
				}
				top.count++
				top.key, top.wantKey = name, false
				write(quote(name))
				write(":")
				continue
			}
			if !top.object && top.count > 0 {
				write(",")
			}
			top.count++
			top.wantKey = top.object
			key = top.key
		}
		switch v := tok.(type) {
		case json.Delim:
			f := &frame{object: v == '{', wantKey: v == '{', key: key}
			stack = append(stack, f)
			write(string(v))
		case string:
			write(quote(c.value(key, v)))
		case json.Number:
			switch {
			case c.r.secretField(key):
				write(quote(c.value(key, v.String())))
			case c.r.maskPII && piiOf(key) == piiPhone:
				write(strings.TrimPrefix(c.r.fake(piiPhone, v.String()), "+"))
			default:
				write(v.String())
			}
		case bool:
			write(strconv.FormatBool(v))
		case nil:
			write("null")
		}
		if top == nil && len(stack) == 0 {
			// A scalar at the top level: it must be all there is.
			if _, err := dec.Token(); err != io.EOF {
				return &notJSON{errors.New("data after the JSON value")}
			}
			break
		}
	}
	return werr
}

// value returns the string to write for v found under the property key.
func (c *converter) value(key, v string) string {
	if key != "" && c.r.secretField(key) {
		if v == "" {
			return v
		}
		// Also scrubbed wherever else it appears, now and later; a body
		// with many secret properties (a list) teaches only its first few,
		// which keeps scrubbing cheap.
		if c.learned < maxLearned {
			c.learned++
			c.sc.Add(v)
			c.r.learn(v)
		}
		return Redacted
	}
	if c.r.maskPII {
		if kind := piiOf(key); kind != piiNone {
			return c.r.fake(kind, v)
		}
	}
	return c.sc.Scrub(v)
}

// quote encodes s as a JSON string without escaping <, > and &.
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}
