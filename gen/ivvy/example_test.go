package ivvy_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	ivvyfake "github.com/invitekit/invitekit/fake/ivvyfake"
	"github.com/invitekit/invitekit/gen/ivvy"
)

// Invite contacts to an event and read back who is invited. The example runs
// against the in-process fake; in production use WithRegion.
func Example() {
	srv := httptest.NewServer(ivvyfake.Demo())
	defer srv.Close()
	ctx := context.Background()

	api, err := ivvy.New(ivvyfake.DemoKey, ivvyfake.DemoSecret, ivvy.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := api.InviteContacts(ctx, 3, []int64{7, 8, 99999})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Results {
		fmt.Printf("contact %d invited: %v\n", r.Contact, r.Status)
	}
	for ic, err := range api.InvitedContacts(ctx, ivvy.GetInvitedContactListRequest{EventID: 3}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s %s: %s\n", ic.FirstName, ic.LastName, ic.Response.Label())
	}
	// Output:
	// contact 7 invited: true
	// contact 8 invited: true
	// contact 99999 invited: false
	// Grace Garcia: Undecided
	// Heidi Hughes: Undecided
}

// Tell an unknown event apart from other failures.
func ExampleAPIError() {
	srv := httptest.NewServer(ivvyfake.Demo())
	defer srv.Close()
	api, _ := ivvy.New(ivvyfake.DemoKey, ivvyfake.DemoSecret, ivvy.WithBaseURL(srv.URL))

	_, err := api.GetEvent(context.Background(), ivvy.GetEventRequest{ID: 424242})
	var apiErr *ivvy.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("specific code:", apiErr.SpecificCode)
	}
	fmt.Println("not found:", errors.Is(err, ivvy.ErrNotFound))
	// Output:
	// specific code: 24097
	// not found: true
}

// Invite thousands of contacts in concurrent chunks; outcomes keep the input
// order.
func ExampleAPI_InviteMany() {
	srv := httptest.NewServer(ivvyfake.Demo())
	defer srv.Close()
	api, _ := ivvy.New(ivvyfake.DemoKey, ivvyfake.DemoSecret, ivvy.WithBaseURL(srv.URL))

	ids := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	res, err := api.InviteMany(context.Background(), 2, ids, ivvy.WithChunkSize(5), ivvy.WithConcurrency(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d of %d invited in %d calls; first %d, last %d\n",
		res.Invited(), len(res.Outcomes), res.Calls, res.Outcomes[0].ContactID, res.Outcomes[11].ContactID)
	// Output:
	// 12 of 12 invited in 3 calls; first 1, last 12
}
