package main

import (
	"context"

	"github.com/invitekit/invitekit/internal/fixturecheck"
)

func init() {
	addGroup("specs", "what the specs assume")
	add(command{Group: "specs", Name: "assumptions", Summary: "list the specs' x-assumption markers (claims no vendor document supports)",
		Description: "One row per marker: the API, where it stands in the spec (a JSON pointer) and its reason.",
		Env:         []string{},
		Example:     "invitekit specs assumptions\ninvitekit specs assumptions --format json",
		Run:         runSpecsAssumptions})
}

// runSpecsAssumptions lists every x-assumption marker: API, location (a
// JSON pointer into the spec) and reason.
func runSpecsAssumptions(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "specs assumptions")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	all, err := fixturecheck.Assumptions()
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(all))
	for _, a := range all {
		rows = append(rows, []string{a.API, a.Location, a.Reason})
	}
	if all == nil {
		all = []fixturecheck.Assumption{}
	}
	return writeRecords(e, e.format, []column{text("api"), text("location"), text("reason")}, rows, all)
}
