package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/invitekit/invitekit/gen/ivvy"
)

func init() {
	register("ivvy", "ping", "check the iVvy key pair and host", runIvvyPing)
	register("ivvy", "invite", "invite contacts to an event (--event N --contacts 1,2 | --contacts-file F)", runIvvyInvite)
}

// ivvyFlags are the connection flags every iVvy command takes.
type ivvyFlags struct {
	baseURL, region, format string
}

func addIvvyFlags(fs *flag.FlagSet) *ivvyFlags {
	f := &ivvyFlags{}
	fs.StringVar(&f.baseURL, "base-url", "", "iVvy base URL, e.g. https://api.us-west-2.ivvy.com (default $IVVY_BASE_URL)")
	fs.StringVar(&f.region, "region", "", "iVvy region: au, us or eu (instead of --base-url)")
	fs.StringVar(&f.format, "format", "table", formatHelp)
	return f
}

// client builds the iVvy client from flags and environment.
func (f *ivvyFlags) client(e *env) (*ivvy.API, error) {
	if err := checkFormat(f.format); err != nil {
		return nil, err
	}
	key := strings.TrimSpace(e.Getenv("IVVY_API_KEY"))
	secret := e.Getenv("IVVY_API_SECRET")
	var missing []string
	if key == "" {
		missing = append(missing, "IVVY_API_KEY")
	}
	if secret == "" {
		missing = append(missing, "IVVY_API_SECRET")
	}
	base := setting(e, f.baseURL, "IVVY_BASE_URL")
	if base == "" && f.region == "" {
		missing = append(missing, "IVVY_BASE_URL (or --base-url or --region)")
	}
	if len(missing) > 0 {
		return nil, usageError("missing %s", strings.Join(missing, ", "))
	}
	var opts []ivvy.Option
	if f.region != "" && f.baseURL == "" {
		r, err := ivvy.ParseRegion(f.region)
		if err != nil {
			return nil, usageError("--region: %v", err)
		}
		opts = append(opts, ivvy.WithRegion(r))
	} else {
		opts = append(opts, ivvy.WithEndpoint(base))
	}
	hooked, err := e.hooks.ivvy(e)
	if err != nil {
		return nil, err
	}
	c, err := ivvy.New(key, secret, append(opts, hooked...)...)
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
	return writeRecords(e, f.format, []column{own("status"), own("server_time")},
		[][]string{{"ok", res.Ack.String()}}, res)
}

func runIvvyInvite(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ivvy invite")
	f := addIvvyFlags(fs)
	event := fs.Int64("event", 0, "event id (required)")
	list := fs.String("contacts", "", "contact ids, comma-separated")
	file := fs.String("contacts-file", "", "file of contact ids separated by commas or newlines; - reads stdin")
	chunk := fs.Int("chunk-size", ivvy.DefaultInviteChunkSize, "contacts per inviteContacts call")
	workers := fs.Int("concurrency", ivvy.DefaultInviteConcurrency, "calls running at once")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *event <= 0 {
		return usageError("--event is required and must be a positive event id")
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
	res, callErr := c.InviteMany(ctx, *event, ids, opts...)
	if res == nil {
		return callErr
	}
	rows := make([][]string, len(res.Outcomes))
	type outcome struct {
		Contact       int64  `json:"contact"`
		Invited       bool   `json:"invited"`
		InviteLinkYes string `json:"inviteLinkYes,omitempty"`
		InviteLinkNo  string `json:"inviteLinkNo,omitempty"`
		Error         string `json:"error,omitempty"`
	}
	out := struct {
		Event    int64     `json:"event"`
		Invited  int       `json:"invited"`
		Total    int       `json:"total"`
		Contacts []outcome `json:"contacts"`
	}{Event: *event, Invited: res.Invited(), Total: len(res.Outcomes)}
	for i, o := range res.Outcomes {
		status := "invited"
		if !o.Invited {
			status = "not invited"
		}
		msg := ""
		if o.Err != nil {
			status, msg = "failed", o.Err.Error()
		}
		rows[i] = []string{strconv.FormatInt(o.ContactID, 10), status, o.InviteLinkYes, o.InviteLinkNo}
		out.Contacts = append(out.Contacts, outcome{o.ContactID, o.Invited, o.InviteLinkYes, o.InviteLinkNo, msg})
	}
	if err := writeRecords(e, f.format, []column{own("contact"), own("status"), text("invite_link_yes"), text("invite_link_no")}, rows, out); err != nil {
		return err
	}
	if callErr != nil {
		return callErr
	}
	if n := len(res.Outcomes) - res.Invited(); n > 0 {
		return &exitErr{code: 1, msg: fmt.Sprintf("%d of %d contacts were not invited", n, len(res.Outcomes))}
	}
	return nil
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
	register("ivvy", "events", "list every event", runIvvyEvents)
	register("ivvy", "invited", "list the contacts invited to an event and their responses (--event N)", runIvvyInvited)
	register("ivvy", "contacts", "list every contact (--modified-since T)", runIvvyContacts)
	register("ivvy", "attendees", "list an event's attendees (--event N)", runIvvyAttendees)
}

// listFlags parses the flags of a list command and builds the client.
func listFlags(e *env, name string, args []string, extra func(*flag.FlagSet)) (*ivvy.API, string, error) {
	fs := newFlags(e, name)
	f := addIvvyFlags(fs)
	if extra != nil {
		extra(fs)
	}
	if err := parseFlags(fs, args); err != nil {
		return nil, "", err
	}
	c, err := f.client(e)
	return c, f.format, err
}

// writeList prints one row per item of seq as it arrives (JSON: the typed
// items). When seq fails, what arrived is printed before the error returns.
func writeList[T any](e *env, format string, cols []column, seq iter.Seq2[T, error], row func(T) []string) error {
	out := newListOut(e, format, cols)
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
	c, format, err := listFlags(e, "ivvy events", args, nil)
	if err != nil {
		return err
	}
	return writeList(e, format, []column{own("id"), text("code"), text("title"), own("start"), own("end"), own("status")},
		c.Events(ctx, ivvy.GetEventListRequest{}), func(ev ivvy.Event) []string {
			return []string{intStr(ev.ID), ev.Code, ev.Title, timeStr(ev.StartDateTime), timeStr(ev.EndDateTime), enumStr(ev.CurrentStatus)}
		})
}

func runIvvyInvited(ctx context.Context, e *env, args []string) error {
	var event int64
	c, format, err := listFlags(e, "ivvy invited", args, func(fs *flag.FlagSet) {
		fs.Int64Var(&event, "event", 0, "event id (required)")
	})
	if err != nil {
		return err
	}
	if event <= 0 {
		return usageError("--event is required and must be a positive event id")
	}
	return writeList(e, format, []column{own("contact"), text("first_name"), text("last_name"), text("email"), text("response"), own("registration"), own("modified")},
		c.InvitedContacts(ctx, ivvy.GetInvitedContactListRequest{EventID: event}), func(ic ivvy.InvitedContact) []string {
			return []string{intStr(ic.ContactID), ic.FirstName, ic.LastName, ic.Email,
				responseStr(ic.Response), optInt(ic.RegistrationID), timeStr(ic.ModifiedDate)}
		})
}

func runIvvyContacts(ctx context.Context, e *env, args []string) error {
	var since string
	c, format, err := listFlags(e, "ivvy contacts", args, func(fs *flag.FlagSet) {
		fs.StringVar(&since, "modified-since", "", `only contacts modified at or after this time (RFC 3339 or "yyyy-mm-dd HH:mm:ss", UTC)`)
	})
	if err != nil {
		return err
	}
	req := ivvy.GetContactListRequest{}
	if since != "" {
		t, err := parseSince(since)
		if err != nil {
			return usageError("--modified-since: %v", err)
		}
		req.Filter = &ivvy.ContactListFilter{FromModifiedDate: &t}
	}
	return writeList(e, format, []column{own("id"), text("first_name"), text("last_name"), text("email"), text("phone"), text("external_id"), own("modified")},
		c.Contacts(ctx, req), func(ct ivvy.Contact) []string {
			return []string{intStr(ct.ID), ct.FirstName, ct.LastName, ct.Email, ct.Phone, ct.ExternalID, timeStr(ct.ModifiedDate)}
		})
}

func runIvvyAttendees(ctx context.Context, e *env, args []string) error {
	var event int64
	c, format, err := listFlags(e, "ivvy attendees", args, func(fs *flag.FlagSet) {
		fs.Int64Var(&event, "event", 0, "event id (required)")
	})
	if err != nil {
		return err
	}
	if event <= 0 {
		return usageError("--event is required and must be a positive event id")
	}
	return writeList(e, format, []column{own("id"), own("contact"), text("first_name"), text("last_name"), text("email"), text("ticket"), own("attended")},
		c.Attendees(ctx, ivvy.GetAttendeeListRequest{EventID: event}), func(a ivvy.Attendee) []string {
			return []string{intStr(a.ID), optInt(a.ContactID), a.FirstName, a.LastName, a.Email, a.TicketTitle, boolStr(a.HasAttended)}
		})
}

// parseSince reads RFC 3339 or the iVvy timestamp format.
func parseSince(s string) (ivvy.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return ivvy.NewTime(t), nil
	}
	t, err := ivvy.ParseTime(s)
	if err != nil {
		return ivvy.Time{}, fmt.Errorf("%q is neither RFC 3339 nor yyyy-mm-dd HH:mm:ss", s)
	}
	return t, nil
}

func intStr(i ivvy.Int) string { return strconv.FormatInt(int64(i), 10) }

func optInt(i ivvy.Int) string {
	if i == 0 {
		return ""
	}
	return intStr(i)
}

func timeStr(t ivvy.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.String()
}

func boolStr(b bool) string { return strconv.FormatBool(b) }

func enumStr[T interface {
	comparable
	fmt.Stringer
}](v T) string {
	var zero T
	if v == zero {
		return ""
	}
	return v.String()
}

func responseStr(r ivvy.InvitationResponse) string { return string(r) }
