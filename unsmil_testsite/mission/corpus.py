"""Phrase banks for the second offline site's fictional news stories (English only).

All texts here are original and fictional, written for this test site: they describe no real
event, quote no real person and copy no published text. Place names are only settings.
"""

PLACE = [
    "Juba", "Malakal", "Bentiu", "Bor", "Wau", "Yambio", "Torit", "Aweil", "Rumbek", "Kuajok",
    "Pibor", "Yei", "Renk", "Nasir", "Kapoeta", "Maridi", "Tambura", "Leer", "Akobo", "Mundri",
]
PARTNER = [
    "the county commissioner", "the state ministry of health", "local chiefs",
    "a women's cooperative", "the teachers' association", "a youth football league",
    "the county court", "the water authority", "cattle camp leaders", "church leaders",
    "the local radio station", "a farmers' union", "the market traders' committee",
]
PEOPLE = [
    "displaced families", "young herders", "market women", "schoolchildren", "returnees",
    "fishermen", "nurses", "village elders", "police recruits", "university students",
    "boat drivers", "former child soldiers", "teachers",
]
UNIT = [
    "an engineering company", "a quick-reaction patrol", "the Mission's civil affairs team",
    "a team of human rights officers", "a medical unit", "a riverine patrol",
    "the Mission's gender advisers", "a long-range patrol", "the Mission's radio crew",
    "a group of police advisers",
]
THING = [
    "a ferry landing", "eleven kilometres of feeder road", "a borehole", "two classrooms",
    "a dyke against the floodwater", "a solar-powered clinic", "a market shelter",
    "a footbridge", "a community radio mast", "a police post", "a women's centre",
]

TITLES = {
    "patrol": [
        "Peacekeepers patrol the road between {place} and {place2}",
        "Night patrols bring calm to markets in {place}",
        "Long-range patrol reaches villages cut off near {place}",
    ],
    "flood": [
        "Floodwater rises again around {place}",
        "Dykes built by peacekeepers hold back the river near {place}",
        "Families in {place} return home as floodwater recedes",
    ],
    "build": [
        "Engineers hand over {thing} in {place}",
        "New road links {place} to the county's farms",
        "{thing_cap} opens its doors in {place}",
    ],
    "dialogue": [
        "Herders and farmers agree on grazing routes near {place}",
        "Chiefs in {place} sign a pledge to settle disputes peacefully",
        "Youth from rival villages meet in {place}",
    ],
    "rights": [
        "Police recruits in {place} learn about the rights of detainees",
        "Human rights workshop draws a full hall in {place}",
        "Women in {place} speak up about access to justice",
    ],
    "voices": [
        "A teacher in {place} keeps classes going under a mango tree",
        "The nurse who never left {place}",
        "Radio call-in show gives {place} listeners a voice",
    ],
}

SENTENCES = {
    "patrol": [
        "The patrol covered {num} kilometres in {days} days and stopped in every village on the"
        " way.",
        "Residents told the peacekeepers that traders had stopped using the road after dark.",
        "In {place2}, {partner} asked for patrols to continue until the harvest is in.",
        "The peacekeepers shared tea with {people} at the market and listened to their worries.",
        "A second patrol is planned before the rains make the track impassable.",
    ],
    "flood": [
        "Some {big} people have moved to higher ground since the river broke its banks.",
        "{unit_cap} reinforced {num} kilometres of dykes with sandbags and local clay.",
        "Boats have become the only way to reach the clinic in {place2}.",
        "{partner_cap} warned that standing water raises the risk of disease.",
        "Families have lost crops and cattle for the third season running.",
    ],
    "build": [
        "{unit_cap} worked for {num} weeks on the project, often in heavy rain.",
        "The work was planned with {partner}, who will now take care of maintenance.",
        "Before the work, the journey to {place2} took a whole day on foot.",
        "Traders expect prices to fall now that lorries can reach the market.",
        "Local labourers were hired for much of the work and trained on the site.",
    ],
    "dialogue": [
        "The meeting lasted {days} days and ended with a shared meal.",
        "Each side named {num} representatives to a joint committee that will meet every month.",
        "{partner_cap} offered to host the next round of talks.",
        "Disputes over water points had led to clashes during the last dry season.",
        "Participants agreed that stolen cattle would be returned through the chiefs.",
    ],
    "rights": [
        "The {days}-day course covered arrest procedures, detention records and visits.",
        "Participants worked through cases drawn from their own daily work.",
        "{partner_cap} asked for a follow-up session for officers posted in {place2}.",
        "Several women said that it was the first time they had spoken in public.",
        "The Mission's human rights officers will visit detention facilities in the coming weeks.",
    ],
    "voices": [
        "She has taught in {place} for {num} years, through two conflicts and several floods.",
        "Most of her pupils walk more than an hour to reach the class.",
        "Listeners called in from as far as {place2} to share their stories.",
        "He says the hardest part of the job is the long wait for supplies.",
        "Her colleagues describe her as the person everyone goes to for advice.",
    ],
}
GENERIC = [
    "The Mission works with {partner} to support the work.",
    "Peacekeepers from {num} countries serve in the area.",
    "A follow-up visit is planned for next month.",
    "The work is part of the Mission's support to communities in {place2}.",
    "Local officials thanked the peacekeepers for their help.",
    "The Mission remains present in the area and ready to respond.",
    "Many of the people who attended had walked from {place2}.",
    "The initiative received funding from the Mission's quick-impact projects.",
]
QUOTES = [
    "“We can sleep at night again,” said one resident of {place}.",
    "“This is only a first step, but it is an important one,” said a local official.",
    "“Our children deserve better than what we had,” said a mother from {place2}.",
    "“Peace is built one village at a time,” said a member of {partner}.",
    "“We came because we were asked to come,” said the commander of {unit}.",
]
OPENINGS = [
    "{place_cap} - ",
    "",
]
CLOSINGS = [
    "The Mission will continue to support the people of {place} in the months ahead.",
    "For more stories from the field, follow the Mission's news page.",
]
CAPTIONS = [
    "Peacekeepers on patrol near {place}. Photo: UNMISS",
    "Residents of {place} at the handover ceremony. Photo: UNMISS",
    "The road to {place} after the rains. Photo: UNMISS",
]
