package content

import (
	"fmt"
	"strings"
	"time"
)

// Source is a public document a page's facts come from, listed in the page's
// sources: field and shown as its numbered "Sources" section.
type Source struct {
	Title     string
	URL       string
	Publisher string
	Published time.Time // zero when the source gives no date
	Accessed  time.Time // when a contributor last read it
}

var sourceFields = map[string]bool{"title": true, "url": true, "publisher": true, "published": true, "accessed": true}

// sources reads the sources: list, each item a group of fields. Checks on the
// values themselves (https, dates) are in checkSources.
func (d decoder) sources(key string) []Source {
	v, ok := d.m[key]
	if !ok || v == nil {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		d.fail(key, "%s must be a list of sources, each with title, url, publisher and accessed, not %s", key, shape(v))
		return nil
	}
	out := make([]Source, 0, len(items))
	for i, it := range items {
		m, ok := stringMap(it)
		if !ok {
			d.fail(key, "source %d of %s must be a group of fields (title, url, publisher, published, accessed), not %s", i+1, key, shape(it))
			continue
		}
		var s Source
		for k, val := range m {
			if !sourceFields[k] {
				d.errs.Addf(d.p.KeyPos(key), "source %d has an unknown field %q: a source has title, url, publisher, published and accessed", i+1, k)
				continue
			}
			switch k {
			case "title", "url", "publisher":
				str, isStr := val.(string)
				if !isStr {
					d.errs.Addf(d.p.KeyPos(key), "source %d: %s must be text, not %s", i+1, k, shape(val))
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
					d.errs.Addf(d.p.KeyPos(key), "source %d: %s %v", i+1, k, err)
					continue
				}
				if k == "published" {
					s.Published = t
				} else {
					s.Accessed = t
				}
			}
		}
		out = append(out, s)
	}
	return out
}

func sourceDate(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case string:
		if parsed, err := time.Parse(time.DateOnly, strings.TrimSpace(t)); err == nil {
			return parsed, nil
		}
		return time.Time{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD", t)
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
