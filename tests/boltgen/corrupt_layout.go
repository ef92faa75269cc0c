package main

// The bbolt file format as `boltgen corrupt` reads it: a walk of a clean file
// that records where every page, bucket and free id is, parsed from the bytes
// (not through bbolt, so nothing is taken on trust).
//
// On-disk format (little-endian), as in bbolt's internal/common:
//
//	page header  id u64 | flags u16 | count u16 | overflow u32   (16 bytes)
//	branch elem  pos u32 | ksize u32 | pgid u64                  (pos from the element)
//	leaf elem    flags u32 | pos u32 | ksize u32 | vsize u32     (pos from the element)
//	meta body    magic u32 | version u32 | pageSize u32 | flags u32 | root u64 |
//	             sequence u64 | freelist u64 | pgid u64 | txid u64 | checksum u64
//	bucket value root u64 | sequence u64 [| inline page when root is 0]
//	freelist     count ids u64 each; a count of 0xFFFF means the real count is
//	             the first u64, the ids following it
//
// The meta checksum is FNV-1a 64 over the first 56 bytes of the meta body.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
)

const (
	pageHeaderSize = 16
	elemSize       = 16 // branch and leaf elements are both 16 bytes
	flagBranch     = 0x01
	flagLeaf       = 0x02
	flagFreelist   = 0x10
	bucketLeafFlag = 0x01
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	noFreelist     = ^uint64(0)

	// Offsets inside a meta page (header included).
	metaMagic    = 16
	metaVersion  = 20
	metaPageSize = 24
	metaRoot     = 32
	metaFreelist = 48
	metaPgid     = 56
	metaTxid     = 64
	metaChecksum = 72
	metaSumLen   = 56
)

// pageRef is a branch or leaf page found by the walk.
type pageRef struct {
	id        uint64
	flags     uint16
	count     int
	overflow  uint32
	ancestors []uint64 // branch pages above it in its bucket's tree, root first
	bucket    uint64   // root page of the bucket tree it belongs to
	outer     []uint64 // root pages of the buckets enclosing that bucket, outermost first
}

// bucketRef is a leaf element that is a bucket.
type bucketRef struct {
	leaf  uint64   // leaf page holding the element
	index int      // element index
	root  uint64   // 0 for an inline bucket
	outer []uint64 // root pages of every bucket enclosing this one, outermost first
}

// layout is what a walk of a clean file finds.
type layout struct {
	pageSize  int
	filePages uint64
	metaSlot  int // the meta in use (valid, highest txid)
	hwm       uint64
	root      uint64
	freelist  uint64
	freeIDs   []uint64
	pages     []*pageRef // branch and leaf pages in walk order
	byID      map[uint64]*pageRef
	buckets   []bucketRef // non-inline bucket elements, walk order
	inline    []bucketRef // inline bucket elements, walk order
	inUse     map[uint64]bool
}

func le16(b []byte, off int) uint16     { return binary.LittleEndian.Uint16(b[off:]) }
func le32(b []byte, off int) uint32     { return binary.LittleEndian.Uint32(b[off:]) }
func le64(b []byte, off int) uint64     { return binary.LittleEndian.Uint64(b[off:]) }
func put16(b []byte, off int, v uint16) { binary.LittleEndian.PutUint16(b[off:], v) }
func put32(b []byte, off int, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }
func put64(b []byte, off int, v uint64) { binary.LittleEndian.PutUint64(b[off:], v) }

// metaSum is the checksum of the meta page at off: FNV-1a 64 of the first 56
// bytes of its body.
func metaSum(b []byte, off int) uint64 {
	h := fnv.New64a()
	h.Write(b[off+metaMagic : off+metaMagic+metaSumLen])
	return h.Sum64()
}

// validMeta reports whether the meta page at off passes bbolt's Validate.
func validMeta(b []byte, off int) bool {
	return off+metaChecksum+8 <= len(b) && le32(b, off+metaMagic) == boltMagic &&
		le32(b, off+metaVersion) == boltVersion && le64(b, off+metaChecksum) == metaSum(b, off)
}

// parseLayout walks a clean bbolt file. Anything unexpected is an error: the
// corpus is built from clean files only.
func parseLayout(b []byte) (*layout, error) {
	if len(b) < 2*1024 || !validMeta(b, 0) {
		return nil, errors.New("meta page 0 is not valid")
	}
	ps := int(le32(b, metaPageSize))
	if ps < 1024 || ps&(ps-1) != 0 || len(b)%ps != 0 || len(b) < 4*ps || !validMeta(b, ps) {
		return nil, fmt.Errorf("bad page size %d or meta page 1 for a %d-byte file", ps, len(b))
	}
	l := &layout{pageSize: ps, filePages: uint64(len(b) / ps), byID: map[uint64]*pageRef{},
		inUse: map[uint64]bool{0: true, 1: true}}
	if le64(b, ps+metaTxid) > le64(b, metaTxid) {
		l.metaSlot = 1
	}
	m := l.metaSlot * ps
	l.hwm, l.root, l.freelist = le64(b, m+metaPgid), le64(b, m+metaRoot), le64(b, m+metaFreelist)
	if l.hwm > l.filePages || l.freelist == noFreelist || l.freelist >= l.hwm {
		return nil, fmt.Errorf("hwm %d, freelist %d in a %d-page file (a persisted freelist is needed)",
			l.hwm, l.freelist, l.filePages)
	}
	fp := b[int(l.freelist)*ps:]
	if le16(fp, 8) != flagFreelist {
		return nil, fmt.Errorf("page %d is not a freelist page", l.freelist)
	}
	n, start := int(le16(fp, 10)), pageHeaderSize
	if n == 0xFFFF {
		n, start = int(le64(fp, pageHeaderSize)), pageHeaderSize+8
	}
	if start+8*n > (int(le32(fp, 12))+1)*ps {
		return nil, fmt.Errorf("freelist page %d: %d ids do not fit", l.freelist, n)
	}
	for i := range n {
		l.freeIDs = append(l.freeIDs, le64(fp, start+8*i))
	}
	for i := uint64(0); i <= uint64(le32(fp, 12)); i++ {
		l.inUse[l.freelist+i] = true
	}
	if err := l.walk(b, l.root, l.root, nil, nil); err != nil {
		return nil, err
	}
	return l, nil
}

// walk visits page id of the bucket tree rooted at bucket.
func (l *layout) walk(b []byte, id, bucket uint64, ancestors, outer []uint64) error {
	if id < 2 || id >= l.hwm || l.inUse[id] {
		return fmt.Errorf("page %d: out of range or reached twice", id)
	}
	off := int(id) * l.pageSize
	p := &pageRef{id: id, flags: le16(b, off+8), count: int(le16(b, off+10)), overflow: le32(b, off+12),
		ancestors: ancestors, bucket: bucket, outer: outer}
	if le64(b, off) != id || p.count == 0 || off+(int(p.overflow)+1)*l.pageSize > len(b) ||
		pageHeaderSize+p.count*elemSize > (int(p.overflow)+1)*l.pageSize {
		return fmt.Errorf("page %d: bad header", id)
	}
	l.pages = append(l.pages, p)
	l.byID[id] = p
	for i := uint64(0); i <= uint64(p.overflow); i++ {
		l.inUse[id+i] = true
	}
	for i := range p.count {
		e := off + pageHeaderSize + i*elemSize
		switch p.flags {
		case flagBranch:
			if err := l.walk(b, le64(b, e+8), bucket, append(slices.Clone(ancestors), id), outer); err != nil {
				return err
			}
		case flagLeaf:
			if le32(b, e)&bucketLeafFlag == 0 {
				continue
			}
			v := e + int(le32(b, e+4)) + int(le32(b, e+8))
			if le32(b, e+12) < 16 || v+16 > len(b) {
				return fmt.Errorf("page %d: element %d: bad bucket value", id, i)
			}
			ref := bucketRef{leaf: id, index: i, root: le64(b, v), outer: append(slices.Clone(outer), bucket)}
			if ref.root == 0 {
				l.inline = append(l.inline, ref)
				continue
			}
			l.buckets = append(l.buckets, ref)
			if err := l.walk(b, ref.root, ref.root, nil, ref.outer); err != nil {
				return err
			}
		default:
			return fmt.Errorf("page %d: unexpected flags %#x", id, p.flags)
		}
	}
	return nil
}
