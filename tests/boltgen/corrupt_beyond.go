package main

// The damages of `boltgen corrupt` that go past what bbolt's own Tx.Check
// looks at, and the hostile numbers: element layouts bbolt never writes,
// flag bits it does not define, and meta fields that would make a reader
// allocate or loop per page of a file that does not exist.

import (
	"fmt"
)

const metaFlags = 28 // offset of the meta's flags field inside a meta page

// bboltMisses names the damages that bbolt's Tx.Check finds nothing in:
// `boltgen check` exits 0 on them (corrupt_test.go asserts it), `ziti-backup
// check` must not.
var bboltMisses = map[string]bool{
	"leaf-element-gap":           true,
	"leaf-element-flags-unknown": true,
	"metas-flags-set":            true,
}

// bboltMayMiss names damages bbolt may or may not report (whether the moved
// bytes still sort depends on the data), and bboltNeverFinishes those its
// check runs for hours on (a high-water mark of 2^40 pages is a loop of 2^40
// steps; overlapping keys are compared once per element).
var (
	bboltMayMiss = map[string]bool{
		"leaf-element-overlaps-previous":   true,
		"leaf-element-overlaps-headers":    true,
		"branch-element-overlaps-previous": true,
	}
	bboltNeverFinishes = map[string]bool{
		"metas-pgid-huge":                 true,
		"metas-pgid-max":                  true,
		"leaf-elements-overlap-quadratic": true,
	}
)

func beyondBboltDamages() []damage {
	leaf := func(in *input) (*pageRef, error) { return in.plainLeaf() }
	b3 := func(in *input) (*pageRef, error) { return in.branch(3) }
	return []damage{
		// Hostile numbers: each would size an allocation or a loop.
		metaSet("metas-pgid-huge", "pgid (high-water mark)", metaPgid, func(in *input) (uint64, string) {
			return 1 << 40, fmt.Sprintf("2^40 pages; the file has %d pages", in.l.filePages)
		}),
		metaSet("metas-pgid-max", "pgid (high-water mark)", metaPgid, func(in *input) (uint64, string) {
			return ^uint64(0), fmt.Sprintf("2^64-1 pages; the file has %d pages", in.l.filePages)
		}),
		damage{"metas-pagesize-256mib", func(in *input) ([]byte, string, error) {
			b := in.clone()
			for s := range 2 {
				m := s * in.l.pageSize
				put32(b, m+metaPageSize, 256<<20)
				put64(b, m+metaChecksum, metaSum(b, m))
			}
			return b, fmt.Sprintf("both metas: page size %d -> 268435456 (past bbolt's 16 MiB), checksums recomputed",
				in.l.pageSize), nil
		}},
		damage{"freelist-overflow-covers-file", func(in *input) ([]byte, string, error) {
			v := in.l.hwm - in.l.freelist - 1
			if v < 8 {
				return nil, "", fmt.Errorf("%w: 8+ pages between the freelist and the high-water mark", errNoTarget)
			}
			b := in.clone()
			put32(b, in.off(in.l.freelist)+12, uint32(v))
			return b, fmt.Sprintf("freelist page %d: overflow 0 -> %d (to the high-water mark %d: more pages than a "+
				"list of every page needs)", in.l.freelist, v, in.l.hwm), nil
		}},
		damage{"leaf-elements-overlap-quadratic", overlapQuadratic},

		// Element layouts bbolt never writes.
		pageEdit("leaf-element-overlaps-previous", leaf, func(in *input, b []byte, p *pageRef) (string, error) {
			return moveOnto(in, b, p, 2, in.keyAbs(b, p, 1), "onto element 1's")
		}),
		pageEdit("leaf-element-overlaps-headers", leaf, func(in *input, b []byte, p *pageRef) (string, error) {
			// Onto its own header: a position is counted from the element, so it
			// cannot point further back.
			return moveOnto(in, b, p, 1, in.elem(p, 1), fmt.Sprintf("into the element headers (bytes 16..%d)",
				pageHeaderSize+p.count*elemSize))
		}),
		pageEdit("leaf-element-gap", func(in *input) (*pageRef, error) {
			return in.firstPage("single-page plain leaf with 8+ bytes free after its last element", func(p *pageRef) bool {
				return p.flags == flagLeaf && p.overflow == 0 && p.count >= 2 && !in.hasBucket(p) &&
					in.dataEnd(p)+8 <= in.off(p.id)+in.l.pageSize
			})
		}, func(in *input, b []byte, p *pageRef) (string, error) {
			last := p.count - 1
			from, end := in.keyAbs(b, p, last), in.dataEnd(p)
			copy(b[from+8:end+8], in.data[from:end])
			in.moveKey(b, p, last, from+8)
			base := in.off(p.id)
			return fmt.Sprintf("leaf page %d: element %d's key and value moved 8 bytes on, to bytes %d..%d of the "+
				"page (a gap after element %d's, which end at byte %d)", p.id, last, from+8-base, end+8-base, last-1,
				from-base), nil
		}),
		pageEdit("branch-element-overlaps-previous", b3, func(in *input, b []byte, p *pageRef) (string, error) {
			return moveOnto(in, b, p, 2, in.keyAbs(b, p, 1), "onto element 1's")
		}),

		// Flag bits bbolt does not define.
		pageEdit("leaf-element-flags-unknown", leaf, func(in *input, b []byte, p *pageRef) (string, error) {
			e := in.elem(p, 1)
			put32(b, e, le32(b, e)|0x04)
			return fmt.Sprintf("leaf page %d: element 1's flags 0x0 -> 0x4 (not the bucket bit; bbolt ignores it)",
				p.id), nil
		}),
		pageEdit("leaf-flags-extra-bit", leaf, func(in *input, b []byte, p *pageRef) (string, error) {
			put16(b, in.off(p.id)+8, flagLeaf|0x40)
			return fmt.Sprintf("leaf page %d (referenced from page %d): flags 0x2 -> 0x42 (leaf with an undefined "+
				"bit)", p.id, in.parentOf(p)), nil
		}),
		damage{"freelist-flags-unknown-bit", func(in *input) ([]byte, string, error) {
			b := in.clone()
			put16(b, in.off(in.l.freelist)+8, flagFreelist|0x80)
			return b, fmt.Sprintf("freelist page %d: flags 0x10 -> 0x90 (an undefined bit)", in.l.freelist), nil
		}},
		damage{"metas-flags-set", func(in *input) ([]byte, string, error) {
			b := in.clone()
			for s := range 2 {
				m := s * in.l.pageSize
				put32(b, m+metaFlags, 1)
				put64(b, m+metaChecksum, metaSum(b, m))
			}
			return b, "both metas: meta flags 0 -> 0x1 (bbolt defines none), checksums recomputed", nil
		}},
		damage{"metas-page-flags-unknown", func(in *input) ([]byte, string, error) {
			b := in.clone()
			for s := range 2 {
				put16(b, s*in.l.pageSize+8, 0x04|0x40)
			}
			return b, "meta pages 0 and 1: page flags 0x4 -> 0x44 (an undefined bit; not covered by the checksum)", nil
		}},
	}
}

// moveOnto points element i's key (and value) of page p at absolute offset
// abs, describing where its bytes now are.
func moveOnto(in *input, b []byte, p *pageRef, i, abs int, onto string) (string, error) {
	e := in.elem(p, i)
	size := int(le32(b, e+4))
	if p.flags != flagBranch {
		size = int(le32(b, e+8)) + int(le32(b, e+12))
	}
	in.moveKey(b, p, i, abs)
	what := "key and value"
	if p.flags == flagBranch {
		what = "key"
	}
	base := in.off(p.id)
	return fmt.Sprintf("%s page %d: element %d's %s (%d bytes) moved %s, at bytes %d..%d of the page", pageKind(p),
		p.id, i, what, size, onto, abs-base, abs+size-base), nil
}

// overlapQuadratic appends one leaf page of 2048 pages (8 MiB at 4 KiB a
// page) after the file's last page and makes it the root bucket's root. It
// holds 65535 elements whose keys all start at the same byte, each one byte
// longer than the one before: in order, but comparing each key with the one
// before costs the whole key. A reader that trusts the elements does
// 65535 * 7 MiB of comparisons (minutes); the rest of the tree becomes
// unreachable.
func overlapQuadratic(in *input) ([]byte, string, error) {
	const span = 2048
	p := in.l.filePages
	bytes := span * in.l.pageSize
	count := min(65535, bytes/32)
	k0 := pageHeaderSize + count*elemSize
	l := bytes - k0 - count
	b := append(in.clone(), make([]byte, bytes)...)
	o := in.off(p)
	put64(b, o, p)
	put16(b, o+8, flagLeaf)
	put16(b, o+10, uint16(count))
	put32(b, o+12, span-1)
	for i := range count {
		e := o + pageHeaderSize + i*elemSize
		put32(b, e+4, uint32(k0-(pageHeaderSize+i*elemSize)))
		put32(b, e+8, uint32(l+i))
	}
	for i := k0; i < bytes; i++ {
		b[o+i] = 'k'
	}
	in.setMetas(b, metaRoot, p)
	in.setMetas(b, metaPgid, p+span)
	return b, fmt.Sprintf("leaf page %d appended after the file's %d pages, overflow %d, as the root bucket's root "+
		"(high-water mark %d -> %d): %d elements whose keys all start at byte %d of the page, %d..%d bytes long "+
		"(element 1's key and value are bytes %d..%d)", p, in.l.filePages, span-1, in.l.hwm, p+span, count, k0, l,
		l+count-1, k0, k0+l+1), nil
}

// hasBucket reports whether leaf p has a bucket element.
func (in *input) hasBucket(p *pageRef) bool {
	for i := range p.count {
		if le32(in.data, in.elem(p, i))&bucketLeafFlag != 0 {
			return true
		}
	}
	return false
}

// dataEnd is the file offset where leaf p's last element's value ends.
func (in *input) dataEnd(p *pageRef) int {
	e := in.elem(p, p.count-1)
	return e + int(le32(in.data, e+4)) + int(le32(in.data, e+8)) + int(le32(in.data, e+12))
}

// parentOf is the page that references p: its parent branch, or the leaf
// holding the bucket element whose root it is (0 for the root bucket's root).
func (in *input) parentOf(p *pageRef) uint64 {
	if n := len(p.ancestors); n > 0 {
		return p.ancestors[n-1]
	}
	for _, r := range in.l.buckets {
		if r.root == p.id {
			return r.leaf
		}
	}
	return 0
}
