package search

import "encoding/json"

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
func sourcesJSON(list []Source) string {
	if len(list) == 0 {
		return ""
	}
	b, _ := json.Marshal(list) // strings only: cannot fail
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
