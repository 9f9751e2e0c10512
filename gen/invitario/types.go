package invitario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Fields holds a guest's data fields by name (salutation, firstName,
// lastName, company, email, customField1, ...).
type Fields map[string]FieldValue

// Text returns the named field as text: a string as it is, a list joined
// with ", ", and "" for null or a missing field.
func (f Fields) Text(name string) string {
	return f[name].String()
}

// FieldValue is the value of one guest field: a string, a list of strings or
// null. The zero value is null.
type FieldValue struct {
	str    string
	list   []string
	isStr  bool
	isList bool
}

// StringValue returns a FieldValue holding s.
func StringValue(s string) FieldValue { return FieldValue{str: s, isStr: true} }

// ListValue returns a FieldValue holding a list of strings.
func ListValue(items ...string) FieldValue {
	return FieldValue{list: append([]string{}, items...), isList: true}
}

// IsNull reports whether the value is null (or absent).
func (v FieldValue) IsNull() bool { return !v.isStr && !v.isList }

// IsList reports whether the value is a list of strings.
func (v FieldValue) IsList() bool { return v.isList }

// Strings returns the value as a list: a list as it is, a string as a list
// of one, and nil for null.
func (v FieldValue) Strings() []string {
	switch {
	case v.isList:
		return append([]string{}, v.list...)
	case v.isStr:
		return []string{v.str}
	}
	return nil
}

// String returns the value as text: a string as it is, a list joined with
// ", ", and "" for null.
func (v FieldValue) String() string {
	if v.isList {
		return strings.Join(v.list, ", ")
	}
	return v.str
}

// MarshalJSON encodes the value as a JSON string, array of strings or null.
func (v FieldValue) MarshalJSON() ([]byte, error) {
	switch {
	case v.isList:
		if v.list == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(v.list)
	case v.isStr:
		return json.Marshal(v.str)
	}
	return []byte("null"), nil
}

// UnmarshalJSON accepts a JSON string, an array of strings or null.
func (v *FieldValue) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*v = FieldValue{}
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = StringValue(s)
		return nil
	case len(b) > 0 && b[0] == '[':
		var l []string
		if err := json.Unmarshal(b, &l); err != nil {
			return fmt.Errorf("invitario: field value: %w", err)
		}
		if l == nil {
			l = []string{}
		}
		*v = FieldValue{list: l, isList: true}
		return nil
	}
	return fmt.Errorf("invitario: field value must be a string, a list of strings or null, not %.20s", b)
}
