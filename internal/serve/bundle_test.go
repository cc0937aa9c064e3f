package serve

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"github.com/nhsx/kb/internal/sitetest"
)

// bundleSite is the sample site with a page bundle holding a report.
func bundleSite() map[string]string {
	files := sampleSite()
	files["content/guides/x/index.md"] = page("Bundle", "See [the data](data.csv).")
	files["content/guides/x/data.csv"] = "a,b\n1,2\n"
	return files
}

// texts lists the text of each problem of a build.
func texts(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Text)
	}
	return out
}

// pres lists the text of every pre element, where the error page puts
// each problem.
func pres(n *html.Node) []string {
	var out []string
	if n.Type == html.ElementNode && n.Data == "pre" {
		out = append(out, text(n))
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, pres(c)...)
	}
	return out
}

// The preview never serves a bundle's HTML or script: a contributor's
// report.html loading app.js would run on the preview's origin as it would
// on the site's. Present from the start, they are the error page's
// problems; added while the preview runs, they are the overlay's, and the
// last good build (which never had them) goes on being served.
func TestPreviewNeverServesBundleScript(t *testing.T) {
	const html, js = `<script src="app.js"></script><p>report</p>`, "document.title = 'pwned'\n"
	wantHTML := "content/guides/x/report.html:1:1: kb does not publish .html files from content/: a browser would run any script in it on the site's own address: publish it as a PDF, or link to it where it is hosted"
	wantJS := "content/guides/x/app.js:1:1: kb does not publish .js files from content/: it would run as script on the site's own address: link to the code where it is hosted"

	t.Run("from the start", func(t *testing.T) {
		files := bundleSite()
		files["content/guides/x/report.html"] = html
		files["content/guides/x/app.js"] = js
		ts := startServer(t, files)
		for _, p := range []string{"/guides/x/report.html", "/guides/x/app.js"} {
			code, doc, body := ts.get(p)
			if code == http.StatusOK || strings.Contains(string(body), "pwned") || strings.Contains(string(body), `src="app.js"`) {
				t.Errorf("GET %s: status %d, body %.200q", p, code, body)
			}
			if got := pres(doc); strings.Join(got, "\n") != wantJS+"\n"+wantHTML {
				t.Errorf("GET %s: the error page lists %q, not the refused files", p, got)
			}
		}
	})

	t.Run("added while running", func(t *testing.T) {
		ts := startServer(t, bundleSite())
		if code, _, _ := ts.get("/guides/x/data.csv"); code != http.StatusOK {
			t.Fatalf("the bundle's CSV: status %d", code)
		}
		ts.write("content/guides/x/report.html", html)
		ts.write("content/guides/x/app.js", js)
		var got []string
		for deadline := time.Now().Add(20 * time.Second); len(got) < 2 && time.Now().Before(deadline); {
			got = texts(ts.waitBuild().Problems)
		}
		if strings.Join(got, "\n") != wantJS+"\n"+wantHTML {
			t.Fatalf("problems:\n%s\nwant:\n%s\n%s", strings.Join(got, "\n"), wantJS, wantHTML)
		}
		for _, p := range []string{"/guides/x/report.html", "/guides/x/app.js"} {
			if code, _, body := ts.get(p); code == http.StatusOK || strings.Contains(string(body), "pwned") {
				t.Errorf("GET %s: status %d, body %.200q", p, code, body)
			}
		}
	})
}

// An alias that would replace a generated file is the overlay's problem, at
// the alias's line, as in kb check and kb build; the feed is still served.
func TestPreviewRefusesAliasOverFeed(t *testing.T) {
	ts := startServer(t, sampleSite())
	ts.write("content/guides/a.md", page("Alpha guide", "Alpha body text.", "aliases: [/feed.xml]"))
	want := `content/guides/a.md:6:11: alias "/feed.xml" names a file: an alias must be a folder-style address ending in /, such as /feed/ (kb writes the redirect as its index.html)`
	if got := texts(ts.waitBuild().Problems); len(got) != 1 || got[0] != want {
		t.Fatalf("problems %q\nwant %s", got, want)
	}
	if code, _, body := ts.get("/feed.xml"); code != http.StatusOK || !strings.Contains(string(body), "<feed") {
		t.Errorf("/feed.xml: status %d, body %.200q", code, body)
	}
}

// A named pipe created while the preview runs is reported, not opened: the
// rebuild must not wait for ever on a writer.
func TestPreviewRefusesNamedPipe(t *testing.T) {
	ts := startServer(t, sampleSite())
	sitetest.Fifo(t, filepath.Join(ts.dir, "content", "guides", "p.md"))
	want := "content/guides/p.md:1:1: this is a named pipe (FIFO), not an ordinary file: kb reads only files and folders from content/; remove it"
	if got := texts(ts.waitBuildWithin(30 * time.Second).Problems); len(got) != 1 || got[0] != want {
		t.Fatalf("problems %q\nwant %s", got, want)
	}
}

// In a real browser: the bundle's report.html, opened in the preview, runs
// none of the bundle's script (it once did, under script-src 'self').
func TestBrowserRunsNoBundleScript(t *testing.T) {
	ctx := browser(t)
	files := bundleSite()
	files["content/guides/x/report.html"] = `<!DOCTYPE html><title>report</title><script src="app.js"></script>`
	files["content/guides/x/app.js"] = "document.title = 'pwned';\n"
	ts := startServer(t, files)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.url+"/guides/x/report.html")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // time for a script to run, were there one
	title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`))
	if err != nil {
		t.Fatal(err)
	}
	if title == "pwned" || title == "report" {
		t.Errorf("the preview served the bundle's report.html (title %q)", title)
	}
}
