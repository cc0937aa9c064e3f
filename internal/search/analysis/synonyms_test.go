package analysis

import "testing"

func TestSynonymFileErrors(t *testing.T) {
	_, err := ParseSynonyms("# ok\nepr, electronic patient record\nlonely\n", "synonyms.txt")
	want := "synonyms.txt:3:1: a synonym group needs at least two terms separated by commas, such as: epr, electronic patient record"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	syn, err := ReadSynonyms(t.TempDir())
	if err != nil || syn.Len() != 0 {
		t.Errorf("a site without synonyms.txt: %v, %d terms", err, syn.Len())
	}
}
