package ivvyfake

import (
	"encoding/json"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/invitekit/invitekit/gen/ivvy"
)

// record is one result of a collection, as sent.
type record = map[string]any

// filter modifiers, longest first so __NOTCONTAINS is not read as __NOT.
var modifiers = []string{"__NOTCONTAINS", "__GREATERTHAN", "__LESSTHAN", "__CONTAINS", "__BEGINS", "__EMPTY", "__ENDS", "__NOT"}

// collection applies the generic filters in f to items, then the page
// parameters of c, and returns the collection body.
func (s *Server) collection(c *call, items []record, f map[string]any) (any, *exception) {
	return s.lazyCollection(c, len(items), func(i int) record { return items[i] }, f)
}

// lazyCollection is collection over n items rendered by build; without
// filters only the requested page is rendered.
func (s *Server) lazyCollection(c *call, n int, build func(i int) record, f map[string]any) (any, *exception) {
	perPage, start, exc := s.paging(c)
	if exc != nil {
		return nil, exc
	}
	conds, exc := parseFilter(f)
	if exc != nil {
		return nil, exc
	}
	total := n
	var results []record
	if len(conds) == 0 {
		lo := min(start, total)
		hi := min(lo+perPage, total)
		results = make([]record, 0, hi-lo)
		for i := lo; i < hi; i++ {
			results = append(results, build(i))
		}
	} else {
		var kept []record
		for i := range n {
			if it := build(i); matchAll(it, conds) {
				kept = append(kept, it)
			}
		}
		total = len(kept)
		lo := min(start, total)
		hi := min(lo+perPage, total)
		results = append([]record{}, kept[lo:hi]...)
	}
	return record{
		"meta": record{
			"totalResults": total,
			"start":        start,
			"perPage":      perPage,
			"count":        len(results),
		},
		"results": results,
	}, nil
}

// paging reads perPage and start. perPage above the cap (or absent) gives
// the cap: the server's, or the action's documented one when lower.
func (s *Server) paging(c *call) (perPage, start int, exc *exception) {
	pp, ok, exc := c.int64Param("perPage")
	if exc != nil {
		return 0, 0, exc
	}
	if ok && pp < 1 {
		return 0, 0, invalid("perPage", "Value must be greater than 0")
	}
	perPage = s.perPageCap
	if c.pageCap > 0 && c.pageCap < perPage {
		perPage = c.pageCap
	}
	if ok && pp < int64(perPage) {
		perPage = int(pp)
	}
	st, ok, exc := c.int64Param("start")
	if exc != nil {
		return 0, 0, exc
	}
	if ok && st < 0 {
		return 0, 0, invalid("start", "Value must be 0 or greater")
	}
	if st > math.MaxInt32 {
		st = math.MaxInt32
	}
	return perPage, int(st), nil
}

// condition is one filter entry.
type condition struct {
	field    string
	modifier string // "" for equality
	value    any
}

// parseFilter turns the filter object into conditions, in key order.
func parseFilter(f map[string]any) ([]condition, *exception) {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []condition
	for _, k := range keys {
		cond := condition{field: k, value: f[k]}
		if i := strings.LastIndex(k, "__"); i > 0 {
			mod := k[i:]
			known := false
			for _, m := range modifiers {
				if m == mod {
					known = true
				}
			}
			if !known {
				return nil, invalid("filter."+k, "Unknown filter modifier "+truncate(mod, 20))
			}
			cond.field, cond.modifier = k[:i], mod
		}
		out = append(out, cond)
	}
	return out, nil
}

func matchAll(it record, conds []condition) bool {
	for _, c := range conds {
		if !match(it[c.field], c) {
			return false
		}
	}
	return true
}

// isNullToken reports whether v is the special value that searches for null.
func isNullToken(v any) bool {
	s, ok := v.(string)
	return ok && (s == "__ISNULL__" || s == "ISNULL")
}

// match applies one condition to a field value.
func match(field any, c condition) bool {
	if isNullToken(c.value) {
		if c.modifier == "__NOT" {
			return field != nil
		}
		return field == nil
	}
	switch c.modifier {
	case "__EMPTY":
		return isEmpty(field) == truthy(c.value)
	case "__NOT":
		return !equalsAny(field, c.value)
	case "":
		return equalsAny(field, c.value)
	}
	if field == nil {
		return false
	}
	if elems, ok := slice(field); ok {
		for _, e := range elems {
			if matchScalar(e, c) {
				return c.modifier != "__NOTCONTAINS"
			}
		}
		return c.modifier == "__NOTCONTAINS"
	}
	return matchScalar(field, c)
}

func matchScalar(field any, c condition) bool {
	ft, vt := lower(text(field)), lower(text(c.value))
	switch c.modifier {
	case "__CONTAINS":
		return strings.Contains(ft, vt)
	case "__NOTCONTAINS":
		return !strings.Contains(ft, vt)
	case "__BEGINS":
		return strings.HasPrefix(ft, vt)
	case "__ENDS":
		return strings.HasSuffix(ft, vt)
	case "__LESSTHAN":
		return compare(field, c.value) <= 0
	case "__GREATERTHAN":
		return compare(field, c.value) >= 0
	}
	return false
}

// equalsAny reports whether field equals the value, or any element of an
// array value; an array field matches when any element does.
func equalsAny(field, value any) bool {
	if field == nil {
		return false
	}
	if vals, ok := slice(value); ok {
		for _, v := range vals {
			if equalsAny(field, v) {
				return true
			}
		}
		return false
	}
	if elems, ok := slice(field); ok {
		for _, e := range elems {
			if equalsAny(e, value) {
				return true
			}
		}
		return false
	}
	if b, ok := field.(bool); ok {
		return b == truthy(value)
	}
	return compare(field, value) == 0
}

// compare orders two scalars: as numbers when both are numeric, as times
// when both are iVvy timestamps, otherwise as case-folded text.
func compare(a, b any) int {
	at, bt := text(a), text(b)
	if x, err := strconv.ParseFloat(at, 64); err == nil {
		if y, err := strconv.ParseFloat(bt, 64); err == nil {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	}
	if x, err := ivvy.ParseTime(at); err == nil {
		if y, err := ivvy.ParseTime(bt); err == nil {
			return x.Compare(y.Time)
		}
	}
	return strings.Compare(lower(at), lower(bt))
}

// text is the string form of a scalar.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "1"
		}
		return "0"
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// truthy reads a filter value as a boolean.
func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case nil:
		return false
	}
	switch lower(text(v)) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

// isEmpty reports whether a field value is empty: null, "", 0, false or an
// empty array.
func isEmpty(v any) bool {
	if v == nil {
		return true
	}
	if elems, ok := slice(v); ok {
		return len(elems) == 0
	}
	return !truthy(v)
}

// slice returns the elements of an array value.
func slice(v any) ([]any, bool) {
	if v == nil {
		return nil, false
	}
	if x, ok := v.([]any); ok {
		return x, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}
