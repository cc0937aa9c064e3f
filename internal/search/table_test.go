package search

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

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
