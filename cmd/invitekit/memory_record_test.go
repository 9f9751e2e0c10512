//go:build linux

package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGuestStreamMemoryRecordedAndChecked is TestGuestStreamMemory with
// --record and --check-spec on: the list is recorded and validated item
// by item, so the CLI's peak memory stays under the same bound.
// INVITEKIT_RSS_GUESTS=1000000 runs the full-size check.
func TestGuestStreamMemoryRecordedAndChecked(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and streams a long list")
	}
	n := guestCount(t, 30_000) // enough to show the memory stays flat; the full run is in BENCHMARKS.md
	bin := buildCLI(t)

	srv := httptest.NewServer(guestStreamHandler(n))
	defer srv.Close()
	dir := t.TempDir()
	cmd := exec.Command(bin, "invitario", "guests", "--format", "csv", "--record", dir, "--record-mask-pii", "--check-spec")
	cmd.Env = memoryTestEnv(srv.URL)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	peak := watchPeakRSS(cmd.Process.Pid)
	lines, _ := countLines(out)
	rss := peak()
	require.NoError(t, cmd.Wait(), stderr.String())
	require.Equal(t, n+1, lines)
	require.Contains(t, stderr.String(), "recorded 3 exchange(s)")
	require.NotContains(t, stderr.String(), "spec drift")

	st, err := os.Stat(filepath.Join(dir, "invitario", "guestListAll", "1.json"))
	require.NoError(t, err)
	require.Greater(t, st.Size(), int64(n*100), "the whole list is recorded")

	t.Logf("%d guests recorded and checked: max RSS %.1f MiB", n, float64(rss)/(1<<20))
	require.Less(t, rss, int64(maxStreamRSS), "peak memory of the CLI")
}
