package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/invitekit/invitekit/fake"
	"github.com/invitekit/invitekit/gen/ivvy"
)

func init() {
	register("", "demo", "run the whole invitation flow against in-process fakes", runDemo)
}

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	set := fake.Demo()
	srv := httptest.NewServer(set.Handler())
	defer srv.Close()
	fmt.Fprintf(e.Stdout, "invitekit demo against in-process fakes at %s\n", srv.URL)

	if err := demoIvvy(ctx, e, srv.URL); err != nil {
		return err
	}
	return nil
}

// demoEvent is the fake iVvy event the demo invites to.
const demoEvent = 1

func demoIvvy(ctx context.Context, e *env, base string) error {
	section(e, "iVvy: ping")
	c, err := ivvy.New(fake.IvvyKey, fake.IvvySecret, ivvy.WithEndpoint(base))
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

	section(e, fmt.Sprintf("iVvy: who is invited to event %d, and their responses", demoEvent))
	for ic, err := range c.InvitedContacts(ctx, ivvy.GetInvitedContactListRequest{EventId: demoEvent}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "  %-4d %-24s %s\n", ic.ContactId, strings.TrimSpace(str(ic.FirstName)+" "+str(ic.LastName)), describeResponse(ic.Response))
	}
	return nil
}

func describeResponse(r *ivvy.InvitationResponse) string {
	switch responseStr(r) {
	case "Y":
		return "accepted"
	case "N":
		return "declined"
	case "U":
		return "no answer yet"
	}
	return responseStr(r)
}

func section(e *env, title string) {
	fmt.Fprintf(e.Stdout, "\n== %s\n", title)
}
