// Package invitariofake is an in-process fake of the Invitario check-in API
// 1.0 for tests and demos. A *Server is an http.Handler: mount it on an
// httptest server (or any mux) and point a client at its URL.
//
// Every request must be a POST to an operation of the Invitario spec
// (package specs): /api/v1/login, /api/v1/guest/list/all,
// /api/v1/guest/list/recent, /api/v1/logout, or any operation added to the
// spec. A body that is not JSON is answered with error 10, a missing
// parameter with error 20; then a request that carries a session token
// needs a live session (error 30), and then any departure from the spec is
// error 10. Each refused request is also recorded (see Violations). An
// operation of the spec without a handler of its own is answered with the
// spec's success example.
//
// Login checks the event id (error 1000) and the app code of one of the
// event's app configurations (error 1010) and opens a session whose token
// expires after an idle time (24 hours unless WithIdleTimeout says otherwise)
// or on logout; a request with an unknown or expired token gets error 30.
// Lists answer with the server time as dateTime; guest/list/recent returns
// the guests whose serverUpdateDateTime is at or after sinceDateTime, deleted
// guests included. Times are kept to the second, like the real service.
//
// Error envelopes are answered with HTTP 200 by default; WithHTTPErrors
// switches to 4xx statuses.
package invitariofake

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/specs"
)

// DefaultIdleTimeout is how long an unused session token stays valid.
const DefaultIdleTimeout = 24 * time.Hour

// maxBodyBytes bounds the request bodies the fake reads.
const maxBodyBytes = 1 << 20

// Event is an event the fake serves.
type Event struct {
	ID      string
	Name    string
	Company string
	// Start and End are sent as the server sends them (free text).
	Start, End string
	// Configuration is sent as the login answer's event.configuration.
	Configuration map[string]any
}

// Server is a fake Invitario check-in API. It is safe for concurrent use.
type Server struct {
	now        func() time.Time
	loc        *time.Location
	idle       time.Duration
	httpErrors bool
	router     *oas.Router

	mu         sync.Mutex
	events     map[string]*eventState
	sessions   map[string]*session
	logins     int
	logouts    int
	calls      map[string]int
	violations []error
}

type eventState struct {
	event   Event
	codes   map[string]string // app code -> station name
	guests  map[string]*invitario.Guest
	order   []string
	deleted map[string]bool
}

type session struct {
	eventID  string
	station  string
	lastUsed time.Time
}

// Option configures a Server.
type Option func(*Server)

// WithClock replaces the server's clock.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithIdleTimeout sets how long an unused session token stays valid.
func WithIdleTimeout(d time.Duration) Option { return func(s *Server) { s.idle = d } }

// WithLocation sets the time zone of the times the server sends (default
// UTC).
func WithLocation(loc *time.Location) Option { return func(s *Server) { s.loc = loc } }

// WithHTTPErrors answers error envelopes with HTTP 400 (codes 10 and 20),
// 401 (30), 404 (1000) or 403 (1010) instead of 200.
func WithHTTPErrors(on bool) Option { return func(s *Server) { s.httpErrors = on } }

// New returns an empty fake: add events, app configurations and guests.
func New(opts ...Option) *Server {
	s := &Server{
		now:      time.Now,
		loc:      time.UTC,
		idle:     DefaultIdleTimeout,
		events:   map[string]*eventState{},
		sessions: map[string]*session{},
		calls:    map[string]int{},
	}
	for _, o := range opts {
		o(s)
	}
	r, err := sharedRouter()
	if err != nil {
		panic(fmt.Sprintf("invitariofake: embedded spec: %v", err))
	}
	s.router = r
	return s
}

// sharedRouter parses the embedded spec once; validation only reads it.
var sharedRouter = sync.OnceValues(func() (*oas.Router, error) {
	doc, err := specs.Load(specs.Invitario)
	if err != nil {
		return nil, err
	}
	return oas.NewRouter(doc)
})

// stamp is the server's current time as it is sent: to the second, in the
// server's zone.
func (s *Server) stamp() time.Time { return s.now().Truncate(time.Second).In(s.loc) }

// AddEvent adds (or replaces the details of) an event.
func (s *Server) AddEvent(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ev, ok := s.events[e.ID]; ok {
		ev.event = e
		return
	}
	s.events[e.ID] = &eventState{event: e, codes: map[string]string{},
		guests: map[string]*invitario.Guest{}, deleted: map[string]bool{}}
}

// AddAppConfig adds a check-in app configuration to an event: its app code
// (what clients send as apiKey) and its name (the station name).
func (s *Server) AddAppConfig(eventID, appCode, station string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev, ok := s.events[eventID]
	if !ok {
		return fmt.Errorf("invitariofake: no event %q", eventID)
	}
	ev.codes[appCode] = station
	return nil
}

// AddGuest adds a guest to an event and returns it as stored. An empty Id is
// filled with a new UUID; the update times are set to now. A guest with a
// ParentId is a companion: it is listed in its parent's companions, and the
// parent counts as changed.
func (s *Server) AddGuest(eventID string, g invitario.Guest) (invitario.Guest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev, ok := s.events[eventID]
	if !ok {
		return invitario.Guest{}, fmt.Errorf("invitariofake: no event %q", eventID)
	}
	if g.ID == "" {
		g.ID = newUUID()
	}
	if _, dup := ev.guests[g.ID]; dup {
		return invitario.Guest{}, fmt.Errorf("invitariofake: guest %q exists", g.ID)
	}
	var parent *invitario.Guest
	if g.ParentID != "" {
		if parent = ev.guests[g.ParentID]; parent == nil || ev.deleted[parent.ID] {
			return invitario.Guest{}, fmt.Errorf("invitariofake: no parent guest %q", g.ParentID)
		}
	}
	now := s.stamp()
	if g.AccessCode == "" {
		g.AccessCode = strings.ToUpper(strings.ReplaceAll(g.ID, "-", ""))
		g.AccessCode = g.AccessCode[:min(6, len(g.AccessCode))]
	}
	if g.RegistrationState == "" {
		g.RegistrationState = invitario.RegistrationStateUnknown
	}
	if g.Fields == nil {
		g.Fields = invitario.Fields{}
	}
	if g.Companions == nil {
		g.Companions = []invitario.Companion{}
	}
	g.ClientUpdateDateTime = now
	g.ServerUpdateDateTime = &now
	g.DeleteDateTime = nil
	stored := ev.put(g)
	ev.order = append(ev.order, g.ID)
	if parent != nil {
		p := *parent
		p.Companions = append(append([]invitario.Companion{}, p.Companions...), invitario.Companion{ID: g.ID})
		p.ServerUpdateDateTime = &now
		ev.put(p)
	}
	return clone(*stored), nil
}

// UpdateGuest changes a guest with edit and stamps it as changed now. The
// id, parent and companions cannot be changed this way.
func (s *Server) UpdateGuest(eventID, id string, edit func(*invitario.Guest)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.liveGuest(eventID, id)
	if err != nil {
		return err
	}
	c := clone(*g)
	edit(&c)
	c.ID, c.ParentID, c.Companions, c.DeleteDateTime = g.ID, g.ParentID, g.Companions, nil
	now := s.stamp()
	c.ServerUpdateDateTime = &now
	s.events[eventID].put(c)
	return nil
}

// CheckIn marks a guest as arrived now.
func (s *Server) CheckIn(eventID, id string) error {
	now := s.stamp()
	return s.UpdateGuest(eventID, id, func(g *invitario.Guest) {
		g.CheckInDateTime = &now
		g.CheckOutDateTime = nil
		g.ClientUpdateDateTime = now
	})
}

// DeleteGuest deletes a guest: it stays listed in guest/list/recent with
// deleteDateTime set. Its companions are deleted with it, and a deleted
// companion leaves its parent's companions.
func (s *Server) DeleteGuest(eventID, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.liveGuest(eventID, id)
	if err != nil {
		return err
	}
	ev := s.events[eventID]
	now := s.stamp()
	tombstone := func(g invitario.Guest) {
		g.DeleteDateTime, g.ServerUpdateDateTime = &now, &now
		ev.put(g)
		ev.deleted[g.ID] = true
	}
	for _, c := range g.Companions {
		if cg := ev.guests[c.ID]; cg != nil && !ev.deleted[c.ID] {
			tombstone(*cg)
		}
	}
	tombstone(*g)
	if g.ParentID != "" {
		if p := ev.guests[g.ParentID]; p != nil && !ev.deleted[p.ID] {
			c := *p
			c.Companions = []invitario.Companion{}
			for _, comp := range p.Companions {
				if comp.ID != id {
					c.Companions = append(c.Companions, comp)
				}
			}
			c.ServerUpdateDateTime = &now
			ev.put(c)
		}
	}
	return nil
}

// put stores a deep copy of g. Stored guests are never changed in place,
// only replaced, so a list answer can keep reading the ones it picked after
// the lock is released.
func (ev *eventState) put(g invitario.Guest) *invitario.Guest {
	c := clone(g)
	ev.guests[g.ID] = &c
	return &c
}

func (s *Server) liveGuest(eventID, id string) (*invitario.Guest, error) {
	ev, ok := s.events[eventID]
	if !ok {
		return nil, fmt.Errorf("invitariofake: no event %q", eventID)
	}
	g, ok := ev.guests[id]
	if !ok || ev.deleted[id] {
		return nil, fmt.Errorf("invitariofake: no guest %q", id)
	}
	return g, nil
}

// Guest returns a guest as stored, deleted ones included.
func (s *Server) Guest(eventID, id string) (invitario.Guest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev, ok := s.events[eventID]
	if !ok || ev.guests[id] == nil {
		return invitario.Guest{}, false
	}
	return clone(*ev.guests[id]), true
}

// Guests returns an event's guests that are not deleted, in the order they
// were added.
func (s *Server) Guests(eventID string) []invitario.Guest {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev, ok := s.events[eventID]
	if !ok {
		return nil
	}
	var out []invitario.Guest
	for _, id := range ev.order {
		if !ev.deleted[id] {
			out = append(out, clone(*ev.guests[id]))
		}
	}
	return out
}

// Logins counts successful logins.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Logouts counts successful logouts.
func (s *Server) Logouts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logouts
}

// Calls counts the requests for an operation (login, guestListAll,
// guestListRecent, logout), failed ones included.
func (s *Server) Calls(operationID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[operationID]
}

// Sessions counts the open sessions (expired ones not yet noticed
// included).
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// ExpireSessions ends every session at once, as if each had been idle for
// too long.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.sessions)
}

// Violations returns the requests that did not match the OpenAPI document.
func (s *Server) Violations() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.violations...)
}

// clone deep-copies a guest so stored state never aliases what callers
// hold. A FieldValue is immutable, so copying it is enough.
func clone(g invitario.Guest) invitario.Guest {
	c := g
	c.ServerUpdateDateTime = clonePtr(g.ServerUpdateDateTime)
	c.CheckInDateTime = clonePtr(g.CheckInDateTime)
	c.CheckOutDateTime = clonePtr(g.CheckOutDateTime)
	c.DeleteDateTime = clonePtr(g.DeleteDateTime)
	if g.Fields != nil {
		c.Fields = make(invitario.Fields, len(g.Fields))
		for k, v := range g.Fields {
			c.Fields[k] = v
		}
	}
	if g.Companions != nil {
		c.Companions = append([]invitario.Companion{}, g.Companions...)
	}
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func newToken() string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ServeHTTP answers one API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route, _, err := s.router.FindRoute(r)
	if err != nil {
		status := http.StatusNotFound
		if r.Method != http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/") {
			status = http.StatusMethodNotAllowed
		}
		http.Error(w, http.StatusText(status), status)
		return
	}
	op := route.Operation.OperationID
	s.mu.Lock()
	s.calls[op]++
	s.mu.Unlock()

	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		s.fail(w, 10, "Invalid JSON provided.")
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		s.record(fmt.Errorf("%s: body is not a JSON object: %w", op, err))
		s.fail(w, 10, "Invalid JSON provided.")
		return
	}
	if missing := missingParams(route.Operation, fields); len(missing) > 0 {
		s.record(fmt.Errorf("%s: missing %s", op, strings.Join(missing, ", ")))
		s.fail(w, 20, "Required parameter(s) missing: "+strings.Join(missing, ", "))
		return
	}
	str := func(k string) string {
		var v string
		_ = json.Unmarshal(fields[k], &v)
		return v
	}
	if takesSession(route.Operation) && !s.sessionValid(str("sessionToken")) {
		// The session first, then the spec.
		s.fail(w, 30, "Invalid session token provided.")
		return
	}
	if _, err := oas.ValidateRequest(r.Context(), s.router, r); err != nil {
		s.record(fmt.Errorf("%s: %w", op, err))
		s.fail(w, 10, "Invalid JSON provided.")
		return
	}
	switch op {
	case "login":
		s.login(w, str("eventId"), str("apiKey"), str("stationName"))
	case "logout":
		s.logout(w, str("sessionToken"))
	case "guestListAll":
		s.list(w, str("sessionToken"), nil)
	case "guestListRecent":
		since, err := time.Parse(time.RFC3339Nano, str("sinceDateTime"))
		if err != nil {
			s.fail(w, 10, "Invalid JSON provided.")
			return
		}
		s.list(w, str("sessionToken"), &since)
	default:
		// An operation no stateful handler serves answers with its
		// spec's success example: adding it to the spec is enough.
		status, example, ok := oas.SuccessResponse(route.Operation)
		if !ok {
			s.fail(w, 10, "Operation "+op+" has no success example in the spec.")
			return
		}
		writeJSON(w, status, example)
	}
}

// missingParams lists the properties the operation's request body requires
// (in the spec) that are absent, null or empty in fields.
func missingParams(op *openapi3.Operation, fields map[string]json.RawMessage) []string {
	schema := requestSchema(op)
	if schema == nil {
		return nil
	}
	var missing []string
	for _, k := range schema.Required {
		if v, ok := fields[k]; !ok || string(v) == "null" || string(v) == `""` {
			missing = append(missing, k)
		}
	}
	return missing
}

func (s *Server) record(err error) {
	s.mu.Lock()
	s.violations = append(s.violations, err)
	s.mu.Unlock()
}

func (s *Server) fail(w http.ResponseWriter, code int, message string) {
	status := http.StatusOK
	if s.httpErrors {
		switch code {
		case 30:
			status = http.StatusUnauthorized
		case 1000:
			status = http.StatusNotFound
		case 1010:
			status = http.StatusForbidden
		default:
			status = http.StatusBadRequest
		}
	}
	writeJSON(w, status, invitario.ErrorResponse{
		Status: invitario.ErrorStatusError,
		Errors: []invitario.ErrorItem{{Code: code, Message: message}},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (s *Server) login(w http.ResponseWriter, eventID, appCode, station string) {
	s.mu.Lock()
	ev, ok := s.events[eventID]
	if !ok {
		s.mu.Unlock()
		s.fail(w, 1000, "Event ID not known.")
		return
	}
	if _, ok := ev.codes[appCode]; !ok {
		s.mu.Unlock()
		s.fail(w, 1010, "API key incorrect.")
		return
	}
	tok := newToken()
	s.sessions[tok] = &session{eventID: eventID, station: station, lastUsed: s.now()}
	s.logins++
	e := ev.event
	s.mu.Unlock()

	res := invitario.LoginResult{
		Status:       invitario.SuccessStatusSuccess,
		StationName:  station,
		SessionToken: tok,
		Event:        invitario.Event{ID: e.ID, Name: e.Name},
	}
	if e.Company != "" {
		res.Event.Company = e.Company
	}
	if e.Start != "" {
		res.Event.StartDateTime = e.Start
	}
	if e.End != "" {
		res.Event.EndDateTime = e.End
	}
	conf := map[string]any{}
	for k, v := range e.Configuration {
		conf[k] = v
	}
	res.Event.Configuration = conf
	writeJSON(w, http.StatusOK, res)
}

// useSession checks a token and marks it used; it holds s.mu on success.
// sessionValid reports whether tok is a live session, without counting
// this as a use of it.
func (s *Server) sessionValid(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[tok]
	return ok && s.now().Sub(sess.lastUsed) < s.idle
}

// takesSession reports whether op's request carries a session token (its
// JSON body has a sessionToken property): every operation but login.
func takesSession(op *openapi3.Operation) bool {
	schema := requestSchema(op)
	if schema == nil {
		return false
	}
	_, ok := schema.Properties["sessionToken"]
	return ok
}

// requestSchema is the schema of op's JSON request body, or nil.
func requestSchema(op *openapi3.Operation) *openapi3.Schema {
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

func (s *Server) useSession(tok string) (*session, bool) {
	s.mu.Lock()
	sess, ok := s.sessions[tok]
	if ok && s.now().Sub(sess.lastUsed) >= s.idle {
		delete(s.sessions, tok)
		ok = false
	}
	if !ok {
		s.mu.Unlock()
		return nil, false
	}
	sess.lastUsed = s.now()
	return sess, true
}

func (s *Server) logout(w http.ResponseWriter, tok string) {
	if _, ok := s.useSession(tok); !ok {
		s.fail(w, 30, "Invalid session token provided.")
		return
	}
	delete(s.sessions, tok)
	s.logouts++
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, invitario.LogoutResult{Status: invitario.SuccessStatusSuccess})
}

// list writes the guest list of the session's event, one guest at a time.
func (s *Server) list(w http.ResponseWriter, tok string, since *time.Time) {
	sess, ok := s.useSession(tok)
	if !ok {
		s.fail(w, 30, "Invalid session token provided.")
		return
	}
	ev := s.events[sess.eventID]
	dateTime := s.stamp()
	picked := make([]*invitario.Guest, 0, len(ev.order))
	for _, id := range ev.order {
		g := ev.guests[id]
		switch {
		case since == nil && ev.deleted[id]:
			continue
		case since != nil && (g.ServerUpdateDateTime == nil || g.ServerUpdateDateTime.Before(*since)):
			continue
		}
		picked = append(picked, g) // never changed in place: see put

	}
	s.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	stamp, _ := dateTime.MarshalJSON()
	fmt.Fprintf(w, `{"status":"success","count":%d,"dateTime":%s,"guests":[`, len(picked), stamp)
	for i, g := range picked {
		b, err := json.Marshal(g)
		if err != nil {
			return
		}
		if i > 0 {
			_, _ = w.Write([]byte{','})
		}
		if _, err := w.Write(b); err != nil {
			return
		}
		picked[i] = nil
	}
	_, _ = io.WriteString(w, "]}")
}
