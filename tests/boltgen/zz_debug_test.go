package main

import (
	"fmt"
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	b, err := os.ReadFile(os.Getenv("DUMP_DB"))
	if err != nil {
		t.Skip()
	}
	l, err := parseLayout(b)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("ps %d filePages %d slot %d hwm %d root %d freelist %d free %d %v\n", l.pageSize, l.filePages, l.metaSlot, l.hwm, l.root, l.freelist, len(l.freeIDs), l.freeIDs)
	nb, nl, maxDepth := 0, 0, 0
	for _, p := range l.pages {
		if p.flags == flagBranch {
			nb++
			fmt.Printf("branch %d count %d ovf %d anc %v bucket %d\n", p.id, p.count, p.overflow, p.ancestors, p.bucket)
		} else {
			nl++
		}
		if p.overflow > 0 {
			fmt.Printf("overflow page %d flags %d ovf %d\n", p.id, p.flags, p.overflow)
		}
		maxDepth = max(maxDepth, len(p.ancestors))
	}
	maxUse := uint64(0)
	for id := range l.inUse { maxUse = max(maxUse, id) }
	fmt.Printf("branches %d leaves %d maxDepth %d buckets %d inline %d inUse %d maxInUse %d\n", nb, nl, maxDepth, len(l.buckets), len(l.inline), len(l.inUse), maxUse)
}
