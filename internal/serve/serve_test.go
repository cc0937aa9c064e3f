package serve

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/net/html"
)

// bleve starts its analysis workers when the package loads, once per process.
var leakOptions = []goleak.Option{goleak.IgnoreTopFunction("github.com/blevesearch/bleve_index_api.AnalysisWorker")}

// Every test must leave no goroutine behind: the server, watcher, event
// streams and build workers all end on shutdown.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, leakOptions...)
}

func sampleSite() map[string]string {
	return map[string]string{
		"site.yaml":           "title: Test KB\n",
		"content/guides/a.md": page("Alpha guide", "Alpha body text."),
		"content/guides/b.md": page("Beta guide", "Beta body text, see [Alpha](a.md)."),
		"content/about.md":    "---\ntitle: About\nsummary: About this site.\n---\n\nAbout text.\n",
	}
}

// An edit reloads the tabs showing the changed page and no other, and only
// once the new page is being served.
func TestEditReloadsOnlyTabsShowingIt(t *testing.T) {
	ts := startServer(t, sampleSite())
	a, b := ts.open("/guides/a/"), ts.open("/guides/b/")

	ts.write("content/guides/a.md", page("Alpha guide", "Alpha body, edited."))
	r := ts.waitBuild()
	if r.Update == nil || r.Update.Rendered >= len(r.Update.Outputs)/2 {
		t.Fatalf("one-page edit should re-render a few outputs, got %+v", r.Update)
	}
	if e := a.next(t); e.Name != "reload" {
		t.Fatalf("tab on /guides/a/ got %q, want reload", e.Name)
	}
	b.quiet(t)
	if _, doc, _ := ts.get("/guides/a/"); !strings.Contains(mainText(doc), "Alpha body, edited.") {
		t.Errorf("after reload /guides/a/ shows %q", mainText(doc))
	}
}

// Creating, renaming and deleting pages updates their URLs and the lists.
func TestCreateRenameDelete(t *testing.T) {
	ts := startServer(t, sampleSite())
	list := ts.open("/guides/")

	ts.write("content/guides/c.md", page("Gamma guide", "Gamma body."))
	ts.waitBuild()
	if e := list.next(t); e.Name != "reload" {
		t.Fatalf("section list tab got %q, want reload", e.Name)
	}
	if code, doc, _ := ts.get("/guides/c/"); code != 200 || !strings.Contains(mainText(doc), "Gamma body.") {
		t.Fatalf("new page: %d %q", code, mainText(doc))
	}
	if _, doc, _ := ts.get("/guides/"); !links(doc)["/guides/c/"] {
		t.Errorf("section list lacks the new page: %v", links(doc))
	}

	ts.rename("content/guides/c.md", "content/guides/d.md")
	ts.waitBuild()
	if code, _, _ := ts.get("/guides/c/"); code != http.StatusNotFound {
		t.Errorf("old URL after rename: %d, want 404", code)
	}
	if code, _, _ := ts.get("/guides/d/"); code != 200 {
		t.Errorf("new URL after rename: %d", code)
	}
	_, doc, _ := ts.get("/guides/")
	if l := links(doc); l["/guides/c/"] || !l["/guides/d/"] {
		t.Errorf("section list after rename: %v", l)
	}

	ts.remove("content/guides/d.md")
	ts.waitBuild()
	if code, _, _ := ts.get("/guides/d/"); code != http.StatusNotFound {
		t.Errorf("deleted page: %d, want 404", code)
	}
	if _, doc, _ := ts.get("/guides/"); links(doc)["/guides/d/"] {
		t.Errorf("section list still links the deleted page")
	}
}

// A changed stylesheet is swapped in place: a css event, no reload.
func TestCSSChangeSwapsStylesheet(t *testing.T) {
	files := sampleSite()
	files["static/kb.css"] = "body { color: black }\n"
	ts := startServer(t, files)
	a := ts.open("/guides/a/")
	ts.write("static/kb.css", "body { color: navy }\n")
	ts.waitBuild()
	e := a.next(t)
	if e.Name != "css" {
		t.Fatalf("got %q, want css", e.Name)
	}
	if paths, _ := e.Data["paths"].([]any); len(paths) != 1 || paths[0] != "/assets/kb.css" {
		t.Errorf("css paths %v", e.Data["paths"])
	}
	a.quiet(t)
	resp, err := ts.client.Get(ts.url + "/assets/kb.css")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("stylesheet served as %q", ct)
	}
}

// A stylesheet saved while a tab is away (its event stream dropped, the
// browser reconnecting) is swapped in when it reconnects; a script saved
// meanwhile reloads it, as it would have had it been listening.
func TestAssetChangeWhileReconnecting(t *testing.T) {
	files := sampleSite()
	files["static/kb.css"] = "body { color: black }\n"
	files["static/kb.js"] = "console.log(1)\n"
	ts := startServer(t, files)
	_, doc, _ := ts.get("/guides/a/")
	v := strings.TrimPrefix(attr(find(doc, func(n *html.Node) bool {
		return n.Data == "script" && strings.HasPrefix(attr(n, "src"), "/_kb/reload.js")
	}), "src"), "/_kb/reload.js?v=")
	ts.connect("/guides/a/", v).close() // connected once, then dropped
	ts.write("static/kb.css", "body { color: navy }\n")
	ts.waitBuild()
	a := ts.connect("/guides/a/", v) // the browser reconnects with the same URL
	e := a.next(t)
	if paths, _ := e.Data["paths"].([]any); e.Name != "css" || len(paths) != 1 || paths[0] != "/assets/kb.css" {
		t.Fatalf("on reconnecting: %s %v, want css [/assets/kb.css]", e.Name, e.Data)
	}
	a.quiet(t)
	a.close()
	ts.write("static/kb.js", "console.log(2)\n")
	ts.waitBuild()
	if e := ts.connect("/guides/a/", v).next(t); e.Name != "reload" {
		t.Errorf("on reconnecting after a script changed: %s, want reload", e.Name)
	}
}

// A burst of changes (a git checkout) gives one or two rebuilds, not one per file.
// The test writes its burst file by file: under a loaded CI machine a pause
// between two writes can outlast the 10 ms the other tests wait for quiet,
// so this one waits for 100 ms, still far less than a person notices.
func TestBurstIsOneRebuild(t *testing.T) {
	ts := startServer(t, sampleSite(), func(o *Options) { o.Quiet = 100 * time.Millisecond })
	for i := range 100 {
		ts.write("content/guides/burst-"+string(rune('a'+i%26))+strings.Repeat("x", i/26)+".md", page("Burst", "Body."))
	}
	ts.waitBuild()
	extra := 0
	for {
		select {
		case <-ts.builds:
			extra++
			continue
		case <-time.After(500 * time.Millisecond):
		}
		break
	}
	if extra > 1 {
		t.Errorf("100 files written at once gave %d rebuilds, want 1 or 2", extra+1)
	}
	if code, _, _ := ts.get("/guides/burst-z/"); code != 200 {
		t.Errorf("last file of the burst: %d", code)
	}
}

// Editor droppings and chmod-only changes do not rebuild.
func TestIgnoredFilesDoNotRebuild(t *testing.T) {
	ts := startServer(t, sampleSite())
	ts.write("content/guides/.a.md.swp", "swap")
	ts.write("content/guides/a.md~", "backup")
	ts.write("content/guides/4913", "")
	ts.chmod("content/guides/a.md", 0o600)
	select {
	case r := <-ts.builds:
		t.Errorf("rebuilt for ignored files: %+v", r)
	case <-time.After(150 * time.Millisecond):
	}
}

// Polling, forced with --poll, sees edits too.
func TestPolling(t *testing.T) {
	ts := startServer(t, sampleSite(), func(o *Options) { o.Poll, o.PollInterval = true, 20*time.Millisecond })
	ts.write("content/guides/a.md", page("Alpha guide", "Polled edit."))
	ts.waitBuild()
	if _, doc, _ := ts.get("/guides/a/"); !strings.Contains(mainText(doc), "Polled edit.") {
		t.Errorf("after a polled edit: %q", mainText(doc))
	}
}

// A page bundle's new file and a renamed bundle folder are found through the
// real watcher, as are edits after them: an edit the watcher names is read
// without walking content/, and anything else walks it.
func TestBundleFileAndFolderRename(t *testing.T) {
	site := sampleSite()
	site["content/guides/x/index.md"] = page("Xray guide", "Xray body, see [the report](report.pdf).")
	site["content/guides/x/report.pdf"] = "%PDF-1.4 report"
	ts := startServer(t, site)

	ts.write("content/guides/x/annex.pdf", "%PDF-1.4 annex")
	ts.waitBuild()
	if code, _, body := ts.get("/guides/x/annex.pdf"); code != 200 || string(body) != "%PDF-1.4 annex" {
		t.Fatalf("new bundle file: %d, %d bytes", code, len(body))
	}

	ts.rename("content/guides/x", "content/guides/y")
	ts.waitBuild()
	if code, _, _ := ts.get("/guides/x/"); code != http.StatusNotFound {
		t.Errorf("old folder's page after rename: %d, want 404", code)
	}
	for _, p := range []string{"/guides/y/", "/guides/y/report.pdf", "/guides/y/annex.pdf"} {
		if code, _, _ := ts.get(p); code != 200 {
			t.Errorf("%s after the folder's rename: %d", p, code)
		}
	}

	ts.write("content/guides/y/index.md", page("Xray guide", "Edited after the rename."))
	ts.waitBuild()
	if _, doc, _ := ts.get("/guides/y/"); !strings.Contains(mainText(doc), "Edited after the rename.") {
		t.Errorf("edit after the rename: %q", mainText(doc))
	}
	ts.write("content/guides/a.md", page("Alpha guide", "Alpha edited."))
	ts.waitBuild()
	if _, doc, _ := ts.get("/guides/a/"); !strings.Contains(mainText(doc), "Alpha edited.") {
		t.Errorf("edit of another page: %q", mainText(doc))
	}
}
