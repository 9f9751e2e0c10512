package redact_test

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
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
	inHex := hex.EncodeToString([]byte(s.Reveal())) // what %x would show
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%10s"} {
		for _, v := range []any{s, holder{"n", s}, &holder{"n", s}} {
			text := fmt.Sprintf(verb, v)
			assert.NotContains(t, text, s.Reveal(), verb)
			assert.NotContains(t, strings.ToLower(text), inHex, verb)
		}
	}
	b, _ := json.Marshal(holder{"n", s})
	assert.JSONEq(t, `{"Name":"n","Secret":"[redacted]"}`, string(b))
	assert.Equal(t, "format-me-not-7a1c", s.Reveal())
}
