package model

import "strings"

// Small embedded catalogues for list-like built-in slot types. A phrase in
// the list counts as recognised (it scores like a custom value match); any
// other words still fill the slot as spoken, as on Alexa, where these types
// accept values outside their catalogues.
var builtinLists = map[string]map[string]bool{
	"AMAZON.FirstName": set(`james john robert michael william david richard joseph thomas charles
		christopher daniel matthew anthony mark paul steven andrew joshua kevin brian george edward
		ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel frank
		alex sam max leo oliver harry jack noah liam lucas ethan mary patricia jennifer linda elizabeth
		barbara susan jessica sarah karen nancy lisa betty margaret sandra ashley emily donna michelle
		dorothy carol amanda melissa deborah stephanie rebecca laura sharon cynthia kathleen amy anna
		emma olivia sophia isabella mia charlotte amelia ava grace chloe lily ella hannah jane alice`),
	"AMAZON.City": set(`new york|los angeles|chicago|houston|phoenix|philadelphia|san antonio|san diego|
		dallas|san jose|austin|seattle|denver|boston|las vegas|portland|miami|atlanta|detroit|
		san francisco|washington|nashville|new orleans|minneapolis|london|paris|berlin|madrid|rome|
		amsterdam|vienna|prague|dublin|edinburgh|manchester|munich|hamburg|barcelona|lisbon|zurich|
		tokyo|osaka|beijing|shanghai|hong kong|singapore|sydney|melbourne|toronto|vancouver|montreal|
		mexico city|rio de janeiro|buenos aires|cairo|mumbai|delhi|dubai|istanbul|moscow|athens`),
	"AMAZON.Country": set(`united states|united states of america|usa|america|canada|mexico|brazil|argentina|
		united kingdom|uk|great britain|england|scotland|wales|ireland|france|germany|spain|portugal|
		italy|netherlands|belgium|switzerland|austria|denmark|norway|sweden|finland|poland|greece|
		turkey|russia|ukraine|egypt|south africa|nigeria|kenya|morocco|india|china|japan|south korea|
		thailand|vietnam|indonesia|australia|new zealand|singapore|israel|saudi arabia|iceland|peru|chile`),
	"AMAZON.Color": set(`red|orange|yellow|green|blue|purple|violet|pink|brown|black|white|gray|grey|
		silver|gold|beige|turquoise|teal|navy|navy blue|maroon|magenta|cyan|indigo|lavender|olive|
		crimson|coral|tan|ivory|light blue|dark blue|light green|dark green`),
}

func init() {
	cities := builtinLists["AMAZON.City"]
	for _, alias := range []string{"AMAZON.US_CITY", "AMAZON.GB_CITY", "AMAZON.DE_CITY", "AMAZON.EUROPE_CITY"} {
		builtinLists[alias] = cities
	}
}

// set splits on '|' when present (multi-word entries), else on white space.
func set(list string) map[string]bool {
	items := strings.Fields(list)
	if strings.Contains(list, "|") {
		items = strings.Split(list, "|")
	}
	out := map[string]bool{}
	for _, item := range items {
		if k := normalize(item); k != "" {
			out[k] = true
		}
	}
	return out
}
