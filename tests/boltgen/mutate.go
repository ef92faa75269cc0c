package main

// mutator applies changes inside a write transaction and, when d is set,
// keeps the content digest up to date incrementally (XOR out the old entry,
// XOR in the new one). `gen` uses it without a digest, `writer` with one.

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

type mutator struct {
	tx    *bolt.Tx
	d     *Digest // nil: no digest tracking
	hs    *hasher
	bytes int // key+value bytes written, to size batches
}

func newMutator(tx *bolt.Tx, d *Digest) *mutator {
	m := &mutator{tx: tx, d: d}
	if d != nil {
		m.hs = newHasher()
	}
	return m
}

// put sets key in bucket b (at path) to value. value must stay untouched for
// the rest of the transaction (bbolt keeps a reference).
func (m *mutator) put(path [][]byte, b *bolt.Bucket, key, value []byte) error {
	if m.d != nil {
		c := b.Cursor()
		if k, v := c.Seek(key); k != nil && bytes.Equal(k, key) {
			if v == nil && b.Bucket(key) != nil {
				return fmt.Errorf("put %q: key is a bucket", key)
			}
			m.hs.Value(m.d, path, key, v)
		}
		m.hs.Value(m.d, path, key, value)
	}
	m.bytes += len(key) + len(value)
	return b.Put(key, value)
}

// del removes a plain key from b (at path), if present.
func (m *mutator) del(path [][]byte, b *bolt.Bucket, key []byte) error {
	if m.d != nil {
		c := b.Cursor()
		if k, v := c.Seek(key); k != nil && bytes.Equal(k, key) {
			if v == nil && b.Bucket(key) != nil {
				return fmt.Errorf("delete %q: key is a bucket", key)
			}
			m.hs.Value(m.d, path, key, v)
		}
	}
	return b.Delete(key)
}

// createBucket creates name in parent (at path; parent nil means the root).
func (m *mutator) createBucket(path [][]byte, parent *bolt.Bucket, name []byte) (*bolt.Bucket, error) {
	var nb *bolt.Bucket
	var err error
	if parent == nil {
		nb, err = m.tx.CreateBucket(name)
	} else {
		nb, err = parent.CreateBucket(name)
	}
	if err != nil {
		return nil, err
	}
	if m.d != nil {
		m.hs.Bucket(m.d, path, name)
	}
	m.bytes += len(name)
	return nb, nil
}

// ensurePath opens the bucket at path, creating what is missing.
func (m *mutator) ensurePath(path [][]byte) (*bolt.Bucket, error) {
	var b *bolt.Bucket
	for i, name := range path {
		var next *bolt.Bucket
		if b == nil {
			next = m.tx.Bucket(name)
		} else {
			next = b.Bucket(name)
		}
		if next == nil {
			var err error
			if next, err = m.createBucket(path[:i], b, name); err != nil {
				return nil, fmt.Errorf("create bucket %s: %w", pathString(path[:i+1]), err)
			}
		}
		b = next
	}
	return b, nil
}

// deleteBucket removes nested bucket name from parent (at path) with
// everything in it.
func (m *mutator) deleteBucket(path [][]byte, parent *bolt.Bucket, name []byte) error {
	if m.d != nil {
		child := parent.Bucket(name)
		if child == nil {
			return fmt.Errorf("delete bucket %q: not a bucket", name)
		}
		m.hs.Subtree(m.d, appendPath(path, name), child)
		m.hs.Bucket(m.d, path, name)
	}
	return parent.DeleteBucket(name)
}

// openPath returns the bucket at path, or nil.
func openPath(tx *bolt.Tx, path [][]byte) *bolt.Bucket {
	var b *bolt.Bucket
	for _, name := range path {
		if b == nil {
			b = tx.Bucket(name)
		} else {
			b = b.Bucket(name)
		}
		if b == nil {
			return nil
		}
	}
	return b
}

func pathString(path [][]byte) string {
	return string(bytes.Join(path, []byte("/")))
}

// insertRecord writes a new record of spec under key id in container b (at
// path cpath).
func insertRecord(m *mutator, vg *valueGen, cpath [][]byte, b *bolt.Bucket, id []byte, spec *recordSpec) error {
	if spec.flat {
		return m.put(cpath, b, id, vg.value(spec.fields[0].kind))
	}
	rb, err := m.createBucket(cpath, b, id)
	if err != nil {
		return err
	}
	rpath := appendPath(cpath, id)
	if spec.common {
		for _, fs := range commonFields {
			if err := m.put(rpath, rb, []byte(fs.name), vg.value(fs.kind)); err != nil {
				return err
			}
		}
	}
	for _, fs := range spec.fields {
		if err := m.put(rpath, rb, []byte(fs.name), vg.value(fs.kind)); err != nil {
			return err
		}
	}
	if spec.common {
		tb, err := m.createBucket(rpath, rb, []byte("tags"))
		if err != nil {
			return err
		}
		tpath := appendPath(rpath, []byte("tags"))
		for i, n := 0, vg.g.intn(4); i < n; i++ {
			key := []byte(fmt.Sprintf("tag%d", i))
			if err := m.put(tpath, tb, key, vg.value(kShort)); err != nil {
				return err
			}
		}
	}
	return nil
}

// updateRecord rewrites 1-3 random fields of record id in container b.
func updateRecord(m *mutator, vg *valueGen, cpath [][]byte, b *bolt.Bucket, id []byte, spec *recordSpec) error {
	if spec.flat {
		return m.put(cpath, b, id, vg.value(spec.fields[0].kind))
	}
	rb := b.Bucket(id)
	if rb == nil {
		return fmt.Errorf("record %s/%s is missing", pathString(cpath), id)
	}
	rpath := appendPath(cpath, id)
	for i, n := 0, vg.g.between(1, 3); i < n; i++ {
		fs := spec.fields[vg.g.intn(len(spec.fields))]
		if err := m.put(rpath, rb, []byte(fs.name), vg.value(fs.kind)); err != nil {
			return err
		}
	}
	return nil
}

// deleteRecord removes record id from container b.
func deleteRecord(m *mutator, cpath [][]byte, b *bolt.Bucket, id []byte, spec *recordSpec) error {
	if spec.flat {
		return m.del(cpath, b, id)
	}
	return m.deleteBucket(cpath, b, id)
}

// bumpRaftIndex adds one to ziti/metadata/raftIndex (creating it at 1).
func bumpRaftIndex(m *mutator) (int64, error) {
	path := [][]byte{[]byte(rootBucket), []byte(metadataBucket)}
	mb, err := m.ensurePath(path)
	if err != nil {
		return 0, err
	}
	var idx int64
	if v := mb.Get([]byte("raftIndex")); len(v) == 9 && v[0] == typeInt64 {
		idx = int64(binary.LittleEndian.Uint64(v[1:]))
	}
	idx++
	return idx, m.put(path, mb, []byte("raftIndex"), int64Field(idx))
}
