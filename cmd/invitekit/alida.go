package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/invitekit/invitekit/gen/alida"
)

func init() {
	add(command{Group: "alida", Name: "report", Summary: "report invitation or reminder events for community members",
		Usage: "(--members GUID,... --communication GUID --event-type T | --file FILE) [--dry-run]",
		Description: `Reports what happened to invitations sent outside Alida: SurveyInvited, Undeliverable or Reminded,
one event per member and communication. Input problems are all listed and nothing is sent. --dry-run
prints the requests instead of sending them.`,
		Example: "invitekit alida report --event-type SurveyInvited --communication c0de0001-0000-4000-8000-000000000001 --members 11111111-1111-4111-8111-111111111111\ninvitekit alida report --file events.csv --dry-run",
		Run:     runAlidaReport})
	add(command{Group: "alida", Name: "queued", Summary: "list the invitations queued for external sending",
		Usage: "--after TIME", Example: "invitekit alida queued --after 2026-01-01 --format csv", Run: runAlidaQueued})
}

// alidaFlags are the connection flags every Alida command takes.
type alidaFlags struct {
	baseURL, region, community string
}

func addAlidaFlags(fs *flag.FlagSet) *alidaFlags {
	f := &alidaFlags{}
	fs.StringVar(&f.baseURL, "base-url", "", "Alida base URL, e.g. https://api.na1.alida.com (default $ALIDA_BASE_URL)")
	fs.StringVar(&f.region, "region", "", "Alida region code such as na1 (instead of the base URL)")
	fs.StringVar(&f.community, "community", "", "community API key name (default $ALIDA_COMMUNITY)")
	return f
}

// alidaOptions are the client options the global flags ask for.
func alidaOptions(e *env) []alida.Option {
	opts := []alida.Option{alida.WithTransport(e.transport(nil))}
	if l := e.logger(); l != nil {
		opts = append(opts, alida.WithLogger(l))
	}
	if rec, err := e.recorder(); err == nil && rec != nil {
		opts = append(opts, alida.WithRecorder(rec))
	}
	return opts
}

// client builds the Alida client from flags and environment. Credentials
// come only from the environment: Basic (ALIDA_USERNAME, ALIDA_PASSWORD) or
// OAuth2 client credentials (ALIDA_CLIENT_ID, ALIDA_CLIENT_SECRET and the
// optional ALIDA_TOKEN_URL). A dry run checks them but authenticates with
// Basic placeholders, so that no token is fetched.
func (f *alidaFlags) client(e *env, dry bool, opts ...alida.Option) (*alida.API, error) {
	var missing []string
	community := setting(e, f.community, "ALIDA_COMMUNITY")
	if community == "" {
		missing = append(missing, "ALIDA_COMMUNITY (or --community)")
	}
	if f.region != "" && f.baseURL != "" {
		return nil, usageError("give --base-url or --region, not both")
	}
	var host alida.Option
	switch base := setting(e, f.baseURL, "ALIDA_BASE_URL"); {
	case f.region != "":
		r, err := alida.ParseRegion(f.region)
		if err != nil {
			return nil, usageError("%s", err.Error())
		}
		host = alida.WithRegion(r)
	case base != "":
		host = alida.WithBaseURL(base)
	default:
		missing = append(missing, "ALIDA_BASE_URL (or --base-url or --region)")
	}
	user, pass := strings.TrimSpace(e.Getenv("ALIDA_USERNAME")), e.Getenv("ALIDA_PASSWORD")
	id, secret := strings.TrimSpace(e.Getenv("ALIDA_CLIENT_ID")), e.Getenv("ALIDA_CLIENT_SECRET")
	basic, oauth := user != "" || pass != "", id != "" || secret != ""
	var auth alida.Auth
	switch {
	case basic && oauth:
		return nil, usageError("set either ALIDA_USERNAME and ALIDA_PASSWORD or ALIDA_CLIENT_ID and ALIDA_CLIENT_SECRET, not both")
	case basic:
		if user == "" || pass == "" {
			missing = append(missing, "ALIDA_USERNAME and ALIDA_PASSWORD (both)")
		}
		auth = alida.BasicAuth(user, pass)
	case oauth:
		if id == "" || secret == "" {
			missing = append(missing, "ALIDA_CLIENT_ID and ALIDA_CLIENT_SECRET (both)")
		}
		auth = alida.ClientCredentials(id, secret, strings.TrimSpace(e.Getenv("ALIDA_TOKEN_URL")))
	default:
		missing = append(missing, "credentials: ALIDA_USERNAME+ALIDA_PASSWORD or ALIDA_CLIENT_ID+ALIDA_CLIENT_SECRET")
	}
	if len(missing) > 0 {
		return nil, usageError("missing %s", strings.Join(missing, ", "))
	}
	if dry {
		auth = alida.BasicAuth("dry-run", "dry-run")
	}
	all := append(alidaOptions(e), host)
	api, err := alida.New(community, auth, append(all, opts...)...)
	if err != nil {
		return nil, usageError("%v", err)
	}
	return api, nil
}

// alidaRow is one event to report, with where it came from.
type alidaRow struct {
	where         string // "line 3" or "--members item 2"
	member        uuid.UUID
	communication uuid.UUID
	eventType     string
}

func runAlidaReport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "alida report")
	f := addAlidaFlags(fs)
	eventType := fs.String("event-type", "", "SurveyInvited, Undeliverable or Reminded (default for every row)")
	communication := fs.String("communication", "", "communication GUID (default for every row)")
	members := fs.String("members", "", "member GUIDs, comma-separated")
	file := fs.String("file", "", "CSV file with memberId and optionally communicationId and eventType per row; - reads stdin")
	reminder := fs.Bool("reminder", false, "report Undeliverable rows as reminder events instead of invitation events")
	chunk := fs.Int("chunk-size", alida.DefaultChunkSize, "events per POST")
	allowDup := fs.Bool("allow-duplicates", false, "send rows that repeat an earlier row (same member, communication and event type) instead of refusing the input")
	dryRunFlag := fs.Bool("dry-run", false, "print the requests that would be sent; send nothing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if (*members == "") == (*file == "") {
		return usageError("give exactly one of --members and --file")
	}
	if *chunk <= 0 {
		return usageError("--chunk-size must be positive")
	}
	var defComm uuid.UUID
	if *communication != "" {
		c, err := alidaParseGUID(*communication)
		if err != nil {
			return usageError("--communication: %v", err)
		}
		defComm = c
	}
	if *eventType != "" && !alidaKnownEventType(*eventType) {
		return usageError("--event-type %q: want SurveyInvited, Undeliverable or Reminded", *eventType)
	}

	var rows []alidaRow
	var problems []string
	if *members != "" {
		rows, problems = alidaRowsFromMembers(*members, defComm, *eventType)
	} else {
		r, closeFn, err := alidaOpenInput(e, *file)
		if err != nil {
			return err
		}
		rows, problems, err = alidaRowsFromCSV(r, defComm, *eventType)
		closeFn()
		if err != nil {
			return usageError("%s: %v", *file, err)
		}
	}
	if !*allowDup {
		problems = append(problems, alidaDuplicates(rows)...)
	}
	if len(problems) > 0 {
		src := "--members"
		switch *file {
		case "":
		case "-":
			src = "stdin"
		default:
			src = *file
		}
		for _, p := range problems {
			diag(e.Stderr, "%s: %s", src, p)
		}
		return usageError("%s: %s; nothing was sent", src, plural(len(problems), "problem", "problems"))
	}
	if len(rows) == 0 {
		return usageError("no events to report")
	}

	var dry *dryRun
	var dryOpts []alida.Option
	if *dryRunFlag {
		dry = &dryRun{}
		dryOpts = append(dryOpts, alida.WithTransport(dry))
	}
	api, err := f.client(e, dry != nil, dryOpts...)
	if err != nil {
		return err
	}
	var invitations []alida.NewInvitationEvent
	var reminders []alida.NewReminderEvent
	var invIdx, remIdx []int
	for i, r := range rows {
		if r.eventType == "Reminded" || (*reminder && r.eventType == "Undeliverable") {
			reminders = append(reminders, alida.NewReminderEvent{MemberID: r.member, CommunicationID: r.communication, EventType: alida.ReminderEventType(r.eventType)})
			remIdx = append(remIdx, i)
			continue
		}
		invitations = append(invitations, alida.NewInvitationEvent{MemberID: r.member, CommunicationID: r.communication, EventType: alida.InvitationEventType(r.eventType)})
		invIdx = append(invIdx, i)
	}
	if dry != nil {
		return alidaDryReport(ctx, e, api, dry, *chunk, invitations, reminders)
	}
	status := make([]alidaStatus, len(rows))
	for i := range status {
		status[i].Result = "not sent"
	}
	var firstErr error
	if len(invitations) > 0 {
		res, err := api.ReportInvitations(ctx, invitations, alida.WithChunkSize(*chunk))
		alidaApplyResults(status, invIdx, rows, res, err, "invitation")
		firstErr = err
	}
	if len(reminders) > 0 && firstErr == nil {
		res, err := api.ReportReminders(ctx, reminders, alida.WithChunkSize(*chunk))
		alidaApplyResults(status, remIdx, rows, res, err, "reminder")
		firstErr = err
	}
	if err := alidaWriteReport(e, rows, status); err != nil {
		return err
	}
	return firstErr
}

// alidaDryReport makes the report's POSTs on a dry-run client, one chunk
// at a time so that a refused chunk does not hide the ones after it, and
// prints them.
func alidaDryReport(ctx context.Context, e *env, api *alida.API, dry *dryRun, chunk int,
	invitations []alida.NewInvitationEvent, reminders []alida.NewReminderEvent) error {
	for first := 0; first < len(invitations); first += chunk {
		_, err := api.ReportInvitations(ctx, invitations[first:min(first+chunk, len(invitations))])
		if err != nil && !errors.Is(err, errDryRun) {
			return err
		}
	}
	for first := 0; first < len(reminders); first += chunk {
		_, err := api.ReportReminders(ctx, reminders[first:min(first+chunk, len(reminders))])
		if err != nil && !errors.Is(err, errDryRun) {
			return err
		}
	}
	return dry.print(e)
}

// alidaStatus is what became of one row.
type alidaStatus struct {
	Kind    string `json:"kind"`
	Result  string `json:"result"`
	EventID string `json:"event_id"`
}

// alidaApplyResults records, for the rows at idx, what their POST answered.
func alidaApplyResults(status []alidaStatus, idx []int, rows []alidaRow, results []alida.Result, err error, kind string) {
	for _, i := range idx {
		status[i].Kind = kind
	}
	for _, res := range results {
		created := map[[2]uuid.UUID][]string{}
		for _, ev := range res.Events {
			if ev.MemberID != (uuid.UUID{}) && ev.CommunicationID != (uuid.UUID{}) {
				k := [2]uuid.UUID{ev.MemberID, ev.CommunicationID}
				id := ""
				if ev.ID != (uuid.UUID{}) {
					id = ev.ID.String()
				}
				created[k] = append(created[k], id)
			}
		}
		for j := res.First; j < res.First+res.Count; j++ {
			st := &status[idx[j]]
			r := rows[idx[j]]
			switch res.Outcome {
			case alida.OutcomeQueued:
				st.Result = "accepted"
			case alida.OutcomeNothingQueued:
				st.Result = "not queued"
			case alida.OutcomeQueuedWithEvents:
				k := [2]uuid.UUID{r.member, r.communication}
				if ids := created[k]; len(ids) > 0 {
					st.Result, st.EventID = "created", ids[0]
					created[k] = ids[1:]
				} else {
					st.Result = "not queued"
				}
			}
		}
	}
	var rep *alida.ReportError
	if errors.As(err, &rep) {
		for j := rep.First; j < rep.First+rep.Count && j < len(idx); j++ {
			status[idx[j]].Result = "failed"
		}
	}
}

// alidaWriteReport lists what became of each row.
func alidaWriteReport(e *env, rows []alidaRow, status []alidaStatus) error {
	type jsonRow struct {
		Source          string `json:"source"`
		MemberID        string `json:"member_id"`
		CommunicationID string `json:"communication_id"`
		EventType       string `json:"event_type"`
		alidaStatus
	}
	out := newListOut(e, e.format, []column{own("source"), own("member_id"), own("communication_id"), own("event_type"), own("kind"), own("result"), own("event_id")})
	for i, r := range rows {
		s := status[i]
		cells := []string{r.where, r.member.String(), r.communication.String(), r.eventType, s.Kind, s.Result, s.EventID}
		if err := out.add(cells, jsonRow{r.where, r.member.String(), r.communication.String(), r.eventType, s}); err != nil {
			return err
		}
	}
	return out.finish()
}

func alidaKnownEventType(s string) bool {
	switch s {
	case "SurveyInvited", "Undeliverable", "Reminded":
		return true
	}
	return false
}

// alidaParseGUID accepts only the 8-4-4-4-12 hexadecimal form.
func alidaParseGUID(s string) (uuid.UUID, error) {
	s = strings.TrimSpace(s)
	if len(s) != 36 {
		return uuid.UUID{}, fmt.Errorf("%q is not a GUID", s)
	}
	id, err := uuid.Parse(s)
	if err != nil || id == (uuid.UUID{}) {
		return uuid.UUID{}, fmt.Errorf("%q is not a GUID", s)
	}
	return id, nil
}

func alidaRowsFromMembers(list string, comm uuid.UUID, eventType string) ([]alidaRow, []string) {
	var rows []alidaRow
	var problems []string
	if comm == (uuid.UUID{}) {
		problems = append(problems, "--communication is required with --members")
	}
	if eventType == "" {
		problems = append(problems, "--event-type is required with --members")
	}
	for i, item := range strings.Split(list, ",") {
		where := "item " + strconv.Itoa(i+1)
		id, err := alidaParseGUID(item)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: memberId %v", where, err))
			continue
		}
		rows = append(rows, alidaRow{where: where, member: id, communication: comm, eventType: eventType})
	}
	return rows, problems
}

// alidaDuplicates names the rows that repeat an earlier row: "lines 3 and
// 7 are the same event".
func alidaDuplicates(rows []alidaRow) []string {
	type key struct {
		member, communication uuid.UUID
		eventType             string
	}
	first := map[key]string{}
	var problems []string
	for _, r := range rows {
		k := key{r.member, r.communication, r.eventType}
		w, ok := first[k]
		if !ok {
			first[k] = r.where
			continue
		}
		kind, a, _ := strings.Cut(w, " ")
		_, b, _ := strings.Cut(r.where, " ")
		problems = append(problems, fmt.Sprintf("%ss %s and %s are the same event (--allow-duplicates sends both)", kind, a, b))
	}
	return problems
}

// alidaRowsFromCSV reads memberId[,communicationId[,eventType]] rows. A first row
// naming the columns (memberId, communicationId, eventType in any order) is a
// header. Empty cells fall back to the flags. A UTF-8 byte-order mark at the
// start is skipped.
func alidaRowsFromCSV(r io.Reader, defComm uuid.UUID, defType string) ([]alidaRow, []string, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		_, _ = br.Discard(3) // the byte-order mark spreadsheets write
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	cols := map[string]int{"memberid": 0, "communicationid": 1, "eventtype": 2}
	var rows []alidaRow
	var problems []string
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		line, _ := cr.FieldPos(0)
		if first {
			first = false
			if alidaIsHeader(rec) {
				cols = map[string]int{}
				for i, name := range rec {
					cols[strings.ToLower(strings.TrimSpace(name))] = i
				}
				if _, ok := cols["memberid"]; !ok {
					return nil, nil, errors.New("the header has no memberId column")
				}
				continue
			}
		}
		cell := func(name string) string {
			i, ok := cols[name]
			if !ok || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		where := "line " + strconv.Itoa(line)
		row := alidaRow{where: where, communication: defComm, eventType: defType}
		bad := false
		if id, err := alidaParseGUID(cell("memberid")); err != nil {
			problems = append(problems, fmt.Sprintf("%s: memberId %v", where, err))
			bad = true
		} else {
			row.member = id
		}
		if c := cell("communicationid"); c != "" {
			if id, err := alidaParseGUID(c); err != nil {
				problems = append(problems, fmt.Sprintf("%s: communicationId %v", where, err))
				bad = true
			} else {
				row.communication = id
			}
		} else if defComm == (uuid.UUID{}) {
			problems = append(problems, where+": no communicationId (and no --communication)")
			bad = true
		}
		if t := cell("eventtype"); t != "" {
			if !alidaKnownEventType(t) {
				problems = append(problems, fmt.Sprintf("%s: eventType %q: want SurveyInvited, Undeliverable or Reminded", where, t))
				bad = true
			} else {
				row.eventType = t
			}
		} else if defType == "" {
			problems = append(problems, where+": no eventType (and no --event-type)")
			bad = true
		}
		if !bad {
			rows = append(rows, row)
		}
	}
	return rows, problems, nil
}

func alidaIsHeader(rec []string) bool {
	for _, c := range rec {
		if strings.EqualFold(strings.TrimSpace(c), "memberId") {
			return true
		}
	}
	return false
}

// alidaOpenInput opens a file, or stdin for "-".
func alidaOpenInput(e *env, name string) (io.Reader, func(), error) {
	if name == "-" {
		return e.Stdin, func() {}, nil
	}
	fh, err := os.Open(name)
	if err != nil {
		return nil, nil, usageError("--file: %v", err)
	}
	return fh, func() { _ = fh.Close() }, nil
}

func runAlidaQueued(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "alida queued")
	f := addAlidaFlags(fs)
	after := fs.String("after", "", "list invitations queued after this time: RFC 3339 or a date (UTC) (required)")
	pageSize := fs.Int("page-size", 100, "items per request (1-1000)")
	limit := fs.Int("limit", 0, "stop after this many invitations (0: all)")
	sortBy := fs.String("sort", "", "sort expression, e.g. title:d")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *after == "" {
		return usageError("--after is required")
	}
	t, err := parseTimeFlag("after", *after)
	if err != nil {
		return err
	}
	t = t.UTC()
	if *pageSize < 1 || *pageSize > alida.MaxPageSize {
		return usageError("--page-size must be 1 to %d", alida.MaxPageSize)
	}
	if *limit < 0 {
		return usageError("--limit must not be negative")
	}
	api, err := f.client(e, false, alida.WithPageSize(*pageSize))
	if err != nil {
		return err
	}
	out := newListOut(e, e.format, []column{own("member_id"), own("communication_id"), text("activity"), text("title"), own("event_date"), own("id")})
	n := 0
	for ev, err := range api.Queued(ctx, t, &alida.QueuedOptions{Sort: *sortBy}) {
		if err != nil {
			out.abort()
			return err
		}
		row := []string{
			alidaStr(ev.MemberID), alidaStr(ev.CommunicationID), ev.ActivityName, ev.Title,
			alidaTimeStr(ev.EventDate), alidaStr(ev.ID),
		}
		if err := out.add(row, ev); err != nil {
			return err
		}
		if n++; *limit > 0 && n >= *limit {
			break
		}
	}
	return out.finish()
}

func alidaStr(v alida.GUID) string {
	if v == (alida.GUID{}) {
		return ""
	}
	return v.String()
}

func alidaTimeStr(t alida.Time) string { return timeText(t.Time) }
