package ivvyfake

import (
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Invitation responses.
const (
	ResponseYes       = "Y"
	ResponseNo        = "N"
	ResponseUndecided = "U"
)

// Event is an event held by the fake. Zero dates mean "not set"; the Add
// methods fill in what the server would (code, dates, website URL).
type Event struct {
	ID            int64
	Code          string // at most 12 characters; generated when empty
	EventType     int    // 0 Other ... 12 Record Event Details
	Title         string
	Timezone      string // IANA name, e.g. "Australia/Sydney"
	Capacity      int    // 0 = unlimited
	Budget        float64
	CostCenterID  int64
	ContactUserID int64 // primaryContactUserId
	StartDateTime time.Time
	EndDateTime   time.Time
	CurrentStatus int // 0 Draft, 1 Closed, 3 Launched
	ContactName   string
	ContactEmail  string
	Tags          []string
	CreatedDate   time.Time
	ModifiedDate  time.Time
}

// Contact is a contact held by the fake.
type Contact struct {
	ID           int64
	FirstName    string
	LastName     string
	Email        string
	Phone        string
	Status       int // email status: 1 Subscribed ... 5 No Marketing
	SMSStatus    int // 1 Subscribed ... 4 No Marketing
	ExternalID   string
	Companies    []Company
	Groups       []int64
	CustomFields []CustomField
	ExternalURLs []ExternalURL
	CreatedDate  time.Time
	ModifiedDate time.Time
}

// Company is a company a contact belongs to.
type Company struct {
	ID           int64
	BusinessName string
}

// CustomField is a contact custom field value.
type CustomField struct {
	FieldID     int64
	DisplayName string
	Value       string
}

// ExternalURL is a link from a contact to another system.
type ExternalURL struct {
	Ref   string
	URL   string
	Label string
}

// Invitation is a contact's invitation to an event.
type Invitation struct {
	EventID        int64
	ContactID      int64
	Response       string // ResponseYes, ResponseNo or ResponseUndecided
	RegistrationID int64  // 0 when the contact has not registered
	CreatedDate    time.Time
	ModifiedDate   time.Time
}

// Registration is a registration (booking) for an event.
type Registration struct {
	ID               int64
	EventID          int64
	MainContactID    int64
	CurrentStatus    int // 1 In Progress, 2 Completed, 3 Cancelled, 4 Payment Waiting
	IsExhibitor      bool
	FirstName        string
	LastName         string
	Phone            string
	InvoiceTotalCost float64
	InvoiceTotalPaid float64
	CompletedDate    time.Time
	CreatedDate      time.Time
	ModifiedDate     time.Time
}

// Attendee is a person attending an event under a registration.
type Attendee struct {
	ID             int64
	EventID        int64
	RegistrationID int64
	ContactID      int64
	TicketTitle    string
	FirstName      string
	LastName       string
	Email          string
	Phone          string
	IsPublic       bool
	HasAttended    bool
	AttendedDate   time.Time
	Cost           float64
	SessionIDs     []int64
	CreatedDate    time.Time
	ModifiedDate   time.Time
}

// Session is a session in an event's agenda.
type Session struct {
	ID           int64
	EventID      int64
	Name         string
	Description  string
	StartDate    time.Time
	EndDate      time.Time
	RoomID       int64
	IsOptional   bool
	MaxCapacity  int
	CostAmount   float64
	SpeakerIDs   []int64
	CreatedDate  time.Time
	ModifiedDate time.Time
}

// Sponsor is an event sponsor.
type Sponsor struct {
	ID             int64
	EventID        int64
	Name           string
	Description    string
	WebsiteAddress string
	LogoImageURL   string
	Level          int
	Amount         float64
	AmountPaid     float64
}

// Speaker is an event speaker.
type Speaker struct {
	ID                 int64
	EventID            int64
	FullName           string
	Organisation       string
	Position           string
	ProfileDescription string
	ProfileImageURL    string
}

// state is the fake's data. Every access holds Server.mu.
type state struct {
	events        map[int64]*Event
	contacts      map[int64]*Contact
	invitations   map[invKey]*Invitation
	registrations map[int64]*Registration
	attendees     map[int64]*Attendee
	sessions      map[int64]*Session
	sponsors      map[int64]*Sponsor
	speakers      map[int64]*Speaker
	batches       map[string]*batch
	companies     map[int64]string
	groups        map[int64]*SubscriptionGroup
	documents     map[int64]int64 // booking document number to its latest version
	uploads       []Upload
	tokens        int
	next          map[string]int64
}

type invKey struct{ event, contact int64 }

func (st *state) init() {
	st.events = map[int64]*Event{}
	st.contacts = map[int64]*Contact{}
	st.invitations = map[invKey]*Invitation{}
	st.registrations = map[int64]*Registration{}
	st.attendees = map[int64]*Attendee{}
	st.sessions = map[int64]*Session{}
	st.sponsors = map[int64]*Sponsor{}
	st.speakers = map[int64]*Speaker{}
	st.batches = map[string]*batch{}
	st.companies = map[int64]string{}
	st.groups = map[int64]*SubscriptionGroup{}
	st.documents = map[int64]int64{}
	st.next = map[string]int64{}
}

// id returns id when it is set (and moves the kind's counter past it), or
// the kind's next id.
func (st *state) id(kind string, id int64) int64 {
	if id <= 0 {
		id = st.next[kind] + 1
	}
	if id > st.next[kind] {
		st.next[kind] = id
	}
	return id
}

// sortedIDs returns the keys of m in increasing order.
func sortedIDs[T any](m map[int64]T) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// orZero returns t, or def when t is zero.
func orZero(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	return t.UTC().Truncate(time.Second)
}

// AddEvent stores an event and returns its id (e.ID when set, else the next
// free id). The code, created and modified dates are filled in when empty.
func (s *Server) AddEvent(e Event) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	e.ID = s.st.id("event", e.ID)
	if e.Code == "" {
		e.Code = fmt.Sprintf("EV%06d", e.ID)
	}
	e.CreatedDate = orZero(e.CreatedDate, now)
	e.ModifiedDate = orZero(e.ModifiedDate, now)
	e.Tags = slices.Clone(e.Tags)
	s.st.events[e.ID] = &e
	return e.ID
}

// AddContact stores a contact and returns its id.
func (s *Server) AddContact(c Contact) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	c.ID = s.st.id("contact", c.ID)
	c.CreatedDate = orZero(c.CreatedDate, now)
	c.ModifiedDate = orZero(c.ModifiedDate, now)
	if c.Status == 0 {
		c.Status = 1
	}
	if c.SMSStatus == 0 {
		c.SMSStatus = 1
	}
	c.Companies = slices.Clone(c.Companies)
	for _, co := range c.Companies {
		s.st.companies[co.ID] = co.BusinessName
	}
	c.Groups = slices.Clone(c.Groups)
	c.CustomFields = slices.Clone(c.CustomFields)
	c.ExternalURLs = slices.Clone(c.ExternalURLs)
	s.st.contacts[c.ID] = &c
	return c.ID
}

// AddInvitation records an invitation (replacing any invitation of the
// contact to the event). An empty Response means undecided. It fails when
// the event or contact is unknown or the response is not Y, N or U.
func (s *Server) AddInvitation(inv Invitation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if inv.Response == "" {
		inv.Response = ResponseUndecided
	}
	if !validResponse(inv.Response) {
		return fmt.Errorf("ivvyfake: invitation response %q is not Y, N or U", inv.Response)
	}
	if s.st.events[inv.EventID] == nil {
		return fmt.Errorf("ivvyfake: no event %d", inv.EventID)
	}
	if s.st.contacts[inv.ContactID] == nil {
		return fmt.Errorf("ivvyfake: no contact %d", inv.ContactID)
	}
	now := s.clock()
	inv.CreatedDate = orZero(inv.CreatedDate, now)
	inv.ModifiedDate = orZero(inv.ModifiedDate, now)
	s.st.invitations[invKey{inv.EventID, inv.ContactID}] = &inv
	return nil
}

// Respond sets a contact's answer to an invitation, as following an invite
// link would. It fails when there is no such invitation.
func (s *Server) Respond(eventID, contactID int64, response string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !validResponse(response) {
		return fmt.Errorf("ivvyfake: invitation response %q is not Y, N or U", response)
	}
	inv := s.st.invitations[invKey{eventID, contactID}]
	if inv == nil {
		return fmt.Errorf("ivvyfake: contact %d is not invited to event %d", contactID, eventID)
	}
	inv.Response = response
	inv.ModifiedDate = s.clock()
	return nil
}

func validResponse(r string) bool {
	return r == ResponseYes || r == ResponseNo || r == ResponseUndecided
}

// AddRegistration stores a registration and returns its id. When the main
// contact was invited to the event, the invitation is linked to it.
func (s *Server) AddRegistration(r Registration) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	r.ID = s.st.id("registration", r.ID)
	r.CreatedDate = orZero(r.CreatedDate, now)
	r.ModifiedDate = orZero(r.ModifiedDate, now)
	if r.CurrentStatus == 0 {
		r.CurrentStatus = 2
	}
	if c := s.st.contacts[r.MainContactID]; c != nil {
		if r.FirstName == "" && r.LastName == "" {
			r.FirstName, r.LastName = c.FirstName, c.LastName
		}
		if r.Phone == "" {
			r.Phone = c.Phone
		}
	}
	if inv := s.st.invitations[invKey{r.EventID, r.MainContactID}]; inv != nil && inv.RegistrationID == 0 {
		inv.RegistrationID = r.ID
	}
	s.st.registrations[r.ID] = &r
	return r.ID
}

// AddAttendee stores an attendee and returns its id. Names and email are
// taken from the contact when empty.
func (s *Server) AddAttendee(a Attendee) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	a.ID = s.st.id("attendee", a.ID)
	a.CreatedDate = orZero(a.CreatedDate, now)
	a.ModifiedDate = orZero(a.ModifiedDate, now)
	if c := s.st.contacts[a.ContactID]; c != nil {
		if a.FirstName == "" && a.LastName == "" {
			a.FirstName, a.LastName = c.FirstName, c.LastName
		}
		if a.Email == "" {
			a.Email = c.Email
		}
		if a.Phone == "" {
			a.Phone = c.Phone
		}
	}
	a.SessionIDs = slices.Clone(a.SessionIDs)
	s.st.attendees[a.ID] = &a
	return a.ID
}

// AddSession stores an agenda session and returns its id.
func (s *Server) AddSession(x Session) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	x.ID = s.st.id("session", x.ID)
	x.CreatedDate = orZero(x.CreatedDate, now)
	x.ModifiedDate = orZero(x.ModifiedDate, now)
	x.SpeakerIDs = slices.Clone(x.SpeakerIDs)
	s.st.sessions[x.ID] = &x
	return x.ID
}

// AddSponsor stores an event sponsor and returns its id.
func (s *Server) AddSponsor(x Sponsor) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	x.ID = s.st.id("sponsor", x.ID)
	s.st.sponsors[x.ID] = &x
	return x.ID
}

// AddSpeaker stores an event speaker and returns its id.
func (s *Server) AddSpeaker(x Speaker) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	x.ID = s.st.id("speaker", x.ID)
	s.st.speakers[x.ID] = &x
	return x.ID
}

// Invitations returns the invitations to an event, ordered by contact id.
func (s *Server) Invitations(eventID int64) []Invitation {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Invitation
	for _, inv := range s.st.invitations {
		if inv.EventID == eventID {
			out = append(out, *inv)
		}
	}
	slices.SortFunc(out, func(a, b Invitation) int { return cmp.Compare(a.ContactID, b.ContactID) })
	return out
}

// Event returns a copy of the stored event.
func (s *Server) Event(id int64) (Event, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.st.events[id]
	if e == nil {
		return Event{}, false
	}
	out := *e
	out.Tags = slices.Clone(e.Tags)
	return out, true
}

// Contact returns a copy of the stored contact.
func (s *Server) Contact(id int64) (Contact, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.contacts[id]
	if c == nil {
		return Contact{}, false
	}
	out := *c
	out.Companies = slices.Clone(c.Companies)
	out.Groups = slices.Clone(c.Groups)
	out.CustomFields = slices.Clone(c.CustomFields)
	out.ExternalURLs = slices.Clone(c.ExternalURLs)
	return out, true
}

// ContactIDs returns the ids of all contacts in increasing order.
func (s *Server) ContactIDs() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sortedIDs(s.st.contacts)
}

// inviteLinks returns the accept and decline links of an invitation.
func inviteLinks(base string, e *Event, contactID int64) (yes, no string) {
	sum := sha1.Sum(fmt.Appendf(nil, "%d:%d:%s", e.ID, contactID, e.Code))
	token := hex.EncodeToString(sum[:8])
	prefix := fmt.Sprintf("%s/event/%s/invitation/%s?contact=%d&response=", strings.TrimRight(base, "/"), e.Code, token, contactID)
	return prefix + "yes", prefix + "no"
}

// numRegistered counts an event's registrations that are not cancelled.
func (st *state) numRegistered(eventID int64) int {
	n := 0
	for _, r := range st.registrations {
		if r.EventID == eventID && r.CurrentStatus != 3 {
			n++
		}
	}
	return n
}
