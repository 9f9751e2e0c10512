package signing

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/redact"
)

// The upload example of the vendor's uploadBookingDocument page: its key
// pair, its form fields in its order, a small file and a fixed date.
const (
	uploadKey    = "apikey"
	uploadSecret = "apkisecret"
	uploadPath   = "https://api.ap-southeast-2.ivvy.com/api/1.0/venue?action=uploadBookingDocument"
	uploadFile   = "%PDF-1.4 example document\n"
	uploadFields = `{"venueId":"1","bookingId":"29836","type":"3","status":"3","canBeDeleted":"1","documentNumber":"123"}`
	// The expected values were computed outside Go, following the page's
	// shell script, with the file above in doc.pdf:
	//
	//	DATA='{"venueId":"1","bookingId":"29836","type":"3","status":"3","canBeDeleted":"1","documentNumber":"123"}'
	//	BODY_MD5=$(echo -n "$DATA" | md5sum | awk '{print $1}')
	//	FILE_MD5=$(md5sum doc.pdf | awk '{print $1}')
	//	STS="POST${BODY_MD5}${FILE_MD5}multipart/form-data/api/1.0/venue?action=uploadBookingDocument1.0ivvydate=2024-05-01 10:00:00"
	//	STS="${STS,,}"
	//	echo -n "$STS" | openssl dgst -sha1 -hmac apkisecret | awk '{print $2}'
	uploadFieldsMD5 = "7bf0b6d9fae8b2259c34883a2fdd1148"
	uploadFileMD5   = "0dc5421befe722b4eb2ed79f0df41752"
	uploadSTS       = "post7bf0b6d9fae8b2259c34883a2fdd11480dc5421befe722b4eb2ed79f0df41752multipart/form-data/api/1.0/venue?action=uploadbookingdocument1.0ivvydate=2024-05-01 10:00:00"
	uploadSignature = "db164b17cde2fc968c4a63f4b0142d56a2ef1500"
)

var uploadTime = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

// uploadRequest builds the example's multipart request: the file first, as
// the page's curl command sends it, then the fields in the page's order.
func uploadRequest(t *testing.T) *http.Request {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, err := w.CreateFormFile("fileId", "document.pdf")
	require.NoError(t, err)
	_, _ = fw.Write([]byte(uploadFile))
	for _, kv := range [][2]string{{"venueId", "1"}, {"bookingId", "29836"}, {"type", "3"}, {"status", "3"}, {"canBeDeleted", "1"}, {"documentNumber", "123"}} {
		require.NoError(t, w.WriteField(kv[0], kv[1]))
	}
	require.NoError(t, w.Close())
	req, err := http.NewRequest(http.MethodPost, uploadPath, bytes.NewReader(body.Bytes()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return req
}

func TestMultipartPartsFollowTheVendorExample(t *testing.T) {
	req := uploadRequest(t)
	body := readAllBody(t, req)
	fields, fileMD5, err := IvvyMultipartParts(req.Header.Get("Content-Type"), body)
	require.NoError(t, err)
	assert.Equal(t, uploadFields, string(fields))
	assert.Equal(t, uploadFileMD5, fileMD5)

	h := http.Header{}
	h.Set(IvvyDateHeader, "2024-05-01 10:00:00")
	assert.Equal(t, uploadSTS, IvvyMultipartStringToSign("POST", uploadFieldsMD5, uploadFileMD5, "/api/1.0/venue?action=uploadBookingDocument", h))
}

func TestEditSignsAnUploadLikeTheVendorExample(t *testing.T) {
	req := uploadRequest(t)
	s := NewIvvy(uploadKey, redact.Secret(uploadSecret), fixedClock(uploadTime))
	require.NoError(t, s.Edit(t.Context(), req))
	assert.Equal(t, "IWS "+uploadKey+":"+uploadSignature, req.Header.Get(IvvyAuthHeader))
	assert.Equal(t, uploadFileMD5, req.Header.Get(ContentMD5Header), "Content-MD5 is the file's md5")
	assert.Equal(t, "2024-05-01 10:00:00", req.Header.Get(IvvyDateHeader))
	assert.True(t, strings.HasPrefix(req.Header.Get("Content-Type"), "multipart/form-data; boundary="), "the boundary stays in the header")

	// The body is still whole, and the server's check accepts it.
	body := readAllBody(t, req)
	secretFor := func(k string) (string, bool) { return uploadSecret, k == uploadKey }
	require.NoError(t, VerifyIvvy(req, body, secretFor, uploadTime.Add(time.Minute)))

	// Signing again (a second attempt) gives the same headers.
	again := req.Clone(t.Context())
	again.Body = nopCloser{bytes.NewReader(body)}
	require.NoError(t, s.Edit(t.Context(), again))
	assert.Equal(t, req.Header.Get(IvvyAuthHeader), again.Header.Get(IvvyAuthHeader))
}

func TestVerifyRefusesAlteredUploads(t *testing.T) {
	secretFor := func(k string) (string, bool) { return uploadSecret, k == uploadKey }
	signed := func(t *testing.T) (*http.Request, []byte) {
		req := uploadRequest(t)
		s := NewIvvy(uploadKey, redact.Secret(uploadSecret), fixedClock(uploadTime))
		require.NoError(t, s.Edit(t.Context(), req))
		return req, readAllBody(t, req)
	}
	t.Run("field changed", func(t *testing.T) {
		req, body := signed(t)
		body = bytes.Replace(body, []byte("29836"), []byte("29837"), 1)
		assert.ErrorIs(t, VerifyIvvy(req, body, secretFor, uploadTime), ErrIvvyBadSignature)
	})
	t.Run("file changed", func(t *testing.T) {
		req, body := signed(t)
		body = bytes.Replace(body, []byte("example"), []byte("exampla"), 1)
		assert.ErrorIs(t, VerifyIvvy(req, body, secretFor, uploadTime), ErrIvvyBadMD5)
	})
	t.Run("no IVVY-Date", func(t *testing.T) {
		req, body := signed(t)
		req.Header.Del(IvvyDateHeader)
		req.Header.Set("Date", uploadTime.Format(http.TimeFormat))
		assert.ErrorIs(t, VerifyIvvy(req, body, secretFor, uploadTime), ErrIvvyStale)
	})
	t.Run("not multipart", func(t *testing.T) {
		req, body := signed(t)
		req.Header.Set("Content-Type", "multipart/form-data")
		assert.ErrorIs(t, VerifyIvvy(req, body, secretFor, uploadTime), ErrIvvyMalformed)
	})
}

func TestMultipartPartsNeedOneFile(t *testing.T) {
	for name, files := range map[string]int{"no file": 0, "two files": 2} {
		t.Run(name, func(t *testing.T) {
			var body bytes.Buffer
			w := multipart.NewWriter(&body)
			require.NoError(t, w.WriteField("venueId", "1"))
			for range files {
				h := textproto.MIMEHeader{}
				h.Set("Content-Disposition", `form-data; name="fileId"; filename="a.pdf"`)
				p, err := w.CreatePart(h)
				require.NoError(t, err)
				_, _ = p.Write([]byte("x"))
			}
			require.NoError(t, w.Close())
			_, _, err := IvvyMultipartParts(w.FormDataContentType(), body.Bytes())
			assert.ErrorContains(t, err, "file parts")

			req, err := http.NewRequest(http.MethodPost, uploadPath, bytes.NewReader(body.Bytes()))
			require.NoError(t, err)
			req.Header.Set("Content-Type", w.FormDataContentType())
			s := NewIvvy(uploadKey, redact.Secret(uploadSecret), fixedClock(uploadTime))
			err = s.Edit(t.Context(), req)
			require.Error(t, err, "a body that cannot be signed is refused")
			assert.Empty(t, req.Header.Get(IvvyAuthHeader))
		})
	}
}

// Field values are JSON strings, escaped as JSON requires and no more.
func TestMultipartFieldsAreJSONStrings(t *testing.T) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	require.NoError(t, w.WriteField("note", `a "b" <c> & d`))
	fw, err := w.CreateFormFile("fileId", "f.txt")
	require.NoError(t, err)
	_, _ = fw.Write([]byte("x"))
	require.NoError(t, w.Close())
	fields, _, err := IvvyMultipartParts(w.FormDataContentType(), body.Bytes())
	require.NoError(t, err)
	assert.Equal(t, `{"note":"a \"b\" <c> & d"}`, string(fields))
}

func readAllBody(t *testing.T, req *http.Request) []byte {
	t.Helper()
	var buf bytes.Buffer
	_, err := buf.ReadFrom(req.Body)
	require.NoError(t, err)
	req.Body = nopCloser{bytes.NewReader(buf.Bytes())}
	return buf.Bytes()
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }
