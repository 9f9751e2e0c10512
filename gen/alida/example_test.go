package alida_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
	"github.com/invitekit/invitekit/gen/alida"
)

// Report that invitations were sent to two queued members, with OAuth2
// client credentials, against the fake.
func ExampleAPI_ReportInvitations() {
	srv := httptest.NewServer(alidafake.Demo())
	defer srv.Close()

	api, err := alida.New(alidafake.DemoCommunity,
		alida.ClientCredentials(alidafake.DemoClientID, alidafake.DemoClientSecret, ""),
		alida.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	results, err := api.ReportInvitations(context.Background(), []alida.NewInvitationEvent{
		{MemberID: alidafake.DemoMembers["alice@example.com"], CommunicationID: alidafake.DemoOpenCommunication, EventType: alida.InvitationEventTypeSurveyInvited},
		{MemberID: alidafake.DemoMembers["bob@example.com"], CommunicationID: alidafake.DemoOpenCommunication, EventType: alida.InvitationEventTypeUndeliverable},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		fmt.Printf("%d events: %s\n", r.Count, r.Outcome)
		for _, ev := range r.Events {
			fmt.Println(ev.EventType, ev.Title)
		}
	}
	// Output:
	// 2 events: queued with events
	// SurveyInvited Tell us about the launch event
	// Undeliverable Tell us about the launch event
}

// List the members still waiting for an external invitation, page by page.
func ExampleAPI_Queued() {
	srv := httptest.NewServer(alidafake.Demo())
	defer srv.Close()

	api, err := alida.New(alidafake.DemoCommunity,
		alida.BasicAuth(alidafake.DemoUsername, alidafake.DemoPassword),
		alida.WithBaseURL(srv.URL), alida.WithPageSize(3))
	if err != nil {
		fmt.Println(err)
		return
	}
	n := 0
	for ev, err := range api.Queued(context.Background(), time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
		_ = ev.MemberID
	}
	fmt.Println(n, "queued")
	// Output: 4 queued
}
