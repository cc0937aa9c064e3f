package a11y

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/nhsx/kb/internal/assess"
)

// focusNow describes the focused element: tag, name, value, whether it is
// checked, and whether its focus can be seen (the NHS.UK yellow focus ring,
// on a radio's drawn circle since the input itself is invisible).
const focusNow = `(() => { const a = document.activeElement; const yellow = 'rgb(255, 235, 59)';
	const radio = a.matches('.nhsuk-radios__input');
	const cs = radio ? getComputedStyle(a.nextElementSibling, '::before') : getComputedStyle(a);
	const seen = [cs.boxShadow, cs.backgroundColor, cs.outlineColor].some(v => v.includes(yellow));
	return [a.tagName.toLowerCase(), a.name || '', a.value || '', String(!!a.checked), String(seen)] })()`

// presses to reach each answer from the first radio of a group: Space
// chooses the first; arrows move and choose, wrapping round at the ends.
var answerKeys = map[string][]string{
	"0":  {" "},
	"1":  {kb.ArrowRight},
	"2":  {kb.ArrowRight, kb.ArrowRight},
	"3":  {kb.ArrowLeft, kb.ArrowLeft},
	"dk": {kb.ArrowLeft},
}

// TestKeyboardAnswersTheForm: with the keyboard alone, JavaScript on and
// off (then through the skip link), a reader Tabs into each statement's
// radios in the order of the form, chooses an answer with Space or the
// arrow keys, sees where the focus is at every step, reaches the button and
// submits with Enter; the results show
// those answers. With JavaScript the results come without a request.
func TestKeyboardAnswersTheForm(t *testing.T) {
	e := need(t)
	ids := statementIDs("organisation")(e)
	for _, script := range []bool{true, false} {
		name := map[bool]string{true: "JavaScript on", false: "JavaScript off"}[script]
		t.Run(name, func(t *testing.T) {
			ctx := e.tab(t)
			if !script {
				if err := chromedp.Do(ctx, noScript()); err != nil {
					t.Fatal(err)
				}
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(e.url+assess.FormURL("organisation"))); err != nil {
				t.Fatal(err)
			}
			presses := walkForm(t, ctx, ids, !script)
			before := e.results.Load()
			if _, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(kb.Enter)); err != nil && !script {
				t.Fatalf("submitting with Enter: %v", err)
			}
			presses++
			waitFor(t, ctx, `location.pathname === '`+assess.ResultsPath+`' && document.querySelectorAll('.kb-assess__result').length > 0`, "the results")
			requests := e.results.Load() - before
			if script && requests != 0 || !script && requests != 1 {
				t.Errorf("%d requests for results, want %d", requests, map[bool]int{true: 0, false: 1}[script])
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll('.kb-assess__result tbody tr')].map(tr => [tr.cells[0].textContent, tr.cells[1].textContent]))`))
			if err != nil {
				t.Fatal(err)
			}
			for i, id := range ids {
				st := e.model.Assessment.Lookup(id)
				if want := assess.Choices[i%5].Label; got[st.Text] != want {
					t.Errorf("%s: the results show %q, want %q", id, got[st.Text], want)
				}
			}
			t.Logf("%d statements answered in %d key presses, Enter included", len(ids), presses)
		})
	}
}

// walkForm Tabs to the first radio, through the header or by the skip link,
// then answers every statement in turn, checking the focus order and that
// the focus is seen, and Tabs on to the submit button. It returns the number
// of key presses.
func walkForm(t *testing.T, ctx context.Context, ids []string, skip bool) int {
	t.Helper()
	presses := 0
	if skip {
		press(t, ctx, kb.Tab)
		if el := focus(t, ctx); el[0] != "a" || el[4] != "true" {
			t.Fatalf("the first Tab reaches %v, want the skip link, seen", el)
		}
		press(t, ctx, kb.Enter)
		presses = 2
	}
	n, _ := tabTo(t, ctx, 80, func(el []string) bool { return el[0] == "input" && el[2] == ids[0] })
	presses += n
	t.Logf("the first statement is %d key presses from the top of the page (skip link: %v)", presses, skip)
	for i, id := range ids {
		el := focus(t, ctx)
		if el[1] != id || el[2] != "0" {
			t.Fatalf("statement %d: the focus is on %v, want the first radio of %s", i+1, el, id)
		}
		want := []string{"0", "1", "2", "3", "dk"}[i%5]
		for _, k := range answerKeys[want] {
			press(t, ctx, k)
			presses++
		}
		el = focus(t, ctx)
		if el[1] != id || el[2] != want || el[3] != "true" {
			t.Errorf("%s: after %q the focus is on %v, want %s chosen", id, answerKeys[want], el, want)
		}
		if el[4] != "true" {
			t.Errorf("%s: the focused radio shows no focus ring", id)
		}
		press(t, ctx, kb.Tab)
		presses++
	}
	el := focus(t, ctx)
	if el[0] != "button" || el[4] != "true" {
		t.Errorf("after the last statement the focus is on %v, want the submit button with its focus style", el)
	}
	return presses
}

func focus(t *testing.T, ctx context.Context) []string {
	t.Helper()
	el, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](focusNow))
	if err != nil {
		t.Fatal(err)
	}
	return el
}

func press(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(key)); err != nil {
		t.Fatal(err)
	}
}
