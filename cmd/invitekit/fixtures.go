package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"

	"github.com/invitekit/invitekit/internal/fixturecheck"
)

func init() {
	register("fixtures", "check", "validate fixture files (recorded or hand-written) against the specs", runFixturesCheck)
}

// runFixturesCheck validates the fixture files under the given paths and
// prints a line per file and the x-assumption markers they confirm or
// contradict. It exits 1 when a file breaks the spec.
func runFixturesCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "fixtures check")
	format := fs.String("format", "text", "output format: text or json")
	fs.Usage = func() {
		diag(e.Stderr, "usage: invitekit fixtures check [--format text|json] DIR|FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError("%s", err)
	}
	if fs.NArg() == 0 {
		return usageError("fixtures check needs one or more directories or files")
	}
	if *format != "text" && *format != "json" {
		return usageError("--format %q: want text or json", *format)
	}
	rep, err := fixturecheck.Check(fs.Args()...)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if *format == "json" {
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
