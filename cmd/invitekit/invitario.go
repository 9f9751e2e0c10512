package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/invitekit/invitekit/gen/invitario"
)

func init() {
	register("invitario", "guests", "list the event's guests, or only what changed (--since TIME | --state FILE)", runInvitarioGuests)
}

// invitarioColumns are the columns of the table and CSV output.
var invitarioColumns = []column{
	text("id"), text("parentId"), text("accessCode"), text("firstName"), text("lastName"), text("email"), text("company"),
	text("registrationState"), own("checkInDateTime"), own("checkOutDateTime"), own("deleteDateTime"), own("changed"), own("deleted"),
}

// invitarioState is the --state file: the sync cursor of one event.
type invitarioState struct {
	EventID string           `json:"eventId"`
	Cursor  invitario.Cursor `json:"cursor"`
}

func runInvitarioGuests(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "invitario guests")
	baseURL := fs.String("base-url", "", "Invitario base URL, scheme://host[:port] (default $INVITARIO_BASE_URL)")
	eventID := fs.String("event-id", "", "event id (default $INVITARIO_EVENT_ID)")
	appCode := fs.String("api-key", "", "app code of the check-in app configuration (default $INVITARIO_API_KEY; prefer the environment)")
	station := fs.String("station", "", "station name, the app configuration's name (default $INVITARIO_STATION)")
	sinceFlag := fs.String("since", "", "list only the guests changed since this RFC 3339 time")
	statePath := fs.String("state", "", "file keeping the sync position between runs: the first run lists all guests, later runs what changed")
	format := fs.String("format", "table", formatHelp)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	creds := invitario.Credentials{
		EventID: setting(e, *eventID, "INVITARIO_EVENT_ID"),
		AppCode: invitario.Secret(setting(e, *appCode, "INVITARIO_API_KEY")),
		Station: setting(e, *station, "INVITARIO_STATION"),
	}
	base := setting(e, *baseURL, "INVITARIO_BASE_URL")
	var missing []string
	for _, m := range []struct{ val, name string }{
		{base, "INVITARIO_BASE_URL (or --base-url)"},
		{creds.EventID, "INVITARIO_EVENT_ID (or --event-id)"},
		{creds.AppCode.Reveal(), "INVITARIO_API_KEY (or --api-key)"},
		{creds.Station, "INVITARIO_STATION (or --station)"},
	} {
		if m.val == "" {
			missing = append(missing, m.name)
		}
	}
	if len(missing) > 0 {
		return usageError("missing %s", strings.Join(missing, ", "))
	}
	var since time.Time
	if *sinceFlag != "" {
		t, err := time.Parse(time.RFC3339, *sinceFlag)
		if err != nil {
			return usageError("--since %q: want an RFC 3339 time such as 2026-03-01T18:30:00+01:00", *sinceFlag)
		}
		since = t
	}
	var state invitarioState
	if *statePath != "" {
		var err error
		if state, err = invitarioReadState(*statePath, creds.EventID); err != nil {
			return err
		}
		if !since.IsZero() {
			state.Cursor = invitario.Cursor{DateTime: since}
		}
	}
	hooked, err := e.hooks.invitario(e)
	if err != nil {
		return err
	}
	api, err := invitario.New(creds, append(hooked, invitario.WithEndpoint(base))...)
	if err != nil {
		return usageError("%v", err)
	}
	defer invitarioLogout(ctx, e, api)

	out := newListOut(e, *format, invitarioColumns)
	switch {
	case *statePath != "":
		res, err := api.Sync(ctx, state.Cursor)
		if err != nil {
			return err
		}
		for _, g := range res.Changed {
			if err := out.add(invitarioRow(g, !res.Full), g); err != nil {
				return err
			}
		}
		for _, g := range res.Deleted {
			if err := out.add(invitarioRow(g, false), g); err != nil {
				return err
			}
		}
		state.EventID, state.Cursor = creds.EventID, res.Next
	default:
		seq := api.GuestsAll(ctx, nil)
		if !since.IsZero() {
			seq = api.GuestsRecent(ctx, since, nil)
		}
		for g, err := range seq {
			if err != nil {
				out.abort()
				return err
			}
			changed := !since.IsZero() && g.DeleteDateTime == nil
			if err := out.add(invitarioRow(g, changed), g); err != nil {
				return err
			}
		}
	}
	if err := out.finish(); err != nil {
		return err
	}
	// The position moves on only once the changes were written out, so an
	// interrupted run repeats them rather than losing them.
	if *statePath != "" {
		return invitarioWriteState(*statePath, state)
	}
	return nil
}

// invitarioRow is one output row; changed marks an added or updated guest of
// a change listing, deleted a guest with deleteDateTime set.
func invitarioRow(g invitario.Guest, changed bool) []string {
	ts := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	parent := ""
	if g.ParentID != "" {
		parent = g.ParentID
	}
	return []string{
		g.ID, parent, g.AccessCode,
		g.Fields.Text("firstName"), g.Fields.Text("lastName"), g.Fields.Text("email"), g.Fields.Text("company"),
		string(g.RegistrationState),
		ts(g.CheckInDateTime), ts(g.CheckOutDateTime), ts(g.DeleteDateTime),
		strconv.FormatBool(changed), strconv.FormatBool(g.DeleteDateTime != nil),
	}
}

// invitarioLogout ends the session even when the command failed or was
// interrupted; a failed logout is reported but does not fail the command.
func invitarioLogout(ctx context.Context, e *env, api *invitario.API) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := api.Close(ctx); err != nil {
		diag(e.Stderr, "warning: logout failed: %v", err)
	}
}

// invitarioReadState reads the --state file; a missing file is the start.
func invitarioReadState(path, eventID string) (invitarioState, error) {
	var st invitarioState
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("state file: %w", err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("state file %s is not a sync state: %v", path, err)
	}
	if st.EventID != "" && st.EventID != eventID {
		return st, fmt.Errorf("state file %s belongs to event %s, not %s", path, st.EventID, eventID)
	}
	return st, nil
}

// invitarioWriteState replaces the --state file atomically: a new file in
// the same directory, synced, then renamed over the old one.
func invitarioWriteState(path string, st invitarioState) (err error) {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
			err = fmt.Errorf("state file: %w", err)
		}
	}()
	if _, err = tmp.Write(append(b, '\n')); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
