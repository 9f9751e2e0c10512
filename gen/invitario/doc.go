// Package invitario is a typed client for the Invitario check-in API 1.0,
// which reads the guest list of one event.
//
// The models, the operation table and the options are generated from
// specs/invitario.yaml. The hand-written API on top of them manages the
// session (one shared login, the token in every body, one re-login when the
// server reports an invalid session, one logout on Close), streams guest
// lists one guest at a time, and keeps incremental syncs lossless with a
// Cursor.
//
//	api, err := invitario.New(invitario.Credentials{
//		EventID: "123", AppCode: invitario.Secret(appCode), Station: "Main Entrance",
//	}, invitario.WithBaseURL("https://checkin.example.com"))
//	if err != nil { ... }
//	defer api.Close(ctx)
//	for guest, err := range api.GuestsAll(ctx, nil) { ... }
package invitario
