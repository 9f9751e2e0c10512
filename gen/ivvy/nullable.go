package ivvy

import (
	"bytes"
	"encoding/json"
)

// Nullable is a request field that can be left out, set to a value, or sent
// as null, for the few fields where iVvy gives null a meaning: null in
// externalUrls removes every link of a contact, company or booking.
//
// The zero value is left out of the request.
type Nullable[T any] struct {
	value T
	state nullableState
}

type nullableState uint8

const (
	nullableUnset nullableState = iota
	nullableNull
	nullableValue
)

// Value returns a Nullable that sends v.
func Value[T any](v T) Nullable[T] { return Nullable[T]{value: v, state: nullableValue} }

// Null returns a Nullable that sends null.
func Null[T any]() Nullable[T] { return Nullable[T]{state: nullableNull} }

// Get returns the value and whether one is set (false for null and unset).
func (n Nullable[T]) Get() (T, bool) { return n.value, n.state == nullableValue }

// IsNull reports whether n sends null.
func (n Nullable[T]) IsNull() bool { return n.state == nullableNull }

// IsZero reports whether n is unset, so that it is left out of the request.
func (n Nullable[T]) IsZero() bool { return n.state == nullableUnset }

// MarshalJSON writes the value, or null.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if n.state != nullableValue {
		return []byte("null"), nil
	}
	return json.Marshal(n.value)
}

// UnmarshalJSON reads null or a value.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*n = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = Value(v)
	return nil
}
