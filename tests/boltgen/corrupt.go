package main

// boltgen corrupt --in DB [--in DB]... --out-dir DIR: the deterministic
// corruption corpus for `ziti-backup check`.
//
// It reads clean bbolt files, finds their pages by parsing the bytes itself
// (corrupt_layout.go), and writes one damaged copy per damage of the
// catalogue into DIR as NN-<name>.db, printing "<file name> <what was done>"
// per file. Each damage uses the first input that has something for it to
// hit (a ziti-shape DB with --churn hosts all but the two-level cycle, which
// needs a deeper tree such as --shape wide). The same inputs give the same
// files.
//
// Every damage leaves a file that is structurally wrong: bbolt refuses to
// open it, its Tx.Check (or the walk of `boltgen check`) reports an error, or
// a meta page fails its own magic/version/checksum validation (the damages
// of one meta only: bbolt falls back to the other meta and finds the file
// clean), or the damage is one bbolt's check does not look at (the element
// layouts and undefined flag bits of corrupt_beyond.go, where `ziti-backup
// check` goes further). Where a meta field is changed on purpose (a root past the
// high-water mark...), both metas get the change and a recomputed checksum,
// so the damage reaches the tree walk instead of being caught by the
// checksum or bbolt falling back to the other meta.
//
// bbolt itself never finishes on the cycle files: its cursor and Tx.Check
// follow the cycle for ever, so run `boltgen check` on them with a timeout.

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

func runCorrupt(args []string) int {
	fl := flag.NewFlagSet("corrupt", flag.ContinueOnError)
	var ins, only stringList
	var outDir string
	fl.Var(&ins, "in", "clean bbolt file to damage (repeatable: each damage uses the first input that has a target for it)")
	fl.Var(&only, "only", "write only the damage of this name (repeatable; the files keep their numbers)")
	fl.StringVar(&outDir, "out-dir", "", "directory for the damaged copies (created if missing)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if len(ins) == 0 || outDir == "" || fl.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "boltgen corrupt: usage: boltgen corrupt --in DB [--in DB]... --out-dir DIR [--only NAME]...")
		return 2
	}
	var inputs []*input
	for _, path := range ins {
		in, err := loadInput(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "boltgen corrupt: %s: %v\n", path, err)
			return 1
		}
		inputs = append(inputs, in)
	}
	files, err := buildCorpus(inputs, only...)
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen corrupt: %v\n", err)
		return 1
	}
	if err := os.MkdirAll(outDir, 0o700); err != nil {
		fmt.Fprintf(os.Stderr, "boltgen corrupt: %v\n", err)
		return 1
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(outDir, f.name), f.data, 0o600); err != nil {
			fmt.Fprintf(os.Stderr, "boltgen corrupt: %v\n", err)
			return 1
		}
		fmt.Printf("%s %s\n", f.name, f.desc)
	}
	return 0
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return fmt.Sprint(*s) }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// corruptFile is one file of the corpus.
type corruptFile struct {
	name string // NN-<damage name>.db
	desc string
	data []byte
	base *input // the input it was made from
}

// buildCorpus applies every damage of the catalogue (or only those named),
// in order, to the first input that has a target for it. A damage no input
// can host is an error, so the corpus never silently shrinks.
func buildCorpus(inputs []*input, only ...string) ([]corruptFile, error) {
	cat := catalogue()
	width := max(2, len(fmt.Sprint(len(cat))))
	wanted := map[string]bool{}
	for _, name := range only {
		if !slices.ContainsFunc(cat, func(d damage) bool { return d.name == name }) {
			return nil, fmt.Errorf("no damage named %q", name)
		}
		wanted[name] = true
	}
	var files []corruptFile
	for i, d := range cat {
		if len(wanted) > 0 && !wanted[d.name] {
			continue
		}
		var lastErr error
		done := false
		for _, in := range inputs {
			out, desc, err := d.apply(in)
			if errors.Is(err, errNoTarget) {
				lastErr = err
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("damage %s on %s: %w", d.name, in.name, err)
			}
			if len(inputs) > 1 {
				desc += " (from " + in.name + ")"
			}
			files = append(files, corruptFile{fmt.Sprintf("%0*d-%s.db", width, i+1, d.name), desc, out, in})
			done = true
			break
		}
		if !done {
			return nil, fmt.Errorf("damage %s: no input has a target for it: %v", d.name, lastErr)
		}
	}
	return files, nil
}

// input is one clean base file and what its walk found.
type input struct {
	name string // base name, for descriptions
	data []byte
	l    *layout
}

// loadInput reads and walks one clean base file.
func loadInput(path string) (*input, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	l, err := parseLayout(data)
	if err != nil {
		return nil, fmt.Errorf("not a clean bbolt file this tool can damage: %w", err)
	}
	return &input{name: filepath.Base(path), data: data, l: l}, nil
}

// damage is one entry of the catalogue: apply returns the damaged bytes and
// a one-line description, or errNoTarget.
type damage struct {
	name  string
	apply func(in *input) (out []byte, desc string, err error)
}

// catalogue lists every damage in file order. Names are stable: they and
// their order are the file names of the corpus.
func catalogue() []damage {
	var cat []damage
	// Meta pages: bit flips that the meta's own validation catches.
	for _, f := range metaFieldsFlipped {
		cat = append(cat, metaFlip(f, 0), metaFlip(f, 1), metaFlip(f, 0, 1))
	}
	// Meta pages: deliberate edits with valid checksums, for the walk to find.
	pastEOF := func(in *input) (uint64, string) {
		return in.l.filePages + 1000, fmt.Sprintf("past the end of the %d-page file", in.l.filePages)
	}
	pastHWM := func(in *input) (uint64, string) {
		return in.l.hwm, fmt.Sprintf("at the high-water mark %d: a page never written", in.l.hwm)
	}
	cat = append(cat,
		metaSet("metas-root-past-eof", "root", metaRoot, pastEOF),
		metaSet("metas-root-past-hwm", "root", metaRoot, pastHWM),
		metaSet("metas-freelist-past-eof", "freelist", metaFreelist, pastEOF),
		metaSet("metas-freelist-past-hwm", "freelist", metaFreelist, pastHWM),
		metaSet("metas-root-is-freelist", "root", metaRoot, func(in *input) (uint64, string) {
			return in.l.freelist, "the freelist page"
		}),
		metaSet("metas-freelist-is-root", "freelist", metaFreelist, func(in *input) (uint64, string) {
			return in.l.root, fmt.Sprintf("the root %s page", pageKind(in.l.byID[in.l.root]))
		}),
		metaSet("metas-pgid-past-eof", "pgid (high-water mark)", metaPgid, func(in *input) (uint64, string) {
			return in.l.filePages + 16, fmt.Sprintf("was %d; the file has %d pages", in.l.hwm, in.l.filePages)
		}),
		metaSet("metas-pgid-below-in-use", "pgid (high-water mark)", metaPgid, func(in *input) (uint64, string) {
			top := uint64(0)
			for _, p := range in.l.pages {
				top = max(top, p.id)
			}
			return top - 1, fmt.Sprintf("was %d; page %d is in use", in.l.hwm, top)
		}),
		damage{"metas-pagesize-doubled", func(in *input) ([]byte, string, error) {
			b := in.clone()
			for s := range 2 {
				m := s * in.l.pageSize
				put32(b, m+metaPageSize, uint32(2*in.l.pageSize))
				put64(b, m+metaChecksum, metaSum(b, m))
			}
			return b, fmt.Sprintf("both metas: page size %d -> %d, checksums recomputed", in.l.pageSize,
				2*in.l.pageSize), nil
		}},
		damage{"metas-zeroed", func(in *input) ([]byte, string, error) {
			b := in.clone()
			clear(b[:2*in.l.pageSize])
			return b, "meta pages 0 and 1 zeroed: not a bbolt file any more", nil
		}},
	)

	// Truncation.
	cat = append(cat,
		truncate("truncate-to-0-bytes", func(in *input) (int, string, error) { return 0, "empty file", nil }),
		truncate("truncate-to-100-bytes", func(in *input) (int, string, error) { return 100, "inside meta page 0", nil }),
		truncate("truncate-to-1-page", func(in *input) (int, string, error) { return in.l.pageSize, "meta page 0 only", nil }),
		truncate("truncate-inside-last-in-use-page", func(in *input) (int, string, error) {
			id := in.lastInUse()
			return in.off(id) + 8, fmt.Sprintf("inside the header of page %d, the last in-use page, after its id; "+
				"high-water mark %d", id, in.l.hwm), nil
		}),
		truncate("truncate-to-half", func(in *input) (int, string, error) {
			half := len(in.data) / 2
			if last := in.lastInUse(); in.off(last) < half {
				return 0, "", fmt.Errorf("%w: an in-use page in the second half of the file", errNoTarget)
			}
			return half, fmt.Sprintf("pages %d.. gone, in-use pages up to %d among them", in.l.filePages/2,
				in.lastInUse()), nil
		}),
	)

	// Branch pages.
	b3 := func(in *input) (*pageRef, error) { return in.branch(3) }
	cat = append(cat,
		pageEdit("branch-flags-bitflip", b3, flipHeader("flags", 8, 2)),
		pageEdit("branch-id-bitflip", b3, flipHeader("id", 0, 2)),
		pageEdit("branch-count-bitflip", b3, flipHeader("count", 10, 8)),
		pageEdit("branch-child-bitflip", func(in *input) (*pageRef, error) {
			return in.firstPage("branch whose child id with bit 0 flipped is a sibling leaf", func(p *pageRef) bool {
				_, ok := in.siblingFlip(p)
				return p.flags == flagBranch && ok
			})
		}, func(in *input, b []byte, p *pageRef) (string, error) {
			i, _ := in.siblingFlip(p)
			old := le64(b, in.elem(p, i)+8)
			in.setChild(b, p, i, old^1)
			return fmt.Sprintf("branch page %d: bit 0 of element %d's child id flipped (%d -> %d, a leaf of the "+
				"same bucket: now referenced twice, page %d unreachable)", p.id, i, old, old^1, old), nil
		}),
		pageEdit("branch-child-past-eof", b3, func(in *input, b []byte, p *pageRef) (string, error) {
			v := in.l.filePages + 1000
			old := in.setChild(b, p, 1, v)
			return fmt.Sprintf("branch page %d: element 1's child %d -> %d (past the end of the %d-page file)",
				p.id, old, v, in.l.filePages), nil
		}),
		pageEdit("branch-child-past-hwm", b3, func(in *input, b []byte, p *pageRef) (string, error) {
			old := in.setChild(b, p, 1, in.l.hwm)
			return fmt.Sprintf("branch page %d: element 1's child %d -> %d (the high-water mark: a page never "+
				"written)", p.id, old, in.l.hwm), nil
		}),
		pageEdit("branch-child-cycle-to-self", b3, func(in *input, b []byte, p *pageRef) (string, error) {
			last := p.count - 1
			old := in.setChild(b, p, last, p.id)
			return fmt.Sprintf("branch page %d: last element (%d)'s child %d -> %d, the page itself (a cycle)",
				p.id, last, old, p.id), nil
		}),
		pageEdit("branch-child-cycle-to-parent", func(in *input) (*pageRef, error) {
			return in.firstPage("branch page below another branch", func(p *pageRef) bool {
				return p.flags == flagBranch && len(p.ancestors) > 0 && p.count >= 2
			})
		}, func(in *input, b []byte, p *pageRef) (string, error) {
			last, up := p.count-1, p.ancestors[len(p.ancestors)-1]
			old := in.setChild(b, p, last, up)
			return fmt.Sprintf("branch page %d: last element (%d)'s child %d -> %d, its parent branch (a cycle "+
				"through two levels)", p.id, last, old, up), nil
		}),
		pageEdit("branch-duplicate-child", b3, func(in *input, b []byte, p *pageRef) (string, error) {
			first := le64(b, in.elem(p, 0)+8)
			old := in.setChild(b, p, 1, first)
			return fmt.Sprintf("branch page %d: element 1's child %d -> %d, element 0's child (referenced twice, "+
				"page %d unreachable)", p.id, old, first, old), nil
		}),
		pageEdit("branch-keys-swapped", b3, func(in *input, b []byte, p *pageRef) (string, error) {
			in.swapKeys(b, p, 0, 1)
			return fmt.Sprintf("branch page %d: keys of elements 0 and 1 swapped (children kept): keys out of order",
				p.id), nil
		}),
		pageEdit("branch-key-offset-outside-page", b3, keyOutsidePage),
		pageEdit("branch-flags-set-leaf", b3, setFlags(flagLeaf, "leaf flags on a branch")),
		pageEdit("branch-overflow-bitflip", func(in *input) (*pageRef, error) {
			return in.firstPage("branch page followed by an in-use tree page", func(p *pageRef) bool {
				return p.flags == flagBranch && p.overflow == 0 && in.l.byID[p.id+1] != nil
			})
		}, func(in *input, b []byte, p *pageRef) (string, error) {
			put32(b, in.off(p.id)+12, 1)
			return fmt.Sprintf("branch page %d: overflow 0 -> 1, so it also covers page %d, which is in use",
				p.id, p.id+1), nil
		}),
	)

	// Leaf pages.
	leaf := func(in *input) (*pageRef, error) { return in.plainLeaf() }
	cat = append(cat,
		pageEdit("leaf-flags-bitflip", leaf, flipHeader("flags", 8, 0)),
		pageEdit("leaf-id-bitflip", leaf, flipHeader("id", 0, 3)),
		pageEdit("leaf-count-bitflip", leaf, flipHeader("count", 10, 8)),
		pageEdit("leaf-keys-swapped", leaf, func(in *input, b []byte, p *pageRef) (string, error) {
			in.swapKeys(b, p, 1, 2)
			return fmt.Sprintf("leaf page %d: elements 1 and 2 swapped (key, value and flags): keys out of order",
				p.id), nil
		}),
		pageEdit("leaf-duplicate-key", leaf, func(in *input, b []byte, p *pageRef) (string, error) {
			e0, e1 := in.elem(p, 0), in.elem(p, 1)
			put32(b, e1, le32(b, e0))
			put32(b, e1+8, le32(b, e0+8))
			put32(b, e1+12, le32(b, e0+12))
			in.moveKey(b, p, 1, in.keyAbs(b, p, 0))
			return fmt.Sprintf("leaf page %d: element 1 made a copy of element 0 (the same key twice)", p.id), nil
		}),
		pageEdit("leaf-key-offset-outside-page", leaf, keyOutsidePage),
		pageEdit("leaf-key-offset-past-eof", leaf, func(in *input, b []byte, p *pageRef) (string, error) {
			e := in.elem(p, 1)
			put32(b, e+4, 0xFFFFFF00)
			return fmt.Sprintf("leaf page %d: element 1's key offset -> 0xFFFFFF00 (about 4 GiB past the element, "+
				"past the end of the %d-byte file)", p.id, len(b)), nil
		}),
		pageEdit("leaf-key-size-past-eof", leaf, func(in *input, b []byte, p *pageRef) (string, error) {
			e := in.elem(p, 1)
			put32(b, e+8, 0x7FFFFF00)
			return fmt.Sprintf("leaf page %d: element 1's key size -> 0x7FFFFF00 (runs past the page and the end "+
				"of the file)", p.id), nil
		}),
		pageEdit("leaf-value-size-past-eof", leaf, func(in *input, b []byte, p *pageRef) (string, error) {
			e := in.elem(p, 1)
			put32(b, e+12, 0xFFFFFF00)
			return fmt.Sprintf("leaf page %d: element 1's value size -> 0xFFFFFF00 (runs past the page and the "+
				"end of the file)", p.id), nil
		}),
		pageEdit("leaf-flags-set-branch", leaf, setFlags(flagBranch, "branch flags on a leaf")),
		pageEdit("leaf-flags-set-freelist", leaf, setFlags(flagFreelist, "freelist flags on a leaf")),
		pageEdit("leaf-flags-unknown", leaf, setFlags(0x20, "no such page type")),
		pageEdit("leaf-overflow-past-eof", func(in *input) (*pageRef, error) {
			return in.firstPage("leaf page with overflow pages and in-use pages after them", func(p *pageRef) bool {
				return p.flags == flagLeaf && p.overflow > 0 && in.inUseAfter(p.id+uint64(p.overflow))
			})
		}, func(in *input, b []byte, p *pageRef) (string, error) {
			v := uint32(in.l.filePages - p.id + 8)
			put32(b, in.off(p.id)+12, v)
			return fmt.Sprintf("leaf page %d: overflow %d -> %d (runs 8 pages past the end of the file, over "+
				"in-use pages)", p.id, p.overflow, v), nil
		}),
		pageEdit("leaf-overflow-shortened", func(in *input) (*pageRef, error) {
			return in.firstPage("leaf page with overflow pages", func(p *pageRef) bool {
				return p.flags == flagLeaf && p.overflow > 0
			})
		}, func(in *input, b []byte, p *pageRef) (string, error) {
			put32(b, in.off(p.id)+12, p.overflow-1)
			return fmt.Sprintf("leaf page %d: overflow %d -> %d (page %d, its last, unreachable and not free)",
				p.id, p.overflow, p.overflow-1, p.id+uint64(p.overflow)), nil
		}),
	)

	// Buckets.
	cat = append(cat,
		setBucketRoot("bucket-root-past-eof", func(in *input, r bucketRef) (uint64, string) {
			return in.l.filePages + 1000, fmt.Sprintf("past the end of the %d-page file", in.l.filePages)
		}),
		setBucketRoot("bucket-root-past-hwm", func(in *input, r bucketRef) (uint64, string) {
			return in.l.hwm, "the high-water mark: a page never written"
		}),
		damage{"bucket-root-shared", func(in *input) ([]byte, string, error) {
			var a, c bucketRef
			found := false
			for i := 1; i < len(in.l.buckets) && !found; i++ {
				a, c = in.l.buckets[i-1], in.l.buckets[i]
				found = a.leaf == c.leaf && len(a.outer) >= 3
			}
			if !found {
				return nil, "", fmt.Errorf("%w: two nested buckets in one leaf", errNoTarget)
			}
			b := in.clone()
			put64(b, in.bucketValue(b, c), a.root)
			return b, fmt.Sprintf("leaf page %d: bucket element %d's root %d -> %d, the root of its sibling "+
				"(element %d): page referenced twice, page %d unreachable", c.leaf, c.index, c.root, a.root, a.index,
				c.root), nil
		}},
		damage{"bucket-inline-made-shared", func(in *input) ([]byte, string, error) {
			r, err := in.bucketRefs("inline bucket", true, func(bucketRef) bool { return true })
			if err != nil {
				return nil, "", err
			}
			other, err := in.bucketRefs("bucket outside the inline one's ancestors", false, func(o bucketRef) bool {
				return !slices.Contains(r.outer, o.root)
			})
			if err != nil {
				return nil, "", err
			}
			b := in.clone()
			put64(b, in.bucketValue(b, r), other.root)
			return b, fmt.Sprintf("leaf page %d: inline bucket element %d given root %d, another bucket's root "+
				"page (referenced twice)", r.leaf, r.index, other.root), nil
		}},
		damage{"bucket-flag-cleared", func(in *input) ([]byte, string, error) {
			r, err := in.bucketRefs("nested bucket", false, func(r bucketRef) bool { return len(r.outer) >= 3 })
			if err != nil {
				return nil, "", err
			}
			b := in.clone()
			e := in.elem(in.l.byID[r.leaf], r.index)
			put32(b, e, le32(b, e)&^bucketLeafFlag)
			return b, fmt.Sprintf("leaf page %d: element %d's bucket flag cleared (bucket root %d and its pages "+
				"unreachable, not free)", r.leaf, r.index, r.root), nil
		}},
		pageEdit("bucket-flag-set-on-value", func(in *input) (*pageRef, error) {
			return in.firstPage("leaf with a 16+ byte value", func(p *pageRef) bool {
				_, ok := in.valueAsBucket(p)
				return p.flags == flagLeaf && ok
			})
		}, func(in *input, b []byte, p *pageRef) (string, error) {
			i, _ := in.valueAsBucket(p)
			e := in.elem(p, i)
			put32(b, e, le32(b, e)|bucketLeafFlag)
			return fmt.Sprintf("leaf page %d: element %d, a plain value, marked as a bucket (its bytes read as "+
				"root %d, past the end of the file)", p.id, i, le64(b, e+int(le32(b, e+4)+le32(b, e+8)))), nil
		}),
	)

	// The freelist.
	cat = append(cat,
		freelistEdit("freelist-lists-in-use-page", func(in *input, ids []uint64) ([]uint64, string) {
			ids = append(ids, in.l.root)
			slices.Sort(ids)
			return ids, fmt.Sprintf("in-use root page %d added to the list", in.l.root)
		}),
		freelistEdit("freelist-duplicate-id", func(in *input, ids []uint64) ([]uint64, string) {
			return slices.Insert(ids, 0, ids[0]), fmt.Sprintf("page %d listed twice", ids[0])
		}),
		freelistEdit("freelist-drops-free-page", func(in *input, ids []uint64) ([]uint64, string) {
			i := len(ids) / 2
			desc := fmt.Sprintf("free page %d removed from the list (unreachable and not free)", ids[i])
			return slices.Delete(ids, i, i+1), desc
		}),
		damage{"freelist-count-bitflip", func(in *input) ([]byte, string, error) {
			n := len(in.l.freeIDs)
			if n == 0 || n >= 0xFFFF {
				return nil, "", fmt.Errorf("%w: freelist with 1..65534 ids", errNoTarget)
			}
			b := in.clone()
			v := n & (n - 1) // lowest set bit cleared
			put16(b, in.off(in.l.freelist)+10, uint16(v))
			return b, fmt.Sprintf("freelist page %d: count %d -> %d (a bit flipped; free pages %v dropped)",
				in.l.freelist, n, v, in.l.freeIDs[v:]), nil
		}},
		freelistCountOverflow("freelist-count-ffff-absurd", func(in *input) (uint64, string) {
			return ^uint64(0), "negative as a signed count"
		}),
		freelistCountOverflow("freelist-count-ffff-past-eof", func(in *input) (uint64, string) {
			return uint64(len(in.data)), "8 bytes per id: runs far past the end of the file"
		}),
		damage{"freelist-flags-bitflip", func(in *input) ([]byte, string, error) {
			b := in.clone()
			o := in.off(in.l.freelist) + 8
			b[o] ^= 0x02
			return b, fmt.Sprintf("freelist page %d: bit 1 of the flags flipped (%#02x -> %#02x)", in.l.freelist,
				flagFreelist, b[o]), nil
		}},
		damage{"freelist-header-id-bitflip", func(in *input) ([]byte, string, error) {
			b := in.clone()
			o := in.off(in.l.freelist)
			b[o] ^= 0x01
			return b, fmt.Sprintf("freelist page %d: bit 0 of the header id flipped (-> %d)", in.l.freelist,
				le64(b, o)), nil
		}},
		freelistEdit("freelist-id-bitflip", func(in *input, ids []uint64) ([]uint64, string) {
			old := ids[0]
			ids[0] ^= 1 << 30
			return ids, fmt.Sprintf("bit 30 of the first id flipped (%d -> %d: page %d unreachable and not free)",
				old, ids[0], old)
		}),
		damage{"freelist-overflow-past-eof", func(in *input) ([]byte, string, error) {
			if !in.inUseAfter(in.l.freelist) {
				return nil, "", fmt.Errorf("%w: in-use pages after the freelist", errNoTarget)
			}
			b := in.clone()
			v := uint32(in.l.filePages - in.l.freelist + 8)
			put32(b, in.off(in.l.freelist)+12, v)
			return b, fmt.Sprintf("freelist page %d: overflow 0 -> %d (runs 8 pages past the end of the file, "+
				"over in-use pages)", in.l.freelist, v), nil
		}},
	)
	return append(cat, beyondBboltDamages()...)
}
