package main

// The content digest shared by `writer` (maintained incrementally, logged per
// commit) and `check` (computed by a full walk).
//
// It is order independent: the XOR over every entry of SHA-256(encoding of
// the entry). An entry is either a plain key/value pair or a nested bucket,
// together with the path of buckets that contains it (empty for top-level
// buckets). The encoding, with u32 meaning a 4-byte big-endian length:
//
//	u32(number of path components)
//	for each component: u32(len) component
//	u32(len(key)) key
//	0x00 u32(len(value)) value      for a plain value
//	0x01                            for a nested bucket
//
// An empty database has the all-zero digest.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"

	bolt "go.etcd.io/bbolt"
)

// Digest is the XOR of the entry hashes.
type Digest [sha256.Size]byte

// Hex is the lowercase hex form used in the writer log and `check` output.
func (d Digest) Hex() string { return hex.EncodeToString(d[:]) }

func (d *Digest) xor(h *[sha256.Size]byte) {
	for i := range d {
		d[i] ^= h[i]
	}
}

// hasher hashes entries; it reuses its buffers, so it is not safe for
// concurrent use.
type hasher struct {
	h   hash.Hash
	buf []byte
	sum [sha256.Size]byte
}

func newHasher() *hasher { return &hasher{h: sha256.New()} }

func appendU32(b []byte, n int) []byte { return binary.BigEndian.AppendUint32(b, uint32(n)) }

// entry returns the hash of one entry; value is ignored when isBucket.
func (hs *hasher) entry(path [][]byte, key, value []byte, isBucket bool) *[sha256.Size]byte {
	b := hs.buf[:0]
	b = appendU32(b, len(path))
	for _, c := range path {
		b = appendU32(b, len(c))
		b = append(b, c...)
	}
	b = appendU32(b, len(key))
	b = append(b, key...)
	hs.h.Reset()
	if isBucket {
		b = append(b, 1)
		hs.h.Write(b)
	} else {
		b = append(b, 0)
		b = appendU32(b, len(value))
		// Large values are hashed in place rather than copied.
		hs.h.Write(b)
		hs.h.Write(value)
	}
	hs.buf = b
	hs.h.Sum(hs.sum[:0])
	return &hs.sum
}

// Value XORs a plain key/value entry into d.
func (hs *hasher) Value(d *Digest, path [][]byte, key, value []byte) {
	d.xor(hs.entry(path, key, value, false))
}

// Bucket XORs a nested-bucket entry into d.
func (hs *hasher) Bucket(d *Digest, path [][]byte, name []byte) {
	d.xor(hs.entry(path, name, nil, true))
}

// Subtree XORs every entry inside bucket b (which lives at path) into d,
// recursively; the entry for b itself is not included.
func (hs *hasher) Subtree(d *Digest, path [][]byte, b *bolt.Bucket) {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			if child := b.Bucket(k); child != nil {
				hs.Bucket(d, path, k)
				// Keys are only valid for the transaction; the path slice is
				// extended per level, so copy the key.
				hs.Subtree(d, appendPath(path, k), child)
				continue
			}
		}
		hs.Value(d, path, k, v)
	}
}

// FullDigest walks the whole database visible to tx.
func FullDigest(tx *bolt.Tx) Digest {
	var d Digest
	hs := newHasher()
	c := tx.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		b := tx.Bucket(k)
		if b == nil {
			continue // the root holds only buckets
		}
		hs.Bucket(&d, nil, k)
		hs.Subtree(&d, [][]byte{bytes.Clone(k)}, b)
	}
	return d
}

// appendPath returns path + name in a new slice (never aliasing path's
// backing array, so sibling paths do not overwrite each other).
func appendPath(path [][]byte, name []byte) [][]byte {
	p := make([][]byte, len(path)+1)
	copy(p, path)
	p[len(path)] = bytes.Clone(name)
	return p
}
