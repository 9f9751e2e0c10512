package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// formats the --format flag accepts.
var formats = []string{"table", "json", "jsonl", "csv"}

// checkFormat returns a usage error for an unknown --format value.
func checkFormat(format string) error {
	for _, f := range formats {
		if f == format {
			return nil
		}
	}
	return usageError("--format %q: want table, json, jsonl or csv", format)
}

// tableSampleRows is how many rows the table format reads before it fixes
// the column widths; later rows are cut to fit.
const tableSampleRows = 100

// column is one column of table and CSV output.
type column struct {
	name string
	// formatted marks a column the CLI writes itself (numbers, times,
	// booleans, GUIDs, its own words): its cells are never neutralised for
	// spreadsheets. Every other column holds text as a server or a file
	// gave it.
	formatted bool
}

// text is a column of text from a server or a file.
func text(name string) column { return column{name: name} }

// own is a column whose cells the CLI formats itself.
func own(name string) column { return column{name: name, formatted: true} }

// listOut writes a list as it arrives: table, csv, json (one array) or
// jsonl (one object per line). Rows go out as soon as they are added, except
// the first rows of a table, which are held until the column widths are
// known. Call finish after the last row, or abort when the list broke off.
type listOut struct {
	w       *bufio.Writer
	format  string
	cols    []column
	csvRaw  bool
	csv     *csv.Writer
	json    *json.Encoder
	jsonBuf bytes.Buffer
	items   int

	pending [][]string // table rows held until the widths are known
	widths  []int      // table column widths, fixed once set

	progress io.Writer // where the count of items goes, or nil
	shown    bool      // a progress line is on the terminal
}

// progressEvery is how many items pass between progress updates.
const progressEvery = 100

// newListOut starts a list on stdout. When stderr is a terminal and stdout
// is not (the list goes to a file or a pipe), a count of the items written
// so far is kept up to date on stderr.
func newListOut(e *env, format string, cols []column) *listOut {
	l := &listOut{w: bufio.NewWriterSize(e.Stdout, 32<<10), format: format, cols: cols, csvRaw: e.csvRaw}
	if e.StderrIsTerminal && !e.StdoutIsTerminal {
		l.progress = e.Stderr
	}
	switch format {
	case "csv":
		l.csv = csv.NewWriter(l.w)
	case "json", "jsonl":
		l.json = json.NewEncoder(&l.jsonBuf)
		l.json.SetEscapeHTML(false)
		if format == "json" {
			l.json.SetIndent("  ", "  ")
		}
	}
	return l
}

// add writes one record: cells for table and CSV, item for JSON.
func (l *listOut) add(cells []string, item any) error {
	defer func() {
		l.items++
		if l.progress != nil && l.items%progressEvery == 0 {
			fmt.Fprintf(l.progress, "\rinvitekit: %d listed", l.items)
			l.shown = true
		}
	}()
	switch l.format {
	case "json", "jsonl":
		l.jsonBuf.Reset()
		if err := l.json.Encode(item); err != nil {
			return fmt.Errorf("encode item %d as JSON: %w", l.items+1, err)
		}
		b := bytes.TrimRight(l.jsonBuf.Bytes(), "\n")
		if l.format == "json" {
			sep := ",\n  "
			if l.items == 0 {
				sep = "[\n  "
			}
			l.w.WriteString(sep)
		}
		l.w.Write(b)
		if l.format == "jsonl" {
			l.w.WriteByte('\n')
		}
		return l.w.Flush()
	case "csv":
		if l.items == 0 {
			if err := l.csv.Write(l.headers()); err != nil {
				return err
			}
		}
		row := make([]string, len(cells))
		for i, c := range cells {
			row[i] = c
			if !l.csvRaw && (i >= len(l.cols) || !l.cols[i].formatted) {
				row[i] = neutraliseCell(c)
			}
		}
		if err := l.csv.Write(row); err != nil {
			return err
		}
		l.csv.Flush()
		return l.csv.Error()
	default:
		row := make([]string, len(cells))
		for i, c := range cells {
			row[i] = escapeControls(c)
		}
		if l.widths == nil {
			l.pending = append(l.pending, row)
			if len(l.pending) < tableSampleRows {
				return nil
			}
			return l.flushPending()
		}
		l.tableRow(row, true)
		return l.w.Flush()
	}
}

func (l *listOut) headers() []string {
	h := make([]string, len(l.cols))
	for i, c := range l.cols {
		h[i] = c.name
	}
	return h
}

// flushPending fixes the table widths from the header and the rows held so
// far and writes them.
func (l *listOut) flushPending() error {
	head := l.headers()
	l.widths = make([]int, len(head))
	for _, r := range append([][]string{head}, l.pending...) {
		for i, c := range r {
			if i < len(l.widths) {
				l.widths[i] = max(l.widths[i], utf8.RuneCountInString(c))
			}
		}
	}
	l.tableRow(head, false)
	for _, r := range l.pending {
		l.tableRow(r, false)
	}
	l.pending = nil
	return l.w.Flush()
}

// tableRow writes one aligned line; cut shortens cells wider than their
// column (all but the last column, which nothing follows).
func (l *listOut) tableRow(row []string, cut bool) {
	var line strings.Builder
	for i, c := range row {
		last := i == len(row)-1
		if i < len(l.widths) && !last {
			n := utf8.RuneCountInString(c)
			if cut && n > l.widths[i] {
				c = cutCell(c, l.widths[i])
				n = l.widths[i]
			}
			line.WriteString(c)
			line.WriteString(strings.Repeat(" ", l.widths[i]-n+2))
			continue
		}
		line.WriteString(c)
	}
	l.w.WriteString(strings.TrimRight(line.String(), " "))
	l.w.WriteByte('\n')
}

// cutCell shortens s to width runes, the last one an ellipsis.
func cutCell(s string, width int) string {
	if width <= 0 {
		return ""
	}
	r := []rune(s)
	return string(r[:width-1]) + "…"
}

// endProgress ends the progress line with the final count.
func (l *listOut) endProgress() {
	if l.shown {
		fmt.Fprintf(l.progress, "\rinvitekit: %d listed\n", l.items)
		l.shown = false
	}
}

// finish ends a complete list: a table's held rows, the closing bracket of
// a JSON array, the header of an empty CSV.
func (l *listOut) finish() error {
	defer l.endProgress()
	switch l.format {
	case "json":
		if l.items == 0 {
			l.w.WriteString("[]\n")
		} else {
			l.w.WriteString("\n]\n")
		}
	case "csv":
		if l.items == 0 {
			if err := l.csv.Write(l.headers()); err != nil {
				return err
			}
		}
		l.csv.Flush()
		if err := l.csv.Error(); err != nil {
			return err
		}
	case "jsonl":
	default:
		if l.widths == nil {
			return l.flushPending()
		}
	}
	return l.w.Flush()
}

// abort writes what arrived of a list that broke off. A JSON array is left
// unclosed, so that no reader takes it for the whole list.
func (l *listOut) abort() {
	defer l.endProgress()
	switch l.format {
	case "json", "jsonl":
		if l.format == "json" && l.items > 0 {
			l.w.WriteByte('\n')
		}
	case "csv":
		l.csv.Flush()
	default:
		if l.widths == nil && len(l.pending) > 0 {
			_ = l.flushPending()
		}
	}
	_ = l.w.Flush()
}

// writeRecords prints the result of a command that is not a listing: rows
// for table and CSV, jsonValue as one document for JSON (indented) and
// JSONL (one line).
func writeRecords(e *env, format string, cols []column, rows [][]string, jsonValue any) error {
	if format == "json" || format == "jsonl" {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if format == "json" {
			enc.SetIndent("", "  ")
		}
		if err := enc.Encode(jsonValue); err != nil {
			return err
		}
		_, err := e.Stdout.Write(buf.Bytes())
		return err
	}
	if err := checkFormat(format); err != nil {
		return err
	}
	out := newListOut(e, format, cols)
	for _, r := range rows {
		if err := out.add(r, nil); err != nil {
			return err
		}
	}
	return out.finish()
}

// timeText formats a time for table and CSV output: RFC 3339 in UTC, with
// the fraction of a second the value has; "" for the zero time.
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// parseTimeFlag reads the value of a time flag: an RFC 3339 time
// (2026-03-01T18:30:00+01:00) or a date (2026-03-01, midnight UTC). A
// date-time without a zone, with T or a space, is read as UTC.
func parseTimeFlag(flagName, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usageError("--%s %q: want an RFC 3339 time such as 2026-03-01T18:30:00Z or a date such as 2026-03-01", flagName, s)
}

// neutraliseCell keeps a spreadsheet from reading a text cell as a formula
// or command: a cell starting with =, +, -, @, tab or carriage return gets a
// leading apostrophe (as OWASP recommends for CSV files).
func neutraliseCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// escapeControls shows control characters (C0, DEL, C1), line and
// paragraph separators, bidirectional formatting characters and bytes that
// are not UTF-8 as escapes (\x1b, \n, \u202e), so that text from a server
// cannot move the cursor, retitle or recolour the terminal, reorder what is
// shown, or start a new line.
func escapeControls(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, n) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case !needsEscape(r, n):
			b.WriteString(s[i : i+n])
		case r == utf8.RuneError:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}

// needsEscape reports whether the rune r, n bytes long, must be escaped.
func needsEscape(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n <= 1:
		return true
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
		r == 0x200e, r == 0x200f, r == 0x061c, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// diag writes one "invitekit:" line to stderr with control characters
// escaped: messages often carry text from a server.
func diag(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "invitekit: %s\n", escapeControls(fmt.Sprintf(format, args...)))
}
