package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCheckOn returns `check`'s exit code and output lines.
func runCheckOn(t *testing.T, path string) (int, []string) {
	t.Helper()
	var out bytes.Buffer
	rc := checkFile(path, &out)
	return rc, strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
}

func TestGenIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	cfg := genConfig{size: 3 << 20, seed: 11, shape: "ziti", churn: true}
	var outputs [][]string
	var results []genResult
	for _, name := range []string{"a.db", "b.db"} {
		cfg.out = filepath.Join(dir, name)
		res, err := generate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		rc, lines := runCheckOn(t, cfg.out)
		if rc != 0 || len(lines) != 2 {
			t.Fatalf("check %s: rc %d %q", name, rc, lines)
		}
		outputs = append(outputs, lines)
		results = append(results, res)
	}
	if strings.Join(outputs[0], "\n") != strings.Join(outputs[1], "\n") || results[0] != results[1] {
		t.Fatalf("same seed, different DBs: %q %v vs %q %v", outputs[0], results[0], outputs[1], results[1])
	}
	cfg.out, cfg.seed = filepath.Join(dir, "c.db"), 12
	if _, err := generate(cfg); err != nil {
		t.Fatal(err)
	}
	if _, lines := runCheckOn(t, cfg.out); lines[1] == outputs[0][1] {
		t.Fatal("different seeds gave the same digest")
	}
}

func TestEveryShapeIsCleanAndSized(t *testing.T) {
	dir := t.TempDir()
	for _, shape := range shapeNames {
		for _, opts := range []genConfig{{}, {churn: true, noFreelistSync: true, pageSize: 8192}} {
			cfg := opts
			cfg.out, cfg.size, cfg.seed, cfg.shape = filepath.Join(dir, shape+".db"), 2<<20, 1, shape
			res, err := generate(cfg)
			if err != nil {
				t.Fatalf("%s: %v", shape, err)
			}
			if res.size < cfg.size || res.keys == 0 {
				t.Fatalf("%s: %+v", shape, res)
			}
			if rc, lines := runCheckOn(t, cfg.out); rc != 0 {
				t.Fatalf("%s %+v: check rc %d: %q", shape, opts, rc, lines)
			}
			db, err := openReadOnly(cfg.out)
			if err != nil {
				t.Fatal(err)
			}
			st, err := collectStats(db)
			closeQuietly(db)
			if err != nil {
				t.Fatal(err)
			}
			maxDepth := 0
			for _, b := range st.Buckets {
				maxDepth = max(maxDepth, b.Depth)
			}
			if st.Keys != res.keys || (shape == "deep" && maxDepth < 6) {
				t.Fatalf("%s: stats keys %d (gen said %d), max depth %d", shape, st.Keys, res.keys, maxDepth)
			}
		}
	}
}

func TestCheckReportsCorruptionWithoutCrashing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.db")
	if _, err := generate(genConfig{out: path, size: 4 << 20, seed: 2, shape: "ziti"}); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 1<<20); err != nil {
		t.Fatal(err)
	}
	rc, lines := runCheckOn(t, path)
	if rc != 1 || len(lines) < 3 || !strings.HasPrefix(lines[0], "txid ") || lines[1] != "digest none" ||
		!strings.HasPrefix(lines[2], "error: ") {
		t.Fatalf("truncated file: rc %d %q", rc, lines)
	}
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, bytes.Repeat([]byte("x"), 20000), 0o600); err != nil {
		t.Fatal(err)
	}
	if rc, lines := runCheckOn(t, junk); rc != 2 || !strings.HasPrefix(lines[0], "open-error: ") {
		t.Fatalf("junk file: rc %d %q", rc, lines)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"123": 123, "500KiB": 500 << 10, "64MiB": 64 << 20, "1GiB": 1 << 30, "2M": 2 << 20, "1MB": 1e6, "1.5KiB": 1536,
	} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "MiB", "-1", "12XB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) succeeded", bad)
		}
	}
}
