package serve

import (
	"encoding/json"
	"golang.org/x/net/html"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// searchURLs asks /api/search and returns the URLs found.
func (ts *testServer) searchURLs(q string) []string {
	ts.t.Helper()
	resp, err := ts.client.Get(ts.url + "/api/search?" + url.Values{"q": {q}}.Encode())
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		ts.t.Fatalf("/api/search?q=%s: %d", q, resp.StatusCode)
	}
	var res struct {
		Results []struct{ URL string } `json:"results"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		ts.t.Fatal(err)
	}
	var urls []string
	for _, r := range res.Results {
		urls = append(urls, r.URL)
	}
	sort.Strings(urls)
	return urls
}

// Search follows edits: a new page is found, a renamed one under its new URL
// only, a deleted one not at all, and a changed one by its new words.
func TestSearchFollowsEdits(t *testing.T) {
	ts := startServer(t, sampleSite(), func(o *Options) { o.Search = NewSearch() })
	ts.write("content/guides/c.md", page("Gamma guide", "Zebrafish telemetry."))
	ts.waitBuild()
	if got := ts.searchURLs("zebrafish"); len(got) != 1 || got[0] != "/guides/c/" {
		t.Errorf("new page: %v", got)
	}
	ts.rename("content/guides/c.md", "content/guides/d.md")
	ts.waitBuild()
	if got := ts.searchURLs("zebrafish"); len(got) != 1 || got[0] != "/guides/d/" {
		t.Errorf("renamed page: %v", got)
	}
	ts.write("content/guides/d.md", page("Gamma guide", "Axolotl telemetry."))
	ts.waitBuild()
	if got := ts.searchURLs("zebrafish"); len(got) != 0 {
		t.Errorf("old words still found: %v", got)
	}
	if got := ts.searchURLs("axolotl"); len(got) != 1 || got[0] != "/guides/d/" {
		t.Errorf("edited page: %v", got)
	}
	ts.remove("content/guides/d.md")
	ts.waitBuild()
	if got := ts.searchURLs("axolotl"); len(got) != 0 {
		t.Errorf("deleted page still found: %v", got)
	}
	if code, doc, _ := ts.get("/search/?q=alpha"); code != http.StatusOK || find(doc, func(n *html.Node) bool {
		return n.Data == "script" && attr(n, "src") == "/_kb/reload.js"
	}) == nil {
		t.Errorf("/search/ page: %d, or no reload script", code)
	}
}

// An edit to synonyms.txt reaches the preview's search: a new group finds
// the pages that use its other terms.
func TestSynonymsEditReachesSearch(t *testing.T) {
	ts := startServer(t, sampleSite(), func(o *Options) { o.Search = NewSearch() })
	if got := ts.searchURLs("axolotl"); len(got) != 0 {
		t.Fatalf("found before the group exists: %v", got)
	}
	ts.write("synonyms.txt", "axolotl, alpha body\n")
	ts.waitBuild()
	if got := ts.searchURLs("axolotl"); len(got) != 1 || got[0] != "/guides/a/" {
		t.Errorf("after adding the group: %v", got)
	}
}

// A title edit, which patches the site model in place, reaches the search
// documents, the lists and the related items of other pages, and reloads the
// tabs showing them.
func TestTitleEditReachesListsAndSearch(t *testing.T) {
	ts := startServer(t, sampleSite(), func(o *Options) { o.Search = NewSearch() })
	list, b := ts.open("/guides/"), ts.open("/guides/b/")
	ts.write("content/guides/a.md", page("Okapi guide", "Alpha body text."))
	ts.waitBuild()
	for _, tab := range []*tab{list, b} {
		if e := tab.next(t); e.Name != "reload" {
			t.Errorf("tab got %q, want reload", e.Name)
		}
	}
	if got := ts.searchURLs("okapi"); len(got) != 1 || got[0] != "/guides/a/" {
		t.Errorf("search for the new title: %v", got)
	}
	for _, u := range []string{"/guides/", "/guides/b/", "/topics/cyber-security/", "/measures/well-led/"} {
		if _, doc, _ := ts.get(u); !strings.Contains(mainText(doc), "Okapi guide") {
			t.Errorf("%s does not show the new title: %q", u, mainText(doc))
		}
	}
}

// The preview's search answers are never cached: the next edit changes them.
func TestSearchAnswersAreNotCached(t *testing.T) {
	ts := startServer(t, sampleSite(), func(o *Options) { o.Search = NewSearch() })
	for _, path := range []string{"/api/search?q=alpha", "/search/?q=alpha"} {
		resp, err := ts.client.Get(ts.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Cache-Control"); resp.StatusCode != http.StatusOK || got != "no-store" {
			t.Errorf("%s: %d, Cache-Control %q, want no-store", path, resp.StatusCode, got)
		}
	}
}
