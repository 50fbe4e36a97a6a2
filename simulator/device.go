package simulator

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// DeviceProfile describes the kind of device a conversation talks through:
// the interfaces it supports and, for screen devices, its viewports.
type DeviceProfile struct {
	// Name is the preset name, e.g. "echo-dot".
	Name string
	// SupportedInterfaces becomes context.System.device.supportedInterfaces.
	SupportedInterfaces SupportedInterfaces
	// AudioPlayer says whether context.AudioPlayer is sent.
	AudioPlayer bool
	// Viewport and Viewports are nil for headless devices.
	Viewport  *Viewport
	Viewports []APLViewport
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }

// Device presets. Figures for the screen devices are those Echo Show models
// report (1280×800 at 160 dpi for the Echo Show 8, 960×480 for the 5).
var devicePresets = map[string]func() DeviceProfile{
	"echo-dot": func() DeviceProfile {
		return DeviceProfile{Name: "echo-dot", AudioPlayer: true,
			SupportedInterfaces: SupportedInterfaces{"AudioPlayer": raw(`{}`)}}
	},
	// A device that supports no interfaces at all, e.g. a third-party
	// speaker or the Alexa app on a phone without audio player support.
	"headless": func() DeviceProfile {
		return DeviceProfile{Name: "headless", SupportedInterfaces: SupportedInterfaces{}}
	},
	"echo-show":   func() DeviceProfile { return screenDevice("echo-show", 1280, 800, "RECTANGLE", "HUB") },
	"echo-show-5": func() DeviceProfile { return screenDevice("echo-show-5", 960, 480, "RECTANGLE", "HUB") },
	"echo-spot":   func() DeviceProfile { return screenDevice("echo-spot", 480, 480, "ROUND", "HUB") },
	"fire-tv":     func() DeviceProfile { return screenDevice("fire-tv", 1920, 1080, "RECTANGLE", "TV") },
}

var videoCodecs = []string{"H_264_42", "H_264_41"}

func screenDevice(name string, w, h int, shape, mode string) DeviceProfile {
	touch := []string{"SINGLE"}
	var keyboard []string
	if mode == "TV" {
		touch, keyboard = nil, []string{"DIRECTION"}
	}
	return DeviceProfile{
		Name:        name,
		AudioPlayer: true,
		SupportedInterfaces: SupportedInterfaces{
			"AudioPlayer":            raw(`{}`),
			"Alexa.Presentation.APL": raw(`{"runtime":{"maxVersion":"2024.2"}}`),
			"Display":                raw(`{"templateVersion":"1.0","markupVersion":"1.0"}`),
		},
		Viewport: &Viewport{
			Experiences: []ViewportExperience{{ArcMinuteWidth: w * 27 / 100, ArcMinuteHeight: h * 27 / 100}},
			Mode:        mode, Shape: shape,
			PixelWidth: w, PixelHeight: h, DPI: 160,
			CurrentPixelWidth: w, CurrentPixelHeight: h,
			Touch: touch, Keyboard: keyboard,
			Video: &ViewportVideo{Codecs: videoCodecs},
		},
		Viewports: []APLViewport{{
			Type: "APL", ID: "main", Shape: shape, DPI: 160, PresentationType: "STANDARD",
			Configuration: &APLViewportConfig{Current: APLViewportCurrent{
				Mode:  mode,
				Video: &ViewportVideo{Codecs: videoCodecs},
				Size:  APLViewportSize{Type: "DISCRETE", PixelWidth: w, PixelHeight: h},
			}},
		}},
	}
}

// DefaultDevice is the preset used when none is chosen.
const DefaultDevice = "echo-dot"

// DeviceNames lists the device presets.
func DeviceNames() []string {
	names := make([]string, 0, len(devicePresets))
	for n := range devicePresets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// DevicePreset returns the preset called name.
func DevicePreset(name string) (DeviceProfile, error) {
	f, ok := devicePresets[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return DeviceProfile{}, fmt.Errorf("unknown device %q (valid: %s)", name, strings.Join(DeviceNames(), ", "))
	}
	return f(), nil
}

// Regions and their apiEndpoints (docs/alexa-contract.md §2.1).
var regionEndpoints = map[string]string{
	"NA": "https://api.amazonalexa.com",
	"EU": "https://api.eu.amazonalexa.com",
	"FE": "https://api.fe.amazonalexa.com",
}

// DefaultRegion is the region used when none is chosen.
const DefaultRegion = "NA"

// RegionEndpoint returns the apiEndpoint of region NA, EU or FE.
func RegionEndpoint(region string) (string, error) {
	ep, ok := regionEndpoints[strings.ToUpper(strings.TrimSpace(region))]
	if !ok {
		return "", fmt.Errorf("unknown region %q (valid: NA, EU, FE)", region)
	}
	return ep, nil
}

// checkAPIEndpoint validates an apiEndpoint override: an absolute http(s)
// URL without query or fragment. A trailing slash is dropped, as the SDKs
// drop it.
func checkAPIEndpoint(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("api endpoint %q: %v", s, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("api endpoint %q: want an absolute http:// or https:// URL", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("api endpoint %q: must not have a query or fragment (the SDKs append paths to it)", s)
	}
	return strings.TrimRight(s, "/"), nil
}
