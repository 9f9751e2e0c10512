package invitariofake

import (
	"fmt"

	"github.com/invitekit/invitekit/gen/invitario"
)

// The demo's credentials (see Demo).
const (
	DemoEventID = "1001"
	DemoAppCode = "demo-app-code"
	DemoStation = "Main Entrance"
)

// DemoGuest is one guest of the demo event.
type DemoGuest struct {
	FirstName, LastName, Email, Company string
	CheckedIn                           bool
	// CompanionOf is the email of the guest this one accompanies.
	CompanionOf string
}

// DemoGuests are the guests of the demo event, in the order they are added.
var DemoGuests = []DemoGuest{
	{FirstName: "Alice", LastName: "Anders", Email: "alice@example.com", Company: "Example Corp", CheckedIn: true},
	{FirstName: "Bob", LastName: "Brandt", Email: "bob@example.com", Company: "Example Corp"},
	{FirstName: "Carol", LastName: "Castell", Email: "carol@example.com", Company: "Sample GmbH", CheckedIn: true},
	{FirstName: "Dan", LastName: "Dorn", Email: "dan@example.com", Company: "Sample GmbH"},
	{FirstName: "Erin", LastName: "Engel", Email: "erin@example.com", Company: "Muster AG", CheckedIn: true},
	{FirstName: "Frank", LastName: "Fink", Email: "frank@example.com", Company: "Muster AG"},
	{FirstName: "Grace", LastName: "Gruber", Email: "grace@example.com", Company: "Example Corp"},
	{FirstName: "Heidi", LastName: "Huber", Email: "heidi@example.com", Company: "Beispiel KG", CheckedIn: true},
	{FirstName: "Ivan", LastName: "Iser", Email: "ivan@example.com", Company: "Beispiel KG"},
	{FirstName: "Judy", LastName: "Jung", Email: "judy@example.com", Company: "Sample GmbH"},
	{FirstName: "Mallory", LastName: "Maier", Email: "mallory@example.com", Company: "Muster AG"},
	{FirstName: "Ted", LastName: "Tauber", Email: "ted@example.com", CompanionOf: "bob@example.com"},
}

// Demo returns a fake with one event (DemoEventID, "Invitekit Demo Gala"),
// one app configuration (DemoAppCode, station DemoStation) and the
// DemoGuests, some checked in, Ted as Bob's companion. Options apply as in
// New.
func Demo(opts ...Option) *Server {
	s := New(opts...)
	s.AddEvent(Event{
		ID:      DemoEventID,
		Name:    "Invitekit Demo Gala",
		Company: "Example Corp",
		Start:   "2026-12-04T18:00:00+01:00",
		End:     "2026-12-04T23:30:00+01:00",
		Configuration: map[string]any{
			"checkIn": true, "interactions": false, "maxDevices": 5, "searchMinLength": 2,
		},
	})
	if err := s.AddAppConfig(DemoEventID, DemoAppCode, DemoStation); err != nil {
		panic(err)
	}
	ids := map[string]string{}
	for i, d := range DemoGuests {
		g := invitario.Guest{
			ID:                demoID(i + 1),
			AccessCode:        fmt.Sprintf("DEMO%02d", i+1),
			RegistrationState: invitario.RegistrationStateRegistered,
			Fields: invitario.Fields{
				"firstName": invitario.StringValue(d.FirstName),
				"lastName":  invitario.StringValue(d.LastName),
				"email":     invitario.StringValue(d.Email),
				"company":   invitario.StringValue(d.Company),
			},
		}
		if d.Company == "" {
			g.Fields["company"] = invitario.FieldValue{}
		}
		if d.CompanionOf != "" {
			parent := ids[d.CompanionOf]
			g.ParentID = parent
		}
		stored, err := s.AddGuest(DemoEventID, g)
		if err != nil {
			panic(err)
		}
		ids[d.Email] = stored.ID
		if d.CheckedIn {
			if err := s.CheckIn(DemoEventID, stored.ID); err != nil {
				panic(err)
			}
		}
	}
	return s
}

// demoID returns a fixed UUID for the n-th demo guest.
func demoID(n int) string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
}
