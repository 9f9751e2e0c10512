// Package alida is a typed client for the part of the Alida Community API
// (formerly Vision Critical) that reports externally sent survey invitations:
// posting invitation and reminder events, and listing the members queued for
// an external invitation.
//
// The models, a method per operation and the options are generated from
// specs/alida.yaml. The hand-written part of API adds authentication (HTTP
// Basic or OAuth2 client credentials with a cached bearer token), a Result
// that tells the three shapes of a successful POST apart, chunking of large
// event lists, an iterator over the queued invitations that follows the next
// links, and typed errors (*APIError).
//
// A minimal use:
//
//	api, err := alida.New("my-community",
//		alida.ClientCredentials(clientID, clientSecret, ""),
//		alida.WithRegion("na1"))
//	...
//	results, err := api.ReportInvitations(ctx, []alida.NewInvitationEvent{{
//		MemberId: member, CommunicationId: communication,
//		EventType: alida.InvitationEventTypeSurveyInvited,
//	}})
package alida
