package main

import (
	"os"
	"path/filepath"
	"testing"
)

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestChangeUpdatesTheShareAskedDeterministically(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.db")
	if _, err := generate(genConfig{out: base, size: 2 << 20, seed: 3, shape: "ziti"}); err != nil {
		t.Fatal(err)
	}
	_, before := runCheckOn(t, base)
	var digests []string
	var counts []int
	for _, name := range []string{"a.db", "b.db"} {
		p := filepath.Join(dir, name)
		copyFile(t, base, p)
		n, txs, err := change(changeConfig{db: p, fraction: 0.1, perTx: 3, seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 || txs != (n+2)/3 {
			t.Fatalf("%d records in %d transactions", n, txs)
		}
		rc, lines := runCheckOn(t, p)
		if rc != 0 {
			t.Fatalf("check after change: rc %d %q", rc, lines)
		}
		digests = append(digests, lines[1])
		counts = append(counts, n)
	}
	if digests[0] != digests[1] || counts[0] != counts[1] {
		t.Fatalf("same seed, different results: %v %v", digests, counts)
	}
	if digests[0] == before[1] {
		t.Fatal("change changed nothing")
	}
	n, _, err := change(changeConfig{db: filepath.Join(dir, "a.db"), fraction: 0, perTx: 3, seed: 7})
	if err != nil || n != 0 {
		t.Fatalf("fraction 0: %d, %v", n, err)
	}
	if _, _, err := change(changeConfig{db: filepath.Join(dir, "missing.db"), fraction: 0.1, perTx: 1}); err == nil {
		t.Fatal("a DB without the ziti buckets was changed")
	}
}
