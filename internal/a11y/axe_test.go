package a11y

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// templates names one page of every layout of the theme, from the real site.
func (e *env) templates(t *testing.T) map[string]string {
	t.Helper()
	s := e.model.Site
	pages := map[string]string{
		"home":               "/",
		"page":               "/about/",
		"measures":           "/measures/",
		"measure":            s.Measures[0].URL,
		"topics":             "/topics/",
		"organisations":      "/organisations/",
		"search":             "/search/",
		"search-results":     "/search/?q=digital",
		"search-no-results":  "/search/?q=zzqqxxyy",
		"search-error":       "/search/?sort=sideways",
		"search-filtered":    "/search/?q=digital&measure=improve-care&type=case-study",
		"search-paged":       "/search/?q=digital&size=2&page=3",
		"search-past-end":    "/search/?q=digital&page=99",
		"search-bad-filter":  "/search/?q=digital&measure=citizens",
		"404":                "/no-such-page/",
		"assessment":         "/self-assessment/",
		"assessment-form":    "/self-assessment/organisation/",
		"assessment-results": "/self-assessment/results/?audience=organisation&WL1=3&WL2=1&SP1=0&SP5=dk&IC1=2",
		"assessment-error":   "/self-assessment/results/?audience=organisation&WL1=9",
	}
	for _, sec := range s.Sections {
		pages["section-"+sec.Folder] = sec.URL
		if sec.Len() == 0 {
			t.Errorf("section %s has no items to test its single layout with", sec.Folder)
			continue
		}
		pages["single-"+sec.Type] = sec.At(0).URL
	}
	if len(s.Topics) == 0 || len(s.Organisations) == 0 {
		t.Fatal("the knowledge base has no topics or organisations to test their layouts with")
	}
	pages["topic"] = s.Topics[0].URL
	pages["organisation"] = s.Organisations[0].URL
	return pages
}

// cspWatch records, in every document the tab loads, what the page's
// Content-Security-Policy blocked. DevTools scripts are exempt from the policy.
const cspWatch = `window.__kbCSP = [];
document.addEventListener('securitypolicyviolation', e => window.__kbCSP.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')));`

func watchCSP() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch})
		return err
	})
}

// TestAxeEveryTemplate loads one page of every template in Chromium, with the
// site's security headers on, and runs axe-core's WCAG 2.2 A and AA rules:
// there must be no violation, and the policy must have blocked nothing.
func TestAxeEveryTemplate(t *testing.T) {
	e := need(t)
	for name, path := range e.templates(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := e.tab(t)
			if err := chromedp.Do(ctx, watchCSP(), chromedp.Navigate(e.url+path)); err != nil {
				t.Fatal(err)
			}
			vs, err := Axe(ctx, e.axe)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				t.Errorf("%s: %s", path, v)
			}
			blocked, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__kbCSP`))
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range blocked {
				t.Errorf("%s: Content-Security-Policy: %s", path, b)
			}
		})
	}
}

// TestAxeFindsProblems makes sure the harness can fail: a page with an image
// without alt text and an unlabelled field must give violations.
func TestAxeFindsProblems(t *testing.T) {
	e := need(t)
	ctx := e.tab(t)
	doc := `<!DOCTYPE html><html><head><title>x</title></head><body><main><img src="/x.png"><input></main></body></html>`
	if err := chromedp.Do(ctx, chromedp.Navigate("data:text/html,"+url.PathEscape(doc))); err != nil {
		t.Fatal(err)
	}
	vs, err := Axe(ctx, e.axe)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, v := range vs {
		ids[v.ID] = true
	}
	for _, want := range []string{"image-alt", "html-has-lang", "label"} {
		if !ids[want] {
			t.Errorf("axe did not report %s; got %v", want, ids)
		}
	}
}

// TestCSPIsEnforced makes sure the policy is on in the browser and the watch
// in TestAxeEveryTemplate would see a breach: an inline script added to a
// served page must be refused and reported.
func TestCSPIsEnforced(t *testing.T) {
	e := need(t)
	ctx := e.tab(t)
	if err := chromedp.Do(ctx, watchCSP(), chromedp.Navigate(e.url+"/")); err != nil {
		t.Fatal(err)
	}
	inject := `new Promise(done => {
		const s = document.createElement('script'); s.textContent = 'window.__kbRan = true'; document.head.appendChild(s);
		setTimeout(() => done([String(window.__kbRan === true)].concat(window.__kbCSP)), 200) })`
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](inject, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 2 || got[0] != "false" || !strings.HasPrefix(got[1], "script-src") {
		t.Errorf("inline script was not refused by the policy: ran, violations = %q", got)
	}
}
