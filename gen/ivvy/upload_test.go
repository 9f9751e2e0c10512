package ivvy_test

import (
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/ivvy"
)

func TestUploadBookingDocumentChecksItsArguments(t *testing.T) {
	_, api, hits := fakeWithContacts(t, 0)
	good := ivvy.UploadBookingDocumentFields{VenueID: 1, BookingID: 2, Type: 3, Status: 3}
	two := 2
	for name, tc := range map[string]struct {
		fields ivvy.UploadBookingDocumentFields
		file   io.Reader
		name   string
		want   string
	}{
		"no venue":        {ivvy.UploadBookingDocumentFields{BookingID: 2, Type: 3, Status: 3}, strings.NewReader("x"), "a.pdf", "venueId"},
		"no booking":      {ivvy.UploadBookingDocumentFields{VenueID: 1, Type: 3, Status: 3}, strings.NewReader("x"), "a.pdf", "bookingId"},
		"no type":         {ivvy.UploadBookingDocumentFields{VenueID: 1, BookingID: 2, Status: 3}, strings.NewReader("x"), "a.pdf", "type"},
		"no status":       {ivvy.UploadBookingDocumentFields{VenueID: 1, BookingID: 2, Type: 3}, strings.NewReader("x"), "a.pdf", "status"},
		"canBeDeleted 2":  {ivvy.UploadBookingDocumentFields{VenueID: 1, BookingID: 2, Type: 3, Status: 3, CanBeDeleted: &two}, strings.NewReader("x"), "a.pdf", "canBeDeleted"},
		"no file":         {good, nil, "a.pdf", "no file"},
		"no name":         {good, strings.NewReader("x"), " ", "name"},
		"name with break": {good, strings.NewReader("x"), "a\r\nb.pdf", "line break"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := api.UploadBookingDocument(t.Context(), tc.fields, tc.file, tc.name)
			require.Error(t, err)
			assert.ErrorContains(t, err, "uploadBookingDocument")
			assert.ErrorContains(t, err, tc.want)
		})
	}
	assert.Equal(t, int32(0), hits.Load(), "nothing was sent")
}

// UploadBookingDocumentFields is the generated UploadBookingDocumentRequest
// without its file part: the same fields, with the same Go types and JSON
// names. When the spec's form gains, loses or retypes a field, this fails
// until the hand-written fields (and uploadBody) follow.
func TestUploadFieldsAreTheGeneratedRequestWithoutTheFile(t *testing.T) {
	fieldsOf := func(typ reflect.Type, skip string) map[string]string {
		out := map[string]string{}
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.Name == skip {
				continue
			}
			out[f.Name] = f.Type.String() + " `" + string(f.Tag) + "`"
		}
		return out
	}
	gen := reflect.TypeFor[ivvy.UploadBookingDocumentRequest]()
	_, hasFile := gen.FieldByName("FileID")
	require.True(t, hasFile, "the generated request has the file part")
	assert.Equal(t, fieldsOf(gen, "FileID"), fieldsOf(reflect.TypeFor[ivvy.UploadBookingDocumentFields](), ""))
}
