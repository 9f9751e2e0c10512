package ivvy

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// uploadBody writes every field of UploadBookingDocumentFields (all set
// here) as a form field, then the file: a field added to the struct but
// not to uploadBody fails this.
func TestUploadBodyWritesEveryField(t *testing.T) {
	one, num := 1, int64(7)
	f := UploadBookingDocumentFields{VenueID: 1, BookingID: 2, Type: 3, Status: 4, CanBeDeleted: &one, DocumentNumber: &num}
	body, contentType, err := uploadBody(f, strings.NewReader("file"), "a.pdf")
	require.NoError(t, err)
	_, params, err := mime.ParseMediaType(contentType)
	require.NoError(t, err)
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var got []string
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		got = append(got, p.FormName())
	}
	var want []string
	typ := reflect.TypeFor[UploadBookingDocumentFields]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		want = append(want, name)
	}
	want = append(want, "fileId")
	assert.Equal(t, want, got, "every field, in the struct's order, then the file")
}
