// Package wgll holds the seven What Good Looks Like success measures and the
// five types of item the knowledge base gathers under them: the one place in
// kb where their slugs, names and descriptions live, in framework order. It
// is a leaf, so that the search function can check filters without the
// content package.
package wgll

import (
	"fmt"
	"strings"
)

// Measure is one WGLL success measure. Slugs are stable identifiers used in
// front matter, URLs and search filters; never change one once content uses it.
type Measure struct {
	Slug        string
	Name        string
	Description string
}

// Measures lists the seven measures in the order the framework gives them.
var measures = [...]Measure{
	{"well-led", "Well led", "Leaders own digital transformation: a system-wide digital and data strategy with a sustainable financial plan, governance that keeps partners aligned, and boards that build digital and clinical-informatics expertise."},
	{"smart-foundations", "Ensure smart foundations", "Dependable, modern, secure and resilient digital, data and infrastructure, run by properly resourced and skilled digital, data and technology teams."},
	{"safe-practice", "Safe practice", "National standards for safe care are met, and digital and data systems are reviewed regularly so they stay safe, secure and resilient, including against cyber attack."},
	{"support-people", "Support people", "A digitally literate workforce using systems that are fit for purpose, with staff helping to design and choose the tools they use."},
	{"empower-citizens", "Empower citizens", "Citizens are at the centre of service design, can use inclusive digital services, and can see and add to their own health information."},
	{"improve-care", "Improve care", "Practitioners use digital technology to redesign care pathways, reduce unwarranted variation and improve outcomes."},
	{"healthy-populations", "Healthy populations", "Linked data is used to plan and improve the health and wellbeing of the whole population and to reduce health inequalities."},
}

// All returns the seven measures in framework order.
func All() []Measure { return measures[:] }

// Lookup finds a measure by slug.
func Lookup(slug string) (Measure, bool) {
	for _, m := range measures {
		if m.Slug == slug {
			return m, true
		}
	}
	return Measure{}, false
}

// Index returns the position of a measure in framework order, or -1.
func Index(slug string) int {
	for i, m := range measures {
		if m.Slug == slug {
			return i
		}
	}
	return -1
}

// Slugs returns the seven slugs in order.
func Slugs() []string {
	s := make([]string, len(measures))
	for i, m := range measures {
		s[i] = m.Slug
	}
	return s
}

// Unknown explains an unknown measure: it lists the valid slugs and suggests
// the nearest, since most mistakes are typos or the framework's display names.
func Unknown(got string) string {
	msg := fmt.Sprintf("unknown measure %q; valid measures are %s", got, strings.Join(Slugs(), ", "))
	if near := Nearest(got, Slugs()); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return msg
}

// Nearest returns the candidate closest to s by edit distance, after folding
// case and spaces, or "" when none is close enough to be a plausible typo.
func Nearest(s string, candidates []string) string {
	norm := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-")
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := Distance(norm, c)
		// One name inside the other is a likely slip ("cyber" for
		// "cyber-security"), but not for a letter or two, which is inside
		// nearly every name.
		if len(norm) >= 3 && strings.Contains(c, norm) || len(c) >= 3 && strings.Contains(norm, c) {
			d = min(d, 2)
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	// A typo changes a few letters of a long name, and fewer of a short
	// one: a single letter is no typo of any name.
	if bestD > min(max(3, len(norm)/2), len(norm)-1) {
		return ""
	}
	return best
}

// Distance is the Levenshtein edit distance between a and b.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Sections maps each section folder to the type of the items in it, in the
// order the site lists them.
var Sections = []struct{ Folder, Type, Name string }{
	{"blueprints", "blueprint", "Blueprints"},
	{"standards", "standard", "Standards"},
	{"templates", "template", "Templates"},
	{"case-studies", "case-study", "Case studies"},
	{"guides", "guide", "Guides"},
}

// Types lists the valid item types.
func Types() []string {
	t := make([]string, len(Sections))
	for i, s := range Sections {
		t[i] = s.Type
	}
	return t
}

// TypeName is the name of one item of a type ("Case study"), or the type
// itself if it is not one.
func TypeName(typ string) string {
	if typ == "case-study" {
		return "Case study"
	}
	for _, s := range Sections {
		if s.Type == typ {
			return strings.ToUpper(typ[:1]) + typ[1:]
		}
	}
	return typ
}

// AssessmentFolder holds the statements of the self-assessment, relative
// to the source folder; the content walker leaves it to the assessment.
const AssessmentFolder = "content/self-assessment"
