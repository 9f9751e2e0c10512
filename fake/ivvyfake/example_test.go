package ivvyfake_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	ivvyfake "github.com/invitekit/invitekit/fake/ivvyfake"
	"github.com/invitekit/invitekit/gen/ivvy"
)

// Serve the demo fake over httptest and invite two contacts to event 3 with
// the client; contact 999 does not exist.
func Example() {
	now := func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	fake := ivvyfake.Demo(ivvyfake.WithClock(now))
	srv := httptest.NewServer(fake)
	defer srv.Close()

	client, err := ivvy.New(ivvyfake.DemoKey, ivvyfake.DemoSecret, ivvy.WithBaseURL(srv.URL), ivvy.WithClock(now))
	if err != nil {
		panic(err)
	}
	res, err := client.InviteContacts(context.Background(), 3, []int64{2, 999})
	if err != nil {
		panic(err)
	}
	for _, r := range res.Results {
		fmt.Println("contact", r.Contact, "invited:", r.Status)
	}
	for _, inv := range fake.Invitations(3) {
		fmt.Println("contact", inv.ContactID, "response:", inv.Response)
	}
	fmt.Println("inviteContacts calls:", fake.Calls("inviteContacts"))
	// Output:
	// contact 2 invited: true
	// contact 999 invited: false
	// contact 2 response: U
	// inviteContacts calls: 1
}
