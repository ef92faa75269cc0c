package main

// boltgen stats PATH: the bucket tree as JSON, for comparison with
// `ziti-backup inspect --json`.
//
//	{"txid":N,"page_size":N,"keys":N,"buckets":[{"path":["ziti","identities"],
//	  "keys":N,"sub_buckets":N,"depth":N},...]}
//
// keys counts non-bucket keys (the whole DB at top level, directly in the
// bucket per bucket); depth is 1 for top-level buckets; buckets are sorted by
// path, component by component as byte strings; a component that is not
// valid UTF-8 is written as "hex:<hex>".

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

type bucketStats struct {
	Path       []string `json:"path"`
	Keys       int64    `json:"keys"`
	SubBuckets int64    `json:"sub_buckets"`
	Depth      int      `json:"depth"`
	raw        [][]byte
}

type dbStats struct {
	Txid     int           `json:"txid"`
	PageSize int           `json:"page_size"`
	Keys     int64         `json:"keys"`
	Buckets  []bucketStats `json:"buckets"`
}

func runStats(args []string) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(os.Stderr, "boltgen stats: usage: boltgen stats PATH")
		return 2
	}
	debug.SetPanicOnFault(true)
	db, err := openReadOnly(args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen stats: open %s: %v\n", args[0], err)
		return 2
	}
	defer closeQuietly(db)
	st, err := collectStats(db)
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen stats: %s: %v\n", args[0], err)
		return 1
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(st); err != nil {
		fmt.Fprintf(os.Stderr, "boltgen stats: %v\n", err)
		return 1
	}
	return 0
}

func collectStats(db *bolt.DB) (st dbStats, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	st.PageSize = db.Info().PageSize
	st.Buckets = []bucketStats{}
	err = db.View(func(tx *bolt.Tx) error {
		st.Txid = tx.ID()
		var walk func(path [][]byte, b *bolt.Bucket)
		walk = func(path [][]byte, b *bolt.Bucket) {
			i := len(st.Buckets)
			st.Buckets = append(st.Buckets, bucketStats{raw: path, Depth: len(path)})
			var keys, subs int64
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if v == nil {
					if child := b.Bucket(k); child != nil {
						subs++
						walk(appendPath(path, k), child)
						continue
					}
				}
				keys++
			}
			st.Buckets[i].Keys, st.Buckets[i].SubBuckets = keys, subs
			st.Keys += keys
		}
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			walk([][]byte{bytes.Clone(name)}, b)
			return nil
		})
	})
	slices.SortFunc(st.Buckets, func(a, b bucketStats) int {
		return slices.CompareFunc(a.raw, b.raw, bytes.Compare)
	})
	for i := range st.Buckets {
		b := &st.Buckets[i]
		b.Path = make([]string, len(b.raw))
		for j, c := range b.raw {
			b.Path[j] = pathComponent(c)
		}
	}
	return st, err
}

func pathComponent(c []byte) string {
	if utf8.Valid(c) {
		return string(c)
	}
	return "hex:" + hex.EncodeToString(c)
}

// countKeys counts the non-bucket keys in the whole database.
func countKeys(tx *bolt.Tx) int64 {
	var n int64
	var walk func(b *bolt.Bucket)
	walk = func(b *bolt.Bucket) {
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				if child := b.Bucket(k); child != nil {
					walk(child)
					continue
				}
			}
			n++
		}
	}
	_ = tx.ForEach(func(_ []byte, b *bolt.Bucket) error { walk(b); return nil })
	return n
}
