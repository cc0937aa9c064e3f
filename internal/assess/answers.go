package assess

import (
	"fmt"
	"net/url"
	"strings"
)

// The answers a statement can have. The form's radios send these values.
const (
	NotStarted = 0
	Planning   = 1
	Partly     = 2
	Fully      = 3
	DontKnow   = -1 // "dk" in a query
	Unanswered = -2
)

// Choice is one answer offered on the form.
type Choice struct {
	Value, Label string
	Score        int
}

// Choices are the radios of every statement, in order.
var Choices = []Choice{
	{"0", "Not started", NotStarted},
	{"1", "Planning", Planning},
	{"2", "Partly in place", Partly},
	{"3", "Fully in place", Fully},
	{"dk", "Don't know", DontKnow},
}

// Label says an answer in words.
func Label(score int) string {
	for _, c := range Choices {
		if c.Score == score {
			return c.Label
		}
	}
	return "Not answered"
}

// Answers is one reader's answers for one audience: statement id → score.
type Answers struct {
	Audience string
	Scores   map[string]int
	// Format is "" (the page) or "csv".
	Format string
}

// Problem is one thing wrong with a request; Param names the field at fault.
type Problem struct {
	Param, Message string
}

// BadAnswers lists every problem with a request's answers.
type BadAnswers []Problem

func (b BadAnswers) Error() string {
	msgs := make([]string, len(b))
	for i, p := range b {
		msgs[i] = p.Message
	}
	return strings.Join(msgs, "; ")
}

// MaxParams bounds a query: every statement once, plus audience and format,
// with room to spare. More is refused before it is parsed.
const MaxParams = 200

// ParseQuery reads answers from a query string (audience=ics&WL5=2&…).
func (s *Set) ParseQuery(raw string) (*Answers, error) {
	if n := strings.Count(raw, "&") + strings.Count(raw, ";") + 1; n > MaxParams {
		return nil, BadAnswers{{"", fmt.Sprintf("Too many answers in one request (%d parts; at most %d): start again from the form", n, MaxParams)}}
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		return nil, BadAnswers{{"", "The answers could not be read: start again from the form"}}
	}
	return s.Parse(v)
}

// Parse checks and reads answers. Every problem is reported, not only the
// first: an unknown statement, a statement of the other audience, a value
// that is not 0–3 or dk, or an answer given twice.
func (s *Set) Parse(v url.Values) (*Answers, error) {
	var bad BadAnswers
	a := &Answers{Scores: map[string]int{}}
	aud := v.Get("audience")
	if _, ok := AudienceOf(aud); !ok || len(v["audience"]) != 1 {
		bad = append(bad, Problem{"audience", "Choose who the answers are about: an organisation or an integrated care system"})
	}
	a.Audience = aud
	_, validAud := AudienceOf(aud)
	switch f := v["format"]; {
	case len(f) == 0:
	case len(f) == 1 && (f[0] == "csv" || f[0] == "html" || f[0] == ""):
		if f[0] == "csv" {
			a.Format = "csv"
		}
	default:
		bad = append(bad, Problem{"format", "The format must be csv, or left out for the page"})
	}
	for key, vals := range v {
		if key == "audience" || key == "format" {
			continue
		}
		st := s.Lookup(key)
		switch {
		case st == nil:
			bad = append(bad, Problem{key, fmt.Sprintf("There is no statement %q: start again from the form", clip(key))})
			continue
		case validAud && st.Audience != aud:
			bad = append(bad, Problem{key, fmt.Sprintf("Statement %s is not one of the %s statements: start again from the form", key, audName(aud))})
			continue
		case len(vals) != 1:
			bad = append(bad, Problem{key, fmt.Sprintf("Statement %s was answered more than once: give one answer", key)})
			continue
		}
		score, ok := scoreOf(vals[0])
		if !ok {
			bad = append(bad, Problem{key, fmt.Sprintf("The answer to statement %s must be not started, planning, partly in place, fully in place or don't know", key)})
			continue
		}
		if score != Unanswered {
			a.Scores[key] = score
		}
	}
	if len(bad) > 0 {
		bad.sort(s)
		return a, bad
	}
	return a, nil
}

func audName(slug string) string {
	if a, ok := AudienceOf(slug); ok {
		return strings.ToLower(a.Level)
	}
	return "chosen audience's"
}

// scoreOf reads one answer; "" is a statement left unanswered.
func scoreOf(v string) (int, bool) {
	if v == "" {
		return Unanswered, true
	}
	for _, c := range Choices {
		if c.Value == v {
			return c.Score, true
		}
	}
	return 0, false
}

// clip shortens a hostile key before it is echoed back.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// sort puts problems in the form's order, so the summary reads top down.
func (b BadAnswers) sort(s *Set) {
	rank := func(p Problem) int {
		switch p.Param {
		case "audience":
			return -2
		case "format":
			return -1
		}
		for i, st := range s.Statements {
			if st.ID == p.Param {
				return i
			}
		}
		return len(s.Statements)
	}
	for i := 1; i < len(b); i++ {
		for j := i; j > 0 && (rank(b[j]) < rank(b[j-1]) || rank(b[j]) == rank(b[j-1]) && b[j].Param < b[j-1].Param); j-- {
			b[j], b[j-1] = b[j-1], b[j]
		}
	}
}

// Query writes answers back as a query string, in the form's order.
func (s *Set) Query(a *Answers) string {
	parts := []string{"audience=" + url.QueryEscape(a.Audience)}
	for _, st := range s.For(a.Audience) {
		if score, ok := a.Scores[st.ID]; ok {
			parts = append(parts, st.ID+"="+valueOf(score))
		}
	}
	return strings.Join(parts, "&")
}

func valueOf(score int) string {
	for _, c := range Choices {
		if c.Score == score {
			return c.Value
		}
	}
	return ""
}
