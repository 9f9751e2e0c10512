package invitario

import (
	"os"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fast guest parser is written by hand. It must read every property the
// spec gives a guest: a property it does not know would be skipped, and its
// value silently lost. When the spec's Guest gains a field, this fails until
// the parser (guestKeys and guestParser.guest) reads it too.
func TestGuestParserReadsEverySpecField(t *testing.T) {
	raw, err := os.ReadFile("../../specs/invitario.yaml")
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	require.NoError(t, err)
	guest := doc.Components.Schemas["Guest"]
	require.NotNil(t, guest, "the spec has a Guest schema")
	var spec []string
	for name := range guest.Value.Properties {
		spec = append(spec, name)
	}
	parser := append([]string(nil), guestKeys...)
	sort.Strings(spec)
	sort.Strings(parser)
	assert.Equal(t, spec, parser, "the guest parser and the spec's Guest disagree on the fields")

	// Every key the parser lists is one it parses into the guest, not one
	// it skips as unknown: no guest field takes a boolean, so the parser
	// refuses `true` under a key it handles and skips it under any other.
	var names fieldNames
	_, ok := parseGuest([]byte(`{"notAGuestField":true}`), new(Guest), &names)
	require.True(t, ok, "an unknown key is skipped")
	for _, key := range guestKeys {
		_, ok := parseGuest([]byte(`{"`+key+`":true}`), new(Guest), &names)
		assert.False(t, ok, "the parser lists %q but skips it", key)
	}
}
