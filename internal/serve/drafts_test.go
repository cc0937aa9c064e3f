package serve

import (
	"strings"
	"testing"
)

func draftSite() map[string]string {
	files := sampleSite()
	files["content/guides/wip.md"] = page("Work in progress", "Not ready yet.", "draft: true")
	return files
}

// A preview showing drafts marks each with the NHS.UK warning callout; a
// published page has none.
func TestPreviewShowsDraftsWithACallout(t *testing.T) {
	ts := startServer(t, draftSite(), func(o *Options) { o.Build.Drafts = true })
	code, doc, body := ts.get("/guides/wip/")
	if code != 200 || !strings.Contains(mainText(doc), "Not ready yet.") {
		t.Fatalf("draft page: %d %q", code, mainText(doc))
	}
	if !strings.Contains(string(body), `<div class="nhsuk-warning-callout kb-draft">`) ||
		!strings.Contains(mainText(doc), "Important: Draft: not published") {
		t.Errorf("the draft has no warning callout:\n%s", body)
	}
	if _, _, body := ts.get("/guides/a/"); strings.Contains(string(body), "nhsuk-warning-callout") {
		t.Error("a published page is marked as a draft")
	}
	// Taking the draft line out takes the callout away on the next build.
	ts.write("content/guides/wip.md", page("Work in progress", "Ready now."))
	ts.waitBuild()
	if code, doc, body := ts.get("/guides/wip/"); code != 200 || !strings.Contains(mainText(doc), "Ready now.") || strings.Contains(string(body), "nhsuk-warning-callout") {
		t.Errorf("after publishing: %d %q", code, mainText(doc))
	}
}

// A preview hiding drafts answers a draft's URL, with or without its final
// slash, with a 404 that says why and how to see it; other missing pages get
// the site's plain 404.
func TestPreviewHidingDraftsExplainsTheir404(t *testing.T) {
	ts := startServer(t, draftSite())
	for _, p := range []string{"/guides/wip/", "/guides/wip"} {
		code, doc, _ := ts.get(p)
		text := mainText(doc)
		if code != 404 || !strings.Contains(text, "Page not found") ||
			!strings.Contains(text, "This page is a draft: content/guides/wip.md has draft: true in its front matter, and this preview hides drafts. Start kb serve with --drafts to see it, or remove the draft line to publish it.") {
			t.Errorf("%s: %d %q", p, code, text)
		}
	}
	if code, doc, _ := ts.get("/guides/nothing-here/"); code != 404 || strings.Contains(mainText(doc), "draft") {
		t.Errorf("a missing page: %d %q", code, mainText(doc))
	}
	// Publishing the draft makes its URL a page again.
	ts.write("content/guides/wip.md", page("Work in progress", "Ready now."))
	ts.waitBuild()
	if code, doc, body := ts.get("/guides/wip/"); code != 200 || !strings.Contains(mainText(doc), "Ready now.") || strings.Contains(string(body), "nhsuk-warning-callout") {
		t.Errorf("after publishing: %d %q", code, mainText(doc))
	}
}
