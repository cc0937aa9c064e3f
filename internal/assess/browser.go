package assess

import (
	"encoding/json"
	"html/template"
	"slices"
	"strings"

	"github.com/nhsx/kb/internal/wgll"
)

// browserData is what a form page hands its script (assessment.js) so that
// the browser can show the results without asking the server: everything
// Evaluate reads for one audience, with each measure's candidate items
// already in the order Go breaks ties in. The script then only averages the
// answers and counts shared topics, the steps of Evaluate and rank.
type browserData struct {
	Results    string            `json:"results"`
	Form       string            `json:"form"`
	Base       string            `json:"base"` // the site's address, before an item's in the CSV
	CSVHeader  []string          `json:"csvHeader"`
	CSVName    string            `json:"csvName"`
	Title      string            `json:"title"`     // the results page's title
	FormTitle  string            `json:"formTitle"` // this page's, to find the site's suffix
	Audience   string            `json:"audience"`
	Name       string            `json:"name"`
	Labels     map[string]string `json:"labels"` // answer value → words
	Positions  []string          `json:"positions"`
	PerMeasure int               `json:"perMeasure"`
	Topics     map[string]string `json:"topics"` // slug → name
	Measures   []dataMeasure     `json:"measures"`
	Items      []dataItem        `json:"items"`
}

type dataMeasure struct {
	Slug       string          `json:"slug"`
	Name       string          `json:"name"`
	Statements []dataStatement `json:"statements"`
	Candidates []dataCandidate `json:"candidates"`
}

type dataStatement struct {
	ID     string   `json:"id"`
	Text   string   `json:"text"`
	Topics []string `json:"topics"`
}

type dataCandidate struct {
	Item          int  `json:"item"` // index into Items
	SharesMeasure bool `json:"measure"`
}

type dataItem struct {
	Title    string   `json:"title"`
	URL      string   `json:"url"`
	Type     string   `json:"kind"` // the CSV's Type
	TypeName string   `json:"type"`
	Summary  string   `json:"summary"`
	Topics   []string `json:"topics"`
}

// Titles of the results page and of the forms.
const resultsTitle = "Where are we? Your results"

func formTitle(a Audience) string { return "Where are we? " + a.Name }

// browserJSON is the data of one audience's form page, as JSON safe to put
// in a <script type="application/json"> element (encoding/json escapes <, >
// and &, so the text cannot close the element).
func (s *Set) browserJSON(a Audience, title string, items []Item, base string) (template.JS, error) {
	d := browserData{Results: ResultsPath, Form: FormURL(a.Slug), Base: strings.TrimSuffix(base, "/"),
		CSVHeader: csvHeader, CSVName: CSVName, Title: resultsTitle, FormTitle: title, Audience: a.Slug, Name: a.Name,
		Labels: map[string]string{}, Positions: []string{EarlyDays, GettingThere, MostlyInPlace, InPlace, NotKnown},
		PerMeasure: PerMeasure, Topics: map[string]string{}}
	for _, c := range Choices {
		d.Labels[c.Value] = c.Label
	}
	d.Labels[""] = Label(Unanswered)
	index := map[string]int{} // item URL → index in d.Items
	for _, slug := range s.Measures(a.Slug) {
		m, _ := wgll.Lookup(slug)
		dm := dataMeasure{Slug: slug, Name: m.Name}
		var sts []*Statement
		for _, st := range s.For(a.Slug) {
			if st.Measure != slug {
				continue
			}
			sts = append(sts, st)
			dm.Statements = append(dm.Statements, dataStatement{st.ID, st.Text, st.Topics})
			for _, t := range st.Topics {
				d.Topics[t] = s.TopicName(t)
			}
		}
		for _, c := range candidates(slug, sts, items) {
			i, ok := index[c.Item.URL]
			if !ok {
				i = len(d.Items)
				index[c.Item.URL] = i
				// Sorted: the site and the search index list an item's
				// topics in different orders, and the script only asks
				// whether a topic is there.
				topics := slices.Sorted(slices.Values(c.Item.Topics))
				d.Items = append(d.Items, dataItem{c.Item.Title, c.Item.URL, c.Item.Type, wgll.TypeName(c.Item.Type), c.Item.Summary, topics})
			}
			dm.Candidates = append(dm.Candidates, dataCandidate{i, c.SharesMeasure})
		}
		d.Measures = append(d.Measures, dm)
	}
	b, err := json.Marshal(d)
	return template.JS(b), err
}
