package main

import (
	"encoding/csv"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tableRecords splits table output into its header and rows, cutting each
// line at the columns' start positions (the header names contain no
// spaces, the cells may).
func tableRecords(t *testing.T, out string) ([]string, [][]string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.NotEmpty(t, lines)
	head := []rune(lines[0])
	var starts []int
	var names []string
	for i := 0; i < len(head); i++ {
		if head[i] != ' ' && (i == 0 || head[i-1] == ' ') {
			starts = append(starts, i)
		}
	}
	for k, s := range starts {
		end := len(head)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		names = append(names, strings.TrimSpace(string(head[s:end])))
	}
	var rows [][]string
	for _, l := range lines[1:] {
		r := []rune(l)
		row := make([]string, len(starts))
		for k, s := range starts {
			if k+1 < len(starts) {
				require.True(t, s == 0 || len(r) <= s || r[s-1] == ' ', "line %q: column %s does not start at %d", l, names[k], s)
			}
			end := len(r)
			if k+1 < len(starts) {
				end = min(end, starts[k+1])
			}
			if s < len(r) {
				row[k] = strings.TrimSpace(string(r[s:end]))
			}
		}
		rows = append(rows, row)
	}
	return names, rows
}

// csvRecords parses CSV output into its header and rows.
func csvRecords(t *testing.T, out string) ([]string, [][]string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err, out)
	require.NotEmpty(t, recs)
	return recs[0], recs[1:]
}

// rowWith returns the row whose cell in column col is want.
func rowWith(t *testing.T, header []string, rows [][]string, col, want string) map[string]string {
	t.Helper()
	i := -1
	for k, h := range header {
		if h == col {
			i = k
		}
	}
	require.GreaterOrEqual(t, i, 0, "no column %s in %v", col, header)
	for _, r := range rows {
		if r[i] == want {
			m := map[string]string{}
			for k, h := range header {
				m[h] = r[k]
			}
			return m
		}
	}
	t.Fatalf("no row with %s %q", col, want)
	return nil
}

// listCase is one list command checked column by column: its header and
// one known row, in both table and CSV output.
type listCase struct {
	name    string
	environ map[string]string
	args    []string
	header  []string
	key     string            // column that finds the known row
	row     map[string]string // the known row; cells matching "re:" are patterns
}

func checkListColumns(t *testing.T, c listCase) {
	t.Helper()
	for _, format := range []string{"table", "csv"} {
		t.Run(c.name+"/"+format, func(t *testing.T) {
			code, out, errOut := runCLI(t, c.environ, append(append([]string{}, c.args...), "--format", format)...)
			require.Equal(t, 0, code, errOut)
			parse := tableRecords
			if format == "csv" {
				parse = csvRecords
			}
			header, rows := parse(t, out)
			require.Equal(t, c.header, header, "the columns, in order")
			got := rowWith(t, header, rows, c.key, c.row[c.key])
			for _, h := range c.header {
				want := c.row[h]
				if p, ok := strings.CutPrefix(want, "re:"); ok {
					assert.Regexp(t, regexp.MustCompile("^"+p+"$"), got[h], "column %s", h)
					continue
				}
				assert.Equal(t, want, got[h], "column %s", h)
			}
		})
	}
}

const guidRE = "re:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

func TestListCommandsColumnByColumn(t *testing.T) {
	_, base := fakeServer(t)
	iv := ivvyEnv(base)
	_, inv := invitarioFake(t)
	al := alidaBasicEnv(base)
	for _, c := range []listCase{
		{
			name: "ivvy events", environ: iv, args: []string{"ivvy", "events"},
			header: []string{"id", "code", "title", "start", "end", "status"}, key: "id",
			row: map[string]string{"id": "2", "code": "SUMMIT26", "title": "Partner Summit 2026",
				"start": "2026-05-20T16:00:00Z", "end": "2026-05-22T00:00:00Z", "status": "Launched"},
		},
		{
			// Status 0 is documented (Draft): it prints its label, not "".
			name: "ivvy events, a draft", environ: iv, args: []string{"ivvy", "events"},
			header: []string{"id", "code", "title", "start", "end", "status"}, key: "id",
			row: map[string]string{"id": "3", "code": "GALA26", "title": "Winter Gala",
				"start": "re:2026-12-12T18:00:00Z", "end": "re:2026-12-12T23:30:00Z", "status": "Draft"},
		},
		{
			name: "ivvy invited", environ: iv, args: []string{"ivvy", "invited", "--event", "1"},
			header: []string{"contact", "first_name", "last_name", "email", "response", "registration", "modified"}, key: "contact",
			row: map[string]string{"contact": "5", "first_name": "Erin", "last_name": "Evans", "email": "erin@example.com",
				"response": "yes", "registration": "2", "modified": "2026-02-01T05:00:00Z"},
		},
		{
			name: "ivvy contacts", environ: iv, args: []string{"ivvy", "contacts"},
			header: []string{"id", "first_name", "last_name", "email", "phone", "external_id", "modified"}, key: "id",
			row: map[string]string{"id": "6", "first_name": "Frank", "last_name": "Fischer", "email": "frank@example.com",
				"phone": "re:'?\\+61 400 000 006", "external_id": "CRM-0006", "modified": "2026-01-10T09:00:00Z"},
		},
		{
			name: "ivvy attendees", environ: iv, args: []string{"ivvy", "attendees", "--event", "1"},
			header: []string{"id", "contact", "first_name", "last_name", "email", "ticket", "attended"}, key: "id",
			row: map[string]string{"id": "2", "contact": "7", "first_name": "Grace", "last_name": "Garcia",
				"email": "grace@example.com", "ticket": "Guest", "attended": "false"},
		},
		{
			name: "invitario guests", environ: inv, args: []string{"invitario", "guests"},
			header: []string{"id", "parent_id", "access_code", "first_name", "last_name", "email", "company", "registration_state",
				"check_in", "check_out", "deleted_at", "changed", "deleted"}, key: "email",
			row: map[string]string{"id": "00000000-0000-4000-8000-000000000003", "parent_id": "", "access_code": "DEMO03",
				"first_name": "Carol", "last_name": "Castell", "email": "carol@example.com", "company": "Sample GmbH",
				"registration_state": "registered", "check_in": `re:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`,
				"check_out": "", "deleted_at": "", "changed": "false", "deleted": "false"},
		},
		{
			name: "alida queued", environ: al, args: []string{"alida", "queued", "--after", "2020-01-01"},
			header: []string{"member_id", "communication_id", "activity", "title", "event_date", "id"}, key: "member_id",
			row: map[string]string{"member_id": "22222222-2222-4222-8222-222222222222", "communication_id": "c0de0001-0000-4000-8000-000000000001",
				"activity": "Launch event feedback", "title": "Tell us about the launch event", "event_date": "2026-01-15T09:00:00Z", "id": guidRE},
		},
	} {
		checkListColumns(t, c)
	}
}
