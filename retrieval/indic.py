"""Words of India's languages as shoppers type them in Latin script, grouped by what they mean.

An Indian store's shoppers write Hindi, Urdu, Bengali, Assamese, Odia, Marathi, Konkani,
Gujarati, Kutchi, Punjabi, Sindhi, Kashmiri, Dogri, Nepali, Maithili, Bhojpuri, Awadhi, Magahi,
Marwari, Haryanvi, Garhwali, Kumaoni, Chhattisgarhi, Tamil, Telugu, Kannada, Malayalam, Tulu and
Hinglish in Latin letters, each in several spellings ("dooja" and "duja", Punjabi for the
second). The rules that read a place in a list, a "which", a price or a rating question take
their non-English words from here, so one table serves the search query parser and the agent
alike. Words a product title or an English sentence also uses ("kone", "bele", "dara", "vila",
"marka", "shasta") are left out, and so are words another meaning owns ("chelli": Telugu, sister;
"kharidu": Hindi, buy; "majhe": Bengali, sometimes): reading them as a place or a question would
misread a search. Pure data; `alternation` joins a group for a regex.
"""

from __future__ import annotations

import re

# a place in a list ("biju wala": Gujarati, the second one; "pahil": Maithili, first; "dosarka":
# Bhojpuri, second; "onjane": Tulu, first). Hindi, Bengali, Marathi, Tamil and Telugu spellings
# the rules already knew are here too, so that each group is whole; a word its stem reads
# ("mudhalavathu", "prothomta") is left to the stem.
FIRST = """pehla pehli pehle pahla pahli pratham prathama prothom pahila pahili pahilya pehlu pahelu
pehlo paheli pahilo mudhal modhal mudhalavadhu onnavadhu onnaavadhu modati modhati modatidi modalne
modalaneya modalane modaladu aadyathe adyathe aadyathethu onnaamathe onnamathe awwal avval pahil
pahilka pahilki pailo paila pailu paili pelo pelu poilo poili pahriyon pahriyo pehriyon pehriyo
godnyuk aagaaz agaaz aghaaz aghaz pehala pahala pehali pahali pehela peheli pahela pehlaa pahilaa
paheryon pahrion pehrion pahryon godaniuk gwodniuk godanyuk paihla paihli pahilwa pahilkawa pahlo
pahiliya mudhalaavadhu modhalavadhu onjane pehlawala pehlewala pehliwali pahlawala pehlawaala
firstwala firstwali firstwaala prathom protham pailem pailea poilem auwal
shurur shurute""".split()
SECOND = """dusra dusri dusre doosra doosri doosre dwitiya dvitiya ditiyo dwitiyo dwitio ditio
dusrya dosro dosra rendo biju bijo biji bija bijji dooja dooji dooje duja duji duje rendavadhu
irandavadhu randavadhu rendaavadhu irandaavadhu rendava rendavadi rendodi eradane eradaneya yeradane
yeradaneya erdne randaamathe randamathe rendaamathe randamatthe dwitiyata dosar dosri dosaro dujo
dujja dujji doojo doojaa dusru dusro biyon biyo doyam doyem doyum dusara doosara dusari doosari
dusraa doosraa dusrawala dusrewala dusriwali doosrawala secondwala secondwali dusrem beeju beejo
bijoo bijun dujaa doojee biyun doyim dosarka dosarki dusar dusarka dusarki dusarwa rendodhi
rendovadi rendovadhi erdane yerdane raddane irandaam irandam""".split()
THIRD = """teesra teesri teesre tisra tisri tisre tritiya trutiya tritiyo tritio tisrya trijo triju
triji trija tesro tesra moodo teeja teeji teeje tija tiji tije moonavadhu munavadhu moondravadhu
moonaavadhu moodava moodavadi mudava moododi mooraneya moorane muraneya moranedu mooranedu
moonnaamathe munnamathe moonamathe moonnamathe trutiyata tesar tesri tesaro tijo tijja tijji teejo
teejaa trijja tisru tisro tiyon tiyo soyam treyim tisara teesara tisraa teesraa tisrawala teesrawala
tisriwali thirdwala thirdwali tisrem treeju treejo trijun tijaa tiyun treyum treyem tesarka tesarki
tisar tisarka tisarwa moodovadi moornedu moorne moojane mujane moondraam moondram
moonraam""".split()
LAST = """aakhri akhri aakhiri aakhari antim shesh shesher seshata sheshata seshara kadaisi
kadaisiya kadasi chivari chivaridi chivarlo shevatcha shevatchi shevatchya shewatcha chhellu chellu
chhelo chhelli chhela chhello koneya konedu koneyadu avasaanathe avasanathe avasaanam antimata
nimano nimani nimanem xexor xeshor xesor sheshor akhree lastwala lastwali lastwaala akheer
aakheer sesher seshta seshtar seshti sekhor chelo chhelu pachhillo pachillo kadeisi
civari
pachhla pachhli pachhle""".split()
MIDDLE = """beech bich darmiyan darmiyaan darmiyani madhya majher majhkhaner majhkhane majhi majhire
majhira madhla madhli madhala madhlya vachhe vacche vachalu vachlu vachhlu vichkar vichkaar vichla
vichli vichale naduvula naduvil naduvile naduvulla nadula madhyalo naduma naduve naduvina naduvinadu
naduvilathe nadukkathe beechwala bichwala beechwali bichwali bichla beechla beechli bichli
bichlawala darmian darmyan darmiyaani maajher majot maajot madhle madhalya madhali vachche vachalo
vachlo vachali vichaale vichle vichlaa bichko beechko bichma beechma bichlo beechlo bichalo manjhla
majhla manjhli nadulathu madhyathe middlewala middlewali
bichle""".split()
# Stems that take a suffix ("randamathathu", "modalaneyadu", "sesha jinisa", "aakhir wala",
# "prothomkhon": Assamese, the first one): these languages join endings to the word, so a place is
# read by how its word begins.
FIRST_STEMS = """pratham prothom modala modalne aadyath adyath onnaamath onnamath awwal avval
prathom protham mudhalav mudalav muthalav onnaav onnav modat modhat""".split()
SECOND_STEMS = """dwitiy dvitiy ditiy randaam randam rendaam eradan yeradan irandaav irandav rendav
rendaav randav randaav irendav erandav irandaam irandam""".split()
THIRD_STEMS = """tritiy trutiy moonnaam moonnam moonaam moonam munnam mooran moonav moonaav moodav
tisry moondrav moondraav moonrav munav munaav mudav moondraam moondram moonraam muran""".split()
LAST_STEMS = """aakhir akhir aakhr sesha shesh avasaan avasan kadais chivar shevat shewat chhell
xekh kadas oduvil koney akheer aakheer shevt xexor chhevat chhevt""".split()
MIDDLE_STEMS = """naduv madhyal majhkhan maajhkhan vichkaa vichk vachh majher nadukk madhyad
naduma""".split()
# "counting from below" ("talaru gonile": Odia; "khalun": Marathi; "tala bata": Nepali). Not
# "last se" or "aakhir se": "last se pehle" is the one before the last, not the last.
FROM_BELOW = """talaru|talu|tala ru|khalun|khaalun|nich theke|niche theke|nichethi|niche thi|
thallon|thalle ton|keezhirundhu|keezhe irundhu|kinda nunchi|kelaginda|thazhe ninnu|thazhenninnu|
neeche se|niche se|from below|last se ginke|last se gin ke|last se ginne par|end se ginke|
aakhir se ginke|peeche se ginke|nichhe se|neechay se|neeche say|niche say|neeche ton|heth ton|
hethon|neeche thi|chhellethi|chhella thi|shevatun|shevtun|shevatpasun|khalpasun|sesh theke|
shesh theke|pichon theke|tolor pora|tolor para|xexor pora|sheshor pora|sesharu|shesharu|tala bata|
talabata|pachhadi bata|antim bata|niche su|neeche su|niche sa|neeche sa|keezha irundhu|keezhirundu|
kizhirundhu|kadaisiyilirundhu|kadaisila irundhu|kindha nunchi|chivari nunchi|kinda nundi|
chivari nundi|kelagininda|koneyinda|thaazhe ninnu|avasanam ninnu|adiyil ninnu|
bottom se""".replace("\n", "").split("|")
# numbers said with "number" ("tini number": Odia, number three; "randu": Malayalam, two;
# "raddu": Tulu, two)
NUMBERS = {"dui": 2, "tini": 3, "tran": 3, "onnu": 1, "rendu": 2, "randu": 2, "moonu": 3,
           "moonnu": 3, "ondu": 1, "eradu": 2, "mooru": 3, "okati": 1, "moodu": 3, "okkati": 1,
           "irandu": 2, "erandu": 2, "moondru": 3, "moonru": 3, "yeradu": 2, "onji": 1,
           "raddu": 2, "mooji": 3}  # fmt: skip
# "which (one)" ("kawan": Bhojpuri; "kunchahi": Nepali; "khoincho": Konkani; "kisyo": Marwari)
WHICH = """kaunsa konsa kaunsi konsi kaunse konse konta konti konto kontla kontli kontya kuthla
kuthli kayu kaiyu kayo kehda kehdi kihda kihdi kehde kedha kedhi edhu yedhu endha ethu edha edhai
yedha yedi edi edhi kunto kuntu kun kone yavudu yaavudu yavdu yaava ethaanu ethanu kouta kaunta
kouti konata kon konu kaunu kunsa kunsi kunso kunse kehro kehri kehra konsu kaunsu kisdi kisda
konchi kontu kaunsaa konsaa kounsa kounsi kounse kaunsey konsey kontar kongulo konguli kunkhon
konkhon kauti kaunti konte kontle kuthle kuthlya khoincho khoinchem khoinchi kayun kaiyun kihra
kihri kedda kunchahi kunchai kawan kavan kawna kaunwa kawanwa kisyo kaunso konso yendha yethu yedhi
yavadu yaavdu yaavadu yavudhu yaavudhu ethokke vovu
khuinchem khuinchi khuinchen kis""".split()
# "in these", "of these" ("idralli": Kannada; "ithil": Malayalam; "egulor modhe": Bengali;
# "eiborot": Assamese; "yinmadhye": Nepali; "ehme": Bhojpuri)
THESE = """isme inme inmein inmese idralli ivugalalli ithil ithilu ivayil ivattil idhula idhil
ithula ivatula vitilo veetilo veetillo deentlo egulor egulo eigulor aamathi aama ehnaan inhaan inhan
yaat hyaat yatla ethire ethiru ethimadhyaru hinan inaa inan moonnil ehna ehnan tiinu teenu tiin
ismein inmain inmen inmeinse inmesay eigulo egulote eigulote ogulor oigulor eibor eiborot eiborar
eibilak eibilakor eikeita eikeitat egudika egudikare egudikaru ehigudika yapaiki hyapaiki yatil
hyatil hyatla aamaathi amathi aamanthi enhaan enhan yiman yesma yinma yiniharu yiniharuma yinmadhye
ehme ehmein ehmaa inmaa ivatrula ivattula ivaigalil vitillo veetlo vitlo deenilo idaralli ivugalu
ithile ithilninnu ivayilninnu
tinantlem rendintlo""".split()
# "is it to be had here", said after the thing asked for ("dhoti ahiya madse?": Gujarati, will
# I get a dhoti here; "tyre idya nimmalli?": Kannada; "kittumo": Malayalam; "paincha?": Nepali)
AVAILABLE = """ahiya ahinya madse malse male malshe joie joiye che chhe idya ideya idheya idiya
nimmalli nimma hattira miliba milibo milba milibaki paoa pawa jabe pabo paben milel miltil milto
milte milsi milse milasi uplabdh upalabdh uplabd kai sa kidaikuma kidaikum kidaikkuma kidaikkum
irukka irukkaa dorukutunda dorukuthundi dorukuthada unda undaa kittumo kittum undo labhyamano milda
mildi milju yahan yaha kahin kahi dekhun dekhu milega milegi milenge milenga dastiyab dastyab
maujood mojood maujud mojud paowa paoya paba uplobdho upolobdho upalabdha uplabdha miluchi milnar
miltay milelka mellta mellot madshe malase ahiyan miljau milooga milando milandi paincha painchha
painxa paaincha pauncha paunchha paunxa bhetat milela milat milihai milego milhi kedaikuma
kedaikkuma kedaikum kedaikkum irukkuma irukuma iruka kidaikudha kidaikkudha kidaikuthu dorukuthunda
dorukutundi dorukutada dorakuthunda dorakutunda unnaya unnada undha sigutta sigutte sigatta sigatte
sigtade kittuvo kittumoo undavumo undaavumo labhikkumo labhyamaano""".split()
# the price asked ("dam koto": Bengali, what does it cost; "kathga": Garhwali, how much)
PRICE = """keemat kimat qeemat daam kimmat kimmath bhav ketla ketlo ketli kinne mull mol rooba roopa
koto kato evlo evvalavu vilai entha enta dhara eshtu estu ethra ethrayaa ethraya rakam mulya moolya
daamu kate keemath keemt qimat bhaav bhaw kitneka kitneki kitnekaa kitnaka kitnemein kitneme damta
daamta mullo mulyo kiman kimaan kete kitila kitlyak ketlama ketlaama ketlano ketlanu kinneda kinnedi
kitre katiko katima katek ketnaka kitro kathga katuk kattek evvalo evalo yevlo evalavu yevvalavu
evlavu vilaiyenna yeshtu yestu eshtagutte estagutte eshtagatte estagatte ethrayanu ethrayaanu
ethraa""".split()
# cheap, cheapest ("sauthi sastu": Gujarati, the cheapest; "songhu": Gujarati; "xostia":
# Assamese). Read as stems: "kuraivana" reads "kuraivanathu".
CHEAP = """sasta sasti saste sastu sasto sastho ghatt sosta shosta swasta swast svasta thakkuva
takkuva chavaka kammi kuranj kurav malivu malivana bachat kifayati kifaayati kifayti arzan arzaan
soshta komdami kamdami kamdaam xosta xostia sostia swost songhu songhi songha songho maliva
malivaana kuraivana kuraindha kuraivaana kurainja vilaikuraivu chowka chouka chavuka vilakuranja
vilakkuranja vilakuravu""".split()  # stems: "vila kuranjathu" (the lowest price)
# "the most" before a quality ("sauthi sastu": Gujarati, the cheapest; "ettavum": Malayalam;
# "sabbhanda": Nepali; "annitikante": Telugu)
MOST = """sabse sobcheye shobcheye sobchaite sauthi sauthee sabton sabh sarvat sarvaat sarvaath
romba rombha ellakkum ettavum sabutharu tharu chaala vadhare vadhu adhigam adhikam sabsey sabsay
sabase sabhse sabsy sbse shobchaite sobtheke shobtheke sobchey shobchey xobatkoi sobatkoi xobatoke
sobatoke saglyat sagalyat saglyaat sauthy sabhton sabtoh sabtoon sabhto sabbhanda sabbanda
sabaibhanda sabaivanda sabvanda sabhanda sabsu saglasu sabte sabtai migavum annikante annitikante
annitikanna annikanna ellakkinta ellakkintha ellakinta ellakintha tumba""".split()
# the rating asked ("kiti rating": the rating words are English, the numbers are not;
# "tabsara": Urdu, review; "nakshatram": Malayalam, stars)
RATING = """taareef tareef reviews rating ratings sitaara sitara sitare sitaare taare reating
raiting samiksha sameeksha mulyankan moolyankan nakshatram natchathiram nakshatralu tabsara tabsare
reting retings rateing raitings reatings rivyu rivew reveiw reviw taarey sitaarey sitarey
madhippeedu mathippeedu vimarshe
darja""".split()
# the maker asked ("kis company ka": which company's; "niruvanam": Tamil, company)
BRAND = """kampani kampni company thappa kaarkhana karkhana banaunihar nirmata nirmaata utpadak
kompani kompany kumpani kumpany kampany maarka prostutkarok utpaadak banavnara banavnar niruvanam
thayarippalar kampeni kambeni samstha tayaridaaru tayaridaru samsthe tayaraka utpadaka kambani
nirmathavu""".split()
# "my" before an order ("amar order": Bengali, my order; "muhinjo": Sindhi; "mhojem": Konkani;
# "apun ka order": Bambaiya)
MY = """mera meri mere maza majha mazha maro mara mari amar amaar mo mora moro saada sada ente ende
ennoda enoda naa nanna hamara hamari hamar hamra hamro mhaara mhara mharo mhari meraa hamare hamaar
hamaara hamaari humara humari humare meray mairay hamaray aamar amader aamader amara aamara mazhi
maazhi amcha aamcha amchi aamchi apna apni apne apun apunka mhojem mhojo mhozo mhoji maaro maara
maari amaro maru maaru mujo sadda saadda saade muhinjo muhinji muhanjo munhjo asanjo myon myani mero
hammar mhaaro mhaari mhanro myaru myar ennudaya ennudaiya engaloda namma nammoda entey endey nammude
njangalude""".split()
# "tell me more" ("konjam sollunga": Tamil, tell a little; "bhannus": Nepali; "kuhantu": Odia)
MORE = """sollunga sollu cheppandi cheppu heli helu parayu parayoo batavo janao bolun sangaa sanga
bolben janaben kowa kowok kuhantu kahantu saanga sangal sangshil janavo jannavo kahejo kehjo dasseyo
daseyo dasiyo budhayo budhaayo bhannus bhanus bhannuhos bataunus batawa solunga sollunge sollungo
solunka sollungal chepandi cheppava cheppagalara cheppagalaru helri panle""".split()

# "can", "will it", "is it possible" ("ho jauga?": Punjabi, will it go; "pattumo": Malayalam,
# can it; "sakincha": Nepali; "mumkin": Urdu) and "how" ("kevi rite": Gujarati; "kyukar":
# Haryanvi; "kenekoi": Assamese). Hindi's "hoga" and "sakta" are not here: the rules
# read them in context ("kitna pay karna hoga" asks a price, not a rule).
POSSIBLE = """jauga jaauga jaugi hovega shakay shakun shakto shakte yeil hobe jabe parbo parben
mudiyuma mudiyum aguma avutunda cheyochha cheyyocha pattumo kazhiyumo agutta aagutta maattamo
cheyyamo tharamo aakamo padiba padibo lagbe lagel lagnar padse mumkin mumkeen munkin sambhav sambhaw
sombhob shombhob sambhab sambhava parbe jaabe hobey paribo pariba paribone hobne paribe paribi
hebaki paribaki hoil hoel shakal shakel zatlem shaksho shakshe shakse thashe thase sakay thindo
hojauga hoju hovegi milcha milchha milxa sakincha sakinchha sakinxa huncha hunchha hunxa hetai
sakela hosi hojyaga hojyagi hohi mudiyumaa aaguma aagumaa pannalama pannalaama mudiyaadha mudiyatha
avuthunda avtunda avthunda avuthundaa cheyyochaa cheyocha cheyyagalara cheyagalara kudurutunda
kuduruthunda veelavutunda veelavuthunda aagatte aagutte agatte agutte maadbahuda madbahuda saadhyana
sadhyana saadhyava sadhyava pattuvo kazhiyuvo saadhikkumo sadhikkumo nadakkumo cheyyaamo cheyyumo
aavumo""".split()
HOW = """kaise kevi kem kivein kiven hegey hege eppadi ela engane kemiti kibhabe kibhave kaisey
kaisay kese kayse kistarah kivabe kibabe kemne kenekoi kenekui keneke kemti kasa kase koxem kashem
kevirite kairite kiyen kiwein kiwen kive kasari kasri kaisan kiyaan kinyan kyukar kyonkar kiukar
kankwe kaisne eppidi epdi yeppadi yepdi elaa yela yelaa etla etlaa enganeya enganey encha
yencha""".split()
# changing or sending back, asked of an order ("bodlano jabe?": Bengali, can it be changed;
# "maathanum": Tamil, want to change; "rukwa": Hindi, have it stopped; "tabdeel": Urdu)
CHANGE = """bodlano bodlate bodle badalna badalwa badli maathanum maathalaam maattan maattam
marchali marchandi badlava rukwa rukwana rukwao ferat badal badalne badlu badle badlna badlo badliye
badalwana badalwao badalvana parivartan tabdeel tabdil tabdili tabdeeli bodlabo bodlaben bodlan
bodol poriborton paribartan badalei badalaiba badaliba badalun badlun badlaycha bodlunk bodlun
badlavu badalvu badlavo badlai badalni badlni phernu pherna pherne pherdinus maathunga maathalama
maathanuma maatralaam maatrunga marchocha marchochha marchagalara marpu maarpu badalisi badlisi
badalayisi badalaavane maattanam maattaan chenj chenge""".split()
# "why" (English too, so one alternation serves; "kaiko": Bambaiya; "kiteak": Konkani; "kyazi":
# Kashmiri) and "for me" ("mo pain kahinki": Odia, why for me; "enikku enthinaanu": Malayalam;
# "mero lagi": Nepali)
WHY = """why kyun kyon kyu kaahe kahe keno kano kahinki kainki enthinu enthinaanu enthina enthinanu
yaake yake enduku endhuku yedhuku edhukku kiyun kyoon kyoun kiyon kaiko kaiku kayko kayku kisliye
kislie kyano kyeno kelei kiyo kahiki kahingki kashala kasala kashyasathi kashasathi kiteak kityak
shukam shukaam shumate kiun kahton kaahton kahnu kaahnu kyazi kyaazi kiaek kiaik kiyaik kaahen kilai
kile kaabar yedhukku edhuku ethukku ethuku yenduku yendhuku yaakey yakey enthukondu endukondu
enthinaa dayegu daayegu cedak chedak""".split()
FOR_ME = """mere liye|mere layi|mere vaste|amar jonno|aamar jonno|maara maate|mara mate|
majhya sathi|enakku|enikku|naaku|nanage|mo pain|mo paain|mere lie|mere lye|mere waste|mere vaaste|
mere waaste|meray liye|mairay liye|hamare liye|humare liye|apne liye|amar jonne|aamar jonne|
amar jonyo|mor babe|mur babe|mo pai|mazya sathi|mazhya sathi|majhyasathi|mazyasathi|majhya saathi|
mhaka|mhojea khatir|maara mate|mara maate|mare mate|maare mate|mere lai|mere laee|mainu|muhinje lai|
muhinje laai|me khaatre|me khatre|mero lagi|mero laagi|hamra lel|hamara lel|hamra khatir|
hamre khatir|hamre liye|hamra lagi|mhare waste|mhare vaaste|mhare khatir|mere khatir|mere tai|
mere taai|myar liji|mor khatir|mor bar|enaku|enakkaga|enakaga|yenakku|yenaku|naku|naa kosam|
naakosam|nange|nanagagi|nangagi|enikk|enik|enikkayi|enikkaayi|
ing lagit""".replace("\n", "").split("|")
# "tell me more" and "details" in more words ("vishe vadhu mahiti": Gujarati, more about;
# "tafseel": Urdu; "biboron": Bengali; "vigat": Gujarati)
MORE_STEMS = """paray dasso dass mahiti vivaram vivar kooduthal innashtu jaankari jankari jaankaari
tafseel tafsil maloomat maaloomat malumat vistaar vistar vivran bibaran biboron bistarit bistaarit
bixod tapshil vigat vishadam maahiti innastu marinni marinta""".split()
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
