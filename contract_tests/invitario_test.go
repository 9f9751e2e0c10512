package contract_tests

import (
	"encoding/json"

	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/specs"
)

func init() {
	register(apiUnderTest{
		name: "invitario",
		spec: specs.Invitario,
		table: func() map[string]bool {
			return safety(invitario.Operations(), func(o invitario.Operation) (string, bool) { return o.ID, o.RetrySafe })
		},
		target: invitarioTarget,
	})
}

// invitarioTarget picks the generated type a response body decodes into.
// Errors come as an envelope with status "error" or, for the general
// errors, with only an errors list, with HTTP 200 or a 4xx, so the body
// decides before the operation does.
func invitarioTarget(operationID string, status int, body []byte) any {
	var probe struct {
		Status string            `json:"status"`
		Errors []json.RawMessage `json:"errors"`
	}
	_ = json.Unmarshal(body, &probe)
	if status >= 300 || probe.Status == "error" || len(probe.Errors) > 0 {
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
