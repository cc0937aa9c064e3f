package serve

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds Debian's chromium (or another Chromium/Chrome on PATH).
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("browser test skipped: Chromium is not installed (apt-get install chromium; .ci/run installs it)")
	return ""
}

// browser starts headless Chromium with a fresh profile and nothing that
// talks to the network by itself.
func browser(t *testing.T) context.Context {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		// The NHS stylesheet loads its fonts from assets.nhs.uk: fail those at
		// once rather than hold up the load event on a machine without network.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Skipf("browser test skipped: Chromium would not start: %v", err)
	}
	return ctx
}

// In a real browser: an edit shows without a manual reload, a broken edit
// shows the overlay with path:line:col, and the fix clears it.
func TestBrowserLiveReloadAndOverlay(t *testing.T) {
	ctx := browser(t)
	ts := startServer(t, sampleSite())
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.url+"/guides/a/")); err != nil {
		t.Fatal(err)
	}
	ts.waitTabs(1)

	ts.write("content/guides/a.md", page("Alpha guide", "Seen in the browser."))
	ts.waitBuild()
	if err := waitFor(ctx, `document.querySelector("main").innerText.includes("Seen in the browser.")`); err != nil {
		t.Fatalf("the edit did not show: %v", err)
	}
	ts.waitTabs(1) // the reloaded page has connected again

	ts.write("content/guides/a.md", "---\ntitle: [Alpha\nsummary: x\n---\n\nBody.\n")
	ts.waitBuild()
	if err := waitFor(ctx, `!!document.getElementById("kb-overlay")`); err != nil {
		t.Fatalf("no overlay: %v", err)
	}
	overlay, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("kb-overlay").innerText`))
	if err != nil {
		t.Fatal(err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(overlay, "content/guides/a.md:2:8") || !strings.Contains(overlay, "front matter is not valid YAML") {
		t.Errorf("overlay says %q", overlay)
	}
	if !strings.Contains(shown, "Seen in the browser.") {
		t.Errorf("page under the overlay: %q", shown)
	}

	ts.write("content/guides/a.md", page("Alpha guide", "Fixed in the browser."))
	ts.waitBuild()
	if err := waitFor(ctx, `!document.getElementById("kb-overlay") && document.querySelector("main").innerText.includes("Fixed in the browser.")`); err != nil {
		t.Fatalf("the fix did not clear the overlay and show: %v", err)
	}
}

// waitFor evaluates expr in the page until it is true. A reload in between
// destroys the page's context, so errors are retried until the deadline.
func waitFor(ctx context.Context, expr string) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { try { return !!(`+expr+`) } catch (e) { return false } })()`))
		if err == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = errors.New("still false: " + expr)
			}
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}
