package build

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"time"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
)

// The files' records are encoded by hand, field by field, rather than by
// encoding/gob: gob spent a quarter of a second at 10,000 pages on each of
// reading and writing them, by reflection, and it cannot encode one record
// on its own without its types' descriptions. Any change to the fields
// below changes stateVersion.

// encoder appends values to b.
type encoder struct{ b []byte }

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

func (e *encoder) strs(s []string) {
	e.uint(uint64(len(s)))
	for _, v := range s {
		e.str(v)
	}
}

func (e *encoder) time(t time.Time) {
	b, _ := t.MarshalBinary() // only fails for offsets kb never parses
	e.str(string(b))
}

func (e *encoder) pos(p diag.Pos) {
	e.str(p.File)
	e.int(int64(p.Line))
	e.int(int64(p.Col))
}

func (e *encoder) posMap(m map[string]diag.Pos) {
	e.uint(uint64(len(m)))
	for k, p := range m {
		e.str(k)
		e.pos(p)
	}
}

// decoder reads what encoder wrote; the first error sticks, and every
// value read after it is zero.
type decoder struct {
	b   []byte
	err error
}

var errRecord = errors.New("damaged build record")

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errRecord
	}
	d.b = nil
}

// count reads a length, refusing one longer than what is left could hold.
func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.count()
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) bool() bool {
	if len(d.b) == 0 {
		d.fail()
		return false
	}
	v := d.b[0] == 1
	d.b = d.b[1:]
	return v
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) time() time.Time {
	var t time.Time
	if err := t.UnmarshalBinary([]byte(d.str())); err != nil {
		d.fail()
	}
	return t
}

func (d *decoder) pos() diag.Pos {
	return diag.Pos{File: d.str(), Line: int(d.int()), Col: int(d.int())}
}

func (d *decoder) posMap() map[string]diag.Pos {
	n := d.count()
	if n == 0 {
		return nil
	}
	m := make(map[string]diag.Pos, n)
	for range n {
		k := d.str()
		m[k] = d.pos()
	}
	return m
}

// file appends one file's record; its facts come last (see decoder.file).
func (e *encoder) file(r fileRecord) {
	e.b = append(e.b, r.Sum[:]...)
	e.str(r.Res)
	e.int(r.Size)
	e.int(r.Mod)
	e.int(r.Change)
	e.bool(r.hasFacts())
	switch {
	case r.Facts != nil:
		e.facts(r.Facts)
	case r.facts != nil:
		e.b = append(e.b, r.facts...)
	case r.page != nil:
		e.facts(r.page.Record())
	}
}

func (d *decoder) file() fileRecord {
	var r fileRecord
	d.sum(&r.Sum)
	r.Res, r.Size, r.Mod, r.Change = d.str(), d.int(), d.int(), d.int()
	if d.bool() { // the facts end the record: kept encoded (see decodeFacts)
		r.facts, d.b = d.b, nil
	}
	return r
}

func (e *encoder) facts(r *content.Record) {
	e.str(r.Title)
	e.str(r.Type)
	e.str(r.Summary)
	for _, l := range [][]string{r.Measures, r.Topics, r.Organisations, r.Aliases} {
		e.strs(l)
	}
	e.str(r.Programme)
	e.time(r.Date)
	e.time(r.Reviewed)
	e.time(r.ReviewDue)
	e.bool(r.Draft)
	e.int(int64(r.Weight))
	e.str(r.Owner)
	e.uint(uint64(len(r.Sources)))
	for _, s := range r.Sources {
		e.str(s.Title)
		e.str(s.URL)
		e.str(s.Publisher)
		e.time(s.Published)
		e.time(s.Accessed)
	}
	e.uint(uint64(len(r.DownloadInfo)))
	for _, dl := range r.DownloadInfo {
		e.str(dl.File)
		e.str(dl.Title)
		e.str(dl.Description)
	}
	e.doc(r.Doc)
	for _, at := range [][]content.ItemPositions{r.SourcesAt, r.DownloadsAt} {
		e.uint(uint64(len(at)))
		for _, ip := range at {
			e.pos(ip.Item)
			e.posMap(ip.Keys)
			e.posMap(ip.Values)
		}
	}
	e.posMap(r.At)
}

func (d *decoder) facts() *content.Record {
	r := &content.Record{Title: d.str(), Type: d.str(), Summary: d.str()}
	r.Measures, r.Topics, r.Organisations, r.Aliases = d.strs(), d.strs(), d.strs(), d.strs()
	r.Programme = d.str()
	r.Date, r.Reviewed, r.ReviewDue = d.time(), d.time(), d.time()
	r.Draft, r.Weight, r.Owner = d.bool(), int(d.int()), d.str()
	if n := d.count(); n > 0 {
		r.Sources = make([]content.Source, n)
		for i := range r.Sources {
			r.Sources[i] = content.Source{Title: d.str(), URL: d.str(), Publisher: d.str(), Published: d.time(), Accessed: d.time()}
		}
	}
	if n := d.count(); n > 0 {
		r.DownloadInfo = make([]content.DownloadInfo, n)
		for i := range r.DownloadInfo {
			r.DownloadInfo[i] = content.DownloadInfo{File: d.str(), Title: d.str(), Description: d.str()}
		}
	}
	r.Doc = d.doc()
	for _, at := range []*[]content.ItemPositions{&r.SourcesAt, &r.DownloadsAt} {
		n := d.count()
		if n == 0 {
			continue
		}
		*at = make([]content.ItemPositions, n)
		for i := range *at {
			(*at)[i] = content.ItemPositions{Item: d.pos(), Keys: d.posMap(), Values: d.posMap()}
		}
	}
	r.At = d.posMap()
	return r
}

func (e *encoder) doc(r markdown.Record) {
	e.uint(uint64(len(r.Links)))
	for _, l := range r.Links {
		e.str(l.Dest)
		e.int(int64(l.Offset))
	}
	e.uint(uint64(len(r.Raw)))
	for _, l := range r.Raw {
		e.int(int64(l.Offset))
		e.str(l.Text)
		e.str(l.Dest)
		e.bool(l.Closed)
	}
	e.uint(uint64(len(r.Headings)))
	for _, h := range r.Headings {
		e.int(int64(h.Level))
		e.str(h.ID)
		e.str(h.Text)
		e.int(int64(h.Offset))
	}
	e.strs(r.IDs)
	e.strs(r.NotIDs)
	e.uint(uint64(len(r.Renamed)))
	for k, v := range r.Renamed {
		e.str(k)
		e.str(v)
	}
}

func (d *decoder) doc() markdown.Record {
	var r markdown.Record
	if n := d.count(); n > 0 {
		r.Links = make([]markdown.Link, n)
		for i := range r.Links {
			r.Links[i] = markdown.Link{Dest: d.str(), Offset: int(d.int())}
		}
	}
	if n := d.count(); n > 0 {
		r.Raw = make([]markdown.RawLink, n)
		for i := range r.Raw {
			r.Raw[i] = markdown.RawLink{Offset: int(d.int()), Text: d.str(), Dest: d.str(), Closed: d.bool()}
		}
	}
	if n := d.count(); n > 0 {
		r.Headings = make([]markdown.Heading, n)
		for i := range r.Headings {
			r.Headings[i] = markdown.Heading{Level: int(d.int()), ID: d.str(), Text: d.str(), Offset: int(d.int())}
		}
	}
	r.IDs, r.NotIDs = d.strs(), d.strs()
	if n := d.count(); n > 0 {
		r.Renamed = make(map[string]string, n)
		for range n {
			k := d.str()
			r.Renamed[k] = d.str()
		}
	}
	return r
}

// headMagic opens the records file; the version follows it.
const headMagic = "kb-build\n"

// encodeHead writes the records but the files' (see state) to w, as
// decodeHead reads them: each output's signature and fingerprint side by side, and
// each content file's URL and kind, so that no path is written twice.
func encodeHead(w io.Writer, st *state) error {
	e := encoder{b: make([]byte, 0, 2*spillAt)}
	var err error
	spill := func() {
		if len(e.b) >= spillAt && err == nil {
			_, err = w.Write(e.b)
			e.b = e.b[:0]
		}
	}
	e.b = append(e.b, headMagic...)
	e.int(int64(st.Version))
	e.str(st.Key)
	e.b = append(e.b, st.Settings[:]...)
	for _, m := range []map[string][32]byte{st.Layouts, st.Static} {
		e.uint(uint64(len(m)))
		for k, v := range m {
			e.str(k)
			e.b = append(e.b, v[:]...)
		}
	}
	e.uint(uint64(len(st.Sums)))
	for path, sum := range st.Sums {
		e.str(path)
		e.b = append(e.b, sum[:]...)
		sig, ok := st.Sigs[path]
		e.bool(ok)
		e.uint(sig)
		spill()
	}
	for path, sig := range st.Sigs { // of outputs without a fingerprint, to ""
		if _, ok := st.Sums[path]; !ok {
			e.str(path)
			e.uint(sig)
			spill()
		}
	}
	e.str("")
	e.uint(uint64(len(st.URLs)))
	for src, u := range st.URLs {
		e.str(src)
		e.str(u)
		e.int(int64(st.Kinds[src]))
		spill()
	}
	e.uint(uint64(len(st.Orgs)))
	for slug, name := range st.Orgs {
		e.str(slug)
		e.str(name)
	}
	e.str(st.Content)
	e.int(st.Stamp)
	e.int(st.Marker)
	e.b = append(e.b, st.Log.ID[:]...)
	e.int(st.Log.Len)
	e.int(st.Log.Live)
	if err == nil {
		_, err = w.Write(e.b)
	}
	return err
}

// spillAt is how much of the head encodeHead holds before writing it: at
// 100,000 pages the whole head is tens of megabytes, made at the build's
// end beside the index's final merge.
const spillAt = 64 << 10

// decodeHead reads what encodeHead wrote, if it is of this version and for
// key; nil otherwise.
func decodeHead(b []byte, key string) *state {
	if !bytes.HasPrefix(b, []byte(headMagic)) {
		return nil
	}
	d := decoder{b: b[len(headMagic):]}
	st := &state{Version: int(d.int())}
	if st.Version != stateVersion {
		return nil
	}
	if st.Key = d.str(); st.Key != key {
		return nil
	}
	d.sum(&st.Settings)
	for _, m := range []*map[string][32]byte{&st.Layouts, &st.Static} {
		n := d.count()
		*m = make(map[string][32]byte, n)
		for range n {
			k := d.str()
			var v [32]byte
			d.sum(&v)
			(*m)[k] = v
		}
	}
	n := d.count()
	st.Sums, st.Sigs = make(map[string][32]byte, n), make(map[string]uint64, n)
	for range n {
		path := d.str()
		var sum [32]byte
		d.sum(&sum)
		st.Sums[path] = sum
		if ok, sig := d.bool(), d.uint(); ok {
			st.Sigs[path] = sig
		}
	}
	for path := d.str(); path != "" && d.err == nil; path = d.str() {
		st.Sigs[path] = d.uint()
	}
	n = d.count()
	st.URLs, st.Kinds = make(map[string]string, n), make(map[string]content.Kind, n)
	for range n {
		src := d.str()
		st.URLs[src] = d.str()
		st.Kinds[src] = content.Kind(d.int())
	}
	n = d.count()
	st.Orgs = make(map[string]string, n)
	for range n {
		slug := d.str()
		st.Orgs[slug] = d.str()
	}
	st.Content, st.Stamp, st.Marker = d.str(), d.int(), d.int()
	if len(d.b) >= len(st.Log.ID) {
		copy(st.Log.ID[:], d.b)
		d.b = d.b[len(st.Log.ID):]
	} else {
		d.fail()
	}
	st.Log.Len, st.Log.Live = d.int(), d.int()
	if d.err != nil || len(d.b) != 0 {
		return nil
	}
	return st
}

// sum reads a 32-byte fingerprint into v.
func (d *decoder) sum(v *[32]byte) {
	if len(d.b) < len(v) {
		d.fail()
		return
	}
	copy(v[:], d.b)
	d.b = d.b[len(v):]
}
