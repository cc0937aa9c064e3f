package search

import (
	"encoding/json"
	"time"

	"github.com/nhsx/kb/internal/content"
)

// Source is one document a hit's page cites, so that a client of the API can
// show where the page's facts come from as the page itself does.
type Source struct {
	Title     string `json:"title"`
	URL       string `json:"url"`
	Publisher string `json:"publisher"`
	Published string `json:"published,omitempty"` // YYYY-MM-DD; absent when the source gives no date
	Accessed  string `json:"accessed"`            // YYYY-MM-DD
}

// sourcesJSON is the stored form of a page's sources: the index keeps them
// as one JSON text, so that an opened index answers without the site.
func sourcesJSON(list []content.Source) string {
	if len(list) == 0 {
		return ""
	}
	out := make([]Source, len(list))
	for i, s := range list {
		out[i] = Source{Title: s.Title, URL: s.URL, Publisher: s.Publisher, Accessed: dateString(s.Accessed)}
		if !s.Published.IsZero() {
			out[i].Published = dateString(s.Published)
		}
	}
	b, _ := json.Marshal(out) // strings only: cannot fail
	return string(b)
}

// sourcesOf reads the stored form back; never nil, so the API always gives a list.
func sourcesOf(stored string) []Source {
	out := []Source{}
	if stored != "" {
		_ = json.Unmarshal([]byte(stored), &out) // written by sourcesJSON
	}
	return out
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
