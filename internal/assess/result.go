package assess

import (
	"slices"
	"strings"

	"github.com/nhsx/kb/internal/wgll"
)

// Item is a page of the knowledge base that could be recommended.
type Item struct {
	Title, URL, Type, Summary string
	Measures, Topics          []string
}

// Recommended are the item types a result points to: things to use, not
// standards to read about.
var Recommended = []string{"blueprint", "template", "case-study", "guide"}

// PerMeasure is how many items a measure's result recommends at most.
const PerMeasure = 5

// Result is where each measure stands, furthest from good first.
type Result struct {
	Audience Audience
	Measures []*MeasureResult
	Answered int // statements answered, don't know included
	Total    int
}

// MeasureResult is one measure's position and what would help.
type MeasureResult struct {
	Slug, Name string
	// Position says in words where the measure stands; Rank orders the
	// measures (lower is further from good; unanswered measures last).
	Position string
	Rank     float64
	Answers  []AnsweredStatement
	// Focus are the statements answered lowest, whose topics the
	// recommendations follow.
	Focus     []*Statement
	Recommend []Recommendation
}

// AnsweredStatement is a statement with its answer.
type AnsweredStatement struct {
	*Statement
	Score int
}

// Answer says the answer in words.
func (a AnsweredStatement) Answer() string { return Label(a.Score) }

// Recommendation is an item and why it is recommended.
type Recommendation struct {
	Item
	Shared        []string // the focus topics it shares
	SharesMeasure bool
}

// Positions in plain words, from furthest to nearest.
const (
	EarlyDays     = "Early days"
	GettingThere  = "Getting there"
	MostlyInPlace = "Mostly in place"
	InPlace       = "In place"
	NotKnown      = "Not known yet"
)

// position turns the mean of a measure's answers (0–3) into words.
func position(mean float64) string {
	switch {
	case mean < 1:
		return EarlyDays
	case mean < 2:
		return GettingThere
	case mean < 3:
		return MostlyInPlace
	}
	return InPlace
}

// Evaluate places each measure of the answers' audience and recommends items.
func (s *Set) Evaluate(a *Answers, items []Item) *Result {
	aud, _ := AudienceOf(a.Audience)
	res := &Result{Audience: aud}
	for _, slug := range s.Measures(a.Audience) {
		m, _ := wgll.Lookup(slug)
		mr := &MeasureResult{Slug: slug, Name: m.Name}
		sum, n := 0, 0
		low := Fully
		for _, st := range s.For(a.Audience) {
			if st.Measure != slug {
				continue
			}
			res.Total++
			score, ok := a.Scores[st.ID]
			if !ok {
				score = Unanswered
			} else {
				res.Answered++
			}
			mr.Answers = append(mr.Answers, AnsweredStatement{st, score})
			if score >= 0 {
				sum += score
				n++
				low = min(low, score)
			}
		}
		if n == 0 {
			mr.Position, mr.Rank = NotKnown, 4
		} else {
			mean := float64(sum) / float64(n)
			mr.Position, mr.Rank = position(mean), mean
		}
		if n > 0 && low < Fully {
			for _, as := range mr.Answers {
				if as.Score == low {
					mr.Focus = append(mr.Focus, as.Statement)
				}
			}
			mr.Recommend = recommend(slug, mr.Focus, items)
		}
		res.Measures = append(res.Measures, mr)
	}
	slices.SortStableFunc(res.Measures, func(x, y *MeasureResult) int {
		switch {
		case x.Rank < y.Rank:
			return -1
		case x.Rank > y.Rank:
			return 1
		}
		return 0
	})
	return res
}

// Weakest are the measures furthest from good, named at the top of the
// results: the answered measures that share the lowest average, unless that
// is "In place". Measures come sorted, so they are the first ones.
func (r *Result) Weakest() []*MeasureResult {
	var out []*MeasureResult
	for _, m := range r.Measures {
		if m.Position == NotKnown || m.Rank >= Fully || len(out) > 0 && m.Rank != out[0].Rank {
			break
		}
		out = append(out, m)
	}
	return out
}

// recommend ranks the items that share the measure or a focus topic: by the
// number of focus topics shared, then by sharing the measure, then by title.
// An item must share at least one focus topic or the measure.
func recommend(measure string, focus []*Statement, items []Item) []Recommendation {
	return rank(candidates(measure, focus, items), focusTopics(focus))
}

// Candidate is an item a measure's result could recommend.
type Candidate struct {
	Item          Item
	SharesMeasure bool
}

// candidates are the items of a recommended type that share the measure or a
// topic of the given statements, in the order that breaks ties between equal
// numbers of shared topics: those of the measure first, then by title. The
// browser's script gets each measure's candidates in this order and ranks
// them as rank does, so both give the same list.
func candidates(measure string, statements []*Statement, items []Item) []Candidate {
	topics := focusTopics(statements)
	var out []Candidate
	for _, it := range items {
		if !slices.Contains(Recommended, it.Type) {
			continue
		}
		c := Candidate{Item: it, SharesMeasure: slices.Contains(it.Measures, measure)}
		if c.SharesMeasure || slices.ContainsFunc(topics, func(t string) bool { return slices.Contains(it.Topics, t) }) {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(x, y Candidate) int {
		if x.SharesMeasure != y.SharesMeasure {
			if x.SharesMeasure {
				return -1
			}
			return 1
		}
		return strings.Compare(x.Item.Title, y.Item.Title)
	})
	return out
}

// focusTopics lists the statements' topics, each once, in order.
func focusTopics(focus []*Statement) []string {
	var topics []string
	for _, st := range focus {
		for _, t := range st.Topics {
			if !slices.Contains(topics, t) {
				topics = append(topics, t)
			}
		}
	}
	return topics
}

// rank keeps the candidates that share a focus topic or the measure, most
// shared topics first (a stable sort keeps the candidates' order otherwise),
// and at most PerMeasure of them.
func rank(cands []Candidate, topics []string) []Recommendation {
	var recs []Recommendation
	for _, c := range cands {
		r := Recommendation{Item: c.Item, SharesMeasure: c.SharesMeasure}
		for _, t := range topics {
			if slices.Contains(c.Item.Topics, t) {
				r.Shared = append(r.Shared, t)
			}
		}
		if len(r.Shared) > 0 || r.SharesMeasure {
			recs = append(recs, r)
		}
	}
	slices.SortStableFunc(recs, func(x, y Recommendation) int { return len(y.Shared) - len(x.Shared) })
	if len(recs) > PerMeasure {
		recs = recs[:PerMeasure]
	}
	return recs
}
