package search

import (
	"context"
	"net/url"
	"runtime"
	"strings"
	"time"
)

// Limits on the raw query string, checked before anything else is done with
// it, so that what a request costs is bounded by these numbers rather than by
// what a visitor sends. The largest search the form can make (500 characters
// of q, twenty values of each filter) fits with room to spare.
const (
	MaxQueryBytes = 16 << 10 // bytes of the query string as sent, percent-encoded
	MaxParams     = 100      // parameters, counted by their & separators
	maxValueLen   = 100      // characters of one filter value (slugs are short)
)

// Admission: how long a search may take, and how long it may wait for a slot.
const (
	searchTimeout = 5 * time.Second
	queueWait     = 250 * time.Millisecond
	retryAfter    = "1" // seconds, in the 503's Retry-After
)

// ParseQuery splits a raw URL query into parameters. It refuses a query
// longer than MaxQueryBytes or with more than MaxParams parameters before
// decoding any of it, and a parameter that is not valid URL encoding: unlike
// url.URL.Query, it never drops a parameter silently (a dropped filter would
// widen the search to every page).
func ParseQuery(raw string) (url.Values, error) {
	if len(raw) > MaxQueryBytes {
		return nil, bad("query", "the query is %d bytes long; the limit is %d", len(raw), MaxQueryBytes)
	}
	if n := strings.Count(raw, "&") + 1; n > MaxParams {
		return nil, bad("query", "the query has %d parameters; the limit is %d", n, MaxParams)
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		return nil, bad("query", "the query cannot be read (%v): encode it as a form does", err)
	}
	return v, nil
}

// Busy is a search the server would not start, or stopped, to stay
// responsive: too many at once, or one past its deadline. It is answered 503
// with Retry-After.
type Busy struct{ Message string }

func (e *Busy) Error() string { return e.Message }

var (
	errBusy = &Busy{"search is busy: too many searches at once; try again in a second"}
	errSlow = &Busy{"the search took too long and was stopped; try again, or with fewer words"}
)

// Gate admits a few searches at a time and turns the rest away after a short
// wait, so that a burst of expensive requests queues neither CPU nor memory:
// each admitted search keeps its slot until it has really finished, even if
// its answer has already gone out as a 503 at the deadline.
type Gate struct {
	slots chan struct{}
	wait  time.Duration
}

// NewGate admits slots searches at once (0: two per CPU) and lets others wait
// up to wait for a slot (0: a quarter of a second).
func NewGate(slots int, wait time.Duration) *Gate {
	if slots <= 0 {
		slots = 2 * runtime.GOMAXPROCS(0)
	}
	if wait <= 0 {
		wait = queueWait
	}
	return &Gate{slots: make(chan struct{}, slots), wait: wait}
}

func (g *Gate) enter(ctx context.Context) bool {
	select {
	case g.slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}

func (g *Gate) leave() { <-g.slots }

// run runs search in a slot and returns its answer, or errBusy when no slot
// comes free in time, or errSlow when ctx ends first. The answer is bounded
// in wall time even where bleve does not look at ctx (building fuzzy
// searchers, for one).
func (g *Gate) run(ctx context.Context, search func(context.Context) (*Result, error)) (*Result, error) {
	if !g.enter(ctx) {
		if ctx.Err() != nil {
			return nil, errSlow
		}
		return nil, errBusy
	}
	if ctx.Err() != nil {
		g.leave()
		return nil, errSlow
	}
	type outcome struct {
		res *Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		defer g.leave()
		res, err := search(ctx)
		done <- outcome{res, err}
	}()
	select {
	case o := <-done:
		if o.err != nil && ctx.Err() != nil {
			return nil, errSlow
		}
		return o.res, o.err
	case <-ctx.Done():
		return nil, errSlow
	}
}

// Option configures a Handler.
type Option func(*handler)

// WithGate shares one Gate between handlers, as the preview does across the
// handlers of successive builds; by default each handler has its own.
func WithGate(g *Gate) Option { return func(h *handler) { h.gate = g } }

// WithDeadline bounds the wall time of each search, from the request's
// arrival to its answer, waiting for a slot included (default 5 s).
func WithDeadline(d time.Duration) Option { return func(h *handler) { h.deadline = d } }

// WithCacheControl sets the Cache-Control of successful answers. The default
// lets browsers and Netlify's CDN keep them for a minute, which suits a
// deployed index; the preview, whose index changes with every edit, says
// no-store.
func WithCacheControl(v string) Option { return func(h *handler) { h.cache = v } }
