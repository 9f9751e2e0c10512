package benchmarks

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// maxPingSizeRatio is the most a ping-only consumer of gen/ivvy may weigh
// against the same program written with net/http alone.
const maxPingSizeRatio = 1.15

// A consumer that uses one operation must not pay for the other 150: the
// linker drops what it does not call, and nothing in gen/ivvy parses a spec
// at run time.
func TestPingBinarySize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two programs")
	}
	dir := t.TempDir()
	size := func(pkg string) int64 {
		out := filepath.Join(dir, filepath.Base(pkg))
		cmd := exec.Command("go", "build", "-o", out, "./testdata/size/"+pkg)
		b, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", b)
		fi, err := os.Stat(out)
		require.NoError(t, err)
		return fi.Size()
	}
	ping, base := size("ping"), size("nethttp")
	ratio := float64(ping) / float64(base)
	t.Logf("ping with gen/ivvy: %d bytes; with net/http alone: %d bytes; ratio %.3f (goal <= %.2f)", ping, base, ratio, maxPingSizeRatio)
	require.LessOrEqual(t, ratio, maxPingSizeRatio)
}
