package alida

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Time is an Alida timestamp. The server writes UTC date-times in RFC 3339
// form with up to seven fractional digits (2016-11-15T01:01:28.4112016Z);
// Time also accepts a value without a zone, which it reads as UTC, and
// always encodes in UTC with RFC 3339 and the fraction the value has.
type Time struct {
	time.Time
}

// timeLayouts are tried in order when decoding.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
}

// ParseTime reads an Alida timestamp.
func ParseTime(s string) (Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return Time{t.UTC()}, nil
		}
	}
	return Time{}, fmt.Errorf("alida: %q is not a UTC date-time", s)
}

// UnmarshalJSON decodes a JSON string holding an Alida timestamp.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("alida: date-time must be a JSON string: %w", err)
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// MarshalJSON encodes the time in UTC as RFC 3339 with its fraction.
func (t Time) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.String())
}

// String returns the time in UTC as RFC 3339 with its fraction.
func (t Time) String() string {
	return t.UTC().Format(time.RFC3339Nano)
}
