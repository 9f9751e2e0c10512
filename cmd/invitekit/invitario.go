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
	add(command{Group: "invitario", Name: "guests", Summary: "list the event's guests, or only what changed",
		Usage: "[--since TIME | --state FILE]",
		Description: `Lists every guest of the event, or with --since only those changed since then (deleted guests
included, marked deleted). --state FILE keeps the sync position between runs: the first run lists
every guest, later runs only what changed; the file moves on only after the list was written.`,
		Example: "invitekit invitario guests --format csv > guests.csv\ninvitekit invitario guests --state guests.state --format jsonl",
		Run:     runInvitarioGuests})
}

// invitarioColumns are the columns of the table and CSV output.
var invitarioColumns = []column{
	text("id"), text("parent_id"), text("access_code"), text("first_name"), text("last_name"), text("email"), text("company"),
	text("registration_state"), own("check_in"), own("check_out"), own("deleted_at"), own("changed"), own("deleted"),
}

// invitarioState is the --state file: the sync cursor of one event.
type invitarioState struct {
	EventID string           `json:"eventId"`
	Cursor  invitario.Cursor `json:"cursor"`
}

func runInvitarioGuests(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "invitario guests")
	baseURL := fs.String("base-url", "", "Invitario base URL, scheme://host[:port] (default $INVITARIO_BASE_URL)")
	eventID := fs.String("event", "", "event id (default $INVITARIO_EVENT_ID)")
	appCode := fs.String("api-key", "", "app code of the check-in app configuration (default $INVITARIO_API_KEY; prefer the environment)")
	station := fs.String("station", "", "station name, the app configuration's name (default $INVITARIO_STATION)")
	sinceFlag := fs.String("since", "", "list only the guests changed since this time: RFC 3339 or a date (UTC)")
	statePath := fs.String("state", "", "file keeping the sync position between runs: the first run lists all guests, later runs what changed")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *sinceFlag != "" && *statePath != "" {
		return usageError("give --since or --state, not both: the state file keeps its own position")
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
		{creds.EventID, "INVITARIO_EVENT_ID (or --event)"},
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
		t, err := parseTimeFlag("since", *sinceFlag)
		if err != nil {
			return err
		}
		since = t
	}
	var state invitarioState
	if *statePath != "" {
		var err error
		if state, err = invitarioReadState(*statePath, creds.EventID); err != nil {
			return err
		}
		// Found out now, not after the whole list was printed.
		if err := checkWritable(*statePath); err != nil {
			return err
		}
	}
	api, err := invitario.New(creds, append(invitarioOptions(e), invitario.WithBaseURL(base))...)
	if err != nil {
		return usageError("%v", err)
	}
	defer invitarioLogout(ctx, e, api)

	out := newListOut(e, e.format, invitarioColumns)
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
		return timeText(*t)
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

// invitarioOptions are the client options the global flags ask for.
func invitarioOptions(e *env) []invitario.Option {
	opts := []invitario.Option{invitario.WithTransport(e.transport(nil))}
	if l := e.logger(); l != nil {
		opts = append(opts, invitario.WithLogger(l))
	}
	if rec, err := e.recorder(); err == nil && rec != nil {
		opts = append(opts, invitario.WithRecorder(rec))
	}
	return opts
}

// checkWritable makes sure a file can be written at path before any work
// is done: its folder exists and takes a new file, and path itself, if it
// exists, is a regular file.
func checkWritable(path string) error {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("state file %s is not a regular file", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("state file %s cannot be written: %w", path, err)
	}
	name := tmp.Name()
	_ = tmp.Close()
	return os.Remove(name)
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
