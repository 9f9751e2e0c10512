package contract_tests

import (
	"encoding/json"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/specs"
)

func init() {
	register(apiUnderTest{
		name:     "invitario",
		specFile: "../specs/invitario.yaml",
		load:     func() (*openapi3.T, error) { return specs.Load(specs.Invitario) },
		target:   invitarioTarget,
	})
}

// invitarioTarget picks the generated type a response body decodes into.
// Errors come as an envelope with status "error", with HTTP 200 or a 4xx, so
// the body's status decides before the operation does.
func invitarioTarget(operationID string, status int, body []byte) any {
	var probe struct {
		Status string `json:"status"`
	}
	_ = json.Unmarshal(body, &probe)
	if status >= 300 || probe.Status == "error" {
		return new(invitario.ErrorResponse)
	}
	switch operationID {
	case "login":
		return new(invitario.LoginResult)
	case "guestListAll", "guestListRecent":
		return new(invitario.GuestListResult)
	case "logout":
		return new(invitario.LogoutResult)
	}
	return nil
}
