// Package fake serves the fakes of all three APIs on one handler. Their paths
// do not collide: iVvy answers under /api/1.0/, Invitario under /api/v1/, and
// Alida under /v1/applications/ and at its token endpoint.
//
// The fakes themselves live in fake/ivvy, fake/invitario and fake/alida.
package fake

import (
	"net/http"

	alidafake "github.com/invitekit/invitekit/fake/alida"
	ivvyfake "github.com/invitekit/invitekit/fake/ivvy"
)

// Demo credentials accepted by the fakes that Demo returns. They are demo
// values, not secrets.
const (
	IvvyKey    = ivvyfake.DemoKey
	IvvySecret = ivvyfake.DemoSecret

	AlidaCommunity    = alidafake.DemoCommunity
	AlidaUsername     = alidafake.DemoUsername
	AlidaPassword     = alidafake.DemoPassword
	AlidaClientID     = alidafake.DemoClientID
	AlidaClientSecret = alidafake.DemoClientSecret
	AlidaTokenPath    = alidafake.TokenPath
)

// Set is one fake of each API.
type Set struct {
	Ivvy  *ivvyfake.Server
	Alida *alidafake.Server
}

// Demo returns fakes seeded with the demo data and credentials.
func Demo() *Set {
	return &Set{Ivvy: ivvyfake.Demo(), Alida: alidafake.Demo()}
}

// Handler routes each request to its API's fake.
func (s *Set) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/1.0/", s.Ivvy)
	mux.Handle("/v1/applications/", s.Alida)
	mux.Handle(alidafake.TokenPath, s.Alida)
	return mux
}
