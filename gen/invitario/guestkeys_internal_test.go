package invitario

import (
	"os"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fast guest parser is written by hand. It must read every property the
// spec gives a guest or a companion: a property it does not know would be
// skipped, and its value silently lost. When the spec's Guest or a guest's
// companion gains a field, this fails until the parser (guestKeys and
// guestParser.guest, companionKeys and guestParser.companions) reads it too.
func TestGuestParserReadsEverySpecField(t *testing.T) {
	raw, err := os.ReadFile("../../specs/invitario.yaml")
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	require.NoError(t, err)
	guest := doc.Components.Schemas["Guest"]
	require.NotNil(t, guest, "the spec has a Guest schema")
	companions := guest.Value.Properties["companions"]
	require.NotNil(t, companions, "a guest has companions")
	require.NotNil(t, companions.Value.Items, "companions is a list")

	for _, tc := range []struct {
		name   string
		schema *openapi3.SchemaRef
		keys   []string
		// wrap puts one property into a guest document.
		wrap func(prop string) string
	}{
		{"Guest", guest, guestKeys, func(p string) string { return `{` + p + `}` }},
		{"companion", companions.Value.Items, companionKeys, func(p string) string { return `{"companions":[{` + p + `}]}` }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := propertyNames(tc.schema)
			parser := slices.Sorted(slices.Values(tc.keys))
			assert.Equal(t, spec, parser, "the parser and the spec's %s disagree on the fields", tc.name)

			// Every key the parser lists is one it parses, not one it
			// skips as unknown: no field takes a boolean, so the parser
			// refuses `true` under a key it handles and skips it under
			// any other.
			var names fieldNames
			_, ok := parseGuest([]byte(tc.wrap(`"notAField":true`)), new(Guest), &names)
			require.True(t, ok, "an unknown key is skipped")
			for _, key := range tc.keys {
				_, ok := parseGuest([]byte(tc.wrap(`"`+key+`":true`)), new(Guest), &names)
				assert.False(t, ok, "the parser lists %q but skips it", key)
			}
		})
	}
}

// propertyNames returns the sorted property names of s, with those of its
// allOf parts.
func propertyNames(s *openapi3.SchemaRef) []string {
	var names []string
	var collect func(*openapi3.SchemaRef)
	collect = func(s *openapi3.SchemaRef) {
		if s == nil || s.Value == nil {
			return
		}
		for name := range s.Value.Properties {
			names = append(names, name)
		}
		for _, part := range s.Value.AllOf {
			collect(part)
		}
	}
	collect(s)
	slices.Sort(names)
	return slices.Compact(names)
}
