package analysis

import (
	"context"
	"testing"
)

func TestDistanceCountsASwapAsOneEdit(t *testing.T) {
	for _, c := range []struct {
		a, b string
		max  int
		want int
	}{
		{"secuirty", "security", 2, 1},
		{"skil", "skill", 1, 1},
		{"clinicla", "clinical", 2, 1},
		{"caldicot", "caldicott", 2, 1},
		{"securty", "secur", 2, 2},
		{"abcd", "wxyz", 1, 2}, // past max: max+1
		{"same", "same", 1, 0},
	} {
		var r osaRows
		if got := r.distance([]rune(c.a), []rune(c.b), c.max); got != c.want {
			t.Errorf("distance(%q, %q, %d) = %d, want %d", c.a, c.b, c.max, got, c.want)
		}
	}
}

func TestNearFindsTheWordAsWritten(t *testing.T) {
	v := NewVocab(map[string]int32{"security": 30, "secure": 4, "skill": 9, "skills": 20, "skin": 1})
	got := v.Near(context.Background(), "skil", 1, 8)
	if len(got) != 2 || got[0].Word != "skill" || got[1].Word != "skin" {
		t.Errorf("near(skil) = %v, want skill then skin", got)
	}
	if got := v.Near(context.Background(), "securty", 1, 8); len(got) != 1 || got[0].Word != "security" {
		t.Errorf("near(securty) = %v, want security", got)
	}
}
