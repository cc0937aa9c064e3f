package content

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/nhsx/kb/internal/diag"
)

// Source is a public document a page's facts come from, listed in the page's
// sources: field and shown as its numbered "Sources" section.
type Source struct {
	Title     string
	URL       string
	Publisher string
	Published time.Time // zero when the source gives no date
	Accessed  time.Time // when a contributor last read it

	at fieldPositions // where the item and its fields are written
}

// Pos is where a field of the source is written ("" for the item itself), or
// the item's line when the field is missing, so that a message about one
// source points at that source rather than at the sources: key.
func (s Source) Pos(field string) diag.Pos { return s.at.value(field) }

var sourceFields = map[string]bool{"title": true, "url": true, "publisher": true, "published": true, "accessed": true}

// sources reads the sources: list, each item a group of fields, and checks
// each source on its own: what needs the date of the build (an accessed date
// in the future) is checked with the site.
func (d decoder) sources(key string) []Source {
	gs := d.groups(key, "a list of sources, each with title, url, publisher and accessed", "source", "title, url, publisher, published, accessed")
	if gs == nil {
		return nil
	}
	out := make([]Source, 0, len(gs))
	for _, g := range gs {
		s := Source{at: g.at}
		d.source(g.n, g.fields, &s)
		out = append(out, s)
	}
	return out
}

// group is one item of a front-matter list whose items are groups of fields
// (sources, downloads), with where it and its fields are written.
type group struct {
	n      int // its place in the list, from 1
	fields map[string]any
	at     fieldPositions
}

// groups reads key as a list of groups of fields. A value that is not a list
// is reported as not being want; an item that is not a group is reported as
// "<noun> N of key must be a group of fields (<fields>)" and left out.
func (d decoder) groups(key, want, noun, fields string) []group {
	v, ok := d.m[key]
	if !ok || v == nil {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		d.fail(key, "%s must be %s, not %s", key, want, shape(v))
		return nil
	}
	at := d.p.fm.itemPositions(key)
	out := make([]group, 0, len(items))
	for i, it := range items {
		g := group{n: i + 1, at: fieldPositions{item: d.p.KeyPos(key)}}
		if i < len(at) {
			g.at = at[i]
		}
		m, ok := stringMap(it)
		if !ok {
			d.wrong[key] = true
			d.errs.Addf(g.at.value(""), "%s %d of %s must be a group of fields (%s), not %s", noun, i+1, key, fields, shape(it))
			continue
		}
		g.fields = m
		out = append(out, g)
	}
	return out
}

// source fills s from one item's fields and reports what is wrong with them.
func (d decoder) source(n int, m map[string]any, s *Source) {
	bad := map[string]bool{} // given, but wrong, and said so
	for _, k := range sortedKeys(keysOf(m)) {
		val := m[k]
		if !sourceFields[k] {
			d.errs.Addf(s.at.key(k), "source %d has an unknown field %q: a source has title, url, publisher, published and accessed", n, k)
			continue
		}
		if val == nil {
			continue // reported as missing below
		}
		switch k {
		case "title", "url", "publisher":
			str, isStr := val.(string)
			if !isStr {
				bad[k] = true
				d.errs.Addf(s.Pos(k), "source %d: %s must be text, not %s", n, k, shape(val))
				continue
			}
			str = strings.TrimSpace(str)
			switch k {
			case "title":
				s.Title = str
			case "url":
				s.URL = str
			default:
				s.Publisher = str
			}
		case "published", "accessed":
			t, err := sourceDate(val)
			if err != nil {
				bad[k] = true
				d.errs.Addf(s.Pos(k), "source %d: %s %v", n, k, err)
				continue
			}
			if k == "published" {
				s.Published = t
			} else {
				s.Accessed = t
			}
		}
	}
	d.checkSource(n, s, bad)
}

// checkSource applies the rules a citation must meet for readers to find
// and trust the document: a title, a publisher, a secure address and the
// day someone last read it. Fields in bad were already reported.
func (d decoder) checkSource(n int, s *Source, bad map[string]bool) {
	if s.Title == "" && !bad["title"] {
		d.errs.Addf(s.Pos(""), "source %d has no title: add title: with the document's title as it is published", n)
	}
	if s.Publisher == "" && !bad["publisher"] {
		d.errs.Addf(s.Pos(""), "source %d has no publisher: add publisher: with who published it, such as \"NHS England\"", n)
	}
	switch {
	case s.URL == "" && !bad["url"]:
		d.errs.Addf(s.Pos(""), "source %d has no url: add url: with the https:// address where readers can find it", n)
	case s.URL != "":
		if msg := checkURL(s.URL); msg != "" {
			d.errs.Addf(s.Pos("url"), "source %d: url %q %s", n, s.URL, msg)
		}
	}
	if s.Accessed.IsZero() && !bad["accessed"] {
		d.errs.Addf(s.Pos(""), "source %d has no accessed date: add accessed: YYYY-MM-DD, the day you last read it", n)
	}
	if !s.Published.IsZero() && !s.Accessed.IsZero() && s.Published.After(s.Accessed) {
		d.errs.Addf(s.Pos("published"), "source %d: published %s is after accessed %s: a document cannot be read before it is published; check both dates", n, s.Published.Format(time.DateOnly), s.Accessed.Format(time.DateOnly))
	}
}

// checkURL says what is wrong with a source's address, or "".
func checkURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil || strings.ContainsAny(raw, " \t"):
		return "is not a web address: give the document's full address, such as https://www.england.nhs.uk/digitaltechnology/"
	case u.Scheme == "http":
		return "is not secure: use its https:// address, " + "https://" + strings.TrimPrefix(raw, "http://")
	case u.Scheme != "https":
		return "must start with https://: give the document's full address, such as https://www.england.nhs.uk/digitaltechnology/"
	case u.Host == "":
		return "has no host: give the document's full address, such as https://www.england.nhs.uk/digitaltechnology/"
	}
	return ""
}

func keysOf(m map[string]any) map[string]bool {
	keys := make(map[string]bool, len(m))
	for k := range m {
		keys[k] = true
	}
	return keys
}

func sourceDate(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case string:
		if parsed, err := time.Parse(time.DateOnly, strings.TrimSpace(t)); err == nil {
			return parsed, nil
		}
		return time.Time{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, such as 2026-03-31", t)
	}
	return time.Time{}, fmt.Errorf("must be a date written as YYYY-MM-DD, not %s", shape(v))
}

func stringMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, val := range m {
			out[fmt.Sprint(k)] = val
		}
		return out, true
	}
	return nil, false
}
