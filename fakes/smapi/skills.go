package smapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/asksim/asksim/internal/jsonlimit"
)

const (
	manifestFile = "skill.json"
	modelDir     = "interactionModels/custom/"
)

// skill is the state of one skill's development stage. write serialises
// updates (Backend.LoadSkill, then the commit); the fields are guarded by
// Server.mu.
type skill struct {
	id    string
	write sync.Mutex

	files    map[string][]byte // replaced, never modified: readers may keep one
	manifest docState
	models   map[string]*docState // by locale
	linking  []byte               // the accountLinkingRequest object; nil: none
	disabled map[string]bool      // developers who disabled the skill
	updated  time.Time
}

// docState versions one document for ETags and the build status.
type docState struct {
	etag    string
	version int
}

func newSkill(sk Skill, now time.Time) (*skill, error) {
	st := &skill{id: sk.ID, files: map[string][]byte{}, models: map[string]*docState{}, disabled: map[string]bool{}, updated: now}
	for name, data := range sk.Files {
		st.files[name] = bytes.Clone(data)
	}
	if _, ok := st.files[manifestFile]; !ok {
		return nil, errors.New("the skill package has no skill.json")
	}
	st.manifest = docState{etag: etag(st.files[manifestFile]), version: 1}
	for name, data := range st.files {
		if loc, ok := modelLocale(name); ok {
			st.models[loc] = &docState{etag: etag(data), version: 1}
		}
	}
	if sk.AccountLinking != nil {
		if e := checkLinking(sk.AccountLinking, nil); e != nil {
			return nil, fmt.Errorf("account linking: %s", e.message+": "+e.violations[0].Message)
		}
		st.linking = bytes.Clone(sk.AccountLinking)
	}
	return st, nil
}

func modelLocale(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, modelDir)
	if !ok || strings.Contains(rest, "/") {
		return "", false
	}
	return strings.CutSuffix(rest, ".json")
}

// etag is the digest of a document. SMAPI's ETags are opaque strings; the
// fake sends them unquoted and takes If-Match quoted or not.
func etag(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

// ifMatch checks the If-Match header against the current ETag ("" when
// the document does not exist).
func ifMatch(r *http.Request, current string) *apiError {
	h := r.Header.Get("If-Match")
	if h == "" {
		return nil
	}
	for _, v := range strings.Split(h, ",") {
		v = strings.Trim(strings.TrimPrefix(strings.TrimSpace(v), "W/"), `"`)
		if (v == "*" && current != "") || (v != "" && v == current) {
			return nil
		}
	}
	if current == "" {
		return errorf(http.StatusPreconditionFailed, DecisionPrecondition, "If-Match %s: the resource does not exist.", h)
	}
	return errorf(http.StatusPreconditionFailed, DecisionPrecondition, "If-Match %s does not match the current ETag %s: someone changed it since you read it.", h, current)
}

// maxBody bounds request bodies; SMAPI's own limit for an interaction
// model is 1.5 MB.
const maxBody = 2 << 20

// readBody reads a JSON object body whose member key (e.g. "manifest") must
// be an object too, and returns the body bytes.
func readBody(c *call, key string) ([]byte, *apiError) {
	data, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, maxBody))
	if err != nil {
		return nil, badRequest(fmt.Sprintf("The request body could not be read (at most %d bytes): %v.", maxBody, err))
	}
	if err := jsonlimit.CheckDepth(data, jsonlimit.DefaultMaxDepth); err != nil {
		return nil, badRequest("The request body nests too deep.", bodyViolation("INVALID_REQUEST_BODY", "$", "%v", err))
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, badRequest("The request body is not a JSON object.", bodyViolation("INVALID_REQUEST_BODY", "$", "%v", err))
	}
	if key != "" {
		v, ok := doc[key]
		if !ok || len(bytes.TrimSpace(v)) == 0 || bytes.TrimSpace(v)[0] != '{' {
			return nil, badRequest(fmt.Sprintf("The request body has no %q object.", key),
				bodyViolation("MISSING_REQUIRED_PROPERTY", "$."+key, "object %s is required", key))
		}
	}
	return data, nil
}

func (s *Server) vendors(c *call) *apiError {
	type vendor struct {
		Name  string   `json:"name"`
		ID    string   `json:"id"`
		Roles []string `json:"roles"`
	}
	writeJSON(c.w, http.StatusOK, map[string][]vendor{"vendors": {{s.cfg.VendorName, s.cfg.VendorID, []string{"ROLE_ADMINISTRATOR"}}}})
	return nil
}

// checkVendor refuses a vendor other than the developer's.
func (s *Server) checkVendor(vendorID string) *apiError {
	switch vendorID {
	case "":
		return badRequest("vendorId is required.", violation{Code: "MISSING_PARAMETER", Message: "query parameter vendorId is required"})
	case s.cfg.VendorID:
		return nil
	}
	return errorf(http.StatusForbidden, DecisionForbidden, "Vendor %s is not a vendor of this developer (%s is).", vendorID, s.cfg.VendorID)
}

const maxListResults = 50

type link struct {
	Href string `json:"href"`
}

type skillSummary struct {
	SkillID           string            `json:"skillId"`
	Stage             string            `json:"stage"`
	APIs              []string          `json:"apis"`
	PublicationStatus string            `json:"publicationStatus"`
	LastUpdated       string            `json:"lastUpdated"`
	NameByLocale      map[string]string `json:"nameByLocale"`
	Links             map[string]link   `json:"_links"`
}

// listSkills is list-skills-for-vendor, with SMAPI's paging: maxResults
// (1 to 50) and an opaque nextToken; skillId (at most 10) filters.
func (s *Server) listSkills(c *call) *apiError {
	q := c.r.URL.Query()
	if e := s.checkVendor(q.Get("vendorId")); e != nil {
		return e
	}
	limit := maxListResults
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxListResults {
			return badRequest(fmt.Sprintf("maxResults %q is not a number from 1 to %d.", v, maxListResults))
		}
		limit = n
	}
	start := 0
	if t := q.Get("nextToken"); t != "" {
		n, err := decodeNextToken(t)
		if err != nil {
			return badRequest(fmt.Sprintf("nextToken %q was not issued by this server.", t))
		}
		start = n
	}
	ids := q["skillId"]
	if len(ids) > 10 {
		return badRequest(fmt.Sprintf("%d skillId parameters; at most 10 are allowed.", len(ids)))
	}
	s.mu.RLock()
	var all []*skill
	for _, id := range s.order {
		if len(ids) == 0 || slices.Contains(ids, id) {
			all = append(all, s.skills[id])
		}
	}
	var page []skillSummary
	for _, sk := range all[min(start, len(all)):min(start+limit, len(all))] {
		page = append(page, summarize(sk))
	}
	s.mu.RUnlock()
	out := struct {
		Links       map[string]link `json:"_links"`
		Skills      []skillSummary  `json:"skills"`
		IsTruncated bool            `json:"isTruncated"`
		NextToken   string          `json:"nextToken,omitempty"`
	}{Links: map[string]link{"self": {"/v1/skills?vendorId=" + s.cfg.VendorID}}, Skills: page}
	if page == nil {
		out.Skills = []skillSummary{}
	}
	if start+limit < len(all) {
		out.IsTruncated, out.NextToken = true, encodeNextToken(start+limit)
	}
	writeJSON(c.w, http.StatusOK, out)
	return nil
}

func encodeNextToken(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("asksim:" + strconv.Itoa(n)))
}

func decodeNextToken(t string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return 0, err
	}
	v, ok := strings.CutPrefix(string(raw), "asksim:")
	if !ok {
		return 0, errors.New("not asksim's")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errors.New("bad offset")
	}
	return n, nil
}

// manifestDoc is the part of skill.json the listing and status read.
type manifestDoc struct {
	Manifest struct {
		PublishingInformation struct {
			Locales map[string]struct {
				Name string `json:"name"`
			} `json:"locales"`
		} `json:"publishingInformation"`
		APIs map[string]json.RawMessage `json:"apis"`
	} `json:"manifest"`
}

func summarize(sk *skill) skillSummary {
	var m manifestDoc
	json.Unmarshal(sk.files[manifestFile], &m) // loaded by the Backend: valid
	sum := skillSummary{SkillID: sk.id, Stage: stageDevelopment, APIs: slices.Sorted(maps.Keys(m.Manifest.APIs)),
		PublicationStatus: "DEVELOPMENT", LastUpdated: sk.updated.UTC().Format(time.RFC3339), NameByLocale: map[string]string{},
		Links: map[string]link{"self": {"/v1/skills/" + sk.id + "/stages/development/manifest"}}}
	if sum.APIs == nil {
		sum.APIs = []string{}
	}
	for loc, info := range m.Manifest.PublishingInformation.Locales {
		sum.NameByLocale[loc] = info.Name
	}
	return sum
}

func (s *Server) getManifest(c *call) *apiError {
	sk, e := s.skillOf(c)
	if e != nil {
		return e
	}
	s.mu.RLock()
	data, tag := sk.files[manifestFile], sk.manifest.etag
	s.mu.RUnlock()
	c.w.Header().Set("ETag", tag)
	writeJSON(c.w, http.StatusOK, json.RawMessage(data))
	return nil
}

// putManifest replaces skill.json once the Backend loads the package with
// it, and answers 202 with the status to poll (docs/smapi-contract.md §5.10).
func (s *Server) putManifest(c *call) *apiError {
	sk, e := s.skillOf(c)
	if e != nil {
		return e
	}
	data, e := readBody(c, "manifest")
	if e != nil {
		return e
	}
	return s.update(c, sk, manifestFile, data, "manifest", func() *docState { return &sk.manifest })
}

// update checks If-Match against the document at file, loads the package
// with data in its place and commits it. state returns the document's
// state (nil for a new one), read and written under Server.mu.
func (s *Server) update(c *call, sk *skill, file string, data []byte, resource string, state func() *docState) *apiError {
	sk.write.Lock()
	defer sk.write.Unlock()
	s.mu.RLock()
	cur := ""
	if st := state(); st != nil {
		cur = st.etag
	}
	files := maps.Clone(sk.files)
	s.mu.RUnlock()
	if e := ifMatch(c.r, cur); e != nil {
		return e
	}
	files[file] = data
	if err := s.cfg.Backend.LoadSkill(sk.id, files); err != nil {
		return packageError(err, file)
	}
	s.mu.Lock()
	sk.files, sk.updated = files, s.cfg.Now()
	if loc, ok := modelLocale(file); ok && sk.models[loc] == nil {
		sk.models[loc] = &docState{}
	}
	st := state()
	st.etag, st.version = etag(data), st.version+1
	s.mu.Unlock()
	c.w.Header().Set("Location", "/v1/skills/"+sk.id+"/status?resource="+resource)
	c.w.Header().Set("ETag", st.etag)
	writeJSON(c.w, http.StatusAccepted, nil)
	return nil
}

// packageError turns a load failure into a 400 whose violation names the
// JSON path at fault in the request body (when the fault is in the file
// being written) or the file.
func packageError(err error, file string) *apiError {
	var pe *PackageError
	if !errors.As(err, &pe) {
		return badRequest("The skill package is not valid.", violation{Code: "INVALID_SKILL_PACKAGE", Message: err.Error()})
	}
	what := "Skill manifest"
	if strings.HasPrefix(file, modelDir) {
		what = "Interaction model"
	}
	v := violation{Code: "INVALID_SKILL_PACKAGE", Message: pe.Error()}
	if pe.File == file {
		msg := pe.Message
		if pe.Path != "" {
			msg = pe.Path + ": " + msg
		}
		if pe.Line > 0 {
			msg += fmt.Sprintf(" (request body line %d, column %d)", pe.Line, pe.Col)
		}
		path := "$"
		if pe.Path != "" {
			path += "." + pe.Path
		}
		v = bodyViolation("INVALID_SKILL_PACKAGE", path, "%s", msg)
	}
	return badRequest(what+" is not valid.", v)
}

// localeRE is the locale form ask dialog accepts (docs/smapi-contract.md §5.5).
var localeRE = regexp.MustCompile(`^[a-z]{2}-[A-Z]{2}$`)

// modelOf returns the skill and its model state for the call's locale;
// missing reports a locale with no model (the model's state is then nil).
func (s *Server) modelOf(c *call) (*skill, string, *apiError) {
	sk, e := s.skillOf(c)
	if e != nil {
		return nil, "", e
	}
	loc := c.param("locale")
	if !localeRE.MatchString(loc) {
		return nil, "", badRequest(fmt.Sprintf("Locale %q is not a locale like en-US.", loc),
			violation{Code: "INVALID_LOCALE", Message: "locale must look like en-US"})
	}
	return sk, loc, nil
}

func (s *Server) modelState(sk *skill, loc string) (data []byte, st docState, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p := sk.models[loc]
	if p == nil {
		return nil, docState{}, false
	}
	return sk.files[modelDir+loc+".json"], *p, true
}

// storedModel returns the model of the call's locale, 404 when it has
// none, and sets its ETag on the answer.
func (s *Server) storedModel(c *call) ([]byte, docState, *apiError) {
	sk, loc, e := s.modelOf(c)
	if e != nil {
		return nil, docState{}, e
	}
	data, st, ok := s.modelState(sk, loc)
	if !ok {
		return nil, docState{}, notFound("Skill %s has no interaction model for locale %s.", sk.id, loc)
	}
	c.w.Header().Set("ETag", st.etag)
	return data, st, nil
}

func (s *Server) getModel(c *call) *apiError {
	data, st, e := s.storedModel(c)
	if e != nil {
		return e
	}
	var doc struct {
		InteractionModel json.RawMessage `json:"interactionModel"`
		Description      string          `json:"description,omitempty"`
	}
	json.Unmarshal(data, &doc) // loaded by the Backend: valid
	writeJSON(c.w, http.StatusOK, struct {
		InteractionModel json.RawMessage `json:"interactionModel"`
		Version          string          `json:"version"`
		Description      string          `json:"description,omitempty"`
	}{doc.InteractionModel, strconv.Itoa(st.version), doc.Description})
	return nil
}

func (s *Server) headModel(c *call) *apiError {
	if _, _, e := s.storedModel(c); e != nil {
		return e
	}
	writeJSON(c.w, http.StatusNoContent, nil)
	return nil
}

// putModel replaces a locale's model once the Backend loads the package
// with it: the next simulation resolves against it.
func (s *Server) putModel(c *call) *apiError {
	sk, loc, e := s.modelOf(c)
	if e != nil {
		return e
	}
	data, e := readBody(c, "interactionModel")
	if e != nil {
		return e
	}
	return s.update(c, sk, modelDir+loc+".json", data, "interactionModel", func() *docState { return sk.models[loc] })
}

type buildStep struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

type modelStatus struct {
	LastUpdateRequest struct {
		Status       string `json:"status"`
		BuildDetails struct {
			Steps []buildStep `json:"steps"`
		} `json:"buildDetails"`
	} `json:"lastUpdateRequest"`
	ETag    string `json:"eTag"`
	Version string `json:"version"`
}

type manifestStatus struct {
	LastUpdateRequest struct {
		Status string `json:"status"`
	} `json:"lastUpdateRequest"`
	ETag string `json:"eTag"`
}

// status is get-skill-status. Updates are checked before they are
// accepted, so every build has SUCCEEDED. A token sees the manifest's part
// with skills:read and the models' with models:read (docs/smapi.md).
func (s *Server) status(c *call) *apiError {
	sk, e := s.skillOf(c)
	if e != nil {
		return e
	}
	want := c.r.URL.Query()["resource"]
	for _, r := range want {
		if r != "manifest" && r != "interactionModel" {
			return badRequest(fmt.Sprintf("resource %q is not one asksim reports; use manifest or interactionModel.", r))
		}
	}
	parts := map[string]string{"manifest": ScopeSkillsRead, "interactionModel": ScopeModelsRead}
	show := map[string]bool{}
	for name, scope := range parts {
		asked := len(want) == 0 || slices.Contains(want, name)
		if asked && len(want) > 0 && !grants(c.scopes, scope) {
			return errorf(http.StatusForbidden, DecisionMissingScope, "The access token does not grant %s, which the %s status needs.", scope, name)
		}
		show[name] = asked && grants(c.scopes, scope)
	}
	out := map[string]any{}
	s.mu.RLock()
	if show["manifest"] {
		var m manifestStatus
		m.LastUpdateRequest.Status, m.ETag = "SUCCEEDED", sk.manifest.etag
		out["manifest"] = m
	}
	if show["interactionModel"] {
		models := map[string]modelStatus{}
		for loc, st := range sk.models {
			var m modelStatus
			m.LastUpdateRequest.Status = "SUCCEEDED"
			m.LastUpdateRequest.BuildDetails.Steps = []buildStep{{"LANGUAGE_MODEL_QUICK_BUILD", "SUCCEEDED"}, {"LANGUAGE_MODEL_FULL_BUILD", "SUCCEEDED"}}
			m.ETag, m.Version = st.etag, strconv.Itoa(st.version)
			models[loc] = m
		}
		out["interactionModel"] = models
	}
	s.mu.RUnlock()
	writeJSON(c.w, http.StatusOK, out)
	return nil
}
