package wgll

import "testing"

func TestNearestSuggestsPlausibleMeasures(t *testing.T) {
	cases := map[string]string{
		"improved-care":     "improve-care",
		"Well Led":          "well-led",
		"smart foundations": "smart-foundations",
		"healthy-populaton": "healthy-populations",
		"empower":           "empower-citizens",
		"cardiology":        "",
		"y":                 "", // inside half the names, and no typo of any
		"led":               "well-led",
	}
	for in, want := range cases {
		if got := Nearest(in, Slugs()); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", in, got, want)
		}
	}
}

// A short name is offered only a name a letter or so away: "ep" is "epr"
// mistyped, "y" is no name at all.
func TestNearestShortNames(t *testing.T) {
	names := []string{"epr", "ai", "cyber-security", "digital-strategy"}
	for in, want := range map[string]string{"ep": "epr", "y": "", "a": "", "cyber": "cyber-security", "io": ""} {
		if got := Nearest(in, names); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSevenMeasuresInFrameworkOrder(t *testing.T) {
	want := []string{"well-led", "smart-foundations", "safe-practice", "support-people", "empower-citizens", "improve-care", "healthy-populations"}
	got := Slugs()
	if len(got) != len(want) {
		t.Fatalf("%d measures", len(got))
	}
	for i := range want {
		if got[i] != want[i] || Index(want[i]) != i {
			t.Errorf("measure %d = %s, want %s", i, got[i], want[i])
		}
		if m, ok := Lookup(want[i]); !ok || m.Name == "" || m.Description == "" {
			t.Errorf("%s has no name or description", want[i])
		}
	}
	if _, ok := Lookup("well led"); ok {
		t.Error("Lookup accepts a display name; only slugs are valid")
	}
}
