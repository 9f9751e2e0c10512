package alidafake

import (
	"time"

	"github.com/google/uuid"
)

// Demo data and credentials.
const (
	DemoCommunity    = "demo-community"
	DemoUsername     = "demo-user"
	DemoPassword     = "demo-password"
	DemoClientID     = "demo-client"
	DemoClientSecret = "demo-client-secret"
)

// Demo communications: one open, one closed.
var (
	DemoOpenCommunication   = uuid.MustParse("c0de0001-0000-4000-8000-000000000001")
	DemoClosedCommunication = uuid.MustParse("c0de0002-0000-4000-8000-000000000002")
)

// DemoMembers are the demo community's members, keyed by email. All four are
// queued for the open communication.
var DemoMembers = map[string]uuid.UUID{
	"alice@example.com": uuid.MustParse("11111111-1111-4111-8111-111111111111"),
	"bob@example.com":   uuid.MustParse("22222222-2222-4222-8222-222222222222"),
	"carol@example.com": uuid.MustParse("33333333-3333-4333-8333-333333333333"),
	"dave@example.com":  uuid.MustParse("44444444-4444-4444-8444-444444444444"),
}

// Demo returns a fake with the demo community: Basic user demo-user /
// demo-password, OAuth2 client demo-client / demo-client-secret, an open
// and a closed communication, and the four DemoMembers queued for the open
// one.
func Demo(opts ...Option) *Server {
	s := New(opts...)
	s.AddUser(DemoUsername, DemoPassword)
	s.AddClient(DemoClientID, DemoClientSecret)
	s.AddCommunity(DemoCommunity)
	opens := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	activity := uuid.MustParse("ac710000-0000-4000-8000-000000000001")
	must(s.AddCommunication(DemoCommunity, Communication{
		ID:                  DemoOpenCommunication,
		ActivityID:          activity,
		ActivityName:        "Launch event feedback",
		ActivityLink:        "https://demo-community.example.com/a/launch-feedback",
		Title:               "Tell us about the launch event",
		Description:         "Thank you for coming. Five questions, two minutes.",
		ReminderTitle:       "Reminder: tell us about the launch event",
		ReminderDescription: "There is still time to share your thoughts.",
		Open:                true,
		EventDate:           opens,
	}))
	must(s.AddCommunication(DemoCommunity, Communication{
		ID:           DemoClosedCommunication,
		ActivityID:   uuid.MustParse("ac710000-0000-4000-8000-000000000002"),
		ActivityName: "Last year's survey",
		ActivityLink: "https://demo-community.example.com/a/last-year",
		Title:        "Last year's survey",
		Description:  "This survey has closed.",
		Open:         false,
		EventDate:    opens.AddDate(-1, 0, 0),
	}))
	for _, email := range []string{"alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"} {
		id := DemoMembers[email]
		must(s.AddMember(DemoCommunity, Member{ID: id, Email: email}))
		must(s.Queue(DemoCommunity, id, DemoOpenCommunication))
	}
	return s
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
