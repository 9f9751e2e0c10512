package ivvyfake

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/invitekit/invitekit/gen/ivvy"
)

// call is one decoded request: its JSON object parameters and the base URL
// links are built on.
type call struct {
	ctx    context.Context
	params map[string]json.RawMessage
	base   string
	// pageCap is the action's own perPage cap (0: only the server's).
	pageCap int
	// files are the file parts of a multipart/form-data request.
	files []uploadedFile
}

// newCall decodes the request body. An empty body (or "[]", which some
// clients send for no parameters) means no parameters.
func newCall(body []byte, base string) (*call, *exception) {
	c := &call{params: map[string]json.RawMessage{}, base: base}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("[]")) || bytes.Equal(trimmed, []byte("null")) {
		return c, nil
	}
	if err := json.Unmarshal(trimmed, &c.params); err != nil {
		return nil, badRequest(codeInvalidParam, "The request body must be a JSON object")
	}
	return c, nil
}

// has reports whether the parameter was sent (null counts as not sent).
func (c *call) has(name string) bool {
	v, ok := c.params[name]
	return ok && !isNull(v)
}

func isNull(v json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(v), []byte("null"))
}

// int64Param reads an integer parameter; numeric strings are accepted.
func (c *call) int64Param(name string) (int64, bool, *exception) {
	v, ok := c.params[name]
	if !ok || isNull(v) {
		return 0, false, nil
	}
	n, err := decodeInt(v)
	if err != nil {
		return 0, true, invalid(name, "Value must be a whole number")
	}
	return n, true, nil
}

// requiredInt reads a required integer parameter.
func (c *call) requiredInt(name string) (int64, *exception) {
	n, ok, exc := c.int64Param(name)
	if exc != nil {
		return 0, exc
	}
	if !ok {
		return 0, missing(name)
	}
	return n, nil
}

func decodeInt(v json.RawMessage) (int64, error) {
	var n ivvy.Int
	if err := json.Unmarshal(v, &n); err != nil {
		return 0, err
	}
	return int64(n), nil
}

// intList reads an array of integers.
func (c *call) intList(name string) ([]int64, bool, *exception) {
	v, ok := c.params[name]
	if !ok || isNull(v) {
		return nil, false, nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(v, &raw); err != nil {
		return nil, true, invalid(name, "Value must be an array of whole numbers")
	}
	out := make([]int64, 0, len(raw))
	for _, r := range raw {
		n, err := decodeInt(r)
		if err != nil {
			return nil, true, invalid(name, "Value must be an array of whole numbers")
		}
		out = append(out, n)
	}
	return out, true, nil
}

// stringParam reads a string parameter.
func (c *call) stringParam(name string) (string, bool, *exception) {
	v, ok := c.params[name]
	if !ok || isNull(v) {
		return "", false, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", true, invalid(name, "Value must be a string")
	}
	return s, true, nil
}

// boolParam reads a boolean parameter.
func (c *call) boolParam(name string) (bool, bool, *exception) {
	v, ok := c.params[name]
	if !ok || isNull(v) {
		return false, false, nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		return false, true, invalid(name, "Value must be a boolean")
	}
	return b, true, nil
}

// floatParam reads a number parameter; numeric strings are accepted.
func (c *call) floatParam(name string) (float64, bool, *exception) {
	v, ok := c.params[name]
	if !ok || isNull(v) {
		return 0, false, nil
	}
	var f ivvy.Float
	if err := json.Unmarshal(v, &f); err != nil {
		return 0, true, invalid(name, "Value must be a number")
	}
	return float64(f), true, nil
}

// timeParam reads an iVvy timestamp parameter.
func (c *call) timeParam(name string) (time.Time, bool, *exception) {
	s, ok, exc := c.stringParam(name)
	if exc != nil || !ok {
		return time.Time{}, ok, exc
	}
	t, err := ivvy.ParseTime(s)
	if err != nil {
		return time.Time{}, true, invalid(name, "Value must be a timestamp in the format yyyy-mm-dd HH:mm:ss")
	}
	return t.Time, true, nil
}

// filter reads the filter object: field (with optional modifier) to value.
func (c *call) filter() (map[string]any, *exception) {
	v, ok := c.params["filter"]
	if !ok || isNull(v) {
		return map[string]any{}, nil
	}
	trimmed := bytes.TrimSpace(v)
	if bytes.Equal(trimmed, []byte("[]")) {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	var f map[string]any
	if err := dec.Decode(&f); err != nil {
		return nil, invalid("filter", "Value must be an object")
	}
	return f, nil
}

// takeTime removes key from f and parses it as a timestamp.
func takeTime(f map[string]any, key string) (time.Time, bool, *exception) {
	v, ok := f[key]
	if !ok {
		return time.Time{}, false, nil
	}
	delete(f, key)
	s, isString := v.(string)
	t, err := ivvy.ParseTime(s)
	if !isString || err != nil {
		return time.Time{}, true, invalid("filter."+key, "Value must be a timestamp in the format yyyy-mm-dd HH:mm:ss")
	}
	return t.Time, true, nil
}

// ts renders a time for a response: "yyyy-mm-dd HH:mm:ss UTC", or nil when
// zero.
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ivvy.NewTime(t).String()
}

// nullable renders "" as nil.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullableID renders 0 as nil.
func nullableID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// numString renders a number as the string form some calls use.
func numString(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// lower is strings.ToLower, named for the filters.
var lower = strings.ToLower
