package fixturecheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The contract tests' exchange fixtures all pass the check: the valid ones
// fit the spec and the negative ones fail where they say. (The notification
// payloads under testdata/ivvy-notifications are not exchanges; their own
// test checks them.)
func TestContractFixturesPass(t *testing.T) {
	dir := filepath.Join("..", "..", "contract_tests", "testdata")
	rep, err := Check(filepath.Join(dir, "ivvy"), filepath.Join(dir, "alida"), filepath.Join(dir, "invitario"))
	require.NoError(t, err)
	var out strings.Builder
	rep.Write(&out)
	for _, f := range rep.Files {
		assert.True(t, f.OK, "%s: %v", f.Path, f.Issues)
	}
	assert.False(t, rep.Failed(), out.String())
	assert.Greater(t, len(rep.Files), 300)
}

func TestAssumptionsListed(t *testing.T) {
	all, err := Assumptions()
	require.NoError(t, err)
	require.NotEmpty(t, all)
	for _, a := range all {
		assert.True(t, strings.HasPrefix(a.Location, "/"), a.Location)
		assert.NotEmpty(t, a.Reason, a.Location)
		assert.NotContains(t, a.Reason, "\n")
	}
}

func TestBrokenFieldIsNamed(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "contract_tests", "testdata", "invitario", "guestListAll", "full-list.json"))
	if err != nil {
		t.Skip("no full-list fixture")
	}
	_ = src
}
