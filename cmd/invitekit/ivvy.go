package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"strconv"
	"strings"

	"github.com/invitekit/invitekit/gen/ivvy"
)

func init() {
	add(command{Group: "ivvy", Name: "ping", Summary: "check the iVvy key pair and host",
		Example: "invitekit ivvy ping --region au", Run: runIvvyPing})
	add(command{Group: "ivvy", Name: "invite", Summary: "invite contacts to an event",
		Usage:       "--event N (--contacts 1,2,3 | --contacts-file FILE) [--dry-run]",
		Description: "Sends the contacts in chunks of --chunk-size, --concurrency calls at a time, and lists what\nbecame of each contact. Exit status 1 when any contact was not invited. --dry-run prints the\nrequests instead of sending them.",
		Example:     "invitekit ivvy invite --event 4 --contacts 1,2,3\ninvitekit ivvy invite --event 4 --contacts-file ids.txt --dry-run",
		Run:         runIvvyInvite})
}

// ivvyFlags are the connection flags every iVvy command takes.
type ivvyFlags struct {
	baseURL, region string
}

func addIvvyFlags(fs *flag.FlagSet) *ivvyFlags {
	f := &ivvyFlags{}
	fs.StringVar(&f.baseURL, "base-url", "", "iVvy base URL, e.g. https://api.us-west-2.ivvy.com (default $IVVY_BASE_URL)")
	fs.StringVar(&f.region, "region", "", "iVvy region: au, us or eu (instead of --base-url)")
	return f
}

// ivvyOptions are the client options the global flags ask for.
func ivvyOptions(e *env) []ivvy.Option {
	opts := []ivvy.Option{ivvy.WithTransport(e.transport(nil))}
	if l := e.logger(); l != nil {
		opts = append(opts, ivvy.WithLogger(l))
	}
	if rec, err := e.recorder(); err == nil && rec != nil {
		opts = append(opts, ivvy.WithRecorder(rec))
	}
	return opts
}

// client builds the iVvy client from flags and environment; extra options
// come last and win.
func (f *ivvyFlags) client(e *env, extra ...ivvy.Option) (*ivvy.API, error) {
	key := strings.TrimSpace(e.Getenv("IVVY_API_KEY"))
	secret := e.Getenv("IVVY_API_SECRET")
	var missing []string
	if key == "" {
		missing = append(missing, "IVVY_API_KEY")
	}
	if secret == "" {
		missing = append(missing, "IVVY_API_SECRET")
	}
	if f.baseURL != "" && f.region != "" {
		return nil, usageError("give --base-url or --region, not both")
	}
	base := setting(e, f.baseURL, "IVVY_BASE_URL")
	if base == "" && f.region == "" {
		missing = append(missing, "IVVY_BASE_URL (or --base-url or --region)")
	}
	if len(missing) > 0 {
		return nil, usageError("missing %s", strings.Join(missing, ", "))
	}
	opts := ivvyOptions(e)
	if f.region != "" && f.baseURL == "" {
		r, err := ivvy.ParseRegion(f.region)
		if err != nil {
			return nil, usageError("--region: %v", err)
		}
		opts = append(opts, ivvy.WithRegion(r))
	} else {
		opts = append(opts, ivvy.WithBaseURL(base))
	}
	c, err := ivvy.New(key, secret, append(opts, extra...)...)
	if err != nil {
		return nil, usageError("%v", err)
	}
	return c, nil
}

func runIvvyPing(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ivvy ping")
	f := addIvvyFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c, err := f.client(e)
	if err != nil {
		return err
	}
	res, err := c.Ping(ctx)
	if err != nil {
		return err
	}
	return writeRecords(e, e.format, []column{own("status"), own("server_time")},
		[][]string{{"ok", timeText(res.Ack.Time)}}, res)
}

func runIvvyInvite(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ivvy invite")
	f := addIvvyFlags(fs)
	eventFlag := fs.String("event", "", "event id (required)")
	list := fs.String("contacts", "", "contact ids, comma-separated")
	file := fs.String("contacts-file", "", "file of contact ids separated by commas or newlines; - reads stdin")
	chunk := fs.Int("chunk-size", ivvy.DefaultInviteChunkSize, "contacts per inviteContacts call")
	workers := fs.Int("concurrency", ivvy.DefaultInviteConcurrency, "calls running at once")
	dryRunFlag := fs.Bool("dry-run", false, "print the requests that would be sent; send nothing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	event, err := ivvyEventID(*eventFlag)
	if err != nil {
		return err
	}
	if (*list == "") == (*file == "") {
		return usageError("give exactly one of --contacts and --contacts-file")
	}
	if *chunk <= 0 || *workers <= 0 {
		return usageError("--chunk-size and --concurrency must be positive")
	}
	ids, err := contactIDs(e, *list, *file)
	if err != nil {
		return err
	}
	if *dryRunFlag {
		// One call at a time, so that the requests print in input order.
		dry := &dryRun{}
		c, err := f.client(e, ivvy.WithTransport(dry))
		if err != nil {
			return err
		}
		if _, err := c.InviteMany(ctx, event, ids, ivvy.WithChunkSize(*chunk), ivvy.WithConcurrency(1)); err != nil && !errors.Is(err, errDryRun) {
			return err
		}
		return dry.print(e)
	}
	c, err := f.client(e)
	if err != nil {
		return err
	}
	opts := []ivvy.BulkOption{ivvy.WithChunkSize(*chunk), ivvy.WithConcurrency(*workers)}
	if e.StderrIsTerminal {
		opts = append(opts, ivvy.WithProgress(func(done, total int) {
			fmt.Fprintf(e.Stderr, "\rinvitekit: invited %d/%d", done, total)
			if done == total {
				fmt.Fprintln(e.Stderr)
			}
		}))
	}
	res, callErr := c.InviteMany(ctx, event, ids, opts...)
	if res == nil {
		return callErr
	}
	type outcome struct {
		Contact       int64  `json:"contact"`
		Status        string `json:"status"`
		InviteLinkYes string `json:"invite_link_yes"`
		InviteLinkNo  string `json:"invite_link_no"`
		Error         string `json:"error"`
	}
	out := newListOut(e, e.format, []column{own("contact"), own("status"), text("invite_link_yes"), text("invite_link_no"), text("error")})
	for _, o := range res.Outcomes {
		status := "invited"
		if !o.Invited {
			status = "not invited"
		}
		msg := ""
		if o.Err != nil {
			status, msg = "failed", o.Err.Error()
		}
		item := outcome{o.ContactID, status, o.InviteLinkYes, o.InviteLinkNo, msg}
		if err := out.add([]string{strconv.FormatInt(o.ContactID, 10), status, o.InviteLinkYes, o.InviteLinkNo, msg}, item); err != nil {
			return err
		}
	}
	if err := out.finish(); err != nil {
		return err
	}
	if callErr != nil {
		return callErr
	}
	if n := len(res.Outcomes) - res.Invited(); n > 0 {
		return &exitErr{code: 1, msg: fmt.Sprintf("%d of %s were not invited", n, plural(len(res.Outcomes), "contact", "contacts"))}
	}
	return nil
}

// ivvyEventID reads the --event of an iVvy command: a positive integer.
func ivvyEventID(s string) (int64, error) {
	if s == "" {
		return 0, usageError("--event is required: the id of an iVvy event")
	}
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError("--event %q: want a positive iVvy event id", s)
	}
	return id, nil
}

// contactIDs reads ids from --contacts or --contacts-file (- for stdin).
func contactIDs(e *env, list, file string) ([]int64, error) {
	if list != "" {
		return parseIDs(strings.NewReader(list), "--contacts")
	}
	var r io.Reader = e.Stdin
	name := "stdin"
	if file != "-" {
		fh, err := os.Open(file)
		if err != nil {
			return nil, usageError("--contacts-file: %v", err)
		}
		defer fh.Close()
		r, name = fh, file
	}
	return parseIDs(r, name)
}

// parseIDs reads positive integers separated by commas, spaces or newlines.
func parseIDs(r io.Reader, name string) ([]int64, error) {
	var ids []int64
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		for _, field := range strings.FieldsFunc(sc.Text(), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' }) {
			id, err := strconv.ParseInt(field, 10, 64)
			if err != nil || id <= 0 {
				return nil, usageError("%s line %d: %q is not a contact id", name, line, field)
			}
			ids = append(ids, id)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(ids) == 0 {
		return nil, usageError("%s holds no contact ids", name)
	}
	return ids, nil
}

func init() {
	add(command{Group: "ivvy", Name: "events", Summary: "list every event",
		Example: "invitekit ivvy events --format csv > events.csv", Run: runIvvyEvents})
	add(command{Group: "ivvy", Name: "invited", Summary: "list the contacts invited to an event and their responses",
		Usage: "--event N", Example: "invitekit ivvy invited --event 4 --format jsonl", Run: runIvvyInvited})
	add(command{Group: "ivvy", Name: "contacts", Summary: "list every contact, or those changed since a time",
		Usage: "[--since TIME]", Example: "invitekit ivvy contacts --since 2026-03-01", Run: runIvvyContacts})
	add(command{Group: "ivvy", Name: "attendees", Summary: "list an event's attendees",
		Usage: "--event N", Example: "invitekit ivvy attendees --event 4", Run: runIvvyAttendees})
}

// listFlags parses the flags of a list command and builds the client.
func listFlags(e *env, name string, args []string, extra func(*flag.FlagSet)) (*ivvy.API, error) {
	fs := newFlags(e, name)
	f := addIvvyFlags(fs)
	if extra != nil {
		extra(fs)
	}
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	return f.client(e)
}

// writeList prints one row per item of seq as it arrives (JSON: the typed
// items). When seq fails, what arrived is printed before the error returns.
func writeList[T any](e *env, cols []column, seq iter.Seq2[T, error], row func(T) []string) error {
	out := newListOut(e, e.format, cols)
	for it, err := range seq {
		if err != nil {
			out.abort()
			return err
		}
		if err := out.add(row(it), it); err != nil {
			return err
		}
	}
	return out.finish()
}

func runIvvyEvents(ctx context.Context, e *env, args []string) error {
	c, err := listFlags(e, "ivvy events", args, nil)
	if err != nil {
		return err
	}
	return writeList(e, []column{own("id"), text("code"), text("title"), own("start"), own("end"), own("status")},
		c.Events(ctx, ivvy.GetEventListRequest{}), func(ev ivvy.Event) []string {
			return []string{intStr(ev.ID), ev.Code, ev.Title, timeStr(ev.StartDateTime), timeStr(ev.EndDateTime), enumStr(ev.CurrentStatus)}
		})
}

func runIvvyInvited(ctx context.Context, e *env, args []string) error {
	var eventFlag string
	c, err := listFlags(e, "ivvy invited", args, func(fs *flag.FlagSet) {
		fs.StringVar(&eventFlag, "event", "", "event id (required)")
	})
	if err != nil {
		return err
	}
	event, err := ivvyEventID(eventFlag)
	if err != nil {
		return err
	}
	return writeList(e, []column{own("contact"), text("first_name"), text("last_name"), text("email"), text("response"), own("registration"), own("modified")},
		c.InvitedContacts(ctx, ivvy.GetInvitedContactListRequest{EventID: event}), func(ic ivvy.InvitedContact) []string {
			return []string{intStr(ic.ContactID), ic.FirstName, ic.LastName, ic.Email,
				responseStr(ic.Response), optInt(ic.RegistrationID), timeStr(ic.ModifiedDate)}
		})
}

func runIvvyContacts(ctx context.Context, e *env, args []string) error {
	var since string
	c, err := listFlags(e, "ivvy contacts", args, func(fs *flag.FlagSet) {
		fs.StringVar(&since, "since", "", "only contacts changed at or after this time: RFC 3339 or a date (UTC)")
	})
	if err != nil {
		return err
	}
	req := ivvy.GetContactListRequest{}
	if since != "" {
		t, err := parseTimeFlag("since", since)
		if err != nil {
			return err
		}
		it := ivvy.NewTime(t)
		req.Filter = &ivvy.ContactListFilter{FromModifiedDate: &it}
	}
	return writeList(e, []column{own("id"), text("first_name"), text("last_name"), text("email"), text("phone"), text("external_id"), own("modified")},
		c.Contacts(ctx, req), func(ct ivvy.Contact) []string {
			return []string{intStr(ct.ID), ct.FirstName, ct.LastName, ct.Email, ct.Phone, ct.ExternalID, timeStr(ct.ModifiedDate)}
		})
}

func runIvvyAttendees(ctx context.Context, e *env, args []string) error {
	var eventFlag string
	c, err := listFlags(e, "ivvy attendees", args, func(fs *flag.FlagSet) {
		fs.StringVar(&eventFlag, "event", "", "event id (required)")
	})
	if err != nil {
		return err
	}
	event, err := ivvyEventID(eventFlag)
	if err != nil {
		return err
	}
	return writeList(e, []column{own("id"), own("contact"), text("first_name"), text("last_name"), text("email"), text("ticket"), own("attended")},
		c.Attendees(ctx, ivvy.GetAttendeeListRequest{EventID: event}), func(a ivvy.Attendee) []string {
			return []string{intStr(a.ID), optInt(a.ContactID), a.FirstName, a.LastName, a.Email, a.TicketTitle, boolStr(a.HasAttended)}
		})
}

func intStr(i ivvy.Int) string { return strconv.FormatInt(int64(i), 10) }

func optInt(i ivvy.Int) string {
	if i == 0 {
		return ""
	}
	return intStr(i)
}

func timeStr(t ivvy.Time) string { return timeText(t.Time) }

func boolStr(b bool) string { return strconv.FormatBool(b) }

// enumStr is an optional enum's label, or "" when the answer had none (a
// documented zero value, such as an event's Draft, prints its label).
func enumStr[T fmt.Stringer](v *T) string {
	if v == nil {
		return ""
	}
	return (*v).String()
}

// responseStr is an invitation response as the CLI prints it: yes, no or
// undecided (a code iVvy adds later is printed as sent).
func responseStr(r ivvy.InvitationResponse) string {
	switch r {
	case ivvy.InvitationResponseYes, ivvy.InvitationResponseNo, ivvy.InvitationResponseUndecided:
		return strings.ToLower(r.Label())
	}
	return string(r)
}
