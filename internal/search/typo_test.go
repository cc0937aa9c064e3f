package search_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/search"
)

// Near spellings are words as pages write them, in any field, a swap of two
// letters one edit; every part of a joined word must match.
func TestNearSpellingsAndJoinedWords(t *testing.T) {
	s := mini(t)
	for _, c := range []struct {
		name, params string
		want         []string
	}{
		{"swap in a word only the body has", "q=vacicnes", []string{meds}},
		{"missing letter in the body", "q=pharmacsts", []string{meds}},
		{"two edits from eight letters", "q=pharmacistts+fridegs", []string{meds}},
		{"no edit up to three letters", "q=ERP", nil},
		{"one edit from four letters", "q=potral&type=blueprint", []string{portal}},
		{"joined words each required", "q=remote-monitoring", []string{meds}},
		{"a joined part no page has", "q=portal-zzzz", nil},
		{"joined by =", "q=phishing%3Dzzzz", nil},
		{"joined by a slash, both found", "q=fridges/vaccines", []string{meds}},
		{"joined by a full stop", "q=fridges.zzzz", nil},
		{"possessive", "q=pharmacist's", []string{meds}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := s.API(t, c.params)
			if got := urls(res); res.Total != len(c.want) || !sameSet(got, c.want) {
				t.Errorf("%s: got %v (total %d), want %v", c.params, got, res.Total, c.want)
			}
		})
	}
}

func TestSuggestion(t *testing.T) {
	s := mini(t)
	for _, c := range []struct{ params, want string }{
		{"q=vacicnes", "vaccines"},
		{"q=NSH", "NHS"},
		{"q=remote+monitering", "remote monitoring"},
		{"q=portal", ""},   // plenty found
		{"q=zzzzzzzz", ""}, // nothing near
	} {
		if got := s.API(t, c.params).Suggestion; got != c.want {
			t.Errorf("%s: suggestion %q, want %q", c.params, got, c.want)
		}
	}
	body := s.Get(t, "/search/?q=NSH&type=blueprint").Body.String()
	if want := `Did you mean <a href="/search/?q=NHS&amp;type=blueprint">NHS</a>?`; !strings.Contains(body, want) {
		t.Errorf("the results page has no link %s", want)
	}
}

func TestQueriesStayBounded(t *testing.T) {
	s := mini(t)
	long := strings.Repeat("zqxw-", 49) + "zqxw"
	start := time.Now()
	res := s.API(t, "q="+long)
	if res.Total != 0 || !res.Partial {
		t.Errorf("50 joined nonsense words: total %d, partial %v; want 0 and partial", res.Total, res.Partial)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("50 joined nonsense words took %s", took)
	}
	if res := s.API(t, "q=portal+records+patients"); res.Partial {
		t.Error("a short query is marked partial")
	}
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	r, _ := search.ParseRequest(map[string][]string{"q": {"portal"}})
	got, err := s.Idx.Search(ctx, r)
	if err != nil || !got.Partial {
		t.Errorf("a search past its deadline: %v, %+v; want a partial answer", err, got)
	}
}

func TestJSONEscapesHTML(t *testing.T) {
	body := mini(t).Get(t, "/api/search?q=%3Cb%3E%26").Body.String()
	if strings.ContainsAny(body, "<>&") || !strings.Contains(body, `\u003cb\u003e\u0026`) {
		t.Errorf("JSON not escaped for pasting into a page: %s", body)
	}
}
