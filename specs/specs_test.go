package specs

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEverySpecLoadsAndValidates(t *testing.T) {
	for _, api := range All() {
		doc, err := Load(api)
		require.NoError(t, err, api)
		require.NoError(t, doc.Validate(openapi3.NewLoader().Context), api)
		onDisk, err := os.ReadFile(api.File())
		require.NoError(t, err)
		b, err := YAML(api)
		require.NoError(t, err)
		assert.Equal(t, onDisk, b, api)
	}
	_, err := Load("nope")
	assert.ErrorContains(t, err, `no spec for API "nope"`)
}

// The client packages carry what they need of the specs as generated code:
// neither they nor anything they link may parse a spec at run time.
func TestClientPackagesLinkNoSpecMachinery(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "../gen/...").CombinedOutput()
	require.NoError(t, err, "%s", out)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/invitekit/invitekit/gen/ivvy")
	for _, d := range deps {
		for _, banned := range []string{
			"github.com/invitekit/invitekit/specs",
			"github.com/invitekit/invitekit/internal/oas",
			"github.com/getkin/kin-openapi",
			"yaml",
			"jsonschema",
			"github.com/oapi-codegen/oapi-codegen",
		} {
			assert.NotContains(t, d, banned, "a client package links %s", d)
		}
	}
}
