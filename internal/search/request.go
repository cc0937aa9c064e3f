package search

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nhsx/kb/internal/wgll"
)

// Limits on a request. They keep every query cheap and the answers bounded.
const (
	MaxQueryLen = 500 // characters of q
	MaxPageSize = 50
	DefaultSize = 20
	MaxPage     = 500
	maxFilters  = 20  // values of one filter
	maxValueLen = 100 // characters of one filter value (slugs are short)
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
)

// Request is one search: the query text, filters and the page wanted. Within
// a filter any value may match; across filters all must.
type Request struct {
	Query         string
	Measures      []string
	Types         []string
	Topics        []string
	Organisations []string
	Page, Size    int
	Sort          string
}

// BadRequest is an input error: the parameter at fault and what to do.
type BadRequest struct {
	Param   string `json:"param"`
	Message string `json:"error"`
}

func (e *BadRequest) Error() string { return e.Message }

func bad(param, format string, args ...any) *BadRequest {
	return &BadRequest{Param: param, Message: fmt.Sprintf(format, args...)}
}

// ParseRequest reads a request from URL parameters (q, measure, type, topic,
// organisation, page, size, sort) and checks everything it can without the
// index; Search checks topics and organisations against it.
func ParseRequest(v url.Values) (Request, error) {
	r := Request{Query: strings.TrimSpace(v.Get("q")), Page: 1, Size: DefaultSize, Sort: SortRelevance}
	if !utf8.ValidString(r.Query) {
		return r, bad("q", "q is not valid UTF-8 text")
	}
	if n := utf8.RuneCountInString(r.Query); n > MaxQueryLen {
		return r, bad("q", "q is %d characters long; the limit is %d", n, MaxQueryLen)
	}
	var err error
	if r.Measures, err = values(v, "measure", checkMeasure); err != nil {
		return r, err
	}
	if r.Types, err = values(v, "type", checkType); err != nil {
		return r, err
	}
	if r.Topics, err = values(v, "topic", nil); err != nil {
		return r, err
	}
	if r.Organisations, err = values(v, "organisation", nil); err != nil {
		return r, err
	}
	if r.Page, err = number(v, "page", 1, MaxPage, 1); err != nil {
		return r, err
	}
	if r.Size, err = number(v, "size", 1, MaxPageSize, DefaultSize); err != nil {
		return r, err
	}
	switch s := v.Get("sort"); s {
	case "", SortRelevance:
	case SortNewest:
		r.Sort = s
	default:
		return r, bad("sort", "unknown sort %q; use relevance or newest", s)
	}
	return r, nil
}

// values collects a repeatable parameter, also accepting comma-separated
// values, dropping empties and duplicates, and checking each. The count and
// length limits come before the checks, which suggest the nearest valid value
// and so cost more per value.
func values(v url.Values, name string, check func(string) error) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, raw := range v[name] {
		for s := range strings.SplitSeq(raw, ",") {
			s = strings.TrimSpace(s)
			if s == "" || seen[s] {
				continue
			}
			if n := utf8.RuneCountInString(s); n > maxValueLen {
				return nil, bad(name, "a %s value is %d characters long; the limit is %d", name, n, maxValueLen)
			}
			seen[s] = true
			out = append(out, s)
		}
	}
	if len(out) > maxFilters {
		return nil, bad(name, "too many %s values (%d); the limit is %d", name, len(out), maxFilters)
	}
	if check != nil {
		for _, s := range out {
			if err := check(s); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func checkMeasure(s string) error {
	if _, ok := wgll.Lookup(s); !ok {
		return bad("measure", "%s", wgll.Unknown(s))
	}
	return nil
}

func checkType(s string) error {
	if slices.Contains(wgll.Types(), s) {
		return nil
	}
	return bad("type", "%s", unknown("type", s, wgll.Types()))
}

// unknown explains an unknown filter value with the valid ones and the
// nearest, since most mistakes are typos.
func unknown(what, got string, valid []string) string {
	msg := fmt.Sprintf("unknown %s %q; valid %ss are %s", what, got, what, strings.Join(valid, ", "))
	if near := wgll.Nearest(got, valid); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return msg
}

func number(v url.Values, name string, lo, hi, def int) (int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, bad(name, "%s must be a whole number from %d to %d, not %q", name, lo, hi, truncate(s, 40))
	}
	return n, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Values is the request as URL parameters, leaving out defaults, so links
// (pages, facets) carry exactly the search shown.
func (r Request) Values() url.Values {
	v := url.Values{}
	if r.Query != "" {
		v.Set("q", r.Query)
	}
	for _, f := range []struct {
		name string
		vals []string
	}{{"measure", r.Measures}, {"type", r.Types}, {"topic", r.Topics}, {"organisation", r.Organisations}} {
		for _, s := range f.vals {
			v.Add(f.name, s)
		}
	}
	if r.Sort != SortRelevance && r.Sort != "" {
		v.Set("sort", r.Sort)
	}
	if r.Size != DefaultSize && r.Size != 0 {
		v.Set("size", strconv.Itoa(r.Size))
	}
	if r.Page > 1 {
		v.Set("page", strconv.Itoa(r.Page))
	}
	return v
}
