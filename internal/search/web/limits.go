package web

import (
	"context"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/nhsx/kb/internal/search"
)

// Limits on the raw query string, checked before anything else is done with
// it, so that what a request costs is bounded by these numbers rather than by
// what a visitor sends. The largest search the form can make (500 characters
// of q, twenty values of each filter) fits with room to spare.
const (
	MaxQueryBytes = 16 << 10 // bytes of the query string as sent, percent-encoded
	MaxParams     = 100      // parameters, counted by their & separators
)

// MaxHeaderBytes is what an http.Server in front of Handler should allow for
// a request's line and headers (http.Server.MaxHeaderBytes): room for the
// longest query and ordinary headers, while a request line of megabytes,
// which the handler would refuse anyway, is refused (431) before the server
// has buffered and copied it. Go's default is 1 MB.
const MaxHeaderBytes = 4 * MaxQueryBytes

// Admission: how long a search may take, how long it may wait for a slot,
// and how many may wait per slot. The wait and the queue let a hundred
// clients of ordinary searches take turns on a busy two-core machine without
// being turned away (make bench-load); beyond the queue, a 503 is at once.
const (
	searchTimeout = 5 * time.Second
	queueWait     = 2 * time.Second
	queuePerSlot  = 32
	retryAfter    = "1" // seconds, in the 503's Retry-After
)

// ParseQuery splits a raw URL query into parameters. It refuses a query
// longer than MaxQueryBytes or with more than MaxParams parameters before
// decoding any of it, and a parameter that is not valid URL encoding: unlike
// url.URL.Query, it never drops a parameter silently (a dropped filter would
// widen the search to every page).
func ParseQuery(raw string) (url.Values, error) {
	if len(raw) > MaxQueryBytes {
		return nil, badQuery("the query is %d bytes long; the limit is %d", len(raw), MaxQueryBytes)
	}
	if n := strings.Count(raw, "&") + 1; n > MaxParams {
		return nil, badQuery("the query has %d parameters; the limit is %d", n, MaxParams)
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		return nil, badQuery("the query cannot be read (%v): encode it as a form does", err)
	}
	return v, nil
}

// badQuery is a query string refused as a whole.
func badQuery(format string, args ...any) *search.BadRequest {
	return &search.BadRequest{Param: "query", Message: fmt.Sprintf(format, args...)}
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
// its answer has already gone out as a 503 at the deadline. A long query
// (see heavy) also needs one of the few heavy slots: its near-spelling
// automata can allocate hundreds of megabytes, so only a few run at once and
// ordinary searches keep the other slots.
type Gate struct {
	slots    chan struct{}
	heavy    chan struct{}
	waiting  atomic.Int64
	maxQueue int64
	wait     time.Duration
}

// NewGate admits slots searches at once (0: two per CPU), a quarter of them
// heavy (at least one), and lets up to 32 per slot more wait up to wait for
// a slot (0: two seconds).
func NewGate(slots int, wait time.Duration) *Gate {
	if slots <= 0 {
		slots = 2 * runtime.GOMAXPROCS(0)
	}
	if wait <= 0 {
		wait = queueWait
	}
	return &Gate{slots: make(chan struct{}, slots), heavy: make(chan struct{}, max(1, slots/4)),
		maxQueue: int64(queuePerSlot * slots), wait: wait}
}

// heavyWords is how many words make a query heavy: more than people type,
// and each word may cost a near-spelling search.
const heavyWords = 8

// heavy says whether q has more than heavyWords words.
func heavy(q string) bool { return countWords(q, heavyWords+1) > heavyWords }

// countWords counts the runs of letters and digits in q, as the analyser
// splits words (e-prescribing is two), stopping at limit.
func countWords(q string, limit int) int {
	n, in := 0, false
	for _, r := range q {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		if w && !in {
			if n++; n >= limit {
				return n
			}
		}
		in = w
	}
	return n
}

// enter takes a slot of lane, waiting if the queue is not full.
func (g *Gate) enter(ctx context.Context, lane chan struct{}) bool {
	select {
	case lane <- struct{}{}:
		return true
	default:
	}
	if g.waiting.Add(1) > g.maxQueue {
		g.waiting.Add(-1)
		return false
	}
	defer g.waiting.Add(-1)
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case lane <- struct{}{}:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}

// admit takes the slots a query needs, or none; release gives them back.
func (g *Gate) admit(ctx context.Context, q string) (release func(), ok bool) {
	lanes := []chan struct{}{g.slots}
	if heavy(q) {
		lanes = []chan struct{}{g.heavy, g.slots}
	}
	held := lanes[:0:0]
	release = func() {
		for _, l := range held {
			<-l
		}
	}
	for _, l := range lanes {
		if !g.enter(ctx, l) {
			release()
			return nil, false
		}
		held = append(held, l)
	}
	return release, true
}

// run runs find for query text q in its slots and returns its answer, or
// errBusy when no slot comes free in time, or errSlow when ctx ends first.
// The answer is bounded in wall time even where bleve does not look at ctx
// (building near-spelling automata, for one).
func (g *Gate) run(ctx context.Context, q string, find func(context.Context) (*search.Result, error)) (*search.Result, error) {
	release, ok := g.admit(ctx, q)
	if !ok {
		if ctx.Err() != nil {
			return nil, errSlow
		}
		return nil, errBusy
	}
	if ctx.Err() != nil {
		release()
		return nil, errSlow
	}
	type outcome struct {
		res *search.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		defer release()
		res, err := find(ctx)
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
