package ivvyfake_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ivvyfake "github.com/invitekit/invitekit/fake/ivvyfake"
	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/signing"
)

func ptr[T any](v T) *T { return &v }

func TestUploadBookingDocumentThroughTheClient(t *testing.T) {
	e := newEnv(t)
	api, err := ivvy.New(ivvyfake.DemoKey, ivvyfake.DemoSecret, ivvy.WithBaseURL(e.srv.URL), ivvy.WithClock(e.clock.Now))
	require.NoError(t, err)
	fields := ivvy.UploadBookingDocumentFields{VenueID: 1, BookingID: 29836, Type: 3, Status: 3, CanBeDeleted: ptr(0)}
	res, err := api.UploadBookingDocument(t.Context(), fields, strings.NewReader("%PDF-1.4 quote"), "quote.pdf")
	require.NoError(t, err)
	assert.True(t, res.Success)
	assert.Equal(t, ivvy.NullableInteger(1), res.Version)

	// A new version of the same document.
	fields.DocumentNumber = ptr(int64(res.DocumentNumber))
	again, err := api.UploadBookingDocument(t.Context(), fields, strings.NewReader("%PDF-1.4 quote v2"), "quote-v2.pdf")
	require.NoError(t, err)
	assert.Equal(t, res.DocumentNumber, again.DocumentNumber)
	assert.Equal(t, ivvy.NullableInteger(2), again.Version)

	ups := e.fake.Uploads()
	require.Len(t, ups, 2)
	assert.Equal(t, "quote.pdf", ups[0].FileName)
	assert.Equal(t, "%PDF-1.4 quote", string(ups[0].Content))
	assert.Equal(t, int64(29836), ups[0].BookingID)
	assert.False(t, ups[0].CanBeDeleted)
	assert.Equal(t, "%PDF-1.4 quote v2", string(ups[1].Content))

	// An unknown document number is bad data.
	fields.DocumentNumber = ptr(int64(999))
	_, err = api.UploadBookingDocument(t.Context(), fields, strings.NewReader("x"), "x.pdf")
	var apiErr *ivvy.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 24464, apiErr.SpecificCode)
}

// uploadRequest builds a multipart upload with the given fields (in order)
// and one file.
func (e *env) uploadRequest(fields [][2]string, file string) *http.Request {
	e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, kv := range fields {
		require.NoError(e.t, w.WriteField(kv[0], kv[1]))
	}
	fw, err := w.CreateFormFile("fileId", "doc.pdf")
	require.NoError(e.t, err)
	_, _ = fw.Write([]byte(file))
	require.NoError(e.t, w.Close())
	req := e.request("venue", "uploadBookingDocument", body.Bytes())
	req.Header.Set("Content-Type", w.FormDataContentType())
	return req
}

func TestUploadBookingDocumentVerifiesTheUploadSignature(t *testing.T) {
	e := newEnv(t)
	fields := [][2]string{{"venueId", "1"}, {"bookingId", "2"}, {"type", "4"}, {"status", "5"}}

	t.Run("signed as JSON", func(t *testing.T) {
		// Signing the raw body (the JSON mode) is refused: the Content-MD5
		// must be the file's.
		req := e.uploadRequest(fields, "contract")
		body, _ := req.GetBody()
		var raw bytes.Buffer
		_, _ = raw.ReadFrom(body)
		h := http.Header{}
		h.Set(signing.IvvyDateHeader, e.clock.Now().UTC().Format(signing.IvvyDateLayout))
		h.Set("Content-Type", req.Header.Get("Content-Type"))
		req.Header.Set(signing.IvvyDateHeader, h.Get(signing.IvvyDateHeader))
		req.Header.Set(signing.ContentMD5Header, md5Hex(raw.Bytes()))
		req.Header.Set(signing.IvvyAuthHeader, "IWS "+ivvyfake.DemoKey+":"+signing.IvvySignature(ivvyfake.DemoSecret,
			signing.IvvyStringToSign("POST", md5Hex(raw.Bytes()), h.Get("Content-Type"), "", req.URL.RequestURI(), h)))
		r := e.send(req)
		requireException(t, r, http.StatusUnauthorized, 401, 0)
	})
	t.Run("field changed after signing", func(t *testing.T) {
		req := e.uploadRequest(fields, "contract")
		require.NoError(t, e.signer.Edit(t.Context(), req))
		signed := req.Header.Clone()
		req = e.uploadRequest([][2]string{{"venueId", "1"}, {"bookingId", "3"}, {"type", "4"}, {"status", "5"}}, "contract")
		for k, v := range signed {
			if k != "Content-Type" {
				req.Header[k] = v
			}
		}
		r := e.send(req)
		requireException(t, r, http.StatusUnauthorized, 401, 0)
		assert.Contains(t, r.JSON["message"], "signature")
	})
	t.Run("missing field", func(t *testing.T) {
		req := e.uploadRequest(fields[:3], "contract")
		require.NoError(t, e.signer.Edit(t.Context(), req))
		r := e.send(req)
		requireException(t, r, http.StatusBadRequest, 400, 23017)
		assert.Contains(t, r.JSON["message"], "status")
	})
	assert.Empty(t, e.fake.Uploads(), "nothing was stored")

	req := e.uploadRequest(fields, "contract")
	require.NoError(t, e.signer.Edit(t.Context(), req))
	r := e.send(req)
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.Equal(t, true, r.JSON["success"])
	require.Len(t, e.fake.Uploads(), 1)
}

func md5Hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}
