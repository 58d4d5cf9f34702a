"""English phrase banks for the offline site's fictional press releases.

All texts here are original and fictional. Banks named in ``ALIGNED`` have the same length and
order as their Arabic counterparts in ``corpus_ar`` so a translated pair can share its main
place, actor and partner; everything else is drawn independently per language.
"""

PLACE = [
    "Tripoli", "Benghazi", "Sabha", "Misrata", "Zawiya", "Sirte", "Derna", "Tobruk",
    "Ghat", "Ubari", "Murzuq", "Ghadames", "Zintan", "Gharyan", "Bani Walid", "Tarhuna",
    "Ajdabiya", "Al Bayda", "Kufra", "Zuwara", "Sabratha", "Khoms", "Brega", "Jufra",
    "Nalut", "Al Marj", "Zliten", "Tawergha",
]
ACTOR = [
    "the Presidential Council", "the House of Representatives", "the High Council of State",
    "the Government of National Unity", "the High National Elections Commission",
    "the 5+5 Joint Military Commission", "the Ministry of Interior", "the Ministry of Health",
    "the Ministry of Justice", "the Central Bank of Libya", "the National Oil Corporation",
    "the Libyan Red Crescent", "the Supreme Judicial Council", "the Ministry of Local Government",
    "the Libyan Mine Action Centre", "the National Council for Civil Liberties",
    "the Ministry of Education", "the Audit Bureau", "the Municipal Council of {place}",
    "the Libyan Political Dialogue Forum",
]
PARTNER = [
    "the European Union", "Germany", "Italy", "Japan", "the Netherlands", "the United Kingdom",
    "France", "Switzerland", "the African Union", "the League of Arab States", "Norway",
    "Canada", "Sweden", "the World Bank", "Denmark",
]
OFFICIAL = [
    "the Special Representative of the Secretary-General",
    "the Deputy Special Representative for Political Affairs",
    "the Resident and Humanitarian Coordinator", "the Head of the Mission's Human Rights Service",
    "the Mission's Chief of Staff", "the Senior Gender Adviser",
    "the Head of the Security Institutions Unit", "the Mission's Electoral Adviser",
]
GROUP = [
    "civil society organizations", "young Libyans", "women leaders", "tribal elders",
    "community mediators", "journalists", "members of the judiciary", "municipal mayors",
    "internally displaced families", "persons with disabilities", "human rights defenders",
    "university students", "trade unions", "religious scholars", "local business owners",
]
SECTOR = [
    "primary health care", "water and sanitation", "education", "electricity supply",
    "food security", "shelter", "mental health services", "child protection",
    "vocational training", "waste management", "maternal health", "road rehabilitation",
]
AIM = [
    "to consolidate the ceasefire", "to restore trust between communities",
    "to reunify the country's institutions", "to prepare the ground for credible elections",
    "to protect civilians from further harm", "to improve the delivery of basic services",
    "to end arbitrary detention", "to ensure accountability for past violations",
    "to strengthen the role of municipalities", "to support the return of displaced families",
    "to widen the participation of women and youth", "to secure the country's borders",
    "to agree on a unified budget", "to clear explosive remnants of war",
    "to rebuild the justice sector",
]
MANNER = [
    "in a frank and constructive atmosphere", "over two days of intensive discussions",
    "behind closed doors", "with the support of international partners",
    "in the presence of local dignitaries", "through a series of virtual meetings",
    "despite the difficult security situation", "in a spirit of national responsibility",
    "after months of careful preparation", "at the request of the parties",
]
CONCERN = [
    "reports of renewed clashes", "the mobilization of armed forces", "the use of hate speech",
    "the arbitrary arrest of activists", "the deteriorating economic situation",
    "attacks on health facilities", "the closure of oil facilities",
    "restrictions on humanitarian access", "the forced disappearance of civilians",
    "the worsening conditions in detention centres",
]
ALIGNED = ("PLACE", "ACTOR", "PARTNER", "OFFICIAL", "GROUP", "SECTOR")

OPENINGS = [
    "UNSMIL welcomes {welcome}.",
    "The United Nations Support Mission in Libya (UNSMIL) welcomes {welcome}.",
    "The United Nations Support Mission in Libya is following with great concern {concern}"
    " in and around {place}.",
    "UNSMIL strongly condemns {condemn}.",
    "The United Nations Support Mission in Libya announces {announce}.",
]
WELCOME = [
    "the agreement reached by {actor} on {aim_noun}",
    "the release of {num} detainees in {place}",
    "the successful conclusion of the talks held in {place2}",
    "the announcement by {actor} of a timetable for the next steps",
    "the reopening of the coastal road between {place} and {place2}",
    "the generous pledge of {partner} to support {sector} in the south",
    "the decision of {actor} to form a joint technical committee",
    "the peaceful handover of responsibilities in {place}",
]
CONDEMN = [
    "the attack that targeted a civilian neighbourhood in {place}",
    "the abduction of a municipal official in {place}",
    "the shelling of residential areas south of {place}",
    "the assault on a field hospital near {place2}",
    "the killing of {num} civilians, including children, in {place}",
]
ANNOUNCE = [
    "the launch of a new round of consultations in {place}",
    "the convening of a workshop on {sector} with {group}",
    "the start of a nationwide survey on {sector}",
    "the resumption of the meetings of the {track} track",
]
AIM_NOUN = [
    "a unified electoral framework", "the withdrawal of foreign fighters", "a unified budget",
    "the reopening of the oil fields", "the exchange of detainees",
    "a national reconciliation charter",
    "the return of displaced persons", "the reunification of the Central Bank",
]
TRACK = ["security", "economic", "political", "humanitarian law and human rights"]

CLOSINGS = [
    "UNSMIL reiterates its commitment to supporting the Libyan people in their pursuit of peace,"
    " stability and prosperity.",
    "The Mission remains committed to working with all Libyan parties to achieve a lasting"
    " political solution.",
    "UNSMIL reaffirms its full support for a Libyan-led and Libyan-owned process.",
    "The United Nations stands ready to continue supporting Libya on its path to unity and"
    " stability.",
]

TITLES = {
    "ceasefire": [
        "UNSMIL welcomes progress in 5+5 Joint Military Commission talks in {place}",
        "Statement on the ceasefire in {place} and surrounding areas",
        "Joint Military Commission agrees on next steps for the reopening of the road to {place}",
        "UNSMIL calls for restraint after clashes near {place}",
    ],
    "elections": [
        "UNSMIL briefs {group} on the electoral timeline in {place}",
        "Electoral workshop in {place} focuses on voter registration",
        "UNSMIL welcomes the completion of municipal elections in {place}",
        "Q&A: the road to elections, seen from {place}",
    ],
    "humanitarian": [
        "Humanitarian convoy reaches families in {place}",
        "UN and {partner} launch appeal for {sector} in {place}",
        "Humanitarian Coordinator visits {place} and meets displaced families",
        "Floods in {place}: UN agencies scale up assistance",
    ],
    "detention": [
        "UNSMIL calls for the release of arbitrarily detained persons in {place}",
        "Report on conditions of detention in {place} published",
        "Statement on the death in custody of a detainee in {place}",
    ],
    "migrants": [
        "UNSMIL concerned about the situation of migrants in {place}",
        "Migrants & refugees in {place}: UN urges alternatives to detention",
        "UN agencies assist migrants rescued off the coast of {place}",
    ],
    "municipal": [
        "Mayors from the south meet in {place} to discuss local governance",
        "UNSMIL supports the municipal council of {place} in planning services",
        "Local peace committee established in {place}",
    ],
    "women": [
        "Women's political participation forum held in {place}",
        "UNSMIL hosts consultation with women leaders from {place}",
        "Statement on the International Day for the Elimination of Violence against Women",
    ],
    "mine_action": [
        "Mine action teams clear unexploded ordnance in {place}",
        "Risk education sessions for children in {place}",
        "UNSMIL & partners mark the International Day for Mine Awareness",
    ],
    "berlin": [
        "Berlin process working group meets in {place}",
        "Co-chairs of the Berlin process economic working group meet with {actor}",
        "International Follow-up Committee on Libya convenes in {place}",
    ],
    "economy": [
        "Economic dialogue in {place} addresses the unification of the Central Bank",
        "UNSMIL welcomes agreement in {place} on the distribution of oil revenues",
        "Experts meet in {place} on the national budget",
    ],
    "human_rights": [
        "UNSMIL documents civilian casualties in {place}",
        "Statement on freedom of expression after the arrest of journalists in {place}",
        "Human rights defenders from {place} share their concerns with UNSMIL",
    ],
    "covid": [
        "UN supports the COVID-19 response in {place}",
        "COVID-19: UNSMIL calls for a humanitarian pause in {place}",
        "Vaccines against COVID-19 delivered to {place}",
    ],
}

SENTENCES = {
    "ceasefire": [
        "The members of the Joint Military Commission reviewed the withdrawal of heavy weapons"
        " from the front lines near {place2}.",
        "Both delegations agreed to exchange maps of minefields and to open a hotline between"
        " their command centres.",
        "The Commission tasked a subcommittee with drafting a mechanism {aim} within {num} days.",
        "Ceasefire monitors deployed to {place2} reported that the situation remained calm"
        " overnight.",
        "The parties discussed the timetable for the departure of foreign fighters and"
        " mercenaries.",
        "Military officers from east and west shared a meal in {place} for the first time since"
        " {war_year}.",
    ],
    "elections": [
        "The High National Elections Commission reported that {big} new voters had registered"
        " in {place2} alone.",
        "Participants asked for clear rules on the eligibility of candidates and on the"
        " resolution of electoral disputes.",
        "The session covered the security of polling stations and the protection of electoral"
        " staff.",
        "Election officials from {num} municipalities took part in the training.",
        "Observers noted that the share of women among registered voters reached {pct} percent.",
        "The Commission asked for a legal framework that all institutions can accept.",
    ],
    "humanitarian": [
        "The convoy carried {big} food baskets, hygiene kits and medical supplies.",
        "Some {big} people in {place2} still depend on humanitarian assistance for {sector}.",
        "Aid workers reported damaged roads and long delays at checkpoints.",
        "The appeal seeks {money} million US dollars to cover urgent needs until the end of"
        " {year}.",
        "Mobile clinics have treated more than {big} patients since the beginning of {month}.",
        "Partners distributed winter clothes to {num} hundred displaced families.",
    ],
    "detention": [
        "Monitors visited {num} detention facilities and spoke privately with detainees.",
        "Many detainees have been held for years without charge or trial.",
        "The Mission received credible reports of torture and ill-treatment in {place2}.",
        "Families told the Mission that they have had no news of their relatives for months.",
        "All persons deprived of liberty must be registered and brought before a judge.",
    ],
    "migrants": [
        "At least {num} migrants are reported to have drowned after their boat capsized.",
        "Migrants intercepted at sea are often returned to overcrowded centres in {place2}.",
        "UN agencies provided medical care, water and blankets at the disembarkation point.",
        "The Mission urges the authorities to release women and children held in migrant"
        " centres.",
        "Smuggling networks continue to exploit people along the route through {place2}.",
    ],
    "municipal": [
        "The mayor presented a plan to improve {sector} in the neighbourhoods of {place}.",
        "Council members asked for a fair share of the national budget for local services.",
        "Municipalities from the {region} exchanged experience on collecting local revenues.",
        "The training covered budgeting, procurement and public consultation.",
        "Residents raised concerns about {sector} and about rising prices.",
    ],
    "women": [
        "Participants called for a quota of at least {pct} percent for women in elected bodies.",
        "Women from {place2} described the obstacles they face when running for office.",
        "The meeting recommended measures against online violence targeting women in public"
        " life.",
        "Women's groups presented a charter of demands to {actor}.",
        "The forum brought together {num} women from every region of Libya.",
    ],
    "mine_action": [
        "Teams removed {big} items of unexploded ordnance from schools and farmland.",
        "Explosive remnants of war have killed or injured {num} civilians since {month}.",
        "Children learned how to recognize dangerous objects and how to report them.",
        "Clearance of the southern suburbs of {place} is expected to take several more months.",
        "The Libyan Mine Action Centre coordinates the work of {num} national teams.",
    ],
    "berlin": [
        "The working group reviewed the implementation of the conclusions of the Berlin"
        " Conference.",
        "Co-chairs underlined the importance of respecting the arms embargo.",
        "Participants discussed the sequencing of the security, political and economic tracks.",
        "The meeting was co-chaired by UNSMIL and {partner}.",
        "Representatives of {num} countries and organizations joined the session.",
    ],
    "economy": [
        "Experts discussed a unified exchange rate and the payment of public salaries.",
        "Oil production recovered to {big} thousand barrels per day.",
        "The parties agreed on a transparent mechanism for the management of oil revenues.",
        "Delays in paying salaries have hit families in {place2} particularly hard.",
        "The Audit Bureau presented findings on public spending in {year}.",
    ],
    "human_rights": [
        "The Mission documented {num} civilian deaths and {num2} injuries during {month}.",
        "Journalists in {place2} reported threats and intimidation by armed groups.",
        "Those responsible for violations must be held accountable under Libyan and"
        " international law.",
        "The Mission calls for an independent investigation into the incidents.",
        "Civil society actors described a shrinking space for peaceful expression.",
    ],
    "covid": [
        "The shipment included {big} doses of vaccine and cold chain equipment.",
        "Health workers in {place2} received protective equipment and training.",
        "The Mission called on all parties to allow health teams to move freely.",
        "Testing capacity has grown to {big} tests per week.",
    ],
}

GENERIC = [
    "{official} met with {actor} in {place} to discuss the way forward.",
    "The meeting focused on practical steps {aim}.",
    "Discussions took place {manner}.",
    "{official} stressed that there can be no military solution to the conflict.",
    "Participants agreed to meet again in {place2} before the end of {month}.",
    "The Mission thanks {partner} for its continued support.",
    "The event was organized with the support of {partner}.",
    "Representatives of {group} from {place2} also took part.",
    "The Mission will continue its consultations with {group} across the country.",
    "{official} underlined the need {aim}.",
    "UNSMIL urges all parties to refrain from any action that may undermine {undermine}.",
    "The Mission remains concerned about {concern}.",
    "Speakers highlighted the role of {group} in building peace at the local level.",
    "A follow-up meeting will be held in {place2} in the coming weeks.",
    "{official} also met with {group} in {place}.",
    "The discussions built on the outcomes of earlier meetings held in {place2} and {place3}.",
    "The Mission encourages {actor} to act quickly on these recommendations.",
    "{partner} announced additional funding for {sector} in {place2}.",
    "The participants adopted a set of recommendations {aim}.",
    "The initiative is part of a wider programme {aim}.",
    "Libyans across the country have repeatedly expressed their wish for unity.",
    "More than {num} participants attended, including {group}.",
    "The Mission is ready to provide technical support to {actor}.",
    "Concerns were raised about {concern}.",
    "Progress on {sector} remains uneven between the east, the west and the south.",
    "The next steps will be discussed with {actor} and {actor2}.",
]
QUOTES = [
    "“Libyans deserve institutions that serve all of them,” said {official}.",
    "“We will not give up on dialogue,” {official} told the participants.",
    "“The people of {place} have suffered for too long,” said {official}.",
    "\"Today's agreement is an important step,\" {official} said.",
    "“Every child in {place2} should be able to go to school safely,” {official} noted.",
    "{official} said the Mission would “spare no effort” {aim}.",
    "“This is a moment of hope, but also of responsibility,” {official} added.",
]
UNDERMINE = [
    "the fragile calm", "the ceasefire agreement", "the political process",
    "the safety of civilians", "the unity of the country's institutions",
]
REGION = ["south", "east", "west", "Nafusa Mountains", "coastal region"]
DATELINE = "{place}, {day} {month} {year} - "
