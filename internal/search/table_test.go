package search

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestConceptsFindEveryMentionLongestFirst(t *testing.T) {
	syn, err := ParseSynonyms("epr, electronic patient record, ehr\nepma, e-prescribing\nrecord, records management\n", "test")
	if err != nil {
		t.Fatal(err)
	}
	text := "Our EPRs: an Electronic Patient Records system; e-prescribing (EPMA) and records."
	got := syn.concepts.find(text)
	// EPRs → group 1; "electronic patient records" → group 1 (not "record",
	// group 3, because the longest term wins); e-prescribing and EPMA → 2;
	// the last "records" → 3.
	if want := "c1 c1 c2 c2 c3"; got != want {
		t.Errorf("find = %q, want %q", got, want)
	}
	if g := syn.concepts.groupsOf("E-Prescribing"); !slices.Equal(g, []int{2}) {
		t.Errorf("groupsOf(E-Prescribing) = %v", g)
	}
	if g := syn.concepts.groupsOf("records"); !slices.Equal(g, []int{3}) {
		t.Errorf("groupsOf(records) = %v", g)
	}
	if g := syn.concepts.groupsOf("cardiology"); g != nil {
		t.Errorf("groupsOf(cardiology) = %v", g)
	}
}

// TestFirstSortedAgreesWithAFullSort checks the heap path against sorting
// everything, on random matches with many ties.
func TestFirstSortedAgreesWithAFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tbl := &table{}
	for i := range 500 {
		tbl.rows = append(tbl.rows, row{URL: strings.Repeat("x", i%7), Date: int64(rng.IntN(20))})
	}
	for _, newest := range []bool{false, true} {
		for _, k := range []int{0, 1, 20, 50, 125, 500} {
			ms := make([]match, 500)
			for i := range ms {
				ms[i] = match{row: int32(i), score: float64(rng.IntN(10))}
			}
			want := slices.Clone(ms)
			cmpf := order(tbl, newest)
			slices.SortFunc(want, cmpf)
			got := firstSorted(ms, k, cmpf)
			if !slices.EqualFunc(got, want[:k], func(a, b match) bool { return cmp.Compare(a.row, b.row) == 0 }) {
				t.Errorf("newest=%v k=%d: first rows differ", newest, k)
			}
		}
	}
}
