package assess

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/nhsx/kb/internal/wgll"
)

// csvHeader names the CSV's columns; the browser's script writes the same.
var csvHeader = []string{"Row", "Measure", "Position", "Statement ID", "Statement", "Answer", "Recommended item", "Type", "Address", "Shared topics"}

// CSVName is the file name the CSV downloads as.
const CSVName = "wgll-self-assessment-results.csv"

// CSV writes the answers and the recommendations as one table: a row for
// each statement, then a row for each recommended item.
func (r *Result) CSV(w io.Writer, base string) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for _, m := range r.Measures {
		for _, a := range m.Answers {
			cw.Write([]string{"answer", m.Name, m.Position, a.ID, a.Text, a.Answer(), "", "", "", ""})
		}
		for _, rec := range m.Recommend {
			cw.Write([]string{"recommendation", m.Name, m.Position, "", "", "", rec.Title, rec.Type, base + rec.URL, strings.Join(rec.Shared, " ")})
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonResult is the JSON shape of a result, for kb assess --format json.
type jsonResult struct {
	Audience string        `json:"audience"`
	Answered int           `json:"answered"`
	Total    int           `json:"total"`
	Measures []jsonMeasure `json:"measures"`
}

type jsonMeasure struct {
	Measure   string       `json:"measure"`
	Name      string       `json:"name"`
	Position  string       `json:"position"`
	Answers   []jsonAnswer `json:"answers"`
	Focus     []string     `json:"focus"`
	Recommend []jsonRec    `json:"recommendations"`
}

type jsonAnswer struct {
	ID        string `json:"id"`
	Statement string `json:"statement"`
	Answer    string `json:"answer"`
}

type jsonRec struct {
	Title       string   `json:"title"`
	Type        string   `json:"type"`
	URL         string   `json:"url"`
	Shared      []string `json:"shared_topics"`
	SameMeasure bool     `json:"same_measure"`
}

// JSON writes the result as indented JSON.
func (r *Result) JSON(w io.Writer) error {
	out := jsonResult{Audience: r.Audience.Slug, Answered: r.Answered, Total: r.Total, Measures: []jsonMeasure{}}
	for _, m := range r.Measures {
		jm := jsonMeasure{Measure: m.Slug, Name: m.Name, Position: m.Position, Answers: []jsonAnswer{}, Focus: []string{}, Recommend: []jsonRec{}}
		for _, a := range m.Answers {
			jm.Answers = append(jm.Answers, jsonAnswer{a.ID, a.Text, a.Answer()})
		}
		for _, f := range m.Focus {
			jm.Focus = append(jm.Focus, f.ID)
		}
		for _, rec := range m.Recommend {
			shared := rec.Shared
			if shared == nil {
				shared = []string{}
			}
			jm.Recommend = append(jm.Recommend, jsonRec{rec.Title, rec.Type, rec.URL, shared, rec.SharesMeasure})
		}
		out.Measures = append(out.Measures, jm)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// Text writes the result for a terminal.
func (r *Result) Text(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Where are we? %s: %d of %d statements answered. Furthest from good first.\n", r.Audience.Name, r.Answered, r.Total)
	for _, m := range r.Measures {
		fmt.Fprintf(&b, "\n%s: %s\n", m.Name, m.Position)
		for _, a := range m.Answers {
			fmt.Fprintf(&b, "  %-4s %-16s %s\n", a.ID, a.Answer(), a.Text)
		}
		if len(m.Recommend) > 0 {
			fmt.Fprintf(&b, "  What would help most:\n")
		}
		for _, rec := range m.Recommend {
			why := "same measure"
			if len(rec.Shared) > 0 {
				why = "topics: " + strings.Join(rec.Shared, ", ")
			}
			fmt.Fprintf(&b, "  - %s (%s) %s [%s]\n", rec.Title, typeName(rec.Type), rec.URL, why)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func typeName(t string) string {
	switch t {
	case "case-study":
		return "case study"
	}
	return t
}

// WorkbookCSV writes the template workbook's statement sheet from the
// statements, so that the download and the online form never differ.
func (s *Set) WorkbookCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"ID", "Measure", "Level (ICS or Organisation)", "Statement", "Score (1-5)", "Evidence", "What would move us up one level", "Owner", "Priority (H/M/L)"})
	for _, st := range s.Statements {
		m, _ := wgll.Lookup(st.Measure)
		a, _ := AudienceOf(st.Audience)
		cw.Write([]string{st.ID, m.Name, a.Level, st.Text, "", "", "", "", ""})
	}
	cw.Flush()
	return cw.Error()
}
