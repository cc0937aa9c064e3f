package search_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/search"
)

const (
	joined   = "/case-studies/joined-up-records/"
	young    = "/case-studies/young-minds-portal/"
	meds     = "/blueprints/medicines-on-wards/"
	portal   = "/blueprints/patient-portal/"
	cyber    = "/standards/cyber-essentials/"
	allItems = 5
)

func TestQueriesFindTheRightPages(t *testing.T) {
	s := mini(t)
	for _, c := range []struct {
		name, params string
		want         []string // exactly these, in any order
		first        string   // and this one first, if set
	}{
		{"acronym to long form", "q=EPR", []string{joined, portal}, joined},
		{"long form to acronym", "q=camhs", []string{young}, young},
		{"hyphenated synonym", "q=e-prescribing", []string{meds}, meds},
		{"typo", "q=medicnes", []string{meds}, meds},
		{"plural and stem", "q=prescriptions", []string{meds}, meds},
		{"prefix while typing", "q=phish", []string{cyber}, cyber},
		{"phrase", "q=%22remote+monitoring%22", []string{meds}, meds},
		{"phrase in the wrong order", "q=%22monitoring+remote%22", nil, ""},
		{"phrase over a stop word", "q=%22train+staff+against+phishing%22", []string{cyber}, cyber},
		{"phrase missing its stop word", "q=%22train+staff+phishing%22", nil, ""},
		{"phrase whose word pairs sit apart", "q=%22phishing+staff+training%22", nil, ""},
		{"phrase of words in order", "q=%22rare+is+phishing+staff%22", []string{cyber}, cyber},
		{"all words must match", "q=portal+phishing", nil, ""},
		{"stop words only", "q=the+and+", nil, ""},
		{"measure filter", "q=portal&measure=empower-citizens", []string{young, portal}, ""},
		{"type filter", "q=portal&measure=empower-citizens&type=blueprint", []string{portal}, portal},
		{"or within a field", "measure=safe-practice&measure=smart-foundations", []string{joined, meds, cyber}, ""},
		{"and across fields", "measure=safe-practice,smart-foundations&type=standard", []string{cyber}, cyber},
		{"topic filter", "topic=epr", []string{joined, portal}, ""},
		{"organisation filter", "organisation=northern-lincolnshire-and-goole-nhs-foundation-trust", []string{joined}, joined},
		{"empty query lists everything, newest first", "", []string{portal, joined, young, meds, cyber}, portal},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := s.API(t, c.params)
			got := urls(res)
			if res.Total != len(c.want) || !sameSet(got, c.want) {
				t.Fatalf("%s: got %v (total %d), want %v", c.params, got, res.Total, c.want)
			}
			if c.first != "" && got[0] != c.first {
				t.Errorf("%s: first is %s, want %s", c.params, got[0], c.first)
			}
		})
	}
}

func TestEmptyQueryIsInNewestOrder(t *testing.T) {
	res := mini(t).API(t, "")
	want := []string{portal, joined, young, meds, cyber}
	if !slices.Equal(urls(res), want) {
		t.Fatalf("got %v, want %v", urls(res), want)
	}
}

func TestSortNewest(t *testing.T) {
	res := mini(t).API(t, "q=portal&sort=newest")
	if got := urls(res); !slices.Equal(got, []string{portal, young}) {
		t.Fatalf("got %v, want the newer portal page first", got)
	}
	if res.Sort != "newest" {
		t.Errorf("sort = %q", res.Sort)
	}
}

func TestDraftsAreNotIndexed(t *testing.T) {
	for _, h := range mini(t).API(t, "q=unpublished").Results {
		t.Errorf("draft page found: %s", h.URL)
	}
	if n := mini(t).Idx.Len(); n != allItems {
		t.Errorf("index has %d pages, want %d", n, allItems)
	}
}

func TestSnippetsAreEscapedAndMarked(t *testing.T) {
	res := mini(t).API(t, "q=worry")
	if len(res.Results) != 1 {
		t.Fatalf("got %v", urls(res))
	}
	snip := res.Results[0].Snippet
	for _, want := range []string{"advice &amp; self-refer when <mark>worry</mark> scores &lt; 10"} {
		if !strings.Contains(snip, want) {
			t.Errorf("snippet %q lacks %q", snip, want)
		}
	}
}

func TestResultFields(t *testing.T) {
	res := mini(t).API(t, "q=EPR")
	h := res.Results[0]
	if h.Title != "Joining up two hospitals' records" || h.Type != "case-study" || h.Date != "2026-04-27" {
		t.Errorf("hit = %+v", h)
	}
	wantM := []search.Label{{Slug: "smart-foundations", Name: "Ensure smart foundations"}, {Slug: "improve-care", Name: "Improve care"}}
	if !slices.Equal(h.Measures, wantM) {
		t.Errorf("measures = %v, want %v", h.Measures, wantM)
	}
	if len(h.Organisations) != 1 || h.Organisations[0].Name != "Northern Lincolnshire and Goole NHS Foundation Trust" {
		t.Errorf("organisations = %v", h.Organisations)
	}
	if len(h.Topics) != 1 || h.Topics[0] != (search.Label{Slug: "epr", Name: "Electronic patient records"}) {
		t.Errorf("topics = %v", h.Topics)
	}
}

func TestPaging(t *testing.T) {
	s := mini(t)
	var seen []string
	for page, n := range []int{2, 2, 1} {
		res := s.API(t, url.Values{"size": {"2"}, "page": {itoa(page + 1)}}.Encode())
		if len(res.Results) != n || res.Total != allItems || res.Pages != 3 || res.Page != page+1 {
			t.Fatalf("page %d: %d results, total %d, pages %d", page+1, len(res.Results), res.Total, res.Pages)
		}
		seen = append(seen, urls(res)...)
	}
	if !sameSet(seen, []string{portal, joined, young, meds, cyber}) {
		t.Errorf("pages together hold %v", seen)
	}
	if res := s.API(t, "page=9"); len(res.Results) != 0 || res.Total != allItems {
		t.Errorf("a page past the end: %v, total %d", urls(res), res.Total)
	}
}

func TestFacetCounts(t *testing.T) {
	res := mini(t).API(t, "measure=empower-citizens")
	count := func(fs []search.FacetValue, v string) (int, bool) {
		for _, f := range fs {
			if f.Value == v {
				return f.Count, f.Selected
			}
		}
		return -1, false
	}
	// The measure facet ignores the measure filter: other measures still count.
	if n, sel := count(res.Facets.Measure, "empower-citizens"); n != 2 || !sel {
		t.Errorf("empower-citizens: %d selected=%v", n, sel)
	}
	if n, _ := count(res.Facets.Measure, "safe-practice"); n != 2 {
		t.Errorf("safe-practice: %d, want 2", n)
	}
	if len(res.Facets.Measure) != 7 || res.Facets.Measure[0].Label != "Well led" {
		t.Errorf("measure facet should list all seven in order: %+v", res.Facets.Measure)
	}
	// Other facets do follow the measure filter.
	if n, _ := count(res.Facets.Type, "blueprint"); n != 1 {
		t.Errorf("blueprint: %d, want 1", n)
	}
	if n, _ := count(res.Facets.Type, "case-study"); n != 1 {
		t.Errorf("case-study: %d, want 1", n)
	}
	if n, _ := count(res.Facets.Topic, "mental-health"); n != 1 || res.Facets.Topic[0].Label == "" {
		t.Errorf("mental-health: %d; topics %+v", n, res.Facets.Topic)
	}
}

func TestJSONShape(t *testing.T) {
	w := mini(t).Get(t, "/api/search?q=portal")
	if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"results", "total", "facets", "took", "page", "pages"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("answer lacks %q: %s", k, w.Body)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestHitsCarryTheirSources: each hit lists the sources its page cites, and
// a page citing none gives an empty list, not null.
func TestHitsCarryTheirSources(t *testing.T) {
	s := mini(t)
	res := s.API(t, "q=phishing")
	if len(res.Results) != 1 || res.Results[0].URL != cyber {
		t.Fatalf("results = %+v", res.Results)
	}
	want := []search.Source{{Title: "Cyber Essentials", URL: "https://www.ncsc.gov.uk/cyberessentials/overview",
		Publisher: "National Cyber Security Centre", Published: "2024-04-01", Accessed: "2025-06-01"}}
	if got := res.Results[0].Sources; !slices.Equal(got, want) {
		t.Errorf("sources = %+v, want %+v", got, want)
	}
	w := s.Get(t, "/api/search?q=records")
	if !strings.Contains(w.Body.String(), `"sources":[]`) {
		t.Errorf("a page without sources should give \"sources\":[] in %s", w.Body.String())
	}
}
