#!/usr/bin/env python3
"""Writes Sources/Segmentation/Resources/verso.srx, Verso's built-in SRX 2.0 rules.

The SRX file is what Verso loads (and what anyone can read or reuse in another SRX tool); this
script is where it is written from, because many rules share long lists (the words that start a
sentence in each language, abbreviations) and the list rules pair every item marker with the next
one (1. → 2., a) → b), ii → iii). Edit the lists and rules below, then run:

    python3 scripts/segmentation/verso_srx.py            # rewrites verso.srx
    python3 scripts/segmentation/verso_srx.py --check    # exit 1 if verso.srx differs

SegmentationTests runs the check, so the two cannot drift apart. Patterns are ICU regular
expressions written as Python raw strings; rule() escapes them for XML.
"""
import os
import re
import sys

out = []


def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def rule(brk, before, after, comment=None):
    """One <rule>: break (True) or no-break (False), with its patterns and a comment."""
    if comment:
        out.append('<!-- ' + comment.replace('--', '- -') + ' -->')
    parts = ['<rule break="%s">' % ('yes' if brk else 'no')]
    if before:
        parts.append('<beforebreak>%s</beforebreak>' % esc(before))
    if after:
        parts.append('<afterbreak>%s</afterbreak>' % esc(after))
    parts.append('</rule>')
    out.append(''.join(parts))


def begin(name, comment):
    out.append('<languagerule languagerulename="%s">' % name)
    out.append('<!-- %s -->' % comment.replace('--', '- -'))


def end():
    out.append('</languagerule>')

WS = r'[\s]'
OPEN = r'["“‘\'«„‚‹¿¡(\[]*+'
TERM = r'.!?…‼⁇⁈⁉‽؟۔'
# attached closers after terminal punctuation
CLOSE = r'"\'“”‘’«»„‹›)\]}」』）】〕〉》'
# Closing quotes and brackets only (no « „ “ ‘ ‹, which open a quotation in some languages).
CLOSE_ONLY = r'"\'”’»›)\]}'

def starters(words):
    groups = {}
    for w in dict.fromkeys(words):
        groups.setdefault(w[0], []).append(w[1:])
    parts = []
    for c in sorted(groups):
        rests = sorted(groups[c], key=lambda r: (-len(r), r))
        if rests == ['']:
            parts.append(c)
        else:
            parts.append(c + '(?:' + '|'.join(rests) + ')')
    return '(?:' + '|'.join(parts) + r')(?=[\s,\'’])'

DA_WORDS = "Af Alle Da De Dem Den Der Derfor Det Du Efter Eller En Et Fra Han Hun Hvad Hvem Hvis Hvor Hvordan Hvorfor Hvornår I Jeg Men Med Mens Min Mit Når Nu Og Om Op På Så Som Til Vi Ved".split()
EN_WORDS = ("A After Also An And Another Any As At Because Before Being Both But By Can Could Did Do Does During Each Even Every Finally First For From Had Has Have He Her Here His How However I If In Instead It Its Just Let Many Meanwhile Millions More Most My Neither Never No Nor Not Now Of On Once One Only Or Other Our Perhaps She Since So Some Still Such That The Their Then There These They This Those Though Thus To Today Under Unlike Until We What When Where Whether Which While Who Why With Without Yet You Your Two Three Four Five Six Seven Eight Nine Ten Hundreds Thousands Dozens Several Few".split())
# English only (Danish, which quotes English, keeps EN_WORDS): more words that start a sentence
# after an abbreviation, an initial or an acronym ("in the U.S. Nobody", "& Co. Yesterday").
EN_WORDS_MORE = ("About According Additionally Afterwards Again Against All Although Among Anyone Anything Are "
                 "Around Besides Between Consequently Despite Due Earlier Either Everybody Everyone Everything "
                 "Following Furthermore Given Hence Indeed Is Last Later Moreover Nearly Nevertheless Next "
                 "Nobody Nonetheless None Nothing Otherwise Overall Please Similarly Someone Something "
                 "Sometimes Tomorrow Unfortunately Was Were Whatever Whereas Yes Yesterday").split()
EN_ST = starters(EN_WORDS + EN_WORDS_MORE)
DA_ST = starters(sorted(set(DA_WORDS + EN_WORDS)))
FR_WORDS = ("À A Au Aux Ainsi Alors Après Aujourd Aucun Aucune Avant Avec C Ce Ceci Cela Celle Celui Cependant Certains Certaines Ces Cet Cette Chaque Comme Comment D Dans De Depuis Des Donc Du Elle Elles En Enfin Ensuite Entre Et Il Ils J Je L La Le Les Leur Leurs Lors Lorsque Mais Malgré Même N Ni Nous On Or Où Par Parmi Pendant Plus Pour Pourquoi Pourtant Puis Qu Quand Que Quel Quelle Quelles Quels Qui Rien S Sa Sans Se Selon Ses Si Son Sous Sur Toutefois Tous Tout Toute Toutes Un Une Voici Voilà Vous Deux Trois Quatre Cinq Six Sept Huit Neuf Dix Vingt Cent Mille Plusieurs Beaucoup Chacun".split())
# More words that start a French sentence after an abbreviation, an initial or an acronym
# ("aux É.-U. Notre allié", "etc. Désormais").
FR_WORDS_MORE = ("Aussi Bien Bref Ça Ceux Celles Certes Contrairement Déjà Demain Désormais Dès Encore Est Eux "
                 "Face Grâce Hier Ici Jamais Jusqu Là Lorsqu Lui Ma Mes Moi Mon Néanmoins Non Nos Notre "
                 "Notamment Oui Outre Parfois Personne Peu Puisque Puisqu Quant Quoi Sauf Seul Seule Seuls "
                 "Sinon Soit Souvent Surtout Tandis Tant Ta Tes Toi Ton Très Trop Vers Vos Votre Y").split()
FR_ST = starters(FR_WORDS + FR_WORDS_MORE)
DE_ST = starters("Aber Alle Als Am An Auch Auf Aus Bei Bis Da Damit Dann Das Dass Dazu Dem Den Denn Der Des Deshalb Die Dies Diese Dieser Dieses Doch Dort Du Durch Ein Eine Einer Er Es Für Heute Hier Ich Ihr Im In Ja Jedoch Jetzt Kein Keine Man Mit Nach Nein Nicht Noch Nun Ob Obwohl Oder So Sie Seit Trotz Um Und Unter Vom Von Vor Wann Warum Was Weil Wenn Wer Wie Wir Wo Während Zu Zum Zur".split())
SV_ST = starters("Alla Att Av De Dem Den Det Du Efter Eller En Ett För Han Hon Hur Här I Jag Men Med När Nu Och Om På Så Som Till Vad Var Vem Vi Varför".split())
NO_ST = starters("Alle At Av De Dem Den Der Det Du Eller En Et Etter For Fra Han Hun Hva Hvem Hvis Hvor Hvordan Hvorfor I Jeg Men Med Når Nå Og Om På Så Som Til Vi".split())
NL_ST = starters("Aan Al Alle Als Bij Dan Dat De Deze Die Dit Door Een En Er Het Hij Hier Hoe Ik In Is Je Maar Met Na Naar Niet Nog Nu Of Om Omdat Ook Op Over Tot Uit Van Veel Voor Waar Wanneer Wat We Wie Wij Zij Ze Zo".split())
ES_ST = starters("A Al Ante Así Aunque Bajo Cada Como Con Cuando Cómo Cuál Cuándo De Del Desde Después Durante El Ella Ellas Ellos En Entre Es Esa Ese Eso Esta Este Esto Estos Estas Gracias Hay La Las Le Les Lo Los Mi Mientras Muy Ni No Nos Nosotros Nuestra Nuestro O Para Pero Por Porque Pues Que Qué Quien Quién Se Según Si Sin Sobre Su Sus También Tras Tu Un Una Uno Unos Unas Usted Y Ya Yo".split())
IT_ST = starters("A Ad Al Alla Alle Allora Anche Che Chi Ci Come Con Così Da Dal Dalla Del Della Di Dopo Dove E Ecco Egli Ella Era Gli Grazie I Il In Io La Le Lei Li Lo Lui Ma Mi Molti Nel Nella Nei Noi Non O Oggi Ogni Per Perché Però Poi Quando Quel Quella Quello Questa Questo Se Si Sono Su Sul Tra Tu Tutti Un Una Uno Voi".split())
PT_ST = starters("A Ao Aos As Com Como Da Das De Depois Do Dos E Ela Elas Ele Eles Em Era Essa Esse Esta Este Eu Isso Isto Já Mas Muito Na Nas No Nos Nós Não O Os Para Pela Pelo Por Porque Quando Que Se Sem Sua Seu Também Um Uma Você".split())
RU_ST = starters("А Без В Во Вот Все Всё Вы Да Для До Если Есть Же За И Из Или Им Их К Как Когда Кто Мы На Нам Нас Не Нет Но Ну О Об Он Она Они Оно От По Под После При С Так Там То Только У Уже Что Это Эта Этот Я".split())
UK_ST = starters("А Але В Від Він Вона Вони Все Ви Для До Це Цей Ця Коли Хто Що Як Ми На Не Ні Але Або Та І Й З Із Я Ти Там Тут Так Після Під При".split())
PL_ST = starters("A Ale Bo Był Była Było Co Czy Dla Do I Ich Ja Jak Jednak Jego Jej Już Kiedy Kto Na Nie Nigdy O Od Oni Ona On Po Pod Przez Przy Się Są Tak Także Tam Ten Ta To Ty W We Z Za Że".split())
CS_ST = starters("A Ale Ani Byl Byla Bylo Co Další Do I Já Jak Jako Je Jejich Jeho Její Již Když Kdo Na Ne Nebo O Od On Ona Oni Po Pokud Potom Pro Proto Při S Se Tak Také Tam Ten Tento To Tato V Ve Však Z Za Že".split())
SK_ST = starters("A Ale Ani Bol Bola Bolo Čo Do I Ja Ako Je Ich Jeho Jej Už Keď Kto Na Nie Alebo O Od On Ona Oni Po Potom Pre Preto Pri S So Tak Tiež Tam Ten Toto To Tá V Vo Však Z Za Že".split())
RO_ST = starters("A Acest Această Acum Apoi Aici Ca Care Cu Că Când Cum Dar De Deci Din După El Ea Ei Ele Eu Iar Iată În La Mai Nu Noi O Pe Pentru Prin Sau Se Și Un Una Unde Voi".split())
EL_ST = starters("Ο Η Το Οι Τα Τις Τους Την Τον Του Της Των Ένα Μια Και Αλλά Όμως Αυτό Αυτή Αυτός Εμείς Εγώ Εσύ Εκεί Εδώ Σε Στο Στη Στην Στον Από Για Με Μετά Πριν Όταν Αν Δεν".split())
FI_ST = starters("He Hän Ja Jos Kun Me Minä Mutta Myös Ne Niin Nyt Se Sen Sitten Sinä Tämä Te Tällä Vaikka".split())
HU_ST = starters("A Az Azt Azonban De Egy És Ez Ezt Ha Hogy Is Itt Ki Mi Mert Meg Nem Ő Ők Ott Pedig Sőt Tehát Most Már".split())
TR_ST = starters("Ama Ancak Ben Bir Bu Bunu Çünkü Da De Daha En Fakat Her Hem İle Ve Ya Şu Sen Siz Biz Onlar O Ne Nasıl Neden".split())
CA_ST = starters("A Al Als Amb Així Aquest Aquesta Com Però De Del Des Després El Ell Ella Els En Entre Es Hi I Jo La Les Li Mentre Na No Per Perquè Quan Que Qui Se Si Sobre Un Una".split())

def after_unless(st):
    # whitespace, optional openers, then anything that is not a sentence starter
    return r'\s++' + OPEN + r'(?!' + st + r')'

NOT_ALNUM_BEFORE = r'(?<![\p{L}\p{N}\p{M}°º])'

# ---------------------------------------------------------------------------
begin('Lines', 'Line structure, for every language: a blank line or a hard line break ends a sentence; a line that wraps mid-sentence (ending with a space, the next one not a list item) does not.')
rule(False, r'[\n\r\u2028\u0085]', r'[ \t]*+[.!?,;:…)\]]', 'A line that starts with punctuation continues the previous one.')
rule(False, r'[^\s:][ \t]++(?:\r?\n|\r)', r'(?![ \t\u3000]|[•◦▪‣⁃·*\-–—]|[0-9]{1,3}[.)）]|\(?[\p{L}][.)][ \t]|\(?[ivxIVX]{1,5}[.)][ \t]|$)',
     'Soft wrap: the line ends with a space (not after a colon) and the next line is not indented and starts no list item.')
rule(True, r'\r?\n|\r(?!\n)|[\u2028\u2029\u0085]', None, 'Any other line break ends a sentence (lists, headings, addresses, one sentence per line).')
end()

# ---------------------------------------------------------------------------
begin('CJK', 'Chinese and Japanese: sentences end with 。！？ without a following space; nothing inside brackets or quotes 「」（）《》 breaks.')
rule(True, r'[\p{Han}\p{Hiragana}\p{Katakana}\u3000-\u303F\uFF00-\uFFEF][ \t\u3000]*+\r?\n', None, 'A line ending in CJK text ends a sentence (CJK text is not wrapped with spaces).')
end()

# ---------------------------------------------------------------------------
PUNCT = r'(?:\.\)?|[)）])'
BULLET = r'[•◦▪‣⁃·*–—\-]'
MARKER_BODY = r'(?:[0-9]{1,2}|\p{L}|[ivxlcIVXLC]{1,5})'
letters = 'abcdefghijklmnopqrstuvwxyz'
romans = ['i','ii','iii','iv','v','vi','vii','viii','ix','x']
PAIRS = [(str(n), str(n+1), True) for n in range(1, 30)]
PAIRS += [(a, b, False) for a, b in zip(letters, letters[1:])]
PAIRS += [(a + r'(?=\))', b + r'(?=\))', False) for a, b in zip(letters.upper(), letters.upper()[1:])]
PAIRS += [(a, b, False) for a, b in zip(romans, romans[1:])]
# A list item marker stands at the start, after a space, a bullet or an opening parenthesis
# ("AS750-10." is no marker).
MARKER_BEFORE = r'(?<![^\s•◦▪‣⁃·(])'
def marker(m):
    return MARKER_BEFORE + r'\(?' + m + PUNCT
# Break before the next item: the match starts at the punctuation of the previous marker and runs
# lazily to the space before the next one.
LIST_BREAK_ALTS = []
for a, b, numeric in PAIRS:
    follow = r'[ \t]++["“(]*+[\p{Lu}\p{N}]' if numeric else r'[ \t]'
    # The look-ahead comes before the look-behind: both test the same position, so the order
    # does not change what matches, and the look-ahead fails at once on most characters (ICU
    # tries both at every step of the lazy loop; a look-behind costs more to set up).
    LIST_BREAK_ALTS.append(r'(?<=' + marker(a) + r')[ \t][^\n]{0,250}?(?=[ \t](?:' + BULLET + r'[ \t]?)?\(?' + b + PUNCT + follow + r')(?<![•◦▪‣⁃·*–—\-])')
LIST_BODY = r'(?:[0-9]{1,2}|[a-z]|[ivx]{1,4}|[A-Z](?=\)))'
LIST_GUARD = r'(?<=' + MARKER_BEFORE + r'(?:[0-9]{1,2}|[a-z]|[ivx]{1,4})\.|[0-9a-zA-Z]\.?\))'
LIST_BREAK = r'[.)）]' + LIST_GUARD + r'\)?(?:' + '|'.join(LIST_BREAK_ALTS) + ')'
# No break after an item marker that follows the previous one ("item 2. The second").
NUM_ALTS = []
for n in range(2, 31):
    NUM_ALTS.append(r'(?<=(?<![\p{L}\p{N}])%d(?:\.\)?|\)))(?<=' % n + MARKER_BEFORE + r'%d(?:\.\)?|[)）])[^\n]{1,300})' % (n - 1))
LIST_AFTER_NUMBER = r'\.(?<=\s[0-9]{1,2}\.)(?:' + '|'.join(NUM_ALTS) + ')'
LIST_AFTER_NUMBER_PAREN = r'\)(?<=\s[0-9]{1,2}\.?\))(?:' + '|'.join(NUM_ALTS) + ')'
LETTER_ALTS = []
for a, b in zip(letters, letters[1:]):
    LETTER_ALTS.append(r'(?<=%s\.\)?|%s\))(?<=' % (b, b) + MARKER_BEFORE + r'\(?%s(?:\.\)?|\))[^\n]{1,300})' % a)
LIST_AFTER_LETTER = r'\.(?<=[ \t•◦▪‣⁃·][a-z]\.)(?:' + '|'.join(LETTER_ALTS) + ')'
LIST_AFTER_LETTER_PAREN = r'\)(?<=[ \t•◦▪‣⁃·]\(?[a-z]\.?\))(?:' + '|'.join(LETTER_ALTS) + ')'
# Where a list item marker stands: at the start of a paragraph or line, after a bullet, after
# "?", "!", ":" or ";" — or after a sentence that ends with a period, but then only when the next
# item marker follows in the same paragraph ("Finally, this. 1. The first item 2. The second").
CTX_START = r'(?:^|[\n•◦▪‣⁃·]|(?:^|\s)[*–—\-]|[!?:;]["”’»)]?[ \t])[ \t]{0,3}(?:' + BULLET + r'[ \t]{0,2})?\(?'
CTX_PERIOD = r'\p{L}{2}[.…]["”’»)]?[ \t]{1,3}\(?'
MARKER_START_LETTER = r'\.(?<=(?<![\p{L}\p{N}])\p{L}\.)(?<=' + CTX_START + r'\p{L}\.)'
MARKER_START_NUMBER = r'\.(?<=(?<![\p{L}\p{N}])[0-9]{1,2}\.)(?<=' + CTX_START + r'[0-9]{1,2}\.)'
MARKER_START_ROMAN = r'\.(?<=(?<![\p{L}\p{N}])[ivxlcIVXLC]{2,5}\.)(?<=' + CTX_START + r'[ivxlcIVXLC]{2,5}\.)'
MARKER_START_PAREN = r'[)）](?<=(?<![\p{L}\p{N}])\(?' + MARKER_BODY + r'\.?[)）])(?<=' + CTX_START + MARKER_BODY + r'\.?[)）])'
MARKER_PERIOD_NUMBER = r'\.(?<=(?<![\p{L}\p{N}])[0-9]{1,2}\.)(?<=' + CTX_PERIOD + r'[0-9]{1,2}\.)'
MARKER_PERIOD_LETTER = r'[.)](?<=(?<![\p{L}\p{N}])[a-z]\.?\)?)(?<=' + CTX_PERIOD + r'[a-z]\.?\)?)'
NEXT_NUMBER = r'(?:' + '|'.join(r'(?<=(?<![0-9])%d\.)\s[^\n]{0,300}?\s(?:' % n + BULLET + r'\s?)?%d[.)]' % (n + 1) for n in range(1, 30)) + ')'
NEXT_LETTER = r'(?:' + '|'.join(r'(?<=(?<!\p{L})%s\.?\)?)\s[^\n]{0,300}?\s(?:' % a + BULLET + r'\s?)?%s[.)]' % b for a, b in zip(letters, letters[1:])) + ')'

begin('Common', 'Rules shared by every language written with spaces between words; the language rule sets before it add abbreviations and starters.')
rule(False, r'[' + TERM + r']', r'[ \t\u00A0\u202F]*+[»”)\]}›」』）】〕〉》]', 'A closing quote or bracket after the end of a sentence belongs to that sentence (the break comes after it).')
rule(True, LIST_BREAK, None,
     'Lists in running text: "1. first item 2. second item", "a) … b) …", "(i) … (ii) …": break before an item marker that follows the previous one.')
rule(False, MARKER_PERIOD_NUMBER, NEXT_NUMBER, 'No break after a numbered item marker that starts a list after a sentence: the next marker follows.')
rule(False, MARKER_PERIOD_LETTER, NEXT_LETTER, 'No break after a lettered item marker that starts a list after a sentence ("Smith. a. here it is b. another").')
for m in (MARKER_START_LETTER, MARKER_START_NUMBER, MARKER_START_ROMAN, MARKER_START_PAREN):
    rule(False, m, r'\s', 'No break after a list item marker at the start of a paragraph, a line or a sentence ("1. The first item", "a. here", "Q. What").')
for m in (LIST_AFTER_NUMBER, LIST_AFTER_NUMBER_PAREN):
    rule(False, m, r'\s', 'No break after a numbered item marker that follows the previous one ("item 2. The second item").')
for m in (LIST_AFTER_LETTER, LIST_AFTER_LETTER_PAREN):
    rule(False, m, r'\s', 'No break after a one-letter item marker that follows the previous one ("b. The second item").')
rule(False, r'[.…][' + CLOSE + r']{0,3}', r'\s++["“‘\'«„‚(\[]*+(?![a-z][.)][ \t])\p{Ll}', 'Lower case after a period or an ellipsis: an abbreviation or an ellipsis inside a sentence.')
rule(False, r'[!?؟][' + CLOSE + r']{0,3}', r'\s++(?:[-–—]+\s*+)?["“‘\'«„‚(\[]*+(?![a-z][.)][ \t]|[0-9]{1,2}(?:\.\)?|[)）]))[\p{Ll}0-9]', 'Lower case or a digit after ! or ?: "Yahoo! in", "voila! -- you", "firma? 13:28".')
rule(False, r'[' + TERM + r']', r'\s++[,;:/]', 'Punctuation that continues the sentence (or a verse: " / ").')
rule(False, r'\[(?:\.\.\.|…)\][' + CLOSE + r']{0,3}', r'\s', 'An omission mark "[...]" is not the end of a sentence.')
rule(False, r'(?:\b\p{L}{1,3}|[Nn][°º])\.', r'\s++["“(]?[0-9]', 'A short abbreviation before a number: "p. 55", "no. 5", "Rs. 16720", "N°. 1026".')
rule(False, r'[0-9]\.', r'\s++[-–][0-9]', 'Ranges of ordinals: "1. -3. Jahrhundert".')
rule(True, r'\.(?<=\p{L}\.)', r'\s\.\s\.\s\.\s++' + OPEN + r'\p{Lu}', 'A sentence ending with a period, followed by an ellipsis that starts the next one: "compounds. . . . The".')
rule(False, r'[^.\s]\s\.\s\.\s\.', r'\s', 'A spaced ellipsis inside a sentence (". . ." after a word and a space).')
rule(False, r'\p{L}\.\s\.\s\.\s\.', r'\s', 'A period followed by a spaced ellipsis that starts the next sentence: no second break after it.')
rule(False, r'\.', r'\s++\.(?!\.)', 'Inside a spaced ellipsis ". . .".')
rule(False, r'(?:\b(?:https?|ftp)://|\bwww\.)[^\s]{0,200}', r'[\p{L}\p{N}/]', 'Inside a URL.')
rule(False, r'[.!?]', r'[\p{L}\p{N}._%+\-]{0,64}@[\p{L}\p{N}]', 'Inside an e-mail address.')
rule(False, r'(?:^|[\s,;:(])[0-9]{1,2}\.', r'\p{Lu}', 'A list item written without a space: "1.Helado, 2.Carne".')
rule(True, r'[.!?](?:(?<=[\p{Ll}\p{Lo})\]][.!?])|(?<=[0-9][.!?])(?=\p{Lu}\p{Ll}))', r'\p{Lu}(?:\p{Ll}|\p{Lu}*+[\s,\'’])', 'A sentence end without the space: "Hello world.Today is Tuesday."')
rule(True, r'\.(?<=(?:\p{Ll}{2}|[)\]])\.)[0-9]{1,3}(?:[ ,][0-9]{1,3})*', r'\s++' + OPEN + r'\p{Lu}', 'Footnote numbers after the period: "a consultation.11 12 Take the example".')
rule(True, r'[' + TERM + r']++(?:[' + CLOSE + r']|\[[0-9]{1,3}(?:[-–,][0-9]{1,3})*\])*+', r'\s', 'The end of a sentence: . ! ? … (runs of them), then closing quotes, brackets or footnote references.')
rule(True, r'[。！？．｡]++[」』）】〕〉》"”’]*+', r'(?![」』）】〕〉》"”’])', 'Full-width and ideographic full stops end a sentence without a following space.')
end()

# ---------------------------------------------------------------------------
def initials_acronyms(st, name, extra=''):
    rule(False, NOT_ALNUM_BEFORE + r'(?<![.\'’\-])' + extra + r'\p{Lu}(?:\.-\p{Lu})?\.', after_unless(st),
         f'{name}: initials ("J. Smith", "J.-P. Sartre") unless the next word starts a sentence.')
    rule(False, r'\p{L}\.(?<=\.\p{L}{1,3}\.)(?<=' + NOT_ALNUM_BEFORE + r'(?:\p{L}{1,3}\.){2,8})', after_unless(st),
         f'{name}: acronyms with periods ("U.S.", "i.e.", "Ph.D.") unless the next word starts a sentence.')

def abbreviations(titles, others, st, name, ci_others=None):
    if titles:
        rule(False, r'\b(?:' + '|'.join(titles) + r')\.', r'\s', f'{name}: titles and words that always precede a name or a number.')
    if others:
        rule(False, r'\b(?:' + '|'.join(others) + r')\.', after_unless(st), f'{name}: abbreviations; a break only when the next word starts a sentence.')
    if ci_others:
        rule(False, r'(?i)\b(?:' + '|'.join(ci_others) + r')\.', after_unless(st), f'{name}: abbreviations in any case.')

EN_TITLES = "Adm Brig Capt Cmdr Col Comdr Dr Drs Fr Gen Gov Hon Lt Maj Messrs Mlle Mme Mr Mrs Ms Msgr Mt Pres Prof Rep Rev Revd Sen Sgt Sr St Ste Supt Ft".split()
EN_OTHERS = "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri".split()
EN_CI = "al approx apt assn ave bldg blvd bros ca cf ch chap co corp dept dist div ed eds eg esp est fig figs gal hr hrs ie inc incl jr lb lbs ltd med mfg mgr min misc mo mos mph no nos nr oz pp pt pts qt rd ref refs rs sec sq sr tbsp tel tsp univ viz vol vols vs wk yr yrs btw fe ext".split()

# English only (the Danish rules share EN_TITLES, EN_OTHERS and EN_CI as they are): "St." after a
# capitalised word is a street, more titles, "Sat.", units in lower case only, and no "no."/"nos.": "No. 5" is covered by the
# Common rule for a short abbreviation before a number, and "He said no. Nobody" is two sentences.
EN_TITLES_EN = [t for t in EN_TITLES if t != 'St'] + "Asst Atty Cpl Det Insp Pvt Rt Spc St".split()
# Units (and "est.") are abbreviated in lower case only ("12 oz. of", but "answered Oz. “Step", "2 p.m. EST. Doors").
EN_UNITS = "est gal hr hrs lb lbs mo mos mph oz qt tbsp tsp wk yr yrs".split()
EN_OTHERS_EN = EN_OTHERS + ["Sat"] + EN_UNITS
EN_CI_EN = [w for w in EN_CI if w not in ['no', 'nos'] + EN_UNITS] + "assoc cont contd encl eq eqs govt illus intl natl orig para paras sect transl".split()
# Where a heading word stands at the start of a sentence: a paragraph, a line, or after a sentence end
# (in "The Arrival Chapter 2. Father and Son Chapter 3." the list rule's breaks are better).
SENTENCE_START = r'(?:^|[\n\r]|[.!?…]["”’»)]?[ \t\u00A0]{1,3})'
# Words before a number that are no list item ("Step 2." is a heading, not the item "2." of a list).
EN_NUMBERED = "Step|Stage|Phase|Part|Chapter|Section|Figure|Table|Item|Article|Question|Round|Level|Page|Rule|Option|Example|Exercise|Lesson|Unit|Appendix|Annex"
TIME_ZONES = r'(?:[ECMPAH][SD]T|GMT|UTC|BST|CES?T|EES?T|WES?T|IST|JST|AES?T|AEDT|NZST|ET|CT|MT|PT)\b'

begin('English', 'English: abbreviations, titles, initials, acronyms, a.m./p.m.')
rule(False, r'\b[ap]\.m\.', r'\s++(?:Mr|Mrs|Ms|Dr|Prof)\.', 'A lower-case time abbreviation before a title: "At 5 a.m. Mr. Smith went".')
rule(False, r'\b(?:[ap]\.m|[AP]\.M)\.', r'\s++(?:' + TIME_ZONES + r'|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)', 'a.m./p.m. before a time zone or a day: "at 2 p.m. EST tomorrow", "at 9 a.m. Monday".')
# Written from its period (the same matches as "\b(?:[ap]\.m|[AP]\.M)\."): a break rule is tried where
# its first atom can match, and at every "a"/"p" this one cost a fifth of segmenting English text.
rule(True, r'\.(?<=\b[ap]\.m\.|\b[AP]\.M\.)', r'\s++' + OPEN + r'\p{Lu}', 'a.m./p.m. before a capital otherwise ends the sentence: "at 6 P.M. Travelers".')
rule(True, r'\.(?<=\sSt\.)(?<=\p{Lu}\p{Ll}{1,20}\sSt\.)', r'\s++' + OPEN + r'(?=' + EN_ST + ')', '"St." after a capitalised word is a street: "on Elm St. The house" ends there (before a sentence starter).')
rule(False, r'\b(?:N\.\s?B|P\.\s?S|P\.\s?P\.\s?S)\.', r'\s', '"N.B." and "P.S." introduce what follows.')
rule(False, r'(?<![^\s(])vs?\.', r'\s', 'Lower-case "v." and "vs." (versus) go on: "Brown v. Board of Education".')
rule(False, r'(?:' + EN_NUMBERED + r')(?<=' + SENTENCE_START + r'(?:' + EN_NUMBERED + r'))', r'\s++[0-9]{1,3}[.)]', 'No list break before the number of a step, a section…: "Step 1. Remove the cover. Step 2. Unscrew".')
rule(True, r'\.(?<=[0-9]\.)(?<=' + SENTENCE_START + r'(?:' + EN_NUMBERED + r')\s[0-9]{1,3}\.)', r'\s++' + OPEN + r'\p{Lu}', '… and the number is no list item either: "Step 2. Unscrew the panel" is two sentences like "Step 1. Remove" (at the start of a sentence).')
abbreviations(EN_TITLES_EN, EN_OTHERS_EN, EN_ST, 'English', EN_CI_EN)
initials_acronyms(EN_ST, 'English')
end()

FR_TITLES = "M MM Mme Mmes Mlle Mlles Me Mes Mgr Dr Drs Pr Pr Prof St Ste Sts Stes Gén Col Cdt Lt Sgt Cne Adj Vve".split()
FR_REF = "av apr art chap cf env ex fig hab ill liv n no nos op p pp réf s ss t tt v vol vols éd éds coll dir trad préf suppl suiv sq sqq ibid id cit loc ms mss anc ann arr bd boul ch dép éq esp gr inf sup lat max min hab tél janv févr fév avr juil sept oct nov déc lun mar mer jeu ven sam dim c-à-d adj adv abrév var vs".split()
# More reference abbreviations ("ap. J.-C.", "tabl. 3", "fasc. 2", "le prof. Martin"), and the usual
# ones capitalised at the start of a sentence or a note ("Cf. Dupont", "Chap. 5", "Éd. du Seuil").
FR_REF_MORE = "ap ca trim tabl sect fasc prof hist rééd resp fol pl anon bibl fém masc sing plur intr introd nouv qqch ital".split()
FR_REF_CAPITALISED = "Cf Chap Art Fig Vol Vols Éd Éds Ex Env Réf Trad Coll Dir Ill Suppl Préf Tabl Ibid Op Loc Ms Mss Av Apr Ap Bd Boul Tél Sect Fasc Liv Ch".split()
# Abbreviations that are also French words ("la mer.", "ils étaient sept."): before a number (the
# only place they are abbreviations, "mer. 12 mars") the Common rule keeps them already.
# "art." and "vol." are words too ("l'art. Tandis que", "le vol. Déjà"): as abbreviations they stand
# before an article or volume number ("art. 12", "art. L. 121-1", "vol. III"), see the rules below.
FR_NUMBERED = "Étape|Phase|Partie|Chapitre|Section|Figure|Tableau|Article|Question|Exercice|Leçon|Annexe|Titre|Livre|Tome|Page|Point|Règle|Exemple|Niveau"
FR_REF_WORDS = set("lun mar mer jeu ven sam dim sept art Art vol Vol".split())
begin('French', 'French: titles (M., Mme, MM.), abbreviations (p. ex., av. J.-C., n°, XIXe s.), guillemets with (no-break) spaces before the closing one.')
rule(True, r'[»”](?<=[' + TERM + r'][\s\u00A0\u202F]{0,3}[»”])[»”]*+(?:[\s\u00A0\u202F]*+[)\]])?', r'\s++' + OPEN + r'(?!\p{Ll})', 'A sentence ending inside guillemets: the closing » (after a no-break space) stays with it: « Il faut agir ! » Il est parti.')
rule(False, r'\bc\.-à-d\.', r'\s', 'c.-à-d.')
rule(False, r's\.(?<=\ss\.)(?<=\b[IVXLC]{1,8}(?:e|er|ème)\s{1,3}s\.)', r'\s++(?!' + FR_ST + ')', '"XIXe s." (siècle).')
rule(False, r'\b(?:N\.\s?B|P\.-S|P\.\s?S)\.', r'\s', '"N.B." and "P.-S." introduce what follows.')
rule(False, r'\bPh\.', r'\s?D\.', '"Ph. D."')
rule(False, r'\bsept\.', r'\s++[0-9]', '"sept. 1620" (a four-letter month: the Common rule for a short abbreviation before a number stops at three).')
rule(False, r'(?:' + FR_NUMBERED + r')(?<=' + SENTENCE_START + r'(?:' + FR_NUMBERED + r'))', r'\s++[0-9]{1,3}[.)]', 'No list break before the number of a step, an article…: "Étape 1. Retirez le capot. Étape 2. Dévissez".')
rule(True, r'\.(?<=[0-9]\.)(?<=' + SENTENCE_START + r'(?:' + FR_NUMBERED + r')\s[0-9]{1,3}\.)', r'\s++' + OPEN + r'\p{Lu}', '… and the number is no list item either: "Étape 2. Dévissez" is two sentences like "Étape 1. Retirez".')
rule(False, r'\b[Aa]rt\.', r'\s++(?:[0-9]|[LRDAO]\.?\s?[0-9*]|[LRDAO]\.\s|premier|1er|unique|préc)', 'An article number: "art. 12", "art. L. 121-1", "art. premier".')
rule(False, r'\b[Vv]ol\.', r'\s++(?:[0-9]|[IVXLC]++(?=[\s,.;:)]))', 'A volume number: "vol. 2", "vol. III".')
rule(False, r'\.(?<=' + NOT_ALNUM_BEFORE + r'(?<![.\'’\-])\p{Lu}(?:\.-\p{Lu})?\.)(?<=' + NOT_ALNUM_BEFORE + r'\p{Lu}\.(?:-\p{Lu}\.)?\s\p{Lu}(?:\.-\p{Lu})?\.)',
     r'\s++\p{Lu}', 'The second of two initials before a capital is a name going on: "J.-M. G. Le Clézio".')
abbreviations(FR_TITLES, [w for w in FR_REF if w not in FR_REF_WORDS] + FR_REF_MORE + FR_REF_CAPITALISED, FR_ST, 'French')
initials_acronyms(FR_ST, 'French', r'(?!J\.-C\.)')
end()

# ---------------------------------------------------------------------------
# Helpers for the rule sets below (every language but English and French).

def starter_words(st):
    """The words of a starters() pattern, back as a list."""
    core = st[3:-len(r')(?=[\s,\'’])')]
    words, depth, part = [], 0, ''
    for ch in core + '|':
        if ch == '|' and depth == 0:
            m = re.fullmatch(r'(.)(?:\(\?:(.*)\))?', part)
            c, rests = m.group(1), m.group(2)
            words += [c + r for r in rests.split('|')] if rests is not None else [c]
            part = ''
            continue
        depth += ch == '('
        depth -= ch == ')'
        part += ch
    return words


def more_starters(st, words):
    """st with more sentence starters (adverbs, pronouns, possessives)."""
    return starters(starter_words(st) + words.split())


def address_end(tld):
    """A web or e-mail address ending in .tld, then a period."""
    return r'(?<=\.' + tld + r'\.)(?<=(?:@|\bwww\.|://)[\p{L}\p{N}\-.]{1,80}\.)'


def initials_acronyms_no_address(st, name):
    """initials_acronyms(), but "com.br." in "empresa.com.br." (after a period or @) is no acronym."""
    rule(False, NOT_ALNUM_BEFORE + r'(?<![.\'’\-])\p{Lu}(?:\.-\p{Lu})?\.', after_unless(st),
         f'{name}: initials ("J. Smith", "J.-P. Sartre") unless the next word starts a sentence.')
    rule(False, r'\p{L}\.(?<=\.\p{L}{1,3}\.)(?<=(?<![\p{L}\p{N}\p{M}°º.@])(?:\p{L}{1,3}\.){2,8})', after_unless(st),
         f'{name}: acronyms with periods ("U.S.", "i.e.", "Ph.D.") unless the next word starts a sentence; not the end of an address ("empresa.com.br.").')


def end_breaks(name, list_ends=None, more=None, more_comment='', address=None):
    """Two kinds of periods that end a sentence before a capital even when a rule below would see an
    abbreviation there: after an abbreviation that closes an enumeration ("osv.", "etc.", "и т. д."),
    and after a web or e-mail address, whose last label ("pl", "com.br") is no abbreviation.

    One rule that starts at the period, so that only periods are tried (a break rule is matched
    forwards from the characters it can start with; "e", "o", "w" are everywhere). The address test
    is a short look-behind that few sentence ends pass (".pl."), then the address in a longer one."""
    alts = []
    if list_ends:
        alts.append(r'(?<=\b(?:' + '|'.join(list_ends) + r')\.)')
    if address:
        alts.append(address_end(address))
    if more:
        alts.append(more)
    what = ['an abbreviation that ends an enumeration ("etc. Then")'] if list_ends else []
    what += [more_comment] if more else []
    what += ['a web or e-mail address whose last label is an abbreviation of the language ("www.firma.pl. Zapraszamy")'] if address else []
    # A one-character look-behind first (the letters these end with): the engine rules the rule
    # out from it without calling ICU at most periods.
    last = sorted({e[-1] for e in (list_ends or [])})
    if address:
        last = sorted(set(last) | {address[-1]})
    if more:
        last += ['0-9']
    rule(True, r'\.(?<=[' + ''.join(last) + r']\.)(?:' + '|'.join(alts) + ')', r'\s++' + OPEN + r'\p{Lu}',
         f'{name}: ' + ' or '.join(what) + ' before a capital ends the sentence.')


def opening_quote_break(name, quotes):
    """A sentence end before an opening » or ” (no space between it and the next word): not a closing quote."""
    rule(True, r'[.!?…]', r'\s++[' + quotes + r'][\p{L}\p{N}]',
         f'{name}: a sentence end before an opening quote ({quotes} directly before a word: »Wir, ”Hem) is a break, not a closing quote.')


DE_TITLES = "Dr Prof Hr Fr Frl Dipl Ing St Hl Mag Pfr Bgm Präs Gebr".split()
DE_OTHERS = "Abb Abs Abt Adr allg Anh Anm Aufl Ausg bes Bd Bde bspw bzgl bzw ca Chr Co d dgl Di Do engl etc evtl Fa Fam Fr frz geb gegr ges gest Ggs ggf hl Hrsg i inkl insb Jh Jhd jhrl Kap kath led lfd Mi Mio Mo Mrd Nr o od orig Pl Reg rd röm S s Sa sog So St Std Str stv Tel tägl Tsd u ü usw uvm v vgl Vors vs z Ziff zz zzt".split()
DE_ST2 = more_starters(DE_ST, "Alles Allerdings Anschließend Außerdem Beide Bereits Dabei Dafür Dagegen Daher Damals Danach Darum Deshalb Deswegen Diese Diesen Einige Gestern Inzwischen Jeder Jede Leider Mein Meine Natürlich Neben Sein Seine Sonst Später Stattdessen Trotzdem Unser Unsere Viele Vielleicht Zudem Zuerst Zunächst Zwar Schließlich")
begin('German', 'German: abbreviations (z. B., u. a., bzw., Dr. med.), ordinals ("am 12. Juni", "XII. Pluku").')
rule(False, r'\b(?:z|u|d|o|s|v|i|a|Z|U|D|S|V)\.', r'\s?(?:B|a|Ä|ä|h|ä|T|Z|Ä|U|R|W|d|g|J|M|D)\.', 'Two-part abbreviations: z. B., u. a., u. Ä., d. h., z. T., z. Z., o. Ä., s. o., s. u., v. a., i. d. R., a. M., a. D., a. d.')
rule(False, r'str\.', r'\s++[0-9]', 'A street name before its number: "Hauptstr. 12", "Bahnhofstr. 3".')
rule(False, r'\b(?:med|jur|phil|rer|nat|pol|oec|habil|dent|vet|theol)\.', r'\s', 'Doctoral titles: "Dr. med. Meyer".')
rule(False, NOT_ALNUM_BEFORE + r'(?:[0-9]{1,3}|[IVXLC]{1,6})\.', after_unless(DE_ST2), 'Ordinal numbers: "am 12. Juni", "der 3. Platz", "XII. Korps".')
end_breaks('German', ['usw', 'usf', 'etc'])
abbreviations(DE_TITLES, DE_OTHERS, DE_ST2, 'German')
initials_acronyms_no_address(DE_ST2, 'German')
opening_quote_break('German', '»')
end()

DA_TITLES = "Dr Hr Fr Frk Skt St Mr Mrs Ms Prof Mt".split()
DA_OTHERS = "adm adr afd alm ang bl ca cand co Co dir ds dvs eks el etc evt f fhv fig fx gl hhv jf jr kl kr ldt lign mht mia mio mv ndf nr Nr nov obs off osv pga pkt pp pr resp sek sml spm st stk tdl tlf vedr vh vol vs".split()
DA_ST2 = more_starters(DA_ST, "Bagefter Dengang Derefter Desuden Dette Disse Dog Endelig Herefter Hendes Her Hvert Hver Ingen Jo Kun Måske Mange Mine Nogle Samtidig Senere Sidst Siden Vores Deres")
begin('Danish', 'Danish (and the English text Danish documents often quote).')
end_breaks('Danish', ['osv', 'mv', 'm\\.v', 'etc', 'mfl', 'm\\.fl', 'm\\.m', 'o\\.l', 'o\\.lign'])
rule(False, NOT_ALNUM_BEFORE + r'(?:[0-9]{1,3}|[IVXLC]{1,6})\.', r'\s++' + OPEN + r'\p{Ll}', 'Ordinal numbers before lower case: "5. gade".')
rule(False, r'\b[ap]\.m\.', r'\s++(?:Mr|Mrs|Ms|Dr|Prof|Hr|Fr)\.', 'A lower-case time abbreviation before a title.')
rule(True, r'\.(?<=[mM]\.)(?<=\b(?:[ap]\.m|[AP]\.M)\.)', r'\s++' + OPEN + r'\p{Lu}', 'a.m./p.m. before a capital (written from the period: only periods are tried).')
abbreviations(DA_TITLES + EN_TITLES, DA_OTHERS + EN_OTHERS, DA_ST2, 'Danish', EN_CI)
initials_acronyms_no_address(DA_ST2, 'Danish')
opening_quote_break('Danish', '»”')
end()

SV_OTHERS = "bl dvs el etc f fr fig jfr kap kl kr m fl mm mfl nr obs osv pga resp s sid st t tel tex tim vol ex".split()
SV_ST2 = more_starters(SV_ST, "Andra Dessa Dessutom Detta Denna Där Därefter Då Efteråt Ett Hennes Hon Inga Ingen Kanske Men Min Mitt Många Nu Och Också Sedan Senare Sist Slutligen Vår Vårt Deras Även")
begin('Swedish', 'Swedish.')
end_breaks('Swedish', ['osv', 'mfl', 'm\\.fl', 'mm', 'm\\.m', 'etc', 'o\\.d', 'o\\.s\\.v'])
rule(False, NOT_ALNUM_BEFORE + r'(?:[0-9]{1,3}|[IVXLC]{1,6})\.', r'\s++' + OPEN + r'\p{Ll}', 'Ordinal numbers before lower case.')
rule(False, r'\b(?:t|f|m|s|d|e)\.', r'\s?(?:ex|v|m|fl|k|Kr|s|h|a|o)\.', 'Two-part abbreviations: t. ex., f. v., m. m., m. fl.')
abbreviations("Dr Prof Hr Fr St".split(), SV_OTHERS, SV_ST2, 'Swedish')
initials_acronyms_no_address(SV_ST2, 'Swedish')
opening_quote_break('Swedish', '»”')
end()

NO_OTHERS = "adm bl ca ca dvs el etc evt f fig forts fr hhv jf jnr kap kl kr ltd m mht mill mrd nr o obs osv pga pkt pr red s sep sml st stk tlf tab ved vedr vol".split()
NO_ST2 = more_starters(NO_ST, "Andre Da Deres Deretter Dessuten Dette Denne Disse Der Etterpå Hennes Her Ingen Kanskje Mange Min Mitt Noen Nå Også Senere Sist Vår Vårt")
begin('Norwegian', 'Norwegian (Bokmål and Nynorsk).')
end_breaks('Norwegian', ['osv', 'mv', 'm\\.v', 'mfl', 'm\\.fl', 'm\\.m', 'etc', 'o\\.l'])
rule(False, NOT_ALNUM_BEFORE + r'(?:[0-9]{1,3}|[IVXLC]{1,6})\.', r'\s++' + OPEN + r'\p{Ll}', 'Ordinal numbers before lower case.')
abbreviations("Dr Prof Hr Fr St".split(), NO_OTHERS, NO_ST2, 'Norwegian')
initials_acronyms_no_address(NO_ST2, 'Norwegian')
end()

NL_OTHERS = "aanw adj afb afd afk alg art bijv bijz bv blz ca d dgl dhr dr drs enz etc evt fig gesch hfdst hoofdst i ir jl jr ll m mevr mr mw nl nr o pag plm prof resp sr st t tel vb vgl vnw vw wo z zg zgn".split()
NL_ST2 = more_starters(NL_ST, "Daarna Daarom Daar Daarin Daarbij Bovendien Dus Echter Elke Geen Haar Hun Iedereen Ieder Mijn Misschien Ons Onze Sinds Soms Toen Tijdens U Uw Verder Vervolgens Volgens Zijn Zonder")
begin('Dutch', 'Dutch.')
end_breaks('Dutch', ['enz', 'etc', 'e\\.d', 'e\\.a', 'o\\.i\\.d', 'e\\.v\\.a'], address='nl')
rule(False, r'\b(?:d|m|t|z|b|i|o)\.', r'\s?(?:w|a|h|m|v|n|b|i|z)\.', 'Two-part abbreviations: d.w.z., m.a.w., t.a.v., z.g.a.n.')
abbreviations("Dr Drs Ir Mr Mevr Dhr Prof St".split(), NL_OTHERS, NL_ST2, 'Dutch')
initials_acronyms_no_address(NL_ST2, 'Dutch')
end()

ES_TITLES = "Sr Sra Srta Sres Sras Dr Dra Dres Lic Lda Ldo Ing Arq Prof Profa Mons Pbro Fr Sto Sta Gral Cnel Cap Tte Mt St D Dña Excmo Excma Ilmo Ilma Mr Mrs Lcda Lcdo Mtro Mtra Hno Hna Dn Vda Av Avda Pza Ctra Pje Pso Urb".split()
ES_OTHERS = "a admón adm apdo art atte av avda aprox c cap cf cía col comp cta ctra dcha dpto ed ej etc fig fol gral izq lic n núm op p pág págs párr párrf pp pral prov pza ref s sig ss tel telf vol vols Ene Feb Mar Abr May Jun Jul Ago Sep Sept Oct Nov Dic Lun Mié Jue Vie Sáb Dom ene feb abr may jun jul ago sep sept oct nov dic lun mié jue vie sáb dom EE UU Hs hs min seg Ud Uds Vd Vds".split()
ES_ST2 = more_starters(ES_ST, "Además Ahora Ahí Allí Aquí Ayer Entonces Era Fue Había Hace Hacía Hoy Incluso Luego Mañana Nada Nadie Quizás Sin Solo Sólo Tampoco Todo Todos")
begin('Spanish', 'Spanish: titles (Sr., Sra., Lic.), abbreviations (párrf., art., EE. UU.), ¿ ¡.')
rule(False, r'\b[ad]\.', r'\s?C\.', '"a. C.", "d. C." (antes, después de Cristo).')
abbreviations(ES_TITLES, ES_OTHERS, ES_ST2, 'Spanish')
initials_acronyms_no_address(ES_ST2, 'Spanish')
end()

CA_OTHERS = "admin art av c cap cf col dept dir doc ed etc ex fig gral km núm p pàg pl pp prof pral sr sra srta tel vol".split()
begin('Catalan', 'Catalan.')
abbreviations("Sr Sra Srta Dr Dra Prof St Sta".split(), CA_OTHERS, CA_ST, 'Catalan')
initials_acronyms_no_address(CA_ST, 'Catalan')
end()

PT_OTHERS = "a adm al ap apt apto aprox art av c cap cf cia Cia col cp dept dr dra ed etc ex fig h i jan fev abr mai jun jul ago set out nov dez km lda ltda Lda Ltda min n nº núm obs p pág pp prof r ref s séc sr sra srta tel v vol".split()
PT_ST2 = more_starters(PT_ST, "Ainda Amanhã Aqui Assim Cada Contudo Então Estava Está Foi Hoje Há Isso Lá Meu Minha Nossa Nosso Ontem Porém Todas Todos É")
begin('Portuguese', 'Portuguese.')
abbreviations("Sr Sra Srta Dr Dra Prof Profa Eng Exmo Exma Av St".split(), PT_OTHERS, PT_ST2, 'Portuguese')
initials_acronyms_no_address(PT_ST2, 'Portuguese')
end()

IT_TITLES = "Sig Sigg Sigra Dott Dr Dott.ssa Prof Prof.ssa Avv Ing Arch Geom Rag On Sen Mons Gen Col Cap Ten Mar Egr Gent Spett Ill Dir Amm Ecc S St Cav Comm Pres Rev Uff Magg Mr Mrs".split()
IT_OTHERS = "a ad ag all ant art artt att az c ca cap cfr cit cod col conf cors cost d dott ecc ed es es fig gen gr id ill int lett lib loc mar meteor idraul min misc mitt n nn num op p pag pagg par pp psicol pt q racc rif s sec seg segg sez sg sgg sig st suppl tab tel tit trad v vd vol voll gen feb apr giu lug ago sett ott nov dic dom econ lun mer gio ven sab".split()
begin('Italian', 'Italian: titles (Sig.ra, Dott., Avv., Ing.), abbreviations.')
abbreviations(IT_TITLES, IT_OTHERS, IT_ST, 'Italian', ["Nov", "Dic", "Set", "Ott", "Gen", "Feb", "Mar", "Apr", "Mag", "Giu", "Lug", "Ago"])
initials_acronyms_no_address(IT_ST, 'Italian')
end()

RO_OTHERS = "adj adm adr art bd c cca cf d dl dna dnei dr ed etc ex fig gen id ing jud lit loc mun nr obs p pag pct pl pr prof prov r ref sec sf sp st str tab tel urm v vol".split()
begin('Romanian', 'Romanian.')
abbreviations("Dl Dna Dra Dr Prof Ing St".split(), RO_OTHERS, RO_ST, 'Romanian')
initials_acronyms_no_address(RO_ST, 'Romanian')
end()

RU_OTHERS = "акад англ б бл букв в вв вкл внутр г гг гл гос гр д др долл дол доц е ж зав зам изд им инж исп канд кв коп к кол корп куб л лат м мин млн млрд напр нар нем о обл п пгт пер пл пос пр проф просп р рис руб рус с сан св сл см сокр соч ср ст стр т тел тов тт тыс ул уч ф фр ч чел шт э экз эл яз".split()
RU_ST2 = more_starters(RU_ST, "Больше Вдруг Ведь Вскоре Впрочем Вчера Даже Его Ее Её Ей Ещё Еще Завтра Затем Здесь Зато Именно Итак Каждый Кроме Кстати Лишь Многие Мой Моя Наш Наша Некоторые Однако Позже Поэтому Потом Почти Сегодня Сейчас Сначала Также Тем Теперь Тогда Тут Хотя Эти")
begin('Russian', 'Russian and other Cyrillic-script languages: abbreviations (г., гг., т. е., и т. д.), initials ("А. И. Семенов").')
end_breaks('Russian', [r'и\sт\.\s?д', r'и\sт\.\s?п', r'и\sдр', r'и\sпр'])
rule(False, r'\b(?:ч|мин|сек)\.', r'\s', 'Units of time never end a sentence here.')
# After a year, a preposition ("1898 г. В 1854 году") is read as going on (captions, dates in a row).
RU_ST_AFTER_YEAR = starters("А Все Всё Вскоре Вы Даже Его Ее Её Затем Здесь Их Кроме Мы Но Однако Он Она Они Оно Позже Потом Поэтому Сегодня Так Также Там Теперь Тогда Тут Хотя Это Эта Этот Эти Я".split())
rule(False, r'\b(?:г|гг|в|вв)\.', after_unless(RU_ST_AFTER_YEAR), 'г., гг., в., вв. (year, century; г. also "город"): a break only before a pronoun or adverb that starts a sentence ("в 1990 г. Потом").')
rule(False, r'\b(?:т|и|т\.\s?е|т\.\s?к|т\.\s?п|т\.\s?д|т\.\s?н|т\.\s?о|т\.\s?б)\.', r'\s?(?:е|к|д|п|н|о|б|пр)\.', 'т. е., т. к., и т. д., и т. п., т. н.')
rule(False, r'[' + TERM + r']', r'\s++№', 'A number sign continues the sentence: "2012 жыл. №590".')
abbreviations([], RU_OTHERS + "ген мл р-н Проф Акад Доц Инж Ген Св".split(), RU_ST2, 'Russian')
initials_acronyms_no_address(RU_ST2, 'Russian')
end()

# Bulgarian words that start a sentence after "г." (year): pronouns, adverbs, conjunctions ("през 2007 г. Той").
BG_ST_AFTER_YEAR = starters("Аз Вече Все Всички Вчера Днес Досега Затова Именно Както Но Ние Обаче Освен Още После Сега След Сред Също Така Там Те Тогава Той Тук Тя То Това Този Тази Тези Тъй Утре".split())
BG_ST = more_starters(RU_ST2, " ".join(starter_words(BG_ST_AFTER_YEAR)) + " Ако Беше Бяха Докато Защото Когато Който Която Които Което Къде Според")
begin('Bulgarian', 'Bulgarian (before the Russian rules, which it shares): its sentence starters after "г." (year) and its abbreviations (гр., ул., бул., проф.).')
rule(True, r'\.(?<=г\.)(?<=\b(?:г|гг)\.)', r'\s++' + OPEN + r'(?=' + BG_ST_AFTER_YEAR + ')', '"г." (year) before a pronoun or adverb that starts a sentence: "през 2007 г. Той".')
rule(False, r'\b(?:гр|ул|бул|пл|Пл|пр|кв|жк|с|обл|общ|проф|Проф|акад|Акад|доц|Доц|инж|Инж|св|Св|чл|ал|бр|вж|напр|ок|т\.\s?нар)\.', r'\s++(?!' + BG_ST + r')', 'Bulgarian abbreviations before a name or a number ("гр. София", "ул. „Раковски“", "проф. Иванов", "чл. 5").')
rule(False, r'\b(?:млн|млрд|хил|лв|ст|стр)\.', after_unless(BG_ST), 'Amounts and units ("15,5 млн. лв. и").')
end()

begin('Ukrainian', 'Ukrainian.')
end_breaks('Ukrainian', [r'тощо', r'[іи]\sт\.\s?д', r'[іи]\sт\.\s?ін', r'[іи]\sін'])
rule(False, r'\b(?:р|рр|ст|с|т|див|напр|проф|акад|вул|буд|кв|м|млн|млрд|тис|грн|коп|пл|обл|р-н|с-ще|ім|др|доц|канд|зав|заст|ін|тощо|тис|Проф|Акад|Доц)\.', after_unless(UK_ST), 'Abbreviations.')
initials_acronyms_no_address(UK_ST, 'Ukrainian')
end()

# Kazakh words that start a sentence (pronouns, conjunctions, adverbs), with the Russian ones.
KK_ST = more_starters(RU_ST, "Ал Алайда Барлық Бірақ Бұл Бұған Бүгін Біз Енді Ертең Кейін Кеше Мен Мұнда Онда Ол Олар Оның Осы Себебі Сол Содан Сондықтан Сонымен Сен Сіз Қазір Өйткені Яғни")
begin('Kazakh', 'Kazakh: a question or exclamation mark ends a sentence even before lower case ("кім? не?").')
rule(True, r'[?!]', r'\s++["“«(]*+\p{Ll}', '? and ! before a lower-case word.')
rule(False, r'\b(?:[Пп]роф|[Аа]кад|[Дд]оц|[Дд]р|көш|даң)\.', r'\s', 'Titles and street names before a name: "проф. Әбдірахманов", "Абай даң.".')
rule(False, r'\b(?:т|б|ж|ш|ғ|обл|қ|г|гг|млн|млрд|мың|ж\.\s?б|т\.\s?б)\.', after_unless(KK_ST), 'Abbreviations (т. б., ж., ғ.).')
rule(False, r'[' + TERM + r']', r'\s++№', 'A number sign continues the sentence.')
initials_acronyms_no_address(KK_ST, 'Kazakh')
end()

PL_OTHERS = "al art bałt br cdn cz dn dr ds dz ew godz gr im inż itd itp jw kol ks lek m mgr min n np nr ok os p pl pkt pn pon por pot pow prof przyp r red rys s st str śr tel tj tzn tzw ul w wg wsch ww wyd zach zob zł".split()
PL_ST2 = more_starters(PL_ST, "Ci Chociaż Dlatego Dziś Dzisiaj Gdy Jeśli Jeżeli Jutro Każdy Mimo Moja Moje Mój Nasz Nasza Nasze Następnie Niestety Oczywiście Ponadto Potem Później Rano Również Te Teraz Tu Tutaj Wczoraj Według Wieczorem Wszyscy Wszystko Wtedy")
begin('Polish', 'Polish.')
end_breaks('Polish', ['itd', 'itp', 'etc', r'i\sin'],
           r'(?<=[0-9]\.)(?<=(?:\b(?:godz|nr|str|tel|poz)\.?\s[0-9]{1,4}|[0-9][.:][0-9]{2})\.)',
           'a number that is no ordinal (an hour, a page: "godz. 10.", "7.45.")', address='pl')
rule(False, NOT_ALNUM_BEFORE + r'(?:[0-9]{1,3}|[IVXLC]{1,6})\.', after_unless(PL_ST2), 'Ordinal numbers.')
abbreviations("Dr Prof Mgr Inż Ks Pan Pani".split(), PL_OTHERS + "Dz poz rozdz ryc tab ust".split(), PL_ST2, 'Polish')
initials_acronyms_no_address(PL_ST2, 'Polish')
end()

CS_OTHERS = "apod atd č čís doc dr ev fa hod ing jr kap kpt mil min mj např násl odd os p pís pl popř por př r resp roč s sb sl spol st str sv tel tj tzv ul viz zejm zn".split()
CS_ST2 = more_starters(CS_ST, "Dnes Jejich Když Letos Mimo Možná Nakonec Naopak Navíc Nyní Pak Poté Proč Přesto Rovněž Tady Teď Tehdy Tyto Včera Zítra Zatím")
begin('Czech', 'Czech.')
end_breaks('Czech', ['atd', 'apod', 'atp', 'aj', 'etc'])
rule(False, NOT_ALNUM_BEFORE + r'(?:[0-9]{1,3}|[IVXLC]{1,6})\.', after_unless(CS_ST2), 'Ordinal numbers ("7. dubna", "XII. sjezd").')
rule(False, r'\b(?:s|a|spol)\.', r'\s?(?:r|s|o)\.', '"s. r. o.", "a. s."')
abbreviations("Dr Prof Ing Mgr Bc JUDr MUDr PhDr RNDr Doc".split(), CS_OTHERS, CS_ST2, 'Czech')
initials_acronyms_no_address(CS_ST2, 'Czech')
end()

SK_OTHERS = "a al atď č čís doc dr ev hod ing jr kap mil min napr nasl odd os p pís pl popr por pozn príp r resp roč s sl spol st str sv tel tj tzv ul viz zn".split()
begin('Slovak', 'Slovak.')
end_breaks('Slovak', ['atď', 'apod', 'etc'])
rule(False, NOT_ALNUM_BEFORE + r'(?:[0-9]{1,3}|[IVXLC]{1,6})\.', after_unless(SK_ST), 'Ordinal numbers ("7. Apríla", "XII. Pluku").')
rule(False, r'\b(?:s|a|spol)\.', r'\s?(?:r|s|o)\.', '"s. r. o.", "a. s."')
abbreviations("Dr Prof Ing Mgr Bc JUDr MUDr PhDr RNDr Doc".split(), SK_OTHERS, SK_ST, 'Slovak')
initials_acronyms_no_address(SK_ST, 'Slovak')
end()

begin('Greek', 'Greek: ";" is the question mark; a period ends a sentence even before lower case.')
rule(True, r'[;\u037E]', r'\s', 'The Greek question mark (";", or U+037E, which NFC turns into ";").')
end_breaks('Greek', [r'κ\.\s?λπ', r'κ\.\s?τ\.\s?λ', r'κλπ', r'κτλ', r'κ\.\s?ά', r'κ\.\s?ο\.\s?κ'])
rule(False, r'\b(?:κ|π|χ|μ|σ|δ|βλ|Βλ|κλπ|κτλ|λπ|ά|π\.χ|ο\.π|αι|εκ|τ|χλμ|εκατ|δισ|δηλ|Δηλ|Χ|Δρ|καθ|σελ|τηλ|αρ|κεφ|τόμ|χιλ|τρισ)\.', r'\s', 'Abbreviations (π.χ., κ.λπ., κ.ά., δηλ., βλ., π.Χ., χλμ.).')
rule(True, r'\.', r'\s++\p{Ll}', 'A period before lower case.')
initials_acronyms_no_address(EL_ST, 'Greek')
end()

begin('Finnish', 'Finnish.')
end_breaks('Finnish', ['jne', 'yms', 'tms', 'ym', 'etc'])
rule(False, NOT_ALNUM_BEFORE + r'(?:[0-9]{1,3}|[IVXLC]{1,6})\.', after_unless(FI_ST), 'Ordinal numbers.')
abbreviations("Dr Prof Tri Rva Hra St".split(), "ap eaa esim ja jKr eKr jne ks ma mm n noin nro os p puh s ti tms v vrt yms".split(), FI_ST, 'Finnish')
initials_acronyms_no_address(FI_ST, 'Finnish')
opening_quote_break('Finnish', '»”')
end()

begin('Hungarian', 'Hungarian.')
end_breaks('Hungarian', ['stb', 'etc'])
rule(False, NOT_ALNUM_BEFORE + r'(?:[0-9]{1,4}|[IVXLC]{1,6})\.', after_unless(HU_ST), 'Ordinal numbers ("2014. május", "XX. század").')
abbreviations("Dr Prof Id Ifj Özv".split(), "ált ang bek dr ered ev évf f fej pl stb szám szül u ún vö".split(), HU_ST, 'Hungarian')
initials_acronyms_no_address(HU_ST, 'Hungarian')
end()

begin('Turkish', 'Turkish.')
rule(False, NOT_ALNUM_BEFORE + r'(?:[0-9]{1,3}|[IVXLC]{1,6})\.', after_unless(TR_ST), 'Ordinal numbers ("15. yüzyıl").')
abbreviations("Dr Prof Doç Av Yrd Sn Öğr".split(), "age bkz cad çev der ed örn s sf sok vb vd vs yy".split(), TR_ST, 'Turkish')
initials_acronyms_no_address(TR_ST, 'Turkish')
end()

begin('Armenian', 'Armenian: the full stop is ։ (often typed as ":"); "." inside a sentence is not an end.')
rule(False, r'\.', r'\s', 'A period is not the end of an Armenian sentence.')
rule(True, r'[:։]++[' + CLOSE_ONLY + r']*+', r'\s++' + OPEN + r'[\p{Lu}\p{N}]', 'The Armenian full stop (or a colon used as one) before a capital, closing quotes and brackets after it staying with the sentence ("«Ես կգամ։» Նա").')
end()

begin('Arabic', 'Arabic, Persian, Urdu: ؟ and ۔ end sentences; a colon before a new clause in Arabic script too.')
rule(True, r':', r'\s++[\p{Arabic}]', 'A colon before Arabic script ends a segment (as in headlines "سؤال وجواب: ماذا").')
rule(True, r'؟[!؟]*+', r'\p{Arabic}', 'An Arabic question mark directly before the next word (no space): "هل هذا صحيح؟يقول". (Not ۔, which Urdu also writes in abbreviations: "ایم۔اے".)')
rule(False, r'\.(?<=(?<![\p{L}\p{M}\p{N}])\p{Arabic}\.)', r'\s', 'A single Arabic-script letter and a period is an abbreviation, not the end of a sentence: "د. أحمد" (doctor), "ص. ٤٥" (page), "ق.م." (BC).')
end()

begin('Indic', 'Hindi, Marathi, Nepali, Bengali…: the danda । ends a sentence; "." as well.')
rule(False, r'(?<![\p{L}\p{M}])(?:डॉ|डा|प्रो|प्रा|श्री|सौ|कु|चि|ई|इ|पू|सं|पृ|रु|मि|स्व|क्र|जि|ता|कि\.मी)\.', r'\s', 'Abbreviations in Devanagari: titles ("डॉ.", "प्रो.", "श्री.", "सौ."), eras ("ई.पू.", "इ.स."), "कि.मी.", "पृ.", "रु.".')
rule(True, r'[।॥]++[' + CLOSE_ONLY + r']*+', r'(?![।॥' + CLOSE_ONLY + r'])', 'Danda (or double danda, or two dandas), with or without a following space; closing quotes after it stay with the sentence.')
end()

begin('Ethiopic', 'Amharic, Tigrinya: ። ፧ ፨ end sentences without a space.')
rule(True, r'[።፧፨]++[' + CLOSE_ONLY + r']*+', r'(?![።፧፨' + CLOSE_ONLY + r'])', 'Ethiopic full stop and question mark; closing quotes after them stay with the sentence.')
end()

begin('Myanmar', 'Burmese: ။ ends a sentence.')
rule(True, r'။++[' + CLOSE_ONLY + r']*+', r'(?![။' + CLOSE_ONLY + r'])', 'Burmese full stop; closing quotes after it stay with the sentence.')
end()

begin('CJKNoBreak', 'Chinese and Japanese: no break inside brackets and quotes, nor in decimal numbers, nor before a quotative と; half-width ! and ? between CJK characters end a sentence.')
rule(False, r'[（(「『《〈【〔“][^）)」』》〉】〕”\n]{0,200}[。！？．｡!?]', r'[^（(「『《〈【〔“\n]{0,200}[）)」』》〉】〕”]', 'Inside brackets or quotes.')
rule(False, r'[0-9０-９]．', r'[0-9０-９]', 'A full-width decimal point.')
rule(False, r'[。！？．｡!?][」』）】〕〉》”’]{1,3}', r'(?:と(?!ころ|にかく|ても)|って)', 'A quotation that ends in 。！？, then the particle と or って: the sentence goes on (「本当ですか？」と彼は聞いた。).')
rule(True, r'[!?](?<=[\p{Han}\p{Hiragana}\p{Katakana}ー][!?])[!?]*+[」』）】〕〉》"”’]*+', r'[\p{Han}\p{Hiragana}\p{Katakana}「『（【《]', 'A half-width ! or ? between CJK characters ends a sentence (すごい!本当に?); "Yahoo!ニュース" (Latin before it) does not.')
rule(False, r'\b(?:Mr|Mrs|Ms|Dr|Prof|St|Mt|Jr|Sr|No|vs)\.', r'\s', 'English titles inside CJK text: "Mr. Smithが来ました。"')
end()

begin('Generic', 'Languages without a rule set of their own: initials and acronyms never end a sentence.')
rule(False, NOT_ALNUM_BEFORE + r'(?<![.\'’\-])\p{Lu}\.', r'\s++' + OPEN + r'\p{Lu}', 'Initials.')
rule(False, r'\p{L}\.(?<=\.\p{L}{1,3}\.)(?<=' + NOT_ALNUM_BEFORE + r'(?:\p{L}{1,3}\.){2,8})', r'\s', 'Acronyms with periods.')
end()

MAPS = [
  ('(?i)(?:ja|zh)(?:[-_].*)?', 'CJK'),
  ('.*', 'Lines'),
  ('(?i)en(?:[-_].*)?', 'English'),
  ('(?i)fr(?:[-_].*)?', 'French'),
  ('(?i)de(?:[-_].*)?', 'German'),
  ('(?i)da(?:[-_].*)?', 'Danish'),
  ('(?i)sv(?:[-_].*)?', 'Swedish'),
  ('(?i)(?:no|nb|nn)(?:[-_].*)?', 'Norwegian'),
  ('(?i)nl(?:[-_].*)?', 'Dutch'),
  ('(?i)es(?:[-_].*)?', 'Spanish'),
  ('(?i)ca(?:[-_].*)?', 'Catalan'),
  ('(?i)pt(?:[-_].*)?', 'Portuguese'),
  ('(?i)it(?:[-_].*)?', 'Italian'),
  ('(?i)ro(?:[-_].*)?', 'Romanian'),
  ('(?i)bg(?:[-_].*)?', 'Bulgarian'),
  ('(?i)(?:ru|be|bg|sr|mk)(?:[-_].*)?', 'Russian'),
  ('(?i)uk(?:[-_].*)?', 'Ukrainian'),
  ('(?i)(?:kk|ky)(?:[-_].*)?', 'Kazakh'),
  ('(?i)pl(?:[-_].*)?', 'Polish'),
  ('(?i)cs(?:[-_].*)?', 'Czech'),
  ('(?i)sk(?:[-_].*)?', 'Slovak'),
  ('(?i)el(?:[-_].*)?', 'Greek'),
  ('(?i)fi(?:[-_].*)?', 'Finnish'),
  ('(?i)hu(?:[-_].*)?', 'Hungarian'),
  ('(?i)tr(?:[-_].*)?', 'Turkish'),
  ('(?i)hy(?:[-_].*)?', 'Armenian'),
  ('(?i)(?:ar|fa|ur|ps)(?:[-_].*)?', 'Arabic'),
  ('(?i)(?:hi|mr|ne|bn|sa|pa|gu)(?:[-_].*)?', 'Indic'),
  ('(?i)(?:am|ti)(?:[-_].*)?', 'Ethiopic'),
  ('(?i)my(?:[-_].*)?', 'Myanmar'),
  ('(?i)(?:ja|zh)(?:[-_].*)?', 'CJKNoBreak'),
  ('(?i)(?!(?:en|fr|de|da|sv|no|nb|nn|nl|es|ca|pt|it|ro|ru|be|bg|sr|mk|uk|kk|ky|pl|cs|sk|el|fi|hu|tr|hy)(?:[-_].*)?$).*', 'Generic'),
  ('.*', 'Common'),
]


HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!--
  Verso's sentence segmentation rules (SRX 2.0).

  Written by scripts/segmentation/verso_srx.py: edit that script and run it (the tests check that
  this file is what it writes).

  Patterns are ICU regular expressions (okpsrx:options useJavaRegex="no"), as the SRX 2.0
  specification says: \\s matches every Unicode space, no-break spaces included.
  The file cascades: a language uses "Lines", its own rule set, then "Common" (see <maprules>).
  At each position the first rule whose beforebreak matches the text before it and whose
  afterbreak matches the text after it decides; no rule, no break.

  Written for Verso (Apache-2.0). See docs/segmentation.md.
-->
<srx xmlns="http://www.lisa.org/srx20" xmlns:okpsrx="http://okapi.sf.net/srx-extensions" version="2.0">
<header segmentsubflows="yes" cascade="yes">
<formathandle type="start" include="no"/>
<formathandle type="end" include="yes"/>
<formathandle type="isolated" include="no"/>
<okpsrx:options oneSegmentIncludesAll="no" trimLeadingWhitespaces="yes" trimTrailingWhitespaces="yes" useJavaRegex="no" useIcu4jBreakRules="no"/>
</header>
<body>
<languagerules>"""


def document():
    lines = [HEAD] + out + ['</languagerules>', '<maprules>']
    for pattern, name in MAPS:
        lines.append('<languagemap languagepattern="%s" languagerulename="%s"/>' % (esc(pattern), name))
    lines += ['</maprules>', '</body>', '</srx>']
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    target = os.path.join(root, 'Sources', 'Segmentation', 'Resources', 'verso.srx')
    text = document()
    if '--check' in sys.argv[1:]:
        with open(target, encoding='utf-8') as f:
            if f.read() != text:
                sys.exit('verso.srx differs from what scripts/segmentation/verso_srx.py writes: run the script')
        sys.exit(0)
    with open(target, 'w', encoding='utf-8') as f:
        f.write(text)
