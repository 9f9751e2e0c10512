package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/invitekit/invitekit/fake"
	"github.com/invitekit/invitekit/gen/alida"
	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/gen/ivvy"
)

func init() {
	add(command{Name: "demo", Summary: "run the whole invitation flow against in-process fakes",
		Env: []string{},
		Description: `Starts the fakes of all three APIs inside the process (nothing leaves the machine, no settings
are read) and walks through an invitation flow, printing each step:
  1. iVvy: a signed ping; contacts 1-6 and an unknown one invited to event 1 in chunks of 3;
     the invited contacts and their responses.
  2. Invitario: the full guest list, a guest checking in at the door, and an incremental sync
     that sees only that change.
  3. Alida: an invitation event reported for each checked-in guest who is a community member
     (matched by email), over OAuth2.
It ends with a summary of the three steps.`,
		Example: "invitekit demo", Run: runDemo})
}

// demoEvent is the fake iVvy event the demo invites to.
const demoEvent = 1

// demoSummary collects what each step did, for the closing summary.
type demoSummary struct {
	invited, invitedOf  int
	guests, checkedIn   int
	changed, deleted    int
	reported, unmatched int
	outcome             string
	invitedResponses    map[string]int
}

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	set := fake.Demo()
	srv := httptest.NewServer(set.Handler())
	defer srv.Close()
	fmt.Fprintf(e.Stdout, "invitekit demo against in-process fakes of iVvy, Invitario and Alida at %s\n", srv.URL)

	sum := &demoSummary{invitedResponses: map[string]int{}}
	if err := demoIvvy(ctx, e, srv.URL, sum); err != nil {
		return fmt.Errorf("step iVvy: %w", err)
	}
	checkedIn, err := demoInvitario(ctx, e, set, srv.URL, sum)
	if err != nil {
		return fmt.Errorf("step Invitario: %w", err)
	}
	if err := demoAlida(ctx, e, set, srv.URL, checkedIn, sum); err != nil {
		return fmt.Errorf("step Alida: %w", err)
	}

	section(e, "summary")
	fmt.Fprintf(e.Stdout, "iVvy:      %d of %d contacts invited to event %d; responses so far: %d yes, %d no, %d undecided\n",
		sum.invited, sum.invitedOf, demoEvent, sum.invitedResponses["yes"], sum.invitedResponses["no"], sum.invitedResponses["undecided"])
	fmt.Fprintf(e.Stdout, "Invitario: %d guests synced, %d checked in; the incremental sync saw %d changed and %d deleted\n",
		sum.guests, sum.checkedIn, sum.changed, sum.deleted)
	fmt.Fprintf(e.Stdout, "Alida:     %d invitation events reported for checked-in guests (%s); %d checked-in guests are not community members\n",
		sum.reported, sum.outcome, sum.unmatched)
	return nil
}

func demoIvvy(ctx context.Context, e *env, base string, sum *demoSummary) error {
	section(e, "iVvy: ping")
	c, err := ivvy.New(fake.IvvyKey, fake.IvvySecret, ivvy.WithBaseURL(base))
	if err != nil {
		return err
	}
	pong, err := c.Ping(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "signed ping accepted; server time %s\n", pong.Ack)

	section(e, fmt.Sprintf("iVvy: invite contacts 1-6 and 999 (unknown) to event %d", demoEvent))
	res, err := c.InviteMany(ctx, demoEvent, []int64{1, 2, 3, 4, 5, 6, 999}, ivvy.WithChunkSize(3))
	if err != nil {
		return err
	}
	for _, o := range res.Outcomes {
		status := "invited"
		if !o.Invited {
			status = "NOT invited"
		}
		fmt.Fprintf(e.Stdout, "  contact %-4d %s\n", o.ContactID, status)
	}
	fmt.Fprintf(e.Stdout, "%d of %d invited in %d calls\n", res.Invited(), len(res.Outcomes), res.Calls)
	sum.invited, sum.invitedOf = res.Invited(), len(res.Outcomes)

	section(e, fmt.Sprintf("iVvy: who is invited to event %d, and their responses", demoEvent))
	for ic, err := range c.InvitedContacts(ctx, ivvy.GetInvitedContactListRequest{EventID: demoEvent}) {
		if err != nil {
			return err
		}
		sum.invitedResponses[responseStr(ic.Response)]++
		fmt.Fprintf(e.Stdout, "  %-4d %-24s %s\n", ic.ContactID, strings.TrimSpace(ic.FirstName+" "+ic.LastName), describeResponse(ic.Response))
	}
	return nil
}

// demoInvitario syncs the guest list twice around a check-in at the door and
// returns the emails of the checked-in guests.
func demoInvitario(ctx context.Context, e *env, set *fake.Set, base string, sum *demoSummary) ([]string, error) {
	section(e, "Invitario: full guest list (first sync)")
	api, err := invitario.New(invitario.Credentials{
		EventID: fake.InvitarioEventID, AppCode: invitario.Secret(fake.InvitarioAppCode), Station: fake.InvitarioStation,
	}, invitario.WithBaseURL(base))
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := api.Close(context.WithoutCancel(ctx)); err != nil {
			diag(e.Stderr, "Invitario logout: %v", err)
		}
	}()
	first, err := api.Sync(ctx, invitario.Cursor{})
	if err != nil {
		return nil, err
	}
	// The guest list as the demo knows it: the latest version of each guest.
	latest := map[string]invitario.Guest{}
	var order []string
	keep := func(gs []invitario.Guest) {
		for _, g := range gs {
			if _, ok := latest[g.ID]; !ok {
				order = append(order, g.ID)
			}
			latest[g.ID] = g
		}
	}
	keep(first.Changed)
	fmt.Fprintf(e.Stdout, "%d guests, %d checked in\n", len(first.Changed), len(checkedInEmails(order, latest)))

	// Someone arrives at the door: check a guest in on the fake, then sync again.
	var arriving invitario.Guest
	for _, g := range first.Changed {
		if g.CheckInDateTime == nil && g.ParentID == "" {
			arriving = g
			break
		}
	}
	if err := set.Invitario.CheckIn(fake.InvitarioEventID, arriving.ID); err != nil {
		return nil, err
	}
	section(e, fmt.Sprintf("Invitario: %s checks in at the door; incremental sync", arriving.Fields.Text("email")))
	next, err := api.Sync(ctx, first.Next)
	if err != nil {
		return nil, err
	}
	for _, g := range next.Changed {
		fmt.Fprintf(e.Stdout, "  changed: %s %s <%s> checked in: %v\n", g.Fields.Text("firstName"), g.Fields.Text("lastName"), g.Fields.Text("email"), g.CheckInDateTime != nil)
	}
	keep(next.Changed)
	for _, g := range next.Deleted {
		fmt.Fprintf(e.Stdout, "  deleted: %s\n", g.ID)
		delete(latest, g.ID)
	}
	emails := checkedInEmails(order, latest)
	sum.guests, sum.checkedIn = len(first.Changed), len(emails)
	sum.changed, sum.deleted = len(next.Changed), len(next.Deleted)
	fmt.Fprintf(e.Stdout, "checked in now: %s\n", strings.Join(emails, ", "))
	return emails, nil
}

// checkedInEmails lists, in order, the emails of the checked-in guests.
func checkedInEmails(order []string, latest map[string]invitario.Guest) []string {
	var emails []string
	for _, id := range order {
		if g, ok := latest[id]; ok && g.CheckInDateTime != nil {
			emails = append(emails, strings.ToLower(g.Fields.Text("email")))
		}
	}
	return emails
}

// demoAlida reports an invitation event for every checked-in guest who is a
// member of the Alida community (matched by email).
func demoAlida(ctx context.Context, e *env, set *fake.Set, base string, emails []string, sum *demoSummary) error {
	section(e, "Alida: report invitation events for checked-in guests who are community members")
	api, err := alida.New(fake.AlidaCommunity,
		alida.ClientCredentials(fake.AlidaClientID, fake.AlidaClientSecret, base+fake.AlidaTokenPath),
		alida.WithBaseURL(base))
	if err != nil {
		return err
	}
	communication := fake.AlidaOpenCommunication()
	var events []alida.NewInvitationEvent
	for _, email := range emails {
		member, ok := set.Alida.MemberIDByEmail(fake.AlidaCommunity, email)
		if !ok {
			fmt.Fprintf(e.Stdout, "  %s: not a community member, skipped\n", email)
			sum.unmatched++
			continue
		}
		fmt.Fprintf(e.Stdout, "  %s: member %s\n", email, member)
		events = append(events, alida.NewInvitationEvent{MemberID: member, CommunicationID: communication, EventType: alida.InvitationEventTypeSurveyInvited})
	}
	if len(events) == 0 {
		sum.outcome = "none to report"
		return nil
	}
	results, err := api.ReportInvitations(ctx, events)
	if err != nil {
		return err
	}
	for _, r := range results {
		switch r.Outcome {
		case alida.OutcomeQueuedWithEvents:
			sum.reported += len(r.Events)
			sum.outcome = "queued, created events returned"
			for _, ev := range r.Events {
				fmt.Fprintf(e.Stdout, "  created invitation event %s for member %s\n", ev.ID, ev.MemberID)
			}
		case alida.OutcomeQueued:
			sum.reported += r.Count
			sum.outcome = "queued"
		case alida.OutcomeNothingQueued:
			sum.outcome = "no eligible member was queued"
		}
	}
	return nil
}

func describeResponse(r ivvy.InvitationResponse) string {
	if r == ivvy.InvitationResponseUndecided {
		return "undecided (no answer yet)"
	}
	return responseStr(r)
}

func section(e *env, title string) {
	fmt.Fprintf(e.Stdout, "\n== %s\n", title)
}
