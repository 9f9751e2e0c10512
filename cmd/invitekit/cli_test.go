package main

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/invitekit/invitekit/fake"
)

// runCLI runs the command in-process with the given environment and returns
// its exit status, stdout and stderr.
func runCLI(t *testing.T, environ map[string]string, args ...string) (int, string, string) {
	t.Helper()
	return runCLIStdin(t, "", environ, args...)
}

// runCLIStdin is runCLI with text on standard input.
func runCLIStdin(t *testing.T, stdin string, environ map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Getenv: func(k string) string { return environ[k] },
	}
	code := run(t.Context(), e, args)
	return code, out.String(), errOut.String()
}

// fakeServer serves the demo fakes for one test.
func fakeServer(t *testing.T) (*fake.Set, string) {
	t.Helper()
	set := fake.Demo()
	srv := httptest.NewServer(set.Handler())
	t.Cleanup(srv.Close)
	return set, srv.URL
}

func TestUsageErrors(t *testing.T) {
	code, out, _ := runCLI(t, nil)
	if code != 2 || !strings.Contains(out, "Usage:\n  invitekit <api> <command>") {
		t.Fatalf("no arguments: exit %d, stdout %q", code, out)
	}
	code, _, errOut := runCLI(t, nil, "nosuch")
	if code != 2 || !strings.Contains(errOut, `invitekit: unknown command "nosuch"`) {
		t.Fatalf("unknown command: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, nil, "ivvy", "nosuch")
	if code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown ivvy command: exit %d, stderr %q", code, errOut)
	}
	code, out, _ = runCLI(t, nil, "help")
	if code != 0 || !strings.Contains(out, "ivvy invite") {
		t.Fatalf("help: exit %d, stdout %q", code, out)
	}
}
