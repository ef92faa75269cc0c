package main

import (
	"os"
	"path/filepath"
	"testing"
)

// damage-meta breaks only the chosen meta page; bbolt then opens the
// transaction the other one holds.
func TestDamageMetaMakesBboltFallBack(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "db")
	// --size 1: the layout transaction only, so the metas hold txids 2 and 1.
	if _, err := generate(genConfig{out: path, size: 1, seed: 3, shape: "ziti"}); err != nil {
		t.Fatal(err)
	}
	txidOf := func() int {
		db, err := openReadOnly(path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		tx, err := db.Begin(false)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		return tx.ID()
	}
	if got := txidOf(); got != 2 {
		t.Fatalf("txid %d, want 2", got)
	}
	if rc := runDamageMeta([]string{"--db", path, "--which", "older"}); rc != 0 {
		t.Fatalf("rc %d", rc)
	}
	b, _ := os.ReadFile(path)
	ps := int(le32(b, metaPageSize))
	if !validMeta(b, 0) || validMeta(b, ps) || txidOf() != 2 {
		t.Errorf("--which older: meta 0 valid %v, meta 1 valid %v, txid %d; want true, false, 2", validMeta(b, 0),
			validMeta(b, ps), txidOf())
	}
	if rc := runDamageMeta([]string{"--db", path}); rc != 1 {
		t.Errorf("meta 1 already damaged: rc %d, want 1", rc)
	}
	// Start again: damage the newest.
	if _, err := generate(genConfig{out: path, size: 1, seed: 3, shape: "ziti"}); err != nil {
		t.Fatal(err)
	}
	if rc := runDamageMeta([]string{"--db", path}); rc != 0 {
		t.Fatalf("rc %d", rc)
	}
	b, _ = os.ReadFile(path)
	if validMeta(b, 0) || !validMeta(b, ps) || le64(b, metaTxid) != 2 || txidOf() != 1 {
		t.Errorf("meta 0 valid %v (txid field %d), meta 1 valid %v, bbolt's txid %d; want false (2), true, 1",
			validMeta(b, 0), le64(b, metaTxid), validMeta(b, ps), txidOf())
	}
	if rc := runDamageMeta([]string{"--db", path, "--which", "sideways"}); rc != 2 {
		t.Errorf("--which sideways: rc %d, want 2", rc)
	}
}
