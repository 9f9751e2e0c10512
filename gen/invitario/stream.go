package invitario

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/invitekit/invitekit/internal/httpx"
)

// ListInfo receives the properties of a list answer other than the guests.
// It is filled in when the stream has been read to its end without error.
type ListInfo struct {
	// Count is the answer's count property.
	Count int
	// DateTime is the server time of the answer, with the server's offset.
	// Pass it to GuestsRecent (or keep it in a Cursor) to ask for what
	// changed afterwards.
	DateTime time.Time
}

// GuestsAll streams the event's guest list. The guests are decoded one at
// a time while the answer is read, so memory does not grow with the size of
// the list. A failed call yields one error and ends the stream. If the
// server reports an invalid session before the first guest, the stream logs
// in again once and repeats the call. info, if not nil, is filled in once the
// stream has ended without error.
func (a *API) GuestsAll(ctx context.Context, info *ListInfo) iter.Seq2[Guest, error] {
	return a.list(ctx, "guestListAll", nil, info)
}

// GuestsRecent streams the guests added, changed or deleted since the given
// time (deleted guests have DeleteDateTime set). Use the DateTime of an
// earlier answer; Sync does the bookkeeping for you. It behaves like
// GuestsAll otherwise.
func (a *API) GuestsRecent(ctx context.Context, since time.Time, info *ListInfo) iter.Seq2[Guest, error] {
	return a.list(ctx, "guestListRecent", &since, info)
}

func (a *API) list(ctx context.Context, op string, since *time.Time, info *ListInfo) iter.Seq2[Guest, error] {
	return func(yield func(Guest, error) bool) {
		for attempt := 1; ; attempt++ {
			tok, gen, err := a.current(ctx)
			if err != nil {
				yield(Guest{}, err)
				return
			}
			n, stopped, err := a.listOnce(ctx, op, tok, since, info, yield)
			if stopped || err == nil {
				return
			}
			if attempt == 1 && n == 0 && errors.Is(err, ErrSessionExpired) {
				a.invalidate(gen)
				continue
			}
			if n == 0 && attempt < a.attempts && brokenStream(err) {
				continue // the list is safe to ask for again: nothing was delivered
			}
			yield(Guest{}, err)
			return
		}
	}
}

// MaxNesting is how deeply arrays and objects may nest in a streamed list
// answer (counting from a guest, or from another top-level property's
// value), as in encoding/json. A deeper value ends the stream with an error
// wrapping ErrTooDeep.
const MaxNesting = 10000

// ErrTooDeep is wrapped by the error for a value nested deeper than
// MaxNesting in a list answer.
var ErrTooDeep = fmt.Errorf("JSON value nested deeper than %d levels", MaxNesting)

// brokenStream reports whether err is a connection lost while the list was
// read, rather than an answer from the server or the caller's context.
func brokenStream(err error) bool {
	var apiErr *APIError
	var tooLarge *httpx.TooLargeError
	return !errors.As(err, &apiErr) && !errors.As(err, &tooLarge) && !errors.Is(err, ErrTooDeep) &&
		!errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, ErrClosed)
}

// listOnce sends one list call and yields its guests. It returns how many
// guests it yielded and whether the consumer stopped the stream.
func (a *API) listOnce(ctx context.Context, op string, tok Secret, since *time.Time, info *ListInfo, yield func(Guest, error) bool) (int, bool, error) {
	var r *request
	if since == nil {
		r = a.newGuestListAll(SessionRequest{SessionToken: tok.Reveal()})
	} else {
		r = a.newGuestListRecent(RecentRequest{SessionToken: tok.Reveal(), SinceDateTime: *since})
	}
	ctx = httpx.WithStreaming(httpx.WithOperation(ctx, op, r.op.RetrySafe))
	resp, err := a.send(ctx, r)
	if err != nil {
		return 0, false, fmt.Errorf("invitario %s: %w", op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, err := httpx.ReadBody(resp, a.maxBody)
		if err != nil {
			return 0, false, &APIError{Operation: op, StatusCode: resp.StatusCode, Excerpt: err.Error()}
		}
		return 0, false, a.failure(op, resp, body, tok)
	}
	defer resp.Body.Close()
	s := listStream{op: op, cr: &capReader{r: resp.Body, limit: a.maxGuest}}
	if !s.startsObject() {
		return 0, false, a.failure(op, resp, s.head(512), tok)
	}
	n, stopped, err := s.run(yield)
	if stopped {
		return n, true, nil
	}
	if err != nil {
		var tooLarge *httpx.TooLargeError
		if errors.As(err, &tooLarge) {
			return n, false, fmt.Errorf("invitario %s: a guest %w", op, err)
		}
		return n, false, err
	}
	if s.status == "error" || len(s.errors) > 0 {
		return n, false, a.failure(op, resp, s.envelopeJSON(), tok)
	}
	if info != nil {
		*info = ListInfo{Count: s.count, DateTime: s.dateTime}
	}
	return n, false, nil
}

// listStream decodes a list answer one guest at a time with the
// hand-written guest parser below; the other properties may come in any
// order and are decoded with encoding/json. It reads from cr through its
// own buffer (in), so that each guest is parsed from one contiguous slice.
type listStream struct {
	op       string
	cr       *capReader
	in       jsonReader
	names    fieldNames
	status   string
	count    int
	dateTime time.Time
	display  *string
	errors   []json.RawMessage
}

// startsObject reports whether the answer's first non-space byte is '{'.
func (s *listStream) startsObject() bool {
	s.in.r = s.cr
	c, err := s.in.peek()
	return err == nil && c == '{'
}

// head returns up to n bytes of what is left of the answer, for an error.
func (s *listStream) head(n int) []byte {
	for s.in.end-s.in.pos < n && s.in.fill() == nil {
	}
	return s.in.buf[s.in.pos:min(s.in.end, s.in.pos+n)]
}

func (s *listStream) run(yield func(Guest, error) bool) (n int, stopped bool, err error) {
	s.in.r = s.cr
	if err := s.expect('{'); err != nil {
		return 0, false, err
	}
	for first := true; ; first = false {
		c, err := s.in.peek()
		if err != nil {
			return n, false, s.wrap(err)
		}
		if c == '}' {
			s.in.pos++
			return n, false, nil
		}
		if !first {
			if err := s.expect(','); err != nil {
				return n, false, err
			}
		}
		raw, err := s.in.value()
		if err != nil {
			return n, false, s.wrap(err)
		}
		var key string
		if err := json.Unmarshal(raw, &key); err != nil {
			return n, false, fmt.Errorf("invitario %s: malformed list answer: %w", s.op, err)
		}
		if err := s.expect(':'); err != nil {
			return n, false, err
		}
		if key == "guests" {
			var done bool
			n, done, err = s.guests(n, yield)
			if err != nil || done {
				return n, done, err
			}
			continue
		}
		raw, err = s.in.value()
		if err != nil {
			return n, false, s.wrap(err)
		}
		switch key {
		case "status":
			err = json.Unmarshal(raw, &s.status)
		case "count":
			err = json.Unmarshal(raw, &s.count)
		case "dateTime":
			var t *time.Time
			if err = json.Unmarshal(raw, &t); err == nil && t != nil {
				s.dateTime = *t
			}
		case "displayMessage":
			err = json.Unmarshal(raw, &s.display)
		case "errors":
			err = json.Unmarshal(raw, &s.errors)
		default:
			if !json.Valid(raw) {
				err = errors.New("invalid JSON")
			}
		}
		if err != nil {
			return n, false, fmt.Errorf("invitario %s: %s: %w", s.op, key, err)
		}
	}
}

// guests decodes the guests array (or null), yielding each guest, and
// reports whether the consumer stopped.
func (s *listStream) guests(n int, yield func(Guest, error) bool) (int, bool, error) {
	c, err := s.in.peek()
	if err != nil {
		return n, false, s.wrap(err)
	}
	if c == 'n' {
		raw, err := s.in.value()
		if err != nil {
			return n, false, s.wrap(err)
		}
		if string(raw) != "null" {
			return n, false, fmt.Errorf("invitario %s: guests is not an array", s.op)
		}
		return n, false, nil
	}
	if c != '[' {
		return n, false, fmt.Errorf("invitario %s: guests is not an array", s.op)
	}
	s.in.pos++
	for first := true; ; first = false {
		c, err := s.in.peek()
		if err != nil {
			return n, false, s.wrap(err)
		}
		if c == ']' {
			s.in.pos++
			return n, false, nil
		}
		if !first {
			if err := s.expect(','); err != nil {
				return n, false, err
			}
		}
		// Most guests are parsed where they lie in the buffer. One that
		// runs past what is buffered, or that needs encoding/json, is
		// first read whole.
		var g Guest
		if size, ok := parseGuest(s.in.buf[s.in.pos:s.in.end], &g, &s.names); ok {
			s.in.pos += size
		} else {
			g = Guest{}
			raw, err := s.in.value()
			if err != nil {
				return n, false, s.wrap(fmt.Errorf("guest %d: %w", n+1, err))
			}
			if err := decodeGuest(raw, &g, &s.names); err != nil {
				return n, false, fmt.Errorf("invitario %s: guest %d: %w", s.op, n+1, err)
			}
		}
		s.cr.reset()
		n++
		if !yield(g, nil) {
			return n, true, nil
		}
	}
}

// expect consumes the next non-space byte, which must be want.
func (s *listStream) expect(want byte) error {
	c, err := s.in.peek()
	if err != nil {
		return s.wrap(err)
	}
	if c != want {
		return fmt.Errorf("invitario %s: malformed list answer: want %q, got %q", s.op, want, c)
	}
	s.in.pos++
	return nil
}

func (s *listStream) wrap(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("invitario %s: %w", s.op, err)
}

// envelopeJSON re-encodes the error properties for failure.
func (s *listStream) envelopeJSON() []byte {
	b, _ := json.Marshal(envelope{Status: s.status, DisplayMessage: s.display, Errors: s.errors})
	return b
}

// capReader fails with *httpx.TooLargeError when more than limit bytes are
// read since the last reset.
type capReader struct {
	r     io.Reader
	limit int64
	n     int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n > c.limit {
		return 0, &httpx.TooLargeError{Limit: c.limit}
	}
	if rest := c.limit + 1 - c.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *capReader) reset() { c.n = 0 }

func unmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// jsonReader reads JSON values from r through a buffer and hands each one
// out whole, as a slice of the buffer that stays valid until the next call.
type jsonReader struct {
	r        io.Reader
	buf      []byte
	pos, end int // buf[pos:end] is read but not consumed
}

// fill reads more into the buffer, moving what is left to its start and
// growing it when it is full.
func (j *jsonReader) fill() error {
	if j.pos > 0 {
		j.end = copy(j.buf, j.buf[j.pos:j.end])
		j.pos = 0
	}
	if j.end == len(j.buf) {
		j.buf = append(j.buf, make([]byte, max(32<<10, len(j.buf)))...)
	}
	n, err := j.r.Read(j.buf[j.end:])
	j.end += n
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}

// peek returns the next byte that is not white space, without consuming
// it.
func (j *jsonReader) peek() (byte, error) {
	for {
		for ; j.pos < j.end; j.pos++ {
			switch c := j.buf[j.pos]; c {
			case ' ', '\t', '\r', '\n':
			default:
				return c, nil
			}
		}
		if err := j.fill(); err != nil {
			return 0, err
		}
	}
}

// value consumes the next JSON value and returns its bytes. It only finds
// where the value ends (brackets and strings); the caller's decoder checks
// the rest of the syntax. Strings are skipped with bytes.IndexByte.
func (j *jsonReader) value() ([]byte, error) {
	if _, err := j.peek(); err != nil {
		return nil, err
	}
	depth := 0 // counted without recursion: any depth costs the same
	for i := 0; ; {
		for j.pos+i >= j.end {
			if err := j.fill(); err != nil {
				if err == io.EOF && depth == 0 && i > 0 {
					return j.take(i), nil // a number or literal at the very end
				}
				return nil, err
			}
		}
		switch c := j.buf[j.pos+i]; {
		case c == '"':
			end, err := j.stringEnd(i + 1)
			if err != nil {
				return nil, err
			}
			i = end
			if depth == 0 {
				return j.take(i), nil
			}
		case c == '{' || c == '[':
			if depth++; depth > MaxNesting {
				return nil, ErrTooDeep
			}
			i++
		case c == '}' || c == ']':
			if depth == 0 { // ends the enclosing value: a literal ends here
				return j.take(i), nil
			}
			depth--
			i++
			if depth == 0 {
				return j.take(i), nil
			}
		case depth == 0 && (c == ',' || c == ':' || c == ' ' || c == '\t' || c == '\r' || c == '\n'):
			return j.take(i), nil
		default:
			i++
		}
	}
}

// stringEnd returns the offset (from pos) just past the quote that closes
// the string whose contents start at offset i.
func (j *jsonReader) stringEnd(i int) (int, error) {
	for {
		if k := bytes.IndexByte(j.buf[j.pos+i:j.end], '"'); k >= 0 {
			q := j.pos + i + k
			backslashes := 0
			for b := q - 1; b >= j.pos && j.buf[b] == '\\'; b-- {
				backslashes++
			}
			i += k + 1
			if backslashes%2 == 0 {
				return i, nil
			}
			continue
		}
		i = j.end - j.pos
		if err := j.fill(); err != nil {
			return 0, err
		}
	}
}

func (j *jsonReader) take(n int) []byte {
	v := j.buf[j.pos : j.pos+n]
	j.pos += n
	return v
}

// fieldNames interns guest field names, so that the same name read for
// every guest is stored once rather than allocated per guest. size is the
// most fields a guest had so far: new maps start with room for that many.
type fieldNames struct {
	names map[string]string
	size  int
}

func (f *fieldNames) get(b []byte) string {
	if s, ok := f.names[string(b)]; ok {
		return s
	}
	s := string(b)
	if f.names == nil {
		f.names = map[string]string{}
	}
	if len(f.names) < 1024 {
		f.names[s] = s
	}
	return s
}

// decodeGuest decodes one guest as json.Unmarshal would into a zero Guest.
// A hand-written parser handles the documented shape; anything it does not
// handle exactly like encoding/json (an unexpected type, a repeated or
// differently cased property name, a syntax error) sends the whole guest to
// json.Unmarshal instead, which also gives the error.
func decodeGuest(b []byte, g *Guest, names *fieldNames) error {
	if n, ok := parseGuest(b, g, names); ok && n == len(b) {
		return nil
	}
	*g = Guest{}
	return json.Unmarshal(b, g)
}

// parseGuest parses the guest object at the start of b with the
// hand-written parser and returns its length. It reports false, leaving g
// partly set, when the guest goes beyond b or beyond what the parser
// handles.
func parseGuest(b []byte, g *Guest, names *fieldNames) (int, bool) {
	p := guestParser{b: b, names: names}
	ok := p.guest(g)
	return p.i, ok
}

// guestParser parses one guest from b; each method reports false when the
// input is outside what it handles.
type guestParser struct {
	b     []byte
	i     int
	names *fieldNames
	depth int // nesting of the unknown value skip is in
}

// maxSkipNesting bounds the recursion of guestParser.skip: an unknown value
// nested deeper is handed, with its guest, to encoding/json, whose scanner
// is iterative (and which jsonReader.value has already held to MaxNesting).
const maxSkipNesting = 32

// guestKeys are the properties of a guest.
var guestKeys = []string{"id", "parentId", "accessCode", "clientUpdateDateTime", "serverUpdateDateTime",
	"checkInDateTime", "checkOutDateTime", "deleteDateTime", "registrationState", "highlightColor",
	"fields", "companions"}

func (p *guestParser) guest(g *Guest) bool {
	var seen uint // bit i: guestKeys[i] was read, to notice one given twice
	return p.object(func(key []byte) bool {
		var ok bool
		var bit uint
		switch string(key) {
		case "id":
			bit, ok = 1<<0, p.str(&g.ID)
		case "parentId":
			bit, ok = 1<<1, p.optStr(&g.ParentID)
		case "accessCode":
			bit, ok = 1<<2, p.str(&g.AccessCode)
		case "clientUpdateDateTime":
			bit, ok = 1<<3, p.time(&g.ClientUpdateDateTime)
		case "serverUpdateDateTime":
			bit, ok = 1<<4, p.optTime(&g.ServerUpdateDateTime)
		case "checkInDateTime":
			bit, ok = 1<<5, p.optTime(&g.CheckInDateTime)
		case "checkOutDateTime":
			bit, ok = 1<<6, p.optTime(&g.CheckOutDateTime)
		case "deleteDateTime":
			bit, ok = 1<<7, p.optTime(&g.DeleteDateTime)
		case "registrationState":
			bit, ok = 1<<8, p.state(&g.RegistrationState)
		case "highlightColor":
			bit, ok = 1<<9, p.optStr(&g.HighlightColor)
		case "fields":
			bit, ok = 1<<10, p.fields(&g.Fields)
		case "companions":
			bit, ok = 1<<11, p.companions(&g.Companions)
		default:
			return p.unknown(key, guestKeys) && p.skip()
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		return ok
	})
}

// state parses a registration state; the documented ones are not
// allocated again for every guest.
func (p *guestParser) state(dst *RegistrationState) bool {
	start := p.i
	if b, ok := p.rawStr(); ok {
		for _, s := range []RegistrationState{RegistrationStateRegistered, RegistrationStateUnknown, RegistrationStateDeregistered} {
			if string(b) == string(s) {
				*dst = s
				return true
			}
		}
	}
	p.i = start
	return p.str((*string)(dst))
}

// unknown reports whether an unknown property may be skipped: encoding/json
// would also match it to a field when it equals one of the known names but
// for case, so such a name (or one beyond ASCII) is not handled here.
func (p *guestParser) unknown(key []byte, known []string) bool {
	for _, c := range key {
		if c >= 0x80 {
			return false
		}
	}
	for _, name := range known {
		if strings.EqualFold(name, string(key)) {
			return false
		}
	}
	return true
}

func (p *guestParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// next returns the next byte that is not white space (0 at the end).
func (p *guestParser) next() byte {
	p.ws()
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *guestParser) lit(s string) bool {
	if !bytes.HasPrefix(p.b[p.i:], []byte(s)) {
		return false
	}
	p.i += len(s)
	return true
}

// object parses an object, calling member with each property name (which
// must be plain: no escapes) positioned at its value.
func (p *guestParser) object(member func(key []byte) bool) bool {
	if p.next() != '{' {
		return false
	}
	p.i++
	if p.next() == '}' {
		p.i++
		return true
	}
	for {
		key, ok := p.rawStr()
		if !ok || p.next() != ':' {
			return false
		}
		p.i++
		p.ws()
		if !member(key) {
			return false
		}
		switch p.next() {
		case ',':
			p.i++
		case '}':
			p.i++
			return true
		default:
			return false
		}
	}
}

// array parses an array, calling elem positioned at each element.
func (p *guestParser) array(elem func() bool) bool {
	if p.next() != '[' {
		return false
	}
	p.i++
	if p.next() == ']' {
		p.i++
		return true
	}
	for {
		if !elem() {
			return false
		}
		switch p.next() {
		case ',':
			p.i++
		case ']':
			p.i++
			return true
		default:
			return false
		}
	}
}

// plainByte marks the bytes a string may hold as they are: not a quote, a
// backslash, a control character or a byte beyond ASCII.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// rawStr parses a string without escapes and returns its bytes, which
// must be valid UTF-8 without control characters.
func (p *guestParser) rawStr() ([]byte, bool) {
	if p.next() != '"' {
		return nil, false
	}
	start := p.i + 1
	i := start
	for {
		for i < len(p.b) && plainByte[p.b[i]] {
			i++
		}
		if i == len(p.b) {
			return nil, false
		}
		switch c := p.b[i]; {
		case c == '"':
			s := p.b[start:i]
			p.i = i + 1
			return s, true
		case c >= 0x80:
			r, size := utf8.DecodeRune(p.b[i:])
			if r == utf8.RuneError && size == 1 {
				return nil, false
			}
			i += size
		default: // a backslash or a control character
			return nil, false
		}
	}
}

// string parses a string; one with escapes is decoded by encoding/json.
func (p *guestParser) string() (string, bool) {
	start := p.i
	if s, ok := p.rawStr(); ok {
		return string(s), true
	}
	p.i = start
	if p.next() != '"' {
		return "", false
	}
	end := p.i + 1
	for end < len(p.b) && p.b[end] != '"' {
		if p.b[end] == '\\' {
			end++
		}
		end++
	}
	var s string
	if end >= len(p.b) || json.Unmarshal(p.b[p.i:end+1], &s) != nil {
		return "", false
	}
	p.i = end + 1
	return s, true
}

// str parses a string into dst; null leaves dst as it is.
func (p *guestParser) str(dst *string) bool {
	if p.next() == 'n' {
		return p.lit("null")
	}
	s, ok := p.string()
	*dst = s
	return ok
}

// optStr parses a string or null (the empty string).
func (p *guestParser) optStr(dst *string) bool {
	if p.next() == 'n' {
		*dst = ""
		return p.lit("null")
	}
	s, ok := p.string()
	*dst = s
	return ok
}

// time parses a date-time the way time.Time's UnmarshalJSON does (null
// leaves dst as it is).
func (p *guestParser) time(dst *time.Time) bool {
	if p.next() == 'n' {
		return p.lit("null")
	}
	start := p.i
	if _, ok := p.rawStr(); !ok {
		return false
	}
	return dst.UnmarshalJSON(p.b[start:p.i]) == nil
}

// optTime parses a date-time into a new *time.Time; null sets dst to nil.
func (p *guestParser) optTime(dst **time.Time) bool {
	if p.next() == 'n' {
		*dst = nil
		return p.lit("null")
	}
	t := new(time.Time)
	*dst = t
	return p.time(t)
}

// fields parses the fields object: each value a string, a list of strings
// or null (FieldValue's UnmarshalJSON, without the detour).
func (p *guestParser) fields(dst *Fields) bool {
	if p.next() == 'n' {
		*dst = nil
		return p.lit("null")
	}
	if *dst == nil {
		*dst = make(Fields, p.names.size)
	}
	n := 0
	defer func() { p.names.size = max(p.names.size, n) }()
	return p.object(func(key []byte) bool {
		n++
		name := p.names.get(key)
		switch p.next() {
		case 'n':
			(*dst)[name] = FieldValue{}
			return p.lit("null")
		case '[':
			list := []string{}
			ok := p.array(func() bool {
				var s string
				ok := p.str(&s)
				list = append(list, s)
				return ok
			})
			(*dst)[name] = FieldValue{list: list, isList: true}
			return ok
		default:
			s, ok := p.string()
			(*dst)[name] = StringValue(s)
			return ok
		}
	})
}

var companionKeys = []string{"id"}

func (p *guestParser) companions(dst *[]Companion) bool {
	if p.next() == 'n' {
		*dst = nil
		return p.lit("null")
	}
	list := []Companion{}
	ok := p.array(func() bool {
		var c Companion
		if p.next() == 'n' {
			list = append(list, c)
			return p.lit("null")
		}
		seen := false
		ok := p.object(func(key []byte) bool {
			if string(key) != "id" {
				return p.unknown(key, companionKeys) && p.skip()
			}
			if seen {
				return false
			}
			seen = true
			return p.str(&c.ID)
		})
		list = append(list, c)
		return ok
	})
	*dst = list
	return ok
}

// skip parses and discards any JSON value. It declines (reports false)
// values nested deeper than maxSkipNesting, so its recursion stays shallow.
func (p *guestParser) skip() bool {
	switch c := p.next(); {
	case c == '{' || c == '[':
		if p.depth >= maxSkipNesting {
			return false
		}
		p.depth++
		var ok bool
		if c == '{' {
			ok = p.object(func([]byte) bool { return p.skip() })
		} else {
			ok = p.array(p.skip)
		}
		p.depth--
		return ok
	case c == '"':
		_, ok := p.string()
		return ok
	case c == 't':
		return p.lit("true")
	case c == 'f':
		return p.lit("false")
	case c == 'n':
		return p.lit("null")
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	}
	return false
}

// number parses a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *guestParser) number() bool {
	digits := func() int {
		n := 0
		for p.i < len(p.b) && '0' <= p.b[p.i] && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.b[p.i] == '-' {
		p.i++
	}
	if p.i < len(p.b) && p.b[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return false
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return false
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}
