package ivvy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
)

// ErrUnknownOperation is returned (wrapped) by Call and CallAll for an
// operationId that is not in the operation table.
var ErrUnknownOperation = errors.New("ivvy: unknown operation")

// Call sends the operation named by operationID (its operationId, e.g.
// "getEvent"; see Operations) with body as its JSON request body, and
// returns the answer's body as received. An empty body sends no body. The
// call goes through the same path as the typed methods: it is signed,
// retried only when the operation is retry-safe, and an iVvy exception
// comes back as an *APIError. Call does not check body against the
// operation's schema; that is the caller's business.
//
// uploadBookingDocument is not JSON; use UploadBookingDocument.
func (a *API) Call(ctx context.Context, operationID string, body json.RawMessage) (json.RawMessage, error) {
	r, err := a.newCall(operationID, body)
	if err != nil {
		return nil, err
	}
	var out json.RawMessage
	if err := a.invoke(ctx, r, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// newCall prepares a Call.
func (a *API) newCall(operationID string, body json.RawMessage) (*request, error) {
	op, ok := LookupOperation(operationID)
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownOperation, operationID)
	}
	if op.ID == opUploadBookingDocument.ID {
		return nil, fmt.Errorf("ivvy: %s sends a file as multipart/form-data: use UploadBookingDocument", op.ID)
	}
	r := &request{op: &op, path: op.Path}
	if len(bytes.TrimSpace(body)) > 0 {
		if !json.Valid(body) {
			return nil, fmt.Errorf("ivvy: %s: the request body is not valid JSON", op.ID)
		}
		r.body = body
	}
	return r, nil
}

// CallAll walks every page of a collection operation (one whose Iterator
// is set) and yields its items as they arrive, like the typed iterators:
// body holds the other parameters (a JSON object, or empty), and start and
// perPage are set on each page's request (perPage from body when it has
// one, else DefaultPerPage). It stops as Paginate does. An operation that is not
// a collection, or a body that is not a JSON object, yields one error.
func (a *API) CallAll(ctx context.Context, operationID string, body json.RawMessage) iter.Seq2[json.RawMessage, error] {
	fail := func(err error) iter.Seq2[json.RawMessage, error] {
		return func(yield func(json.RawMessage, error) bool) { yield(nil, err) }
	}
	op, ok := LookupOperation(operationID)
	if !ok {
		return fail(fmt.Errorf("%w %q", ErrUnknownOperation, operationID))
	}
	if op.Iterator == "" {
		return fail(fmt.Errorf("ivvy: %s is not a collection: it has no pages to walk", op.ID))
	}
	params := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &params); err != nil || params == nil {
			return fail(fmt.Errorf("ivvy: %s: the request body must be a JSON object", op.ID))
		}
	}
	perPage := 0
	if v, ok := params["perPage"]; ok {
		var n Int
		if err := json.Unmarshal(v, &n); err != nil || n <= 0 {
			return fail(fmt.Errorf("ivvy: %s: perPage must be a positive whole number", op.ID))
		}
		perPage = int(n)
	}
	return Paginate(ctx, perPage, func(ctx context.Context, start, perPage int) ([]json.RawMessage, *CollectionMeta, error) {
		params["start"], _ = json.Marshal(start)
		params["perPage"], _ = json.Marshal(perPage)
		req, err := json.Marshal(params)
		if err != nil {
			return nil, nil, err
		}
		raw, err := a.Call(ctx, op.ID, req)
		if err != nil {
			return nil, nil, err
		}
		var page struct {
			Meta    CollectionMeta    `json:"meta"`
			Results []json.RawMessage `json:"results"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			return nil, nil, fmt.Errorf("ivvy: %s: the answer is not a collection page: %w", op.ID, err)
		}
		return page.Results, &page.Meta, nil
	})
}
