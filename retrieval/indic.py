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
pahelu pehlo paheli mudhal modhal mudhalavadhu onnavadhu onnaavadhu modati modhati modatidi
modalne modalaneya modalane modaladu aadyathe adyathe aadyathethu onnaamathe onnamathe awwal
avval""".split()
SECOND = """dusra dusri dusre doosra doosri doosre dwitiya dvitiya ditiyo dwitiyo dwitio ditio
dusrya biju bijo biji bija bijji dooja dooji dooje duja duji duje rendavadhu irandavadhu
randavadhu rendaavadhu irandaavadhu rendava rendavadi rendodi eradane eradaneya yeradane
yeradaneya erdne randaamathe randamathe rendaamathe randamatthe dwitiyata""".split()
THIRD = """teesra teesri teesre tisra tisri tisre tritiya trutiya tritiyo tritio tisrya trijo
triju triji trija teeja teeji teeje tija tiji tije moonavadhu munavadhu moondravadhu
moonaavadhu moodava moodavadi mudava moododi mooraneya moorane muraneya moranedu mooranedu
moonnaamathe munnamathe moonamathe moonnamathe trutiyata""".split()
LAST = """aakhri akhri aakhiri aakhari antim shesh shesher seshata sheshata seshara kadaisi
kadaisiya kadasi chivari chivaridi chivarlo shevatcha shevatchi shevatchya shewatcha
chhellu chellu chhelo chhelli chhela chhello koneya konedu koneyadu avasaanathe avasanathe
avasaanam antimata""".split()
MIDDLE = """beech bich darmiyan darmiyaan darmiyani madhya majher majhkhaner majhkhane majhi
majhire majhira madhla madhli madhala madhlya vachhe vacche vachalu vachlu vachhlu vichkar
vichkaar vichla vichli vichale naduvula naduvil naduvile naduvulla nadula madhyalo naduma
naduve naduvina naduvinadu naduvile naduvilathe nadukkathe""".split()
# "which (one)": Hindi, Bengali, Marathi, Gujarati, Punjabi, Tamil, Telugu, Kannada, Malayalam,
# Odia and Urdu
WHICH = """kaunsa konsa kaunsi konsi kaunse konse konta konti konto kontla kontli kontya kuthla
kuthli kayu kaiyu kayo kehda kehdi kihda kihdi kehde kedha kedhi edhu yedhu endha
ethu yedi edi edhi yavudu yaavudu yavdu yaava ethaanu ethanu kouta kaunta kouti konata""".split()
# the price asked ("dam koto": Bengali, what does it cost)
PRICE = """keemat kimat qeemat daam kimmat kimmath bhav ketla ketlo ketli kinne
mull koto kato evlo evvalavu vilai entha enta dhara eshtu estu ethra ethrayaa ethraya""".split()
# cheap, cheapest ("sauthi sastu": Gujarati, the cheapest)
CHEAP = """sasta sasti saste sastu sosta shosta swasta swast svasta thakkuva takkuva chavaka
kammi kuranja kuravu malivu malivana""".split()
# "the most" before a quality ("sauthi sastu": Gujarati, the cheapest; "ettavum": Malayalam)
MOST = """sabse sobcheye shobcheye sobchaite sauthi sauthee sabton sabh sarvat sarvaat sarvaath
romba rombha ellakkum ettavum sabutharu tharu chaala""".split()
# the rating asked ("kiti rating": the rating words are English, the numbers are not)
RATING = """taareef tareef reviews rating ratings""".split()
# the maker asked ("kis company ka": which company's)
BRAND = """kampani kampni company thappa""".split()
# "my" before an order ("amar order": Bengali, my order)
MY = """mera meri mere maza majha mazha maro mara mari amar amaar mo mora moro saada sada
ente ende ennoda enoda naa nanna hamara hamari""".split()
# "tell me more" ("konjam sollunga": Tamil, tell a little)
MORE = """sollunga sollu cheppandi cheppu heli helu parayu parayoo batavo janao bolun sangaa
sanga""".split()

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


def ordinal_words() -> dict[str, int]:
    """Every first, second and third word and its place (1-based)."""
    return {w: n for n, group in enumerate((FIRST, SECOND, THIRD), 1) for w in group}
