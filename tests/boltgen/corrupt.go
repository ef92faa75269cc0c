package main

// boltgen corrupt --in DB --out-dir DIR: the deterministic corruption corpus
// for `ziti-backup check`.
//
// It reads a clean bbolt file, finds its pages by parsing the file itself
// (not through bbolt, so nothing is taken on trust), and writes one damaged
// copy per damage into DIR as NN-<name>.db, printing "<file name> <what was
// done>" per file. The same input gives the same files.
//
// Every damage leaves a file that is structurally wrong: bbolt refuses to
// open it, its Tx.Check (or the walk of `boltgen check`) reports an error, or
// a meta page fails its own magic/version/checksum validation. Where a meta
// field is changed on purpose (a root past the high-water mark...), both
// metas get the change and a recomputed checksum, so the damage reaches the
// tree walk instead of being caught by the checksum or bbolt falling back to
// the other meta.
//
// On-disk format (little-endian), as in bbolt's internal/common:
//
//	page header  id u64 | flags u16 | count u16 | overflow u32   (16 bytes)
//	branch elem  pos u32 | ksize u32 | pgid u64                  (pos from the element)
//	leaf elem    flags u32 | pos u32 | ksize u32 | vsize u32     (pos from the element)
//	meta body    magic u32 | version u32 | pageSize u32 | flags u32 | root u64 |
//	             sequence u64 | freelist u64 | pgid u64 | txid u64 | checksum u64
//	bucket value root u64 | sequence u64 [| inline page when root is 0]
//
// The meta checksum is FNV-1a 64 over the first 56 bytes of the meta body.

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
)

const (
	pageHeaderSize = 16
	elemSize       = 16 // branch and leaf elements are both 16 bytes
	flagBranch     = 0x01
	flagLeaf       = 0x02
	flagMeta       = 0x04
	flagFreelist   = 0x10
	bucketLeafFlag = 0x01
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	noFreelist     = ^uint64(0)

	// Offsets inside a meta page (header included).
	metaMagic    = 16
	metaVersion  = 20
	metaPageSize = 24
	metaFlags    = 28
	metaRoot     = 32
	metaFreelist = 48
	metaPgid     = 56
	metaTxid     = 64
	metaChecksum = 72
	metaSumLen   = 56
)

