package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// page fetches /search/ and parses it.
func (s *site) page(t *testing.T, params string, status int) *goquery.Document {
	t.Helper()
	w := s.Get(t, "/search/?"+params)
	if w.Code != status {
		t.Fatalf("/search/?%s: status %d, want %d", params, w.Code, status)
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	doc, err := goquery.NewDocumentFromReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestResultsPageWorksWithoutJavaScript(t *testing.T) {
	doc := mini(t).page(t, "q=portal&measure=empower-citizens", http.StatusOK)
	if n := doc.Find("h1").Length(); n != 1 {
		t.Errorf("%d h1 elements, want 1", n)
	}
	if got := doc.Find("#search-query").AttrOr("value", ""); got != "portal" {
		t.Errorf("query box holds %q", got)
	}
	if got := strings.TrimSpace(doc.Find("#search-status[role=status]").Text()); got != "2 results for ‘portal’ in Empower citizens" {
		t.Errorf("status %q", got)
	}
	var hrefs []string
	doc.Find("#search-results ol.kb-results li h3 a").Each(func(_ int, a *goquery.Selection) {
		hrefs = append(hrefs, a.AttrOr("href", ""))
	})
	if !sameSet(hrefs, []string{young, portal}) {
		t.Errorf("results %v", hrefs)
	}
	if doc.Find("#search-results mark").Length() == 0 {
		t.Error("no highlighted words in the snippets")
	}
	box := doc.Find(`form#kb-search[action="/search/"][method=get] input[type=checkbox][name=measure][value=empower-citizens]`)
	if _, checked := box.Attr("checked"); !checked {
		t.Error("the empower-citizens filter is not ticked")
	}
	label := doc.Find(`label[for="` + box.AttrOr("id", "?") + `"]`).Text()
	if !strings.HasPrefix(label, "Empower citizens (2") {
		t.Errorf("label %q", label)
	}
	// Every form control has a label.
	doc.Find("form#kb-search input:not([type=hidden]), form#kb-search select").Each(func(_ int, in *goquery.Selection) {
		if doc.Find(`label[for="`+in.AttrOr("id", "?")+`"]`).Length() != 1 {
			t.Errorf("control %s has no label", in.AttrOr("id", in.AttrOr("name", "?")))
		}
	})
	// Scripts are files, never inline, and the page works without them.
	doc.Find("script").Each(func(_ int, sc *goquery.Selection) {
		if _, ok := sc.Attr("src"); !ok {
			t.Errorf("inline script: %s", sc.Text())
		}
	})
	if doc.Find(`script[src="/assets/search.js"]`).Length() != 1 {
		t.Error("search.js is not loaded")
	}
}

func TestResultsPageShowsBadInput(t *testing.T) {
	doc := mini(t).page(t, "q=portal&measure=citizens", http.StatusBadRequest)
	summary := doc.Find(".nhsuk-error-summary [role=alert]")
	if !strings.Contains(summary.Text(), "We could not use the success measures in this search, so we left them out. Select success measures from the list") {
		t.Errorf("error summary %q", summary.Text())
	}
	// The link goes to the measure filters when they are shown, else to the
	// search box; either way to something on the page.
	if href := summary.Find("a").AttrOr("href", ""); href != "#filter-measure" && href != "#search-query" || doc.Find(href).Length() != 1 {
		t.Errorf("error links to %q, which is not on the page", href)
	}
	doc = mini(t).page(t, "q=%22portal", http.StatusBadRequest)
	if got := doc.Find("#search-query-error").Text(); !strings.Contains(got, "Your search has an opening quote mark without a closing one.") {
		t.Errorf("error message by the box: %q", got)
	}
	if got := doc.Find("#search-query").AttrOr("aria-describedby", ""); got != "search-query-hint search-query-error" {
		t.Errorf("aria-describedby %q", got)
	}
}

func TestResultsPagePaging(t *testing.T) {
	doc := mini(t).page(t, "size=2&page=2", http.StatusOK)
	if got := doc.Find("ol.kb-results").AttrOr("start", ""); got != "3" {
		t.Errorf("list starts at %q", got)
	}
	if got := doc.Find(`a[rel=prev]`).AttrOr("href", ""); got != "/search/?size=2" {
		t.Errorf("prev %q", got)
	}
	if got := doc.Find(`a[rel=next]`).AttrOr("href", ""); got != "/search/?page=3&size=2" {
		t.Errorf("next %q", got)
	}
	if got := doc.Find(`input[type=hidden][name=size]`).AttrOr("value", ""); got != "2" {
		t.Errorf("the form loses the page size: %q", got)
	}
}

func TestNoResults(t *testing.T) {
	doc := mini(t).page(t, "q=zebra&type=guide", http.StatusOK)
	if got := doc.Find("#search-results > p.nhsuk-body").Text(); !strings.HasPrefix(got, "No pages match ‘zebra’ with these filters.") {
		t.Errorf("no-results text %q", got)
	}
	if got := strings.TrimSpace(doc.Find("#search-status").Text()); got != "0 results for ‘zebra’ in Guide" {
		t.Errorf("status %q", got)
	}
}
