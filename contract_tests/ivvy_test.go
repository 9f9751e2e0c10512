package contract_tests

import (
	"encoding/json"
	"net/http"

	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/specs"
)

// ivvyIsException reports whether a response is an iVvy exception: any
// status from 400 up, or a JSON object that carries errorCode (the server
// sometimes sends an exception with status 200).
func ivvyIsException(status int, body []byte) bool {
	if status >= http.StatusBadRequest {
		return true
	}
	var probe struct {
		ErrorCode *json.RawMessage `json:"errorCode"`
	}
	return json.Unmarshal(body, &probe) == nil && probe.ErrorCode != nil
}

func init() {
	register(apiUnderTest{
		name: "ivvy",
		spec: specs.Ivvy,
		table: func() map[string]bool {
			return safety(ivvy.Operations(), func(o ivvy.Operation) (string, bool) { return o.ID, o.RetrySafe })
		},
		target: func(operationID string, status int, body []byte) any {
			if ivvyIsException(status, body) {
				return new(ivvy.Exception)
			}
			op, ok := ivvy.LookupOperation(operationID)
			if !ok {
				return nil
			}
			return op.NewResult()
		},
	})
}
