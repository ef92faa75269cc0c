package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// corpusInputs generates the two base DBs the integration test uses: a
// ziti-shape DB with churn (branch pages, nested and inline buckets, overflow
// values, a multi-id freelist) and a wide one (a three-level tree).
func corpusInputs(t *testing.T, dir string) []string {
	t.Helper()
	var paths []string
	for _, cfg := range []genConfig{
		{out: filepath.Join(dir, "ziti.db"), size: 2 << 20, seed: 7, shape: "ziti", churn: true},
		{out: filepath.Join(dir, "wide.db"), size: 1 << 20, seed: 7, shape: "wide"},
	} {
		if _, err := generate(cfg); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, cfg.out)
	}
	return paths
}

func buildFrom(t *testing.T, paths []string) []corruptFile {
	t.Helper()
	var inputs []*input
	for _, p := range paths {
		in, err := loadInput(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, in)
	}
	files, err := buildCorpus(inputs)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestCorruptIsDeterministicAndEveryFileIsDamaged(t *testing.T) {
	dir := t.TempDir()
	paths := corpusInputs(t, dir)
	a, b := buildFrom(t, paths), buildFrom(t, paths)
	if len(a) < 50 {
		t.Fatalf("%d damages, want at least 50", len(a))
	}
	if len(a) != len(b) {
		t.Fatalf("two runs gave %d and %d files", len(a), len(b))
	}
	nameRE := regexp.MustCompile(`^([0-9]{2,})-[a-z0-9]+(-[a-z0-9]+)*\.db$`)
	seen := map[string]bool{}
	for i, f := range a {
		if f.name != b[i].name || f.desc != b[i].desc || !bytes.Equal(f.data, b[i].data) {
			t.Errorf("file %d differs between two runs: %s %q vs %s %q", i, f.name, f.desc, b[i].name, b[i].desc)
		}
		m := nameRE.FindStringSubmatch(f.name)
		if m == nil || m[1] != fmt.Sprintf("%0*d", len(m[1]), i+1) {
			t.Fatalf("file %d: bad name %q", i, f.name)
		}
		if short := strings.TrimPrefix(f.name, m[1]+"-"); seen[short] {
			t.Errorf("damage %s twice", short)
		} else {
			seen[short] = true
		}
		if f.desc == "" || strings.ContainsAny(f.desc, "\r\n") {
			t.Errorf("%s: description %q is not one line", f.name, f.desc)
		}
		if bytes.Equal(f.data, f.base.data) {
			t.Errorf("%s is identical to its input %s", f.name, f.base.name)
		}
	}
	// Every class of damage is there.
	for _, prefix := range []string{"meta0-", "meta1-", "metas-", "truncate-", "branch-", "leaf-", "bucket-",
		"freelist-", "branch-child-cycle-"} {
		n := 0
		for name := range seen {
			if strings.HasPrefix(name, prefix) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no damage named %s*", prefix)
		}
	}
}

// Each damage is checked against bbolt itself: bbolt refuses the file or
// reports errors, except for the damages of one meta page, where it falls
// back to the other meta (our own validation must reject the damaged one).
// The cycle files are not given to bbolt: it follows the cycle for ever; nor
// are those it would run for hours on (bboltNeverFinishes). The damages
// beyond bbolt's check (bboltMisses) must be clean to it.
func TestCorruptFilesAreRejectedByBbolt(t *testing.T) {
	dir := t.TempDir()
	files := buildFrom(t, corpusInputs(t, dir))
	oneMeta := regexp.MustCompile(`^[0-9]+-meta([01])-`)
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, f.data, 0o600); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(f.name, "-cycle-") {
			if _, err := parseLayout(f.data); err == nil || !strings.Contains(err.Error(), "reached twice") {
				t.Errorf("%s: walk error %v, want a page reached twice", f.name, err)
			}
			continue
		}
		short := strings.TrimSuffix(f.name[strings.Index(f.name, "-")+1:], ".db")
		if bboltNeverFinishes[short] {
			continue
		}
		var out bytes.Buffer
		rc := checkFile(path, &out)
		if bboltMisses[short] || bboltMayMiss[short] {
			if bboltMisses[short] && rc != 0 {
				t.Errorf("%s (%s): bbolt rc %d, want 0 (a damage its check does not look at):\n%s", f.name, f.desc,
					rc, out.String())
			}
			continue
		}
		if m := oneMeta.FindStringSubmatch(f.name); m != nil {
			slot := int(m[1][0] - '0')
			if rc != 0 || validMeta(f.data, slot*f.base.l.pageSize) || !validMeta(f.data, (1-slot)*f.base.l.pageSize) {
				t.Errorf("%s (%s): bbolt rc %d, want 0 with meta %d invalid and the other valid:\n%s",
					f.name, f.desc, rc, slot, out.String())
			}
			continue
		}
		if rc != 1 && rc != 2 {
			t.Errorf("%s (%s): bbolt check rc %d, want 1 (errors) or 2 (cannot open):\n%s", f.name, f.desc, rc,
				out.String())
		}
	}
}

func TestCorruptCommandWritesTheCorpus(t *testing.T) {
	dir := t.TempDir()
	paths := corpusInputs(t, dir)
	want := buildFrom(t, paths)
	outDir := filepath.Join(dir, "out")
	if rc := runCorrupt([]string{"--in", paths[0], "--in", paths[1], "--out-dir", outDir}); rc != 0 {
		t.Fatalf("rc %d", rc)
	}
	entries, err := os.ReadDir(outDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(want) {
		t.Fatalf("%d files written, want %d", len(entries), len(want))
	}
	for i, e := range entries {
		got, err := os.ReadFile(filepath.Join(outDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() != want[i].name || !bytes.Equal(got, want[i].data) {
			t.Errorf("file %d: %s, want %s with the same bytes", i, e.Name(), want[i].name)
		}
	}
	// Only the ziti-shape input: the two-level cycle has nowhere to go.
	if rc := runCorrupt([]string{"--in", paths[0], "--out-dir", filepath.Join(dir, "x")}); rc != 1 {
		t.Errorf("ziti input alone: rc %d, want 1", rc)
	}
	// --only writes the named damages with the numbers they have in the corpus.
	onlyDir := filepath.Join(dir, "only")
	if rc := runCorrupt([]string{"--in", paths[0], "--in", paths[1], "--out-dir", onlyDir, "--only", "leaf-element-gap",
		"--only", "metas-pgid-huge"}); rc != 0 {
		t.Fatalf("--only: rc %d", rc)
	}
	var only []string
	for _, f := range want {
		if strings.HasSuffix(f.name, "-leaf-element-gap.db") || strings.HasSuffix(f.name, "-metas-pgid-huge.db") {
			only = append(only, f.name)
		}
	}
	if got := listNames(t, onlyDir); !slices.Equal(got, only) || len(only) != 2 {
		t.Errorf("--only wrote %v, want %v", got, only)
	}
	if rc := runCorrupt([]string{"--in", paths[0], "--out-dir", onlyDir, "--only", "no-such-damage"}); rc != 1 {
		t.Errorf("--only no-such-damage: rc %d, want 1", rc)
	}
	for _, args := range [][]string{{}, {"--in", paths[0]}, {"--out-dir", outDir}, {"--in", paths[0], "--out-dir", outDir, "extra"}} {
		if rc := runCorrupt(args); rc != 2 {
			t.Errorf("%q: rc %d, want 2", args, rc)
		}
	}
	if rc := runCorrupt([]string{"--in", filepath.Join(outDir, want[0].name), "--out-dir", filepath.Join(dir, "y")}); rc != 1 {
		t.Errorf("damaged input: rc %d, want 1", rc)
	}
}

func listNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
