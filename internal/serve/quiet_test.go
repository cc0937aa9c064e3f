package serve

import "testing"

// An edit that only changes a page's text goes through the preview's quick
// path (site.Replace): a link it leaves as text is reported there too, at
// its [, and a page whose front matter breaks gets only its own error, not
// one for each page linking to it.
func TestPreviewReportsLinksLeftAsTextAndOnlyTheBrokenPage(t *testing.T) {
	ts := startServer(t, sampleSite())
	ts.write("content/guides/a.md", page("Alpha guide", "See [Beta](b.md#who owns it)."))
	r := ts.waitBuild()
	want := "content/guides/a.md:9:5: this link is published as text, brackets and all, because its address has spaces: anchors are written with hyphens, in lower case: [Beta](b.md#who-owns-it)"
	if len(r.Problems) != 1 || r.Problems[0].Text != want {
		t.Fatalf("problems %#v\nwant %s", r.Problems, want)
	}
	ts.write("content/guides/a.md", "---\ntitle: Alpha: the first\nsummary: About Alpha.\nmeasures: [well-led]\n---\n\nAlpha body text.\n")
	r = ts.waitBuild()
	want = "content/guides/a.md:2:13: front matter is not valid YAML: the value of title has a colon and a space, which YAML reads as the start of another field: put the title in single quotes: title: 'Alpha: the first'"
	if len(r.Problems) != 1 || r.Problems[0].Text != want {
		t.Fatalf("problems %#v\nwant %s", r.Problems, want)
	}
}
