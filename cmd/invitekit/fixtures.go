package main

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/invitekit/invitekit/internal/fixturecheck"
)

func init() {
	addGroup("fixtures", "check contract fixtures and recordings against the specs")
	add(command{Group: "fixtures", Name: "check", Summary: "validate fixture files (recorded or hand-written) against the specs",
		Usage:       "DIR|FILE... [--format table|json]",
		Description: "Prints, per file, OK or the operation, status and field that broke the spec, then the\nx-assumption markers the files confirm or contradict. Exit status 1 when a file breaks the spec.",
		Env:         []string{},
		Example:     "invitekit fixtures check ./recordings\ninvitekit fixtures check --format json contract_tests/testdata/ivvy",
		Run:         runFixturesCheck})
}

// runFixturesCheck validates the fixture files under the given paths and
// prints a line per file and the x-assumption markers they confirm or
// contradict. It exits 1 when a file breaks the spec.
func runFixturesCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "fixtures check")
	paths, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usageError("fixtures check needs one or more directories or files")
	}
	format := e.format
	if format != "table" && format != "json" {
		return usageError("--format %q: fixtures check prints table (a report) or json", format)
	}
	rep, err := fixturecheck.Check(paths...)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if format == "json" {
		enc := json.NewEncoder(&out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		rep.Write(&out)
	}
	if _, err := e.Stdout.Write([]byte(escapeControlsKeepLines(out.String()))); err != nil {
		return err
	}
	if rep.Failed() {
		return &exitErr{code: 1}
	}
	return nil
}

// escapeControlsKeepLines escapes control characters line by line, so that
// file names and messages cannot drive the terminal.
func escapeControlsKeepLines(s string) string {
	lines := bytes.Split([]byte(s), []byte("\n"))
	for i, l := range lines {
		lines[i] = []byte(escapeControls(string(l)))
	}
	return string(bytes.Join(lines, []byte("\n")))
}
