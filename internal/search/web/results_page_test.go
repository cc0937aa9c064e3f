package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// text is the selection's text with runs of white space made one space.
func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

func TestSelectedFiltersCanBeRemovedAndCleared(t *testing.T) {
	s := mini(t)
	res := s.API(t, "q=records&measure=improve-care&type=case-study")
	doc := s.page(t, "q=records&measure=improve-care&type=case-study&sort=newest", http.StatusOK)
	sel := doc.Find("#search-results #search-selected")
	if got := text(sel.Find("h3")); got != "Selected filters" {
		t.Errorf("heading %q", got)
	}
	want := map[string]string{
		"Remove filter: Success measure: Improve care ×": "/search/?q=records&sort=newest&type=case-study",
		"Remove filter: Type: Case study ×":              "/search/?measure=improve-care&q=records&sort=newest",
	}
	links := sel.Find("a.kb-selected__remove")
	if links.Length() != len(want) {
		t.Errorf("%d remove links, want %d", links.Length(), len(want))
	}
	links.Each(func(_ int, a *goquery.Selection) {
		if href, ok := want[text(a)]; !ok || a.AttrOr("href", "") != href {
			t.Errorf("remove link %q -> %q; want one of %v", text(a), a.AttrOr("href", ""), want)
		}
	})
	clear := sel.Find(".kb-selected__clear a")
	if text(clear) != "Clear filters" || clear.AttrOr("href", "") != "/search/?q=records&sort=newest" {
		t.Errorf("clear link %q -> %q", text(clear), clear.AttrOr("href", ""))
	}
	wantStatus := fmt.Sprintf("%d results for ‘records’ in Improve care, Case study", res.Total)
	if res.Total == 1 {
		wantStatus = "1 result for ‘records’ in Improve care, Case study"
	}
	if got := text(doc.Find("#search-status")); got != wantStatus {
		t.Errorf("status %q, want %q", got, wantStatus)
	}
	// With no filters there is nothing to summarise or clear.
	doc = s.page(t, "q=records", http.StatusOK)
	if n := doc.Find("#search-selected, .kb-selected__clear").Length(); n != 0 {
		t.Errorf("a search without filters shows %d selected-filter elements", n)
	}
}

func TestStatusLineNamesFiltersWithoutQuery(t *testing.T) {
	s := mini(t)
	res := s.API(t, "measure=improve-care")
	doc := s.page(t, "measure=improve-care", http.StatusOK)
	if got, want := text(doc.Find("#search-status")), fmt.Sprintf("%d results in Improve care", res.Total); got != want {
		t.Errorf("status %q, want %q", got, want)
	}
}

func TestPaginationIsTheNHSComponent(t *testing.T) {
	s := mini(t)
	res := s.API(t, "size=1")
	if res.Pages < 4 {
		t.Fatalf("the mini site has %d pages of one; the test needs 4", res.Pages)
	}
	doc := s.page(t, "size=1&page=2", http.StatusOK)
	nav := doc.Find(`nav.nhsuk-pagination.nhsuk-pagination--numbered[aria-label="Results pages"]`)
	if nav.Length() != 1 {
		t.Fatal("no numbered nhsuk-pagination")
	}
	prev := nav.Find("a.nhsuk-pagination__previous[rel=prev]")
	if got, want := text(prev), fmt.Sprintf("Previous page: 1 of %d", res.Pages); got != want || prev.AttrOr("href", "") != "/search/?size=1" {
		t.Errorf("previous %q -> %q, want %q", got, prev.AttrOr("href", ""), want)
	}
	next := nav.Find("a.nhsuk-pagination__next[rel=next]")
	if got, want := text(next), fmt.Sprintf("Next page: 3 of %d", res.Pages); got != want || next.AttrOr("href", "") != "/search/?page=3&size=1" {
		t.Errorf("next %q -> %q, want %q", got, next.AttrOr("href", ""), want)
	}
	if got := text(nav.Find(".nhsuk-pagination__title").First()); got != "Previous page" {
		t.Errorf("previous title %q", got)
	}
	// Pages 1, 2 (current), 3, a gap, and the last.
	var items []string
	nav.Find("li.nhsuk-pagination__item").Each(func(_ int, li *goquery.Selection) {
		a := li.Find("a.nhsuk-pagination__link")
		switch {
		case li.HasClass("nhsuk-pagination__item--ellipsis"):
			items = append(items, "…")
		case li.HasClass("nhsuk-pagination__item--current"):
			if a.AttrOr("aria-current", "") != "page" {
				t.Errorf("the current page lacks aria-current")
			}
			items = append(items, "["+text(a)+"]")
		default:
			if a.AttrOr("aria-label", "") != "Page "+text(a) {
				t.Errorf("page link %q labelled %q", text(a), a.AttrOr("aria-label", ""))
			}
			items = append(items, text(a))
		}
	})
	want := []string{"1", "[2]", "3", "…", fmt.Sprint(res.Pages)}
	if res.Pages == 4 {
		want = []string{"1", "[2]", "3", "4"}
	}
	if strings.Join(items, " ") != strings.Join(want, " ") {
		t.Errorf("page items %v, want %v", items, want)
	}
	// The first page has no Previous, the last no Next.
	if doc := s.page(t, "size=1", http.StatusOK); doc.Find("a[rel=prev]").Length() != 0 {
		t.Error("page 1 links to a previous page")
	}
	if doc := s.page(t, fmt.Sprintf("size=1&page=%d", res.Pages), http.StatusOK); doc.Find("a[rel=next]").Length() != 0 {
		t.Error("the last page links to a next page")
	}
}

// A page past the last is a 404 that says so and links to the last page:
// the address names a page that does not exist, as /guides/page/99/ would.
func TestPagePastTheEnd(t *testing.T) {
	s := mini(t)
	res := s.API(t, "q=portal&size=1")
	doc := s.page(t, "q=portal&size=1&page=99", http.StatusNotFound)
	msg := doc.Find("#search-results .kb-search__past-end")
	want := fmt.Sprintf("There is no page 99 of these results: they end at page %d. Go to page %d, the last page.", res.Pages, res.Pages)
	if got := text(msg); got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if href := msg.Find("a").AttrOr("href", ""); href != fmt.Sprintf("/search/?page=%d&q=portal&size=1", res.Pages) {
		t.Errorf("link to the last page %q", href)
	}
	if n := doc.Find("ol.kb-results, nav.nhsuk-pagination").Length(); n != 0 {
		t.Errorf("a page past the end lists results or pages (%d)", n)
	}
	if got := text(doc.Find("#search-status")); strings.Contains(got, "page 99") {
		t.Errorf("status %q speaks of page 99", got)
	}
	// No results at all: page 2 is past the end, and the link is page 1.
	doc = s.page(t, "q=zebra&page=2", http.StatusNotFound)
	if href := doc.Find(".kb-search__past-end a").AttrOr("href", ""); href != "/search/?q=zebra" {
		t.Errorf("link for a search with no results %q", href)
	}
}

func TestOptionsWithNoResultsAreNotOffered(t *testing.T) {
	s := mini(t)
	res := s.API(t, "q=portal")
	doc := s.page(t, "q=portal", http.StatusOK)
	zero := 0
	for _, fv := range res.Facets.Type {
		box := doc.Find(`input[name=type][value="` + fv.Value + `"]`)
		if fv.Count == 0 {
			zero++
			if box.Length() != 0 {
				t.Errorf("type %s has no results but is offered", fv.Value)
			}
		} else if box.Length() != 1 {
			t.Errorf("type %s has %d results but is not offered", fv.Value, fv.Count)
		}
	}
	if zero == 0 {
		t.Fatal("the test needs a type with no results for portal")
	}
	// A chosen option stays, even with no results, so it can be unticked.
	doc = s.page(t, "q=zebra&type=guide", http.StatusOK)
	box := doc.Find(`input[name=type][value=guide]`)
	if _, checked := box.Attr("checked"); box.Length() != 1 || !checked {
		t.Error("the chosen type guide, with no results, is not offered ticked")
	}
}

// errorSummary checks the page's one NHS.UK error summary: focusable, with a
// link to a field that is on the page, saying msg; it returns the link.
func errorSummary(t *testing.T, doc *goquery.Document, msg string) string {
	t.Helper()
	sum := doc.Find("#search-errors .nhsuk-error-summary[data-module=nhsuk-error-summary][tabindex='-1']")
	if sum.Length() != 1 {
		t.Fatalf("%d focusable error summaries", sum.Length())
	}
	if got := text(sum.Find("[role=alert] h2.nhsuk-error-summary__heading")); got != "There is a problem" {
		t.Errorf("heading %q", got)
	}
	a := sum.Find("ul.nhsuk-error-summary__list li a")
	if got := text(a); got != msg {
		t.Errorf("error %q, want %q", got, msg)
	}
	href := a.AttrOr("href", "")
	if !strings.HasPrefix(href, "#") || doc.Find(href).Length() != 1 {
		t.Errorf("the error links to %q, which is not on the page", href)
	}
	return href
}

func TestBadFilterShowsAReadersErrorAndTheRest(t *testing.T) {
	s := mini(t)
	for _, c := range []struct{ params, field, msg string }{
		{"q=portal&measure=citizens", "#filter-measure", "We could not use the success measures in this search, so we left them out. Select success measures from the list"},
		{"q=portal&type=blueprints", "#filter-type", "We could not use the types in this search, so we left them out. Select types from the list"},
		{"q=portal&topic=mental", "#filter-topic", "We could not use the topics in this search, so we left them out. Select topics from the list"},
		{"q=portal&sort=sideways", "#search-sort", "Choose how to sort the results: best match or newest first. We have shown the best match first"},
	} {
		doc := s.page(t, c.params, http.StatusBadRequest)
		if href := errorSummary(t, doc, c.msg); href != c.field {
			t.Errorf("%s: the error links to %q, want %q", c.params, href, c.field)
		}
		body := doc.Find("main").Text()
		for _, dev := range []string{"valid ", "unknown ", "did you mean", "slug"} {
			if strings.Contains(strings.ToLower(body), dev) {
				t.Errorf("%s: the page speaks to developers (%q)", c.params, dev)
			}
		}
		// The rest of the search still runs, with the bad filter left out.
		if doc.Find("ol.kb-results li").Length() == 0 {
			t.Errorf("%s: no results for the rest of the search", c.params)
		}
		if strings.HasPrefix(c.field, "#filter-") {
			if _, open := doc.Find("details#search-filter-panel").Attr("open"); !open {
				t.Errorf("%s: the filter panel is closed, hiding the field the error links to", c.params)
			}
		}
	}
}

func TestTooLongQueryShowsAReadersError(t *testing.T) {
	doc := mini(t).page(t, "q="+strings.Repeat("a", 501), http.StatusBadRequest)
	msg := "Your search must be 500 characters or fewer. Shorten it and search again"
	if href := errorSummary(t, doc, msg); href != "#search-query" {
		t.Errorf("the error links to %q", href)
	}
	if got := text(doc.Find("#search-query-group.nhsuk-form-group--error #search-query-error")); got != "Error: "+msg {
		t.Errorf("message by the box %q", got)
	}
	if _, ok := doc.Find("#search-query.nhsuk-input--error").Attr("aria-describedby"); !ok {
		t.Error("the box is not marked as in error")
	}
	if _, hidden := doc.Find("#search-side").Attr("hidden"); !hidden {
		t.Error("an empty filter panel is shown beside no results")
	}
}

func TestResultDatesAreWrittenAsOnThePages(t *testing.T) {
	doc := mini(t).page(t, "q=joining+hospitals", http.StatusOK)
	tm := doc.Find(`.kb-result time[datetime="2026-04-27"]`)
	if got := text(tm); got != "27 April 2026" {
		t.Errorf("date %q, want 27 April 2026", got)
	}
}
