package ivvyfake

import (
	"fmt"
	"strings"
	"time"
)

// Demo credentials accepted by the server Demo returns.
const (
	DemoKey    = "demo-key"
	DemoSecret = "demo-secret"
)

// Demo returns a server with the demo key pair (DemoKey, DemoSecret) and
// demo data:
//
//   - events 1 "Product Launch 2026" (launched), 2 "Partner Summit 2026"
//     (launched) and 3 "Winter Gala" (draft);
//   - contacts 1 to 25, among them alice@, bob@, carol@ and dave@example.com
//     (ids 1 to 4);
//   - invitations to event 1 for contacts 1 (Y), 2 (N), 3 (U), 5 (Y) and
//     6 (U), and to event 2 for contacts 1 (U) and 4 (Y);
//   - registrations and attendees for the accepted invitations, two
//     sessions, two sponsors and two speakers for event 1, one speaker for
//     event 2 (event 2 has no sponsors, event 3 neither sponsors nor
//     speakers);
//   - subscription groups 10 "Newsletter", which every demo contact is
//     in, and 11 "VIP", empty.
//
// Further options (a clock, a page cap, more keys) apply as for New. The
// seeded records carry fixed dates in early 2026.
func Demo(opts ...Option) *Server {
	s := New(append([]Option{WithKey(DemoKey, DemoSecret)}, opts...)...)
	day := func(month time.Month, d, h, m int) time.Time {
		return time.Date(2026, month, d, h, m, 0, 0, time.UTC)
	}
	seeded := day(time.January, 5, 9, 0)

	launch := s.AddEvent(Event{
		Code: "LAUNCH26", EventType: 12, Title: "Product Launch 2026", Timezone: "Australia/Sydney",
		Capacity: 200, Budget: 25000, StartDateTime: day(time.March, 10, 22, 0), EndDateTime: day(time.March, 11, 6, 0),
		CurrentStatus: 3, ContactName: "Events Team", ContactEmail: "events@example.com", Tags: []string{"launch", "product"},
		CreatedDate: seeded, ModifiedDate: seeded,
	})
	summit := s.AddEvent(Event{
		Code: "SUMMIT26", EventType: 12, Title: "Partner Summit 2026", Timezone: "America/Los_Angeles",
		Capacity: 80, StartDateTime: day(time.May, 20, 16, 0), EndDateTime: day(time.May, 22, 0, 0),
		CurrentStatus: 3, ContactName: "Partner Office", ContactEmail: "partners@example.com", Tags: []string{"partners"},
		CreatedDate: seeded, ModifiedDate: seeded.Add(time.Hour),
	})
	s.AddEvent(Event{
		Code: "GALA26", EventType: 12, Title: "Winter Gala", Timezone: "Europe/London",
		StartDateTime: day(time.December, 12, 18, 0), EndDateTime: day(time.December, 12, 23, 30),
		CurrentStatus: 0, CreatedDate: seeded, ModifiedDate: seeded.Add(2 * time.Hour),
	})

	newsletter := s.AddSubscriptionGroup(SubscriptionGroup{ID: 10, Name: "Newsletter", TagColour: "#1E88E5"})
	s.AddSubscriptionGroup(SubscriptionGroup{ID: 11, Name: "VIP"})

	first := []string{"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy",
		"Mallory", "Niaj", "Olivia", "Peggy", "Quentin", "Rupert", "Sybil", "Trent", "Uma", "Victor",
		"Walter", "Xena", "Yusuf", "Zoe", "Oscar"}
	last := []string{"Anderson", "Brown", "Chen", "Davis", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jones",
		"Khan", "Lopez", "Martin", "Nguyen", "Okafor", "Patel", "Quinn", "Rossi", "Singh", "Taylor",
		"Ueda", "Varga", "Walsh", "Young", "Zimmer"}
	companies := []Company{{ID: 4, BusinessName: "Acme Pty Ltd"}, {ID: 5, BusinessName: "Globex Corporation"}, {ID: 6, BusinessName: "Initech"}}
	for i := range first {
		ct := Contact{
			FirstName:    first[i],
			LastName:     last[i],
			Email:        strings.ToLower(first[i]) + "@example.com",
			Phone:        fmt.Sprintf("+61 400 000 %03d", i+1),
			Companies:    []Company{companies[i%len(companies)]},
			Groups:       []int64{newsletter},
			CreatedDate:  seeded.Add(time.Duration(i) * time.Minute),
			ModifiedDate: seeded.Add(time.Duration(i) * 24 * time.Hour),
		}
		if i%5 == 0 {
			ct.ExternalID = fmt.Sprintf("CRM-%04d", i+1)
		}
		if i == 24 {
			ct.Status = 2 // unsubscribed
		}
		s.AddContact(ct)
	}

	invited := day(time.February, 1, 0, 0)
	for _, inv := range []Invitation{
		{EventID: launch, ContactID: 1, Response: ResponseYes},
		{EventID: launch, ContactID: 2, Response: ResponseNo},
		{EventID: launch, ContactID: 3, Response: ResponseUndecided},
		{EventID: launch, ContactID: 5, Response: ResponseYes},
		{EventID: launch, ContactID: 6, Response: ResponseUndecided},
		{EventID: summit, ContactID: 1, Response: ResponseUndecided},
		{EventID: summit, ContactID: 4, Response: ResponseYes},
	} {
		inv.CreatedDate, inv.ModifiedDate = invited, invited.Add(time.Duration(inv.ContactID)*time.Hour)
		if err := s.AddInvitation(inv); err != nil {
			panic(err) // the demo data is fixed; this cannot happen
		}
	}

	keynote := s.AddSession(Session{EventID: launch, Name: "Keynote", StartDate: day(time.March, 10, 22, 0), EndDate: day(time.March, 10, 23, 0),
		MaxCapacity: 200, CreatedDate: seeded, ModifiedDate: seeded})
	workshop := s.AddSession(Session{EventID: launch, Name: "Hands-on Workshop", Description: "<p>Bring a laptop.</p>", RoomID: 2,
		StartDate: day(time.March, 11, 0, 0), EndDate: day(time.March, 11, 2, 0), IsOptional: true, MaxCapacity: 30, CostAmount: 49,
		CreatedDate: seeded, ModifiedDate: seeded})
	speaker1 := s.AddSpeaker(Speaker{EventID: launch, FullName: "Priya Raman", Organisation: "Acme Pty Ltd", Position: "Chief Product Officer",
		ProfileDescription: "Leads product at Acme."})
	speaker2 := s.AddSpeaker(Speaker{EventID: launch, FullName: "Tom Becker", Organisation: "Initech", Position: "Engineering Lead"})
	s.AddSpeaker(Speaker{EventID: summit, FullName: "Lena Ortiz", Organisation: "Globex Corporation", Position: "Partner Director"})
	s.mu.Lock()
	s.st.sessions[keynote].SpeakerIDs = []int64{speaker1}
	s.st.sessions[workshop].SpeakerIDs = []int64{speaker2}
	s.mu.Unlock()
	s.AddSponsor(Sponsor{EventID: launch, Name: "Globex Corporation", Description: "Gold sponsor", WebsiteAddress: "www.globex.example",
		LogoImageURL: "https://cdn.example.com/logos/globex.png", Level: 9, Amount: 5000, AmountPaid: 2500})
	s.AddSponsor(Sponsor{EventID: launch, Name: "Initech", Description: "Coffee cart", WebsiteAddress: "www.initech.example",
		Level: 3, Amount: 750, AmountPaid: 750})

	registered := day(time.February, 3, 10, 30)
	reg1 := s.AddRegistration(Registration{EventID: launch, MainContactID: 1, CurrentStatus: 2, InvoiceTotalCost: 98, InvoiceTotalPaid: 98,
		CompletedDate: registered, CreatedDate: registered, ModifiedDate: registered})
	reg2 := s.AddRegistration(Registration{EventID: launch, MainContactID: 5, CurrentStatus: 4, InvoiceTotalCost: 49,
		CreatedDate: registered.Add(time.Hour), ModifiedDate: registered.Add(time.Hour)})
	reg3 := s.AddRegistration(Registration{EventID: summit, MainContactID: 4, CurrentStatus: 2,
		CompletedDate: registered, CreatedDate: registered, ModifiedDate: registered})
	s.AddAttendee(Attendee{EventID: launch, RegistrationID: reg1, ContactID: 1, TicketTitle: "General Admission", Cost: 49,
		SessionIDs: []int64{keynote, workshop}, CreatedDate: registered, ModifiedDate: registered})
	s.AddAttendee(Attendee{EventID: launch, RegistrationID: reg1, ContactID: 7, TicketTitle: "Guest", Cost: 49,
		SessionIDs: []int64{keynote}, CreatedDate: registered, ModifiedDate: registered})
	s.AddAttendee(Attendee{EventID: launch, RegistrationID: reg2, ContactID: 5, TicketTitle: "General Admission", Cost: 49,
		SessionIDs: []int64{keynote}, CreatedDate: registered.Add(time.Hour), ModifiedDate: registered.Add(time.Hour)})
	s.AddAttendee(Attendee{EventID: summit, RegistrationID: reg3, ContactID: 4, TicketTitle: "Partner", IsPublic: true,
		CreatedDate: registered, ModifiedDate: registered})
	return s
}
