package publish

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
)

// A build writes over the build before last (see Staging), and leaves each
// file that already holds its new bytes alone. Telling which those are used
// to mean reading every file back: at 100,000 pages 3.2 GB, most of it
// dropped from the machine's memory in the minutes since it was written, so
// read from the disk. Instead, every folder a build commits holds a manifest
// (Manifest): for each page written, its size and modification time and a
// fingerprint of its bytes, folded into one number. A file whose size and
// time are still the ones recorded, which is how rsync and make tell a file
// left alone, and whose new bytes have the fingerprint recorded, holds
// them already; a file the manifest records otherwise is written again
// without being read. Only a file it does not record is read back.

// Manifest is the file in each committed folder that lists what the build
// wrote there. A dotfile, as the Marker is, so Netlify does not deploy it.
const Manifest = ".kb-sums"

// manifestHeader opens a manifest; a file that does not start with it, or
// whose length is not a whole number of records after it, is not used.
const manifestHeader = "kb output sums 1\n"

// recordSize is an encoded record's length: two 64-bit little-endian
// numbers, in record's order.
const recordSize = 16

// A record is what a manifest says of one file.
type record struct {
	path  uint64 // pathKey of the output's slash-separated path
	state uint64 // stateKey of its bytes' fingerprint, size and time
}

// manifest is a folder's records, sorted by path: no pointers, so the
// collector never looks inside it (134,000 records, 2 MB, at 100,000 pages).
type manifest []record

// pathKey is the key a record is kept under for an output path.
func pathKey(path string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(path))
	return h.Sum64()
}

// sumKey is the part of an output's SHA-256 a manifest goes by.
func sumKey(sum [32]byte) uint64 { return binary.LittleEndian.Uint64(sum[:8]) }

// stateKey folds a file's fingerprint (sumKey), size and modification time
// (in nanoseconds) into the one number a record keeps: a record is half
// the size it would be with the three, and a file that differs from its
// record in any of them is written again all the same.
func stateKey(sum uint64, size, mtime int64) uint64 {
	var b [24]byte
	binary.LittleEndian.PutUint64(b[:], sum)
	binary.LittleEndian.PutUint64(b[8:], uint64(size))
	binary.LittleEndian.PutUint64(b[16:], uint64(mtime))
	h := fnv.New64a()
	h.Write(b[:])
	return h.Sum64()
}

// find returns the record kept under the path key k.
func (m manifest) find(k uint64) (record, bool) {
	i, ok := slices.BinarySearchFunc(m, k, func(r record, k uint64) int { return cmp.Compare(r.path, k) })
	if !ok {
		return record{}, false
	}
	return m[i], true
}

// decodeManifest reads a manifest's bytes; nil if they are not one.
func decodeManifest(b []byte) manifest {
	body, ok := bytes.CutPrefix(b, []byte(manifestHeader))
	if !ok || len(body)%recordSize != 0 {
		return nil
	}
	m := make(manifest, len(body)/recordSize)
	for i := range m {
		r := body[i*recordSize:]
		m[i] = record{path: binary.LittleEndian.Uint64(r), state: binary.LittleEndian.Uint64(r[8:])}
	}
	for i := 1; i < len(m); i++ {
		if m[i-1].path >= m[i].path { // out of order, or twice
			return nil
		}
	}
	return m
}

// encode sorts m by path and returns its bytes.
func (m manifest) encode() []byte {
	slices.SortFunc(m, byPath)
	b := make([]byte, 0, len(manifestHeader)+len(m)*recordSize)
	b = append(b, manifestHeader...)
	for _, r := range m {
		b = binary.LittleEndian.AppendUint64(b, r.path)
		b = binary.LittleEndian.AppendUint64(b, r.state)
	}
	return b
}

func byPath(a, b record) int { return cmp.Compare(a.path, b.path) }

// readManifest reads the manifest of the folder dir: nil when there is
// none, or it is not one this kb wrote.
func readManifest(dir string) manifest {
	b, err := os.ReadFile(filepath.Join(dir, Manifest))
	if err != nil {
		return nil
	}
	return decodeManifest(b)
}

// holdsAsRecorded reports whether the file at p is a regular file of size
// bytes that the record r says holds bytes of fingerprint sum, and if so its
// modification time. Its bytes are then those, unless something changed
// them and set the time back.
func holdsAsRecorded(p string, r record, sum uint64, size int64) (mtime int64, same bool) {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != size {
		return 0, false
	}
	mtime = fi.ModTime().UnixNano()
	return mtime, r.state == stateKey(sum, size, mtime)
}
