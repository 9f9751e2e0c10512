// Package alidafake is an in-memory fake of the Alida Community API
// operations in specs/alida.yaml, for tests and demos. It keeps communities
// with their communications (open or closed), members and queued
// invitations; checks HTTP Basic or bearer credentials; serves an OAuth2
// client-credentials token endpoint at /oauth2/token; and validates every
// API request against the embedded spec (after its credentials) before
// serving it. An operation of the spec without a handler of its own is
// answered with the spec's success example and status.
package alidafake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/invitekit/invitekit/gen/alida"
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/internal/redact"
	"github.com/invitekit/invitekit/specs"
)

// TokenPath is where the fake serves the OAuth2 token endpoint.
const TokenPath = "/oauth2/token"

// DefaultTokenLifetime is the lifetime of an issued access token unless
// WithTokenLifetime says otherwise.
const DefaultTokenLifetime = time.Hour

const (
	defaultLimit = 20
	apiPrefix    = "/v1/applications/"
)

// Communication is an external invitation of an activity.
type Communication struct {
	ID           uuid.UUID
	Name         string // defaults to "External Invitation"
	ActivityID   uuid.UUID
	ActivityName string
	ActivityLink string
	Title        string
	Description  string
	// ReminderTitle and ReminderDescription fill created reminder events.
	ReminderTitle       string
	ReminderDescription string
	// Open says whether events may be posted for it.
	Open bool
	// EventDate is when the activity opens to members.
	EventDate time.Time
}

// Member is a community member.
type Member struct {
	ID    uuid.UUID
	Email string
}

// Option configures New.
type Option func(*Server)

// WithClock replaces the clock used for token expiry and timestamps.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithTokenLifetime sets the lifetime (expires_in) of issued tokens.
func WithTokenLifetime(d time.Duration) Option { return func(s *Server) { s.lifetime = d } }

type pair struct{ member, communication uuid.UUID }

type queued struct {
	id uuid.UUID
	pair
	at time.Time
}

type community struct {
	communications map[uuid.UUID]*Communication
	members        map[uuid.UUID]*Member
	queue          []queued
	events         []alida.InvitationEvent
	invited        map[pair]bool
	reminded       map[pair]bool
}

// Server is the fake. It is an http.Handler and safe for concurrent use.
type Server struct {
	router   *oas.Router
	panelID  uuid.UUID
	systemID uuid.UUID

	mu            sync.Mutex
	now           func() time.Time
	lifetime      time.Duration
	users         map[string]redact.Secret
	clients       map[string]redact.Secret
	tokens        map[string]time.Time // access token -> expiry
	communities   map[string]*community
	tokenRequests int
	calls         map[string]int
}

// New returns an empty fake.
func New(opts ...Option) *Server {
	doc, err := specs.Load(specs.Alida)
	if err != nil {
		panic(fmt.Sprintf("alidafake: embedded spec: %v", err))
	}
	router, err := oas.NewRouter(doc)
	if err != nil {
		panic(fmt.Sprintf("alidafake: router: %v", err))
	}
	s := &Server{
		router:      router,
		panelID:     uuid.MustParse("9a9e1000-0000-4000-8000-000000000001"),
		systemID:    uuid.MustParse("05e40000-0000-4000-8000-000000000001"),
		now:         time.Now,
		lifetime:    DefaultTokenLifetime,
		users:       map[string]redact.Secret{},
		clients:     map[string]redact.Secret{},
		tokens:      map[string]time.Time{},
		communities: map[string]*community{},
		calls:       map[string]int{},
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// AddUser accepts HTTP Basic credentials.
func (s *Server) AddUser(username, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[username] = redact.Secret(password)
}

// AddClient accepts OAuth2 client credentials at the token endpoint.
func (s *Server) AddClient(clientID, clientSecret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[clientID] = redact.Secret(clientSecret)
}

// AddCommunity creates an empty community with the given API key name.
func (s *Server) AddCommunity(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.communities[name] == nil {
		s.communities[name] = &community{
			communications: map[uuid.UUID]*Communication{},
			members:        map[uuid.UUID]*Member{},
			invited:        map[pair]bool{},
			reminded:       map[pair]bool{},
		}
	}
}

func (s *Server) community(name string) (*community, error) {
	c := s.communities[name]
	if c == nil {
		return nil, fmt.Errorf("alidafake: no community %q", name)
	}
	return c, nil
}

// AddCommunication adds (or replaces) a communication of a community.
func (s *Server) AddCommunication(communityName string, c Communication) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	com, err := s.community(communityName)
	if err != nil {
		return err
	}
	if c.Name == "" {
		c.Name = "External Invitation"
	}
	com.communications[c.ID] = &c
	return nil
}

// SetOpen opens or closes a communication.
func (s *Server) SetOpen(communityName string, communication uuid.UUID, open bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	com, err := s.community(communityName)
	if err != nil {
		return err
	}
	c := com.communications[communication]
	if c == nil {
		return fmt.Errorf("alidafake: no communication %s", communication)
	}
	c.Open = open
	return nil
}

// AddMember adds a member to a community.
func (s *Server) AddMember(communityName string, m Member) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	com, err := s.community(communityName)
	if err != nil {
		return err
	}
	com.members[m.ID] = &m
	return nil
}

// Queue queues a member for an external invitation of a communication, as
// of the fake's current time.
func (s *Server) Queue(communityName string, member, communication uuid.UUID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	com, err := s.community(communityName)
	if err != nil {
		return err
	}
	if com.members[member] == nil {
		return fmt.Errorf("alidafake: no member %s", member)
	}
	if com.communications[communication] == nil {
		return fmt.Errorf("alidafake: no communication %s", communication)
	}
	com.queue = append(com.queue, queued{id: uuid.New(), pair: pair{member, communication}, at: s.now().UTC()})
	return nil
}

// MemberIDByEmail looks a member up by email address (case-insensitive).
func (s *Server) MemberIDByEmail(communityName, email string) (uuid.UUID, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	com := s.communities[communityName]
	if com == nil {
		return uuid.UUID{}, false
	}
	for _, m := range com.members {
		if strings.EqualFold(m.Email, strings.TrimSpace(email)) {
			return m.ID, true
		}
	}
	return uuid.UUID{}, false
}

// Events returns the invitation and reminder events created so far.
func (s *Server) Events(communityName string) []alida.InvitationEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	com := s.communities[communityName]
	if com == nil {
		return nil
	}
	return append([]alida.InvitationEvent(nil), com.events...)
}

// QueuedCount returns how many invitations are queued in a community.
func (s *Server) QueuedCount(communityName string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	com := s.communities[communityName]
	if com == nil {
		return 0
	}
	return len(com.queue)
}

// TokenRequests returns how many tokens the token endpoint has issued.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenRequests
}

// Calls returns how many authenticated, valid requests reached an
// operation.
func (s *Server) Calls(operationID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[operationID]
}

// ServeHTTP serves the token endpoint and the API operations.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == TokenPath {
		s.serveToken(w, r)
		return
	}
	if !strings.HasPrefix(r.URL.Path, apiPrefix) {
		writeError(w, http.StatusNotFound, "Resource not found.", "no such path")
		return
	}
	if !s.authenticated(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="alida"`)
		writeError(w, http.StatusUnauthorized, "Authorization has been denied for this request.", "")
		return
	}
	in, err := oas.ValidateRequest(r.Context(), s.router, r)
	if in == nil {
		writeError(w, http.StatusNotFound, "Resource not found.", err.Error())
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "The request is invalid.", err.Error())
		return
	}
	op := oas.OperationID(in)
	communityName, inCommunity := in.PathParams["communityApiKeyName"]
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[op]++
	com := s.communities[communityName]
	if inCommunity && com == nil {
		writeError(w, http.StatusNotFound, "Community not found.", "unknown community API key name")
		return
	}
	switch op {
	case "createInvitationEvents":
		s.createEvents(w, r, com, false)
	case "createReminderEvents":
		s.createEvents(w, r, com, true)
	case "listQueuedInvitationEvents":
		s.listQueued(w, r, com, in.PathParams["dateUtc"])
	default:
		// An operation no stateful handler serves answers with its
		// spec's success example: adding it to the spec is enough.
		status, example, ok := oas.SuccessResponse(in.Route.Operation)
		if !ok {
			writeError(w, http.StatusNotImplemented, "Not implemented.", "operation "+op+" has no success example in the spec")
			return
		}
		writeJSON(w, status, example)
	}
}

// authenticated checks Basic or bearer credentials.
func (s *Server) authenticated(r *http.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if user, pass, ok := r.BasicAuth(); ok {
		want, known := s.users[user]
		return known && want.Reveal() == pass
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return false
	}
	exp, known := s.tokens[token]
	return known && s.now().Before(exp)
}

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeOAuthError(w, http.StatusMethodNotAllowed, "invalid_request")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		// RFC 6749 2.3.1: the credentials are form-encoded inside Basic.
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	s.mu.Lock()
	want, known := s.clients[id]
	if !known || id == "" || want.Reveal() != secret {
		s.mu.Unlock()
		w.Header().Set("WWW-Authenticate", `Basic realm="alida"`)
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	token := randomToken()
	s.tokens[token] = s.now().Add(s.lifetime)
	s.tokenRequests++
	lifetime := int64(s.lifetime / time.Second)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": token,
		"token_type":   "Bearer",
		"expires_in":   lifetime,
	})
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func writeOAuthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

// writeError answers with Alida's error body.
func writeError(w http.ResponseWriter, status int, message, developerMessage string) {
	body := alida.Error{Status: status, Message: message}
	if developerMessage != "" {
		body.DeveloperMessage = developerMessage
	}
	id := uuid.NewString()
	body.ErrorID = id
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// postedEvent is one item of a POST body (already validated).
type postedEvent struct {
	MemberID        uuid.UUID `json:"memberId"`
	CommunicationID uuid.UUID `json:"communicationId"`
	EventType       string    `json:"eventType"`
}

// createEvents serves both POSTs. The whole request is refused when an item
// names an unknown member or communication, a closed communication, or (for
// reminders) a member already being reminded. Otherwise each item whose
// member is eligible (queued, for invitations; invited and not yet reminded,
// for reminders) creates an event; the others are skipped.
func (s *Server) createEvents(w http.ResponseWriter, r *http.Request, com *community, reminder bool) {
	var items []postedEvent
	if err := json.NewDecoder(r.Body).Decode(&items); err != nil {
		writeError(w, http.StatusBadRequest, "The request is invalid.", err.Error())
		return
	}
	for _, it := range items {
		if com.members[it.MemberID] == nil {
			writeError(w, http.StatusNotFound, "Member not found.", "memberId "+it.MemberID.String()+" is not a member of this community")
			return
		}
		c := com.communications[it.CommunicationID]
		if c == nil {
			writeError(w, http.StatusNotFound, "Communication not found.", "communicationId "+it.CommunicationID.String()+" does not exist")
			return
		}
		if !c.Open {
			writeError(w, http.StatusBadRequest, "You cannot post to a closed invitation.", "communication "+c.ID.String()+" is closed")
			return
		}
		if reminder && it.EventType == "Reminded" && com.reminded[pair{it.MemberID, it.CommunicationID}] {
			writeError(w, http.StatusBadRequest, "The member is already being reminded.", "member "+it.MemberID.String()+" has a reminder for communication "+c.ID.String())
			return
		}
	}
	now := s.now().UTC()
	var created []alida.InvitationEvent
	for _, it := range items {
		p := pair{it.MemberID, it.CommunicationID}
		if reminder {
			if !com.invited[p] || com.reminded[p] {
				continue
			}
			if it.EventType == "Reminded" {
				com.reminded[p] = true
			}
		} else {
			i := com.queueIndex(p)
			if i < 0 {
				continue
			}
			com.queue = append(com.queue[:i], com.queue[i+1:]...)
			if it.EventType == "SurveyInvited" {
				com.invited[p] = true
			}
		}
		ev := s.event(r, com.communications[it.CommunicationID], it.MemberID, uuid.New(), now, reminder)
		ev.EventType = it.EventType
		com.events = append(com.events, ev)
		created = append(created, ev)
	}
	if !strings.EqualFold(r.Header.Get("x-webapi-return-resource"), "true") {
		w.WriteHeader(http.StatusCreated)
		return
	}
	if len(created) > 0 {
		writeJSON(w, http.StatusCreated, created)
		return
	}
	limit, offset, count := defaultLimit, 0, 0
	rels := []string{"first", "prev", "last", "next"}
	links := make([]alida.Link, len(rels))
	for i, rel := range rels {
		links[i] = alida.Link{Rel: rel}
	}
	href := requestURL(r, r.URL.Path, nil)
	writeJSON(w, http.StatusCreated, alida.InvitationEventCollection{
		Meta:  alida.CollectionMeta{Offset: offset, Limit: limit, Count: count},
		Items: []alida.InvitationEvent{},
		Links: links,
		Href:  href,
	})
}

func (c *community) queueIndex(p pair) int {
	for i, q := range c.queue {
		if q.pair == p {
			return i
		}
	}
	return -1
}

// event fills an invitation event from a communication.
func (s *Server) event(r *http.Request, c *Communication, member, id uuid.UUID, at time.Time, reminder bool) alida.InvitationEvent {
	name, title, description := c.Name, c.Title, c.Description
	if reminder {
		name = c.Name + " Reminder"
		if c.ReminderTitle != "" {
			title = c.ReminderTitle
		}
		if c.ReminderDescription != "" {
			description = c.ReminderDescription
		}
	}
	eventDate := c.EventDate
	if eventDate.IsZero() {
		eventDate = at
	}
	live := "Live"
	links := []alida.Link{}
	href := requestURL(r, r.URL.Path, nil)
	return alida.InvitationEvent{
		ID:                id,
		CommunicationID:   c.ID,
		MemberID:          member,
		ActivityID:        c.ActivityID,
		ActivityName:      c.ActivityName,
		CommunicationName: name,
		ActivityLink:      c.ActivityLink,
		Title:             title,
		Description:       description,
		EventDate:         alida.Time{Time: eventDate.UTC()},
		MemberDataSetType: live,
		PanelID:           s.panelID,
		CreateDate:        alida.Time{Time: at},
		LastUpdateDate:    alida.Time{Time: at},
		CreatedBy:         s.systemID,
		LastUpdatedBy:     s.systemID,
		Links:             links,
		Href:              href,
	}
}

// requestURL is an absolute URL on the host the request came to.
func requestURL(r *http.Request, path string, q url.Values) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: r.Host, Path: path, RawQuery: q.Encode()}
	return u.String()
}

var dateLayouts = []string{
	"2006",
	"2006-01-02",
	"2006-01-02T15:04",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	time.RFC3339Nano,
}

func parseAfter(s string) (time.Time, error) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("dateUtc is not a UTC date or date-time")
}

// listQueued pages the queue (oldest first), with first/prev/last/next links
// that carry an href where they apply.
func (s *Server) listQueued(w http.ResponseWriter, r *http.Request, com *community, dateUtc string) {
	after, err := parseAfter(dateUtc)
	if err != nil {
		writeError(w, http.StatusBadRequest, "The request is invalid.", err.Error())
		return
	}
	q := r.URL.Query()
	limit, offset := defaultLimit, 0
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	if v := q.Get("offset"); v != "" {
		offset, _ = strconv.Atoi(v)
	}
	var matches []queued
	for _, e := range com.queue {
		if e.at.After(after) {
			matches = append(matches, e)
		}
	}
	sort.SliceStable(matches, func(i, j int) bool { return matches[i].at.Before(matches[j].at) })
	total := len(matches)
	items := []alida.InvitationEvent{}
	for i := offset; i < total && i < offset+limit; i++ {
		m := matches[i]
		ev := s.event(r, com.communications[m.communication], m.member, m.id, m.at, false)
		items = append(items, ev)
	}
	page := func(off int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("limit", strconv.Itoa(limit))
		v.Set("offset", strconv.Itoa(off))
		return requestURL(r, r.URL.Path, v)
	}
	lastOffset := 0
	if total > 0 {
		lastOffset = (total - 1) / limit * limit
	}
	links := []alida.Link{{Rel: "first", Href: page(0)}, {Rel: "prev"}, {Rel: "last", Href: page(lastOffset)}, {Rel: "next"}}
	if offset > 0 {
		links[1].Href = page(max(0, offset-limit))
	}
	if offset+limit < total {
		links[3].Href = page(offset + limit)
	}
	self := requestURL(r, r.URL.Path, q)
	body := alida.InvitationEventCollection{
		Meta:  alida.CollectionMeta{Offset: offset, Limit: limit, Count: total},
		Items: items,
		Links: links,
		Href:  self,
	}
	if fields := q.Get("fields"); fields != "" {
		writeJSON(w, http.StatusOK, project(body, fields))
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// project keeps only the named fields of each item.
func project(c alida.InvitationEventCollection, fields string) map[string]any {
	keep := map[string]bool{}
	for _, f := range strings.Split(fields, ",") {
		keep[strings.TrimSpace(f)] = true
	}
	items := make([]map[string]any, 0, len(c.Items))
	for _, it := range c.Items {
		raw, _ := json.Marshal(it)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		for k := range m {
			if !keep[k] {
				delete(m, k)
			}
		}
		items = append(items, m)
	}
	return map[string]any{"meta": c.Meta, "items": items, "links": c.Links, "href": c.Href}
}
