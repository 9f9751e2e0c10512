package ivvy

import (
	"fmt"
	"strings"
)

// Match is how a filter condition compares a field with its value. iVvy
// writes it as a suffix of the field name ("firstName__BEGINS").
type Match string

// The documented filter modifiers.
const (
	Equals      Match = ""              // the field equals the value
	Contains    Match = "__CONTAINS"    // the field contains the value
	NotContains Match = "__NOTCONTAINS" // the field does not contain the value
	BeginsWith  Match = "__BEGINS"      // the field starts with the value
	EndsWith    Match = "__ENDS"        // the field ends with the value
	AtMost      Match = "__LESSTHAN"    // the field is at most the value
	AtLeast     Match = "__GREATERTHAN" // the field is at least the value
	NotEquals   Match = "__NOT"         // the field differs from the value
	IsEmpty     Match = "__EMPTY"       // the field is empty
)

// NullValue is the filter value that matches fields that are not set.
const NullValue = "__ISNULL__"

// Condition is one filter entry.
type Condition struct {
	Field string
	Match Match
	Value any
}

// Where starts a condition on a field, e.g. Where("firstName").Is(BeginsWith, "M").
func Where(field string) FieldRef { return FieldRef(field) }

// FieldRef names the field of a condition being built.
type FieldRef string

// Is completes a condition.
func (f FieldRef) Is(m Match, value any) Condition {
	return Condition{Field: string(f), Match: m, Value: value}
}

// Equals is Is(Equals, value).
func (f FieldRef) Equals(value any) Condition { return f.Is(Equals, value) }

// IsNull matches records whose field is not set.
func (f FieldRef) IsNull() Condition { return f.Is(Equals, NullValue) }

// Key returns the condition's filter key ("firstName__BEGINS").
func (c Condition) Key() string { return c.Field + string(c.Match) }

// NewFilter builds a Filter from conditions. It fails on an empty or
// already-suffixed field name, an unknown modifier, or two conditions with
// the same key (the second would silently replace the first).
func NewFilter(conds ...Condition) (Filter, error) {
	f := Filter{}
	for _, c := range conds {
		if err := c.check(); err != nil {
			return nil, err
		}
		if _, dup := f[c.Key()]; dup {
			return nil, fmt.Errorf("ivvy: filter: %q is given twice", c.Key())
		}
		f[c.Key()] = filterValue(c.Value)
	}
	return f, nil
}

// Apply adds the conditions to a typed filter such as ContactListFilter or
// EventListFilter (anything with a Set method), with the checks of NewFilter.
func Apply(dst interface{ Set(string, interface{}) }, conds ...Condition) error {
	f, err := NewFilter(conds...)
	if err != nil {
		return err
	}
	for k, v := range f {
		dst.Set(k, v)
	}
	return nil
}

func (c Condition) check() error {
	switch {
	case strings.TrimSpace(c.Field) == "":
		return fmt.Errorf("ivvy: filter: a condition has no field name")
	case strings.Contains(c.Field, "__"):
		return fmt.Errorf("ivvy: filter: field %q already carries a modifier; use Match instead", c.Field)
	}
	switch c.Match {
	case Equals, Contains, NotContains, BeginsWith, EndsWith, AtMost, AtLeast, NotEquals, IsEmpty:
		return nil
	}
	return fmt.Errorf("ivvy: filter: unknown modifier %q on field %q", string(c.Match), c.Field)
}

// filterValue writes times in the iVvy format.
func filterValue(v any) any {
	switch t := v.(type) {
	case Time:
		return t.String()
	case *Time:
		if t == nil {
			return NullValue
		}
		return t.String()
	}
	return v
}
