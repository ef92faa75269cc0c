package main

// boltgen damage-meta --db PATH [--which newest|older]: damages one meta page
// of a bbolt file in place, as a torn or bit-rotted meta write leaves it: bit
// 17 of its checksum is flipped, everything else (the txid too) is kept. By
// default the newest meta (the higher txid), so bbolt falls back to the
// transaction before it; --which older damages the other one (bbolt still
// uses the newest). Prints
//
//	damaged meta <slot> txid <T>; meta <other> txid <U>

import (
	"flag"
	"fmt"
	"os"
)

func runDamageMeta(args []string) int {
	fl := flag.NewFlagSet("damage-meta", flag.ContinueOnError)
	path := fl.String("db", "", "the bbolt file to damage in place")
	which := fl.String("which", "newest", "newest or older")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *path == "" || fl.NArg() != 0 || (*which != "newest" && *which != "older") {
		fmt.Fprintln(os.Stderr, "boltgen damage-meta: usage: boltgen damage-meta --db PATH [--which newest|older]")
		return 2
	}
	b, err := os.ReadFile(*path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen damage-meta: %v\n", err)
		return 1
	}
	if len(b) < 2*1024 || !validMeta(b, 0) {
		fmt.Fprintf(os.Stderr, "boltgen damage-meta: %s: meta page 0 is not valid\n", *path)
		return 1
	}
	ps := int(le32(b, metaPageSize))
	if len(b) < 2*ps || !validMeta(b, ps) {
		fmt.Fprintf(os.Stderr, "boltgen damage-meta: %s: meta page 1 is not valid\n", *path)
		return 1
	}
	newest := 0
	if le64(b, ps+metaTxid) > le64(b, metaTxid) {
		newest = 1
	}
	slot := newest
	if *which == "older" {
		slot = 1 - newest
	}
	f, err := os.OpenFile(*path, os.O_WRONLY, 0)
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen damage-meta: %v\n", err)
		return 1
	}
	at := int64(slot*ps + metaChecksum + 2)
	if _, err := f.WriteAt([]byte{b[at] ^ 0x02}, at); err != nil {
		f.Close()
		fmt.Fprintf(os.Stderr, "boltgen damage-meta: %v\n", err)
		return 1
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "boltgen damage-meta: %v\n", err)
		return 1
	}
	fmt.Printf("damaged meta %d txid %d; meta %d txid %d\n", slot, le64(b, slot*ps+metaTxid), 1-slot,
		le64(b, (1-slot)*ps+metaTxid))
	return 0
}
