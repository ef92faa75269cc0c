package main

// The building blocks of `boltgen corrupt`'s catalogue: finding a target in
// an input's layout and editing the bytes of a copy.

import (
	"errors"
	"fmt"
	"slices"
)

// clone is a fresh copy of the input's bytes to damage.
func (in *input) clone() []byte { return slices.Clone(in.data) }

// off is the file offset of page id.
func (in *input) off(id uint64) int { return int(id) * in.l.pageSize }

// elem is the offset of element i of page p.
func (in *input) elem(p *pageRef, i int) int { return in.off(p.id) + pageHeaderSize + i*elemSize }

// key returns element i's key (leaf or branch) in b.
func (in *input) key(b []byte, p *pageRef, i int) []byte {
	e := in.elem(p, i)
	if p.flags == flagBranch {
		return b[e+int(le32(b, e)) : e+int(le32(b, e))+int(le32(b, e+4))]
	}
	return b[e+int(le32(b, e+4)) : e+int(le32(b, e+4))+int(le32(b, e+8))]
}

var errNoTarget = errors.New("no target in this input")

// firstPage is the first branch or leaf page in walk order that pred accepts.
func (in *input) firstPage(what string, pred func(p *pageRef) bool) (*pageRef, error) {
	for _, p := range in.l.pages {
		if pred(p) {
			return p, nil
		}
	}
	return nil, fmt.Errorf("%w: %s", errNoTarget, what)
}

// branch is the first branch page with at least n elements.
func (in *input) branch(n int) (*pageRef, error) {
	return in.firstPage(fmt.Sprintf("branch page with %d+ elements", n), func(p *pageRef) bool {
		return p.flags == flagBranch && p.count >= n
	})
}

// plainLeaf is the first single-page leaf with 4+ elements, all plain
// non-empty values.
func (in *input) plainLeaf() (*pageRef, error) {
	return in.firstPage("leaf page with 4+ plain values", func(p *pageRef) bool {
		if p.flags != flagLeaf || p.count < 4 || p.overflow != 0 {
			return false
		}
		for i := range p.count {
			if e := in.elem(p, i); le32(in.data, e)&bucketLeafFlag != 0 || le32(in.data, e+12) == 0 {
				return false
			}
		}
		return true
	})
}

// metaField is a meta field and the bit its bit-flip damages flip: a low
// bit, so the value stays plausible and only the validation catches it.
type metaField struct {
	name string
	off  int
	bit  uint
}

var metaFieldsFlipped = []metaField{
	{"magic", metaMagic, 0}, {"version", metaVersion, 0}, {"checksum", metaChecksum, 17},
	{"root", metaRoot, 2}, {"freelist", metaFreelist, 2}, {"pgid", metaPgid, 4}, {"txid", metaTxid, 1},
}

// metaRole names a meta slot and says which meta bbolt uses when it fails.
func (in *input) metaRole(slot int) string {
	txid := le64(in.data, slot*in.l.pageSize+metaTxid)
	if slot == in.l.metaSlot {
		return fmt.Sprintf("meta %d (the newer, txid %d; bbolt falls back to meta %d)", slot, txid, 1-slot)
	}
	return fmt.Sprintf("meta %d (the older, txid %d; bbolt still uses meta %d)", slot, txid, 1-slot)
}

// metaFlip flips f.bit of field f in the given meta slots, leaving the
// checksum as it was.
func metaFlip(f metaField, slots ...int) damage {
	prefix := fmt.Sprintf("meta%d", slots[0])
	if len(slots) == 2 {
		prefix = "metas"
	}
	return damage{prefix + "-" + f.name + "-bitflip", func(in *input) ([]byte, string, error) {
		b := in.clone()
		for _, s := range slots {
			b[s*in.l.pageSize+f.off+int(f.bit/8)] ^= 1 << (f.bit % 8)
		}
		where := "both metas (no valid meta left: bbolt refuses to open)"
		if len(slots) == 1 {
			where = in.metaRole(slots[0])
		}
		how := "checksum left as it was"
		if f.name == "checksum" {
			how = "now wrong"
		}
		return b, fmt.Sprintf("%s: bit %d of %s flipped, %s", where, f.bit, f.name, how), nil
	}}
}

// setMetas sets a u64 meta field in both metas and recomputes both
// checksums, so neither meta is rejected and bbolt cannot fall back.
func (in *input) setMetas(b []byte, off int, v uint64) {
	for s := range 2 {
		m := s * in.l.pageSize
		put64(b, m+off, v)
		put64(b, m+metaChecksum, metaSum(b, m))
	}
}

// metaSet is a damage that sets one meta field in both metas (checksums
// recomputed) to what value returns.
func metaSet(name, field string, off int, value func(in *input) (uint64, string)) damage {
	return damage{name, func(in *input) ([]byte, string, error) {
		b := in.clone()
		v, why := value(in)
		in.setMetas(b, off, v)
		return b, fmt.Sprintf("both metas: %s set to %d (%s), checksums recomputed", field, v, why), nil
	}}
}

// pageEdit is a damage that edits one page chosen by pick.
func pageEdit(name string, pick func(in *input) (*pageRef, error),
	edit func(in *input, b []byte, p *pageRef) (string, error)) damage {
	return damage{name, func(in *input) ([]byte, string, error) {
		p, err := pick(in)
		if err != nil {
			return nil, "", err
		}
		b := in.clone()
		desc, err := edit(in, b, p)
		return b, desc, err
	}}
}

// pageKind is "branch" or "leaf", for descriptions.
func pageKind(p *pageRef) string {
	if p.flags == flagBranch {
		return "branch"
	}
	return "leaf"
}

// setFlags changes a page's flags.
func setFlags(flags uint16, why string) func(in *input, b []byte, p *pageRef) (string, error) {
	return func(in *input, b []byte, p *pageRef) (string, error) {
		put16(b, in.off(p.id)+8, flags)
		return fmt.Sprintf("%s page %d: flags %#02x -> %#02x (%s)", pageKind(p), p.id, p.flags, flags, why), nil
	}
}

// flipHeader flips bit of the page header field at off (id 0, flags 8,
// count 10, overflow 12).
func flipHeader(field string, off int, bit uint) func(in *input, b []byte, p *pageRef) (string, error) {
	return func(in *input, b []byte, p *pageRef) (string, error) {
		o := in.off(p.id) + off
		before := le64(b, o)
		b[o+int(bit/8)] ^= 1 << (bit % 8)
		mask := map[int]uint64{0: ^uint64(0), 8: 0xFFFF, 10: 0xFFFF, 12: 0xFFFFFFFF}[off]
		return fmt.Sprintf("%s page %d: bit %d of the header %s flipped (%d -> %d)", pageKind(p), p.id, bit, field,
			before&mask, le64(b, o)&mask), nil
	}
}

// setChild points branch element i of p at child.
func (in *input) setChild(b []byte, p *pageRef, i int, child uint64) uint64 {
	e := in.elem(p, i)
	old := le64(b, e+8)
	put64(b, e+8, child)
	return old
}

// moveKey points element i's key (and, for a leaf, the value after it) at the
// absolute offset abs.
func (in *input) moveKey(b []byte, p *pageRef, i, abs int) {
	e := in.elem(p, i)
	if p.flags == flagBranch {
		put32(b, e, uint32(abs-e))
	} else {
		put32(b, e+4, uint32(abs-e))
	}
}

// keyAbs is the absolute offset of element i's key.
func (in *input) keyAbs(b []byte, p *pageRef, i int) int {
	e := in.elem(p, i)
	if p.flags == flagBranch {
		return e + int(le32(b, e))
	}
	return e + int(le32(b, e+4))
}

// swapKeys swaps elements i and j's keys (for a leaf, with their values and
// flags; for a branch, the children stay where they are).
func (in *input) swapKeys(b []byte, p *pageRef, i, j int) {
	ei, ej := in.elem(p, i), in.elem(p, j)
	ai, aj := in.keyAbs(b, p, i), in.keyAbs(b, p, j)
	if p.flags == flagBranch {
		ki, kj := le32(b, ei+4), le32(b, ej+4)
		put32(b, ei+4, kj)
		put32(b, ej+4, ki)
	} else {
		for _, o := range []int{0, 8, 12} { // flags, ksize, vsize
			vi, vj := le32(b, ei+o), le32(b, ej+o)
			put32(b, ei+o, vj)
			put32(b, ej+o, vi)
		}
	}
	in.moveKey(b, p, i, aj)
	in.moveKey(b, p, j, ai)
}

// keyOutsidePage points the last element's key at bytes past the end of the
// page (inside the file) that sort before the previous key, so the page's
// keys are out of order.
func keyOutsidePage(in *input, b []byte, p *pageRef) (string, error) {
	last := p.count - 1
	prev := in.key(b, p, last-1)
	ksize := len(in.key(b, p, last))
	end := in.off(p.id) + (int(p.overflow)+1)*in.l.pageSize
	for abs := end; abs+ksize+(1<<16) < len(b); abs++ {
		if ksize > 0 && len(prev) > 0 && b[abs] < prev[0] {
			in.moveKey(b, p, last, abs)
			return fmt.Sprintf("%s page %d: element %d's key offset moved outside the page, to byte %d after its "+
				"end (file offset %d), where the bytes sort before the previous key", pageKind(p), p.id, last, abs-end,
				abs), nil
		}
	}
	return "", fmt.Errorf("%w: bytes past page %d that sort before its keys", errNoTarget, p.id)
}

// bucketRefs is the first bucket element (inline or not) that pred accepts.
func (in *input) bucketRefs(what string, inline bool, pred func(r bucketRef) bool) (bucketRef, error) {
	refs := in.l.buckets
	if inline {
		refs = in.l.inline
	}
	for _, r := range refs {
		if pred(r) {
			return r, nil
		}
	}
	return bucketRef{}, fmt.Errorf("%w: %s", errNoTarget, what)
}

// bucketValue is the offset of bucket element r's value (its bucket header).
func (in *input) bucketValue(b []byte, r bucketRef) int {
	e := in.elem(in.l.byID[r.leaf], r.index)
	return e + int(le32(b, e+4)) + int(le32(b, e+8))
}

// setBucketRoot is a damage that sets the root of a nested bucket.
func setBucketRoot(name string, value func(in *input, r bucketRef) (uint64, string)) damage {
	return damage{name, func(in *input) ([]byte, string, error) {
		r, err := in.bucketRefs("nested bucket", false, func(r bucketRef) bool { return len(r.outer) >= 3 })
		if err != nil {
			return nil, "", err
		}
		b := in.clone()
		v, why := value(in, r)
		put64(b, in.bucketValue(b, r), v)
		return b, fmt.Sprintf("leaf page %d: element %d (bucket %q) root %d -> %d (%s)", r.leaf, r.index,
			in.key(b, in.l.byID[r.leaf], r.index), r.root, v, why), nil
	}}
}

// freelistEdit is a damage that rewrites the freelist's ids.
func freelistEdit(name string, edit func(in *input, ids []uint64) ([]uint64, string)) damage {
	return damage{name, func(in *input) ([]byte, string, error) {
		if len(in.l.freeIDs) == 0 {
			return nil, "", fmt.Errorf("%w: free pages in the freelist", errNoTarget)
		}
		b := in.clone()
		ids, desc := edit(in, slices.Clone(in.l.freeIDs))
		o := in.off(in.l.freelist)
		if len(ids) >= 0xFFFF || pageHeaderSize+8*len(ids) > (int(le32(b, o+12))+1)*in.l.pageSize {
			return nil, "", fmt.Errorf("%w: room for %d ids in freelist page %d", errNoTarget, len(ids), in.l.freelist)
		}
		put16(b, o+10, uint16(len(ids)))
		for i, id := range ids {
			put64(b, o+pageHeaderSize+8*i, id)
		}
		return b, fmt.Sprintf("freelist page %d: %s", in.l.freelist, desc), nil
	}}
}

// freelistCountOverflow writes the 0xFFFF count marker with real count n in
// the first id slot (the form bbolt uses for 65535+ free pages).
func freelistCountOverflow(name string, n func(in *input) (uint64, string)) damage {
	return damage{name, func(in *input) ([]byte, string, error) {
		b := in.clone()
		o := in.off(in.l.freelist)
		v, why := n(in)
		if pageHeaderSize+8*(len(in.l.freeIDs)+1) > (int(le32(b, o+12))+1)*in.l.pageSize {
			return nil, "", fmt.Errorf("%w: room for the count in freelist page %d", errNoTarget, in.l.freelist)
		}
		put16(b, o+10, 0xFFFF)
		put64(b, o+pageHeaderSize, v)
		for i, id := range in.l.freeIDs {
			put64(b, o+pageHeaderSize+8*(i+1), id)
		}
		return b, fmt.Sprintf("freelist page %d: count 0xFFFF (overflow form) with real count %d (%s; %d ids follow)",
			in.l.freelist, v, why, len(in.l.freeIDs)), nil
	}}
}

// truncate is a damage that cuts the file to what size returns.
func truncate(name string, size func(in *input) (int, string, error)) damage {
	return damage{name, func(in *input) ([]byte, string, error) {
		n, why, err := size(in)
		if err != nil {
			return nil, "", err
		}
		return in.clone()[:n], fmt.Sprintf("file cut from %d to %d bytes (%s)", len(in.data), n, why), nil
	}}
}

// inUseAfter reports whether a page after id is in use.
func (in *input) inUseAfter(id uint64) bool {
	for p := range in.l.inUse {
		if p > id {
			return true
		}
	}
	return false
}

// lastInUse is the first page of the highest in-use page run (a tree page
// with its overflow, or the freelist).
func (in *input) lastInUse() uint64 {
	top := uint64(0)
	for id := range in.l.inUse {
		top = max(top, id)
	}
	for _, p := range in.l.pages {
		if p.id <= top && top <= p.id+uint64(p.overflow) {
			return p.id
		}
	}
	return in.l.freelist
}

// siblingFlip finds an element of branch p whose child id with bit 0
// flipped is another leaf of the same bucket (never an ancestor: no cycle).
func (in *input) siblingFlip(p *pageRef) (int, bool) {
	for i := range p.count {
		child := le64(in.data, in.elem(p, i)+8)
		if q := in.l.byID[child^1]; q != nil && q.flags == flagLeaf && q.bucket == p.bucket {
			return i, true
		}
	}
	return 0, false
}

// valueAsBucket finds a plain value of 16+ bytes whose first 8 bytes, read
// as a page id, are past the end of the file.
func (in *input) valueAsBucket(p *pageRef) (int, bool) {
	for i := range p.count {
		e := in.elem(p, i)
		v := e + int(le32(in.data, e+4)+le32(in.data, e+8))
		if le32(in.data, e)&bucketLeafFlag == 0 && le32(in.data, e+12) >= 16 && le64(in.data, v) > in.l.filePages {
			return i, true
		}
	}
	return 0, false
}
