package ivvy_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/ivvy"
)

func TestCallSendsAnyOperationAndReturnsTheAnswer(t *testing.T) {
	f, api, hits := fakeWithContacts(t, 3)
	raw, err := api.Call(t.Context(), "getContact", json.RawMessage(`{"id":2}`))
	require.NoError(t, err)
	var c struct {
		ID       int64  `json:"id"`
		LastName string `json:"lastName"`
	}
	require.NoError(t, json.Unmarshal(raw, &c), string(raw))
	assert.Equal(t, int64(2), c.ID)
	assert.Equal(t, "2", c.LastName)
	assert.Equal(t, int32(1), hits.Load())
	assert.Equal(t, 1, f.Calls("getContact"))

	// An action the fake answers only from the spec's example.
	raw, err = api.Call(t.Context(), "getIndustryList", json.RawMessage(`{}`))
	require.NoError(t, err)
	var page struct {
		Results []json.RawMessage `json:"results"`
	}
	require.NoError(t, json.Unmarshal(raw, &page), string(raw))
	assert.NotEmpty(t, page.Results)
}

func TestCallReturnsExceptionsAsAPIErrors(t *testing.T) {
	_, api, _ := fakeWithContacts(t, 1)
	_, err := api.Call(t.Context(), "getContact", json.RawMessage(`{"id":99999}`))
	var apiErr *ivvy.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "getContact", apiErr.Operation)
	assert.ErrorIs(t, err, ivvy.ErrNotFound)
}

func TestCallRefusesWhatItCannotSend(t *testing.T) {
	_, api, hits := fakeWithContacts(t, 0)
	_, err := api.Call(t.Context(), "getNothing", nil)
	assert.ErrorIs(t, err, ivvy.ErrUnknownOperation)
	assert.ErrorContains(t, err, "getNothing")

	_, err = api.Call(t.Context(), "getContact", json.RawMessage(`{"id":`))
	assert.ErrorContains(t, err, "not valid JSON")

	_, err = api.Call(t.Context(), "uploadBookingDocument", json.RawMessage(`{}`))
	assert.ErrorContains(t, err, "UploadBookingDocument")
	assert.Equal(t, int32(0), hits.Load(), "nothing is sent")
}

// Call retries a retry-safe operation and sends any other once.
func TestCallRetriesOnlySafeOperations(t *testing.T) {
	var n atomic.Int32
	srv := signedServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if n.Add(1)%2 == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"errorCode":503,"message":"busy"}`))
			return
		}
		_, _ = w.Write([]byte(`{"success":true,"id":7}`))
	})
	api := newAPI(t, srv.URL, ivvy.WithMaxAttempts(3),
		ivvy.WithSleeper(func(context.Context, time.Duration) error { return nil }))

	_, err := api.Call(t.Context(), "getContact", json.RawMessage(`{"id":7}`))
	require.NoError(t, err)
	assert.Equal(t, int32(2), n.Load(), "the safe call was tried again")

	_, err = api.Call(t.Context(), "addOrUpdateContact", json.RawMessage(`{"firstName":"A"}`))
	assert.ErrorIs(t, err, ivvy.ErrServer)
	assert.Equal(t, int32(3), n.Load(), "the unsafe call was sent once")
}

func TestCallAllWalksEveryPage(t *testing.T) {
	_, api, hits := fakeWithContacts(t, 5)
	var got []int64
	for raw, err := range api.CallAll(t.Context(), "getContactList", json.RawMessage(`{"perPage":2}`)) {
		require.NoError(t, err)
		var c struct {
			ID int64 `json:"id"`
		}
		require.NoError(t, json.Unmarshal(raw, &c))
		got = append(got, c.ID)
	}
	assert.Equal(t, []int64{1, 2, 3, 4, 5}, got)
	assert.Equal(t, int32(3), hits.Load(), "three pages of two")
}

func TestCallAllRefusesWhatIsNotACollection(t *testing.T) {
	_, api, hits := fakeWithContacts(t, 1)
	for name, tc := range map[string]struct {
		op, body, want string
	}{
		"not a collection": {"getContact", `{"id":1}`, "not a collection"},
		"unknown":          {"getNothing", ``, "unknown operation"},
		"body not object":  {"getContactList", `[1]`, "JSON object"},
		"bad perPage":      {"getContactList", `{"perPage":0}`, "perPage"},
	} {
		t.Run(name, func(t *testing.T) {
			n := 0
			for _, err := range api.CallAll(t.Context(), tc.op, json.RawMessage(tc.body)) {
				n++
				require.Error(t, err)
				assert.ErrorContains(t, err, tc.want)
			}
			assert.Equal(t, 1, n)
		})
	}
	assert.Equal(t, int32(0), hits.Load())
}

// CallAll reads every collection page as {meta, results}: every collection
// operation's result type must have that shape.
func TestEveryCollectionResultHasMetaAndResults(t *testing.T) {
	for _, op := range ivvy.Operations() {
		if op.Iterator == "" {
			continue
		}
		typ := reflect.TypeOf(op.NewResult()).Elem()
		tags := map[string]bool{}
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			tags[name] = true
		}
		assert.True(t, tags["meta"] && tags["results"], "%s: %s has no meta and results", op.ID, typ)
	}
}
