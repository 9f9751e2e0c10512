//go:build linux

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// maxStreamRSS is the most memory the CLI may hold while it streams a guest
// list of any length to CSV.
const maxStreamRSS = 64 << 20

// TestGuestStreamMemory builds the CLI, streams a generated guest list
// through "invitario guests --format csv" and checks the child's peak
// resident memory. It lists 100,000 guests by default;
// INVITEKIT_RSS_GUESTS=1000000 runs the full check that BENCHMARKS.md
// reports.
func TestGuestStreamMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and streams a long list")
	}
	n := guestCount(t, 100_000)
	bin := buildCLI(t)

	srv := httptest.NewServer(guestStreamHandler(n))
	defer srv.Close()

	cmd := exec.Command(bin, "invitario", "guests", "--format", "csv")
	cmd.Env = memoryTestEnv(srv.URL)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	peak := watchPeakRSS(cmd.Process.Pid)
	lines, last := countLines(out)
	rss := peak()
	require.NoError(t, cmd.Wait(), stderr.String())
	require.Equal(t, n+1, lines, "a header and one line per guest")
	require.Equal(t, fmt.Sprintf("g%07d,,A%07d,First%d,Last,g%d@example.com,Example Corp,registered,,,,false,false", n, n, n, n), last)

	t.Logf("%d guests to CSV: max RSS %.1f MiB", n, float64(rss)/(1<<20))
	require.Less(t, rss, int64(maxStreamRSS), "peak memory of the CLI")
}

// guestCount is the length of the list a memory test streams: def, or
// INVITEKIT_RSS_GUESTS.
func guestCount(t *testing.T, def int) int {
	t.Helper()
	s := os.Getenv("INVITEKIT_RSS_GUESTS")
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	require.NoError(t, err, "INVITEKIT_RSS_GUESTS")
	return n
}

// buildCLI builds the command into a temporary folder and returns its path.
func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "invitekit")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	return bin
}

// memoryTestEnv is the environment of the CLI under a memory test, against
// the Invitario server at base.
//
// A soft memory limit below the goal makes the collector run on time even
// when the machine is busy, so the peak measures what the CLI keeps, not
// how late the collector ran. A CLI that holds the list cannot get under
// the goal whatever the limit. GOGC is set too, so that a setting of the
// machine running the tests cannot change the figure.
func memoryTestEnv(base string) []string {
	return append(os.Environ(), "GOMEMLIMIT=40MiB", "GOGC=100",
		"INVITARIO_BASE_URL="+base, "INVITARIO_EVENT_ID=E1", "INVITARIO_API_KEY=app-code", "INVITARIO_STATION=Gate")
}

// watchPeakRSS samples the high-water mark of a running process's resident
// memory (VmHWM in /proc/PID/status, which counts only the program the
// process runs now) until the returned function is called, and returns the
// highest value seen. The kernel's own figure for a child (ru_maxrss) is of
// no use here: it keeps the high-water mark of the test process the child
// was forked from. VmHWM only grows, so a sample is a lower bound of the
// peak, and a CLI that holds the list shows growing samples all along.
func watchPeakRSS(pid int) (stop func() int64) {
	var peak atomic.Int64
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := func() {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kib, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				if err == nil && kib<<10 > peak.Load() {
					peak.Store(kib << 10)
				}
			}
		}
	}
	go func() {
		defer close(finished)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			sample()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() int64 {
		sample()
		close(done)
		<-finished
		return peak.Load()
	}
}

// countLines reads r to its end and returns its line count and last line.
func countLines(r io.Reader) (int, string) {
	sc := bufio.NewScanner(r)
	n, last := 0, ""
	for sc.Scan() {
		n++
		last = sc.Text()
	}
	return n, last
}

// guestStreamHandler is a minimal Invitario server whose event has n
// generated guests, written to the list answer one at a time.
func guestStreamHandler(n int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/login":
			_, _ = io.WriteString(w, `{"status":"success","sessionToken":"0123456789abcdef0123456789abcdef01234567","stationName":"Gate","event":{"id":"E1","name":"Stream"}}`)
		case "/api/v1/logout":
			_, _ = io.WriteString(w, `{"status":"success"}`)
		case "/api/v1/guest/list/all":
			bw := bufio.NewWriterSize(w, 64<<10)
			fmt.Fprintf(bw, `{"status":"success","count":%d,"dateTime":"2026-03-01T12:00:00+01:00","guests":[`, n)
			for i := 1; i <= n; i++ {
				if i > 1 {
					_ = bw.WriteByte(',')
				}
				fmt.Fprintf(bw, `{"id":"g%07d","accessCode":"A%07d","registrationState":"registered",`+
					`"fields":{"firstName":"First%d","lastName":"Last","email":"g%d@example.com","company":"Example Corp"},`+
					`"checkInDateTime":null,"checkOutDateTime":null,"deleteDateTime":null,"companions":[],`+
					`"clientUpdateDateTime":"2026-03-01T11:00:00+01:00","serverUpdateDateTime":"2026-03-01T11:00:00+01:00"}`, i, i, i, i)
			}
			_, _ = bw.WriteString(`]}`)
			_ = bw.Flush()
		default:
			http.NotFound(w, r)
		}
	})
}
