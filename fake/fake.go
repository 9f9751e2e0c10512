// Package fake serves the fakes of all three APIs on one handler. Their paths
// do not collide: iVvy answers under /api/1.0/, Invitario under /api/v1/ and
// Alida everywhere else (/v1/applications/... and its token endpoint).
//
// The fakes themselves live in fake/ivvy, fake/invitario and fake/alida.
package fake

import (
	"net/http"

	ivvyfake "github.com/invitekit/invitekit/fake/ivvy"
)

// Demo credentials accepted by the fakes that Demo returns.
const (
	IvvyKey    = ivvyfake.DemoKey
	IvvySecret = ivvyfake.DemoSecret
)

// Set is one fake of each API.
type Set struct {
	Ivvy *ivvyfake.Server
}

// Demo returns fakes seeded with the demo data and credentials.
func Demo() *Set {
	return &Set{Ivvy: ivvyfake.Demo()}
}

// Handler routes each request to its API's fake.
func (s *Set) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/1.0/", s.Ivvy)
	return mux
}
