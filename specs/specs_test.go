package specs

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
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

// The client packages keep their own generated copy of the spec and must
// not depend on this package.
func TestNoClientPackageImportsSpecs(t *testing.T) {
	files, err := filepath.Glob("../gen/*/*.go")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		require.NoError(t, err, f)
		for _, imp := range parsed.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			assert.NotEqual(t, "github.com/invitekit/invitekit/specs", path, "%s imports specs", f)
		}
	}
}
