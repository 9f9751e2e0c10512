package invitario_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
	"github.com/invitekit/invitekit/gen/invitario"
)

// Example reads the whole guest list once, then only what changed, and logs
// out. The fake stands in for the Invitario host.
func Example() {
	srv := httptest.NewServer(invitariofake.Demo())
	defer srv.Close()
	ctx := context.Background()

	api, err := invitario.New(invitario.Credentials{
		EventID: invitariofake.DemoEventID,
		AppCode: invitario.Secret(invitariofake.DemoAppCode),
		Station: invitariofake.DemoStation,
	}, invitario.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer api.Close(ctx) // logs out once

	checkedIn := 0
	for guest, err := range api.GuestsAll(ctx, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if guest.CheckInDateTime != nil {
			checkedIn++
		}
	}
	fmt.Println("checked in:", checkedIn)

	first, err := api.Sync(ctx, invitario.Cursor{})
	if err != nil {
		fmt.Println(err)
		return
	}
	next, err := api.Sync(ctx, first.Next)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("full:", len(first.Changed), "then changed:", len(next.Changed), "deleted:", len(next.Deleted))
	// Output:
	// checked in: 4
	// full: 12 then changed: 0 deleted: 0
}
