// Package record saves the HTTP exchanges of the invitekit clients as
// fixture files in the contract tests' format, so that a user with real
// credentials can check the specs against what their account really
// answers (see "invitekit fixtures check").
//
// A Recorder is handed to a client with the client package's WithRecorder
// option. Each exchange becomes <dir>/<api>/<operationId>/<n>.json. Secrets
// are scrubbed before anything is written: authorization headers, cookies,
// JSON properties that carry credentials (apiKey, sessionToken,
// access_token, client_secret, password and the like), the client's own
// credentials wherever they appear, and any value or property name the
// caller marks as sensitive. With MaskPII, people's names, e-mail
// addresses, phone numbers, street addresses and free-text notes are
// replaced by fake values, the same input giving the same fake value
// throughout the Recorder's life.
//
// Recording never changes what is sent or returned: the request goes out as
// it was, and the answer's body is copied to a temporary file as the caller
// reads it (nothing is buffered in memory, so a streamed list of any length
// is recorded in constant memory). The fixture is written when the body has
// been read to its end or closed after a complete JSON value; an answer
// abandoned half-read is not saved. Errors while recording never reach the
// caller's call: they are kept and returned by Err.
//
// This package uses no spec machinery, so a client that records stays free
// of OpenAPI and YAML libraries.
package record

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/redact"
)

// Redacted replaces a secret in a recorded file.
const Redacted = redact.Placeholder

// Recorder writes fixture files under one directory. It is safe for
// concurrent use by any number of clients.
type Recorder struct {
	dir     string
	maskPII bool
	now     func() time.Time
	piiKey  []byte

	mu      sync.Mutex
	scrub   *redact.Scrubber
	fields  map[string]bool // lower-case property names whose values are secret
	next    map[string]int  // api/op -> next file number to try
	written []string
	skipped int
	errs    []error
	maxText int64
	learned int // secrets learned from bodies (see learn)
}

// Option configures New.
type Option func(*Recorder)

// MaskPII replaces personal data (people's names, e-mail addresses, phone
// numbers, street addresses and free-text notes, found by property name:
// firstName, toContactName, email, mobilePhone, street, postalCode, notes
// and the like) with consistent fake values. Names of things (a bare
// "name", businessName, displayName) are kept.
func MaskPII(on bool) Option { return func(r *Recorder) { r.maskPII = on } }

// Sensitive marks values that must never be written (scrubbed wherever they
// appear, in any common escaping).
func Sensitive(values ...string) Option { return func(r *Recorder) { r.scrub.Add(values...) } }

// SensitiveFields marks JSON property names (any case) whose values are
// replaced by Redacted, in addition to the built-in credential names.
func SensitiveFields(names ...string) Option {
	return func(r *Recorder) {
		for _, n := range names {
			r.fields[strings.ToLower(n)] = true
		}
	}
}

// WithClock sets the clock that dates the recordings (the fixtures'
// source).
func WithClock(now func() time.Time) Option { return func(r *Recorder) { r.now = now } }

// secretFields are the property names whose values are credentials in the
// three APIs or in OAuth2 answers.
var secretFields = []string{
	"apikey", "api_key", "apisecret", "api_secret", "sessiontoken", "session_token",
	"access_token", "accesstoken", "refresh_token", "refreshtoken", "id_token",
	"client_secret", "clientsecret", "password", "secret", "token", "authorization",
}

// New returns a Recorder that writes under dir, creating it if needed.
func New(dir string, opts ...Option) (*Recorder, error) {
	if strings.TrimSpace(dir) == "" {
		return nil, errors.New("record: the directory is empty")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	r := &Recorder{
		dir:     dir,
		now:     time.Now,
		piiKey:  key,
		scrub:   new(redact.Scrubber),
		fields:  map[string]bool{},
		next:    map[string]int{},
		maxText: 1 << 20,
	}
	for _, f := range secretFields {
		r.fields[f] = true
	}
	for _, o := range opts {
		o(r)
	}
	return r, nil
}

// AddSensitive marks more values as secret (see Sensitive).
func (r *Recorder) AddSensitive(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.scrub.Add(values...)
}

// learn adds a secret found in a body (a session token, say) to the
// values scrubbed from later exchanges, up to a bound that keeps
// scrubbing cheap; the property it was found in is redacted regardless.
func (r *Recorder) learn(v string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.learned < 1024 {
		r.learned++
		r.scrub.Add(v)
	}
}

// Files returns the fixture files written so far, in the order written.
func (r *Recorder) Files() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.written...)
}

// Skipped counts the exchanges not saved because their answer was
// abandoned before it was complete.
func (r *Recorder) Skipped() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.skipped
}

// Err returns the errors met while writing fixtures (joined), or nil. They
// never affect the calls themselves.
func (r *Recorder) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return errors.Join(r.errs...)
}

func (r *Recorder) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, err)
}

// For returns the hook a client of the named API installs (see the
// client packages' WithRecorder); secrets are the client's credentials,
// scrubbed wherever they appear. A nil Recorder gives nil.
func (r *Recorder) For(api string, secrets ...string) httpx.Recorder {
	if r == nil {
		return nil
	}
	r.AddSensitive(secrets...)
	return &hook{r: r, api: api}
}

type hook struct {
	r   *Recorder
	api string
}

// Wrap returns the recording transport.
func (h *hook) Wrap(next http.RoundTripper) http.RoundTripper {
	return &transport{r: h.r, api: h.api, next: next}
}

var safeName = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

// create opens the next free <dir>/<api>/<op>/<n>.json.
func (r *Recorder) create(api, op string) (*os.File, error) {
	dir := filepath.Join(r.dir, safeName.ReplaceAllString(api, "_"), safeName.ReplaceAllString(op, "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	key := api + "/" + op
	for range 100000 {
		r.mu.Lock()
		r.next[key]++
		n := r.next[key]
		r.mu.Unlock()
		f, err := os.OpenFile(filepath.Join(dir, fmt.Sprintf("%d.json", n)), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("no free file name in %s", dir)
}

// scrubber returns a copy of the recorder's scrubber with the credentials
// of req added.
func (r *Recorder) scrubber(req *http.Request) *redact.Scrubber {
	r.mu.Lock()
	sc := r.scrub.Clone()
	r.mu.Unlock()
	sc.AddRequest(req)
	return sc
}

func (r *Recorder) secretField(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fields[strings.ToLower(name)]
}

// fake returns the masked stand-in for a personal value of the given kind:
// a keyed hash of the value, so that equal inputs give equal outputs within
// this Recorder and nothing is kept in memory.
func (r *Recorder) fake(kind piiKind, v string) string {
	if v == "" {
		return v
	}
	m := hmac.New(sha256.New, r.piiKey)
	m.Write([]byte(v))
	sum := m.Sum(nil)
	switch kind {
	case piiEmail:
		return fmt.Sprintf("person-%x@example.com", sum[:5])
	case piiAddress:
		return fmt.Sprintf("Address-%x", sum[:4])
	case piiText:
		return fmt.Sprintf("Text-%x", sum[:4])
	case piiPhone:
		n := uint64(0)
		for _, b := range sum[:8] {
			n = n<<8 | uint64(b)
		}
		return fmt.Sprintf("+1555%07d", n%10000000)
	default:
		return fmt.Sprintf("Name-%x", sum[:4])
	}
}

type piiKind int

const (
	piiNone piiKind = iota
	piiName
	piiEmail
	piiPhone
	piiAddress
	piiText
)

// personNames are the endings of property names that hold a person's name
// (firstName, toContactName, assignedUserFullName, ...). A bare "name" is
// not one of them: in these APIs it names events, venues, companies,
// resources and the like, and displayName labels custom fields.
var personNames = []string{
	"firstname", "first_name", "lastname", "last_name", "middlename",
	"fullname", "full_name", "surname", "givenname", "preferredname",
	"nickname", "contactname",
}

// addressParts are the property names of a postal address below the city:
// Invitario's guest fields (street, houseNumber, postalCode) and iVvy's
// Address (line1 to line4, postalCode). A company's or a venue's address is
// masked too, as the name alone cannot tell whose it is.
var addressParts = map[string]bool{
	"street": true, "streetaddress": true, "housenumber": true,
	"line1": true, "line2": true, "line3": true, "line4": true,
	"addressline1": true, "addressline2": true,
	"postalcode": true, "postcode": true, "zip": true, "zipcode": true,
}

// freeText are the property names of free text that people write about a
// guest, a contact or a booking (a guest's notes, a contact's note or
// comment), which may say anything about them. A name ending in "notes"
// (internalNotes) counts too. The name cannot tell whose text it is, so a
// session's setupNotes or a credit note's notes are masked as well.
var freeText = map[string]bool{
	"notes": true, "note": true, "comment": true, "comments": true, "remarks": true,
}

// piiOf classifies a property name.
func piiOf(name string) piiKind {
	n := strings.ToLower(name)
	switch {
	case freeText[n], strings.HasSuffix(n, "notes"):
		// Before the others: phoneNotes is text about a phone number.
		return piiText
	case strings.Contains(n, "email"):
		return piiEmail
	case strings.Contains(n, "phone"), strings.Contains(n, "mobile"), n == "fax":
		return piiPhone
	case n == "salutation":
		return piiName
	case addressParts[n]:
		return piiAddress
	}
	for _, suffix := range personNames {
		if strings.HasSuffix(n, suffix) {
			return piiName
		}
	}
	return piiNone
}
