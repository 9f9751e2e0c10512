package redact_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/invitekit/invitekit/internal/redact"
)

// No formatting verb shows a Secret, alone or in a struct.
func TestSecretFormatting(t *testing.T) {
	type holder struct {
		Name   string
		Secret redact.Secret
	}
	s := redact.Secret("format-me-not-7a1c")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%10s"} {
		assert.NotContains(t, fmt.Sprintf(verb, s), s.Reveal(), verb)
		assert.NotContains(t, fmt.Sprintf(verb, holder{"n", s}), s.Reveal(), verb)
		assert.NotContains(t, fmt.Sprintf(verb, &holder{"n", s}), s.Reveal(), verb)
	}
	b, _ := json.Marshal(holder{"n", s})
	assert.JSONEq(t, `{"Name":"n","Secret":"[redacted]"}`, string(b))
	assert.Equal(t, "format-me-not-7a1c", s.Reveal())
}
