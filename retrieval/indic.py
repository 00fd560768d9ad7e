"""Words of India's languages as shoppers type them in Latin script, grouped by what they mean.

An Indian store's shoppers write Hindi, Bengali, Marathi, Gujarati, Punjabi, Tamil, Telugu,
Kannada, Malayalam, Odia and Urdu in Latin letters, each in several spellings ("dooja" and
"duja", Punjabi for the second). The rules that read a place in a list, a "which", a price or a
rating question take their non-English words from here, so one table serves the search query
parser and the agent alike. Words a product title or an English sentence also uses ("kone",
"bele", "dara", "vila") are left out: reading them as a place or a question would misread a
search. Pure data; `alternation` joins a group for a regex.
"""

from __future__ import annotations

import re

# a place in a list ("biju wala": Gujarati, the second one). Hindi, Bengali, Marathi, Tamil and
# Telugu spellings the rules already knew are here too, so that each group is whole.
FIRST = """pehla pehli pehle pahla pahli pratham prathama prothom pahila pahili pahilya pehlu
pahelu pehlo paheli pahilo mudhal modhal mudhalavadhu onnavadhu onnaavadhu modati modhati modatidi
modalne modalaneya modalane modaladu aadyathe adyathe aadyathethu onnaamathe onnamathe awwal
avval
pahil pahilka pahilki pailo paila pailu paili pelo pelu poilo poili pahriyon pahriyo pehriyon
pehriyo godnyuk aagaaz agaaz aghaaz aghaz""".split()
SECOND = """dusra dusri dusre doosra doosri doosre dwitiya dvitiya ditiyo dwitiyo dwitio ditio
dusrya dosro dosra rendo biju bijo biji bija bijji dooja dooji dooje duja duji duje rendavadhu irandavadhu
randavadhu rendaavadhu irandaavadhu rendava rendavadi rendodi eradane eradaneya yeradane
yeradaneya erdne randaamathe randamathe rendaamathe randamatthe dwitiyata
dosar dosri dosaro dujo dujja dujji doojo doojaa dusru dusro biyon biyo doyam doyem doyum""".split()
THIRD = """teesra teesri teesre tisra tisri tisre tritiya trutiya tritiyo tritio tisrya trijo
triju triji trija tesro tesra moodo teeja teeji teeje tija tiji tije moonavadhu munavadhu moondravadhu
moonaavadhu moodava moodavadi mudava moododi mooraneya moorane muraneya moranedu mooranedu
moonnaamathe munnamathe moonamathe moonnamathe trutiyata
tesar tesri tesaro tijo tijja tijji teejo teejaa trijja tisru tisro tiyon tiyo soyam
treyim""".split()
LAST = """aakhri akhri aakhiri aakhari antim shesh shesher seshata sheshata seshara kadaisi
kadaisiya kadasi chivari chivaridi chivarlo shevatcha shevatchi shevatchya shewatcha
chhellu chellu chhelo chhelli chhela chhello koneya konedu koneyadu avasaanathe avasanathe
avasaanam antimata nimano nimani nimanem xexor xeshor xesor sheshor""".split()
MIDDLE = """beech bich darmiyan darmiyaan darmiyani madhya majher majhkhaner majhkhane majhi
majhire majhira madhla madhli madhala madhlya vachhe vacche vachalu vachlu vachhlu vichkar
vichkaar vichla vichli vichale naduvula naduvil naduvile naduvulla nadula madhyalo naduma
naduve naduvina naduvinadu naduvile naduvilathe nadukkathe""".split()
# Stems that take a suffix ("randamathathu", "modalaneyadu", "sesha jinisa", "aakhir wala"):
# these languages join endings to the word, so a place is read by how its word begins.
FIRST_STEMS = "pratham prothom modala modalne aadyath adyath onnaamath onnamath awwal avval".split()
SECOND_STEMS = """dwitiy dvitiy ditiy randaam randam rendaam eradan yeradan irandaav irandav
rendav rendaav""".split()
THIRD_STEMS = """tritiy trutiy moonnaam moonnam moonaam moonam munnam mooran moonav moonaav
moodav tisry""".split()
LAST_STEMS = (
    "aakhir akhir aakhr sesha shesh avasaan avasan kadais chivar shevat shewat chhell".split()
)
MIDDLE_STEMS = "naduv madhyal majhkhan vichkaa vichk vachh".split()
# "counting from below" ("talaru gonile": Odia; "khalun": Marathi; "nich theke": Bengali)
FROM_BELOW = """talaru|talu|tala ru|khalun|khaalun|nich theke|niche theke|nichethi|niche thi|
thallon|thalle ton|keezhirundhu|keezhe irundhu|kinda nunchi|kelaginda|thazhe ninnu|thazhenninnu|
neeche se|niche se|from below|last se ginke|last se gin ke|last se ginne par|end se ginke|
aakhir se ginke|peeche se ginke""".replace("\n", "").split("|")
# numbers said with "number" ("tini number": Odia, number three; "randu": Malayalam, two)
NUMBERS = {"dui": 2, "tini": 3, "tran": 3, "onnu": 1, "rendu": 2, "randu": 2, "moonu": 3,
           "moonnu": 3, "ondu": 1, "eradu": 2, "mooru": 3, "okati": 1, "moodu": 3}  # fmt: skip
# "which (one)": Hindi, Bengali, Marathi, Gujarati, Punjabi, Tamil, Telugu, Kannada, Malayalam,
# Odia and Urdu
WHICH = """kaunsa konsa kaunsi konsi kaunse konse konta konti konto kontla kontli kontya kuthla
kuthli kayu kaiyu kayo kehda kehdi kihda kihdi kehde kedha kedhi edhu yedhu endha
ethu edha edhai yedha yedi edi edhi kunto kuntu kun kone yavudu yaavudu yavdu yaava ethaanu ethanu kouta kaunta kouti konata
kon konu kaunu kunsa kunsi kunso kunse kehro kehri kehra konsu kaunsu kisdi kisda konchi
kontu""".split()
# "in these", "of these" ("idralli": Kannada; "ithil": Malayalam; "egulor modhe": Bengali)
THESE = """isme inme inmein inmese idralli ivugalalli ithil ithilu ivayil ivattil idhula idhil
ithula ivatula vitilo veetilo veetillo deentlo egulor egulo eigulor aamathi aama ehnaan inhaan
inhan yaat hyaat yatla ethire ethiru ethimadhyaru
hinan inaa inan moonnil ehna ehnan tiinu teenu tiin""".split()
# "is it to be had here", said after the thing asked for ("dhoti ahiya madse?": Gujarati, will
# I get a dhoti here; "tyre idya nimmalli?": Kannada; "kittumo": Malayalam)
AVAILABLE = """ahiya ahinya madse malse male malshe joie joiye che chhe idya ideya idheya idiya
nimmalli nimma hattira miliba milibo milba milibaki paoa pawa jabe pabo paben milel miltil
milto milte milsi milse milasi uplabdh upalabdh uplabd kai sa kidaikuma kidaikum kidaikkuma kidaikkum irukka irukkaa dorukutunda dorukuthundi
dorukuthada unda undaa kittumo kittum undo labhyamano milda mildi milju yahan yaha kahin kahi
dekhun dekhu""".split()
# the price asked ("dam koto": Bengali, what does it cost)
PRICE = """keemat kimat qeemat daam kimmat kimmath bhav ketla ketlo ketli kinne
mull mol rooba roopa koto kato evlo evvalavu vilai entha enta dhara eshtu estu ethra ethrayaa ethraya
rakam mulya moolya daamu kate""".split()
# cheap, cheapest ("sauthi sastu": Gujarati, the cheapest)
CHEAP = """sasta sasti saste sastu sasto sastho ghatt sosta shosta swasta swast svasta thakkuva takkuva chavaka
kammi kuranj kurav malivu malivana bachat""".split()  # stems: "vila kuranjathu" (the lowest price)
# "the most" before a quality ("sauthi sastu": Gujarati, the cheapest; "ettavum": Malayalam)
MOST = """sabse sobcheye shobcheye sobchaite sauthi sauthee sabton sabh sarvat sarvaat sarvaath
romba rombha ellakkum ettavum sabutharu tharu chaala vadhare vadhu adhigam adhikam""".split()
# the rating asked ("kiti rating": the rating words are English, the numbers are not)
RATING = """taareef tareef reviews rating ratings sitaara sitara sitare sitaare taare reating raiting""".split()
# the maker asked ("kis company ka": which company's)
BRAND = """kampani kampni company thappa
kaarkhana karkhana banaunihar nirmata nirmaata utpadak""".split()
# "my" before an order ("amar order": Bengali, my order)
MY = """mera meri mere maza majha mazha maro mara mari amar amaar mo mora moro saada sada
ente ende ennoda enoda naa nanna hamara hamari hamar hamra hamro mhaara mhara mharo mhari""".split()
# "tell me more" ("konjam sollunga": Tamil, tell a little)
MORE = """sollunga sollu cheppandi cheppu heli helu parayu parayoo batavo janao bolun sangaa
sanga""".split()

# "can", "will it", "is it possible" ("ho jauga?": Punjabi, will it go; "pattumo": Malayalam,
# can it) and "how" ("kevi rite": Gujarati). Hindi's "hoga" and "sakta" are not here: the rules
# read them in context ("kitna pay karna hoga" asks a price, not a rule).
POSSIBLE = """jauga jaauga jaugi hovega shakay shakun shakto shakte yeil hobe jabe parbo parben mudiyuma
mudiyum aguma avutunda cheyochha cheyyocha pattumo kazhiyumo agutta aagutta maattamo
cheyyamo tharamo aakamo padiba padibo lagbe lagel lagnar padse""".split()
HOW = "kaise kevi kem kivein kiven hegey hege eppadi ela engane kemiti kibhabe kibhave".split()
# changing or sending back, asked of an order ("bodlano jabe?": Bengali, can it be changed;
# "maathanum": Tamil, want to change; "rukwa": Hindi, have it stopped)
CHANGE = """bodlano bodlate bodle badalna badalwa badli maathanum maathalaam maattan maattam
marchali marchandi badlava rukwa rukwana rukwao ferat badal badalne badlu badle badlna""".split()
# "why" (English too, so one alternation serves) and "for me" ("mo pain kahinki": Odia, why for me; "enikku enthinaanu": Malayalam)
WHY = """why kyun kyon kyu kaahe kahe keno kano kahinki kainki enthinu enthinaanu enthina enthinanu
yaake yake enduku endhuku yedhuku edhukku""".split()
FOR_ME = [
    "mere liye",
    "mere layi",
    "mere vaste",
    "amar jonno",
    "aamar jonno",
    "maara maate",
    "mara mate",
    "majhya sathi",
    "enakku",
    "enikku",
    "naaku",
    "nanage",
    "mo pain",
    "mo paain",
]
# "tell me more" and "details" in more words ("vishe vadhu mahiti": Gujarati, more about)
MORE_STEMS = "paray dasso dass mahiti vivaram vivar kooduthal innashtu jaankari".split()
# every group of question words: none of them is a quality a product could have
INDIC_QUESTION = (
    FIRST,
    SECOND,
    THIRD,
    LAST,
    MIDDLE,
    WHICH,
    PRICE,
    CHEAP,
    MOST,
    RATING,
    BRAND,
    MY,
    MORE,
)


def alternation(*groups: list[str]) -> str:
    """One regex alternation of the groups' words, longest first (so "doosra" beats "doosr")."""
    words = sorted({w for g in groups for w in g}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


def stems(*groups: list[str]) -> str:
    """A regex of words that begin with one of the stems ("randam" reads "randamathathu")."""
    return alternation(*groups)[:-1] + r")\w*"


def stem_place(word: str) -> int | None:
    """The place (1-3) a word whose stem names one holds ("randamathathu": 2); None if none."""
    w = word.lower()
    for n, group in enumerate((FIRST_STEMS, SECOND_STEMS, THIRD_STEMS), 1):
        if any(w.startswith(stem) for stem in group):
            return n
    return None


def ordinal_words() -> dict[str, int]:
    """Every first, second and third word and its place (1-based)."""
    return {w: n for n, group in enumerate((FIRST, SECOND, THIRD), 1) for w in group}
