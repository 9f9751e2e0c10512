package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

func init() {
	c := register("", "version", "print the version and commit invitekit was built from", runVersion)
	c.Env, c.Example = []string{}, "invitekit version\ninvitekit --version"
}

func runVersion(_ context.Context, e *env, args []string) error {
	if err := parseFlags(newFlags(e, "version"), args); err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, versionLine(debug.ReadBuildInfo()))
	return nil
}

// versionLine describes the build: module version, commit (with
// "modified" when the tree had changes) and Go version.
func versionLine(bi *debug.BuildInfo, ok bool) string {
	version, commit, modified := "(unknown)", "", false
	goVersion := runtime.Version()
	if ok && bi != nil {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
	}
	line := "invitekit " + version
	if commit != "" {
		if len(commit) > 12 {
			commit = commit[:12]
		}
		line += " commit " + commit
		if modified {
			line += " (modified)"
		}
	}
	return line + " " + goVersion
}
