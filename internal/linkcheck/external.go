package linkcheck

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/nhsx/kb/internal/diag"
)

// Target is one web address written in the content, with where it is
// written: a source's url or a link in a page's Markdown.
type Target struct {
	URL string
	Pos diag.Pos
}

// External checks web addresses over the network, for kb check --external.
// It is never part of a build, which stays offline and repeatable: sites
// outside the knowledge base come and go whatever its content says.
type External struct {
	// Client makes the requests; nil means http.DefaultClient's behaviour
	// (redirects followed, up to ten).
	Client *http.Client
	// Timeout bounds each request; zero means DefaultTimeout.
	Timeout time.Duration
	// Concurrency is how many addresses are checked at once; zero means
	// DefaultConcurrency. Few, so that no site sees kb as a flood.
	Concurrency int
	// UserAgent names kb to the sites it asks; some refuse Go's default.
	UserAgent string
}

// Defaults for External.
const (
	DefaultTimeout     = 15 * time.Second
	DefaultConcurrency = 8
)

// Outcome is what one address gave.
type Outcome struct {
	Target
	// Status is the final HTTP status; 0 when no answer came.
	Status int
	// Final is the address the redirects led to, when they led elsewhere.
	Final string
	// Err says why the address is broken; "" when it is not.
	Err string
}

// Broken reports whether readers following the address would not reach a page.
func (o Outcome) Broken() bool { return o.Err != "" }

// Moved reports whether the address now redirects elsewhere.
func (o Outcome) Moved() bool { return o.Err == "" && o.Final != "" }

// Check asks about every target, each distinct address once, and returns an
// outcome for every target in the order given.
func (e External) Check(ctx context.Context, targets []Target) []Outcome {
	byURL := map[string]*Outcome{}
	var urls []string
	for _, t := range targets {
		if _, seen := byURL[t.URL]; !seen {
			byURL[t.URL] = &Outcome{}
			urls = append(urls, t.URL)
		}
	}
	n := e.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		sem <- struct{}{}
		go func(u string, o *Outcome) {
			defer func() { <-sem; wg.Done() }()
			o.Status, o.Final, o.Err = e.one(ctx, u)
		}(u, byURL[u])
	}
	wg.Wait()
	out := make([]Outcome, len(targets))
	for i, t := range targets {
		out[i] = *byURL[t.URL]
		out[i].Target = t
	}
	return out
}

// one checks one address: HEAD first, as it fetches no body, then GET when
// the server refuses HEAD (405, or 403 and 501 from servers that treat an
// unexpected method as forbidden or unknown).
func (e External) one(ctx context.Context, u string) (status int, final, problem string) {
	resp, err := e.request(ctx, http.MethodHead, u)
	if err == nil && (resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotImplemented) {
		resp, err = e.request(ctx, http.MethodGet, u)
	}
	if err != nil {
		return 0, "", describe(err)
	}
	if f := resp.Request.URL.String(); f != u {
		final = f
	}
	if resp.StatusCode >= 400 {
		return resp.StatusCode, final, fmt.Sprintf("the server answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return resp.StatusCode, final, ""
}

// request makes one request within the per-request timeout. The body is
// closed unread: only the status and the final address matter.
func (e External) request(ctx context.Context, method, u string) (*http.Response, error) {
	timeout := e.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, err
	}
	if e.UserAgent != "" {
		req.Header.Set("User-Agent", e.UserAgent)
	}
	client := e.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return resp, nil
}

// describe words a request error for a contributor.
func describe(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer in time (the site is down or very slow)"
	case errors.Is(err, context.Canceled):
		return "the check was stopped"
	}
	return "the request failed: " + err.Error()
}
