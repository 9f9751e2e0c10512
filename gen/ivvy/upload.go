package ivvy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strconv"
	"strings"
)

// rawBody is a request body sent as it is, with its own content type,
// instead of being encoded as JSON.
type rawBody struct {
	contentType string
	data        []byte
}

// UploadBookingDocumentFields are the form fields of an upload to a booking
// (UploadBookingDocument); the file itself is a separate argument. They are
// the generated UploadBookingDocumentRequest without its file part.
type UploadBookingDocumentFields struct {
	VenueID   int64 `json:"venueId"`
	BookingID int64 `json:"bookingId"`
	// Type is 3 quote, 4 contract or 5 other.
	Type int `json:"type"`
	// Status is 3 draft, 4 created, 5 sent or 8 completed.
	Status int `json:"status"`
	// CanBeDeleted is 1 (the server's default when nil) to let users
	// delete the document, 0 not to.
	CanBeDeleted *int `json:"canBeDeleted,omitempty"`
	// DocumentNumber, when set, makes the file a new version of that
	// existing document.
	DocumentNumber *int64 `json:"documentNumber,omitempty"`
}

// UploadBookingDocument uploads a file (its content read from file, named
// fileName) as a document of a booking. The request is multipart/form-data,
// signed over the fields and the file's md5 (the upload mode of the iVvy
// signature). The file is read whole into memory before anything is sent.
// It is sent once, never retried.
//
// API: POST /api/1.0/venue?action=uploadBookingDocument (uploadBookingDocument)
func (a *API) UploadBookingDocument(ctx context.Context, fields UploadBookingDocumentFields, file io.Reader, fileName string) (*UploadBookingDocumentResult, error) {
	body, contentType, err := uploadBody(fields, file, fileName)
	if err != nil {
		return nil, fmt.Errorf("ivvy: uploadBookingDocument: %w", err)
	}
	r := a.newUploadBookingDocument()
	r.body = rawBody{contentType: contentType, data: body}
	out := new(UploadBookingDocumentResult)
	if err := a.invoke(ctx, r, out); err != nil {
		return nil, err
	}
	return out, nil
}

// uploadBody checks the fields and writes the multipart body: the fields in
// the order of the vendor's documentation (venueId, bookingId, type,
// status, canBeDeleted, documentNumber), which is the order the signature
// reads them in, then the file in the part fileId.
func uploadBody(f UploadBookingDocumentFields, file io.Reader, fileName string) ([]byte, string, error) {
	switch {
	case f.VenueID <= 0:
		return nil, "", fmt.Errorf("venueId must be positive, got %d", f.VenueID)
	case f.BookingID <= 0:
		return nil, "", fmt.Errorf("bookingId must be positive, got %d", f.BookingID)
	case f.Type == 0:
		return nil, "", errors.New("type is required (3 quote, 4 contract, 5 other)")
	case f.Status == 0:
		return nil, "", errors.New("status is required (3 draft, 4 created, 5 sent, 8 completed)")
	case f.CanBeDeleted != nil && *f.CanBeDeleted != 0 && *f.CanBeDeleted != 1:
		return nil, "", fmt.Errorf("canBeDeleted must be 0 or 1, got %d", *f.CanBeDeleted)
	case f.DocumentNumber != nil && *f.DocumentNumber <= 0:
		return nil, "", fmt.Errorf("documentNumber must be positive, got %d", *f.DocumentNumber)
	case file == nil:
		return nil, "", errors.New("no file to upload")
	case strings.TrimSpace(fileName) == "":
		return nil, "", errors.New("the file needs a name")
	case strings.ContainsAny(fileName, "\r\n\x00"):
		return nil, "", errors.New("the file name holds a line break or NUL")
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	write := func(name string, v int64) { _ = w.WriteField(name, strconv.FormatInt(v, 10)) }
	write("venueId", f.VenueID)
	write("bookingId", f.BookingID)
	write("type", int64(f.Type))
	write("status", int64(f.Status))
	if f.CanBeDeleted != nil {
		write("canBeDeleted", int64(*f.CanBeDeleted))
	}
	if f.DocumentNumber != nil {
		write("documentNumber", *f.DocumentNumber)
	}
	part, err := w.CreateFormFile("fileId", fileName)
	if err != nil {
		return nil, "", err
	}
	if _, err := io.Copy(part, file); err != nil {
		return nil, "", fmt.Errorf("read the file: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}
