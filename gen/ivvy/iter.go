package ivvy

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
)

// ErrRepeatedPage is returned (wrapped) when a collection page holds the
// same records as the page before it: the server ignores the paging, and
// following its totalResults would never end.
var ErrRepeatedPage = errors.New("the page repeats the previous page")

// DefaultPerPage is the page size iterators request: the largest that every
// documented iVvy collection call accepts.
const DefaultPerPage = 100

// PageFunc fetches the page of a collection that starts at the zero-based
// record offset start, asking for perPage records.
type PageFunc[T any] func(ctx context.Context, start, perPage int) ([]T, *CollectionMeta, error)

// Paginate iterates over a whole collection, fetching pages of perPage records
// (DefaultPerPage when perPage <= 0) as the caller advances. It stops after a
// short or empty page, or once meta.totalResults records were seen. A page
// holding the same records as the one before it ends the iteration with an
// error wrapping ErrRepeatedPage, so that a server which ignores start
// cannot keep it going. An error is yielded once and ends the iteration;
// nothing more is fetched after the caller stops.
func Paginate[T any](ctx context.Context, perPage int, fetch PageFunc[T]) iter.Seq2[T, error] {
	if perPage <= 0 {
		perPage = DefaultPerPage
	}
	return func(yield func(T, error) bool) {
		start := 0
		var prev [sha256.Size]byte
		for {
			if err := ctx.Err(); err != nil {
				var zero T
				yield(zero, err)
				return
			}
			items, meta, err := fetch(ctx, start, perPage)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			if meta != nil && meta.Start != nil && *meta.Start != start {
				var zero T
				yield(zero, fmt.Errorf("ivvy: collection page asked for start %d but the server answered start %d", start, *meta.Start))
				return
			}
			if len(items) > 0 {
				sum, ok := pageSum(items)
				if ok && start > 0 && sum == prev {
					var zero T
					yield(zero, fmt.Errorf("ivvy: collection page at start %d: %w (%d records)", start, ErrRepeatedPage, len(items)))
					return
				}
				prev = sum
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			size := perPage
			total := -1
			if meta != nil {
				if meta.PerPage != nil && *meta.PerPage > 0 {
					size = *meta.PerPage
				}
				if meta.TotalResults != nil {
					total = *meta.TotalResults
				}
			}
			start += len(items)
			switch {
			case len(items) == 0:
				return
			case total >= 0 && start >= total:
				return
			case total < 0 && len(items) < size:
				return
			}
		}
	}
}

// pageSum hashes a page's records; ok is false when they do not encode.
func pageSum[T any](items []T) (sum [sha256.Size]byte, ok bool) {
	b, err := json.Marshal(items)
	if err != nil {
		return sum, false
	}
	return sha256.Sum256(b), true
}
