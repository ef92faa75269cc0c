package main

// The data model: a seeded PRNG, OpenZiti-like record specs, typed field
// values in the boltz encoding, and the bucket layout of each --shape.

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"time"
)

// Field type bytes as written by OpenZiti's boltz layer
// (github.com/openziti/storage boltz/typed_bucket.go: TypeBool=1, TypeInt32=2,
// TypeInt64=3, TypeFloat64=4, TypeString=5, TypeTime=6, TypeNil=7). A field
// value is the type byte followed by the payload: bools one byte (0/1),
// integers little-endian, strings raw, times as time.Time.UTC().MarshalBinary().
const (
	typeBool   = 1
	typeInt32  = 2
	typeInt64  = 3
	typeString = 5
	typeTime   = 6
)

// rng is the single deterministic source of every generated choice and byte.
// ChaCha8 (math/rand/v2) has a specified, version-stable output stream.
type rng struct {
	src *rand.ChaCha8
	r   *rand.Rand
}

func newRNG(seed uint64, stream string) *rng {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:8], seed)
	copy(s[8:], stream)
	src := rand.NewChaCha8(s)
	return &rng{src: src, r: rand.New(src)}
}

func (g *rng) intn(n int) int { return g.r.IntN(n) }

// between returns a uniform int in [lo, hi].
func (g *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

const idAlphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-."
const textAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,"

// fill writes n random characters of alphabet (64 symbols) into a fresh slice
// after prefix.
func (g *rng) fill(prefix []byte, n int, alphabet string) []byte {
	b := make([]byte, len(prefix)+n)
	copy(b, prefix)
	body := b[len(prefix):]
	_, _ = g.src.Read(body)
	for i, c := range body {
		body[i] = alphabet[c&63]
	}
	return b
}

// id returns a random-looking 10-character id, like OpenZiti's short ids.
func (g *rng) id() []byte { return g.fill(nil, 10, idAlphabet) }

type fieldKind int

const (
	kPayload    fieldKind = iota // string, 200 B - 4 KiB in total
	kShort                       // string, 8-40 chars
	kTiny                        // string, 4-24 chars (inline shape)
	kRef                         // string holding another record's id
	kBool                        // bool
	kInt32                       // int32
	kInt64                       // int64
	kTime                        // time
	kConfigData                  // string; 1 in 10 larger than a page (overflow pages)
	kBig                         // string larger than a page, up to 64 KiB (or 4 pages)
)

type fieldSpec struct {
	name string
	kind fieldKind
}

// recordSpec describes one kind of record: a nested bucket keyed by id
// holding typed fields (flat records are single typed values instead).
type recordSpec struct {
	name   string
	fields []fieldSpec
	common bool // add createdAt/updatedAt/isSystem and a "tags" sub-bucket
	flat   bool // the record is a plain typed value, not a bucket (wide shape)
}

// valueGen builds typed field values; pageSize scales the "larger than a
// page" sizes.
type valueGen struct {
	g        *rng
	pageSize int
}

var baseTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func (vg *valueGen) str(n int) []byte { return vg.g.fill([]byte{typeString}, n, textAlphabet) }

func (vg *valueGen) value(k fieldKind) []byte {
	g := vg.g
	switch k {
	case kPayload:
		return vg.str(g.between(200, 4096) - 1)
	case kShort:
		return vg.str(g.between(8, 40))
	case kTiny:
		return vg.str(g.between(4, 24))
	case kRef:
		return append([]byte{typeString}, g.id()...)
	case kBool:
		return []byte{typeBool, byte(g.intn(2))}
	case kInt32:
		return binary.LittleEndian.AppendUint32([]byte{typeInt32}, uint32(g.intn(1000)))
	case kInt64:
		return binary.LittleEndian.AppendUint64([]byte{typeInt64}, uint64(g.r.Int64N(1<<40)))
	case kTime:
		t := baseTime.Add(time.Duration(g.r.Int64N(int64(365 * 24 * time.Hour))))
		b, _ := t.UTC().MarshalBinary()
		return append([]byte{typeTime}, b...)
	case kConfigData:
		if g.intn(10) == 0 {
			return vg.str(g.between(vg.pageSize+1, 4*vg.pageSize))
		}
		return vg.str(g.between(200, 4096) - 1)
	case kBig:
		return vg.str(g.between(vg.pageSize+1, max(64<<10, 4*vg.pageSize)))
	}
	panic(fmt.Sprintf("unknown field kind %d", k))
}

func int64Field(v int64) []byte {
	return binary.LittleEndian.AppendUint64([]byte{typeInt64}, uint64(v))
}

func stringField(s string) []byte { return append([]byte{typeString}, s...) }

func f(name string, kind fieldKind) fieldSpec { return fieldSpec{name, kind} }

// The OpenZiti controller entity buckets under "ziti", with fields loosely
// modelled on the real stores.
var zitiSpecs = []*recordSpec{
	{name: "identities", common: true, fields: []fieldSpec{
		f("name", kShort), f("type", kShort), f("authPolicyId", kRef), f("isAdmin", kBool),
		f("isDefaultAdmin", kBool), f("defaultHostingPrecedence", kInt32),
		f("defaultHostingCost", kInt32), f("sdkInfo", kPayload), f("envInfo", kPayload),
		f("appData", kPayload), f("disabled", kBool)}},
	{name: "services", common: true, fields: []fieldSpec{
		f("name", kShort), f("terminatorStrategy", kShort), f("encryptionRequired", kBool),
		f("maxIdleTime", kInt64), f("roleAttributes", kPayload), f("configs", kPayload)}},
	{name: "routers", common: true, fields: []fieldSpec{
		f("name", kShort), f("fingerprint", kShort), f("cost", kInt32), f("noTraversal", kBool),
		f("isTunnelerEnabled", kBool), f("hostname", kShort), f("certPem", kPayload),
		f("unverifiedCertPem", kPayload), f("roleAttributes", kPayload)}},
	{name: "configs", common: true, fields: []fieldSpec{
		f("name", kShort), f("type", kRef), f("data", kConfigData)}},
	{name: "servicePolicies", common: true, fields: []fieldSpec{
		f("name", kShort), f("semantic", kShort), f("policyType", kShort),
		f("identityRoles", kPayload), f("serviceRoles", kPayload), f("postureCheckRoles", kPayload)}},
	{name: "edgeRouterPolicies", common: true, fields: []fieldSpec{
		f("name", kShort), f("semantic", kShort), f("identityRoles", kPayload),
		f("edgeRouterRoles", kPayload)}},
	{name: "serviceEdgeRouterPolicies", common: true, fields: []fieldSpec{
		f("name", kShort), f("semantic", kShort), f("serviceRoles", kPayload),
		f("edgeRouterRoles", kPayload)}},
	{name: "sessions", common: true, fields: []fieldSpec{
		f("token", kShort), f("apiSessionId", kRef), f("serviceId", kRef), f("type", kShort),
		f("identityId", kRef), f("servicePolicies", kPayload)}},
	{name: "apiSessions", common: true, fields: []fieldSpec{
		f("token", kShort), f("identityId", kRef), f("authenticatorId", kRef),
		f("ipAddress", kShort), f("configTypes", kPayload), f("lastActivityAt", kTime),
		f("mfaComplete", kBool)}},
	{name: "enrollments", common: true, fields: []fieldSpec{
		f("method", kShort), f("identityId", kRef), f("token", kShort), f("jwt", kPayload),
		f("expiresAt", kTime), f("caId", kRef)}},
	{name: "authenticators", common: true, fields: []fieldSpec{
		f("method", kShort), f("identityId", kRef), f("certFingerprint", kShort),
		f("certPem", kPayload), f("salt", kShort), f("password", kPayload)}},
	{name: "postureChecks", common: true, fields: []fieldSpec{
		f("name", kShort), f("typeId", kShort), f("version", kInt64), f("os", kPayload),
		f("process", kPayload)}},
}

// Relative record counts of the ziti entity types (same order as zitiSpecs).
var zitiWeights = []int{20, 10, 3, 10, 5, 3, 3, 15, 15, 6, 8, 2}

var commonFields = []fieldSpec{f("createdAt", kTime), f("updatedAt", kTime), f("isSystem", kBool)}

func zitiSpec(name string) *recordSpec {
	for _, s := range zitiSpecs {
		if s.name == name {
			return s
		}
	}
	return nil
}

// Other shapes' record kinds.
var (
	tinySpec = &recordSpec{name: "tiny", fields: []fieldSpec{
		f("name", kTiny), f("enabled", kBool), f("version", kInt64)}}
	bigSpec = &recordSpec{name: "overflow", common: true, fields: []fieldSpec{
		f("name", kShort), f("type", kRef), f("data", kBig)}}
	flatSpec = &recordSpec{name: "wide", flat: true, fields: []fieldSpec{f("", kTiny)}}
)

// container is a bucket that holds records of one spec.
type container struct {
	path   []string
	spec   *recordSpec
	weight int
}

// zitiLayout: the ziti shape's entity buckets (in zitiSpecs order) and
// their paths, as the live writer and `change` edit them.
func zitiLayout() ([]container, [][][]byte) {
	var cs []container
	var paths [][][]byte
	for i, s := range zitiSpecs {
		c := container{path: []string{rootBucket, s.name}, spec: s, weight: zitiWeights[i]}
		cs = append(cs, c)
		paths = append(paths, c.pathBytes())
	}
	return cs, paths
}

func (c container) pathBytes() [][]byte {
	p := make([][]byte, len(c.path))
	for i, s := range c.path {
		p[i] = []byte(s)
	}
	return p
}

const (
	rootBucket     = "ziti"
	metadataBucket = "metadata"
)

var shapeNames = []string{"ziti", "deep", "inline", "overflow", "wide"}

// shapeContainers lists, in a fixed order, where records of a shape go.
func shapeContainers(shape string) ([]container, error) {
	var cs []container
	zitiEntities := func(scale int) {
		for i, s := range zitiSpecs {
			cs = append(cs, container{path: []string{rootBucket, s.name}, spec: s, weight: zitiWeights[i] * scale})
		}
	}
	switch shape {
	case "ziti":
		zitiEntities(1)
	case "deep":
		// ziti/tree/org-*/region-*/site-*/rack-*/host-*/<id>/tags: records at
		// depth 8 and their tags at depth 9, beside the usual entities.
		zitiEntities(243)
		for i := range 243 {
			p := []string{rootBucket, "tree"}
			n := i
			for _, level := range []string{"org", "region", "site", "rack", "host"} {
				p = append(p, fmt.Sprintf("%s-%d", level, n%3))
				n /= 3
			}
			cs = append(cs, container{path: p, spec: zitiSpecs[0], weight: 100})
		}
	case "inline":
		// Tiny records that bbolt stores inline in their parent's leaf.
		for _, s := range zitiSpecs {
			cs = append(cs, container{path: []string{rootBucket, s.name}, spec: tinySpec, weight: 1})
		}
	case "overflow":
		cs = append(cs, container{path: []string{rootBucket, "configs"}, spec: bigSpec, weight: 1})
	case "wide":
		cs = append(cs, container{path: []string{rootBucket, "wide"}, spec: flatSpec, weight: 1})
	default:
		return nil, fmt.Errorf("unknown shape %q (use ziti, deep, inline, overflow or wide)", shape)
	}
	return cs, nil
}

// pickWeighted returns an index into cs chosen by weight.
func pickWeighted(g *rng, cs []container) int {
	total := 0
	for _, c := range cs {
		total += c.weight
	}
	r := g.intn(total)
	for i, c := range cs {
		if r < c.weight {
			return i
		}
		r -= c.weight
	}
	return len(cs) - 1
}
