package contract_tests

import (
	"bytes"
	"net/http"

	"github.com/invitekit/invitekit/gen/alida"
	"github.com/invitekit/invitekit/specs"
)

func init() {
	register(apiUnderTest{
		name: "alida",
		spec: specs.Alida,
		table: func() map[string]bool {
			return safety(alida.Operations(), func(o alida.Operation) (string, bool) { return o.ID, o.RetrySafe })
		},
		target: alidaTarget,
	})
}

// alidaTarget picks the generated type a response body decodes into. A 201
// (or, with the created resources asked for, 200) of the POSTs is one of
// three shapes: empty (not decoded), an array of created events, or a
// collection envelope; the first byte tells them apart.
func alidaTarget(operationID string, status int, body []byte) any {
	if status >= 400 {
		return &alida.Error{}
	}
	body = bytes.TrimSpace(body)
	switch operationID {
	case "createInvitationEvents", "createReminderEvents":
		if (status != http.StatusOK && status != http.StatusCreated) || len(body) == 0 {
			return nil
		}
		if body[0] == '[' {
			return &alida.InvitationEvents{}
		}
		return &alida.InvitationEventCollection{}
	case "listQueuedInvitationEvents":
		return &alida.InvitationEventCollection{}
	}
	return nil
}
