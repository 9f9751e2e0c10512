package ivvy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/invitekit/invitekit/internal/httpx"
)

// MaxBatchJobs is the most jobs iVvy accepts in one batch run (more fail
// with specific code 24448).
const MaxBatchJobs = 200

// BatchOption configures RunBatch.
type BatchOption func(*batchSettings)

type batchSettings struct {
	first, max time.Duration
	sleep      func(context.Context, time.Duration) error
}

// WithPollInterval sets the first wait between progress polls and its cap;
// each wait is 1.5 times the previous one (defaults 1s and 30s).
func WithPollInterval(first, max time.Duration) BatchOption {
	return func(s *batchSettings) { s.first, s.max = first, max }
}

// BatchOutcome is the result of RunBatch: one result per job, in the order
// the jobs were given.
type BatchOutcome struct {
	AsyncIDs []string         // one per batch of at most MaxBatchJobs jobs
	Results  []BatchJobResult // in job order
	Polls    int              // progress calls made
}

// RunBatch runs any number of jobs as batches of at most MaxBatchJobs, polls
// each batch's progress with a growing interval until it is done, and
// returns the results in job order. It stops when the context ends. The iVvy
// server posts each batch's results to callbackURL as well.
func (a *API) RunBatch(ctx context.Context, jobs []BatchJob, callbackURL string, opts ...BatchOption) (*BatchOutcome, error) {
	s := batchSettings{first: time.Second, max: 30 * time.Second, sleep: httpx.Sleep}
	for _, o := range opts {
		o(&s)
	}
	if len(jobs) == 0 {
		return nil, errors.New("ivvy: RunBatch: no jobs")
	}
	if callbackURL == "" {
		return nil, errors.New("ivvy: RunBatch: a callback URL is required")
	}
	if s.first <= 0 || s.max < s.first {
		return nil, fmt.Errorf("ivvy: RunBatch: poll interval %v..%v is not valid", s.first, s.max)
	}
	jobs = append([]BatchJob(nil), jobs...) // the caller's slice is left alone
	for i, j := range jobs {
		if j.Namespace == "" || j.Action == "" {
			return nil, fmt.Errorf("ivvy: RunBatch: job %d needs a namespace and an action", i+1)
		}
		if j.Params == nil {
			jobs[i].Params = map[string]any{} // iVvy wants an object, even an empty one
		}
	}
	out := &BatchOutcome{}
	for lo := 0; lo < len(jobs); lo += MaxBatchJobs {
		part := jobs[lo:min(lo+MaxBatchJobs, len(jobs))]
		started, err := a.BatchRun(ctx, BatchRunRequest{Jobs: part, CallbackURL: callbackURL})
		if err != nil {
			return out, fmt.Errorf("ivvy: RunBatch: jobs %d-%d: %w", lo+1, lo+len(part), err)
		}
		out.AsyncIDs = append(out.AsyncIDs, started.AsyncID)
		results, err := a.waitBatch(ctx, started.AsyncID, s, out)
		if err != nil {
			return out, fmt.Errorf("ivvy: RunBatch: batch %s: %w", started.AsyncID, err)
		}
		if len(results.Results) != len(part) {
			return out, fmt.Errorf("ivvy: RunBatch: batch %s returned %d results for %d jobs", started.AsyncID, len(results.Results), len(part))
		}
		out.Results = append(out.Results, results.Results...)
	}
	return out, nil
}

// waitBatch polls until the batch is done and returns its results.
func (a *API) waitBatch(ctx context.Context, asyncID string, s batchSettings, out *BatchOutcome) (*BatchResults, error) {
	wait := s.first
	for {
		p, err := a.BatchProgress(ctx, BatchAsyncRequest{Async: asyncID})
		out.Polls++
		if err != nil {
			return nil, err
		}
		if p.Progress >= 100 {
			res, err := a.BatchResults(ctx, BatchAsyncRequest{Async: asyncID})
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.SpecificCode != 24114 {
				return res, err
			}
			// Reported complete but results not ready yet: keep polling.
		}
		if err := s.sleep(ctx, wait); err != nil {
			return nil, err
		}
		wait = min(wait*3/2, s.max)
	}
}

// DecodeJobResponse decodes a batch job's response into T. A job that failed
// gives its exception as an *APIError.
func DecodeJobResponse[T any](r BatchJobResult) (*T, error) {
	if len(r.Response) == 0 {
		return nil, fmt.Errorf("ivvy: batch job %s.%s has no response", r.Namespace, r.Action)
	}
	if e := exception(r.Action, r.Response); e != nil {
		return nil, e
	}
	out := new(T)
	if err := json.Unmarshal(r.Response, out); err != nil {
		return nil, fmt.Errorf("ivvy: batch job %s.%s: %w", r.Namespace, r.Action, err)
	}
	return out, nil
}
