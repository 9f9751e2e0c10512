// Package fake serves the fakes of all three APIs on one handler. Their paths
// do not collide: iVvy answers under /api/1.0/, Invitario under /api/v1/, and
// Alida under /v1/applications/ and at its token endpoint.
//
// The fakes themselves live in fake/ivvyfake, fake/invitariofake and fake/alidafake.
package fake

import (
	"net/http"

	"github.com/google/uuid"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
	ivvyfake "github.com/invitekit/invitekit/fake/ivvyfake"
)

// Demo credentials accepted by the fakes that Demo returns. They are demo
// values, not secrets.
const (
	IvvyKey    = ivvyfake.DemoKey
	IvvySecret = ivvyfake.DemoSecret

	InvitarioEventID = invitariofake.DemoEventID
	InvitarioAppCode = invitariofake.DemoAppCode
	InvitarioStation = invitariofake.DemoStation

	AlidaCommunity    = alidafake.DemoCommunity
	AlidaUsername     = alidafake.DemoUsername
	AlidaPassword     = alidafake.DemoPassword
	AlidaClientID     = alidafake.DemoClientID
	AlidaClientSecret = alidafake.DemoClientSecret
	AlidaTokenPath    = alidafake.TokenPath
)

// AlidaOpenCommunication is the demo communication that accepts reports.
func AlidaOpenCommunication() uuid.UUID { return alidafake.DemoOpenCommunication }

// Set is one fake of each API.
type Set struct {
	Ivvy      *ivvyfake.Server
	Invitario *invitariofake.Server
	Alida     *alidafake.Server
}

// Demo returns fakes seeded with the demo data and credentials.
func Demo() *Set {
	return &Set{Ivvy: ivvyfake.Demo(), Invitario: invitariofake.Demo(), Alida: alidafake.Demo()}
}

// Handler routes each request to its API's fake.
func (s *Set) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/1.0/", s.Ivvy)
	mux.Handle("/api/v1/", s.Invitario)
	mux.Handle("/v1/applications/", s.Alida)
	mux.Handle(alidafake.TokenPath, s.Alida)
	return mux
}
