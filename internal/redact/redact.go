// Package redact holds secrets so that formatting, logging or encoding them
// never reveals their value.
package redact

import (
	"fmt"
	"io"
	"log/slog"
)

// Placeholder is what a Secret shows instead of its value.
const Placeholder = "[redacted]"

// Secret is a credential (API secret, password, app code, session or bearer
// token). Every way of printing it yields Placeholder; only Reveal returns the
// value.
type Secret string

// Reveal returns the secret's value. Call it only where the value is sent.
func (s Secret) Reveal() string { return string(s) }

// String returns Placeholder.
func (s Secret) String() string { return Placeholder }

// GoString returns Placeholder, so %#v does not leak the value either.
func (s Secret) GoString() string { return Placeholder }

// Format writes Placeholder whatever the verb, so that verbs which do not
// use String (%d, %x, %t, ...) do not show the value either.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, Placeholder) }

// LogValue returns Placeholder for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(Placeholder) }

// MarshalJSON encodes Placeholder.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Placeholder + `"`), nil }

// MarshalText encodes Placeholder, for encoders that use encoding.TextMarshaler.
func (s Secret) MarshalText() ([]byte, error) { return []byte(Placeholder), nil }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s == "" }
