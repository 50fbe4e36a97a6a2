package alexaapi

import (
	"fmt"
	"os"
)

// LoadManifestPermissions reads a skill manifest (skill.json) and returns
// the names in manifest.permissions[].name, for Config.ManifestPermissions.
// A manifest without permissions yields an empty, non-nil list: every scope
// is then forbidden.
func LoadManifestPermissions(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	root, err := parseTree(data, path)
	if err != nil {
		return nil, err
	}
	pp := profileParser{file: path}
	if root.kind != "object" {
		return nil, pp.errf(root, "", "want a skill manifest object, got %s", root.kind)
	}
	m := find(root, "manifest")
	if m == nil {
		return nil, pp.errf(root, "manifest", "missing (want the skill.json of an ASK CLI project)")
	}
	if m.val.kind != "object" {
		return nil, pp.errf(m.val, "manifest", "want an object, got %s", m.val.kind)
	}
	names := []string{}
	perms := find(m.val, "permissions")
	if perms == nil || perms.val.kind == "null" {
		return names, nil
	}
	if perms.val.kind != "array" {
		return nil, pp.errf(perms.val, "manifest.permissions", "want an array, got %s", perms.val.kind)
	}
	for i, p := range perms.val.items {
		field := fmt.Sprintf("manifest.permissions[%d]", i)
		if p.kind != "object" {
			return nil, pp.errf(p, field, "want an object with a name, got %s", p.kind)
		}
		name := find(p, "name")
		if name == nil || name.val.kind != "string" || name.val.str == "" {
			return nil, pp.errf(p, field+".name", "missing or not a non-empty string")
		}
		names = append(names, name.val.str)
	}
	return names, nil
}
