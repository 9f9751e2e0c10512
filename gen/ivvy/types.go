package ivvy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// TimeLayout is the iVvy timestamp layout (always UTC). Servers may append " UTC".
const TimeLayout = "2006-01-02 15:04:05"

// Time is an iVvy timestamp: "yyyy-mm-dd HH:mm:ss" in UTC, with or without a
// trailing " UTC". It decodes both forms, and JSON null or "" as the zero
// Time. It encodes as "yyyy-mm-dd HH:mm:ss UTC", or null when zero.
type Time struct {
	time.Time
}

// NewTime returns t in UTC, truncated to whole seconds, as an iVvy Time.
func NewTime(t time.Time) Time {
	return Time{Time: t.UTC().Truncate(time.Second)}
}

// ParseTime parses an iVvy timestamp, with or without the " UTC" suffix.
func ParseTime(s string) (Time, error) {
	v := strings.TrimSuffix(strings.TrimSpace(s), " UTC")
	t, err := time.ParseInLocation(TimeLayout, v, time.UTC)
	if err != nil {
		return Time{}, fmt.Errorf("ivvy: invalid timestamp %q: want yyyy-mm-dd HH:mm:ss with an optional \" UTC\"", excerpt(s))
	}
	return Time{Time: t}, nil
}

// String formats t as "yyyy-mm-dd HH:mm:ss UTC", or "" when zero.
func (t Time) String() string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(TimeLayout) + " UTC"
}

// MarshalJSON encodes t in the iVvy format, or null when zero.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.String())
}

// UnmarshalJSON decodes an iVvy timestamp string; null and "" give the zero Time.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*t = Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("ivvy: timestamp must be a string, got %s", excerpt(string(b)))
	}
	if s == "" {
		*t = Time{}
		return nil
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Int is an integer that iVvy sends either as a JSON number or as a string of
// digits (some ids and amounts). It always encodes as a JSON number.
type Int int64

// MarshalJSON encodes i as a JSON number.
func (i Int) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, int64(i), 10), nil
}

// UnmarshalJSON accepts 12 and "12"; null and "" leave zero. Anything else
// (a fraction, an exponent, hex, NaN) is refused
// with a *json.UnmarshalTypeError, which encoding/json completes with the
// name of the field being decoded.
func (i *Int) UnmarshalJSON(b []byte) error {
	s, ok := unquoteNumber(b)
	if !ok {
		return numberError(b, "an integer or a string of digits", reflect.TypeFor[Int]())
	}
	if s == "" {
		*i = 0
		return nil
	}
	if !isDecimal(s, false) {
		return numberError(b, "an integer or a string of digits", reflect.TypeFor[Int]())
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return numberError(b, "an integer that fits in 64 bits", reflect.TypeFor[Int]())
	}
	*i = Int(v)
	return nil
}

// Float is a decimal number that iVvy sends either as a JSON number or as a
// string ("44", "12.50"). It always encodes as a JSON number.
type Float float64

// MarshalJSON encodes f as a JSON number.
func (f Float) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(f), 'f', -1, 64), nil
}

// UnmarshalJSON accepts 12.5 and "12.5"; null and "" leave zero. Only
// decimal notation is accepted (digits, an optional fraction and exponent):
// NaN, Infinity, hex floats and out-of-range values are refused with a
// *json.UnmarshalTypeError, which encoding/json completes with the name of
// the field being decoded, so that every Float can be encoded back to JSON.
func (f *Float) UnmarshalJSON(b []byte) error {
	s, ok := unquoteNumber(b)
	if !ok {
		return numberError(b, "a number or a numeric string", reflect.TypeFor[Float]())
	}
	if s == "" {
		*f = 0
		return nil
	}
	if !isDecimal(s, true) {
		return numberError(b, "a decimal number (no NaN, Infinity or hex)", reflect.TypeFor[Float]())
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return numberError(b, "a finite number within float64 range", reflect.TypeFor[Float]())
	}
	*f = Float(v)
	return nil
}

// numberError describes a value that is not the number wanted. It is a
// *json.UnmarshalTypeError so that encoding/json adds the struct and field
// path (as in "Attendee.cost") to the message.
func numberError(b []byte, want string, typ reflect.Type) error {
	return &json.UnmarshalTypeError{
		Value: fmt.Sprintf("%s (want %s)", excerpt(string(bytes.TrimSpace(b))), want),
		Type:  typ,
	}
}

// isDecimal reports whether s is written in plain decimal notation: an
// optional sign, digits, and, when fraction is true, an optional fraction
// ("12.50", "12.", ".5") and exponent ("1e3"). Leading zeros are allowed,
// since iVvy sends numbers as strings that JSON's grammar does not cover.
func isDecimal(s string, fraction bool) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		digits++
	}
	if !fraction {
		return digits > 0 && i == len(s)
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && isDigit(s[i]); i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// unquoteNumber returns the text of a JSON number or of a JSON string; ok is
// false for any other JSON value. null yields "".
func unquoteNumber(b []byte) (string, bool) {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return "", true
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return "", false
		}
		return strings.TrimSpace(s), true
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		return string(b), true
	}
	return "", false
}

// excerpt shortens s for an error message.
func excerpt(s string) string {
	const max = 64
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}

// decodeEnum decodes a JSON number or a string of digits into *v, for the
// UnmarshalJSON of the generated enum types; null and "" set zero.
func decodeEnum[T ~int](b []byte, v *T, typ string) error {
	s, ok := unquoteNumber(b)
	if !ok {
		return fmt.Errorf("ivvy: %s: want an integer, got %s", typ, excerpt(string(b)))
	}
	if s == "" {
		*v = 0
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		// A whole number written another way (3.0, 1e1) is still one.
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
			return fmt.Errorf("ivvy: %s: want an integer, got %s", typ, excerpt(string(b)))
		}
		n = int(f)
	}
	*v = T(n)
	return nil
}
